"""The timetable says where a lesson is as a pupil says it (« salle B14 », « gymnase »): the
room is shown as written, never « salle Salle info » or « salle Stade »."""

from django.urls import reverse

from pronote.demo import COLLEGE, LYCEE
from tests.helpers import page_of


def test_every_demo_room_is_written_as_a_pupil_says_it():
    for level in (COLLEGE, LYCEE):
        for _teacher, room in level.staff.values():
            first = room.split()[0]
            assert first in {"salle", "labo", "gymnase", "stade"}, room
            assert "salle salle" not in room.lower()


def test_the_timetable_writes_the_room_as_it_is_written(in_pronote, timetable):
    timetable[0].room = "gymnase"
    timetable[0].save(update_fields=["room"])
    timetable[1].room = "salle B12"
    timetable[1].save(update_fields=["room"])
    page = page_of(in_pronote.get(reverse("pronote:timetable"), {"semaine": "0"}))
    assert "M. Garcia · gymnase" in page and "Mme Roux · salle B12" in page
    assert "salle gymnase" not in page and "salle salle" not in page
