"""A teacher's account is created by the secretariat in the admin (« Ajouter », profil
« Enseignant »), with a letter, and activated like every account; the class chosen there is
theirs in « Mes classes ». A practice class is never offered there."""

import re

from django.urls import reverse

from accounts.models import User
from classroom.actions import do_create_practice_class
from schools.models import Role
from tests.helpers import activate, page_of, sign_in


def add_teacher(client, taught, **extra):
    """« Ajouter » in the admin, profil « Enseignant », with the class ``taught`` (``extra``
    overrides fields)."""
    return client.post(
        reverse("admin:accounts_user_add"),
        {
            "last_name": "Lambert",
            "first_name": "Dominique",
            "birth_date": "21/09/1984",
            "role": "enseignant",
            "establishment": taught.establishment.pk,
            "school_class": taught.pk,
            "email": "",
            **extra,
        },
    )


def test_the_secretariat_creates_a_teacher_who_activates_and_reaches_my_classes(
    client, secretary, school_class
):
    client.force_login(secretary)
    page = page_of(add_teacher(client, school_class))
    password = re.search(r'class="provisional-password">([^<]+)<', page).group(1)
    teacher = User.objects.get(username="d.lambert1")
    assert teacher.role == Role.TEACHER and not teacher.is_staff
    assert list(teacher.classes_taught.all()) == [school_class]
    # The secretariat sees the account, to give it a new letter one day.
    listing = page_of(client.get(reverse("admin:accounts_user_changelist")))
    assert "d.lambert1" in listing
    client.logout()
    assert sign_in(client, "d.lambert1", password)["Location"] == reverse(
        "accounts:activation_start"
    )
    assert activate(client, birth_date="21/09/1984")["Location"] == reverse("accounts:activated")
    response = client.get(reverse("classroom:classes"))
    assert response.status_code == 200 and "4e B" in page_of(response)


def test_a_practice_class_is_not_offered_for_a_real_person(client, secretary, school_class):
    practice, letters = do_create_practice_class(school_class.establishment, 1)
    client.force_login(secretary)
    form = page_of(client.get(reverse("admin:accounts_user_add")))
    assert "Entraînement 1" not in form
    response = add_teacher(client, school_class, role="eleve", school_class=practice.pk)
    assert response.status_code == 200 and "errorlist" in page_of(response)
    assert practice.enrolments.count() == len(letters) == 1
