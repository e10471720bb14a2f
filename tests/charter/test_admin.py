from django.urls import reverse

from audit.models import AuditEvent
from charter.models import Charter
from charter.rules import needs_acceptance


def test_staff_publish_a_new_version_and_everyone_must_accept_it(
    client, staff_user, accepted, pupil
):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:charter_charter_add"),
        {"version": 2, "title": "Charte v2", "body": "Article 1 : respect."},
    )
    assert response.status_code == 302
    v2 = Charter.objects.get(version=2)
    assert not v2.is_published and not needs_acceptance(pupil)
    client.post(
        reverse("admin:charter_charter_changelist"),
        {"action": "publish", "_selected_action": [v2.pk]},
    )
    v2.refresh_from_db()
    assert v2.is_published and v2.published_by == staff_user
    assert needs_acceptance(pupil)
    assert AuditEvent.objects.filter(action="charter_published", actor=staff_user).exists()


def test_a_published_text_cannot_be_edited(client, staff_user, charter):
    client.force_login(staff_user)
    client.post(
        reverse("admin:charter_charter_change", args=[charter.pk]),
        {"version": 1, "title": "Autre", "body": "Texte changé"},
    )
    charter.refresh_from_db()
    assert charter.title == "Charte d'utilisation de l'ENT"
    assert "Texte changé" not in charter.body
