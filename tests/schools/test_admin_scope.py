from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from pronote.models import Lesson, SchoolLifeEvent, Subject
from schools.models import Enrolment
from tests.factories import EstablishmentFactory, staff_member
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
    secretary = staff_member(username="secretariat7")
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
