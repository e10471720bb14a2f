from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from families.actions import do_import_responsables
from staff.management.helpers import add_import_arguments, read_import, refuse_if_invalid
from staff.parent_import import plan_parent_import


class Command(BaseCommand):
    help = _(
        "Importe des responsables depuis un export CSV (Nom, Prénom, Téléphone portable, "
        "E-mail, l'élève par son identifiant ou par ses nom, prénom et date de naissance, "
        "Représentant légal), comme l'import de l'admin. Tout ou rien ; aucun mot de passe."
    )

    def add_arguments(self, parser):
        add_import_arguments(parser)

    def handle(self, *args, **options):
        establishment, data = read_import(options)
        plan = plan_parent_import(data, establishment)
        self.stdout.write(
            _(
                "Responsables à créer : %(parents)d ; liens avec des élèves à "
                "créer : "
                "%(links)d ; lignes ignorées : %(skip)d ; erreurs : "
                "%(problems)d."
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
                _("ignoré : ligne %(line)d, %(name)s — %(reason)s")
                % {"line": line, "name": name, "reason": reason}
            )
        refuse_if_invalid(self, plan)
        if not plan.has_changes:
            self.stdout.write(_("Rien à importer : tous ces liens existent déjà."))
            return
        if options["dry_run"]:
            return
        parents = do_import_responsables(plan.responsables, establishment)
        self.stdout.write(
            _("Responsables enregistrés : %(parents)d ; liens avec des élèves : %(links)d.")
            % {"parents": len(parents), "links": len(plan.links)}
        )
