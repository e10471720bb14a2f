from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from charter.actions import do_accept_charter, do_publish_charter
from charter.models import Charter

GATED = [
    "portal:ent_home",
    "pronote:home",
    "pronote:timetable",
    "pronote:grades",
    "pronote:homework",
    "pronote:school_life",
]


def assert_sent_to_charter(response, url):
    assert response.status_code == 302, url
    location = urlparse(response["Location"])
    assert location.path == reverse("charter:accept")
    assert parse_qs(location.query)["next"] == [url]


@pytest.mark.parametrize("url_name", GATED)
def test_every_ent_and_pronote_page_leads_to_the_charter_until_accepted(
    client_pupil, charter, url_name
):
    url = reverse(url_name)
    assert_sent_to_charter(client_pupil.get(url), url)


@pytest.mark.parametrize("url_name", GATED)
def test_after_acceptance_they_open(accepted, url_name):
    response = accepted.get(reverse(url_name), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [] or all(
        reverse("charter:accept") not in url for url, _ in response.redirect_chain
    )


@pytest.mark.parametrize("url_name", GATED)
def test_a_new_version_closes_them_again_at_the_next_page(accepted, pupil, url_name):
    v2 = Charter.objects.create(version=2, title="Charte v2", body="Un article de plus.")
    do_publish_charter(v2)
    url = reverse(url_name)
    assert_sent_to_charter(accepted.get(url), url)
    do_accept_charter(pupil, v2)
    assert accepted.get(url, follow=True).status_code == 200


def test_the_services_page_is_not_behind_the_charter(client_pupil, charter):
    assert client_pupil.get(reverse("portal:services")).status_code == 200


def test_the_query_string_is_kept_in_next(client_pupil, charter):
    url = reverse("pronote:timetable") + "?semaine=2026-W49"
    assert_sent_to_charter(client_pupil.get(url), url)


def test_signed_out_visitors_are_sent_to_sign_in_not_to_the_charter(client, charter):
    response = client.get(reverse("portal:ent_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
