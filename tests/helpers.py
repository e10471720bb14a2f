"""What several test files share. Tests import from here (and tests/factories.py), never from
one another."""

import html
import io
import os
import re
import secrets
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

GOOD_PASSWORD = "Soleil#Vert22"
# How long a test waits for a process or a server it started before calling it hung: only a
# guard (a loaded machine is slow, not wrong); no test asserts on how long anything took.
GUARD_SECONDS = 900
CSV_HEADER = ["Nom", "Prénom", "Date de naissance", "Classe", "INE", "E-mail"]


def redis_url():
    """The Redis of the environment (REDIS_URL, else db 14 of a local one), None if none answers:
    for the tests that need a real one whichever database the suite runs on."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


def clear_namespace(cache):
    """Empties one cache's own keys: on Redis only those of its KEY_PREFIX (Django's clear()
    would flush the whole database, a parallel worker's sessions included)."""
    from django.core.cache.backends.redis import RedisCacheClient

    if not isinstance(cache._cache, RedisCacheClient):
        cache.clear()  # local memory: this process's own
        return
    redis = cache._cache.get_client(write=True)
    keys = list(redis.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        redis.delete(*keys)


def field_values(instance):
    """Every column of a model instance ({attname: value}), None for no instance: to hold a query
    written by hand to the ORM's answer."""
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def page_of(response):
    """The text of a response as a person reads it: HTML entities decoded, the non-breaking
    spaces of French typography (U+00A0, U+202F) read as spaces."""
    text = html.unescape(response.content.decode())
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def sign_in(client, identifier, password):
    return client.post(reverse("account_login"), {"login": identifier, "password": password})


def activate(client, birth_date="14/03/2012", **overrides):
    """Post the activation form; ``birth_date`` "JJ/MM/AAAA" fills the three boxes."""
    day, month, year = (birth_date.split("/") + ["", "", ""])[:3]
    data = {
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "birth_day": day,
        "birth_month": month,
        "birth_year": year,
        "email": "",
        **overrides,
    }
    return client.post(reverse("accounts:activate"), data)


def csv_bytes(rows, *, encoding="cp1252", delimiter=";", bom=False, header=CSV_HEADER):
    """A class list as spreadsheets export it (Excel's French CSV by default)."""
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def a_class(n=30, division="4e B"):
    return [
        [f"Élève{i}", "Inès" if i % 2 else "Théo", f"{1 + i % 28:02d}/03/2012", division, "", ""]
        for i in range(n)
    ]


def preview_import(client, establishment, data):
    """Step 1 of the admin's import: the file is uploaded and previewed."""
    return client.post(
        reverse("admin:accounts_user_import"),
        {
            "establishment": establishment.pk,
            "file": SimpleUploadedFile("eleves.csv", data, content_type="text/csv"),
        },
    )


def confirm_import(client, preview_response):
    """Step 2: the previewed file is confirmed (its form's one-time token included): the answer
    is the 303 to the job's page (``downloaded`` gives the PDF)."""
    payload = re.search(r'name="payload" value="([^"]+)"', preview_response.content.decode())
    return client.post(
        reverse("admin:accounts_user_import"),
        {"payload": payload.group(1), "job_token": job_token_in(preview_response)},
    )


PARENT_CSV_HEADER = [
    "Nom",
    "Prénom",
    "Téléphone portable",
    "E-mail",
    "Nom de l'élève",
    "Prénom de l'élève",
    "Date de naissance de l'élève",
    "Représentant légal",
]


def preview_parent_import(client, establishment, data):
    """Step 1 of the responsables' import: the file is uploaded and previewed."""
    return client.post(
        reverse("admin:accounts_user_import_parents"),
        {
            "establishment": establishment.pk,
            "file": SimpleUploadedFile("responsables.csv", data, content_type="text/csv"),
        },
    )


def confirm_parent_import(client, preview_response):
    payload = re.search(r'name="payload" value="([^"]+)"', preview_response.content.decode())
    return client.post(reverse("admin:accounts_user_import_parents"), {"payload": payload.group(1)})


def letters_in(pdf_bytes):
    """{identifier: provisional password} as printed on the letters of a PDF."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    return dict(re.findall(r"Identifiant\s+(\S+)\s+Mot de passe provisoire\s+(\S+)", text))


def job_token_in(response):
    """The one-time token of the confirming form in a page (staff/jobs.py)."""
    return re.search(r'name="job_token" value="([^"]+)"', response.content.decode()).group(1)


def print_letters(client, users, **fields):
    """The admin action « Imprimer les courriers »: its confirmation page, then its form sent
    (``fields``: e.g. par_page). The answer is the 303 to the job's page."""
    url = reverse("admin:accounts_user_changelist")
    data = {"action": "print_letters", "_selected_action": [user.pk for user in users]}
    confirmation = client.post(url, data)
    return client.post(
        url, {**data, "confirm": "yes", "job_token": job_token_in(confirmation), **fields}
    )


def run_worker():
    """What ``manage.py db_worker`` does for each queued job, in this test's transaction (the
    real worker is another process: tests/staff/test_letter_batches.py runs it too). Returns
    how many jobs ran."""
    from django_tasks_db.models import DBTaskResult

    from staff.tasks import make_letters

    queued = list(DBTaskResult.objects.filter(status="READY"))
    for job in queued:
        make_letters.call(*job.args_kwargs["args"])
        job.delete()
    return len(queued)


def job_pk(response):
    """The job a form started, from the 303 that answered it."""
    assert response.status_code == 303, response.status_code
    return int(response["Location"].rstrip("/").rsplit("/", 1)[-1])


def downloaded(client, response):
    """The PDF of the job a form started: the worker runs, then « Télécharger le PDF »."""
    run_worker()
    pdf = client.post(reverse("letter_job_download", args=[job_pk(response)]))
    assert pdf["Content-Type"] == "application/pdf", pdf.status_code
    return pdf


def database_url():
    """The test database, as DATABASE_URL for a process started by a test (``db_worker``)."""
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return (
        f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )


PRODUCTION_SECRET = secrets.token_urlsafe(50)
PRODUCTION_MFA_KEY = secrets.token_urlsafe(32)


def production_env(tmp_path, **extra):
    """The environment of the portal in production mode, for a process a test starts: its
    own SQLite database and static files under ``tmp_path``, the environment's Redis if
    REDIS_URL is set, else SINGLE_PROCESS=1."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="127.0.0.1,ent.example.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        TRUST_X_FORWARDED_PROTO="1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SMS_BACKEND="families.sms.HttpGatewayBackend",
        SMS_GATEWAY_URL="https://sms.example.fr/envoi",
        MFA_ENCRYPTION_KEYS=PRODUCTION_MFA_KEY,
        DJANGO_SETTINGS_MODULE="ent_portal.settings",
    )
    if not env.get("REDIS_URL"):
        # Production refuses the process's memory as a cache unless one process serves: the
        # caller then starts one worker (``production_workers``).
        env["SINGLE_PROCESS"] = "1"
    env.update(extra)
    return env


def production_workers(env, several=2) -> str:
    """How many gunicorn workers a test may start in ``env``: ``several`` with a shared cache
    (REDIS_URL), else one (SINGLE_PROCESS)."""
    return str(several) if env.get("REDIS_URL") else "1"


def fill_birth_date(page, iso_date):
    """The three boxes « Jour », « Mois », « Année », as a pupil types them."""
    birth = date.fromisoformat(iso_date)
    page.get_by_label("Jour", exact=True).fill(f"{birth.day:02d}")
    page.get_by_label("Mois", exact=True).fill(f"{birth.month:02d}")
    page.get_by_label("Année", exact=True).fill(str(birth.year))


# The browser suite's layout check (tests/e2e): pages at these widths, and a script that lists
# what goes past the edge, over the footer or over another box, or cuts its text off.
WIDTHS = [360, 768, 1280]

# Runs in the page: a list of sentences, one per problem seen.
LAYOUT_PROBLEMS = """
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  // Inside a box that scrolls on purpose (the charter's text), what is out of view is clipped
  // by that box: the box itself is checked instead.
  const scrolled = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (["auto", "scroll"].includes(style.overflowY)) return true;
    }
    return false;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden" && box.width > 1
      && box.height > 1 && !el.closest(".visually-hidden, .visually-hidden-focusable")
      && !scrolled(el);
  };
  const label = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim()
       ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + " « " + (el.innerText || el.value || "").trim().slice(0, 40) + " »";
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
  }
  const all = [...document.querySelectorAll("body *")].filter(shown);
  for (const el of all) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1) {
      const from = Math.round(box.left), to = Math.round(box.right);
      problems.push(`${label(el)} goes past the edge (${from} to ${to})`);
    }
    const style = getComputedStyle(el);
    const clips = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    // A box one types in scrolls its own text (an address longer than the box at 200 % text):
    // the caret reaches all of it. One that only shows a value (readonly) must show it whole.
    const typed = el.matches("input:not([readonly]), textarea");
    if (clips && !typed && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${label(el)} cuts its text off`);
    }
  }
  // The projector's full-screen page has no footer.
  const footer = document.querySelector("footer")?.getBoundingClientRect();
  for (const el of footer ? document.querySelectorAll("main *") : []) {
    if (shown(el) && el.getBoundingClientRect().bottom > footer.top + 1) {
      problems.push(`${label(el)} runs over the footer`);
    }
  }
  const boxes = [...document.querySelectorAll(
    "main :is(h1, h2, h3, p, li, label, input, button, a.btn, table, section, form, .card,"
    + " .alert, .ent-tile, .school-message, .list-group, .stepper, nav, dl, dt, dd, summary)"
  )].filter(shown);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
      const across = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const down = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (across > 1 && down > 1) problems.push(`${label(a)} overlaps ${label(b)}`);
    }
  }
  return problems;
}
"""


# Words cut in the middle at the end of a line, with no hyphen shown (« IDENTIFIA NT »): what
# `overflow-wrap: anywhere` does to a table's cells when the table is narrow. Between words, or
# at a hyphen written in the word, is fine. Table cells only, and their labels written by CSS
# (`content: attr(data-label)`, PRONOTE's marks on a phone), which no Range can measure: their
# box must be as wide as their longest word. (Chromium as Debian ships it hyphenates nothing,
# `hyphens: auto` or not: a cut here is a cut for everyone whose browser has no French
# hyphenation either.)
WORD_CUTS = """
() => {
  const problems = [];
  const cells = [...document.querySelectorAll("th, td")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== "hidden"
      && !el.closest(".visually-hidden, .visually-hidden-focusable");
  });
  const lines = (range) => new Set(
    [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
  ).size;
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s]+/g)) {
        if (/[-\\u00ad\\u2010]/.test(match[0])) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (lines(range) > 1) problems.push(`« ${match[0]} » cut in ${cell.tagName.toLowerCase()}`);
      }
    }
    const before = getComputedStyle(cell, "::before");
    const text = cell.getAttribute("data-label");
    if (text && before.content && before.content !== "none" && before.display !== "none") {
      const probe = document.createElement("span");
      probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap";
      for (const name of ["font-family", "font-size", "font-weight", "font-style",
                          "letter-spacing", "text-transform"]) {
        probe.style.setProperty(name, before.getPropertyValue(name));
      }
      document.body.append(probe);
      const widest = Math.max(...text.split(/\\s+/).map((word) => {
        probe.textContent = word;
        return probe.getBoundingClientRect().width;
      }));
      probe.remove();
      if (parseFloat(before.width) + 0.5 < widest) {
        problems.push(`« ${text} » (its label) cut in ${cell.tagName.toLowerCase()}`);
      }
    }
  }
  return [...new Set(problems)];
}
"""


def free_port():
    """A free TCP port on the loopback address, for a server a test starts."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url, process, guard_seconds=GUARD_SECONDS):
    """Returns once ``url`` answers (any HTTP status); fails at once if ``process`` has exited.
    The guard only stops a hung start: a slow machine just waits longer."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + guard_seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=guard_seconds):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered (exit code {process.poll()})")


# ==== Accessibility checks beyond axe: focus visibility, non-text contrast (tests/e2e) ====
# Reusable on any page: ``contrast(a, b)`` (WCAG ratio of two CSS colours), ``controls(page)``
# (every visible control, tagged data-a11y-control="n"), ``focus_changes_pixels(page, locator)``
# (the pixels around a control change when it takes the keyboard focus),
# ``focus_ring_problems(page, locator)`` and ``field_border_problems(page)`` (3:1 or more
# against what is behind).


def _rgb(css):
    values = [float(v) for v in re.findall(r"[\d.]+", css)[:4]]
    return values[:3], (values[3] if len(values) > 3 else 1.0)


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG contrast ratio of two opaque CSS colours (« rgb(…) » as getComputedStyle gives)."""
    return contrast_ratio(_rgb(a)[0], _rgb(b)[0])


# Runs in the page: tags the visible, enabled controls and returns how many.
TAG_CONTROLS = """
() => {
  const sel = "a[href], button, input:not([type=hidden]), select, textarea, summary,"
    + " [tabindex='0']";
  let n = 0;
  for (const el of document.querySelectorAll(sel)) {
    el.removeAttribute("data-a11y-control");
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width < 1 || box.height < 1 || style.visibility === "hidden" || el.disabled
        || el.closest("[hidden], .visually-hidden-focusable, details:not([open]) > ul")) continue;
    el.setAttribute("data-a11y-control", String(n++));
  }
  return n;
}
"""

# Runs in the page: the background colour behind an element (first opaque ancestor's).
BACKGROUND_BEHIND = """
(el) => {
  for (let up = el.parentElement; up; up = up.parentElement) {
    const bg = getComputedStyle(up).backgroundColor;
    const alpha = bg.startsWith("rgba") ? parseFloat(bg.split(",")[3]) : 1;
    if (alpha > 0.5) return bg;
  }
  return "rgb(255, 255, 255)";
}
"""


def controls(page):
    count = page.evaluate(TAG_CONTROLS)
    return [page.locator(f'[data-a11y-control="{n}"]') for n in range(count)]


def _around(page, locator, margin=8):
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = max(box["x"] - margin, 0), max(box["y"] - margin, 0)
    return page.screenshot(
        clip={
            "x": x,
            "y": y,
            "width": box["width"] + 2 * margin,
            "height": box["height"] + 2 * margin,
        },
        animations="disabled",
        caret="hide",
    )


def focus_changes_pixels(page, locator, min_pixels=12):
    """The pixels around the control differ when it has the keyboard focus (after a Tab, so
    that the browser treats the focus as the keyboard's: :focus-visible)."""
    from io import BytesIO

    from PIL import Image, ImageChops

    page.evaluate("document.activeElement && document.activeElement.blur()")
    before = Image.open(BytesIO(_around(page, locator))).convert("RGB")
    locator.focus()
    after = Image.open(BytesIO(_around(page, locator))).convert("RGB")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    if before.size != after.size:
        return True
    diff = ImageChops.difference(before, after).convert("L").point(lambda v: 255 if v > 24 else 0)
    return diff.histogram()[255] >= min_pixels


def focus_ring_problems(page, locator):
    """The focused control's outline: present, and 3:1 or more against what is behind it."""
    locator.focus()
    style = locator.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    behind = locator.evaluate(BACKGROUND_BEHIND)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    kind, width, colour = style
    if kind == "none" or width < 2:
        return [f"no outline ({kind} {width}px)"]
    ratio = contrast(colour, behind)
    return [] if ratio >= 3 else [f"outline {colour} on {behind}: {ratio:.2f}:1"]


def field_border_problems(page):
    """Every visible text field, select and check box: its border 3:1 or more against what is
    behind it (WCAG 1.4.11, RGAA 3.3)."""
    problems = []
    fields = page.locator(
        "input.form-control:visible, select:visible, textarea:visible, input.form-check-input"
    )
    for n in range(fields.count()):
        field = fields.nth(n)
        if not field.is_visible():
            continue
        border = field.evaluate("el => getComputedStyle(el).borderTopColor")
        behind = field.evaluate(BACKGROUND_BEHIND)
        ratio = contrast(border, behind)
        if ratio < 3:
            name = field.evaluate("el => el.id || el.name")
            problems.append(f"#{name}: border {border} on {behind}: {ratio:.2f}:1")
    return problems


# A page's whole check beyond axe (tests/e2e/test_pupil_accessibility.py and
# tests/e2e/test_parent_and_pronote_accessibility.py): ``check(page, name)`` at 1280 px.
SERIOUS = {"critical", "serious"}


def check_focus_and_borders(page, name):
    page.keyboard.press("Tab")  # the keyboard's focus from now on (:focus-visible)
    problems = [f"{name}: {p}" for p in field_border_problems(page)]
    for control in controls(page):
        label = control.evaluate(
            "el => el.tagName.toLowerCase() + ' « ' + (el.innerText || el.value || el.id"
            " || el.getAttribute('aria-label') || '').trim().slice(0, 30) + ' »'"
        )
        if not focus_changes_pixels(page, control):
            problems.append(f"{name}: the focus of {label} changes no pixel")
        problems += [f"{name}: {label}: {p}" for p in focus_ring_problems(page, control)]
    assert not problems, "\n".join(problems)


def check_reflow(page, name):
    problems = []
    page.set_viewport_size({"width": 320, "height": 640})
    problems += [f"{name} at 320 px: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
    problems += [f"{name} at 320 px: {p}" for p in page.evaluate(WORD_CUTS)]
    page.set_viewport_size({"width": 360, "height": 640})
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    problems += [f"{name} at 360 px, 200 % text: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
    problems += [f"{name} at 360 px, 200 % text: {p}" for p in page.evaluate(WORD_CUTS)]
    page.evaluate("document.documentElement.style.fontSize = ''")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n".join(problems[:15])


def check_axe(page, name, *, also=()):
    """axe-core finds nothing serious or critical in the page, nor anything of the rules
    ``also`` names, whatever their impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS or v["id"] in also
    ]
    assert not problems, f"{name}: " + "\n".join(problems)


def check_forced_colours(page, name):
    """In a Windows contrast theme (forced colours) too, every control's focus changes pixels."""
    page.emulate_media(forced_colors="active")
    page.keyboard.press("Tab")
    missing = [
        f"{name}: " + control.evaluate("el => el.outerHTML.slice(0, 80)")
        for control in controls(page)
        if not focus_changes_pixels(page, control)
    ]
    page.emulate_media(forced_colors="none")
    assert not missing, "\n".join(missing)


def check(page, name, *, error_state=False):
    check_focus_and_borders(page, name)
    check_reflow(page, name)
    if error_state:
        check_axe(page, name)


# ==== end of the accessibility checks ====


# -- Focus and contrast checks for the browser suite (what axe-core cannot see) ---------------
# focus_is_visible(page, locator): screenshots of the control's surroundings, unfocused then
# focused, differ (also to be run in a context made with forced_colors="active").
# contrast_ratio(rgb1, rgb2): WCAG 2's contrast ratio of two colours (1 to 21).
# focus_ring_contrast(page, locator): the focused control's ring (outline, else box-shadow, else
# border) against the background it is drawn on; WCAG 1.4.11 asks for 3:1 at least.
# controls_of(page): every visible link, button and field in the page's main part.

FOCUS_MARGIN = 6  # px around the control: an outline and its offset are drawn outside its box


def contrast_ratio(rgb1, rgb2):
    """WCAG 2.x contrast ratio of two sRGB colours given as (r, g, b) in 0..255."""
    high, low = sorted((_luminance(rgb1[:3]), _luminance(rgb2[:3])), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _clip_around(page, locator):
    box = locator.bounding_box()
    viewport = page.viewport_size
    x = max(box["x"] - FOCUS_MARGIN, 0)
    y = max(box["y"] - FOCUS_MARGIN, 0)
    return {
        "x": x,
        "y": y,
        "width": min(box["width"] + 2 * FOCUS_MARGIN, viewport["width"] - x),
        "height": min(box["height"] + 2 * FOCUS_MARGIN, viewport["height"] - y),
    }


def focus_is_visible(page, locator):
    """Whether focusing ``locator`` by keyboard changes what is drawn around it."""
    locator.scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no hover look
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    clip = _clip_around(page, locator)
    before = page.screenshot(clip=clip, animations="disabled")
    page.keyboard.press("Shift")  # the last input is the keyboard: :focus-visible applies
    locator.focus()
    after = page.screenshot(clip=clip, animations="disabled")
    return before != after


FOCUS_RING_COLOURS = """
(el) => {
  el.focus();
  const style = getComputedStyle(el);
  const rgb = (text) => (text.match(/rgba?\\(([^)]+)\\)/) || [null, ""])[1]
    .split(",").map(Number).filter((n) => !Number.isNaN(n));
  let ring = null;
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
    ring = rgb(style.outlineColor);
  } else if (style.boxShadow && style.boxShadow !== "none") ring = rgb(style.boxShadow);
  else ring = rgb(style.borderTopColor);
  let back = null;
  for (let up = el.parentElement; up; up = up.parentElement) {
    const colour = rgb(getComputedStyle(up).backgroundColor);
    if (colour.length === 3 || (colour.length === 4 && colour[3] > 0)) { back = colour; break; }
  }
  return {ring, back: back || [255, 255, 255]};
}
"""


def focus_ring_contrast(page, locator):
    """The contrast of the focused control's ring against what is behind it (a translucent
    ring is composed over that background first)."""
    page.keyboard.press("Shift")
    colours = locator.evaluate(FOCUS_RING_COLOURS)
    ring, back = colours["ring"], colours["back"][:3]
    if len(ring) == 4:  # rgba: composed over the background
        alpha = ring[3]
        ring = [round(alpha * c + (1 - alpha) * b) for c, b in zip(ring[:3], back, strict=True)]
    return contrast_ratio(ring[:3], back)


def controls_of(page, scope="main, #content"):
    """Every visible, enabled link, button and field inside ``scope``, and every box that takes
    the focus to be scrolled."""
    candidates = page.locator(scope).first.locator(
        "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']"
    )
    return [
        candidates.nth(i)
        for i in range(candidates.count())
        if candidates.nth(i).is_visible() and candidates.nth(i).is_enabled()
    ]


def confirm_in_demo_mailbox(mailbox):
    """On the demo mailbox's tab: follow the confirmation link, « Confirmer », and close the tab
    once the confirmation's answer is in. A tab closed while its form is being sent can leave
    Playwright's close() waiting for ever (it has no timeout)."""
    mailbox.get_by_role("link", name=re.compile("confirm-email")).click()
    mailbox.get_by_role("button", name=re.compile("Confirmer")).click()
    mailbox.wait_for_url(lambda address: "confirm-email" not in address)
    mailbox.close()


def a_class_of_three():
    """« 5e C » of a Collège Alfred Bruzet, three pupils with their letters (Élève0 Classe0…):
    the séance's browser tests. (school_class, pupils)."""
    from accounts.actions import Newcomer, do_create_accounts, prepare_accounts
    from schools.models import SchoolClass
    from tests.factories import EstablishmentFactory

    establishment = EstablishmentFactory(name="Collège Alfred Bruzet")
    school_class = SchoolClass.objects.create(establishment=establishment, division="5e C")
    newcomers = [
        Newcomer(
            first_name=f"Élève{n}",
            last_name=f"Classe{n}",
            birth_date=date(2012, 3, 14),
            school_class=school_class,
        )
        for n in range(3)
    ]
    issued = do_create_accounts(prepare_accounts(newcomers, establishment))
    return school_class, [item.user for item in issued]


def signed_in_context(browser, live_server, user, *, height=800):
    """A browser context (1366 px wide) already signed in as ``user``, and its page."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()
