"""« Supprimer la classe d'entraînement »: a confirmation, then the invented pupils' accounts
and the class are gone; a real class, or a real person, is never deleted this way."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.actions import do_delete_practice_class
from accounts.models import User
from audit.models import Action, AuditEvent
from schools.models import Enrolment, Role, SchoolClass
from tests.helpers import page_of


def test_it_deletes_the_class_and_its_invented_pupils_after_a_confirmation(
    client_teacher, teacher, practice
):
    school_class, letters = practice
    url = reverse("classroom:delete", args=[school_class.pk])
    assert "Les comptes de ses 3 élèves inventés sont supprimés" in page_of(client_teacher.get(url))
    assert SchoolClass.objects.filter(pk=school_class.pk).exists()
    response = client_teacher.post(url, {"confirm": "yes"})
    assert response["Location"] == reverse("classroom:classes")
    assert not SchoolClass.objects.filter(pk=school_class.pk).exists()
    assert not User.objects.filter(pk__in=[item.user.pk for item in letters]).exists()
    event = AuditEvent.objects.get(action=Action.PRACTICE_CLASS_DELETED)
    assert event.actor == teacher and event.details["pupils"] == 3
    # The audit trail keeps the pupils' rows, without their identifiers.
    assert not AuditEvent.objects.filter(subject_label=letters[0].identifier).exists()
    page = page_of(client_teacher.get(response["Location"]))
    assert "Classe « Entraînement 1 » supprimée." in page


def test_the_action_refuses_a_real_class(school_class, issued):
    with pytest.raises(ValidationError, match="réelle"):
        do_delete_practice_class(school_class)
    assert User.objects.filter(pk=issued.user.pk).exists()


def test_a_real_person_put_in_a_practice_class_is_never_deleted_with_it(practice, issued):
    school_class, _letters = practice
    # Also in a real class of the school: not an invented pupil.
    Enrolment.objects.create(
        user=issued.user,
        establishment=school_class.establishment,
        school_class=school_class,
        role=Role.PUPIL,
        left_at="2020-01-01T00:00:00Z",
    )
    do_delete_practice_class(school_class)
    assert User.objects.filter(pk=issued.user.pk).exists()
