import datetime

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts import lockout
from accounts.mail import DEMO_MAILBOX_ADDRESS, is_reserved
from accounts.mail import enabled as demo_mailbox_enabled
from audit.models import Action

# Dates typed by staff (the admin's add form, CSV imports): day first, as in France.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


def _date_part(label, autocomplete, max_length):
    """One box of a remembered date (« Jour », « Mois », « Année »): digits typed by hand, the
    same on every phone whatever its language (a date picker shows MM/DD on an English one)."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": autocomplete,
                "size": max_length,
                "maxlength": max_length,
            }
        ),
    )


class NewPasswordForm(forms.Form):
    """A new password typed twice, under the whole rule (accounts/validators.py, Django's
    similarity and common-password checks, the history), for ``user``. The pupil's activation
    and the parent's SMS registration; shown by accounts/_password_pair.html. ``required``:
    the message of each empty box, where Django's own is not wanted."""

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
    required = {}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name, message in self.required.items():
            self.fields[name].error_messages["required"] = message

    @property
    def password_rules(self):
        """Every rule the server applies to this person's new password, as the list says it."""
        from accounts.validators import password_rules

        return password_rules(self.user)

    def keep_typed_passwords(self):
        """Show the two typed passwords again (a wrong birth date only: they passed the whole
        rule and match). Safe here: the page is never cached (no-store), only this browser's
        pending activation reaches it, and opening the sign-in page abandons it; retyping both
        would only push the pupil to a simpler password."""
        if not (self.has_error("password1") or self.has_error("password2")):
            for name in ("password1", "password2"):
                self.fields[name].widget.render_value = True

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        # A letter's provisional password never passes: its alphabet has no special character
        # (accounts/credentials.py; the history keeps only chosen passwords).
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


class ActivationForm(NewPasswordForm):
    birth_day = _date_part(_("Jour"), "bday-day", 2)
    birth_month = _date_part(_("Mois"), "bday-month", 2)
    birth_year = _date_part(_("Année"), "bday-year", 4)
    email = forms.EmailField(
        label=_("Votre adresse mail si vous en avez une"),
        required=False,
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Saisissez une adresse mail valide, par exemple nom@domaine.fr.")
        },
    )

    DATE_PARTS = {"day": _("Jour"), "month": _("Mois"), "year": _("Année")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.for_parent:
            # A responsable's letter: no birth date to check, and an address is required, to be
            # confirmed by its link before the account opens (EduConnect's rule for parents).
            for name in self.DATE_PARTS:
                del self.fields[f"birth_{name}"]
            email = self.fields["email"]
            email.required = True
            email.label = _("Votre adresse mail")
            email.help_text = _(
                "Obligatoire : un lien vous y sera envoyé, à ouvrir pour terminer la création "
                "du compte. Format attendu : nom@domaine.fr"
            )
            email.error_messages["required"] = _("Saisissez votre adresse mail.")
        if demo_mailbox_enabled():
            # No mail server in a classroom: an invented address reads its mail on a page.
            # Two sentences: the hint ends with an address (« nom@domaine.fr »), without a
            # full stop of its own.
            self.fields["email"].help_text = format_lazy(
                "{}. {}",
                self.fields["email"].help_text,
                _(
                    "Pour vous entraîner sans vraie adresse : prenom@exemple.test (le mail "
                    "s'affiche sur la Boîte mail de démonstration)."
                ),
            )

    @property
    def for_parent(self):
        from schools.models import Role

        return self.user.role == Role.PARENT

    birth_date_label = _("Votre date de naissance")
    birth_date_hint = _("Par exemple : 25 12 2011")

    @property
    def error_groups(self):
        """The three boxes of the birth date are one line of the error summary (core/templatetags/
        forms.py), which leads to the day's box."""
        group = ("birth_date", self.birth_date_label, "id_birth_day")
        return {f"birth_{name}": group for name in self.DATE_PARTS}

    def clean(self):
        cleaned = super().clean()
        if self.for_parent:
            return cleaned
        birth_date = self._birth_date()
        if birth_date is not None:
            cleaned["birth_date"] = birth_date
            if self.user.birth_date is None or birth_date != self.user.birth_date:
                self.birth_date_mismatch = True
                self.add_error(
                    "birth_day",
                    ValidationError(
                        _(
                            "Cette date de naissance ne correspond pas à celle que connaît votre "
                            "établissement. Vérifiez le jour, le mois et l'année."
                        ),
                        code="birth_date_mismatch",
                    ),
                )
        return cleaned

    def _birth_date(self):
        """The date from its three boxes, or None with one error that says what is wrong."""
        parts = [self.cleaned_data.get(f"birth_{name}", "").strip() for name in self.DATE_PARTS]
        if not all(parts):
            missing = [
                str(label)
                for (name, label), part in zip(self.DATE_PARTS.items(), parts, strict=True)
                if not part
            ]
            self.add_error(
                "birth_day",
                ValidationError(
                    _("Saisissez votre date de naissance : %(missing)s manquant.")
                    % {"missing": ", ".join(missing).lower()}
                    if len(missing) < 3
                    else _("Saisissez votre date de naissance : le jour, le mois et l'année."),
                    code="birth_date_missing",
                ),
            )
            return None
        if not all(part.isdigit() and part.isascii() for part in parts):
            self.add_error(
                "birth_day",
                ValidationError(
                    _(
                        "La date de naissance ne s'écrit qu'avec des chiffres, par exemple "
                        "25 12 2011."
                    ),
                    code="birth_date_invalid",
                ),
            )
            return None
        day, month, year = (int(part) for part in parts)
        try:
            birth_date = datetime.date(year, month, day)
        except ValueError:
            birth_date = None
        if birth_date is None or year < 1900 or birth_date > datetime.date.today():
            self.add_error(
                "birth_day",
                ValidationError(
                    _(
                        "Cette date n'existe pas : vérifiez le jour, le mois et l'année, "
                        "par exemple 25 12 2011."
                    ),
                    code="birth_date_invalid",
                ),
            )
            return None
        return birth_date

    @property
    def birth_date_errors(self):
        """The errors of the three boxes, shown once under the whole date."""
        return [error for name in self.DATE_PARTS for error in self.errors.get(f"birth_{name}", [])]


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


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form with the words of our sign-in pages (templates/account/login.html):
    « Identifiant », never « Nom d'utilisateur », which the error summary repeats, and an empty
    box says what to type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Identifiant")
        self.fields["login"].error_messages["required"] = _("Saisissez votre identifiant.")
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].error_messages["required"] = _("Saisissez votre mot de passe.")


