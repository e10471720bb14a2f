"""Seed the benchmark's own accounts in the database named by the environment.

Run by bench/run.py with the server's environment. Prints a JSON description of the accounts.
"""

import json
import os
import sys
from datetime import date

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.credentials import add_months  # noqa: E402
from accounts.models import User  # noqa: E402
from charter.models import Acceptance, Charter  # noqa: E402
from pronote.demo import seed_demo  # noqa: E402
from pronote.models import FirstVisit  # noqa: E402
from schools.models import Enrolment, Establishment, SchoolClass  # noqa: E402

PASSWORD = "Soleil#Vert22"
PROVISIONAL = "bench7provisoire"
BIRTH = date(2012, 3, 14)


@transaction.atomic
def seed(active, provisional):
    establishment, _ = Establishment.objects.get_or_create(
        uai="0340011C", defaults={"name": "Cité scolaire Henri IV", "academie": "Montpellier"}
    )
    school_class, _ = SchoolClass.objects.get_or_create(
        establishment=establishment, division="2nde 3"
    )
    charter = Charter.objects.current()
    now = timezone.now()
    # One hash for all: seeding 10,000 accounts must not take 10,000 hashes.
    active_hash, provisional_hash = make_password(PASSWORD), make_password(PROVISIONAL)
    users = [
        User(
            username=f"b.actif{n}",
            first_name="Banc",
            last_name=f"Actif{n}",
            birth_date=BIRTH,
            password=active_hash,
            activated_at=now,
        )
        for n in range(active)
    ] + [
        User(
            username=f"b.provisoire{n}",
            first_name="Banc",
            last_name=f"Provisoire{n}",
            birth_date=BIRTH,
            password=provisional_hash,
            provisional_issued_at=now,
            provisional_expires_at=add_months(now, 3),
        )
        for n in range(provisional)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(username__startswith="b."))
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, establishment=establishment, school_class=school_class) for u in users],
        batch_size=1000,
    )
    active_users = [u for u in users if u.username.startswith("b.actif")]
    Acceptance.objects.bulk_create([Acceptance(user=u, charter=charter) for u in active_users])
    FirstVisit.objects.bulk_create([FirstVisit(user=u) for u in active_users])
    seed_demo(establishments=[establishment], pupils=active_users[:40])
    return {
        "active": [u.username for u in active_users],
        "provisional": sorted(u.username for u in users if u.username.startswith("b.provisoire")),
        "password": PASSWORD,
        "provisional_password": PROVISIONAL,
        "birth_date": BIRTH.strftime("%d/%m/%Y"),
    }


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]), int(sys.argv[2]))))
