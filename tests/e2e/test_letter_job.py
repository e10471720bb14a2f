"""The page that follows a class's letters while the worker prepares them: it says what is
prepared, moves by itself (a small script asks every 2 seconds) or with « Actualiser » without
JavaScript, holds together at every width, then offers the PDF once."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from staff.models import LetterBatch
from staff.tasks import make_letters
from tests.factories import SchoolClassFactory, UserFactory
from tests.helpers import LAYOUT_PROBLEMS, WIDTHS, letters_in

pytestmark = pytest.mark.e2e


def staff_page(browser, live_server, **options):
    teacher = UserFactory(superuser=True, username="prof.durand")
    client = Client()
    client.force_login(teacher)
    context = browser.new_context(locale="fr-FR", **options)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_job_page_follows_the_worker_then_offers_the_pdf(
    browser, live_server, establishment, javascript
):
    school_class = SchoolClassFactory(establishment=establishment, division="6e A")
    pupils = [UserFactory(school_class=school_class, last_name=f"Suivi{n}") for n in range(3)]
    page = staff_page(browser, live_server, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/admin/seance/{school_class.pk}/reinitialiser/")
    page.get_by_label("2 par page").check()
    page.get_by_role("button", name=re.compile("Oui, réinitialiser")).click()

    # Queued (no worker runs in this test): the page says what it waits for.
    expect(page.get_by_role("heading", name="Réinitialisation de la classe 6e A")).to_be_visible()
    expect(page.get_by_text("3 courriers en préparation (2 par page)")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/courriers/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems = page.evaluate(LAYOUT_PROBLEMS)
        assert not problems, f"at {width} px:\n" + "\n".join(problems[:10])

    make_letters.call(LetterBatch.objects.get().pk)  # what the worker does
    if not javascript:
        page.get_by_role("link", name="Actualiser").click()
    expect(page.get_by_text("3 courriers prêts")).to_be_visible()
    expect(page.locator("#letter-job-text")).to_have_text("3 mots de passe provisoires émis sur 3")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le PDF").click()
    letters = letters_in(open(download.value.path(), "rb").read())  # noqa: SIM115
    assert set(letters) == {pupil.username for pupil in pupils}
    page.reload()
    expect(page.get_by_text("déjà été téléchargés")).to_be_visible()
