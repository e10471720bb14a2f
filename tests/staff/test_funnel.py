import csv
import io
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from accounts.actions import do_activate_account, do_create_account
from accounts.models import User
from charter.actions import do_accept_charter
from pronote.models import FirstVisit
from tests.factories import EstablishmentFactory, SchoolClassFactory, UserFactory
from tests.helpers import page_of


def pupil(school_class, first, last):
    return do_create_account(
        first_name=first,
        last_name=last,
        birth_date=date(2012, 1, 1),
        establishment=school_class.establishment,
        school_class=school_class,
    ).user


def make_class(school_class, charter):
    """Four pupils, one at each step."""
    issued = pupil(school_class, "Inès", "Benali")
    activated = do_activate_account(
        pupil(school_class, "Lucas", "Martin"), new_password="Abc#defg9h"
    )
    accepted = do_activate_account(
        pupil(school_class, "Chloé", "Nguyen"), new_password="Abc#defg9h"
    )
    do_accept_charter(accepted, charter)
    opened = do_activate_account(pupil(school_class, "Noah", "Le Goff"), new_password="Abc#defg9h")
    do_accept_charter(opened, charter)
    FirstVisit.objects.create(user=opened)
    return issued, activated, accepted, opened


def counts(page):
    import re

    return dict(re.findall(r'data-step="(\w+)">(\d+)<', page))


def test_the_funnel_counts_each_step(client, staff_user, school_class, charter):
    make_class(school_class, charter)
    client.force_login(staff_user)
    page = page_of(client.get(reverse("funnel")))
    assert counts(page) == {"issued": "4", "activated": "3", "charter": "2", "pronote": "1"}


def test_a_pupil_moves_from_issued_to_activated(client, staff_user, school_class, charter):
    ines = pupil(school_class, "Inès", "Benali")
    client.force_login(staff_user)
    assert counts(page_of(client.get(reverse("funnel"))))["activated"] == "0"
    do_activate_account(ines, new_password="Abc#defg9h")
    assert counts(page_of(client.get(reverse("funnel"))))["activated"] == "1"


def test_filters_by_class_step_and_name(client, staff_user, school_class, charter):
    make_class(school_class, charter)
    other = SchoolClassFactory(establishment=school_class.establishment, division="3e A")
    pupil(other, "Léa", "Fabre")
    client.force_login(staff_user)
    page = page_of(client.get(reverse("funnel"), {"classe": other.pk}))
    assert "Fabre" in page and "Benali" not in page
    page = page_of(client.get(reverse("funnel"), {"etape": "charter"}))
    assert "Nguyen" in page and "Benali" not in page
    page = page_of(client.get(reverse("funnel"), {"q": "goff"}))
    assert "Le Goff" in page and "Martin" not in page


def test_expiring_letters_and_locked_accounts_are_listed(client, staff_user, school_class, charter):
    issued, activated, *_ = make_class(school_class, charter)
    User.objects.filter(pk=issued.pk).update(
        provisional_expires_at=timezone.now() + timedelta(days=5)
    )
    for _ in range(5):
        lockout.register_failure(activated.username)
    client.force_login(staff_user)
    page = page_of(client.get(reverse("funnel")))
    assert (
        'id="funnel-expiring"' in page and "Benali" in page.split('id="funnel-expiring"')[1][:300]
    )
    assert 'id="funnel-locked"' in page and "Martin" in page.split('id="funnel-locked"')[1][:300]


def test_less_than_15_days_means_up_to_the_15th_day(client, staff_user, school_class):
    """« expire dans moins de 15 jours »: 14 days and a half is in, 15 days and more is not."""
    soon = UserFactory(provisional=True, school_class=school_class, last_name="Bientot")
    later = UserFactory(provisional=True, school_class=school_class, last_name="Plustard")
    now = timezone.now()
    User.objects.filter(pk=soon.pk).update(provisional_expires_at=now + timedelta(days=14.5))
    User.objects.filter(pk=later.pk).update(
        provisional_expires_at=now + timedelta(days=15, minutes=5)
    )
    client.force_login(staff_user)
    response = client.get(reverse("funnel"))
    assert [row["user"] for row in response.context["expiring"]] == [soon]
    assert "1 courrier expire dans moins de 15 jours" in page_of(response)


def test_the_export_is_safe_against_formula_injection(client, staff_user, school_class, charter):
    pupil(school_class, '=HYPERLINK("http://x")', "@SOMME(A1)")
    client.force_login(staff_user)
    response = client.get(reverse("funnel"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Établissement", "Classe", "Nom"]
    assert rows[1][2] == "'@SOMME(A1)" and rows[1][3].startswith("'=HYPERLINK")


def test_staff_see_only_their_establishment(client, school_class, charter):
    from django.contrib.auth.models import Permission

    from schools.models import Enrolment

    make_class(school_class, charter)
    other = EstablishmentFactory(name="Lycée voisin")
    secretary = UserFactory(staff=True, username="secretariat9")
    secretary.user_permissions.set(Permission.objects.filter(codename="view_user"))
    Enrolment.objects.create(user=secretary, establishment=other, role="personnel")
    client.force_login(secretary)
    page = page_of(client.get(reverse("funnel")))
    assert "Benali" not in page
    assert counts(page)["issued"] == "0"


def test_the_funnel_needs_staff(client, db):
    response = client.get(reverse("funnel"))
    assert response.status_code == 302


def test_the_pupils_are_listed_in_french_alphabetical_order(client, staff_user, school_class):
    """Last name then first name, accents and case ignored at first: Émery with the E."""
    for first, last in [("Zoé", "Zidane"), ("Élise", "Émery"), ("Agathe", "Dupont")]:
        UserFactory(school_class=school_class, first_name=first, last_name=last)
    UserFactory(school_class=school_class, first_name="Aëlys", last_name="Dupont")
    client.force_login(staff_user)
    rows = client.get(reverse("funnel")).context["rows"]
    assert [(r["user"].last_name, r["user"].first_name) for r in rows] == [
        ("Dupont", "Aëlys"),
        ("Dupont", "Agathe"),
        ("Émery", "Élise"),
        ("Zidane", "Zoé"),
    ]
