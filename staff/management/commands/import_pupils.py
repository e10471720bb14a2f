from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.site import public_url
from staff.actions import import_with_letters
from staff.importer import plan_import
from staff.letters import letters_pdf
from staff.management.helpers import add_import_arguments, read_import, refuse_if_invalid


class Command(BaseCommand):
    help = _(
        "Importe des élèves depuis un export CSV (Nom, Prénom, Date de naissance, Classe ; "
        "INE, E-mail facultatifs) et écrit leurs courriers dans un PDF. Tout ou rien."
    )

    def add_arguments(self, parser):
        add_import_arguments(parser)
        parser.add_argument(
            "--letters",
            metavar="PDF",
            help=_("où écrire le PDF des courriers (obligatoire pour importer)"),
        )
        parser.add_argument(
            "--url",
            default=None,
            help=_("adresse du portail sur les courriers (par défaut : PUBLIC_URL)"),
        )

    def handle(self, *args, **options):
        establishment, data = read_import(options)
        plan = plan_import(data, establishment)
        self.stdout.write(
            _("%(create)d à créer, %(skip)d ignorés, %(problems)d erreurs.")
            % {
                "create": len(plan.to_create),
                "skip": len(plan.skipped),
                "problems": len(plan.problems),
            }
        )
        for row, reason in plan.skipped:
            self.stdout.write(
                _("ignoré : ligne %(line)d, %(name)s — %(reason)s")
                % {"line": row.line, "name": f"{row.last_name} {row.first_name}", "reason": reason}
            )
        refuse_if_invalid(self, plan)
        if options["dry_run"] or not plan.to_create:
            return
        if not options["letters"]:
            raise CommandError(
                _(
                    "Indiquez --letters FICHIER.pdf : les mots de passe provisoires "
                    "n'existent que dans les courriers."
                )
            )
        # The PDF is made before the accounts are written, and written to its file in the same
        # transaction: if it cannot be, nothing is imported (the passwords would be lost).
        path = Path(options["letters"])
        issued, _pdf = import_with_letters(
            plan,
            establishment,
            letters=lambda prepared: letters_pdf(prepared, options["url"] or public_url()),
            save=path.write_bytes,
        )
        self.stdout.write(
            _("%(n)d élèves importés ; courriers : %(path)s")
            % {"n": len(issued), "path": options["letters"]}
        )
