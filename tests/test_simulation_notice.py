"""Every page says that this is a training simulation (docs/securite.md, « Une simulation, et
elle le dit »)."""

import pytest
from django.urls import reverse

from accounts.views import HELP_PAGES
from pronote.models import FirstVisit
from tests.helpers import page_of

NOTICE = "N'y saisissez jamais vos vrais identifiants EduConnect, ENT ou PRONOTE."

PUBLIC = [
    reverse("portal:landing"),
    reverse("portal:profile_choice"),
    reverse("portal:profile_info", args=["enseignant"]),
    reverse("account_login"),
    reverse("account_signup"),
    reverse("account_reset_password"),
    reverse("charter:read", args=[1]),
    reverse("families:demo_phone"),
    reverse("families:demo_phone") + "?numero=0639980001",
    reverse("accounts:demo_mailbox"),
    reverse("accounts:demo_mailbox") + "?adresse=parent@exemple.test",
    reverse("account_reset_password_done"),
    *[reverse("accounts:help", args=[slug]) for slug in HELP_PAGES],
]

SIGNED_IN = [
    reverse("portal:services"),
    reverse("portal:contact"),
    reverse("portal:not_simulated", args=["orientation"]),
    reverse("accounts:home"),
    reverse("accounts:activated"),
    reverse("portal:ent_home"),
    reverse("pronote:timetable"),
    reverse("pronote:grades"),
    reverse("pronote:homework"),
    reverse("pronote:school_life"),
    reverse("account_logout"),
]


def assert_no_template_syntax(response):
    """A {# comment #} spread over two lines is printed on the page, not hidden."""
    html = response.content.decode()
    for mark in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert mark not in html, (mark, html[max(0, html.find(mark) - 200) :][:400])


def test_no_template_comment_spreads_over_two_lines():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    for path in root.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "{#" in line:
                assert "#}" in line[line.index("{#") :], f"{path.relative_to(root)}:{number}"


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_carry_the_notice(client, charter, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert NOTICE in page_of(response)
    assert_no_template_syntax(response)


@pytest.mark.parametrize("url", SIGNED_IN)
def test_pages_of_a_signed_in_pupil_carry_the_notice(accepted, pupil, url):
    FirstVisit.objects.create(user=pupil)
    response = accepted.get(url)
    assert response.status_code == 200, url
    assert NOTICE in page_of(response)
    assert_no_template_syntax(response)


def test_the_charter_and_the_activation_pages_carry_the_notice(client, charter, pupil):
    from accounts.actions import do_create_account
    from tests.helpers import sign_in

    issued = do_create_account(
        first_name="Inès",
        last_name="Benali",
        birth_date=pupil.birth_date,
        establishment=pupil.enrolments.get().establishment,
    )
    sign_in(client, issued.identifier, issued.password)
    for url in [reverse("accounts:activation_start"), reverse("accounts:activate")]:
        assert NOTICE in page_of(client.get(url))
    client.force_login(pupil)
    assert NOTICE in page_of(client.get(reverse("charter:accept")))


def test_admin_pages_carry_the_notice(client, staff_user):
    client.force_login(staff_user)
    for url in [reverse("admin:index"), reverse("admin:accounts_user_changelist")]:
        assert NOTICE in page_of(client.get(url))


def test_the_persons_own_header_is_each_requests_own(client, db):
    """One person's name never shows on the next person's page; notice and footer on both."""
    from tests.factories import UserFactory

    first, second = UserFactory(username="a.premier1"), UserFactory(username="b.second1")
    pages = []
    for user in (first, second):
        client.force_login(user)
        pages.append(page_of(client.get(reverse("portal:services"))))
    assert "a.premier1" in pages[0] and "a.premier1" not in pages[1]
    assert "b.second1" in pages[1]
    assert all(NOTICE in page and "Mentions légales" in page for page in pages)


def test_error_pages_are_french_and_carry_the_notice(client, db, rf):
    """Django's own error pages are English and plain: a pupil who mistypes an address, or
    whose form has expired, gets ours."""
    from django.core.exceptions import PermissionDenied, SuspiciousOperation
    from django.test import Client
    from django.views import defaults

    missing = client.get("/page-qui-n-existe-pas/")
    assert missing.status_code == 404 and "Page introuvable" in page_of(missing)
    expired = Client(enforce_csrf_checks=True).post(
        reverse("account_login"), {"login": "t.counen1", "password": "x"}
    )
    assert expired.status_code == 403 and "Page expirée" in page_of(expired)
    request = rf.get("/")
    request.user = None
    refused = defaults.permission_denied(request, PermissionDenied())
    bad = defaults.bad_request(request, SuspiciousOperation())
    error = defaults.server_error(request)  # rendered without the request's context
    for response, title in [(refused, "Accès refusé"), (bad, "Demande incorrecte")] + [
        (error, "Erreur du site")
    ]:
        assert title in response.content.decode()
    nul = client.get(reverse("portal:landing"), {"q": "a\x00"})  # no database stores it
    cas_login = client.get("/cas/login", {"service": "a\x00"})  # CAS validation: XML (idp tests)
    for response in (nul, cas_login):
        assert response.status_code == 400 and "Demande incorrecte" in page_of(response)
    for response in (missing, expired, refused, bad, error, nul, cas_login):
        assert NOTICE in page_of(response), response.status_code


def test_the_notice_is_a_landmark_that_a_screen_reader_user_meets(client, db):
    """A region with a name, outside no landmark: moving from landmark to landmark meets it."""
    page = page_of(client.get(reverse("account_login")))
    assert '<section class="simulation-notice" aria-label="Avertissement : simulation">' in page
