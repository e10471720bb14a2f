from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class ActivationForm(DsfrBaseForm):
    password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmez le nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    birth_date = forms.DateField(
        label=_("Votre date de naissance"),
        help_text=_("Le jour, le mois et l'année, par exemple 14/03/2012."),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 14/03/2012.")},
    )
    email = forms.EmailField(
        label=_("Votre adresse mail si vous en avez une"),
        required=False,
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Saisissez une adresse mail valide, par exemple nom@domaine.fr.")
        },
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        # The history validator also refuses the provisional password itself.
        password_validation.validate_password(password, self.user)
        return password

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data["password2"]
        if password1 and password1 != password2:
            raise ValidationError(
                _("Les deux mots de passe ne sont pas identiques."), code="password_mismatch"
            )
        return password2

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if self.user.birth_date is None or birth_date != self.user.birth_date:
            self.birth_date_mismatch = True
            raise ValidationError(
                _(
                    "Cette date de naissance ne correspond pas à celle que connaît votre "
                    "établissement. Vérifiez le jour, le mois et l'année."
                ),
                code="birth_date_mismatch",
            )
        return birth_date


def users_with_verified_email(email):
    """Active accounts that verified this address (never an unverified one)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            pk__in=EmailAddress.objects.filter(email__iexact=email, verified=True).values(
                "user_id"
            ),
        ).order_by("username")
    )


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's « Mot de passe perdu », for verified addresses only."""

    def clean_email(self):
        email = super().clean_email()
        self.users = users_with_verified_email(email)
        return email


class LostIdentifierForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Votre adresse mail"),
        help_text=_("Celle que vous avez vérifiée pour votre compte. Format : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Saisissez une adresse mail valide, par exemple nom@domaine.fr."),
            "required": _("Saisissez votre adresse mail."),
        },
    )
