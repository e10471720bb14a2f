import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The check letter of a UAI is the remainder of the 7 digits divided by 23, read in this alphabet
# (the Latin alphabet without I, O and Q). Example: 0750655E.
UAI_KEY_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_RE = re.compile(r"^\d{7}[A-Z]$")


def uai_key(digits: str) -> str:
    return UAI_KEY_ALPHABET[int(digits) % 23]


def validate_uai(value: str) -> None:
    if not UAI_RE.match(value or ""):
        raise ValidationError(
            _(
                "Le code UAI doit comporter 7 chiffres suivis d'une lettre majuscule "
                "(ex. : 0750655E)."
            ),
            code="uai_format",
        )
    if uai_key(value[:7]) != value[7]:
        raise ValidationError(
            _("La lettre clé du code UAI ne correspond pas aux 7 chiffres : vérifiez le code."),
            code="uai_key",
        )
