"""Our strings are written in French and marked for translation. Django's and allauth's French
catalogs must not turn one of them into something else (« Note » became « Remarque »)."""

import ast
import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parent.parent
# The wiring (ent_portal/) has no strings of its own: its French names of the admin are core's.
APPS = ["audit", "accounts", "schools", "charter", "portal", "pronote", "staff", "core"]


def source_strings():
    strings = set()
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        # Strings with a context ("… context …") are looked up under that context: skipped.
        strings |= set(re.findall(r'{%\s*translate\s+"([^"]+)"\s*(?:as \w+\s*)?%}', text))
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            # As Python reads them: a "\u00a0" escape is a non-breaking space at run time, and
            # the catalogue must know it so (xgettext would copy the escape as it is written).
            found = re.findall(r'\b_\(\s*"([^"]+)"\s*\)', path.read_text())
            strings |= {ast.literal_eval(f'"{text}"') for text in found}
    return strings


def test_no_french_string_is_changed_by_another_catalog():
    strings = source_strings()
    assert len(strings) > 200
    with translation.override("fr"):
        changed = {s: gettext(s) for s in strings if gettext(s) != s}
    assert changed == {}
