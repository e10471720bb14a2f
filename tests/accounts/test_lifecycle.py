"""One place says where an account is in its life (docs/architecture.md, « La vie d'un
compte »): User.lifecycle_state()."""

import pytest

from accounts import lockout
from accounts.models import LifecycleState
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("traits", "state", "label"),
    [
        ({"pupil": True}, LifecycleState.NO_CREDENTIALS, "Sans identifiants provisoires"),
        ({"provisional": True}, LifecycleState.PROVISIONAL, "En attente d'activation"),
        ({"expired": True}, LifecycleState.EXPIRED, "Courrier expiré"),
        ({"activated": True}, LifecycleState.ACTIVE, "Compte activé"),
        ({"departed": True}, LifecycleState.DEPARTED, "Départ"),
    ],
)
def test_each_kind_of_account_is_in_its_state(db, traits, state, label):
    user = UserFactory(**traits)
    assert user.lifecycle_state() == state
    assert user.state_label() == label


def test_a_re_issued_letter_puts_an_activated_account_back_to_waiting(db):
    user = UserFactory(activated=True, provisional=True)
    assert user.lifecycle_state() == LifecycleState.PROVISIONAL


def test_a_lockout_shows_on_top_of_the_state_for_as_long_as_the_settings_say(db, settings):
    settings.LOCKOUT_SECONDS = 60
    user = UserFactory(activated=True)
    for _ in range(settings.LOCKOUT_MAX_FAILURES):
        lockout.register_failure(user.username)
    assert user.lifecycle_state() == LifecycleState.ACTIVE
    assert user.state_label() == "Compte bloqué (1 min)"
    settings.LOCKOUT_SECONDS = 30 * 60
    assert user.state_label() == "Compte bloqué (30 min)"
    assert UserFactory(departed=True, username=user.username + "x").state_label() == "Départ"
