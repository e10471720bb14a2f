from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.actions import do_create_account, do_issue_credentials
from accounts.models import User
from schools.models import Role, SchoolClass
from staff.forms import BirthDateField
from staff.management.helpers import establishment_by_uai


def parse_date(value):
    try:
        return BirthDateField().clean(value)
    except ValidationError as exc:
        message = _("Date de naissance : %(error)s") % {"error": exc.messages[0]}
        raise CommandError(message) from None


class Command(BaseCommand):
    help = _(
        "Crée un compte et émet ses identifiants provisoires, ou ré-émet ceux d'un compte "
        "existant (--reissue). Le mot de passe provisoire n'est affiché qu'une fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reissue", metavar="IDENTIFIANT", help="ré-émettre pour ce compte")
        parser.add_argument("--first-name", help="prénom")
        parser.add_argument("--last-name", help="nom")
        parser.add_argument("--birth-date", help="date de naissance, JJ/MM/AAAA")
        parser.add_argument("--establishment", metavar="UAI", help="code UAI de l'établissement")
        parser.add_argument("--class", dest="division", help="classe, par exemple « 4e B »")
        parser.add_argument("--role", choices=Role.values, default=Role.PUPIL)

    def handle(self, *args, **options):
        if options["reissue"]:
            try:
                user = User.objects.get(username=options["reissue"].strip().lower())
            except User.DoesNotExist:
                raise CommandError(
                    _("Aucun compte « %(identifier)s ».") % {"identifier": options["reissue"]}
                ) from None
            issued = do_issue_credentials(user)
        else:
            issued = self._create(options)
        self.stdout.write(_("Identifiant : %s") % issued.identifier)
        self.stdout.write(_("Mot de passe provisoire : %s") % issued.password)
        self.stdout.write(_("Valable jusqu'au : %s") % f"{issued.expires_at:%d/%m/%Y}")

    def _create(self, options):
        missing = [
            f"--{name.replace('_', '-')}"
            for name in ("first_name", "last_name", "birth_date", "establishment")
            if not options[name]
        ]
        if missing:
            raise CommandError(
                _("Il manque : %(options)s (ou --reissue IDENTIFIANT).")
                % {"options": ", ".join(missing)}
            )
        establishment = establishment_by_uai(options["establishment"])
        school_class = None
        if options["division"]:
            school_class, _created = SchoolClass.objects.get_or_create(
                establishment=establishment, division=options["division"].strip()
            )
        try:
            return do_create_account(
                first_name=options["first_name"],
                last_name=options["last_name"],
                birth_date=parse_date(options["birth_date"]),
                establishment=establishment,
                school_class=school_class,
                role=options["role"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
