"""The teacher's live séance answers 304 Not Modified while no pupil of the class moved, and
the fresh cards as soon as one did (staff/live.py)."""

from django.test import Client
from django.urls import reverse

from tests.helpers import sign_in


def test_an_unchanged_class_is_answered_304_then_a_move_brings_the_cards(client_teacher, practice):
    school_class, letters = practice
    url = reverse("classroom:live", args=[school_class.pk])
    first = client_teacher.get(url)
    assert first.status_code == 200 and first["ETag"]

    again = client_teacher.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""

    sign_in(Client(), letters[0].identifier, "Mauvais#1")
    moved = client_teacher.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]
    assert "1 mot de passe erroné" in moved.content.decode()


def test_another_teacher_never_gets_a_304_for_a_class_that_is_not_theirs(client, teacher, practice):
    from tests.factories import teacher_of

    school_class, _letters = practice
    client.force_login(teacher)
    etag = client.get(reverse("classroom:live", args=[school_class.pk]))["ETag"]
    client.force_login(teacher_of(establishment=school_class.establishment))
    response = client.get(
        reverse("classroom:live", args=[school_class.pk]), HTTP_IF_NONE_MATCH=etag
    )
    assert response.status_code == 404
