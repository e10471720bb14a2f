import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient
from django.urls import reverse

from accounts import lockout
from accounts.hashers import OwaspArgon2PasswordHasher
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, GUARD_SECONDS, activate, page_of, redis_url, sign_in

TEMPORARY = "bloquée pendant 15 minutes. C'est temporaire"
ROOT = Path(__file__).resolve().parents[2]


def test_guesses_past_both_limits_get_five_evaluations_and_never_sign_in(
    client, pupil, monkeypatch, settings
):
    """Twice the address's limit of guesses (lowered to 20 from 600, its hour-long window
    never turns during the test): the identifier locks at 5, then the address is slowed down."""
    settings.SIGN_INS_PER_ADDRESS_PER_WINDOW = 20
    settings.THROTTLE_WINDOW_SECONDS = 3600
    evaluated = []
    verify = OwaspArgon2PasswordHasher.verify
    monkeypatch.setattr(
        OwaspArgon2PasswordHasher,
        "verify",
        lambda self, password, encoded: evaluated.append(1) or verify(self, password, encoded),
    )
    for attempt in range(2 * settings.SIGN_INS_PER_ADDRESS_PER_WINDOW):
        response = sign_in(client, pupil.username, f"Essai#{attempt}")
        # Refused by the identifier's lock, then by the address's attempts per window.
        assert response.status_code in (200, 429)
    assert len(evaluated) <= 5
    assert AuditEvent.objects.filter(action="address_slowed_down").count() == 1
    assert "_auth_user_id" not in client.session
    other_address = client.__class__(REMOTE_ADDR="192.0.2.50")
    page = page_of(sign_in(other_address, pupil.username, GOOD_PASSWORD))
    assert TEMPORARY in page  # from another address too: the lock is on the identifier
    assert AuditEvent.objects.filter(action="sign_in_failed", subject=pupil).count() == 5
    assert AuditEvent.objects.filter(action="locked_out", subject=pupil).count() == 1


def test_an_unknown_identifier_is_blocked_the_same_way(client, db):
    for _ in range(5):
        sign_in(client, "x.personne1", "Essai#1")
    page = page_of(sign_in(client, "x.personne1", "Essai#1"))
    assert TEMPORARY in page


def test_the_typed_identifier_of_an_unknown_account_is_not_stored(client, db):
    sign_in(client, "Motdepasse#Secret9", "x")
    event = AuditEvent.objects.get(action="sign_in_failed")
    assert "Secret9" not in event.subject_label.lower() + str(event.details).lower()


def test_the_block_ends_by_itself(client, pupil, settings):
    """The block is a cache entry that expires after LOCKOUT_SECONDS: its expiry is checked,
    then brought to now (no waiting on the clock), and the cache ends it by itself."""
    for _ in range(5):
        sign_in(client, pupil.username, "Essai#1")
    assert "C'est temporaire" in page_of(sign_in(client, pupil.username, GOOD_PASSWORD))
    key = cache.make_and_validate_key(lockout._keys(pupil.username)[1])
    if isinstance(cache._cache, RedisCacheClient):
        redis = cache._cache.get_client(key, write=True)
        assert 0 < redis.ttl(key) <= settings.LOCKOUT_SECONDS
        redis.pexpire(key, 1)
        while redis.exists(key):  # Redis expires it; a slow machine only waits longer
            time.sleep(0.01)
    else:
        with cache._lock:
            assert 0 < cache._expire_info[key] - time.time() <= settings.LOCKOUT_SECONDS
            cache._expire_info[key] = time.time() - 1
    assert sign_in(client, pupil.username, GOOD_PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, pupil):
    for _ in range(4):
        sign_in(client, pupil.username, "Essai#1")
    assert sign_in(client, pupil.username, GOOD_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, pupil.username, "Essai#1")
    assert sign_in(client, pupil.username, GOOD_PASSWORD).status_code == 302


def test_staff_unlock_from_the_admin(client, pupil, staff_user):
    for _ in range(5):
        sign_in(client, pupil.username, "Essai#1")
    assert lockout.is_locked(pupil.username)
    client.force_login(staff_user)
    changelist = client.get(reverse("admin:accounts_user_changelist"))
    assert "Compte bloqué (15 min)" in page_of(changelist)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock", "_selected_action": [pupil.pk]},
    )
    client.logout()
    assert sign_in(client, pupil.username, GOOD_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="unlocked", subject=pupil, actor=staff_user).exists()


def test_wrong_birth_dates_during_activation_block_the_letter(client, issued):
    """Five wrong dates block the letter itself until staff re-issue it (tests/accounts/
    test_guessing.py): a lockout of 15 minutes would only slow the guessing down."""
    blocked = "Trop de dates de naissance erronées : ce courrier est bloqué."
    sign_in(client, issued.identifier, issued.password)
    for _ in range(4):
        assert activate(client, birth_date="01/01/2000").status_code == 200
    response = activate(client, birth_date="02/01/2000")
    assert response.status_code == 302
    assert blocked in page_of(client.get(response["Location"]))
    assert blocked in page_of(sign_in(client, issued.identifier, issued.password))
    assert (
        AuditEvent.objects.filter(
            action="activation_birth_date_mismatch", subject=issued.user
        ).count()
        == 5
    )


def test_one_address_cannot_try_many_identifiers(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/m/ip"}
    users = UserFactory.create_batch(11)
    for user in users[:10]:
        sign_in(client, user.username, "Essai#1")
    page = page_of(sign_in(client, users[10].username, GOOD_PASSWORD))
    assert TEMPORARY in page


SCRIPT = """
import django, sys
django.setup()
from accounts import lockout
if sys.argv[1] == "fail":
    for _ in range(3):
        lockout.register_failure("t.counen1")
elif sys.argv[1] == "reset":
    lockout.unlock("t.counen1")
print("locked" if lockout.is_locked("t.counen1") else "open")
"""


@pytest.mark.skipif(redis_url() is None, reason="needs a Redis server (REDIS_URL)")
def test_the_limit_holds_across_two_worker_processes():
    env = {**os.environ, "REDIS_URL": redis_url(), "DJANGO_SETTINGS_MODULE": "tests.settings"}

    def run(*args):
        return subprocess.Popen(
            [sys.executable, "-c", SCRIPT, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )

    assert run("reset").communicate(timeout=GUARD_SECONDS)[0].strip() == "open"
    first, second = run("fail"), run("fail")  # 3 failures each, at the same time
    first.communicate(timeout=GUARD_SECONDS)
    second.communicate(timeout=GUARD_SECONDS)
    assert run("check").communicate(timeout=GUARD_SECONDS)[0].strip() == "locked"
    run("reset").communicate(timeout=GUARD_SECONDS)
