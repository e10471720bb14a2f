"""The seed's password rule, one validator per rule so that each failed rule is named."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SPECIAL_CHARACTERS = "!?@#&=+-%<>"


class UppercaseValidator:
    def validate(self, password, user=None):
        if not any(char.isupper() for char in password):
            raise ValidationError(
                _("Le mot de passe doit contenir au moins 1 majuscule."), code="no_uppercase"
            )

    def get_help_text(self):
        return _("Au moins 1 majuscule.")


class SpecialCharacterValidator:
    def validate(self, password, user=None):
        if not any(char in SPECIAL_CHARACTERS for char in password):
            raise ValidationError(
                _("Le mot de passe doit contenir au moins 1 caractère spécial parmi %(chars)s.")
                % {"chars": " ".join(SPECIAL_CHARACTERS)},
                code="no_special_character",
            )

    def get_help_text(self):
        return _("Au moins 1 caractère spécial parmi %(chars)s.") % {
            "chars": " ".join(SPECIAL_CHARACTERS)
        }
