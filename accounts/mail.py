"""E-mail to invented addresses, for a class without a mail server: the « Boîte mail de
démonstration », the e-mail twin of the demo phone (families/sms.py).

``DemoMailboxBackend`` is installed as Django's EMAIL_BACKEND around the configured one
(settings.EMAIL_DELIVERY_BACKEND, read from the EMAIL_BACKEND variable): a message to an
address at a domain reserved for examples (RFC 2606 and RFC 6761: example.com, example.net,
example.org and anything under .example or .test) is kept for the page, a day at most, and
never sent (nobody owns those domains: a server would only bounce it); a message to any other
address goes to the configured backend only and is never kept.

The mail of this portal is sent by accounts (« Mot de passe perdu », « Identifiant perdu ») and
by allauth on behalf of families (the confirmation of a parent's address), all through
``accounts.adapter``: accounts is the lowest room that sends mail, so the mailbox lives here.
"""

import copy
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TOP_LEVEL = ("example", "test")
# The session key where « Mot de passe perdu » remembers an invented address for the next page.
DEMO_MAILBOX_ADDRESS = "demo_mailbox_address"


def is_reserved(address: str) -> bool:
    """Is ``address`` at a domain reserved for examples, so that no real person reads it?
    « x@exemple.test », « x@example.com », « x@mail.example.org », « x@ecole.example »: yes;
    « x@example.fr », « x@test.fr », « x@examplecom »: no."""
    _local, at, domain = parseaddr(str(address or ""))[1].strip().rpartition("@")
    domain = domain.lower().rstrip(".")
    if not at or not _local or not domain:
        return False
    labels = domain.split(".")
    if len(labels) >= 2 and labels[-1] in RESERVED_TOP_LEVEL:
        return True
    return any(domain == d or domain.endswith("." + d) for d in RESERVED_DOMAINS)


def _bare(address: str) -> str:
    """« Marc <Marc@Exemple.test> » → « marc@exemple.test », as the page looks it up."""
    return parseaddr(str(address))[1].strip().lower()


def enabled() -> bool:
    """The mailbox is on when the wrapper is the installed backend (settings.DEMO_MAILBOX)."""
    return settings.EMAIL_BACKEND == "accounts.mail.DemoMailboxBackend"


def _without(message, keep):
    """A copy of ``message`` addressed only to the recipients ``keep`` accepts."""
    other = copy.copy(message)
    other.to = [a for a in message.to if keep(a)]
    other.cc = [a for a in message.cc if keep(a)]
    other.bcc = [a for a in message.bcc if keep(a)]
    return other


def _text_of(message) -> str:
    """The plain text of a message (our mails are text; an HTML-only one is kept as its
    source, shown escaped, never rendered)."""
    if message.body:
        return str(message.body)
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return str(content)
    return ""


class DemoMailboxBackend(BaseEmailBackend):
    """Keeps the messages to reserved-domain addresses; forwards the others, untouched, to the
    configured backend (settings.EMAIL_DELIVERY_BACKEND)."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.delivery = get_connection(
            settings.EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs
        )

    def open(self):
        return self.delivery.open()

    def close(self):
        return self.delivery.close()

    def send_messages(self, email_messages):
        from accounts.models import DemoEmail

        kept, forwarded = [], []
        for message in email_messages:
            recipients = message.recipients()
            invented = [a for a in recipients if is_reserved(a)]
            kept += [
                DemoEmail(to=_bare(a), subject=str(message.subject)[:998], body=_text_of(message))
                for a in invented
            ]
            if len(invented) < len(recipients):
                forwarded.append(
                    message if not invented else _without(message, lambda a: not is_reserved(a))
                )
        DemoEmail.objects.stale().delete()  # a day at most: nothing piles up
        if kept:
            DemoEmail.objects.bulk_create(kept)
        sent = self.delivery.send_messages(forwarded) if forwarded else 0
        only_kept = sum(
            1 for m in email_messages if m.recipients() and all(map(is_reserved, m.recipients()))
        )
        return (sent or 0) + only_kept
