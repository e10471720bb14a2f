"""A classroom computer is shared: two pupils, one browser (one context, one session cookie).
The first closes the tab in the middle of the activation; the second opens the sign-in page in
a new tab and must meet an empty sign-in, never the first pupil's name."""

import json
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.helpers import GOOD_PASSWORD, field_values, fill_birth_date

pytestmark = pytest.mark.e2e


def test_a_tab_closed_mid_activation_never_greets_the_next_pupil(
    browser, live_server, demo_accounts
):
    first, second = [a for a in demo_accounts if a["role"] == "eleve" and a["password"]][:2]
    for account in (first, second):
        account["first_name"] = User.objects.get(username=account["identifier"]).first_name
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR")
    login_url = f"{live_server.url}/educonnect/login/"

    page = context.new_page()
    page.goto(login_url)
    page.get_by_label(re.compile(r"^Identifiant")).fill(first["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(first["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Étape 2 sur 4")).to_be_visible()
    expect(page.get_by_text(f"Bonjour {first['first_name']}")).to_be_visible()
    page.close()

    page = context.new_page()
    page.goto(login_url)
    expect(page.get_by_label(re.compile(r"^Identifiant"))).to_have_value("")
    body = page.locator("body").inner_text()
    assert first["first_name"] not in body
    assert "Étape 2 sur 4" not in body
    # The activation is abandoned, not only hidden: its address leads back to the sign-in.
    page.goto(f"{live_server.url}/educonnect/activation/")
    assert page.url.endswith("/educonnect/login/")
    assert first["first_name"] not in page.locator("body").inner_text()

    # The second pupil's own activation goes on as usual.
    page.get_by_label(re.compile(r"^Identifiant")).fill(second["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(second["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text(f"Bonjour {second['first_name']}")).to_be_visible()
    context.close()


# Runs in every page of the context before its own scripts: each time the document changes while
# it is parsed, and once the parsing ends (before the page's own listeners), whether the first
# pupil's name is in the page's text (textContent) and whether it shows (innerText: what is
# rendered, what a screen reader reads).
WATCH_FOR_THE_NAME = """(() => {
  const name = %s;
  window.nameSeen = [];
  function note(when) {
    if (!location.pathname.startsWith("/educonnect/activation/")) return;
    const body = document.body;
    window.nameSeen.push({
      when: when,
      inPage: !!body && body.textContent.includes(name),
      shown: !!body && body.innerText.includes(name),
    });
  }
  new MutationObserver(() => note("parsing")).observe(document, {
    childList: true, subtree: true, characterData: true,
  });
  document.addEventListener("DOMContentLoaded", () => note("parsed"));
})();"""

CANCEL = "**/educonnect/activation/annuler/"


def sign_in_on(page, url, account):
    page.goto(url)
    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()


def leave_the_form_open(context, live_server, pupil):
    """The first pupil signs in, reaches the form, and closes the tab."""
    page = context.new_page()
    sign_in_on(page, f"{live_server.url}/educonnect/login/", pupil)
    expect(page.get_by_text(f"Bonjour {pupil['first_name']}")).to_be_visible()
    page.get_by_role("link", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Activer votre compte", exact=True)).to_be_visible()
    page.close()


def open_by_hand(context, url, pupil):
    """The next pupil types (or picks from the history) the activation's address in a new tab.
    The script's request that ends the activation is held until the page is checked, so that
    what the page showed is looked at before it leaves: nothing of the first pupil."""
    held = []
    page = context.new_page()
    page.route(CANCEL, lambda route: held.append(route))
    page.goto(url)
    assert page.url == url  # still there: the ending waits for the test
    body = page.locator("body")
    assert pupil["first_name"] not in body.inner_text()
    assert pupil["identifier"] not in body.inner_text()
    seen = page.evaluate("window.nameSeen")
    # The name came with the page (the server does not know the tab), never shown; once parsed,
    # it is taken out of the page.
    assert any(s["inPage"] for s in seen) and not any(s["shown"] for s in seen), seen
    assert pupil["first_name"] not in page.evaluate("document.body.textContent")
    for _ in range(100):  # Playwright hands over the held request on one of its round trips
        if held:
            break
        page.evaluate("0")
    assert len(held) == 1 and held[0].request.method == "POST"
    held[0].continue_()
    expect(page).to_have_url(re.compile(r"/educonnect/login/$"))
    expect(page.get_by_text("ne se poursuit que dans l'onglet où elle a commencé")).to_be_visible()
    assert pupil["first_name"] not in body.inner_text()
    return page


def test_a_tab_opened_by_hand_never_continues_another_pupils_activation(
    browser, live_server, demo_accounts
):
    """The address bar leads straight to /educonnect/activation/ (or its form) in a new tab: the
    activation belongs to the tab it started in, the new tab ends it before showing anything."""
    first, second = [a for a in demo_accounts if a["role"] == "eleve" and a["password"]][:2]
    for account in (first, second):
        account["first_name"] = User.objects.get(username=account["identifier"]).first_name
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR")
    context.add_init_script(WATCH_FOR_THE_NAME % json.dumps(first["first_name"]))
    before = User.objects.get(username=first["identifier"])

    for path in ["/educonnect/activation/formulaire/", "/educonnect/activation/"]:
        leave_the_form_open(context, live_server, first)
        page = open_by_hand(context, live_server.url + path, first)
        # Ended for good: its addresses lead to the sign-in page.
        page.goto(f"{live_server.url}/educonnect/activation/formulaire/")
        expect(page).to_have_url(re.compile(r"/educonnect/login/$"))
        page.close()
    after = User.objects.get(username=first["identifier"])
    assert after.is_provisional and after.check_password(first["password"])
    assert field_values(after) == field_values(before)

    # The second pupil's own activation, in one tab, from the sign-in to « Votre compte est
    # créé »: every later page of that tab goes on (a reload too).
    page = context.new_page()
    sign_in_on(page, f"{live_server.url}/educonnect/login/", second)
    expect(page.get_by_text(f"Bonjour {second['first_name']}")).to_be_visible()
    page.reload()
    page.get_by_role("link", name="Créer mon compte").click()
    page.reload()
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Pas#Pareil33")
    fill_birth_date(page, second["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_text("Les deux mots de passe ne sont pas identiques.").first).to_be_visible()
    assert "/educonnect/activation/formulaire/" in page.url
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD)
    fill_birth_date(page, second["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    assert User.objects.get(username=second["identifier"]).check_password(GOOD_PASSWORD)
    context.close()


def test_a_link_opened_in_a_new_tab_is_a_new_tab(browser, live_server, demo_accounts):
    """What docs/enseignant.md says: the browser gives a tab opened from a link (Ctrl+clic, the
    middle button) nothing of its own tab's memory, so the activation ends there too, with the
    explanation; the tab it started in then leads to the sign-in page as well."""
    pupil = next(a for a in demo_accounts if a["role"] == "eleve" and a["password"])
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in_on(page, f"{live_server.url}/educonnect/login/", pupil)
    expect(page.get_by_text("Étape 2 sur 4")).to_be_visible()
    with context.expect_page() as opened:
        page.get_by_role("link", name="Créer mon compte").click(modifiers=["ControlOrMeta"])
    other = opened.value
    expect(other).to_have_url(re.compile(r"/educonnect/login/$"))
    expect(other.get_by_text("ne se poursuit que dans l'onglet où elle a commencé")).to_be_visible()
    page.get_by_role("link", name="Créer mon compte").click()
    expect(page).to_have_url(re.compile(r"/educonnect/login/$"))
    assert User.objects.get(username=pupil["identifier"]).is_provisional
    context.close()
