"""Staff power stops at the school's walls, for families too (schools/rules.py): a secretary
of one school never takes over a parent (or a pupil) that another school also holds, neither
by the parents' import nor by any action."""

from datetime import date

import pytest
from django.urls import reverse

from accounts import lockout
from audit.models import Action, AuditEvent
from families.models import ParentLink
from schools import rules
from schools.models import Enrolment, Role
from tests.factories import EstablishmentFactory, ParentFactory, SchoolClassFactory, UserFactory
from tests.helpers import (
    PARENT_CSV_HEADER,
    confirm_parent_import,
    csv_bytes,
    downloaded,
    job_token_in,
    page_of,
    preview_parent_import,
)

TWO_SCHOOLS = (
    "Ce compte a un enfant dans un autre établissement : seul un superutilisateur, ou le "
    "personnel des deux établissements, peut agir."
)


@pytest.fixture
def henri_iv():
    return EstablishmentFactory(name="Cité scolaire Henri IV")


@pytest.fixture
def henri_iv_son(henri_iv):
    return UserFactory(
        activated=True,
        school_class=SchoolClassFactory(establishment=henri_iv, division="2nde 3"),
        first_name="Hugo",
        last_name="Roussel",
        birth_date=date(2010, 4, 9),
    )


@pytest.fixture
def henri_iv_mother(henri_iv_son):
    """A mother known to Henri IV only, who has her account."""
    return ParentFactory(
        activated=True,
        children=[henri_iv_son],
        first_name="Claire",
        last_name="Roussel",
        username="c.roussel1",
        mobile="+33639980077",
    )


@pytest.fixture
def bruzet_pupil(school_class):
    return UserFactory(
        school_class=school_class,
        first_name="Lina",
        last_name="Counen",
        birth_date=date(2012, 10, 3),
        username="l.counen1",
    )


@pytest.fixture
def family_in_both(pupil, henri_iv_son):
    """A parent with a child at Bruzet (``pupil``) and one at Henri IV."""
    return ParentFactory(
        activated=True, children=[pupil, henri_iv_son], first_name="Marc", last_name="Durand"
    )


def select(client, action, people, **extra):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": action, "_selected_action": [p.pk for p in people], **extra},
    )


def test_the_parents_import_never_attaches_nor_names_a_parent_known_only_to_another_school(
    client, secretary, establishment, bruzet_pupil, henri_iv_mother
):
    """The HIGH finding: her name and mobile on a Bruzet line no longer link her account (and
    then re-issue it): a new responsable is created, and the preview gives no hint."""
    client.force_login(secretary)
    line = ["Roussel", "Claire", "06 39 98 00 77", "", "Counen", "Lina", "03/10/2012", "oui"]
    page = preview_parent_import(client, establishment, csv_bytes([line], header=PARENT_CSV_HEADER))
    text = page_of(page)
    assert "1 responsable à créer" in text and "nouveau" in text
    assert henri_iv_mother.username not in text and "déjà" not in text
    confirm_parent_import(client, page)
    assert not ParentLink.objects.filter(parent=henri_iv_mother, child=bruzet_pupil).exists()
    assert not Enrolment.objects.filter(user=henri_iv_mother, establishment=establishment).exists()
    newcomer = ParentLink.objects.get(child=bruzet_pupil).parent
    assert newcomer != henri_iv_mother and newcomer.username == "c.roussel2"
    # And her letter cannot be re-issued from Bruzet.
    select(client, "reissue_credentials", [henri_iv_mother], confirm="yes")
    henri_iv_mother.refresh_from_db()
    assert henri_iv_mother.provisional_issued_at is None
    assert henri_iv_mother.check_password("Soleil#Vert22")


def test_a_superuser_import_still_finds_the_parent_in_any_school(
    client, staff_user, establishment, bruzet_pupil, henri_iv_mother
):
    """One account for a family across schools remains, when a superuser imports."""
    client.force_login(staff_user)
    line = ["Roussel", "Claire", "0639980077", "", "Counen", "Lina", "03/10/2012", "oui"]
    page = preview_parent_import(client, establishment, csv_bytes([line], header=PARENT_CSV_HEADER))
    assert henri_iv_mother.username in page_of(page)
    confirm_parent_import(client, page)
    assert ParentLink.objects.filter(parent=henri_iv_mother, child=bruzet_pupil).exists()


