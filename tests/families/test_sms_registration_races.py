"""The SMS registration under real transactions: what happens in which order, and what several
browsers at once can do. Order of events and counts, never durations."""

import re
import threading
from datetime import date

from django.db import connections
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse

from audit.models import Action, AuditEvent
from families import sms
from families.flows import registration as flow
from tests.factories import ParentFactory, UserFactory
from tests.helpers import GUARD_SECONDS

MOBILE = "06 39 98 00 01"


def _parent(school_class):
    theo = UserFactory(
        school_class=school_class,
        first_name="Théo",
        last_name="Counen",
        birth_date=date(2012, 3, 14),
    )
    return ParentFactory(
        first_name="Sandrine", last_name="Counen", mobile="+33639980001", children=[theo]
    )


def _start(client):
    return client.post(
        reverse("families:register_start"),
        {"last_name": "Counen", "first_name": "Sandrine", "mobile": MOBILE},
    )


def test_the_sms_leaves_once_the_response_is_complete(transactional_db, school_class, monkeypatch):
    """Sent inside the request, the SMS made a known number's answer slower than an unknown
    one's; it now leaves after the response (request_finished)."""
    _parent(school_class)
    sms.outbox.clear()
    events = []
    built = ClientHandler.get_response

    def get_response(self, request):
        response = built(self, request)
        events.append("response built")
        return response

    send = sms.LocmemBackend.send_messages

    def send_messages(self, messages):
        events.append("sms sent")
        return send(self, messages)

    monkeypatch.setattr(ClientHandler, "get_response", get_response)
    monkeypatch.setattr(sms.LocmemBackend, "send_messages", send_messages)
    response = _start(Client())
    assert response["Location"] == reverse("families:register_code")
    assert events == ["response built", "sms sent"]
    assert [m.to for m in sms.outbox] == ["+33639980001"]


def test_birth_dates_guessed_at_once_are_counted_one_by_one(
    transactional_db, school_class, settings, monkeypatch
):
    """Six browsers holding one registration guess at the same moment: each had read « 0
    failures » before any wrote (a read-modify-write on the cache entry), so six guesses were
    compared against a limit of three. Counted atomically, three are."""
    settings.SMS_CODE_MAX_TRIES = 3
    browsers = 6
    _parent(school_class)
    sms.outbox.clear()
    client = Client()
    _start(client)
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    client.post(reverse("families:register_code"), {"code": code})
    assert client.get(reverse("families:register_children")).status_code == 200

    # Every browser has read the registration before any guess is counted.
    together = threading.Barrier(browsers, timeout=GUARD_SECONDS)
    confirm = flow.confirm_child

    def confirm_together(request, step, birth_date):
        together.wait()
        return confirm(request, step, birth_date)

    monkeypatch.setattr(flow, "confirm_child", confirm_together)
    statuses, errors = [], []

    def guess(day):
        browser = Client()
        browser.cookies = client.cookies
        try:
            response = browser.post(
                reverse("families:register_children"),
                {"birth_day": f"{day:02d}", "birth_month": "01", "birth_year": "2011"},
            )
            statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(day,)) for day in range(1, browsers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    assert errors == [] and len(statuses) == browsers
    compared = AuditEvent.objects.filter(action=Action.SMS_CHILD_REFUSED).count()
    assert compared == settings.SMS_CODE_MAX_TRIES
