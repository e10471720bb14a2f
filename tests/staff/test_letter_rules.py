"""The letter lists the password rules of the activation form, from the same source
(accounts/validators.py password_rules): a pupil who chooses a password from the letter alone
is never refused for a rule the letter did not say. And all of it still fits on its letter,
1, 2 or 4 per A4 sheet."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from accounts.actions import do_issue_credentials
from accounts.validators import password_rules
from staff.letters import letters_html
from tests.factories import ParentFactory, SchoolClassFactory, UserFactory
from tests.helpers import downloaded, print_letters


def flat(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def pdf_text(response):
    return flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages))


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def test_a_pupil_s_letter_lists_every_rule_the_activation_form_lists(staff, school_class):
    pupil = UserFactory(school_class=school_class, birth_date=date(2012, 3, 14))
    text = pdf_text(downloaded(staff, print_letters(staff, [pupil])))
    rules = [rule.text for rule in password_rules(pupil, informal=True)]
    assert len(rules) == len(password_rules(pupil)) == 7  # every validator, the birth date too
    assert [rule for rule in rules if flat(rule) not in text] == []
    assert "pas ta date de naissance" in text


def test_a_pupil_s_letter_says_tu_throughout_its_rules_included(staff, school_class):
    """« Activer votre compte » is the button's name, quoted; nothing else says « vous »."""
    pupil = UserFactory(school_class=school_class, birth_date=date(2012, 3, 14))
    text = pdf_text(downloaded(staff, print_letters(staff, [pupil])))
    unquoted = re.sub(r"«[^»]*»", "", text)
    assert re.findall(r"\b(?:vous|votre|vos)\b", unquoted, flags=re.IGNORECASE) == []
    assert re.findall(r"\b(?:tu|ton|ta|tes)\b", unquoted)
    # The form itself speaks to the pupil as the seed's screens do: « vous ».
    assert any("votre date de naissance" in rule.text for rule in password_rules(pupil))


def test_a_parent_s_letter_lists_the_rules_that_apply_to_a_parent(staff, school_class):
    child = UserFactory(school_class=school_class)
    parent = ParentFactory(children=[child])
    text = pdf_text(downloaded(staff, print_letters(staff, [parent])))
    rules = [rule.text for rule in password_rules(parent)]
    assert rules and [rule for rule in rules if flat(rule) not in text] == []
    assert "date de naissance" not in text  # a parent has none to avoid


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _classes(box):
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def overflowing_letters(html):
    """The letters whose text runs past the bottom of their box (the box clips it: a line
    cut off the paper would still be in the PDF's text)."""
    from weasyprint import HTML

    problems = []
    for page in HTML(string=html).render().pages:
        for box in _boxes(page._page_box):
            if "letter" not in _classes(box) or box.element_tag != "section":
                continue
            bottom = box.content_box_y() + box.height
            lowest = max(
                line.position_y + line.height
                for line in _boxes(box)
                if type(line).__name__ == "LineBox"
            )
            if lowest > bottom + 0.5:
                who = next(box.element.iter("dd")).text
                problems.append((who, round(lowest - bottom)))
    return problems


def sheets(html):
    from weasyprint import HTML

    return len(HTML(string=html).render().pages)


@pytest.mark.parametrize("per_page", [1, 2, 4])
def test_the_longest_letters_still_fit_on_their_part_of_the_sheet(establishment, per_page):
    """A practice pupil (the invented birth date is printed) with long names, and a parent
    of three children with a long family name."""
    practice = SchoolClassFactory(
        establishment=establishment, division="5e Entraînement", practice=True
    )
    pupil = UserFactory(
        school_class=practice,
        first_name="Marie-Clémentine",
        last_name="De La Fontaine-Beauregard",
        birth_date=date(2012, 3, 14),
    )
    children = [
        UserFactory(
            school_class=SchoolClassFactory(establishment=establishment, division=f"{n}e A"),
            first_name=first_name,
            last_name="De La Fontaine-Beauregard",
        )
        for n, first_name in [(6, "Théo"), (5, "Lina"), (3, "Anne-Charlotte")]
    ]
    parent = ParentFactory(
        first_name="Marie-Clémentine", last_name="De La Fontaine-Beauregard", children=children
    )
    issued = [do_issue_credentials(user) for user in [pupil, parent, pupil, parent]]
    html = letters_html(issued, "https://ent.example.org", per_page=per_page)
    assert "5e\u00a0Entraînement" in html and "pas ta date de naissance" in html
    assert overflowing_letters(html) == []
    assert sheets(html) == 4 // per_page  # none spills onto another sheet
