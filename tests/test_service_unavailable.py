"""A database or a Redis that does not answer is a French 503 « Service momentanément
indisponible », never a traceback (core/errors.py); while Redis is away, the sign-in is refused
(the lockout fails closed): nobody signs in without the lockout's count."""

from unittest import mock

import pytest
import redis
from django.db import OperationalError
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, page_of

UNAVAILABLE = "Service momentanément indisponible"


@pytest.fixture
def client_without_raising(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "failure",
    [
        redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6390."),
        redis.exceptions.TimeoutError("Timeout reading from socket"),
        OperationalError("server closed the connection unexpectedly"),
    ],
    ids=["redis-away", "redis-slow", "database-restarting"],
)
def test_a_sign_in_while_a_service_is_away_is_refused_with_a_french_503(
    client_without_raising, db, failure
):
    pupil = UserFactory()
    with mock.patch("accounts.lockout.begin_sign_in", side_effect=failure):
        response = client_without_raising.post(
            reverse("account_login"), {"login": pupil.username, "password": GOOD_PASSWORD}
        )
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    page = page_of(response)
    assert UNAVAILABLE in page
    assert "Traceback" not in page and type(failure).__name__ not in page
    # Fails closed: not signed in.
    assert "_auth_user_id" not in client_without_raising.session


def test_a_bug_is_still_the_french_500(client_without_raising, db):
    pupil = UserFactory()
    with mock.patch("accounts.lockout.begin_sign_in", side_effect=ValueError("un bogue")):
        response = client_without_raising.post(
            reverse("account_login"), {"login": pupil.username, "password": GOOD_PASSWORD}
        )
    assert response.status_code == 500
    page = page_of(response)
    assert "Erreur du site" in page and "un bogue" not in page


def test_a_redis_error_raised_from_another_is_recognised(client_without_raising, db):
    def wrapped(*args, **kwargs):
        try:
            raise redis.exceptions.ConnectionError("refused")
        except redis.exceptions.ConnectionError as exc:
            raise RuntimeError("the session could not be saved") from exc

    with mock.patch("accounts.lockout.begin_sign_in", side_effect=wrapped):
        response = client_without_raising.post(
            reverse("account_login"), {"login": "quelquun", "password": GOOD_PASSWORD}
        )
    assert response.status_code == 503


def test_attempts_the_database_never_evaluated_do_not_lock_the_pupil_out(
    client_without_raising, pupil
):
    failing = OperationalError("the database system is shutting down")
    with mock.patch("accounts.backends.PortalBackend.authenticate", side_effect=failing):
        for _ in range(8):  # more than LOCKOUT_MAX_FAILURES, during a restart
            response = client_without_raising.post(
                reverse("account_login"), {"login": pupil.username, "password": GOOD_PASSWORD}
            )
            assert response.status_code == 503
    response = client_without_raising.post(
        reverse("account_login"), {"login": pupil.username, "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
