import json
import secrets
from datetime import date
from io import StringIO

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.actions import do_create_account, do_issue_credentials
from accounts.models import User
from core.site import public_url
from families.demo import seed_parents
from pronote.demo import seed_demo
from schools.models import Enrolment, Establishment, Role, SchoolClass

# The establishments of the seed tutorial. Their UAI codes are made up (valid check letter).
ESTABLISHMENTS = [
    {
        "uai": "0340011C",
        "name": "Cité scolaire Henri IV",
        "academie": "Montpellier",
        "message": (
            "Bienvenue sur l'ENT de la cité scolaire Henri IV de Béziers. Pensez à valider la "
            "charte de l'ENT à votre première connexion."
        ),
        "classes": ["2nde 3", "1re G2"],
    },
    {
        "uai": "0301234D",
        "name": "Collège Alfred Bruzet",
        "academie": "Montpellier",
        "message": (
            "Cette procédure a pour objectif de vous permettre d'accéder au site internet de "
            "l'établissement et de consulter PRONOTE : emploi du temps, notes, travail à faire."
        ),
        "classes": ["4e B", "3e A"],
    },
]

PUPILS = [
    ("0301234D", "4e B", "Théo", "Counen", date(2012, 3, 14)),
    ("0301234D", "4e B", "Éloïse", "D'Arc-Müller", date(2012, 7, 2)),
    ("0301234D", "4e B", "Inès", "Benali", date(2012, 1, 23)),
    ("0301234D", "4e B", "Lucas", "Martin", date(2011, 11, 5)),
    ("0301234D", "4e B", "Chloé", "Nguyen", date(2012, 9, 30)),
    ("0301234D", "4e B", "Noah", "Le Goff", date(2012, 5, 18)),
    ("0301234D", "3e A", "Léa", "Fabre", date(2011, 2, 11)),
    ("0301234D", "3e A", "Tom", "Counen", date(2011, 8, 27)),
    ("0340011C", "2nde 3", "Manon", "Roussel", date(2010, 4, 9)),
    ("0340011C", "2nde 3", "Yanis", "Ait Ouarab", date(2010, 12, 1)),
    ("0340011C", "1re G2", "Jade", "Péréz", date(2009, 6, 15)),
    # Théo and Tom's sister, in the other school: one parent account for the three.
    ("0340011C", "2nde 3", "Lina", "Counen", date(2010, 10, 3)),
]

STAFF_IDENTIFIER = "admin"


def address(name):
    """A page's full address as pupils and staff type it (core/site.py: PUBLIC_URL)."""
    return public_url() + reverse(name).lstrip("/")


SECRETARY_IDENTIFIER = "secretariat.bruzet"
TEACHER_IDENTIFIER = "prof.bruzet"
TEACHER_PRACTICE_PUPILS = 30


