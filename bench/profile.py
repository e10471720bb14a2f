"""Where a sign-in's and a page's CPU goes, beside the bare Django peer: `.venv/bin/python
bench/profile.py` (bench/README.md, « Ce qui reste, et pourquoi »).

`bench/run.py` measures the server's CPU from the outside; this looks inside one process. On a
database and a Redis of its own (as the bench), it signs in N times with Django's test client
(one client, so the middleware is loaded once) and reads a page N times, in two processes: the
portal and the peer (bench/peer_settings.py). Each request's thread CPU time is split by a few
timers put around what it calls:

- argon2: the password's verification (left out of the totals);
- SQL: the database driver, from sending a query to its rows (psycopg);
- ORM: Django making the SQL and reading the rows (``execute_sql``, without the driver);
- Redis: the redis-py client (sessions, limits, lockout);
- gabarits: rendering templates (without the SQL a template tag may run);
- le reste: everything else of the request (Django's handler and middleware, django-allauth's
  views, forms and stages, our own code), by subtraction.

The timers count exclusive time (a timed call inside another is taken out of the outer one).
Thread CPU time, medians over the N requests: the machine's other jobs barely move it. cProfile
is not used: it inflates pure Python two to three times. The test client's own cost (≈ 0.1 ms a
request) is in « le reste » on both sides.
"""

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTS = ["SQL", "ORM", "Redis", "gabarits", "le reste"]
# The portal's POST, « le reste » taken apart (our code and django-allauth's, around the SQL).
DETAIL = {
    "limites par adresse et verrouillage": (
        "accounts.adapter",
        "AccountAdapter",
        "pre_authenticate",
    ),
    "ligne d'audit (objet, save)": ("audit.models", "AuditEvent", "save"),
    "ligne « Mes sessions » (objet, save)": ("allauth.usersessions.models", "UserSession", "save"),
    "last_login (save)": ("accounts.models", "User", "save"),
    "session : nouvelle clé, écriture": (
        "django.contrib.sessions.backends.cache",
        "SessionStore",
        "cycle_key",
    ),
    "session : écriture à la réponse": (
        "django.contrib.sessions.backends.cache",
        "SessionStore",
        "save",
    ),
    "cookie d'appareil connu (signé)": ("accounts.throttle", None, "remember_device"),
    "étapes de connexion d'allauth": ("allauth.account.stages", "LoginStageController", "handle"),
    "formulaire d'allauth (construction)": ("allauth.account.views", "LoginView", "get_form"),
}
PAGES = ["/services/", "/ent/", "/pronote/emploi-du-temps/", "/sante/vivant/"]


class Timers:
    """Exclusive thread-CPU time per label, for the functions wrapped with ``wrap``."""

    def __init__(self):
        self.times, self.counts, self.stack = {}, {}, []

    def wrap(self, label, owner, name):
        function = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.thread_time()
            self.stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.thread_time() - started
                inner = self.stack.pop()
                self.times[label] = self.times.get(label, 0.0) + elapsed - inner
                self.counts[label] = self.counts.get(label, 0) + 1
                if self.stack:
                    self.stack[-1] += elapsed

        setattr(owner, name, timed)

    def measure(self, call):
        """(total ms without argon2, {label: ms}, {label: calls}) of one call."""
        self.times, self.counts = {}, {}
        started = time.thread_time()
        call()
        total = (time.thread_time() - started) * 1000
        parts = {label: seconds * 1000 for label, seconds in self.times.items()}
        total -= parts.pop("argon2", 0.0)
        parts["le reste"] = total - sum(parts.values())
        return total, parts, dict(self.counts)


