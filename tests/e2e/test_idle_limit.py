"""The pending activation's idle limit in a real browser (templates/accounts/_idle_limit.html,
static/js/idle-limit.js): the note turns into an alert two minutes before the end, and not
before; « Je suis encore là » keeps what is typed, starts the limit again on the server and on
the page, and each change is announced once.

Nothing waits real time: the page's clock is Playwright's, paused before the first page and
moved by the test (page.clock); the server's is moved by ageing the moment the session last saw
the pupil (accounts.flows.activation.SEEN_AT), as if that many seconds had passed."""

import re
from datetime import datetime
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from accounts.flows.activation import SEEN_AT
from tests.helpers import GOOD_PASSWORD, fill_birth_date

pytestmark = pytest.mark.e2e

START = datetime(2026, 3, 2, 8, 0)
PAUSED = datetime(2026, 3, 2, 9, 0)  # ahead of START by far more than the time to pause
SECOND = 1000  # the page's clock counts milliseconds

# Runs in the page (synchronous): every later change of the box's text or of its role is
# written down, to count the announcements.
WATCH_THE_BOX = """() => {
  const box = document.getElementById("idle-limit");
  const text = document.getElementById("idle-limit-text");
  window.idleChanges = [];
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") {
        window.idleChanges.push("role=" + box.getAttribute("role"));
      } else if (record.target === text || text.contains(record.target)) {
        window.idleChanges.push("text=" + text.textContent);
      }
    }
  }).observe(box, {
    attributes: true, attributeFilter: ["role"], childList: true, characterData: true,
    subtree: true,
  });
}"""


def first_pupil(accounts):
    return next(a for a in accounts if a["role"] == "eleve" and a["password"])


def session_of(context):
    engine = import_module(django_settings.SESSION_ENGINE)
    cookie = next(c for c in context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME)
    return engine.SessionStore(session_key=cookie["value"])


def age_the_session(context, seconds):
    """The server's side of the clock: the pupil was last seen ``seconds`` earlier."""
    session = session_of(context)
    session[SEEN_AT] -= seconds
    session.save()


