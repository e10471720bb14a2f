from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.actions import (
    departed_to_purge,
    do_purge_user,
    purge_date,
    purge_practice_classes,
)
from accounts.sessions import purge_ended_sessions
from families.actions import do_depart_orphaned_parents
from staff.actions import purge_letter_batches


def _help():
    months = settings.RETENTION_MONTHS_AFTER_DEPARTURE
    return ngettext(
        "Supprime les comptes dont le départ remonte à plus de %(months)d mois, avec toutes leurs "
        "données (charte de l'ENT, art. 6), les classes d'entraînement arrivées à leur date de "
        "suppression, les courriers préparés depuis plus d'un jour et les sessions terminées "
        "de « Mes sessions ». À lancer chaque jour (cron, timer systemd). "
        "--dry-run : liste seulement.",
        "Supprime les comptes dont le départ remonte à plus de %(months)d mois, avec toutes leurs "
        "données (charte de l'ENT, art. 6), les classes d'entraînement arrivées à leur date de "
        "suppression, les courriers préparés depuis plus d'un jour et les sessions terminées "
        "de « Mes sessions ». À lancer chaque jour (cron, timer systemd). "
        "--dry-run : liste seulement.",
        months,
    ) % {"months": months}


class Command(BaseCommand):
    @property
    def help(self):
        return _help()

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("lister sans supprimer"))

    def handle(self, *args, dry_run=False, **options):
        if not dry_run:
            # Parents whose children have all left leave with them (and are purged with them).
            for parent in do_depart_orphaned_parents():
                self.stdout.write(
                    _("%(identifier)s — responsable : départ avec ses enfants")
                    % {"identifier": parent.username}
                )
        users = departed_to_purge()
        for user in users:
            line = _("%(identifier)s — départ le %(departed)s, à supprimer depuis le %(due)s") % {
                "identifier": user.username,
                "departed": f"{user.departed_at:%d/%m/%Y}",
                "due": f"{purge_date(user):%d/%m/%Y}",
            }
            self.stdout.write(line)
            if not dry_run:
                do_purge_user(user)
        if dry_run:
            self.stdout.write(
                ngettext(
                    "%(n)d compte à supprimer (rien n'a été supprimé).",
                    "%(n)d comptes à supprimer (rien n'a été supprimé).",
                    len(users),
                )
                % {"n": len(users)}
            )
            return
        self.stdout.write(
            ngettext("%(n)d compte supprimé.", "%(n)d comptes supprimés.", len(users))
            % {"n": len(users)}
        )
        practice = purge_practice_classes()
        self.stdout.write(
            ngettext(
                "%(n)d classe d'entraînement supprimée (délai écoulé).",
                "%(n)d classes d'entraînement supprimées (délai écoulé).",
                practice,
            )
            % {"n": practice}
        )
        batches = purge_letter_batches()
        self.stdout.write(
            ngettext(
                "%(n)d lot de courriers effacé (plus d'un jour).",
                "%(n)d lots de courriers effacés (plus d'un jour).",
                batches,
            )
            % {"n": batches}
        )
        sessions = purge_ended_sessions()
        self.stdout.write(
            ngettext(
                "%(n)d session terminée retirée de « Mes sessions ».",
                "%(n)d sessions terminées retirées de « Mes sessions ».",
                sessions,
            )
            % {"n": sessions}
        )