def child(mode, n):
    """In the portal's or the peer's process: N sign-ins, N of each page."""
    import re

    import django

    django.setup()
    import argon2._password_hasher
    import redis
    from django.db.backends import utils
    from django.db.models.sql import compiler
    from django.template import base
    from django.test import Client

    timers = Timers()
    timers.wrap("argon2", argon2._password_hasher, "verify_secret")
    timers.wrap("SQL", utils.CursorWrapper, "_execute")
    timers.wrap("ORM", compiler.SQLCompiler, "execute_sql")
    timers.wrap("ORM", compiler.SQLInsertCompiler, "execute_sql")
    timers.wrap("ORM", compiler.SQLUpdateCompiler, "execute_sql")
    timers.wrap("Redis", redis.Redis, "execute_command")
    timers.wrap("gabarits", base.Template, "render")
    if mode == "portal":
        import importlib

        for label, (module, owner, name) in DETAIL.items():
            target = importlib.import_module(module)
            timers.wrap(label, getattr(target, owner) if owner else target, name)

    seeded = json.loads(os.environ["BENCH_SEEDED"])
    client = Client(secure=True, headers={"X-Forwarded-Proto": "https"})
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    login, field = ("/educonnect/login/", "login")
    if mode == "peer":
        login, field = ("/banc/pair/connexion/", "username")
    steps = {"formulaire (GET)": [], "POST": [], "page d'arrivée": []}
    warm = min(10, n)  # the first ones warm the caches
    for number in range(n + warm):
        client.cookies.clear()  # a new browser, as the bench's sign-ins
        identifier = seeded["active"][number % len(seeded["active"])]
        page = {}

        def get_form(page=page):
            page["response"] = client.get(login)

        def post(page=page, identifier=identifier):
            csrf = token.search(page["response"].content.decode()).group(1)
            data = {field: identifier, "password": seeded["password"], "csrfmiddlewaretoken": csrf}
            page["response"] = client.post(login, data)
            assert page["response"].status_code == 302, page["response"].status_code

        def landing(page=page):
            assert client.get(page["response"]["Location"]).status_code == 200

        for step, call in zip(steps, (get_form, post, landing), strict=True):
            measured = timers.measure(call)
            if number >= warm:
                steps[step].append(measured)
    pages = {}
    paths = PAGES if mode == "portal" else ["/banc/pair/page/", "/sante/vivant/"]
    for path in paths:
        pages[path] = []
        for number in range(n + warm):
            measured = timers.measure(lambda path=path: client.get(path))
            if number >= warm:
                pages[path].append(measured)
    if mode == "portal":
        pages.update(provider_and_lesson(timers, seeded, n, warm))
    print(json.dumps({"sign_in": summary(steps), "pages": summary(pages)}))


def provider_and_lesson(timers, seeded, n, warm):
    """The OpenID Connect round trip's three requests, CAS's two, and the séance's poll of a
    class of 30, unchanged (304) and changed (200), as a person signed in does them."""
    from urllib.parse import parse_qs, urlencode, urlsplit

    from django.test import Client

    services = Client(secure=True, headers={"X-Forwarded-Proto": "https"})
    services.post(
        "/educonnect/login/", {"login": seeded["service_user"], "password": seeded["password"]}
    )
    oidc = seeded["oidc"]
    authorize = "/identity/o/authorize?" + urlencode(
        {
            "client_id": oidc["client_id"],
            "response_type": "code",
            "redirect_uri": oidc["redirect_uri"],
            "scope": "openid identifiant profile etablissement email",
            "state": "banc",
        }
    )
    basic = "Basic " + base64.b64encode(f"{oidc['client_id']}:{oidc['secret']}".encode()).decode()
    teacher = Client(secure=True, headers={"X-Forwarded-Proto": "https"})
    teacher.cookies["sessionid"] = seeded["staff_session"]
    first = teacher.get(seeded["seance_live"])
    etag = first.get("ETag", "")
    # As static/js/seance.js: the next poll's address carries the last full answer's token.
    poll_url = first.get("X-Live-Url", seeded["seance_live"])
    series = {
        name: []
        for name in (
            "OIDC : authorize",
            "OIDC : token",
            "OIDC : userinfo",
            "CAS : login",
            "CAS : p3/serviceValidate",
            "séance, inchangée (304)",
            "séance, changée (200)",
        )
    }
    for number in range(n + warm):
        got = {}

        def code(got=got):
            location = services.get(authorize)["Location"]
            got["code"] = parse_qs(urlsplit(location).query)["code"][0]

        def token(got=got):
            response = services.post(
                "/identity/o/api/token",
                {
                    "grant_type": "authorization_code",
                    "code": got["code"],
                    "redirect_uri": oidc["redirect_uri"],
                },
                headers={"Authorization": basic},
            )
            got["access"] = response.json()["access_token"]

        def userinfo(got=got):
            headers = {"Authorization": f"Bearer {got['access']}"}
            assert services.get("/identity/o/api/userinfo", headers=headers).status_code == 200

        def ticket(got=got):
            location = services.get(f"/cas/login?{urlencode({'service': seeded['cas_service']})}")
            got["ticket"] = parse_qs(urlsplit(location["Location"]).query)["ticket"][0]

        def validate(got=got):
            query = urlencode({"service": seeded["cas_service"], "ticket": got["ticket"]})
            assert services.get(f"/cas/p3/serviceValidate?{query}").status_code == 200

        def unchanged():
            headers = {"If-None-Match": etag} if etag else {}
            assert teacher.get(poll_url, headers=headers).status_code in (200, 304)

        def changed():
            assert teacher.get(seeded["seance_live"]).status_code == 200

        calls = (code, token, userinfo, ticket, validate, unchanged, changed)
        for name, call in zip(series, calls, strict=True):
            measured = timers.measure(call)
            if number >= warm:
                series[name].append(measured)
    return series


