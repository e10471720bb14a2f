"""Per-address limits stop spraying without locking a class out (a school is one address)."""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from accounts import lockout
from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, GUARD_SECONDS, page_of, sign_in

SLOWED = "patientez"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The limits' own clock, held still: a test that ran across the turn of a minute would
    count its attempts in two buckets. ``clock[0] += 60`` moves it on."""
    from types import SimpleNamespace

    from accounts import throttle

    now = [1_800_000_000.0]
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def spray(client, count):
    for n in range(count):
        sign_in(client, f"x.inconnu{n}", "Essai#1")


def test_300_sprayed_attempts_lock_no_pupil_out(db, settings):
    """After 300 guesses from the school's address, a pupil who signed in on this browser
    before goes in at once; one who never did is asked to wait a short while, told why, and
    is never told that the identifier is blocked."""
    known, new = UserFactory(activated=True), UserFactory(activated=True)
    for user in (known, new):
        user.set_password(GOOD_PASSWORD)
        user.save()
    classroom = Client()
    assert sign_in(classroom, known.username, GOOD_PASSWORD).status_code == 302
    classroom.post(reverse("account_logout"))  # as a pupil does: the browser keeps its cookies
    spray(Client(), 300)

    assert sign_in(classroom, known.username, GOOD_PASSWORD)["Location"] == reverse(
        "portal:services"
    )
    other = Client()
    page = page_of(sign_in(other, new.username, GOOD_PASSWORD))
    assert SLOWED in page and "n'est pas bloqué" in page
    assert "bloquée pendant" not in page
    assert not lockout.is_locked(new.username) and not lockout.is_locked(known.username)


def test_the_slow_down_ends_with_its_window(db, settings, clock):
    user = UserFactory(activated=True)
    user.set_password(GOOD_PASSWORD)
    user.save()
    spray(Client(), settings.FAILURES_PER_ADDRESS_PER_WINDOW)
    assert SLOWED in page_of(sign_in(Client(), user.username, GOOD_PASSWORD))
    clock[0] += settings.THROTTLE_WINDOW_SECONDS
    assert sign_in(Client(), user.username, GOOD_PASSWORD).status_code == 302


def test_a_forged_device_cookie_is_worth_nothing(db, settings):
    user = UserFactory(activated=True)
    user.set_password(GOOD_PASSWORD)
    user.save()
    spray(Client(), settings.FAILURES_PER_ADDRESS_PER_WINDOW)
    client = Client()
    client.cookies["ent_appareil"] = "forged"
    assert SLOWED in page_of(sign_in(client, user.username, GOOD_PASSWORD))


def test_thirty_pupils_of_a_class_sign_in_at_once_from_one_address(transactional_db):
    """The production limits let a whole class in together (no lock to wait on, no refusal)."""
    pupils = [UserFactory(activated=True) for _ in range(30)]
    for user in pupils:
        user.set_password(GOOD_PASSWORD)
        user.save()
    results, start = [], threading.Barrier(30, timeout=GUARD_SECONDS)

    def pupil_signs_in(user):
        client = Client(REMOTE_ADDR="203.0.113.10")
        start.wait()
        results.append(sign_in(client, user.username, GOOD_PASSWORD).get("Location"))

    threads = [threading.Thread(target=pupil_signs_in, args=(user,)) for user in pupils]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    assert results == [reverse("portal:services")] * 30
