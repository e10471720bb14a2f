"""A mark is only for a pupil of the evaluation's class: in the admin (a French error under the
pupil) and in the model's own check."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pronote.models import Evaluation, Mark, Subject
from tests.factories import ParentFactory, SchoolClassFactory, UserFactory
from tests.helpers import page_of


@pytest.fixture
def evaluation(school_class):
    return Evaluation.objects.create(
        school_class=school_class,
        subject=Subject.objects.create(name="Mathématiques"),
        title="Fractions",
        date=timezone.localdate(),
    )


def _post_mark(client, evaluation, person):
    prefix = "marks"
    return client.post(
        reverse("admin:pronote_evaluation_change", args=[evaluation.pk]),
        {
            "school_class": evaluation.school_class.pk,
            "subject": evaluation.subject.pk,
            "title": evaluation.title,
            "date": evaluation.date.strftime("%d/%m/%Y"),
            "out_of": "20",
            "coefficient": "1",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-pupil": person.pk,
            f"{prefix}-0-value": "12",
        },
    )


@pytest.mark.parametrize("who", ["superuser", "parent", "pupil of another class"])
def test_the_admin_refuses_a_mark_for_someone_outside_the_class(
    client, staff_user, school_class, evaluation, who
):
    pupil = UserFactory(pupil=True, school_class=school_class)
    person = {
        "superuser": staff_user,
        "parent": ParentFactory(children=[pupil]),
        "pupil of another class": UserFactory(
            pupil=True,
            school_class=SchoolClassFactory(establishment=school_class.establishment),
        ),
    }[who]
    client.force_login(staff_user)
    response = _post_mark(client, evaluation, person)
    assert response.status_code == 200  # the form again, with its error
    assert "n'est pas un élève de la classe de l'évaluation" in page_of(response)
    assert not Mark.objects.exists()


def test_the_admin_saves_a_mark_for_a_pupil_of_the_class(
    client, staff_user, school_class, evaluation
):
    pupil = UserFactory(pupil=True, school_class=school_class)
    client.force_login(staff_user)
    assert _post_mark(client, evaluation, pupil).status_code == 302
    assert Mark.objects.get().pupil == pupil


def test_the_model_check_refuses_a_pupil_of_another_class(school_class, evaluation):
    other = UserFactory(pupil=True, school_class=SchoolClassFactory())
    with pytest.raises(ValidationError) as error:
        Mark(evaluation=evaluation, pupil=other, value=12).full_clean()
    assert "pupil" in error.value.message_dict
