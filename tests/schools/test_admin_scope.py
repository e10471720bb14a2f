from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from pronote.models import Lesson, SchoolLifeEvent, Subject
from schools.models import Enrolment
from tests.factories import EstablishmentFactory, UserFactory
from tests.helpers import page_of


def test_staff_of_another_school_see_none_of_these_pupils_anywhere(client, pupil, school_class):
    subject = Subject.objects.create(name="Mathématiques")
    Lesson.objects.create(
        school_class=school_class,
        subject=subject,
        teacher="M. Secret",
        room="Z1",
        weekday=0,
        starts_at="08:00",
        ends_at="08:55",
    )
    SchoolLifeEvent.objects.create(
        pupil=pupil, kind="absence", starts_at=timezone.now(), reason="Motif confidentiel"
    )
    other = EstablishmentFactory(name="Lycée voisin")
    secretary = UserFactory(staff=True, username="secretariat7")
    secretary.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    Enrolment.objects.create(user=secretary, establishment=other, role="personnel")
    client.force_login(secretary)
    for url, secret in [
        (reverse("admin:schools_enrolment_changelist"), pupil.username),
        (reverse("admin:schools_schoolclass_changelist"), school_class.division),
        (reverse("admin:schools_establishment_changelist"), school_class.establishment.name),
        (reverse("admin:pronote_lesson_changelist"), "M. Secret"),
        (reverse("admin:pronote_schoollifeevent_changelist"), "Motif confidentiel"),
        (reverse("admin:accounts_user_changelist"), pupil.username),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert secret not in page_of(response), url
    assert "Lycée voisin" in page_of(client.get(reverse("admin:schools_establishment_changelist")))


def secretary_of(establishment, username, *codenames):
    user = UserFactory(staff=True, username=username)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    Enrolment.objects.create(user=user, establishment=establishment, role="personnel")
    return user


def test_a_secretary_cannot_make_anyone_superuser(client, establishment):
    secretary = secretary_of(establishment, "secretariat5", "view_user", "change_user")
    client.force_login(secretary)
    url = reverse("admin:accounts_user_change", args=[secretary.pk])
    client.post(
        url,
        {
            "username": secretary.username,
            "last_name": "X",
            "first_name": "Y",
            "role": "personnel",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
        },
    )
    secretary.refresh_from_db()
    assert not secretary.is_superuser


def test_actions_need_the_change_permission(client, establishment, charter, issued):
    from charter.models import Charter

    viewer = secretary_of(establishment, "secretariat6", "view_user", "view_charter")
    client.force_login(viewer)
    draft = Charter.objects.create(version=2, title="v2", body="texte")
    client.post(
        reverse("admin:charter_charter_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert not draft.is_published
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mark_departed", "_selected_action": [issued.user.pk]},
    )
    issued.user.refresh_from_db()
    assert issued.user.departed_at is None
    assert client.get(reverse("admin:accounts_user_import")).status_code == 403


def test_forms_offer_only_ones_own_classes_and_pupils(client, establishment, school_class):
    from tests.factories import SchoolClassFactory

    elsewhere = SchoolClassFactory(division="Classe d'ailleurs")
    secretary = secretary_of(establishment, "secretariat8", "add_lesson", "view_lesson")
    client.force_login(secretary)
    page = page_of(client.get(reverse("admin:pronote_lesson_add")))
    assert school_class.division in page
    assert elsewhere.division not in page
