from django.urls import reverse

from schools.models import Enrolment
from tests.factories import EstablishmentFactory, SchoolClassFactory
from tests.helpers import page_of


def test_the_ent_home_welcomes_on_the_current_establishment(accepted):
    page = page_of(accepted.get(reverse("portal:ent_home")))
    assert "Bienvenue sur l'Espace Numérique de Travail" in page
    assert 'id="current-establishment">Collège Alfred Bruzet<' in page
    assert "Mes portails" in page
    assert "Scolarité" in page and f'href="{reverse("pronote:home")}"' in page


def test_with_one_establishment_it_is_said_without_a_lone_radio(accepted, pupil):
    """No checked radio button without a button to send it: the one portal in words."""
    page = page_of(accepted.get(reverse("portal:ent_home")))
    enrolment = pupil.enrolments.get()
    assert 'type="radio"' not in page
    assert f'id="current-portal">{enrolment.establishment.name}' in page
    assert "Changer d'établissement" not in page
    # Nothing to select: the page does not ask to select one.
    assert "sélectionnez" not in page and "Votre compte ouvre l'ENT d'un seul établissement" in page


def test_without_establishment_nothing_is_to_be_selected(accepted, pupil):
    pupil.enrolments.all().delete()
    page = page_of(accepted.get(reverse("portal:ent_home")))
    assert "Votre compte n'est rattaché à aucun établissement" in page
    assert "Aucun portail pour le moment." in page and "sélectionnez" not in page


def test_mes_portails_switches_between_ones_own_establishments(accepted, pupil):
    lycee = EstablishmentFactory(name="Cité scolaire Henri IV")
    Enrolment.objects.create(
        user=pupil,
        establishment=lycee,
        school_class=SchoolClassFactory(establishment=lycee, division="2nde 3"),
    )
    page = page_of(accepted.get(reverse("portal:ent_home")))
    assert 'id="current-establishment">Cité scolaire Henri IV<' in page  # alphabetical first
    assert "Si ce n'est pas le cas, sélectionnez-le ici." in page
    bruzet = pupil.enrolments.get(establishment__name="Collège Alfred Bruzet").establishment
    response = accepted.post(reverse("portal:switch_portal"), {"establishment": bruzet.pk})
    assert response["Location"] == reverse("portal:ent_home")
    page = page_of(accepted.get(reverse("portal:ent_home")))
    assert 'id="current-establishment">Collège Alfred Bruzet<' in page


def test_one_cannot_switch_to_someone_elses_establishment(accepted):
    other = EstablishmentFactory(name="Lycée des autres")
    for value in [other.pk, "abc", ""]:
        response = accepted.post(
            reverse("portal:switch_portal"), {"establishment": value}, follow=True
        )
        page = page_of(response)
        assert "ne fait pas partie de vos portails" in page
        assert 'id="current-establishment">Collège Alfred Bruzet<' in page


def test_the_ent_home_costs_a_bounded_number_of_queries(
    accepted, pupil, django_assert_max_num_queries
):
    for index in range(6):
        school = EstablishmentFactory()
        Enrolment.objects.create(user=pupil, establishment=school)
        Enrolment.objects.create(
            user=pupil.__class__.objects.create(username=f"x.autre{index}"),
            establishment=school,
        )
    with django_assert_max_num_queries(8):
        assert accepted.get(reverse("portal:ent_home")).status_code == 200
