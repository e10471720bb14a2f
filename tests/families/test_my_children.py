"""« Mon compte » › « Mes enfants »: grouping siblings that came on separate letters, and
« Je ne suis pas le représentant légal de cet élève »."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from families.models import ParentLink
from tests.factories import (
    PROVISIONAL_PASSWORD,
    EstablishmentFactory,
    ParentFactory,
    SchoolClassFactory,
    UserFactory,
)
from tests.helpers import page_of, sign_in


@pytest.fixture
def theo(school_class):
    return UserFactory(school_class=school_class, first_name="Théo", last_name="Counen")


@pytest.fixture
def lina(db):
    other = SchoolClassFactory(establishment=EstablishmentFactory(name="Cité scolaire Henri IV"))
    return UserFactory(school_class=other, first_name="Lina", last_name="Counen")


@pytest.fixture
def parent(theo):
    return ParentFactory(
        activated=True,
        first_name="Sandrine",
        last_name="Counen",
        username="s.counen1",
        children=[theo],
    )


@pytest.fixture
def other_letter(lina):
    """Sandrine's second letter, from Lina's school: not activated."""
    letter = ParentFactory(
        first_name="Sandrine", last_name="COUNEN", username="s.counen2", children=[lina]
    )
    letter.set_password(PROVISIONAL_PASSWORD)
    letter.provisional_issued_at = timezone.now()
    letter.provisional_expires_at = timezone.now() + timedelta(days=90)
    letter.save()
    return letter


@pytest.fixture
def parent_client(client, parent):
    client.force_login(parent)
    return client


def group(client, identifier="s.counen2", password=PROVISIONAL_PASSWORD):
    return client.post(
        reverse("families:children"), {"identifier": identifier, "password": password}
    )


def test_mes_enfants_lists_the_children_with_their_school(parent_client, theo):
    page = page_of(parent_client.get(reverse("families:children")))
    assert "Théo Counen" in page and "Collège Alfred Bruzet" in page
    assert "Ajouter des élèves depuis un autre compte" in page
    assert "Mes enfants" in page_of(parent_client.get(reverse("accounts:home")))


def test_another_letter_s_children_move_onto_this_account_and_it_closes(
    parent_client, parent, other_letter, theo, lina
):
    response = group(parent_client)
    assert response["Location"] == reverse("families:children")
    assert set(ParentLink.objects.filter(parent=parent).values_list("child", flat=True)) == {
        theo.pk,
        lina.pk,
    }
    assert parent.enrolments.filter(left_at__isnull=True).count() == 2
    other_letter.refresh_from_db()
    assert not other_letter.is_active and other_letter.departed_at is not None
    assert not other_letter.is_provisional
    page = page_of(parent_client.get(reverse("families:children")))
    assert "Lina Counen" in page and "Cité scolaire Henri IV" in page
    assert AuditEvent.objects.filter(action=Action.PARENT_ACCOUNTS_GROUPED).exists()
    parent_client.logout()
    assert sign_in(parent_client, "s.counen2", PROVISIONAL_PASSWORD).status_code == 200  # refused


def test_a_letter_in_another_name_is_refused(parent_client, lina):
    stranger = ParentFactory(
        first_name="Marc", last_name="Counen", username="m.counen1", children=[lina]
    )
    stranger.set_password(PROVISIONAL_PASSWORD)
    stranger.provisional_issued_at = timezone.now()
    stranger.provisional_expires_at = timezone.now() + timedelta(days=90)
    stranger.save()
    page = page_of(group(parent_client, "m.counen1"))
    assert "au nom d'une autre personne" in page
    assert ParentLink.objects.get(child=lina).parent == stranger


def test_a_wrong_password_is_refused_and_counts_towards_the_lockout(
    parent_client, other_letter, settings
):
    settings.LOCKOUT_MAX_FAILURES = 2
    page = page_of(group(parent_client, password="Mauvais2x9"))
    assert "Identifiant ou mot de passe provisoire incorrect" in page
    group(parent_client, password="Mauvais2x8")
    page = page_of(group(parent_client))  # the right one, now locked
    assert "Trop de tentatives" in page
    assert ParentLink.objects.filter(parent=other_letter).exists()


def test_an_unknown_identifier_gets_the_same_answer(parent_client, db):
    page = page_of(group(parent_client, identifier="x.inconnu1"))
    assert "Identifiant ou mot de passe provisoire incorrect" in page


def test_a_parent_reports_a_wrong_link_and_the_child_disappears(parent_client, parent, theo):
    url = reverse("families:report_wrong_link", args=[theo.pk])
    assert "Confirmer le signalement" in page_of(parent_client.get(url))
    response = parent_client.post(url, {"confirm": "yes"})
    assert response["Location"] == reverse("families:children")
    link = ParentLink.objects.get(parent=parent, child=theo)
    assert link.reported_wrong_at is not None
    assert "Théo" not in page_of(parent_client.get(reverse("families:children")))
    assert AuditEvent.objects.filter(action=Action.PARENT_LINK_REPORTED).exists()


def test_a_parent_cannot_report_someone_else_s_child(parent_client, lina):
    url = reverse("families:report_wrong_link", args=[lina.pk])
    assert parent_client.post(url, {"confirm": "yes"}).status_code == 404


def test_a_pupil_never_sees_the_parent_pages(client, theo):
    client.force_login(theo)
    assert client.get(reverse("families:children")).status_code == 404
    url = reverse("families:report_wrong_link", args=[theo.pk])
    assert client.get(url).status_code == 404
    assert "Mes enfants" not in page_of(client.get(reverse("accounts:home")))
