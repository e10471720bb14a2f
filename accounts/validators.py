"""The seed's password rule, one validator per rule so that each failed rule is named.

Each validator's help text is one line of the rule list shown above the new password
(``password_rules``, accounts/_password_pair.html): the list is made from the validators the
server applies (AUTH_PASSWORD_VALIDATORS), so it can never announce fewer rules than it checks."""

from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SPECIAL_CHARACTERS = "!?@#&=+-%<>"


class UppercaseValidator:
    def validate(self, password, user=None):
        if not any(char.isupper() for char in password):
            raise ValidationError(
                _("Le mot de passe doit contenir au moins 1 majuscule."), code="no_uppercase"
            )

    def get_help_text(self):
        return _("au moins 1 majuscule")


class SpecialCharacterValidator:
    def validate(self, password, user=None):
        if not any(char in SPECIAL_CHARACTERS for char in password):
            raise ValidationError(
                _("Le mot de passe doit contenir au moins 1 caractère spécial parmi %(chars)s.")
                % {"chars": " ".join(SPECIAL_CHARACTERS)},
                code="no_special_character",
            )

    def get_help_text(self):
        return _("au moins 1 caractère spécial parmi %(chars)s") % {
            "chars": " ".join(SPECIAL_CHARACTERS)
        }


class BirthDateValidator:
    """Not the birth date, in any usual writing (14032012, 140312, 20120314, 2012…)."""

    def validate(self, password, user=None):
        birth_date = getattr(user, "birth_date", None)
        if not birth_date:
            return
        digits = "".join(c for c in password if c.isdigit())
        forms = {
            birth_date.strftime(fmt)
            for fmt in ("%d%m%Y", "%d%m%y", "%Y%m%d", "%m%d%Y", "%Y", "%d%m")
        }
        if any(form in digits for form in forms):
            raise ValidationError(
                _("Le mot de passe ne doit pas contenir votre date de naissance."),
                code="password_contains_birth_date",
            )

    def get_help_text(self):
        return _("pas votre date de naissance, écrite d'aucune façon (251211, 2011…)")

    def get_informal_help_text(self):
        return _("pas ta date de naissance, écrite d'aucune façon (251211, 2011…)")

    def applies_to(self, user):
        return bool(getattr(user, "birth_date", None))


class PasswordHistoryValidator:
    """Not one of the last ``count`` passwords the person chose.

    Provisional passwords are not kept: they can never pass the rule anyway (their alphabet has
    none of the special characters), and leaving them out saves one argon2 verification per
    activation, when a whole class activates at once."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        hashes = user.password_history.values_list("password", flat=True)[: self.count]
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("Vous avez déjà utilisé ce mot de passe : choisissez-en un nouveau."),
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        # Called by Django once the new password is saved; its hash joins the history.
        if user is None or user.pk is None or not user.has_usable_password():
            return
        if user.is_provisional:
            return
        from accounts.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return _("pas un de vos %(count)d derniers mots de passe") % {"count": self.count}

    def get_informal_help_text(self):
        return _("pas un de tes %(count)d derniers mots de passe") % {"count": self.count}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the rule said as the list says it."""

    def get_help_text(self):
        return ngettext(
            "au moins %(min_length)d caractère",
            "au moins %(min_length)d caractères",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_help_text(self):
        return _("pas trop proche de votre identifiant, de votre nom ou de votre adresse mail")

    def get_informal_help_text(self):
        return _("pas trop proche de ton identifiant, de ton nom ou de ton adresse mail")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_help_text(self):
        return _("pas un mot de passe trop courant")


# The rules the browser checks while the pupil types (static/js/activation.js, data-rule).
LIVE = {
    "MinimumLengthValidator": "length",
    "UppercaseValidator": "uppercase",
    "SpecialCharacterValidator": "special",
}


@dataclass(frozen=True)
class Rule:
    text: str
    live: str  # the data-rule name checked live, or "" (checked when the form is sent)


def password_rules(user=None, *, informal=False):
    """One line per validator the server applies to ``user``'s new password, from its help
    text (a validator may say it does not apply, e.g. no birth date for a parent).
    ``informal``: said to a pupil (« tu », the pupil's letter), where a rule names the person."""
    rules = []
    for validator in password_validation.get_default_password_validators():
        applies = getattr(validator, "applies_to", None)
        if applies is not None and not applies(user):
            continue
        text = validator.get_help_text
        if informal:
            text = getattr(validator, "get_informal_help_text", text)
        rules.append(Rule(text(), LIVE.get(type(validator).__name__, "")))
    return rules