def open_the_activation_form(browser, live_server, account):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.clock.install(time=START)
    page.clock.pause_at(PAUSED)  # from now on, the page's time moves only when the test says
    page.goto(live_server.url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Activer votre compte", exact=True)).to_be_visible()
    return context, page


def expect_calm(box, text):
    expect(box).to_contain_text(text)
    expect(box).to_have_class(re.compile(r"\balert-info\b"))
    expect(box).not_to_have_class(re.compile(r"\balert-warning\b"))
    expect(box).not_to_have_attribute("role", "alert")


def expect_warning(box, text):
    expect(box).to_have_attribute("role", "alert")
    expect(box).to_contain_text(text)
    expect(box).to_have_class(re.compile(r"\balert-warning\b"))
    expect(box).not_to_have_class(re.compile(r"\balert-info\b"))


def test_the_warning_comes_on_time_and_je_suis_encore_la_keeps_the_form(
    browser, live_server, demo_accounts, settings
):
    settings.ACTIVATION_IDLE_SECONDS = 600  # the warning is due 8 minutes after the page
    warning = 480 * SECOND
    account = first_pupil(demo_accounts)
    context, page = open_the_activation_form(browser, live_server, account)
    box = page.locator("#idle-limit")
    page.evaluate(WATCH_THE_BOX)

    # 1. The calm note, still calm a second before the warning moment; the alert just after.
    expect_calm(box, "Sans activité pendant 10 minutes, l'activation s'arrête")
    expect(box).not_to_have_attribute("role", re.compile("."))  # a region, announced by none
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD)
    fill_birth_date(page, account["birth_date"])
    page.clock.run_for(warning - SECOND)
    assert page.evaluate("window.idleChanges") == []
    expect_calm(box, "Sans activité pendant 10 minutes")
    page.clock.run_for(2 * SECOND)
    expect_warning(box, "Plus que 2 minutes avant l'arrêt de l'activation, faute d'activité.")
    expect(page.get_by_role("alert").filter(has_text="Plus que 2 minutes")).to_have_count(1)
    soon = box.locator("#idle-limit-text").text_content()
    # 4. One announcement: the text and the role are set once, and stay so however long the
    # page waits (its clock only: the server's is moved below, on its own).
    page.clock.run_for(2 * warning)
    assert page.evaluate("window.idleChanges") == ["text=" + soon, "role=alert"]

    # 2. « Je suis encore là », 8 minutes later for the server too: what is typed stays, the
    # note is calm again and says so once, and the server has seen the pupil.
    age_the_session(context, 481)
    page.get_by_role("button", name="Je suis encore là").click()
    expect_calm(box, "reste ouverte 10 minutes de plus.")
    expect(box).to_contain_text("C'est noté")
    expect(box).to_have_attribute("role", "status")
    expect(page.get_by_label("Nouveau mot de passe", exact=True)).to_have_value(GOOD_PASSWORD)
    expect(page.get_by_label("Confirmez le nouveau mot de passe")).to_have_value(GOOD_PASSWORD)
    day, month, year = reversed(account["birth_date"].split("-"))
    expect(page.get_by_label("Jour", exact=True)).to_have_value(day)
    expect(page.get_by_label("Mois", exact=True)).to_have_value(month)
    expect(page.get_by_label("Année", exact=True)).to_have_value(year)
    renewed = box.locator("#idle-limit-text").text_content()
    assert page.evaluate("window.idleChanges")[2:] == ["role=status", "text=" + renewed]

    # 3. The page's timer starts again: nothing a second before the new warning moment, the
    # warning just after, announced once more.
    page.clock.run_for(warning - SECOND)
    assert len(page.evaluate("window.idleChanges")) == 4
    expect_calm(box, "C'est noté")
    page.clock.run_for(2 * SECOND)
    expect_warning(box, "Plus que 2 minutes")
    assert page.evaluate("window.idleChanges")[4:] == ["text=" + soon, "role=alert"]

    # The server's limit started again too: 8 more minutes later for it (16 since the form
    # came, past its 10), the form is still taken, with what was typed before.
    age_the_session(context, 481)
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    context.close()


def test_a_short_limit_warns_of_the_minute_that_is_left(
    browser, live_server, demo_accounts, settings
):
    """A limit of a minute and a half (ACTIVATION_IDLE_SECONDS): never « Plus que 2 minutes »,
    which would be more than the whole limit, but the last minute, when it comes."""
    settings.ACTIVATION_IDLE_SECONDS = 90
    context, page = open_the_activation_form(browser, live_server, first_pupil(demo_accounts))
    box = page.locator("#idle-limit")
    page.clock.run_for(29 * SECOND)
    expect_calm(box, "Sans activité pendant 1 minute, l'activation s'arrête")
    page.clock.run_for(2 * SECOND)
    expect_warning(box, "Plus que 1 minute avant l'arrêt de l'activation, faute d'activité.")
    context.close()


def test_je_suis_encore_la_too_late_says_why_the_activation_stopped(
    browser, live_server, demo_accounts, settings
):
    """Back after the limit, the pupil presses « Je suis encore là »: the sign-in page tells her
    the activation stopped for want of activity, as it does without JavaScript (the background
    request must not spend that message on a page nobody sees)."""
    settings.ACTIVATION_IDLE_SECONDS = 600
    context, page = open_the_activation_form(browser, live_server, first_pupil(demo_accounts))
    page.clock.run_for(700 * SECOND)
    age_the_session(context, 700)
    page.get_by_role("button", name="Je suis encore là").click()
    expect(
        page.get_by_text(re.compile("interrompue après 10 minutes sans activité"))
    ).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Identifiant"))).to_have_value("")
    context.close()
