"""« Réinitialiser pour le groupe suivant »: a confirmation naming the class and its count;
for a practice class, the letters printed before work again for the next group."""

from django.urls import reverse

from audit.models import Action, AuditEvent
from tests.helpers import activate, letters_in, page_of, sign_in


def test_the_confirmation_names_the_class_and_counts_its_pupils(client_teacher, practice):
    school_class, _letters = practice
    page = page_of(client_teacher.get(reverse("classroom:reset", args=[school_class.pk])))
    assert "La classe Entraînement 1 (Collège Alfred Bruzet) compte 3 élèves." in page
    assert "le même courrier" in page
    assert not AuditEvent.objects.filter(action=Action.CLASS_RESET).exists()


def test_the_same_letter_works_again_after_a_reset(client, teacher, practice, pdf_of):
    school_class, letters = practice
    pupil = letters[0]
    # The first group: the pupil signs in with the letter and activates.
    response = sign_in(client, pupil.identifier, pupil.password)
    assert response["Location"] == reverse("accounts:activation_start")
    birth = pupil.user.birth_date.strftime("%d/%m/%Y")
    assert activate(client, birth_date=birth)["Location"] == reverse("accounts:activated")
    client.logout()
    # The teacher resets the class from « Mes classes ».
    client.force_login(teacher)
    url = reverse("classroom:reset", args=[school_class.pk])
    printed = letters_in(pdf_of(client, url, {"confirm": "yes"}))
    assert printed == {item.identifier: item.password for item in letters}
    assert AuditEvent.objects.filter(action=Action.CLASS_RESET, actor=teacher).count() == 1
    client.logout()
    # The next group: the same printed letter opens the account again.
    response = sign_in(client, pupil.identifier, pupil.password)
    assert response["Location"] == reverse("accounts:activation_start")
    assert activate(client, birth_date=birth)["Location"] == reverse("accounts:activated")


def test_a_real_class_gets_new_letters_on_reset(client_teacher, school_class, issued, pdf_of):
    url = reverse("classroom:reset", args=[school_class.pk])
    assert "Classe réelle" in page_of(client_teacher.get(url))
    printed = letters_in(pdf_of(client_teacher, url, {"confirm": "yes"}))
    assert set(printed) == {issued.identifier}
    assert printed[issued.identifier] != issued.password
