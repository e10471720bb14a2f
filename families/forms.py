from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import NewPasswordForm
from families.phones import parse_mobile


class MobileField(forms.CharField):
    """A mobile number as a parent types it; cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "size": 16}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse_mobile(value)
        except ValidationError:
            raise ValidationError(
                _(
                    "Saisissez un numéro de téléphone portable, par exemple 06 39 98 12 34 "
                    "(10 chiffres)."
                ),
                code="invalid",
            ) from None


class DemoPhoneForm(forms.Form):
    numero = MobileField(
        label=_("Numéro du téléphone de démonstration"),
        help_text=_("Un numéro fictif de 06 39 98 00 00 à 06 39 98 99 99."),
        error_messages={"required": _("Saisissez le numéro de téléphone.")},
    )


class RegistrationStartForm(forms.Form):
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Saisissez votre nom.")},
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Saisissez votre prénom.")},
    )
    mobile = MobileField(
        label=_("Téléphone portable"),
        help_text=_("Celui que vous avez donné à l'établissement. Par exemple : 06 39 98 12 34"),
        error_messages={"required": _("Saisissez votre numéro de téléphone portable.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu par SMS"),
        help_text=_("6 chiffres"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
        error_messages={"required": _("Saisissez le code reçu par SMS.")},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError(
                _("Le code se compose de 6 chiffres, par exemple 482913."), code="invalid"
            )
        return code


def _date_part(label, max_length):
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "size": max_length, "maxlength": max_length}
        ),
    )


class ChildBirthDateForm(forms.Form):
    """The child's birth date in three boxes (« Jour », « Mois », « Année »), as at
    activation: the same on every phone whatever its language."""

    birth_day = _date_part(_("Jour"), 2)
    birth_month = _date_part(_("Mois"), 2)
    birth_year = _date_part(_("Année"), 4)

    def clean(self):
        import datetime

        cleaned = super().clean()
        parts = [
            cleaned.get(name, "").strip() for name in ["birth_day", "birth_month", "birth_year"]
        ]
        if not all(parts):
            raise ValidationError(
                _("Saisissez la date de naissance : le jour, le mois et l'année."),
                code="birth_date_missing",
            )
        try:
            if not all(part.isascii() and part.isdigit() for part in parts):
                raise ValueError
            day, month, year = (int(part) for part in parts)
            cleaned["birth_date"] = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(
                _(
                    "Cette date n'existe pas : vérifiez le jour, le mois et l'année, par "
                    "exemple 25 12 2011."
                ),
                code="birth_date_invalid",
            ) from None
        return cleaned


class ParentPasswordForm(NewPasswordForm):
    """The responsable's own password (the pupils' rule) and e-mail address (required)."""

    required = {
        "password1": _("Choisissez un mot de passe."),
        "password2": _("Saisissez le mot de passe une seconde fois."),
    }
    email = forms.EmailField(
        label=_("Votre adresse mail"),
        help_text=_("Un lien vous y sera envoyé pour la vérifier. Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Saisissez votre adresse mail."),
            "invalid": _("Saisissez une adresse mail valide, par exemple nom@domaine.fr."),
        },
    )


class GroupingForm(forms.Form):
    """« Ajouter des élèves depuis un autre compte »: another letter's identifier and
    provisional password."""

    identifier = forms.CharField(
        label=_("Identifiant de l'autre courrier"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        error_messages={"required": _("Saisissez l'identifiant de l'autre courrier.")},
    )
    password = forms.CharField(
        label=_("Mot de passe provisoire de l'autre courrier"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Saisissez le mot de passe provisoire de l'autre courrier.")},
    )
