"""After a submit that failed, every form of the site says so the same way: one summary above
the form (focused by static/js/form-errors.js), one line per error, each line leading to its box,
and each box in error tied to its message (aria-invalid, aria-describedby to ids that exist).
A form-wide error (a wrong identifier or password) leads to the box it is about."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from families import sms
from tests.factories import ParentFactory, UserFactory, teacher_of
from tests.helpers import GOOD_PASSWORD, page_of, sign_in


class Page(HTMLParser):
    """The ids of a page, its boxes in error, and the error summary's lines and links."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.invalid, self.summary_lines, self.links = set(), [], 0, []
        self.summary_attrs, self._depth = None, 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("aria-invalid") == "true":
            self.invalid.append(attrs)
        if attrs.get("id") == "form-errors":
            self.summary_attrs, self._depth = attrs, 1
        elif self._depth and tag == "div":
            self._depth += 1
        if self._depth and tag == "li":
            self.summary_lines += 1
        if self._depth and tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1


def summarised(response, lines):
    """The page of a failed submit, checked; the summary's links returned."""
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert html.count('id="form-errors"') == 1
    assert page.summary_attrs["tabindex"] == "-1"
    assert "js/form-errors.js" in html
    assert page.summary_lines == lines
    assert page.links, "a summary whose lines lead nowhere"
    for href in page.links:
        assert href.startswith("#") and href[1:] in page.ids, href
    assert page.invalid, "no box says it is in error"
    for box in page.invalid:
        described = box.get("aria-describedby", "").split()
        assert described and all(i in page.ids for i in described), box
    return page.links


def test_a_failed_sign_in_leads_to_the_identifier(client, pupil):
    links = summarised(sign_in(client, pupil.username, "pas-le-bon"), lines=1)
    assert links == ["#id_login"]


def test_an_empty_sign_in_names_both_boxes_with_the_page_s_words(client, db):
    response = sign_in(client, "", "")
    assert summarised(response, lines=2) == ["#id_login", "#id_password"]
    page = page_of(response)
    assert "Identifiant : Saisissez votre identifiant." in page
    assert "Mot de passe : Saisissez votre mot de passe." in page
    assert "Nom d'utilisateur" not in page


def test_the_staff_sign_in_says_it_the_same_way(client, secretary):
    response = client.post(
        reverse("accounts:staff_login"), {"login": secretary.username, "password": "non"}
    )
    assert summarised(response, lines=1) == ["#id_login"]


def test_the_charter_leads_to_its_box(client_pupil, charter):
    response = client_pupil.post(reverse("charter:accept"), {"next": "/"})
    assert summarised(response, lines=1) == ["#id_accept"]


def test_the_activation_gives_the_birth_date_one_line(client, issued):
    sign_in(client, issued.identifier, issued.password)
    response = client.post(
        reverse("accounts:activate"),
        {"password1": "court", "password2": "autre", "birth_day": "31", "birth_month": "02"},
    )
    assert summarised(response, lines=2) == ["#id_password1", "#id_birth_day"]


def test_lost_identifier_leads_to_the_address(client, db):
    response = client.post(reverse("accounts:lost_identifier"), {"email": "pas une adresse"})
    assert summarised(response, lines=1) == ["#id_email"]


@pytest.fixture
def family(school_class, django_capture_on_commit_callbacks):
    sms.outbox.clear()
    theo = UserFactory(school_class=school_class, birth_date=date(2012, 3, 14))
    ParentFactory(last_name="Counen", first_name="Sandrine", mobile="+33639980001", children=[theo])
    return django_capture_on_commit_callbacks


def registered_up_to(client, capture, step):
    with capture(execute=True):
        client.post(
            reverse("families:register_start"),
            {"last_name": "Counen", "first_name": "Sandrine", "mobile": "06 39 98 00 01"},
        )
    if step == "code":
        return
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    client.post(reverse("families:register_code"), {"code": code})
    if step == "children":
        return
    client.post(
        reverse("families:register_children"),
        {"birth_day": "14", "birth_month": "03", "birth_year": "2012"},
    )


def test_the_sms_registration_start_names_each_box(client, family):
    response = client.post(
        reverse("families:register_start"),
        {"last_name": "", "first_name": "Sandrine", "mobile": "12"},
    )
    assert summarised(response, lines=2) == ["#id_last_name", "#id_mobile"]


def test_a_wrong_sms_code_leads_to_the_code(client, family):
    registered_up_to(client, family, "code")
    response = client.post(reverse("families:register_code"), {"code": "000000"})
    assert summarised(response, lines=1) == ["#id_code"]


def test_a_wrong_birth_date_of_a_child_leads_to_the_day(client, family):
    registered_up_to(client, family, "children")
    response = client.post(
        reverse("families:register_children"),
        {"birth_day": "01", "birth_month": "01", "birth_year": "2011"},
    )
    assert summarised(response, lines=1) == ["#id_birth_day"]


def test_the_parents_password_names_its_boxes(client, family):
    registered_up_to(client, family, "password")
    response = client.post(
        reverse("families:register_password"), {"password1": GOOD_PASSWORD, "password2": "x"}
    )
    assert summarised(response, lines=2) == ["#id_password2", "#id_email"]


def test_a_wrong_letter_in_my_children_leads_to_its_boxes(client, school_class):
    parent = ParentFactory(activated=True, children=[UserFactory(school_class=school_class)])
    client.force_login(parent)
    response = client.post(
        reverse("families:children"), {"identifier": "x.inconnu9", "password": "non"}
    )
    assert summarised(response, lines=1) == ["#id_password"]


def test_a_wrong_address_on_the_address_page_leads_to_its_box(accepted, client_pupil):
    response = client_pupil.post(
        reverse("account_email"), {"action_add": "", "email": "pas une adresse"}
    )
    assert summarised(response, lines=1) == ["#id_email"]


def test_a_practice_class_of_too_many_pupils_leads_to_the_number(client, school_class):
    client.force_login(teacher_of(school_class, username="prof.dupont"))
    form = client.get(reverse("classroom:create")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    response = client.post(reverse("classroom:create"), {"count": "400", "token": token})
    assert summarised(response, lines=1) == ["#id_count"]


def test_no_summary_before_a_submit(client, db):
    for url in [reverse("account_login"), reverse("families:register_start")]:
        assert 'id="form-errors"' not in client.get(url).content.decode()
