from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from families.actions import do_import_responsables
from staff.management.helpers import establishment_by_uai
from staff.parent_import import plan_parent_import


class Command(BaseCommand):
    help = _(
        "Importe des responsables depuis un export CSV (Nom, Prénom, Téléphone portable, "
        "E-mail, l'élève par son identifiant ou par ses nom, prénom et date de naissance, "
        "Représentant légal), comme l'import de l'admin. Tout ou rien ; aucun mot de passe."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("fichier CSV"))
        parser.add_argument("--establishment", metavar="UAI", required=True)
        parser.add_argument("--dry-run", action="store_true", help=_("aperçu seulement"))

    def handle(self, *args, **options):
        establishment = establishment_by_uai(options["establishment"])
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(_("Fichier illisible : %(error)s") % {"error": exc}) from None
        plan = plan_parent_import(data, establishment)
        self.stdout.write(
            _(
                "Responsables à créer : %(parents)d ; liens avec des élèves à créer : "
                "%(links)d ; lignes ignorées : %(skip)d ; erreurs : %(problems)d."
            )
            % {
                "parents": len(plan.new_parents),
                "links": len(plan.links),
                "skip": len(plan.skipped),
                "problems": len(plan.problems),
            }
        )
        for line, name, reason in plan.skipped:
            self.stdout.write(
                _("ignoré : ligne %(line)d, %(name)s — %(reason)s")
                % {"line": line, "name": name, "reason": reason}
            )
        if not plan.is_valid:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("Rien n'a été importé : corrigez le fichier."))
        if not plan.has_changes:
            self.stdout.write(_("Rien à importer : tous ces liens existent déjà."))
            return
        if options["dry_run"]:
            return
        parents = do_import_responsables(plan.responsables, establishment)
        self.stdout.write(
            _("Responsables enregistrés : %(parents)d ; liens avec des élèves : %(links)d.")
            % {"parents": len(parents), "links": len(plan.links)}
        )
