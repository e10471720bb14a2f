"""PRONOTE's « Espace Parents »: the pages of the selected child, a switcher among one's own
children, and nothing of anyone else's."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from charter.actions import do_accept_charter
from pronote.models import FirstVisit
from tests.factories import (
    EstablishmentFactory,
    EvaluationFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
    ParentFactory,
    SchoolClassFactory,
    SchoolLifeEventFactory,
    SubjectFactory,
    UserFactory,
)
from tests.helpers import page_of


@pytest.fixture
def family(school_class, charter):
    """Sandrine, responsable of Théo (4e B, Bruzet) and Lina (2nde 3, another school), with a
    mark, a homework, a lesson and an absence each; and a classmate of Théo's with a mark."""
    lycee = SchoolClassFactory(
        establishment=EstablishmentFactory(name="Cité scolaire Henri IV"), division="2nde 3"
    )
    theo = UserFactory(
        activated=True,
        school_class=school_class,
        first_name="Théo",
        last_name="Counen",
        birth_date=date(2012, 3, 14),
    )
    lina = UserFactory(
        activated=True,
        school_class=lycee,
        first_name="Lina",
        last_name="Counen",
        birth_date=date(2010, 10, 3),
    )
    classmate = UserFactory(activated=True, school_class=school_class, first_name="Noah")
    parent = ParentFactory(
        activated=True, first_name="Sandrine", last_name="Counen", children=[theo, lina]
    )
    for child, school, subject, mark in [
        (theo, school_class, "Technologie", "13"),
        (lina, lycee, "Philosophie", "17"),
    ]:
        evaluation = EvaluationFactory(
            school_class=school, subject=SubjectFactory(name=subject), title=f"Devoir {subject}"
        )
        MarkFactory(evaluation=evaluation, pupil=child, value=Decimal(mark))
        HomeworkFactory(school_class=school, description=f"Exercices de {subject}")
        LessonFactory(school_class=school, subject=SubjectFactory(name=subject))
        SchoolLifeEventFactory(pupil=child, reason=f"Absence de {child.first_name}")
    MarkFactory(
        evaluation=EvaluationFactory(school_class=school_class, title="Devoir de Noah"),
        pupil=classmate,
        value=Decimal("4"),
    )
    do_accept_charter(parent, charter)
    FirstVisit.objects.create(user=parent)
    return parent, theo, lina, classmate


@pytest.fixture
def parent_client(client, family):
    client.force_login(family[0])
    return client


def choose(client, child, section="grades"):
    return client.post(reverse("pronote:choose_child"), {"enfant": child.pk, "rubrique": section})


def test_a_parent_sees_the_espace_parents_with_a_child_switcher(parent_client, family):
    page = page_of(parent_client.get(reverse("pronote:grades")))
    assert "Espace Parents" in page and "Espace Élèves" not in page
    assert 'name="enfant"' in page
    assert "Théo Counen" in page and "Lina Counen" in page


def test_switching_child_shows_that_child_s_grades_homework_timetable_and_absences(
    parent_client, family
):
    _parent, theo, lina, _classmate = family
    assert choose(parent_client, lina)["Location"] == reverse("pronote:grades")
    grades = page_of(parent_client.get(reverse("pronote:grades")))
    assert "Devoir Philosophie" in grades and "Devoir Technologie" not in grades
    assert "Cité scolaire Henri IV" in grades
    assert "Exercices de Philosophie" in page_of(parent_client.get(reverse("pronote:homework")))
    assert "Philosophie" in page_of(parent_client.get(reverse("pronote:timetable")))
    life = page_of(parent_client.get(reverse("pronote:school_life")))
    assert "Absence de Lina" in life and "Absence de Théo" not in life

    choose(parent_client, theo, "homework")
    homework = page_of(parent_client.get(reverse("pronote:homework")))
    assert "Exercices de Technologie" in homework and "Exercices de Philosophie" not in homework
    grades = page_of(parent_client.get(reverse("pronote:grades")))
    assert "Devoir Technologie" in grades and "Devoir de Noah" not in grades


def test_the_ent_follows_the_child_into_its_establishment(parent_client, family):
    """« Mes portails » lists each child's establishment; choosing Lina switches to hers."""
    _parent, _theo, lina, _classmate = family
    home = page_of(parent_client.get(reverse("portal:ent_home")))
    assert "Cité scolaire Henri IV" in home and "Collège Alfred Bruzet" in home
    choose(parent_client, lina)
    assert (
        parent_client.session["current_establishment_id"] == lina.enrolments.get().establishment_id
    )


