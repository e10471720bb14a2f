from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from classroom.actions import do_create_practice_class
from classroom.practice import MAX_PUPILS
from schools.models import Establishment


class Command(BaseCommand):
    help = _(
        "Crée une classe d'entraînement d'élèves inventés dans un établissement, suivie par un "
        "enseignant s'il est donné ; ses courriers s'impriment depuis « Mes "
        "classes »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--establishment", metavar="UAI", required=True)
        parser.add_argument("--count", type=int, default=30, help=f"1 à {MAX_PUPILS}")
        parser.add_argument("--teacher", metavar=_("IDENTIFIANT"))

    def handle(self, *args, establishment, count, teacher=None, **options):
        try:
            school = Establishment.objects.get(uai=establishment.strip().upper())
        except Establishment.DoesNotExist:
            raise CommandError(
                _("Aucun établissement de code UAI « %(uai)s ».") % {"uai": establishment}
            ) from None
        if teacher is not None:
            teacher = User.objects.filter(username=teacher).first()
            if teacher is None:
                raise CommandError(_("Aucun compte avec cet identifiant."))
        try:
            school_class, issued = do_create_practice_class(school, count, teacher=teacher)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("%(division)s : %(count)d élèves inventés.")
            % {"division": school_class.division, "count": len(issued)}
        )
