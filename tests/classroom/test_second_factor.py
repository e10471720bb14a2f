"""The teachers' second factor (accounts/mfa.py, docs/securite.md): in production, a teacher
of a real class has power over real pupils' accounts and must use TOTP before « Mes classes »
opens; with practice classes only, or outside production, no second factor is asked."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts.mfa import teacher_needs_second_factor
from tests.factories import teacher_of
from tests.helpers import GOOD_PASSWORD, sign_in


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    return settings


def test_in_production_a_teacher_of_a_real_class_must_set_up_totp(
    production, client_teacher, teacher
):
    assert teacher_needs_second_factor(teacher)
    response = client_teacher.get(reverse("classroom:classes"))
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page exists for teachers (allauth may first ask for the password again).
    assert client_teacher.get(reverse("mfa_activate_totp")).status_code != 404


def test_with_a_totp_key_the_space_opens_and_the_sign_in_asks_for_the_code(
    production, client, teacher
):
    TOTP.activate(teacher, generate_totp_secret())
    assert sign_in(client, teacher.username, GOOD_PASSWORD)["Location"] == reverse(
        "mfa_authenticate"
    )
    client.force_login(teacher)
    assert client.get(reverse("classroom:classes")).status_code == 200


def test_a_teacher_of_practice_classes_only_needs_no_second_factor(
    production, client, school_class
):
    from classroom.actions import do_create_practice_class

    teacher = teacher_of(establishment=school_class.establishment)
    do_create_practice_class(school_class.establishment, 1, teacher=teacher)
    assert not teacher_needs_second_factor(teacher)
    client.force_login(teacher)
    assert client.get(reverse("classroom:classes")).status_code == 200


def test_outside_production_no_teacher_is_asked(client_teacher, teacher):
    assert not teacher_needs_second_factor(teacher)
    assert client_teacher.get(reverse("classroom:classes")).status_code == 200


def test_in_classroom_mode_no_teacher_is_asked(settings, teacher):
    """DJANGO_ENV=classroom (make classroom): a laptop serving one lesson of training data."""
    settings.DJANGO_ENV, settings.PRODUCTION, settings.CLASSROOM = "classroom", False, True
    assert not teacher_needs_second_factor(teacher)
