"""Seed the benchmark's own accounts in the database named by the environment.

Run by bench/run.py with the server's environment. Prints a JSON description of the accounts.
"""

import json
import os
import sys
from datetime import date
from importlib import import_module

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.conf import settings  # noqa: E402
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


REDIRECT_URI = "https://service.banc.invalid/oidc/retour"
CAS_SERVICE = "https://service.banc.invalid/cas/"


@transaction.atomic
def seed_lesson_and_services():
    """What the bench's provider and séance measures need, apart from the accounts above (so
    that their pages stay as they were measured before): a second school with a class of 30
    (a third not yet activated, a third activated, a third through to PRONOTE) watched by a
    teacher whose admin session is made here, a pupil who uses the school's services, and
    those services, OpenID Connect (a confidential client) and CAS, offered to this school."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse

    from idp.actions import do_save_service
    from idp.models import ConnectedService

    school = Establishment.objects.create(
        uai="0340099Z", name="Collège du banc", academie="Montpellier"
    )
    lesson = SchoolClass.objects.create(establishment=school, division="5e S")
    charter = Charter.objects.current()
    now = timezone.now()
    password = make_password(PASSWORD)
    pupils = [
        User(
            username=f"banc.eleve{n}",
            first_name=f"Élève{n:02d}",
            last_name="Banc",
            birth_date=BIRTH,
            password=password,
            **(
                {"provisional_issued_at": now, "provisional_expires_at": add_months(now, 3)}
                if n < 10
                else {"activated_at": now}
            ),
        )
        for n in range(30)
    ]
    service_user = User(
        username="banc.service",
        first_name="Banc",
        last_name="Services",
        birth_date=BIRTH,
        password=password,
        activated_at=now,
    )
    User.objects.bulk_create([*pupils, service_user])
    pupils = list(User.objects.filter(username__startswith="banc.eleve"))
    service_user = User.objects.get(username="banc.service")
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, establishment=school, school_class=lesson) for u in pupils]
        + [Enrolment(user=service_user, establishment=school)]
    )
    through = [u for u in pupils if int(u.username.removeprefix("banc.eleve")) >= 20]
    Acceptance.objects.bulk_create(
        [Acceptance(user=u, charter=charter) for u in [*through, service_user]]
    )
    FirstVisit.objects.bulk_create([FirstVisit(user=u) for u in [*through, service_user]])

    teacher = User.objects.create(
        username="banc.prof", is_staff=True, is_superuser=True, activated_at=now
    )
    # The admin asks staff for a second factor (accounts/middleware.py): one is on record.
    Authenticator.objects.create(
        user=teacher, type=Authenticator.Type.TOTP, data={"secret": "inutilisé"}
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(teacher.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = teacher.get_session_auth_hash()
    session.save()

    oidc = ConnectedService(
        name="Service du banc (OIDC)",
        protocol=ConnectedService.Protocol.OIDC,
        home_url="https://service.banc.invalid/",
        attributes=["identifiant", "profile", "etablissement", "email"],
        redirect_uris=REDIRECT_URI,
    )
    secret = do_save_service(oidc)
    oidc.establishments.add(school)
    cas = ConnectedService(
        name="Service du banc (CAS)",
        protocol=ConnectedService.Protocol.CAS,
        home_url="https://service.banc.invalid/",
        attributes=["identifiant", "profile", "etablissement"],
        cas_service_prefixes=CAS_SERVICE,
    )
    do_save_service(cas)
    cas.establishments.add(school)
    return {
        "service_user": service_user.username,
        "oidc": {"client_id": oidc.oidc_client_id, "secret": secret, "redirect_uri": REDIRECT_URI},
        "cas_service": CAS_SERVICE + "accueil",
        "staff_session": session.session_key,
        "seance_live": reverse("seance_live", args=[lesson.pk]),
    }


if __name__ == "__main__":
    seeded = seed(int(sys.argv[1]), int(sys.argv[2]))
    if len(sys.argv) > 3 and sys.argv[3] == "--lesson-and-services":
        seeded.update(seed_lesson_and_services())
    print(json.dumps(seeded))
