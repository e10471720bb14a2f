"""A class « 4e B » and a phone number « 06 39 98 00 01 » are never split across two lines:
their words are joined by non-breaking spaces (U+00A0) wherever a page shows them, in the
staff's pages, the teacher's and the parents' (core/french.py's ``nbsp`` and ``unbreakable``).

The pages are read as the browser gets them (entities decoded, U+00A0 kept), unlike
tests/helpers.py's ``page_of``."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import teacher_of

DIVISION = "4e\u00a0B"
# A phone number, or a masked one, with a plain space between two of its groups.
PLAIN_PHONE = re.compile(r"(?<![\w.])0[1-9](?:[ \u00a0](?:\d\d|\*\*|…)){2,}(?!\w)")


def raw(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def plain_phones(page):
    return [m.group() for m in PLAIN_PHONE.finditer(page) if " " in m.group()]


@pytest.fixture
def pupil(issued, school_class):
    """Théo Counen, in « 4e B »: a row of the follow-up's table."""
    return issued


def test_the_follow_up_and_the_staff_seance_keep_a_class_on_one_line(
    client, staff_user, school_class, pupil
):
    client.force_login(staff_user)
    pages = {
        "Suivi": raw(client.get(reverse("funnel"))),
        "Suivi d'une classe": raw(client.get(reverse("funnel"), {"classe": school_class.pk})),
        "Séance": raw(client.get(reverse("seance", args=[school_class.pk]))),
        "Projection": raw(client.get(reverse("seance_projection", args=[school_class.pk]))),
    }
    for name, page in pages.items():
        assert DIVISION in page and "4e B" not in page, name
    assert f"Ouvrir la séance de la classe {DIVISION}" in pages["Suivi d'une classe"]
    # The title, in <title>, the breadcrumb and the heading.
    assert pages["Séance"].count(f"Séance — {DIVISION}") >= 2
    assert f"<h1>{DIVISION}</h1>" in pages["Projection"]


def test_the_teachers_pages_keep_a_class_on_one_line(client, school_class, pupil):
    client.force_login(teacher_of(school_class))
    pages = {
        "Mes classes": raw(client.get(reverse("classroom:classes"))),
        "Séance": raw(client.get(reverse("classroom:seance", args=[school_class.pk]))),
        "Projection": raw(client.get(reverse("classroom:projection", args=[school_class.pk]))),
    }
    for name, page in pages.items():
        assert DIVISION in page and "4e B" not in page, name
    assert f"Suivre la séance de la classe {DIVISION}" in pages["Mes classes"]
    assert f"<title>Séance — {DIVISION} — " in pages["Projection"]


def test_phone_numbers_are_kept_on_one_line(client, db):
    pages = {
        "Téléphone de démonstration": raw(
            client.get(reverse("families:demo_phone"), {"numero": "0639980001"})
        ),
        "Pas un numéro fictif": raw(
            client.get(reverse("families:demo_phone"), {"numero": "0612345678"})
        ),
        "Inscription par SMS": raw(client.get(reverse("families:register_start"))),
    }
    for name, page in pages.items():
        assert plain_phones(page) == [], name
    demo_phone = pages["Téléphone de démonstration"]
    assert "Messages reçus au 06\u00a039\u00a098\u00a000\u00a001" in demo_phone
    assert (
        "de 06\u00a039\u00a098\u00a000\u00a000 à 06\u00a039\u00a098\u00a099\u00a099" in demo_phone
    )


def test_the_masked_number_of_the_code_page_is_kept_on_one_line(client, db):
    """Known or not (no enumeration), the number typed is shown back masked."""
    response = client.post(
        reverse("families:register_start"),
        {"last_name": "Roussel", "first_name": "Claire", "mobile": "06 39 98 00 77"},
    )
    page = raw(client.get(response["Location"]))
    assert "06\u00a0**\u00a0**\u00a0**\u00a077" in page and plain_phones(page) == []


def test_the_pattern_sees_a_number_split_by_a_plain_space():
    assert plain_phones("au 06 39 98 00 01.") and plain_phones("(06 39 98 …)")
    assert plain_phones("06 ** ** ** 01") and plain_phones("06\u00a039 98\u00a000\u00a001")
    assert not plain_phones("au 06\u00a039\u00a098\u00a000\u00a001, le 03 10 2012")
    assert not plain_phones("0639980001") and not plain_phones("le 01/02/2012 à 10 h")
