"""The short way to the live séance's 304 (staff/live.py): a poll carrying the token of the last
full answer, and whose If-None-Match is still the class's stamp, is answered before the session
and the user are loaded; anything else goes the full way, with every check."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from staff import live
from tests.helpers import sign_in


@pytest.fixture
def watched(client_teacher, practice):
    """The teacher's first full poll: (url, its answer)."""
    school_class, _letters = practice
    url = reverse("classroom:live", args=[school_class.pk])
    first = client_teacher.get(url)
    assert first.status_code == 200 and first["ETag"]
    return url, first


def test_a_poll_with_its_token_and_nothing_changed_is_304_in_one_query(
    client_teacher, watched, django_assert_num_queries
):
    _url, first = watched
    next_url = first[live.NEXT_URL_HEADER]
    assert next_url.startswith(_url + "?" + live.PARAM + "=")
    with django_assert_num_queries(1):  # the class's stamp; no session, no user, no rights
        again = client_teacher.get(next_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "no-store" in again["Cache-Control"]
    assert live.NEXT_URL_HEADER not in again  # the short way hands out no new token


def test_the_full_way_costs_more_and_renews_the_token(client_teacher, watched):
    url, first = watched
    again = client_teacher.get(url, HTTP_IF_NONE_MATCH=first["ETag"])  # no token
    assert again.status_code == 304
    assert again[live.NEXT_URL_HEADER].startswith(url + "?")


def test_a_change_gives_the_cards_even_with_a_valid_token(client_teacher, watched, practice):
    _school_class, letters = practice
    _url, first = watched
    sign_in(Client(), letters[0].identifier, "Mauvais#1")
    moved = client_teacher.get(first[live.NEXT_URL_HEADER], HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]
    assert "1 mot de passe erroné" in moved.content.decode()


def forged(url, **claims):
    token = signing.dumps(claims, salt=live.SALT)
    return f"{url}?{live.PARAM}={token}"


@pytest.mark.parametrize(
    "make_url",
    [
        pytest.param(lambda url, first: f"{url}?{live.PARAM}=nimporte-quoi", id="garbage"),
        pytest.param(
            lambda url, first: first[live.NEXT_URL_HEADER][:-3] + "abc", id="bad-signature"
        ),
        pytest.param(
            lambda url, first: forged(url, p=url, c=1, v=[1, True, "fr"], s="x"),
            id="another-session",
        ),
        pytest.param(
            lambda url, first: first[live.NEXT_URL_HEADER].replace(live.PARAM, "autre"),
            id="no-token",
        ),
    ],
)
def test_a_bad_token_goes_the_full_way(client_teacher, watched, make_url):
    url, first = watched
    response = client_teacher.get(make_url(url, first), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert live.NEXT_URL_HEADER in response  # the view answered, after its checks


def test_an_expired_token_goes_the_full_way(client_teacher, watched, monkeypatch):
    _url, first = watched
    monkeypatch.setattr(live, "TOKEN_SECONDS", -1)
    response = client_teacher.get(first[live.NEXT_URL_HEADER], HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304 and live.NEXT_URL_HEADER in response


def test_another_class_s_token_goes_the_full_way(client_teacher, teacher, watched, school_class):
    from classroom.actions import do_create_practice_class

    _url, first = watched
    other, _letters = do_create_practice_class(school_class.establishment, 2, teacher=teacher)
    other_url = reverse("classroom:live", args=[other.pk])
    token = first[live.NEXT_URL_HEADER].split("?", 1)[1]
    response = client_teacher.get(f"{other_url}?{token}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200  # its own cards: the other class's stamp differs
    assert response[live.NEXT_URL_HEADER].startswith(other_url + "?")


def test_another_browser_with_the_address_but_not_the_session_gets_nothing(watched, practice):
    _url, first = watched
    stranger = Client()
    response = stranger.get(first[live.NEXT_URL_HEADER], HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 302  # to the sign-in, as any visitor


def test_a_teacher_taken_off_the_class_learns_only_that_nothing_changed(
    client_teacher, teacher, watched, practice
):
    school_class, letters = practice
    _url, first = watched
    school_class.teachers.remove(teacher)
    next_url = first[live.NEXT_URL_HEADER]
    unchanged = client_teacher.get(next_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""  # within the token's life
    sign_in(Client(), letters[0].identifier, "Mauvais#1")
    moved = client_teacher.get(next_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 404  # the first change: the full way, whose door is shut


def test_the_admin_seance_takes_the_short_way_too(
    client, staff_user, school_class, django_assert_num_queries
):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.set(Permission.objects.filter(codename__in=["view_user"]))
    client.force_login(staff_user)
    url = reverse("seance_live", args=[school_class.pk])
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    with django_assert_num_queries(1):
        again = client.get(first[live.NEXT_URL_HEADER], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_the_projector_takes_the_short_way_with_its_own_stamp(
    client_teacher, watched, practice, django_assert_num_queries
):
    school_class, _letters = practice
    _url, live_part = watched
    url = reverse("classroom:projection", args=[school_class.pk])
    first = client_teacher.get(url)
    assert first.status_code == 200 and first["ETag"] != live_part["ETag"]
    with django_assert_num_queries(1):
        again = client_teacher.get(first[live.NEXT_URL_HEADER], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    # The live part's stamp is not the projector's: the projector is drawn again.
    other = client_teacher.get(first[live.NEXT_URL_HEADER], HTTP_IF_NONE_MATCH=live_part["ETag"])
    assert other.status_code == 200
