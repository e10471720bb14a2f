"""Staff and parents: « Suivi des comptes » shows them, the care actions apply to them, and a
parent whose children have all left leaves (and is purged) with them."""

import csv
import io
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from accounts.models import User
from audit.models import Action, AuditEvent
from families.models import ParentLink
from tests.factories import (
    EstablishmentFactory,
    ParentFactory,
    SchoolClassFactory,
    UserFactory,
)
from tests.helpers import page_of


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def family(school_class):
    theo = UserFactory(school_class=school_class, first_name="Théo", last_name="Counen")
    tom = UserFactory(school_class=school_class, first_name="Tom", last_name="Counen")
    by_sms = ParentFactory(
        activated=True, last_name="Counen", first_name="Sandrine", children=[theo, tom]
    )
    by_letter = ParentFactory(
        activated=True, last_name="Counen", first_name="Marc", children=[theo]
    )
    User.objects.filter(pk=by_letter.pk).update(used_letter_password="argon2$old")
    waiting = ParentFactory(last_name="Fabre", first_name="Nathalie", children=[tom])
    return theo, tom, by_sms, by_letter, waiting


def test_suivi_des_comptes_counts_parents_by_the_way_they_came_in(staff, family):
    page = page_of(staff.get(reverse("funnel")))
    assert "Responsables" in page
    assert 'data-parent-step="known">3<' in page.replace(" ", "")
    assert 'data-parent-step="sms">1<' in page.replace(" ", "")
    assert 'data-parent-step="activated">2<' in page.replace(" ", "")
    assert "inscription par SMS" in page and "activé avec le courrier" in page
    assert "pas encore de compte" in page


def test_a_reported_link_is_listed_for_the_school(staff, family):
    theo, _tom, by_sms, _letter, _waiting = family
    ParentLink.objects.filter(parent=by_sms, child=theo).update(reported_wrong_at=timezone.now())
    page = page_of(staff.get(reverse("funnel")))
    assert "Liens signalés comme erronés" in page
    assert f"{by_sms} → {theo}" in page


def test_another_school_s_secretary_sees_none_of_these_parents(client, family):
    secretary = UserFactory(staff_of=EstablishmentFactory())
    from django.contrib.auth.models import Permission

    secretary.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(secretary)
    page = page_of(client.get(reverse("funnel")))
    assert "Sandrine" not in page and "Aucun responsable." in page


def test_the_csv_export_lists_the_parents_the_staff_member_may_see(client, family):
    """After the pupils, one line per responsable of the secretary's schools, with the state
    of the account and the children linked; formulas neutralised; other schools' left out."""
    theo, _tom, by_sms, _letter, _waiting = family
    User.objects.filter(pk=by_sms.pk).update(last_name="=Counen")
    other_school = EstablishmentFactory(name="Lycée voisin")
    elsewhere = UserFactory(school_class=SchoolClassFactory(establishment=other_school))
    ParentFactory(last_name="Ailleurs", children=[elsewhere])
    school = theo.enrolments.get().establishment
    secretary = UserFactory(staff_of=school)
    secretary.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(secretary)
    response = client.get(reverse("funnel"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-3:] == ["Profil", "Enfants rattachés", "Classe d'entraînement"]
    parents = {row[4]: row for row in rows if row[8] == "Responsable"}
    assert parents[by_sms.username] == [
        school.name,
        "",
        "'=Counen",
        "Sandrine",
        by_sms.username,
        "inscription par SMS",
        "",
        "",
        "Responsable",
        "2",
        "",
    ]
    assert {row[5] for row in parents.values()} == {
        "inscription par SMS",
        "compte activé avec le courrier",
        "pas encore de compte",
    }
    assert [row[8] for row in rows[1:]].count("Élève") == 2
    assert "Ailleurs" not in response.content.decode()


def test_staff_unlock_and_mark_a_parent_as_departed(staff, family):
    _theo, _tom, by_sms, _letter, _waiting = family
    for _attempt in range(5):
        lockout.register_failure(by_sms.username)
    assert lockout.is_locked(by_sms.username)
    changelist = reverse("admin:accounts_user_changelist")
    staff.post(changelist, {"action": "unlock", "_selected_action": [by_sms.pk]})
    assert not lockout.is_locked(by_sms.username)
    staff.post(
        changelist, {"action": "mark_departed", "confirm": "yes", "_selected_action": [by_sms.pk]}
    )
    by_sms.refresh_from_db()
    assert by_sms.departed_at is not None


def test_a_parent_leaves_when_the_last_child_leaves(staff, family):
    """Marc's only child leaves: Marc leaves too. Sandrine still has Tom: she stays."""
    theo, _tom, by_sms, by_letter, _waiting = family
    staff.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mark_departed", "confirm": "yes", "_selected_action": [theo.pk]},
    )
    by_letter.refresh_from_db()
    by_sms.refresh_from_db()
    assert by_letter.departed_at is not None and not by_letter.is_active
    assert by_sms.departed_at is None
    assert AuditEvent.objects.filter(action=Action.PARENT_DEPARTED, subject=by_letter).exists()


def test_the_purge_removes_a_parent_with_the_children(family):
    from accounts.actions import do_mark_departed

    theo, tom, by_sms, by_letter, waiting = family
    for child in (theo, tom):
        do_mark_departed(child)
    out = StringIO()
    call_command("purge_departed", stdout=out)
    assert "responsable\u00a0: départ avec ses enfants" in out.getvalue()
    long_ago = timezone.now() - timedelta(days=100)
    User.objects.filter(pk__in=[theo.pk, tom.pk, by_sms.pk, by_letter.pk, waiting.pk]).update(
        departed_at=long_ago
    )
    call_command("purge_departed", stdout=StringIO())
    assert not User.objects.filter(pk__in=[by_sms.pk, by_letter.pk, waiting.pk]).exists()
    assert not ParentLink.objects.exists()


def test_staff_of_a_school_can_filter_the_user_list_to_parents(staff, family):
    page = page_of(staff.get(reverse("admin:accounts_user_changelist"), {"role__exact": "parent"}))
    assert "Sandrine" in page and "Théo" not in page
    assert "Importer des responsables (CSV)" in page


def test_a_parent_s_page_in_the_admin_shows_the_mobile_and_the_children(staff, family):
    theo, _tom, by_sms, _letter, _waiting = family
    page = page_of(staff.get(reverse("admin:accounts_user_change", args=[by_sms.pk])))
    assert "Théo" in page and "Tom" in page
    page = page_of(staff.get(reverse("admin:accounts_user_change", args=[theo.pk])))
    assert "Sandrine" in page and "Marc" in page
