"""``manage.py rolling_deploy``: are the migrations added since the last release safe for a
rolling deploy (core/rolling.py)? ``--record`` writes the release's list, at its tag."""

from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from core import rolling


class Command(BaseCommand):
    help = "Vérifie que les migrations ajoutées depuis la dernière version sont sans danger."

    def add_arguments(self, parser):
        parser.add_argument(
            "--record",
            action="store_true",
            help="enregistre les migrations actuelles comme celles de la version publiée",
        )

    def handle(self, *args, record=False, **options):
        loader = MigrationLoader(None, ignore_no_migrations=True)
        if record:
            rolling.record(loader)
            self.stdout.write(f"{rolling.BASELINE.name} : {len(rolling.ours(loader))} migrations")
            return
        found = rolling.unreleased_problems(loader)
        for name, why in found.items():
            self.stdout.write(name)
            for line in why:
                self.stdout.write(f"  {line}")
        if found:
            raise CommandError("Migrations dangereuses pour un déploiement en roulement.")
        self.stdout.write("Migrations sans danger pour un déploiement en roulement.")
