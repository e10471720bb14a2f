"""The séance's live part, asked every few seconds by the teacher's page: 304 Not Modified, with
no body, while no pupil of the class moved; the whole part again (200) as soon as one did, for
each thing that moves a card. The stamp is read in one query and one cache round trip."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import lockout
from accounts.actions import do_create_account
from pronote.models import FirstVisit
from tests.factories import UserFactory
from tests.helpers import activate, job_token_in, run_worker, sign_in


@pytest.fixture
def teacher(establishment):
    user = UserFactory(staff_of=establishment, username="prof.principal")
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_user", "change_user", "add_user"])
    )
    return user


def new_pupil(school_class, first_name, last_name):
    return do_create_account(
        first_name=first_name,
        last_name=last_name,
        birth_date=date(2012, 3, 14),
        establishment=school_class.establishment,
        school_class=school_class,
    )


@pytest.fixture
def watching(client, teacher, school_class, charter):
    """The teacher's browser on the séance: ``watching()`` polls with the last ETag."""
    client.force_login(teacher)
    url = reverse("seance_live", args=[school_class.pk])
    last = {}

    def poll():
        headers = {"If-None-Match": last["etag"]} if "etag" in last else {}
        response = client.get(url, headers=headers)
        last["etag"] = response["ETag"]
        return response

    return poll


@pytest.fixture
def letter(school_class):
    return new_pupil(school_class, "Léa", "Martin")


def pupil_signs_in(letter):
    pupil = Client()
    sign_in(pupil, letter.identifier, letter.password)
    return pupil


def test_the_same_stamp_is_answered_304_with_no_body(watching, letter):
    first = watching()
    assert first.status_code == 200 and first["ETag"]
    assert "Léa" in first.content.decode()
    again = watching()
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "no-store" in again["Cache-Control"]  # a private page: never kept by a browser


def test_an_unchanged_poll_reads_no_card(watching, letter, school_class):
    watching()
    with CaptureQueriesContext(connection) as captured:
        assert watching().status_code == 304
    sql = [q["sql"] for q in captured.captured_queries if "django_session" not in q["sql"]]
    # Teacher, second factor, rights (2), the class, and the stamp: one query of its
    # own, and none of the cards' (no events counted, no acceptance, no visit read apart).
    assert len([s for s in sql if "audit_auditevent" in s]) == 1
    assert not any("COUNT(" in s for s in sql)
    assert len(sql) == 6, sql


def test_a_failed_sign_in_moves_the_stamp(watching, letter):
    watching()
    sign_in(Client(), letter.identifier, "Mauvais#1")
    response = watching()
    assert response.status_code == 200
    assert "1 mot de passe erroné" in response.content.decode()


def test_an_activation_moves_the_stamp(watching, letter):
    pupil = pupil_signs_in(letter)
    watching()
    activate(pupil)
    response = watching()
    assert response.status_code == 200
    assert "Compte activé, charte pas encore acceptée" in response.content.decode()


def test_a_charter_accepted_moves_the_stamp(watching, letter):
    pupil = pupil_signs_in(letter)
    activate(pupil)
    watching()
    pupil.post(reverse("charter:accept"), {"accept": "on", "next": "/ent/"})
    response = watching()
    assert response.status_code == 200
    assert "Charte acceptée, PRONOTE pas encore ouvert" in response.content.decode()


def test_the_first_visit_to_pronote_moves_the_stamp(watching, letter):
    pupil = pupil_signs_in(letter)
    activate(pupil)
    pupil.post(reverse("charter:accept"), {"accept": "on", "next": "/ent/"})
    watching()
    pupil.get(reverse("pronote:home"))
    pupil.post(reverse("pronote:home"))
    assert FirstVisit.objects.filter(user=letter.user).exists()
    response = watching()
    assert response.status_code == 200
    assert "Dans PRONOTE" in response.content.decode()


def test_a_lockout_and_its_end_move_the_stamp(watching, letter):
    for _ in range(4):
        sign_in(Client(), letter.identifier, "Mauvais#1")
    watching()
    sign_in(Client(), letter.identifier, "Mauvais#1")
    assert lockout.is_locked(letter.identifier)
    response = watching()
    assert response.status_code == 200
    assert "Identifiant bloqué jusqu" in response.content.decode()
    assert watching().status_code == 304
    # A lockout ends by itself, with no event: the stamp reads the lockouts in force.
    lockout.cache.delete(lockout._keys(letter.identifier)[1])
    response = watching()
    assert response.status_code == 200
    assert "Identifiant bloqué" not in response.content.decode()


def test_an_unlock_moves_the_stamp(watching, letter, client, school_class):
    for _ in range(5):
        sign_in(Client(), letter.identifier, "Mauvais#1")
    watching()
    client.post(
        reverse("seance_help", args=[school_class.pk, letter.user.pk]), {"aide": "debloquer"}
    )
    response = watching()
    assert response.status_code == 200
    assert "Identifiant bloqué" not in response.content.decode()


def test_a_reset_of_the_class_moves_the_stamp(watching, letter, client, school_class):
    pupil = pupil_signs_in(letter)
    activate(pupil)
    watching()
    url = reverse("seance_reset", args=[school_class.pk])
    token = job_token_in(client.get(url))
    response = client.post(url, {"confirm": "yes", "job_token": token})
    assert response.status_code == 303 and run_worker() == 1
    response = watching()
    assert response.status_code == 200
    assert "Pas encore de connexion" in response.content.decode()


def test_a_new_pupil_in_the_class_moves_the_stamp(watching, letter, school_class):
    watching()
    new_pupil(school_class, "Noah", "Petit")
    response = watching()
    assert response.status_code == 200 and "Noah" in response.content.decode()


def test_another_viewer_never_gets_the_first_one_s_stamp(watching, letter, client, staff_user):
    first = watching()
    client.force_login(staff_user)  # a superuser: another rendering (rights), another stamp
    response = client.get(first.wsgi_request.path, headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200


def test_the_stamp_query_compiled_once_reads_what_its_orm_form_reads(letter, school_class):
    from django.utils import timezone

    from staff import session

    new_pupil(school_class, "Zoé", "Abel")
    now = timezone.now()
    twin = list(session._stamp_queryset(school_class.pk, now))
    rows = session._stamp_rows(school_class.pk, now)
    assert len(rows) == len(twin) == 2
    # Same pupils, same newest events, acceptances, visits, charter and séance (the ids).
    assert [(r[0], r[1], r[2], *r[8:]) for r in rows] == [(t[0], t[1], t[2], *t[8:]) for t in twin]