def summary(series):
    result = {}
    for name, measures in series.items():
        labels = {label for _, parts, _ in measures for label in parts}
        result[name] = {
            "total": statistics.median(total for total, _, _ in measures),
            "parts": {
                label: statistics.median(parts.get(label, 0.0) for _, parts, _ in measures)
                for label in labels
            },
            "calls": {
                label: statistics.median(counts.get(label, 0) for _, _, counts in measures)
                for label in ("SQL", "Redis")
            },
        }
    return result


def table(portal, peer):
    lines = [
        f"| requête | CPU hors argon2, ms | {' | '.join(PARTS)} | requêtes SQL · commandes Redis |",
        "|---" * (len(PARTS) + 3) + "|",
    ]

    def row(name, measured):
        rest = measured["parts"].get("le reste", 0.0) + sum(
            measured["parts"].get(label, 0.0) for label in DETAIL
        )
        values = {**measured["parts"], "le reste": rest}
        parts = " | ".join(f"{values.get(part, 0.0):.2f}" for part in PARTS)
        calls = measured["calls"]
        return (
            f"| {name} | **{measured['total']:.2f}** | {parts} | "
            f"{calls['SQL']:.0f} · {calls['Redis']:.0f} |"
        )

    for side, measured in (("portail", portal), ("pair", peer)):
        for step, values in measured["sign_in"].items():
            lines.append(row(f"{side} : connexion, {step}", values))
        total = sum(values["total"] for values in measured["sign_in"].values())
        lines.append(f"| **{side} : connexion entière** | **{total:.2f}** |" + " |" * len(PARTS))
    for side, measured in (("portail", portal), ("pair", peer)):
        for path, values in measured["pages"].items():
            lines.append(row(f"{side} : {path}", values))
    post = portal["sign_in"]["POST"]["parts"]
    lines += [
        "",
        "« Le reste » du POST du portail, détaillé (hors SQL, ORM et Redis qu'ils font) :",
        "",
    ]
    lines += ["| partie | ms |", "|---|---|"]
    for label in [*DETAIL, "le reste"]:
        name = (
            "vue d'allauth, flux de connexion, Django, middleware" if label == "le reste" else label
        )
        lines.append(f"| {name} | {post.get(label, 0.0):.2f} |")
    return "\n".join(lines)


def main():
    from bench.run import own_services, production_env

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="sign-ins and requests per page")
    parser.add_argument("--database", choices=["auto", "sqlite"], default="auto")
    parser.add_argument("--static-root", help="static files already collected (production)")
    parser.add_argument("--json", help="also write the measures to this file")
    parser.add_argument("--child", choices=["portal", "peer"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.n)

    with own_services(args.database, "ent-profile-") as (workdir, database, _redis, cache):
        env = production_env(workdir, database, cache, args.static_root)
        env["ALLOWED_HOSTS"] = "testserver"
        commands = [["migrate", "--noinput"]]
        if not args.static_root:
            commands.append(["collectstatic", "--noinput"])
        for command in commands:
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        seeded = subprocess.run(
            [sys.executable, "bench/seed.py", "60", "0", "--lesson-and-services"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        env["BENCH_SEEDED"] = seeded
        results = {}
        for mode, settings in (("portal", "ent_portal.settings"), ("peer", "bench.peer_settings")):
            out = subprocess.run(
                [sys.executable, __file__, "--child", mode, "-n", str(args.n)],
                cwd=ROOT,
                env={**env, "DJANGO_SETTINGS_MODULE": settings},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[mode] = json.loads(out.strip().splitlines()[-1])
        print(
            f"Base : {'PostgreSQL' if database else 'SQLite'}, cache : "
            f"{'Redis' if cache else 'mémoire locale'} ; médianes sur {args.n} mesures, "
            "temps CPU du fil, ms.\n"
        )
        print(table(results["portal"], results["peer"]))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
