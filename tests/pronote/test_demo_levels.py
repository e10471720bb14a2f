"""The demo's PRONOTE data differ by level and class: a 2nde has a lycée's week (SES, SNT,
physique-chimie…), a 4e a collège's; siblings never share a week; in the parents' space,
switching from Lina (2nde) to Théo (4e) shows other lessons, teachers, rooms, marks and
homework, and the page's title names the child and the week."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from charter.actions import do_accept_charter
from families.actions import children_of
from pronote.models import Evaluation, FirstVisit, Homework, Lesson
from tests.helpers import page_of


@pytest.fixture
def demo(db, charter):
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def week(school_class):
    return [
        (lesson.weekday, lesson.starts_at, lesson.subject.name, lesson.teacher, lesson.room)
        for lesson in Lesson.objects.filter(school_class=school_class)
        .select_related("subject")
        .order_by("weekday", "starts_at")
    ]


def class_of(first_name, last_name):
    user = User.objects.get(first_name=first_name, last_name=last_name)
    return user.enrolments.current().get().school_class


def test_a_2nde_has_a_lycees_week_and_a_4e_a_colleges(demo):
    lina, theo = class_of("Lina", "Counen"), class_of("Théo", "Counen")
    lycee = {subject for _d, _t, subject, _te, _r in week(lina)}
    college = {subject for _d, _t, subject, _te, _r in week(theo)}
    assert {"SES", "SNT", "Physique-chimie"} <= lycee
    assert "Technologie" not in lycee and "Arts plastiques" not in lycee
    assert {"Technologie", "Arts plastiques"} <= college and not {"SES", "SNT"} & college
    teachers = {(te, r) for *_x, te, r in week(lina)} & {(te, r) for *_x, te, r in week(theo)}
    assert teachers == set()


def test_siblings_never_share_a_week(demo):
    parents = [a for a in demo if a["role"] == "parent"]
    for parent in parents:
        classes = {
            child.enrolments.current().get().school_class
            for child in children_of(User.objects.get(username=parent["identifier"]))
        }
        weeks = [tuple(week(c)) for c in classes]
        assert len(set(weeks)) == len(weeks), parent["identifier"]


def test_evaluations_and_homework_follow_the_level(demo):
    lina, theo = class_of("Lina", "Counen"), class_of("Théo", "Counen")
    titles = {
        c: set(Evaluation.objects.filter(school_class=c).values_list("title", flat=True))
        for c in (lina, theo)
    }
    assert titles[lina].isdisjoint(titles[theo])
    homework = {
        c: set(Homework.objects.filter(school_class=c).values_list("description", flat=True))
        for c in (lina, theo)
    }
    assert homework[lina].isdisjoint(homework[theo])


def test_switching_child_in_the_parents_space_changes_the_week_and_the_title(client, demo, charter):
    lina = User.objects.get(first_name="Lina", last_name="Counen")
    theo = User.objects.get(first_name="Théo", last_name="Counen")
    parent = next(
        p for p in User.objects.filter(role="parent") if {lina, theo} <= set(children_of(p))
    )
    do_accept_charter(parent, charter)
    FirstVisit.objects.create(user=parent)
    client.force_login(parent)
    pages = {}
    for child in (lina, theo):
        client.post(reverse("pronote:choose_child"), {"enfant": child.pk, "rubrique": "timetable"})
        pages[child.first_name] = page_of(client.get(reverse("pronote:timetable")))
    ses, techno = 'lesson__subject">SES<', 'lesson__subject">Technologie<'
    assert ses in pages["Lina"] and ses not in pages["Théo"]
    assert techno in pages["Théo"] and techno not in pages["Lina"]
    assert "<title>Emploi du temps — Lina Counen — semaine du" in pages["Lina"]
    assert "<title>Emploi du temps — Théo Counen — semaine du" in pages["Théo"]
    client.post(reverse("pronote:choose_child"), {"enfant": lina.pk, "rubrique": "grades"})
    grades = page_of(client.get(reverse("pronote:grades")))
    assert "<title>Notes — Lina Counen" in grades and "fonctions affines" in grades
