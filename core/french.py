"""Saves each room its own « 1er » filter (``{% load french %}``); no time claimed.

Registered as a template library in the settings, so that every room's templates can use it
without any app importing another."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def frdate(value, arg="j F"):
    """Like ``date``, but the first of the month is « 1er » (« lundi 1er décembre »)."""
    if not value:
        return ""
    if value.day == 1:
        arg = arg.replace("j", r"1\e\r")
    return date_format(value, arg)


def unbreakable(value):
    """Joins the words of a short unit that must never be split across lines (a class
    « 4e B », a phone number « 06 39 98 00 12 ») with non-breaking spaces (U+00A0): plain text,
    for a title or a message built in Python (« Séance — 4e B »)."""
    if value is None:
        return ""
    return str(value).replace(" ", "\u00a0")


@register.filter(is_safe=True)
def nbsp(value):
    """``unbreakable`` in a template (``{{ school_class.division|nbsp }}``), escaped."""
    if value is None:
        return ""
    return mark_safe(unbreakable(conditional_escape(value)))  # noqa: S308 - escaped just before


VOWELS = "aàâäeéèêëiîïoôöuùûüyœh"


@register.filter
def de_subject(name):
    """« de » before a school subject in running text: elided before a vowel or a mute h
    (« d'anglais », « d'histoire-géographie »), the name in lower case unless it is an
    acronym (« de mathématiques », « de SVT »)."""
    name = str(name or "")
    if not name:
        return name
    first_word = name.split()[0]
    if not first_word.isupper():
        name = name[0].lower() + name[1:]
    return ("d'" if name[0].lower() in VOWELS else "de ") + name


@register.filter
def de_name(name):
    """« de » before a proper name (an académie, a town), its case kept: elided before a
    vowel (« d'Amiens », « d'Orléans-Tours », « de Montpellier »). Not before an h, which is
    aspirated in too many place names (« de Hautmont »)."""
    name = str(name or "")
    if not name:
        return name
    return ("d'" if name[0].lower() in VOWELS.replace("h", "") else "de ") + name
