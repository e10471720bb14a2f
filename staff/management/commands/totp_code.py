import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _(
        "Affiche le code TOTP du moment pour un compte (démonstration et tests : en vrai, le "
        "code vient de l'application de la personne)."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifier")

    def handle(self, *args, identifier, **options):
        authenticator = Authenticator.objects.filter(
            user__username=identifier, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(
                _("Pas de clé TOTP pour « %(identifier)s ».") % {"identifier": identifier}
            )
        secret = decrypt(authenticator.data["secret"])
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