class AddEmailForm(AllauthAddEmailForm):
    """« Ajouter une adresse mail »: the browser may offer the person's address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's « Mot de passe perdu », for verified addresses only."""

    def clean_email(self):
        email = super().clean_email()
        self.users = users_with_verified_email(email)
        return email

    def save(self, request, **kwargs):
        # allauth's « mail sent » page does not know the address: an invented one (the same
        # whether an account has it or not) is remembered for its link to the demo mailbox.
        if is_reserved(self.cleaned_data["email"]):
            request.session[DEMO_MAILBOX_ADDRESS] = self.cleaned_data["email"].lower()
        elif DEMO_MAILBOX_ADDRESS in request.session:
            del request.session[DEMO_MAILBOX_ADDRESS]
        return super().save(request, **kwargs)


class DemoMailboxForm(forms.Form):
    adresse = forms.EmailField(
        label=_("Adresse de la boîte mail de démonstration"),
        help_text=_(
            "Une adresse inventée, par exemple parent@exemple.test (ou …@example.com, "
            "…@example.org)."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "invalid": _("Saisissez une adresse mail valide, par exemple parent@exemple.test."),
            "required": _("Saisissez l'adresse mail."),
        },
    )


class LostIdentifierForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse mail"),
        help_text=_("Celle que vous avez vérifiée pour votre compte. Format : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Saisissez une adresse mail valide, par exemple nom@domaine.fr."),
            "required": _("Saisissez votre adresse mail."),
        },
    )


class SecondFactorForm(AuthenticateForm):
    """The staff's TOTP code at sign-in. A wrong code counts in the identifier's lockout, like
    a wrong password, and is audited: a code of six digits must not be guessable at the rate
    of a whole address's limit."""

    def clean_code(self):
        from accounts.actions import do_record_failed_attempt
        from accounts.adapter import LOCKED_MESSAGE

        if lockout.is_locked(self.user.username):
            raise ValidationError(LOCKED_MESSAGE, code="too_many_login_attempts")
        try:
            return super().clean_code()
        except ValidationError:
            request = context.request
            ip = get_adapter(request).get_client_ip(request)
            if do_record_failed_attempt(self.user.username, Action.SECOND_FACTOR_FAILED, ip=ip):
                raise ValidationError(LOCKED_MESSAGE, code="too_many_login_attempts") from None
            raise