def test_a_parent_cannot_choose_someone_else_s_child(parent_client, family):
    _parent, theo, _lina, classmate = family
    response = choose(parent_client, classmate)
    assert response.status_code == 302
    page = page_of(parent_client.get(reverse("pronote:grades"), follow=True))
    assert "ne fait pas partie de vos enfants" in page
    assert "Devoir de Noah" not in page and "Noah" not in page


def test_a_link_reported_as_wrong_hides_the_child(parent_client, family):
    from django.utils import timezone

    from families.models import ParentLink

    parent, theo, lina, _classmate = family
    ParentLink.objects.filter(parent=parent, child=lina).update(reported_wrong_at=timezone.now())
    choose(parent_client, lina)
    page = page_of(parent_client.get(reverse("pronote:grades")))
    assert "Devoir Philosophie" not in page and "Lina" not in page


def test_a_departed_child_is_no_longer_shown(parent_client, family):
    from accounts.actions import do_mark_departed

    _parent, _theo, lina, _classmate = family
    do_mark_departed(lina)
    page = page_of(parent_client.get(reverse("pronote:grades")))
    assert "Lina" not in page


def test_a_pupil_never_sees_the_parent_pages(client, family):
    """A pupil has no switcher and cannot use it to read a sibling's page."""
    _parent, theo, lina, _classmate = family
    from charter.models import Charter

    do_accept_charter(theo, Charter.objects.current())
    FirstVisit.objects.create(user=theo)
    client.force_login(theo)
    page = page_of(client.get(reverse("pronote:grades")))
    assert "Espace Élèves" in page and "Espace Parents" not in page and 'name="enfant"' not in page
    assert choose(client, lina).status_code == 404
    assert "Devoir Philosophie" not in page_of(client.get(reverse("pronote:grades")))


def test_a_parent_without_any_child_left_gets_the_not_simulated_page(
    client, charter, establishment
):
    parent = ParentFactory(activated=True)
    from schools.models import Enrolment, Role

    Enrolment.objects.create(user=parent, establishment=establishment, role=Role.PARENT)
    do_accept_charter(parent, charter)
    FirstVisit.objects.create(user=parent)
    client.force_login(parent)
    response = client.get(reverse("pronote:grades"))
    assert response.status_code == 200 and "Espace non simulé" in page_of(response)
    assert "Aucun élève n'est rattaché à votre compte de responsable" in page_of(response)


def test_a_parent_s_first_pronote_page_is_the_espace_parents(parent_client, family):
    """The first connection page speaks to the parent, of their children, under the banner
    of the « Espace Parents » with the parent's name, as the pages that follow it."""
    parent, theo, lina, _classmate = family
    FirstVisit.objects.filter(user=parent).delete()
    response = parent_client.get(reverse("pronote:home"))
    assert response.status_code == 200
    page = page_of(response)
    assert "Espace Parents — Sandrine Counen" in page and "Espace Élèves" not in page
    assert "la scolarité de vos enfants" in page
    assert "Théo Counen" in page and "Lina Counen" in page
    assert "ses notes" in page and "vos notes" not in page and "votre classe" not in page
    assert "C'est votre première connexion à PRONOTE. Vous y trouverez" not in page


def test_a_parent_of_one_child_reads_the_child_s_name_on_the_first_page(client, family):
    parent, theo, lina, _classmate = family
    only = ParentFactory(activated=True, first_name="Marc", last_name="Lefort", children=[lina])
    from charter.models import Charter

    do_accept_charter(only, Charter.objects.latest("pk"))
    client.force_login(only)
    page = page_of(client.get(reverse("pronote:home")))
    assert "Espace Parents — Marc Lefort" in page
    assert "la scolarité de votre enfant, Lina Counen :" in page
    assert "Cité scolaire Henri IV — 2nde 3" in page  # the child's class, not the parent's
    assert "vos absences" not in page


def test_a_pupil_s_first_page_stays_the_espace_eleves(client, family):
    _parent, theo, _lina, _classmate = family
    from charter.models import Charter

    do_accept_charter(theo, Charter.objects.latest("pk"))
    client.force_login(theo)
    page = page_of(client.get(reverse("pronote:home")))
    assert "Espace Élèves" in page and "Espace Parents" not in page
    assert "vos notes, avec la moyenne de la classe" in page
