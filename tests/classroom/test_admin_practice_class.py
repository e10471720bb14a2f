"""Practice classes in the admin's « Classes » (classroom/admin.py): created for an
establishment the staff member manages, with an optional teacher of that school, their
letters printed, deleted with their invented pupils; nobody else is put in them by hand."""

from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from schools.models import SchoolClass
from tests.factories import EstablishmentFactory, UserFactory, teacher_of
from tests.helpers import downloaded, job_token_in, letters_in, page_of

CREATE = "admin:schools_schoolclass_create_practice"


def test_staff_create_a_practice_class_with_a_teacher_then_print_its_letters(
    client, secretary, school_class
):
    teacher = teacher_of(school_class)
    client.force_login(secretary)
    changelist = page_of(client.get(reverse("admin:schools_schoolclass_changelist")))
    assert "Créer une classe d'entraînement" in changelist
    response = client.post(
        reverse(CREATE),
        {"establishment": school_class.establishment.pk, "count": 4, "teacher": teacher.pk},
    )
    page = page_of(response)
    practice = SchoolClass.objects.get(practice=True)
    assert "4 élèves inventés" in page and "Imprimer les courriers" in page
    assert list(practice.teachers.all()) == [teacher]
    url = reverse("admin:schools_schoolclass_practice_letters", args=[practice.pk])
    response = client.post(url, {"job_token": job_token_in(response), "par_page": "4"})
    assert len(letters_in(downloaded(client, response).content)) == 4


def test_staff_cannot_create_one_in_another_school_or_for_its_teacher(
    client, secretary, school_class
):
    other = EstablishmentFactory()
    client.force_login(secretary)
    response = client.post(reverse(CREATE), {"establishment": other.pk, "count": 4})
    assert response.status_code == 200 and "errorlist" in page_of(response)
    stranger = teacher_of(establishment=other)
    response = client.post(
        reverse(CREATE),
        {"establishment": school_class.establishment.pk, "count": 4, "teacher": stranger.pk},
    )
    assert "errorlist" in page_of(response)
    assert not SchoolClass.objects.filter(practice=True).exists()


def test_the_count_stays_within_1_to_40(client, secretary, establishment):
    client.force_login(secretary)
    for count in [0, 41]:
        response = client.post(reverse(CREATE), {"establishment": establishment.pk, "count": count})
        assert "errorlist" in page_of(response)
    assert not SchoolClass.objects.filter(practice=True).exists()


def test_staff_delete_a_practice_class_with_its_pupils_after_a_confirmation(
    client, secretary, school_class
):
    from classroom.actions import do_create_practice_class

    practice, letters = do_create_practice_class(school_class.establishment, 2)
    client.force_login(secretary)
    url = reverse("admin:schools_schoolclass_changelist")
    data = {"action": "delete_practice_classes", "_selected_action": [practice.pk, school_class.pk]}
    page = page_of(client.post(url, data))
    assert "2 élèves inventés" in page
    assert SchoolClass.objects.filter(pk=practice.pk).exists()
    client.post(url, {**data, "confirm": "yes"})
    assert not SchoolClass.objects.filter(pk=practice.pk).exists()
    assert SchoolClass.objects.filter(pk=school_class.pk).exists()  # a real class stays
    assert not User.objects.filter(pk__in=[item.user.pk for item in letters]).exists()
    assert AuditEvent.objects.filter(action=Action.PRACTICE_CLASS_DELETED, actor=secretary)


def test_nobody_is_enrolled_in_a_practice_class_by_hand(client, staff_user, school_class):
    from classroom.actions import do_create_practice_class

    practice, _letters = do_create_practice_class(school_class.establishment, 1)
    person = UserFactory(activated=True)
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:schools_enrolment_add"),
        {
            "user": person.pk,
            "establishment": school_class.establishment.pk,
            "school_class": practice.pk,
            "role": "eleve",
        },
    )
    assert "ne reçoit que ses élèves inventés" in page_of(response)
    assert not person.enrolments.filter(school_class=practice).exists()


def test_the_practice_flag_is_never_set_by_hand(client, staff_user, school_class):
    client.force_login(staff_user)
    url = reverse("admin:schools_schoolclass_change", args=[school_class.pk])
    response = client.post(
        url,
        {
            "establishment": school_class.establishment.pk,
            "division": "4e B bis",
            "practice": "on",
            "practice_until": "2030-01-01 00:00:00",
        },
    )
    assert response.status_code == 302  # saved, without the flag
    school_class.refresh_from_db()
    assert school_class.division == "4e B bis" and not school_class.practice


def test_a_class_offers_as_teachers_only_those_of_the_school(client, secretary, school_class):
    from django.contrib.auth.models import Permission

    ours = teacher_of(establishment=school_class.establishment, username="prof.ici")
    teacher_of(establishment=EstablishmentFactory(), username="prof.ailleurs")
    UserFactory(activated=True, school_class=school_class, username="eleve.ici")
    secretary.user_permissions.add(Permission.objects.get(codename="change_schoolclass"))
    client.force_login(secretary)
    page = page_of(client.get(reverse("admin:schools_schoolclass_change", args=[school_class.pk])))
    assert ours.username in page
    assert "prof.ailleurs" not in page and "eleve.ici" not in page
