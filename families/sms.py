"""SMS without a phone network: backends chosen like Django's e-mail backends (``SMS_BACKEND``).

- ``families.sms.DemoPhoneBackend`` (default): messages to the fiction numbers (06 39 98 xx xx)
  are kept for the « Téléphone de démonstration » page; every message is also written to the
  console. Nothing leaves the machine.
- ``families.sms.ConsoleBackend``: written to standard output (development).
- ``families.sms.LocmemBackend``: kept in ``families.sms.outbox`` (tests).
- ``families.sms.HttpGatewayBackend``: POSTs JSON ``{"to": "+33…", "text": "…"}`` to
  ``SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN`` (production; never used
  by the tests, which run without network).
"""

import json
import logging
import sys
import threading
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from families.phones import is_fiction

logger = logging.getLogger(__name__)

outbox: list["TextMessage"] = []  # LocmemBackend


@dataclass(frozen=True)
class TextMessage:
    to: str  # E.164
    body: str


class BaseBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def __init__(self, stream=None):
        self.stream = stream

    def send_messages(self, messages):
        stream = self.stream or sys.stdout
        for message in messages:
            stream.write(f"SMS → {message.to}\n{message.body}\n{'-' * 40}\n")
        stream.flush()
        return len(messages)


class LocmemBackend(BaseBackend):
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


class DemoPhoneBackend(ConsoleBackend):
    """Console, plus the demo phone's inbox for the fiction numbers."""

    def send_messages(self, messages):
        from families.models import DemoTextMessage

        DemoTextMessage.objects.stale().delete()  # a day at most: nothing piles up
        DemoTextMessage.objects.bulk_create(
            [DemoTextMessage(to=m.to, body=m.body) for m in messages if is_fiction(m.to)]
        )
        return super().send_messages(messages)


class HttpGatewayBackend(BaseBackend):
    """An HTTP SMS gateway (most operators offer one): one POST per message."""

    def __init__(self, url=None, token=None, timeout=10):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout
        if not self.url.startswith("https://"):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an https:// address.")

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            request = urllib.request.Request(  # noqa: S310 - https only, checked above
                self.url,
                data=json.dumps({"to": message.to, "text": message.body}).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.token}",
                },
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    sent += 200 <= response.status < 300
            except OSError:
                # The number is never logged in full: it is personal data.
                logger.exception("SMS gateway refused a message to …%s", message.to[-2:])
        return sent


def get_backend(path=None) -> BaseBackend:
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(to: str, body: str) -> int:
    """Send one message through the configured backend (call it ``on_commit``, through
    ``after_response``)."""
    return get_backend().send_messages([TextMessage(to=str(to), body=body)])


# --- After the response ------------------------------------------------------------------
# An SMS takes time (the demo phone's table, a gateway's POST): sent during the request, it
# made a known number's « Recevoir un code » slower than an unknown one's, which tells who is
# a parent. So a request's messages leave once its response is complete (``request_finished``,
# which the WSGI server sends after the last byte); outside a request (a command, a task), at
# once. The worker's thread is still the one that sends.
_pending = threading.local()


def _request_started(**kwargs):
    _pending.calls = []


def _request_finished(**kwargs):
    calls, _pending.calls = getattr(_pending, "calls", None), None
    for call in calls or []:
        try:
            call()
        except Exception:
            logger.exception("An SMS could not be sent after the response.")


def after_response(call) -> None:
    """Run ``call`` once the current request's response is complete, or now outside one."""
    calls = getattr(_pending, "calls", None)
    if calls is None:
        call()
    else:
        calls.append(call)


def connect_signals():
    from django.core.signals import request_finished, request_started

    request_started.connect(_request_started, dispatch_uid="families.sms.started")
    request_finished.connect(_request_finished, dispatch_uid="families.sms.finished")
