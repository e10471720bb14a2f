from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Role

validate_identifier = RegexValidator(
    r"^[a-z0-9][a-z0-9._-]*\Z",
    _(
        "L'identifiant ne contient que des lettres minuscules sans accent, des chiffres, « . », "
        "« _ » et « - »."
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
    # The hash of the letter's password once the account is activated with it, so that a pupil
    # who types it again is told the account is already created (not sent back to the letter).
    used_letter_password = models.CharField(max_length=128, blank=True, editable=False)
    departed_at = models.DateTimeField(
        _("parti le"),
        null=True,
        blank=True,
        help_text=_("Accès refusé dès le départ ; données supprimées 3 mois après."),
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
    def state_label(self):
        if self.provisional_expired():
            return _("Courrier expiré")
        if self.is_provisional:
            return _("En attente d'activation")
        if self.activated_at:
            return _("Activé")
        return _("Sans identifiants provisoires")


class AuditEvent(models.Model):
    """One row per state change that matters. Never holds a password, provisional or not."""

    class Action(models.TextChoices):
        CREDENTIALS_ISSUED = "credentials_issued", _("Identifiants provisoires émis")
        CREDENTIALS_REISSUED = "credentials_reissued", _("Identifiants provisoires ré-émis")
        ACCOUNT_ACTIVATED = "account_activated", _("Compte activé")
        EXPIRED_SIGN_IN_REFUSED = (
            "expired_sign_in_refused",
            _("Connexion refusée : courrier expiré"),
        )
        ACTIVATION_BIRTH_DATE_MISMATCH = (
            "activation_birth_date_mismatch",
            _("Activation : date de naissance erronée"),
        )
        CHARTER_ACCEPTED = "charter_accepted", _("Charte acceptée")
        CHARTER_PUBLISHED = "charter_published", _("Charte publiée")
        SIGN_IN_SUCCEEDED = "sign_in_succeeded", _("Connexion réussie")
        SIGN_IN_FAILED = "sign_in_failed", _("Connexion échouée")
        LOCKED_OUT = "locked_out", _("Identifiant bloqué 15 minutes")
        UNLOCKED = "unlocked", _("Identifiant débloqué")
        DEPARTED = "departed", _("Départ de l'établissement")
        PURGED = "purged", _("Données supprimées")

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    actor_label = models.CharField(_("auteur (identifiant)"), max_length=150, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("compte concerné"),
    )
    subject_label = models.CharField(_("compte concerné (identifiant)"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject_label}"

    @classmethod
    def record(cls, action, *, subject=None, actor=None, ip=None, subject_label="", **details):
        return cls.objects.create(
            action=action,
            subject=subject,
            subject_label=subject.username if subject else subject_label,
            actor=actor if actor and actor.pk else None,
            actor_label=actor.username if actor and actor.pk else "",
            ip=ip,
            details=details,
        )


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


class LetterBatch(models.Model):
    """Letters made in the background (accounts/tasks.py). The PDF is kept only sealed with a
    public key whose private half is in the browser of the person who asked (a cookie): the
    server cannot read it back, and it is deleted at the first download or after a day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Prêt")
        FAILED = "failed", _("Échec")
        DOWNLOADED = "downloaded", _("Téléchargé")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    establishment = models.ForeignKey(
        "schools.Establishment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("établissement"),
    )
    user_ids = models.JSONField(_("comptes"), default=list, blank=True)
    import_data = models.BinaryField(_("fichier importé"), null=True, blank=True)
    total = models.PositiveIntegerField(_("nombre de courriers"), default=0)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("erreur"), blank=True)
    public_key = models.CharField(max_length=64)
    sealed_pdf = models.BinaryField(null=True, blank=True)
    portal_url = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("lot de courriers")
        verbose_name_plural = _("lots de courriers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.total} courriers, {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def progress_key(self):
        return f"letters-batch-progress-{self.pk}"
