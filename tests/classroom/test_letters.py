"""« Imprimer les courriers » from the teacher's space: a confirmation, then the letters; the
same letters again for a practice class, new ones for a real class."""

from django.test import Client
from django.urls import reverse

from audit.models import Action, AuditEvent
from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, activate, letters_in, page_of, sign_in


def test_a_practice_class_gets_the_same_letters_every_time(client_teacher, practice, pdf_of):
    school_class, letters = practice
    url = reverse("classroom:letters", args=[school_class.pk])
    confirm = page_of(client_teacher.get(url))
    assert "les mêmes que la dernière fois" in confirm
    first = letters_in(pdf_of(client_teacher, url, {"confirm": "yes"}))
    again = letters_in(pdf_of(client_teacher, url, {"confirm": "yes"}))
    assert first == again == {item.identifier: item.password for item in letters}


def test_a_real_class_is_warned_then_gets_new_letters(
    client_teacher, teacher, school_class, pdf_of
):
    pupils = [UserFactory(provisional=True, school_class=school_class) for _ in range(2)]
    url = reverse("classroom:letters", args=[school_class.pk])
    assert "les anciens cessent de fonctionner" in page_of(client_teacher.get(url))
    printed = letters_in(pdf_of(client_teacher, url, {"confirm": "yes"}))
    assert set(printed) == {pupil.username for pupil in pupils}
    events = AuditEvent.objects.filter(action=Action.CREDENTIALS_REISSUED, actor=teacher)
    assert events.count() == 2


def test_nothing_is_issued_without_the_confirmation(client_teacher, practice):
    school_class, _letters = practice
    url = reverse("classroom:letters", args=[school_class.pk])
    response = client_teacher.post(url, {})
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=Action.CREDENTIALS_REISSUED).exists()


def test_printing_a_practice_class_again_touches_no_account(client_teacher, practice, pdf_of):
    """The same letters, printed again mid-lesson: a pupil who has activated keeps the password
    they chose, nothing is issued or audited as issued."""
    school_class, letters = practice
    pupil = letters[0]
    browser = Client()
    sign_in(browser, pupil.identifier, pupil.password)
    activate(browser, birth_date=pupil.user.birth_date.strftime("%d/%m/%Y"))
    issued_before = AuditEvent.objects.filter(
        action__in=[Action.CREDENTIALS_ISSUED, Action.CREDENTIALS_REISSUED]
    ).count()

    url = reverse("classroom:letters", args=[school_class.pk])
    printed = letters_in(pdf_of(client_teacher, url, {"confirm": "yes"}))

    assert printed == {item.identifier: item.password for item in letters}
    pupil.user.refresh_from_db()
    assert pupil.user.check_password(GOOD_PASSWORD) and pupil.user.activated_at is not None
    assert (
        AuditEvent.objects.filter(
            action__in=[Action.CREDENTIALS_ISSUED, Action.CREDENTIALS_REISSUED]
        ).count()
        == issued_before
    )
