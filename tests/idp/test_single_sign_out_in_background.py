"""Single sign-out never waits for a service: the sign-out's request writes one notice per
service and per portal session and queues one job; the background worker tells the services
at once, under one deadline, tries again a few times, logs what it gives up. Order of events
and counts, never seconds."""

import http.server
import logging
import socket
import threading
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from idp.actions import do_save_service
from idp.models import ConnectedService, LogoutNotice, ServiceSession
from tests.connected_services import (
    query_of,
    run_single_sign_out,
    tokens_of,
)


@pytest.fixture
def on_commit_at_once():
    """Side effects run where they are registered, inside the request, as in production where
    the request's transaction commits before the response."""
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda f: f()):
        yield


@pytest.fixture
def silent_service():
    """A socket on 127.0.0.1 that takes connections and never answers one."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _contacted(server):
    """Has a connection come in yet? Never waits."""
    try:
        connection, _address = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def _telling(service, url):
    service.backchannel_logout_uri = url
    do_save_service(service)
    return service


def _jobs():
    return DBTaskResult.objects.filter(status="READY", task_path="idp.tasks.notify_services")


def test_a_service_that_never_answers_does_not_delay_the_sign_out(
    accepted, oidc_service, silent_service, on_commit_at_once, settings, caplog
):
    """The sign-out answers before the service is even contacted; the job then gives up on it
    (its timeout or the job's deadline), tries again later, and gives up for good after the
    last attempt."""
    settings.IDP_LOGOUT_TIMEOUT_SECONDS = settings.IDP_LOGOUT_DEADLINE_SECONDS = 1
    port = silent_service.getsockname()[1]
    _telling(oidc_service, f"http://127.0.0.1:{port}/oidc/backchannel-logout/")
    tokens_of(accepted, oidc_service)

    response = accepted.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not _contacted(silent_service)  # answered first
    assert _jobs().count() == 1
    assert LogoutNotice.objects.get().attempts == 0

    with caplog.at_level(logging.WARNING, logger="idp"):
        assert run_single_sign_out() == 1
    # Given up, whichever came first: its own timeout or the job's deadline (equal here).
    assert f"127.0.0.1:{port}/oidc/backchannel-logout/" in caplog.text
    assert LogoutNotice.objects.get().attempts == 1
    retry = _jobs().get()
    assert retry.run_after > timezone.now()  # later, not at once

    with caplog.at_level(logging.ERROR, logger="idp"):
        for _attempt in range(settings.IDP_LOGOUT_ATTEMPTS - 1):
            assert run_single_sign_out() == 1
    assert "given up after 3 attempts" in caplog.text
    assert not LogoutNotice.objects.exists()
    assert not _jobs().exists()


def test_a_sign_out_without_a_signing_key_is_no_error(
    accepted, oidc_service, on_commit_at_once, settings, caplog
):
    """No OIDC signing key: the sign-out works, the back-channel notice is logged and
    skipped, never a 500."""
    tokens_of(accepted, oidc_service)
    settings.IDP_OIDC_PRIVATE_KEY = ""
    response = accepted.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in accepted.session
    with mock.patch("idp.logout._post") as post, caplog.at_level(logging.ERROR, logger="idp"):
        run_single_sign_out()
    post.assert_not_called()
    assert "skipped" in caplog.text and "No active private key" in caplog.text
    assert not LogoutNotice.objects.exists()
    assert not _jobs().exists()


class _FailsOnce(http.server.BaseHTTPRequestHandler):
    calls = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append(self.path)
        self.send_response(503 if len(type(self).calls) == 1 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def fails_once():
    _FailsOnce.calls = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _FailsOnce)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_failed_notice_is_tried_again_and_then_delivered(
    accepted, oidc_service, fails_once, on_commit_at_once, caplog
):
    """503 the first time: logged, tried again by a later job, delivered the second time."""
    _telling(oidc_service, f"http://127.0.0.1:{fails_once.server_port}/bc/")
    tokens_of(accepted, oidc_service)
    accepted.post(reverse("account_logout"))
    with caplog.at_level(logging.WARNING, logger="idp"):
        run_single_sign_out()
    assert _FailsOnce.calls == ["/bc/"]
    assert "Single sign-out to http://127.0.0.1" in caplog.text
    assert LogoutNotice.objects.get().attempts == 1
    run_single_sign_out()
    assert _FailsOnce.calls == ["/bc/", "/bc/"]
    assert not LogoutNotice.objects.exists()
    assert not _jobs().exists()


def _cas(name, host):
    service = ConnectedService(
        name=name,
        protocol=ConnectedService.Protocol.CAS,
        home_url=f"https://{host}/",
        cas_service_prefixes=f"https://{host}/cas/",
    )
    do_save_service(service)
    return service


def _cas_sign_in(client, service):
    url = service.get_cas_service_prefixes()[0] + "login"
    response = client.get("/cas/login?" + urlencode({"service": url}))
    ticket = query_of(response["Location"])["ticket"]
    client.get("/cas/p3/serviceValidate?" + urlencode({"service": url, "ticket": ticket}))
    return ticket


def test_one_notice_per_service_and_per_session_at_most_the_cap(
    accepted, on_commit_at_once, settings
):
    """Fifteen tickets of one service in one session: one row, the newest ticket. Three
    services with a cap of two: the two most recent are told."""
    settings.IDP_LOGOUT_NOTICES_PER_SESSION = 2
    first = _cas("Médiathèque", "mediatheque.example.test")
    for _ticket in range(15):
        _cas_sign_in(accepted, first)
    assert ServiceSession.objects.count() == 1
    second, third = _cas("CDI", "cdi.example.test"), _cas("Cantine", "cantine.example.test")
    _cas_sign_in(accepted, second)
    _cas_sign_in(accepted, third)
    accepted.post(reverse("account_logout"))
    notices = {n.service_id: n for n in LogoutNotice.objects.all()}
    assert set(notices) == {second.pk, third.pk}
    assert not ServiceSession.objects.exists()


def test_the_newest_ticket_is_the_one_told(accepted, on_commit_at_once):
    """The service's session in this browser is keyed on its newest ticket."""
    service = _cas("Médiathèque", "mediatheque.example.test")
    tickets = [_cas_sign_in(accepted, service) for _ in range(3)]
    accepted.post(reverse("account_logout"))
    with mock.patch("idp.logout._post") as post:
        run_single_sign_out()
    ((url, data), _kwargs) = post.call_args
    assert post.call_count == 1
    assert url == "https://mediatheque.example.test/cas/login"
    assert f"<samlp:SessionIndex>{tickets[-1]}</samlp:SessionIndex>" in data["logoutRequest"]


def test_a_queue_that_refuses_the_job_is_no_error_for_the_person(
    accepted, oidc_service, on_commit_at_once, caplog
):
    """The job cannot be queued: logged; the person is signed out all the same."""
    tokens_of(accepted, oidc_service)
    queue = mock.Mock(**{"enqueue.side_effect": RuntimeError("file pleine")})
    with mock.patch("idp.actions.notify_services", queue):
        response = accepted.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in accepted.session
    assert "Single sign-out not queued" in caplog.text


def test_marking_a_pupil_departed_does_not_wait_for_her_services(
    accepted, pupil, oidc_service, staff_user, silent_service, on_commit_at_once
):
    """« Enregistrer le départ » answers the staff member before any service is contacted."""
    from django.test import Client

    port = silent_service.getsockname()[1]
    _telling(oidc_service, f"http://127.0.0.1:{port}/oidc/backchannel-logout/")
    tokens_of(accepted, oidc_service)
    staff = Client()
    staff.force_login(staff_user)
    response = staff.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mark_departed", "_selected_action": [pupil.pk], "confirm": "yes"},
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.departed_at is not None
    assert not _contacted(silent_service)
    assert _jobs().count() == 1
    assert LogoutNotice.objects.get().sub
