"""The link to the « Boîte mail de démonstration » on the pages that say « we sent you a mail »,
shown only for an invented address (accounts/mail.py), like the demo phone's link:
``{% load demo_mailbox %}{% demo_mailbox_link address %}``."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from accounts import mail

register = template.Library()


@register.inclusion_tag("accounts/_demo_mailbox_link.html")
def demo_mailbox_link(address):
    shown = bool(address) and mail.enabled() and mail.is_reserved(address)
    url = reverse("accounts:demo_mailbox") + "?" + urlencode({"adresse": str(address).lower()})
    return {"shown": shown, "url": url, "address": address}