def test_the_command_import_finds_only_the_parents_of_its_establishment(
    establishment, bruzet_pupil, henri_iv_mother, tmp_path
):
    from django.core.management import call_command

    source = tmp_path / "responsables.csv"
    line = ["Roussel", "Claire", "0639980077", "", "Counen", "Lina", "03/10/2012", "oui"]
    source.write_bytes(csv_bytes([line], header=PARENT_CSV_HEADER))
    call_command("import_parents", str(source), "--establishment", establishment.uai)
    assert ParentLink.objects.get(child=bruzet_pupil).parent != henri_iv_mother


@pytest.mark.parametrize("action", ["reissue_credentials", "print_letters", "mark_departed"])
def test_a_parent_with_a_child_in_another_school_is_out_of_the_secretarys_hands(
    client, secretary, family_in_both, action
):
    """Seen in her list, but every action is refused, and the page says why."""
    client.force_login(secretary)
    assert family_in_both in rules.people_seen_by(secretary)
    assert family_in_both not in rules.people_managed_by(secretary)
    page = page_of(select(client, action, [family_in_both]))
    assert TWO_SCHOOLS in page and 'name="confirm"' not in page
    select(client, action, [family_in_both], confirm="yes")
    family_in_both.refresh_from_db()
    assert family_in_both.provisional_issued_at is None and family_in_both.departed_at is None
    assert family_in_both.check_password("Soleil#Vert22")
    assert not AuditEvent.objects.filter(subject=family_in_both, actor=secretary).exists()


def test_the_confirmation_names_who_is_left_aside_and_why(client, secretary, pupil, family_in_both):
    client.force_login(secretary)
    page = page_of(select(client, "reissue_credentials", [pupil, family_in_both]))
    assert 'name="confirm"' in page and TWO_SCHOOLS in page
    aside = page[page.index('id="out-of-hands"') :]
    assert str(family_in_both) in aside and str(pupil) not in aside
    select(client, "reissue_credentials", [pupil, family_in_both], confirm="yes")
    reissued = AuditEvent.objects.filter(action=Action.CREDENTIALS_REISSUED)
    assert list(reissued.values_list("subject", flat=True)) == [pupil.pk]


def test_unlocking_a_parent_of_two_schools_is_refused_with_the_reason(
    client, secretary, family_in_both
):
    for _ in range(5):
        lockout.register_failure(family_in_both.username)
    assert lockout.is_locked(family_in_both.username)
    client.force_login(secretary)
    response = select(client, "unlock", [family_in_both])
    page = page_of(client.get(response["Location"]))
    assert TWO_SCHOOLS in page and "0 compte débloqué" in page
    assert lockout.is_locked(family_in_both.username)
    assert not AuditEvent.objects.filter(action=Action.UNLOCKED, subject=family_in_both).exists()


def test_a_pupil_enrolled_in_two_schools_is_out_of_hands_too(client, secretary, pupil, henri_iv):
    Enrolment.objects.create(user=pupil, establishment=henri_iv, role=Role.PUPIL)
    assert "aussi inscrit dans un autre établissement" in rules.why_out_of_hands(secretary, pupil)
    client.force_login(secretary)
    select(client, "reissue_credentials", [pupil], confirm="yes")
    assert not AuditEvent.objects.filter(action=Action.CREDENTIALS_REISSUED, subject=pupil).exists()


def test_the_change_view_is_read_only_with_the_reason(client, secretary, family_in_both):
    """No edit either: a new e-mail address would let anyone reset the parent's password."""
    client.force_login(secretary)
    url = reverse("admin:accounts_user_change", args=[family_in_both.pk])
    page = page_of(client.get(url))
    assert TWO_SCHOOLS in page and 'name="email"' not in page
    client.post(
        url,
        {
            "username": family_in_both.username,
            "last_name": family_in_both.last_name,
            "first_name": family_in_both.first_name,
            "role": Role.PARENT,
            "email": "pris@example.org",
        },
    )
    family_in_both.refresh_from_db()
    assert family_in_both.email != "pris@example.org"