class Command(BaseCommand):
    help = _(
        "Crée (ou complète) les données de démonstration et affiche les comptes. Idempotent. "
        "Les comptes déjà activés gardent leur mot de passe ; les autres reçoivent un nouveau "
        "mot de passe provisoire, puisque l'ancien n'est enregistré nulle part."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="sortie JSON")
        parser.add_argument(
            "--reissue",
            action="store_true",
            help="ré-émettre un mot de passe provisoire à tous les élèves de démonstration, "
            "y compris ceux qui ont activé leur compte",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        establishments = {}
        for spec in ESTABLISHMENTS:
            establishment, _created = Establishment.objects.update_or_create(
                uai=spec["uai"],
                defaults={k: spec[k] for k in ("name", "academie", "message")},
            )
            establishments[spec["uai"]] = establishment
            for division in spec["classes"]:
                SchoolClass.objects.get_or_create(establishment=establishment, division=division)

        accounts = [
            self._staff(
                STAFF_IDENTIFIER, "Administration", list(establishments.values()), superuser=True
            ),
            self._staff(
                SECRETARY_IDENTIFIER,
                "Secrétariat",
                [establishments["0301234D"]],
                superuser=False,
                group=self._secretariat_group(),
            ),
        ]
        accounts.append(self._teacher(establishments["0301234D"]))
        for uai, division, first_name, last_name, birth_date in PUPILS:
            establishment = establishments[uai]
            school_class = SchoolClass.objects.get(establishment=establishment, division=division)
            accounts.append(
                self._pupil(
                    establishment,
                    school_class,
                    first_name,
                    last_name,
                    birth_date,
                    options["reissue"],
                )
            )

        pupils = list(
            User.objects.filter(
                username__in=[a["identifier"] for a in accounts if a["role"] == Role.PUPIL]
            )
        )
        seed_demo(establishments=list(establishments.values()), pupils=pupils)
        parents = seed_parents(pupils, reissue=options["reissue"])

        if options["json"]:
            self.stdout.write(
                json.dumps(accounts + self._parent_rows(parents), ensure_ascii=False, indent=2)
            )
        else:
            self._print_table(accounts)
            self._print_parents(parents)

    def _parent_rows(self, parents):
        return [
            {
                "identifier": parent["identifier"],
                "password": parent["password"],
                "birth_date": None,
                "establishment": None,
                "class": None,
                "role": Role.PARENT.value,
                "mobile": parent["mobile"],
                "children": parent["children"],
            }
            for parent in parents
        ]

    def _print_parents(self, parents):
        self.stdout.write(self.style.MIGRATE_HEADING(_("Responsables de démonstration")))
        self.stdout.write(
            f"{_('Identifiant'):<18} {_('Mot de passe'):<22} {_('Portable'):<16} {_('Enfants')}"
        )
        for parent in parents:
            password = parent["password"] or (
                _("(compte déjà activé)") if parent["activated"] else _("(inscription par SMS)")
            )
            self.stdout.write(
                f"{parent['identifier']:<18} {password:<22} {parent['mobile'] or '—':<16} "
                f"{', '.join(parent['children'])}"
            )
        self.stdout.write("")
        self.stdout.write(
            _(
                "Responsables : « Je n'ai pas de compte » sur la page de "
                "connexion, avec le "
                "portable ; le code arrive sur %(phone)s . Avec un "
                "mot de passe : le courrier (adresse mail à confirmer : une adresse "
                "inventée "
                "comme marc@exemple.test reçoit le lien sur %(mailbox)s ), puis « Mon "
                "compte › "
                "Mes enfants » pour regrouper l'autre courrier."
            )
            % {
                "phone": address("families:demo_phone"),
                "mailbox": address("accounts:demo_mailbox"),
            }
        )

    def _pupil(self, establishment, school_class, first_name, last_name, birth_date, reissue):
        enrolment = (
            Enrolment.objects.current()
            .filter(
                establishment=establishment,
                user__first_name=first_name,
                user__last_name=last_name,
                user__birth_date=birth_date,
            )
            .select_related("user")
            .first()
        )
        if enrolment is None:
            issued = do_create_account(
                first_name=first_name,
                last_name=last_name,
                birth_date=birth_date,
                establishment=establishment,
                school_class=school_class,
            )
            user, password = issued.user, issued.password
        elif reissue or enrolment.user.is_provisional:
            issued = do_issue_credentials(enrolment.user)
            user, password = issued.user, issued.password
        else:
            user, password = enrolment.user, None
        return {
            "identifier": user.username,
            "password": password,
            "birth_date": birth_date.isoformat(),
            "establishment": establishment.name,
            "class": school_class.division,
            "role": Role.PUPIL.value,
        }

    def _staff(self, identifier, first_name, establishments, *, superuser, group=None):
        user, _created = User.objects.get_or_create(
            username=identifier,
            defaults={"first_name": first_name, "last_name": "Démo", "role": Role.STAFF},
        )
        # A fresh password at every run: it is printed below and stored nowhere in clear.
        password = "Demo-" + secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff, user.is_superuser = True, superuser
        user.activated_at = user.activated_at or user.date_joined
        user.save(update_fields=["password", "is_staff", "is_superuser", "activated_at"])
        if group:
            user.groups.add(group)
        # The admin asks for a TOTP code at every sign-in: the demo staff accounts have a key.
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        for establishment in establishments:
            Enrolment.objects.get_or_create(
                user=user,
                establishment=establishment,
                left_at=None,
                defaults={"role": Role.STAFF},
            )
        return {
            "identifier": user.username,
            "password": password,
            "birth_date": None,
            "establishment": ", ".join(e.name for e in establishments),
            "class": None,
            "role": Role.STAFF.value,
        }

    def _teacher(self, establishment):
        """A teacher of 4e B at Collège Alfred Bruzet, already activated (a password printed
        at every run, like staff), who owns a practice class of invented pupils: « Mes
        classes » works at once. The practice class is made once (and again after its purge)."""
        user, _created = User.objects.get_or_create(
            username=TEACHER_IDENTIFIER,
            defaults={
                "first_name": "Dominique",
                "last_name": "Lambert",
                "role": Role.TEACHER,
                "birth_date": date(1984, 9, 21),
            },
        )
        password = "Demo-" + secrets.token_urlsafe(12)
        user.set_password(password)
        user.activated_at = user.activated_at or user.date_joined
        user.save(update_fields=["password", "activated_at"])
        Enrolment.objects.get_or_create(
            user=user, establishment=establishment, left_at=None, defaults={"role": Role.TEACHER}
        )
        SchoolClass.objects.get(establishment=establishment, division="4e B").teachers.add(user)
        if not user.classes_taught.filter(practice=True).exists():
            # By its name: the classroom room is above this one (nothing imports it).
            call_command(
                "practice_class",
                establishment=establishment.uai,
                count=TEACHER_PRACTICE_PUPILS,
                teacher=user.username,
                stdout=StringIO(),
            )
        return {
            "identifier": user.username,
            "password": password,
            "birth_date": None,
            "establishment": establishment.name,
            "class": "4e B",
            "role": Role.TEACHER.value,
        }

    def _secretariat_group(self):
        """What a school secretary needs in the admin, for their own establishment only."""
        group, _created = Group.objects.get_or_create(name="Secrétariat")
        group.permissions.set(
            Permission.objects.filter(
                Q(content_type__app_label__in=["accounts", "audit", "staff", "pronote"])
                | Q(content_type__app_label="schools", codename__startswith="view_")
                | Q(content_type__app_label="charter", codename__startswith="view_")
            ).exclude(codename__in=["delete_user", "delete_auditevent"])
        )
        return group

    def _print_table(self, accounts):
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Comptes de démonstration")))
        self.stdout.write(
            f"{_('Identifiant'):<18} {_('Mot de passe'):<22} {_('Naissance'):<11} "
            f"{_('Classe'):<8} {_('Établissement')}"
        )
        for account in accounts:
            password = account["password"] or _("(compte déjà activé : --reissue)")
            birth = (
                date.fromisoformat(account["birth_date"]).strftime("%d/%m/%Y")
                if account["birth_date"]
                else "—"
            )
            self.stdout.write(
                f"{account['identifier']:<18} {password:<22} {birth:<11} "
                f"{account['class'] or '—':<8} {account['establishment']}"
            )
        self.stdout.write("")
        self.stdout.write(
            _(
                "Élèves : %(portal)s (identifiant + mot de passe provisoire, puis "
                "activation avec la date de naissance)."
            )
            % {"portal": public_url()}
        )
        # The TOTP code comes from the database being served: the classroom's has its own door.
        totp = (
            ".venv/bin/python scripts/classroom manage totp_code"
            if settings.DJANGO_ENV == "classroom"
            else "DEBUG=1 .venv/bin/python manage.py totp_code"
        )
        self.stdout.write(
            _(
                "Enseignant : %(url)senseignant/ (%(identifier)s) : « Mes "
                "classes », la 4e B et "
                "une classe d'entraînement de %(count)d élèves inventés, dont imprimer les "
                "courriers."
            )
            % {
                "url": public_url(),
                "identifier": TEACHER_IDENTIFIER,
                "count": TEACHER_PRACTICE_PUPILS,
            }
        )
        self.stdout.write(
            _(
                "Personnel : %(admin)s (%(identifier)s), puis le code TOTP "
                "donné par : %(totp)s %(identifier)s"
            )
            % {"admin": address("admin:index"), "identifier": STAFF_IDENTIFIER, "totp": totp}
        )
