import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from families import sms
from families.models import DemoTextMessage
from families.sms import (
    ConsoleBackend,
    DemoPhoneBackend,
    HttpGatewayBackend,
    TextMessage,
    send_sms,
)


def test_the_tests_send_to_the_memory_outbox():
    """SMS_BACKEND is the locmem backend under test: nothing leaves the machine."""
    sms.outbox.clear()
    assert send_sms("+33639980001", "Votre code : 123456") == 1
    assert sms.outbox == [TextMessage(to="+33639980001", body="Votre code : 123456")]


def test_the_console_backend_writes_the_message():
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages([TextMessage("+33639980001", "Bonjour")])
    assert "+33639980001" in stream.getvalue() and "Bonjour" in stream.getvalue()


def test_the_demo_phone_keeps_only_messages_to_fiction_numbers(db):
    backend = DemoPhoneBackend(stream=io.StringIO())
    backend.send_messages(
        [TextMessage("+33639980001", "Code 111111"), TextMessage("+33612345678", "Code 222222")]
    )
    assert list(DemoTextMessage.objects.values_list("to", "body")) == [
        ("+33639980001", "Code 111111")
    ]


def test_the_demo_phone_forgets_messages_after_a_day(db):
    from datetime import timedelta

    from django.utils import timezone

    DemoTextMessage.objects.create(
        to="+33639980001", body="ancien", sent_at=timezone.now() - timedelta(days=2)
    )
    DemoPhoneBackend(stream=io.StringIO()).send_messages([TextMessage("+33639980001", "neuf")])
    assert list(DemoTextMessage.objects.values_list("body", flat=True)) == ["neuf"]


def test_the_http_gateway_needs_an_https_address(settings):
    """The production backend is configured, never called here (no network in tests)."""
    settings.SMS_GATEWAY_URL = "http://sms.example.invalid/send"
    with pytest.raises(ImproperlyConfigured):
        HttpGatewayBackend()


def test_the_http_gateway_posts_json_with_its_token(settings, monkeypatch):
    """What would be sent, caught before any network: one POST per message."""
    settings.SMS_GATEWAY_URL = "https://sms.example.invalid/send"
    settings.SMS_GATEWAY_TOKEN = "jeton"  # noqa: S105
    sent = []

    class Response:
        status = 202

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        sent.append(request)
        return Response()

    monkeypatch.setattr(sms.urllib.request, "urlopen", fake_urlopen)
    assert HttpGatewayBackend().send_messages([TextMessage("+33639980001", "Bonjour")]) == 1
    [request] = sent
    assert request.full_url == "https://sms.example.invalid/send"
    assert request.get_header("Authorization") == "Bearer jeton"
    assert request.data == b'{"to": "+33639980001", "text": "Bonjour"}'
