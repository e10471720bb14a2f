"""The audit trail: one row per state change that matters, on the ground floor
(docs/architecture.md, « Les pièces et leurs étages »).

Knows no other app of the project: the people it names are ``settings.AUTH_USER_MODEL``. The
kinds of event are a Python enum, not database choices, so a new kind needs no migration.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREDENTIALS_ISSUED = "credentials_issued", _("Identifiants provisoires émis")
    CREDENTIALS_REISSUED = "credentials_reissued", _("Identifiants provisoires ré-émis")
    ACCOUNT_ACTIVATED = "account_activated", _("Compte activé")
    EXPIRED_SIGN_IN_REFUSED = (
        "expired_sign_in_refused",
        _("Connexion refusée : courrier expiré"),
    )
    ACTIVATION_BIRTH_DATE_MISMATCH = (
        "activation_birth_date_mismatch",
        _("Activation : date de naissance erronée"),
    )
    LETTER_BLOCKED = (
        "letter_blocked",
        _("Courrier bloqué : trop de dates de naissance erronées"),
    )
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Code de double authentification erroné")
    ADDRESS_SLOWED_DOWN = (
        "address_slowed_down",
        _("Trop d'essais depuis une adresse : connexions ralenties"),
    )
    ACCOUNT_EDITED = "account_edited", _("Compte modifié par le personnel")
    ACTIVATION_STARTED = "activation_started", _("Activation commencée (courrier utilisé)")
    CHARTER_REFUSED = "charter_refused", _("Charte refusée (« Je refuse »)")
    CLASS_RESET = "class_reset", _("Classe réinitialisée pour une nouvelle séance")
    CHARTER_ACCEPTED = "charter_accepted", _("Charte acceptée")
    CHARTER_PUBLISHED = "charter_published", _("Charte publiée")
    SIGN_IN_SUCCEEDED = "sign_in_succeeded", _("Connexion réussie")
    SIGN_IN_FAILED = "sign_in_failed", _("Connexion échouée")
    LOCKED_OUT = "locked_out", _("Identifiant bloqué temporairement")
    UNLOCKED = "unlocked", _("Identifiant débloqué")
    DEPARTED = "departed", _("Départ de l'établissement")
    PURGED = "purged", _("Données supprimées")
    # Parents (families/).
    PARENT_CREATED = "parent_created", _("Responsable : enregistrement par l'établissement")
    PARENT_LINKED = "parent_linked", _("Responsable : lien avec un élève")
    SMS_SENT = "sms_sent", _("SMS envoyé")
    SMS_REGISTRATION_STARTED = "sms_registration_started", _("Inscription par SMS commencée")
    SMS_CODE_FAILED = "sms_code_failed", _("Inscription par SMS : code erroné")
    SMS_CODE_CONFIRMED = "sms_code_confirmed", _("Inscription par SMS : code confirmé")
    SMS_CHILD_CONFIRMED = (
        "sms_child_confirmed",
        _("Inscription par SMS : lien avec l'enfant confirmé"),
    )
    SMS_CHILD_REFUSED = (
        "sms_child_refused",
        _("Inscription par SMS : date de naissance d'un enfant erronée"),
    )
    SMS_REGISTRATION_LIMITED = (
        "sms_registration_limited",
        _("Inscription par SMS : limite atteinte"),
    )
    PARENT_REGISTERED = "parent_registered", _("Compte de responsable créé par SMS")
    PARENT_ACCOUNTS_GROUPED = (
        "parent_accounts_grouped",
        _("Enfants ajoutés depuis un autre compte de responsable"),
    )
    PARENT_ACCOUNT_CLOSED = (
        "parent_account_closed",
        _("Compte de responsable fermé (enfants regroupés sur un autre compte)"),
    )
    PARENT_LINK_REPORTED = (
        "parent_link_reported",
        _("Lien signalé : « Je ne suis pas le représentant légal de cet élève »"),
    )
    PARENT_DEPARTED = (
        "parent_departed",
        _("Responsable : départ (tous ses enfants ont quitté l'établissement)"),
    )
    # Practice classes of invented pupils (classroom/).
    PRACTICE_CLASS_CREATED = "practice_class_created", _("Classe d'entraînement créée")
    PRACTICE_CLASS_DELETED = "practice_class_deleted", _("Classe d'entraînement supprimée")


class AuditEvent(models.Model):
    """One row per state change that matters. Never holds a password, provisional or not."""

    Action = Action

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    # No ``choices=``: the kinds are ``Action`` above, and adding one changes no table.
    action = models.CharField(_("action"), max_length=40)
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
        indexes = [
            # A person's newest event, in one index step whatever the journal's size (the
            # séance's change stamp, staff/session.py). On PostgreSQL the subject's own index
            # does not give its rows in id order: the planner walked the whole journal backwards
            # by primary key instead (450 ms for a class of 30 behind 200 000 newer events).
            models.Index(fields=["subject", "-id"], name="audit_subject_newest"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action_label} {self.subject_label}"

    @property
    def action_label(self):
        """The French name of the kind; an unknown kind (a newer version's) shows as is."""
        try:
            return Action(self.action).label
        except ValueError:
            return self.action


def build(action, *, subject=None, actor=None, ip=None, subject_label="", at=None, **details):
    """An unsaved event, for ``AuditEvent.objects.bulk_create`` (a year group's letters)."""
    actor = actor if actor is not None and actor.pk else None
    return AuditEvent(
        action=Action(action).value,
        at=at or timezone.now(),
        subject=subject,
        subject_label=subject.username if subject is not None else subject_label,
        actor=actor,
        actor_label=actor.username if actor is not None else "",
        ip=ip,
        details=details,
    )


def record(action, **kwargs):
    """Write one event now (inside the caller's transaction, if any)."""
    event = build(action, **kwargs)
    event.save(force_insert=True)
    return event
