"""A classroom computer is shared: two pupils, one browser (one context, one session cookie).
The first closes the tab in the middle of the activation; the second opens the sign-in page in
a new tab and must meet an empty sign-in, never the first pupil's name."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

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
