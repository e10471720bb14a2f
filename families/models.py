"""Parents (responsables légaux) and the links to their children (docs/parents.md).

A parent is a ``User`` with the parent role, enrolled (as a parent, without a class) in each
establishment of their children: the staff scoping rule (schools/rules.py) and « Mes portails »
then apply to parents unchanged. This room adds what only parents have: a mobile number and
the links to the children.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from families.phones import validate_mobile


class MobileNumberField(PhoneNumberField):
    """E.164, French numbers by default; the fiction range (06 39 98 xx xx) is accepted."""

    default_validators = [validate_mobile]


class ParentProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="parent_profile",
        verbose_name=_("responsable"),
    )
    mobile = MobileNumberField(_("téléphone portable"), blank=True, db_index=True, region="FR")

    class Meta:
        verbose_name = _("fiche de responsable")
        verbose_name_plural = _("fiches de responsables")

    def __str__(self):
        return str(self.user)


class ParentLinkQuerySet(models.QuerySet):
    def standing(self):
        """Links the parent has not reported as wrong."""
        return self.filter(reported_wrong_at__isnull=True)


class ParentLink(models.Model):
    """« Responsable de » : one parent, one child."""

    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="child_links",
        verbose_name=_("responsable"),
    )
    child = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="parent_links",
        verbose_name=_("élève"),
    )
    legal_representative = models.BooleanField(_("représentant légal"), default=True)
    created_at = models.DateTimeField(_("lié le"), default=timezone.now)
    # The parent confirmed the child by its birth date (SMS registration).
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    # « Je ne suis pas le représentant légal de cet élève »: shown to staff, hidden to the parent.
    reported_wrong_at = models.DateTimeField(_("signalé comme erroné le"), null=True, blank=True)

    objects = ParentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien responsable – élève")
        verbose_name_plural = _("liens responsables – élèves")
        ordering = ["parent", "child__last_name", "child__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="one_link_per_parent_child")
        ]

    def __str__(self):
        return f"{self.parent} → {self.child}"


class DemoTextMessageQuerySet(models.QuerySet):
    def stale(self, now=None):
        return self.filter(sent_at__lt=(now or timezone.now()) - timedelta(days=1))


class DemoTextMessage(models.Model):
    """An SMS sent to a fiction number (06 39 98 xx xx), for the « Téléphone de démonstration »
    page. Messages to any other number are never kept."""

    to = models.CharField(_("destinataire"), max_length=16, db_index=True)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)

    objects = DemoTextMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("SMS de démonstration")
        verbose_name_plural = _("SMS de démonstration")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.to} {self.sent_at:%Y-%m-%d %H:%M}"
