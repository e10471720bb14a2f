import pytest
from django.urls import reverse

from audit.models import AuditEvent
from charter.models import Acceptance, Charter
from tests.helpers import page_of


def test_the_page_shows_the_seed_charter_and_its_labels(client_pupil, charter):
    page = page_of(client_pupil.get(reverse("charter:accept")))
    for text in [
        "Charte d'utilisation de l'ENT",
        "Charte d'utilisation de l'espace numérique de travail",
        "Faites descendre l'ascenseur pour obtenir le bas du texte",
        "J'ai lu et j'accepte les conditions ci-dessus",
        "Valider",
        "Je refuse",
        "D. ANTOINE",
        "Simulation de formation.",
    ]:
        assert text in page, text


def test_validating_without_the_tick_is_refused_clearly(client_pupil, pupil, charter):
    response = client_pupil.post(reverse("charter:accept"), {})
    assert response.status_code == 200
    page = page_of(response)
    assert "faites défiler le texte de la charte jusqu'en bas" in page
    assert "Cochez « J'ai lu et j'accepte les conditions ci-dessus »" in page
    assert not Acceptance.objects.exists()


def test_accepting_records_who_when_where_and_goes_back_to_next(client_pupil, pupil, charter):
    next_url = reverse("pronote:grades")
    response = client_pupil.post(
        reverse("charter:accept"),
        {"accept": "on", "next": next_url},
        HTTP_USER_AGENT="Navigateur de test",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    acceptance = Acceptance.objects.get()
    assert (acceptance.user, acceptance.charter) == (pupil, charter)
    assert acceptance.ip == "192.0.2.7"
    assert acceptance.user_agent == "Navigateur de test"
    event = AuditEvent.objects.get(action="charter_accepted")
    assert event.subject == pupil and event.details == {"charter_version": 1}


def test_accepting_twice_keeps_one_record(client_pupil, pupil, charter):
    from charter.actions import do_accept_charter

    do_accept_charter(pupil, charter)
    do_accept_charter(pupil, charter)
    assert Acceptance.objects.count() == 1
    assert AuditEvent.objects.filter(action="charter_accepted").count() == 1


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "\\\\evil.example",
        ":",
        "0",
    ],
)
def test_an_unsafe_next_is_refused(client_pupil, charter, next_url):
    response = client_pupil.post(reverse("charter:accept"), {"accept": "on", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:ent_home")


def test_an_unsafe_next_is_not_even_put_in_the_form(client_pupil, charter):
    page = page_of(client_pupil.get(reverse("charter:accept") + "?next=https://evil.example/"))
    assert "evil.example" not in page


def test_refusing_signs_out_with_an_explanation(client_pupil, charter):
    response = client_pupil.post(reverse("charter:refuse"), follow=True)
    assert "_auth_user_id" not in client_pupil.session
    page = page_of(response)
    assert "Vous avez refusé la charte" in page
    assert not Acceptance.objects.exists()


def test_refusing_needs_a_post(client_pupil, charter):
    assert client_pupil.get(reverse("charter:refuse")).status_code == 405


def test_the_markdown_is_sanitised(client_pupil, db):
    Charter.objects.all().delete()
    Charter.objects.create(
        version=9,
        title="Piégée",
        published_at="2026-01-01T00:00:00Z",
        body="**gras** <script>alert(1)</script> [lien](javascript:alert(2)) "
        '<img src=x onerror="alert(3)">',
    )
    page = page_of(client_pupil.get(reverse("charter:accept")))
    assert "<strong>gras</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:alert(2)" not in page
    assert "onerror" not in page


def test_a_user_who_accepted_is_sent_on(accepted):
    response = accepted.get(reverse("charter:accept"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:ent_home")


def test_a_new_version_says_that_the_charter_changed(accepted, pupil):
    from charter.actions import do_publish_charter

    do_publish_charter(Charter.objects.create(version=2, title="Charte v2", body="Texte"))
    page = page_of(accepted.get(reverse("charter:accept")))
    assert "La charte a changé (version 2)" in page


def test_any_published_version_can_be_read(client, charter):
    response = client.get(reverse("charter:read", args=[1]))
    assert response.status_code == 200
    assert client.get(reverse("charter:read", args=[99])).status_code == 404


def test_the_charters_parts_are_headings_and_its_misprint_is_fixed(client_pupil, charter):
    page = page_of(client_pupil.get(reverse("charter:accept")))
    assert "<h3>Charte d'utilisation de l'espace numérique de travail</h3>" in page
    assert "<h3>Il est tout d'abord rappelé la nécessité de respecter la législation</h3>" in page
    assert "C-après" not in page and "Ci-après dénommé" in page
    assert "<strong>IL EST" not in page


def test_the_disabled_box_is_tied_to_its_reason(client_pupil, charter):
    page = page_of(client_pupil.get(reverse("charter:accept")))
    assert 'aria-describedby="charter-scroll-note"' in page
    assert "La case devient cochable une fois le texte lu jusqu'en bas" in page
    assert "se coche" not in page