def test_staff_of_both_schools_and_a_superuser_may_act(
    client, secretary, staff_user, henri_iv, family_in_both
):
    assert family_in_both in rules.people_managed_by(staff_user)
    Enrolment.objects.create(user=secretary, establishment=henri_iv, role=Role.STAFF)
    assert family_in_both in rules.people_managed_by(secretary)
    assert rules.why_out_of_hands(secretary, family_in_both) is None
    client.force_login(secretary)
    select(client, "reissue_credentials", [family_in_both], confirm="yes")
    family_in_both.refresh_from_db()
    assert family_in_both.provisional_issued_at is not None


def test_the_follow_up_page_gives_no_link_to_act_on_a_family_of_two_schools(
    client, secretary, pupil, family_in_both
):
    client.force_login(secretary)
    page = page_of(client.get(reverse("funnel")))
    change = reverse("admin:accounts_user_change", args=[family_in_both.pk])
    assert change not in page
    assert reverse("admin:accounts_user_change", args=[pupil.pk]) in page
    assert "aussi dans un autre établissement : un superutilisateur s'en charge" in page


@pytest.fixture
def two_school_pupil(school_class, henri_iv):
    pupil = UserFactory(school_class=school_class, first_name="Yanis", last_name="Ait")
    Enrolment.objects.create(user=pupil, establishment=henri_iv, role=Role.PUPIL)
    return pupil


def test_the_seance_offers_no_help_for_a_pupil_of_two_schools_and_refuses_it(
    client, secretary, school_class, two_school_pupil
):
    client.force_login(secretary)
    page = page_of(client.get(reverse("seance", args=[school_class.pk])))
    assert reverse("seance_help", args=[school_class.pk, two_school_pupil.pk]) not in page
    url = reverse("seance_help", args=[school_class.pk, two_school_pupil.pk])
    response = client.post(url, {"aide": "mot-de-passe"}, follow=True)
    assert "aussi inscrit dans un autre établissement" in page_of(response)
    assert not AuditEvent.objects.filter(subject=two_school_pupil, actor=secretary).exists()


def test_the_class_reset_leaves_a_pupil_of_two_schools_aside_and_says_so(
    client, secretary, school_class, pupil, two_school_pupil
):
    client.force_login(secretary)
    url = reverse("seance_reset", args=[school_class.pk])
    confirm_page = client.get(url)
    confirm = page_of(confirm_page)
    aside = confirm[confirm.index('id="out-of-hands"') :]
    assert str(two_school_pupil) in aside and "aussi inscrit dans un autre établissement" in aside
    response = client.post(url, {"confirm": "yes", "job_token": job_token_in(confirm_page)})
    downloaded(client, response)
    assert AuditEvent.objects.filter(subject=pupil, action=Action.CREDENTIALS_REISSUED).exists()
    assert not AuditEvent.objects.filter(subject=two_school_pupil, actor=secretary).exists()


def test_a_queued_batch_checks_the_rule_again_when_it_runs(secretary, pupil, family_in_both):
    """Queued while the family was hers, run after it spanned another school: left out."""
    from nacl.public import PrivateKey

    from staff.tasks import make_letters
    from tests.factories import LetterBatchFactory

    batch = LetterBatchFactory(
        created_by=secretary,
        user_ids=[pupil.pk, family_in_both.pk],
        total=2,
        public_key=bytes(PrivateKey.generate().public_key).hex(),
    )
    make_letters.call(batch.pk)
    reissued = AuditEvent.objects.filter(action=Action.CREDENTIALS_REISSUED)
    assert list(reissued.values_list("subject", flat=True)) == [pupil.pk]
    family_in_both.refresh_from_db()
    assert family_in_both.check_password("Soleil#Vert22")


def test_a_parents_page_names_only_the_children_of_the_secretarys_schools(
    client, secretary, pupil, henri_iv_son, family_in_both
):
    client.force_login(secretary)
    page = page_of(client.get(reverse("admin:accounts_user_change", args=[family_in_both.pk])))
    assert str(pupil) in page and "1 enfant dans un autre établissement." in page
    assert henri_iv_son.last_name not in page
