from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from schools.models import Establishment


def establishment_by_uai(uai):
    """The establishment with this UAI code, or a CommandError that says so."""
    try:
        return Establishment.objects.get(uai=uai.strip().upper())
    except Establishment.DoesNotExist:
        raise CommandError(
            _("Aucun établissement de code UAI « %(uai)s ».") % {"uai": uai}
        ) from None


def add_import_arguments(parser):
    """The CSV file, the establishment and --dry-run: what both import commands take."""
    parser.add_argument("file", help=_("fichier CSV"))
    parser.add_argument("--establishment", metavar="UAI", required=True)
    parser.add_argument("--dry-run", action="store_true", help=_("aperçu seulement"))


def read_import(options):
    """(establishment, the CSV file's bytes) of an import command, or a CommandError."""
    establishment = establishment_by_uai(options["establishment"])
    try:
        return establishment, Path(options["file"]).read_bytes()
    except OSError as exc:
        raise CommandError(_("Fichier illisible : %(error)s") % {"error": exc}) from None


def refuse_if_invalid(command, plan):
    """Every error of the plan on stderr (line and column), then nothing imported."""
    if not plan.is_valid:
        for problem in plan.problems:
            command.stderr.write(str(problem))
        raise CommandError(_("Rien n'a été importé : corrigez le fichier."))
