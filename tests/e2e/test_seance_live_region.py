"""The séance's live region, in the admin and in the teacher's space (RGAA 7.3, 7.5, 12.8,
13.1): a refresh announces one short sentence, only when something changed; the keyboard
focus stays on the button the teacher was on; the automatic refresh can be paused."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts import lockout
from tests.factories import UserFactory, teacher_of
from tests.helpers import a_class_of_three, sign_in, signed_in_context

pytestmark = pytest.mark.e2e

# Counts the séance's timer ticks and polls (every fetch of the live part) and records each
# text the live region (role=status) takes, from the page's first script on.
WATCH = """
window.__polls = 0;
window.__ticks = 0;
const realSetInterval = window.setInterval;
window.setInterval = function (callback, ms) {
  return realSetInterval(() => { window.__ticks += 1; callback(); }, ms);
};
const realFetch = window.fetch;
window.fetch = function (...args) { window.__polls += 1; return realFetch.apply(this, args); };
window.__said = [];
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("#seance-live [role=status]");
  new MutationObserver(() => window.__said.push(status.textContent.trim()))
    .observe(status, {childList: true, characterData: true, subtree: true});
});
"""


def signed_in_page(browser, live_server, user):
    context, page = signed_in_context(browser, live_server, user, height=900)
    context.add_init_script(WATCH)
    return context, page


def polls_after(page, count):
    """Waits until the page has polled ``count`` more times."""
    start = page.evaluate("window.__polls")
    page.wait_for_function("(n) => window.__polls >= n", arg=start + count)


def check_the_live_region(page, url, pupils, button_id):
    page.goto(url)
    status = page.locator("#seance-live [role=status]")
    expect(status).to_have_text("0 sur 3 élèves dans PRONOTE, 0 à aider.")
    # Nothing but the one sentence is a live region: the class list is not re-read.
    assert page.locator("[aria-live]:not([role=status])").count() == 0
    polls_after(page, 2)  # polls that find nothing new say nothing
    assert page.evaluate("window.__said") == []

    # The teacher is on the last card's button; another pupil mistypes the password.
    last = pupils[-1]
    page.locator(f"#{button_id(last)}").focus()
    sign_in(Client(), pupils[0].username, "Mauvais#1")
    expect(status).to_have_text("0 sur 3 élèves dans PRONOTE, 1 à aider.")
    polls_after(page, 2)
    said = page.evaluate("window.__said")
    assert said == ["0 sur 3 élèves dans PRONOTE, 1 à aider."], said
    assert re.fullmatch(r"[^.]+\.", said[0])  # one sentence
    assert page.evaluate("document.activeElement.id") == button_id(last)
    # The card moved (the pupil who needs help comes first), the focus went with the id.
    expect(page.locator(f'.seance-card[data-pupil="{pupils[0].username}"]')).to_contain_text(
        "1 mot de passe erroné"
    )

    # « Mettre en pause la mise à jour automatique »: a toggle; pressed, nothing is fetched.
    pause = page.get_by_role("button", name="Mettre en pause la mise à jour automatique")
    expect(pause).to_have_attribute("aria-pressed", "false")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("Mise à jour automatique en pause.")).to_be_visible()  # in words too
    polled, ticks = page.evaluate("[window.__polls, window.__ticks]")
    sign_in(Client(), pupils[1].username, "Mauvais#1")
    page.wait_for_function("(n) => window.__ticks >= n", arg=ticks + 3)  # three turns of the timer
    assert page.evaluate("window.__polls") == polled
    expect(status).to_have_text("0 sur 3 élèves dans PRONOTE, 1 à aider.")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_text("Mise à jour automatique en pause.")).to_be_hidden()
    expect(status).to_have_text("0 sur 3 élèves dans PRONOTE, 2 à aider.")

    # The button the teacher is on goes (« Débloquer », once the pupil is unlocked elsewhere):
    # the focus stays on that pupil's card, not at the top of the page.
    locked = pupils[2]
    for _ in range(settings.LOCKOUT_MAX_FAILURES):
        sign_in(Client(), locked.username, "Mauvais#1")
    unlock = page.locator(f"#debloquer-{locked.pk}")
    unlock.focus()
    lockout.unlock(locked.username)
    expect(unlock).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == f"carte-{locked.pk}"


def test_the_admin_seance_says_one_sentence_keeps_the_focus_and_pauses(
    browser, live_server, charter
):
    school_class, pupils = a_class_of_three()
    staff = UserFactory(superuser=True, username="secretariat.seance")
    context, page = signed_in_page(browser, live_server, staff)
    check_the_live_region(
        page,
        f"{live_server.url}/admin/seance/{school_class.pk}/",
        pupils,
        lambda pupil: f"mot-de-passe-{pupil.pk}",
    )
    context.close()


def test_the_teachers_seance_says_one_sentence_keeps_the_focus_and_pauses(
    browser, live_server, charter
):
    school_class, pupils = a_class_of_three()
    teacher = teacher_of(school_class)
    context, page = signed_in_page(browser, live_server, teacher)
    check_the_live_region(
        page,
        f"{live_server.url}/enseignant/classe/{school_class.pk}/",
        pupils,
        lambda pupil: f"courrier-{pupil.pk}",
    )
    context.close()
