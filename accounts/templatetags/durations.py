"""The numbers of the account lifecycle as the settings decide them, for the pages that state
them (help pages, « Compte fermé »): never written into a template, so that a page stays true
when a setting changes. Used as ``{% provisional_validity_months as months %}`` then
``{% blocktranslate count months=months %}``, for French plurals."""

from django import template
from django.conf import settings
from django.utils.translation import ngettext

from accounts import lockout

register = template.Library()


@register.simple_tag
def provisional_validity_months() -> int:
    """How long a letter's provisional password works: PROVISIONAL_VALIDITY_MONTHS."""
    return settings.PROVISIONAL_VALIDITY_MONTHS


@register.simple_tag
def retention_months() -> int:
    """How long a departed person's data are kept: RETENTION_MONTHS_AFTER_DEPARTURE."""
    return settings.RETENTION_MONTHS_AFTER_DEPARTURE


@register.simple_tag
def lockout_failures() -> int:
    """How many failed attempts block an identifier: LOCKOUT_MAX_FAILURES."""
    return settings.LOCKOUT_MAX_FAILURES


@register.simple_tag
def lockout_duration() -> str:
    """How long the block lasts, in words: « 15 minutes », « 1 minute » (LOCKOUT_SECONDS)."""
    minutes = lockout.minutes()
    return ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}
