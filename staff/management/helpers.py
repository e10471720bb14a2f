from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from schools.models import Establishment


def establishment_by_uai(uai):
    """The establishment with this UAI code, or a CommandError that says so."""
    try:
        return Establishment.objects.get(uai=uai.strip().upper())
    except Establishment.DoesNotExist:
        raise CommandError(
            _("Aucun établissement de code UAI « %(uai)s ».") % {"uai": uai}
        ) from None
