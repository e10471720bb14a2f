import json
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from schools.models import Establishment


def run_demo(*args):
    out = StringIO()
    call_command("demo", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_demo_creates_the_seed_schools_and_prints_working_accounts(db):
    accounts = [a for a in run_demo() if a["role"] != "parent"]
    names = set(Establishment.objects.values_list("name", flat=True))
    assert {"Cité scolaire Henri IV", "Collège Alfred Bruzet"} <= names
    assert all(
        set(a) == {"identifier", "password", "birth_date", "establishment", "class", "role"}
        for a in accounts
    )
    pupils = [a for a in accounts if a["role"] == "eleve"]
    assert len(pupils) >= 8
    assert {"t.counen1", "t.counen2", "e.darcmuller1"} <= {a["identifier"] for a in pupils}
    for account in accounts:
        user = User.objects.get(username=account["identifier"])
        assert user.check_password(account["password"])
        if account["role"] == "eleve":
            assert user.is_provisional
            assert user.birth_date.isoformat() == account["birth_date"]
    staff = User.objects.get(username="admin")
    assert staff.is_staff and staff.is_superuser


def test_demo_is_idempotent_and_keeps_activated_pupils(db):
    first = run_demo()
    count = User.objects.count()
    activated = User.objects.get(username="t.counen1")
    activated.provisional_issued_at = None
    activated.set_password("Soleil#Vert22")
    activated.save()
    second = run_demo()
    assert User.objects.count() == count
    assert len(first) == len(second)
    theo = next(a for a in second if a["identifier"] == "t.counen1")
    assert theo["password"] is None
    assert User.objects.get(username="t.counen1").check_password("Soleil#Vert22")
    other = next(a for a in second if a["identifier"] == "i.benali1")
    assert User.objects.get(username="i.benali1").check_password(other["password"])


def test_demo_reissue_gives_every_pupil_a_fresh_letter(db):
    run_demo()
    theo = User.objects.get(username="t.counen1")
    theo.provisional_issued_at = None
    theo.save()
    accounts = run_demo("--reissue")
    entry = next(a for a in accounts if a["identifier"] == "t.counen1")
    theo.refresh_from_db()
    assert theo.is_provisional and theo.check_password(entry["password"])


def test_demo_prints_a_table_for_people(db):
    out = StringIO()
    call_command("demo", stdout=out)
    assert "t.counen1" in out.getvalue()
    assert "14/03/2012" in out.getvalue()


def test_the_demo_secretary_manages_only_her_school(client, db):
    from django.urls import reverse

    from tests.helpers import page_of

    accounts = run_demo()
    assert any(a["identifier"] == "secretariat.bruzet" for a in accounts)
    secretary = User.objects.get(username="secretariat.bruzet")
    assert secretary.is_staff and not secretary.is_superuser
    client.force_login(secretary)
    page = page_of(client.get(reverse("admin:accounts_user_changelist")))
    assert "t.counen1" in page  # Collège Alfred Bruzet
    assert "m.roussel1" not in page  # Cité scolaire Henri IV
    assert client.get(reverse("admin:accounts_user_import")).status_code == 200
    assert client.get(reverse("funnel")).status_code == 200


def test_demo_parents_have_fiction_numbers_and_one_family_spans_two_schools(db):
    """Every demo pupil has a responsable on 06 39 98 xx xx; the Counen parents have one
    account each for Théo and Tom (Bruzet) and Lina (Henri IV)."""
    from families.models import ParentLink

    accounts = run_demo()
    parents = [a for a in accounts if a["role"] == "parent"]
    mobiles = [a["mobile"] for a in parents if a["mobile"]]
    assert parents and all(m.startswith("06\u00a039\u00a098\u00a0") for m in mobiles)
    pupils = {a["identifier"] for a in accounts if a["role"] == "eleve"}
    assert pupils <= set(ParentLink.objects.values_list("child__username", flat=True))
    sandrine = User.objects.get(first_name="Sandrine", last_name="Counen")
    assert str(sandrine.parent_profile.mobile) == "+33639980001"
    schools = set(
        sandrine.enrolments.filter(left_at__isnull=True).values_list(
            "establishment__name", flat=True
        )
    )
    assert schools == {"Cité scolaire Henri IV", "Collège Alfred Bruzet"}
    assert sandrine.child_links.count() == 3
    run_demo()  # idempotent
    assert User.objects.filter(first_name="Sandrine").count() == 1
    assert sandrine.child_links.count() == 3


def test_demo_gives_marc_counen_two_letters_to_group(db):
    """A letter from each school, at the same name: the « Mes enfants » exercise."""
    parents = [a for a in run_demo() if a["role"] == "parent" and a["password"]]
    marc = [a for a in parents if a["identifier"].startswith("m.counen")]
    assert len(marc) == 2
    for account in marc:
        user = User.objects.get(username=account["identifier"])
        assert user.is_provisional and user.check_password(account["password"])
    assert sorted(len(a["children"]) for a in marc) == [1, 2]
    again = [a for a in run_demo() if a["identifier"].startswith("m.counen")]
    assert len(again) == 2  # idempotent: the same two accounts, new letters


def test_demo_has_a_teacher_of_4e_b_with_a_practice_class_of_30_made_once(db):
    from schools.models import SchoolClass

    accounts = run_demo()
    row = next(a for a in accounts if a["role"] == "enseignant")
    teacher = User.objects.get(username=row["identifier"])
    assert teacher.check_password(row["password"]) and not teacher.is_staff
    assert teacher.activated_at is not None and row["class"] == "4e B"
    taught = teacher.classes_taught.all()
    assert {c.division for c in taught if not c.practice} == {"4e B"}
    practice = [c for c in taught if c.practice]
    assert len(practice) == 1 and practice[0].enrolments.count() == 30
    run_demo()
    assert SchoolClass.objects.filter(practice=True).count() == 1


def test_demo_prints_the_address_pupils_type(db, settings):
    """PUBLIC_URL (make classroom, make run PORT=…), never a hard-coded 127.0.0.1:8000."""
    settings.PUBLIC_URL = "http://10.0.0.5:8080"
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue().replace("\u00a0", " ")
    assert "Élèves : http://10.0.0.5:8080/ " in text
    assert "http://10.0.0.5:8080/admin/" in text
    assert "http://10.0.0.5:8080/telephone-demo/" in text
    assert "127.0.0.1" not in text
