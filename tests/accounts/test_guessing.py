"""Guessing limits found missing in an attack: birth dates across sign-ins, guesses in flight,
an activation left on screen after the account changed."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import lockout
from accounts.actions import do_issue_credentials, do_mark_departed
from accounts.hashers import OwaspArgon2PasswordHasher
from accounts.models import User
from audit.models import Action, AuditEvent
from tests.helpers import activate, page_of, sign_in

BLOCKED = "Trop de dates de naissance erronées : ce courrier est bloqué."


def test_wrong_birth_dates_count_across_sign_ins_and_block_the_letter(client, issued):
    """Signing in again with the letter does not start the guessing again (182 dates, then
    activated, in the attack): at 5 the letter is blocked until staff re-issue it."""
    for day in range(1, 6):
        if day in (1, 3, 5):  # a new sign-in now and then, as the attacker did
            client.cookies.clear()
            sign_in(client, issued.identifier, issued.password)
        response = activate(client, birth_date=f"{day:02d}/01/2011")
    page = page_of(client.get(reverse("account_login")))
    assert BLOCKED in page
    user = User.objects.get(pk=issued.user.pk)
    assert user.birth_date_failures == 5 and user.letter_blocked
    assert AuditEvent.objects.filter(action=Action.LETTER_BLOCKED, subject=user).count() == 1
    lockout.unlock(user.username)  # the identifier's own 15 minutes are not what holds it
    client.cookies.clear()
    response = sign_in(client, issued.identifier, issued.password)
    assert response.status_code == 200 and BLOCKED in page_of(response)
    assert "_auth_user_id" not in client.session
    # The right date is refused too now: only a new letter opens the way.
    new = do_issue_credentials(user)
    assert sign_in(client, new.identifier, new.password)["Location"] == reverse(
        "accounts:activation_start"
    )
    assert activate(client)["Location"] == reverse("accounts:activated")


def test_a_blocked_letter_is_not_said_to_a_wrong_password(client, issued):
    user = issued.user
    User.objects.filter(pk=user.pk).update(birth_date_failures=5)
    page = page_of(sign_in(client, issued.identifier, "Mauvais#1"))
    assert BLOCKED not in page and "Identifiant ou mot de passe incorrect." in page


def test_guesses_are_counted_before_the_password_is_checked(db):
    """Twenty guesses in flight at once: five get their password looked at, not ten."""
    allowed = [lockout.begin_attempt("t.counen1") for _ in range(20)]
    assert allowed.count(True) == settings.LOCKOUT_MAX_FAILURES
    assert allowed[: settings.LOCKOUT_MAX_FAILURES] == [True] * settings.LOCKOUT_MAX_FAILURES
    assert lockout.is_locked("t.counen1")


def test_a_sign_in_is_counted_before_its_password_is_verified(client, pupil, monkeypatch):
    seen = []
    verify = OwaspArgon2PasswordHasher.verify

    def spy(self, password, encoded):
        seen.append(lockout.cache.get(lockout._keys(pupil.username)[0]))
        return verify(self, password, encoded)

    monkeypatch.setattr(OwaspArgon2PasswordHasher, "verify", spy)
    sign_in(client, pupil.username, "Mauvais#1")
    assert seen == [1]


def test_the_right_password_after_a_few_failures_starts_the_count_again(client, pupil):
    from tests.helpers import GOOD_PASSWORD

    for _ in range(4):
        sign_in(client, pupil.username, "Mauvais#1")
    assert sign_in(client, pupil.username, GOOD_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, pupil.username, "Mauvais#1")
    assert not lockout.is_locked(pupil.username)


@pytest.mark.parametrize("change", ["reissue", "departed"])
def test_an_activation_left_on_screen_stops_when_the_account_changes(client, issued, change):
    """The letter was re-issued, or the pupil marked departed, while the form was open."""
    sign_in(client, issued.identifier, issued.password)
    assert client.get(reverse("accounts:activate")).status_code == 200
    if change == "reissue":
        do_issue_credentials(issued.user)
        message = "Un nouveau courrier a été émis pour ce compte"
    else:
        do_mark_departed(issued.user)
        message = "Ce compte est fermé."
    response = activate(client)
    assert response["Location"] == reverse("account_login")
    assert message in page_of(client.get(reverse("account_login")))
    user = User.objects.get(pk=issued.user.pk)
    assert user.is_provisional and user.activated_at is None
    assert not AuditEvent.objects.filter(action=Action.ACCOUNT_ACTIVATED).exists()
