from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import lockout
from schools.models import Role


class LifecycleState(models.TextChoices):
    """issued (provisional) → active → departed → purged; a letter expires
    (docs/architecture.md, « La vie d'un compte »)."""

    PROVISIONAL = "provisional", _("En attente d'activation")
    EXPIRED = "expired", _("Courrier expiré")
    LETTER_BLOCKED = "letter_blocked", _("Courrier bloqué (dates de naissance erronées)")
    ACTIVE = "active", _("Compte activé")
    DEPARTED = "departed", _("Départ")
    NO_CREDENTIALS = "none", _("Sans identifiants provisoires")


def _departed_help():
    months = settings.RETENTION_MONTHS_AFTER_DEPARTURE
    return ngettext(
        "Accès refusé dès le départ ; données supprimées %(months)d mois après.",
        "Accès refusé dès le départ ; données supprimées %(months)d mois après.",
        months,
    ) % {"months": months}


validate_identifier = RegexValidator(
    r"^[a-z0-9][a-z0-9._-]*\Z",
    _(
        "L'identifiant ne contient que des lettres minuscules sans accent, des chiffres, "
        "« . », « _ » et « - »."
    ),
)


class User(AbstractUser):
    """An EduConnect-style identity: the username is the identifier printed on the letter."""

    username = models.CharField(
        _("identifiant"),
        max_length=150,
        unique=True,
        validators=[validate_identifier],
        error_messages={"unique": _("Cet identifiant est déjà pris.")},
    )
    role = models.CharField(_("profil"), max_length=20, choices=Role.choices, default=Role.PUPIL)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    provisional_issued_at = models.DateTimeField(
        _("identifiants provisoires émis le"), null=True, blank=True
    )
    provisional_expires_at = models.DateTimeField(
        _("identifiants provisoires valables jusqu'au"), null=True, blank=True
    )
    provisional_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identifiants provisoires émis par"),
    )
    activated_at = models.DateTimeField(_("compte activé le"), null=True, blank=True)
    # Wrong birth dates typed at activation since the letter was issued (re-issue resets it).
    birth_date_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    # The hash of the letter's password once the account is activated with it, so that a pupil
    # who types it again is told the account is already created (not sent back to the letter).
    used_letter_password = models.CharField(max_length=128, blank=True, editable=False)
    departed_at = models.DateTimeField(
        _("départ le"),
        null=True,
        blank=True,
        help_text=lazy(_departed_help, str)(),
    )

    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    @property
    def is_provisional(self):
        """Signed in with a letter's password and not yet activated."""
        return self.provisional_issued_at is not None

    def provisional_expired(self, now=None):
        return (
            self.is_provisional
            and self.provisional_expires_at is not None
            and self.provisional_expires_at <= (now or timezone.now())
        )

    def is_used_letter_password(self, raw_password):
        """The password of the letter this account was activated with (no longer valid)."""
        from django.contrib.auth.hashers import check_password

        return bool(
            not self.is_provisional
            and self.used_letter_password
            and check_password(raw_password, self.used_letter_password)
        )

    @property
    def letter_blocked(self) -> bool:
        """Too many wrong birth dates on this letter: only a new letter lets the pupil in."""
        return (
            self.is_provisional
            and self.birth_date_failures >= settings.ACTIVATION_MAX_BIRTH_DATE_FAILURES
        )

    def lifecycle_state(self, now=None) -> "LifecycleState":
        """Where the account is in its life (docs/architecture.md, « La vie d'un compte »).
        The one place that classifies an account: the admin's list, the funnel and the sign-in
        ask here."""
        if self.departed_at is not None:
            return LifecycleState.DEPARTED
        if self.provisional_expired(now):
            return LifecycleState.EXPIRED
        if self.letter_blocked:
            return LifecycleState.LETTER_BLOCKED
        if self.is_provisional:
            return LifecycleState.PROVISIONAL
        if self.activated_at is not None:
            return LifecycleState.ACTIVE
        return LifecycleState.NO_CREDENTIALS

    def state_label(self, *, locked=None) -> str:
        """The state in words, with a temporary lockout on top (``locked``: already known, or
        None to ask the shared cache)."""
        state = self.lifecycle_state()
        if state != LifecycleState.DEPARTED:
            if locked is None:
                locked = lockout.is_locked(self.username)
            if locked:
                return lockout.locked_label()
        return str(state.label)


class PasswordHistory(models.Model):
    """The hashes of a user's previous passwords, so that the last ones are not reused."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ancien mot de passe (empreinte)")
        verbose_name_plural = _("anciens mots de passe (empreintes)")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class DemoEmailQuerySet(models.QuerySet):
    def stale(self, now=None):
        return self.filter(sent_at__lt=(now or timezone.now()) - timedelta(days=1))

    def recent(self, now=None):
        return self.filter(sent_at__gte=(now or timezone.now()) - timedelta(days=1))


class DemoEmail(models.Model):
    """A mail sent to an invented address (a domain reserved for examples: accounts/mail.py),
    for the « Boîte mail de démonstration » page. Mail to any other address is never kept."""

    to = models.CharField(_("destinataire"), max_length=254, db_index=True)
    subject = models.CharField(_("objet"), max_length=998)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)

    objects = DemoEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("mail de démonstration")
        verbose_name_plural = _("mails de démonstration")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.to} {self.sent_at:%Y-%m-%d %H:%M}"
