from django.urls import reverse

from tests.factories import UserFactory
from tests.pronote.conftest import evaluation, mark


def test_marks_coefficients_class_averages_and_the_pupils_averages(
    in_pronote, pupil, school_class, subjects
):
    classmate = UserFactory()
    maths1 = evaluation(school_class, subjects["Mathématiques"], "Fractions", coefficient=2)
    maths2 = evaluation(school_class, subjects["Mathématiques"], "Calcul mental", out_of=10)
    french = evaluation(school_class, subjects["Français"], "Dictée")
    mark(maths1, pupil, "14")
    mark(maths1, classmate, "10")
    mark(maths2, pupil, "9")  # 18/20
    mark(maths2, classmate, "5")
    mark(french, pupil, None)  # absent
    mark(french, classmate, "12")
    html = in_pronote.get(reverse("pronote:grades")).content.decode()
    # Maths: (14×2 + 18×1) / 3 = 15.33 ; class (12×2 + 14×1) / 3 = 12.67
    assert "<strong>15.33</strong>" in html or "<strong>15,33</strong>" in html
    assert "12.67" in html or "12,67" in html
    assert "14/20" in html and "9/10" in html
    assert "Absent" in html
    # General average: only subjects with a mark count.
    assert 'id="overall"' in html
    assert "Moyenne générale : <strong>15" in html


def test_a_pupil_sees_only_their_own_marks(in_pronote, pupil, school_class, subjects):
    classmate = UserFactory()
    dictation = evaluation(school_class, subjects["Français"], "Dictée")
    only_theirs = evaluation(school_class, subjects["Anglais"], "Oral réservé")
    mark(dictation, pupil, "11")
    mark(dictation, classmate, "17.5")
    mark(only_theirs, classmate, "19")
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
        item = evaluation(school_class, subject, f"Évaluation {index}")
        mark(item, pupil, str(10 + index % 8))
        for classmate in classmates:
            mark(item, classmate, "12")
    with django_assert_max_num_queries(8):
        response = in_pronote.get(reverse("pronote:grades"))
    assert response.status_code == 200
    assert response.content.decode().count("/20</td>") == 12
