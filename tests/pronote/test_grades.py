from decimal import Decimal

from django.urls import reverse

from tests.factories import EvaluationFactory, MarkFactory, UserFactory


def test_marks_coefficients_class_averages_and_the_pupils_averages(
    in_pronote, pupil, school_class, subjects
):
    classmate = UserFactory()
    maths1 = EvaluationFactory(
        school_class=school_class,
        subject=subjects["Mathématiques"],
        title="Fractions",
        coefficient=2,
    )
    maths2 = EvaluationFactory(
        school_class=school_class,
        subject=subjects["Mathématiques"],
        title="Calcul mental",
        out_of=10,
    )
    french = EvaluationFactory(
        school_class=school_class, subject=subjects["Français"], title="Dictée"
    )
    MarkFactory(evaluation=maths1, pupil=pupil, value=Decimal("14"))
    MarkFactory(evaluation=maths1, pupil=classmate, value=Decimal("10"))
    MarkFactory(evaluation=maths2, pupil=pupil, value=Decimal("9"))  # 18/20
    MarkFactory(evaluation=maths2, pupil=classmate, value=Decimal("5"))
    MarkFactory(evaluation=french, pupil=pupil, value=None)  # absent
    MarkFactory(evaluation=french, pupil=classmate, value=Decimal("12"))
    html = in_pronote.get(reverse("pronote:grades")).content.decode()
    # Maths: (14×2 + 18×1) / 3 = 15.33 ; class (12×2 + 14×1) / 3 = 12.67
    assert "<strong>15.33</strong>" in html or "<strong>15,33</strong>" in html
    assert "12.67" in html or "12,67" in html
    assert "14/20" in html and "9/10" in html
    assert "Absence" in html
    # General average: only subjects with a mark count.
    assert 'id="overall"' in html
    assert "Moyenne générale\u00a0: <strong>15" in html


def test_a_pupil_sees_only_their_own_marks(in_pronote, pupil, school_class, subjects):
    classmate = UserFactory()
    dictation = EvaluationFactory(
        school_class=school_class, subject=subjects["Français"], title="Dictée"
    )
    only_theirs = EvaluationFactory(
        school_class=school_class, subject=subjects["Anglais"], title="Oral réservé"
    )
    MarkFactory(evaluation=dictation, pupil=pupil, value=Decimal("11"))
    MarkFactory(evaluation=dictation, pupil=classmate, value=Decimal("17.5"))
    MarkFactory(evaluation=only_theirs, pupil=classmate, value=Decimal("19"))
    html = in_pronote.get(reverse("pronote:grades")).content.decode()
    assert "11/20" in html
    assert "17.5/20" not in html and "17,5/20" not in html
    assert "Oral réservé" not in html


def test_the_grades_page_queries_do_not_grow_with_marks_or_pupils(
    in_pronote, pupil, school_class, subjects, django_assert_max_num_queries
):
    classmates = [UserFactory() for _ in range(15)]
    for index in range(12):
        subject = list(subjects.values())[index % 3]
        item = EvaluationFactory(
            school_class=school_class, subject=subject, title=f"Évaluation {index}"
        )
        MarkFactory(evaluation=item, pupil=pupil, value=Decimal(str(10 + index % 8)))
        for classmate in classmates:
            MarkFactory(evaluation=item, pupil=classmate, value=Decimal("12"))
    with django_assert_max_num_queries(8):
        response = in_pronote.get(reverse("pronote:grades"))
    assert response.status_code == 200
    assert response.content.decode().count("/20</td>") == 12
