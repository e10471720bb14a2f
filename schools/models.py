from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.validators import validate_uai


class Role(models.TextChoices):
    PUPIL = "eleve", _("Élève")
    PARENT = "parent", _("Parent")
    TEACHER = "enseignant", _("Enseignant")
    STAFF = "personnel", _("Personnel non enseignant")


class Establishment(models.Model):
    uai = models.CharField(
        _("code UAI"),
        max_length=8,
        unique=True,
        validators=[validate_uai],
        help_text=_("Unité administrative immatriculée : 7 chiffres et une lettre clé."),
    )
    name = models.CharField(_("nom"), max_length=200)
    academie = models.CharField(_("académie"), max_length=100)
    message = models.TextField(
        _("message de l'établissement"),
        blank=True,
        help_text=_("Affiché aux élèves sur la page des services."),
    )

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchoolClass(models.Model):
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="classes",
        verbose_name=_("établissement"),
    )
    division = models.CharField(_("division"), max_length=30, help_text=_("Par exemple « 4e B »."))
    # A class of invented pupils for a lesson (classroom/): never mixed with imported pupils,
    # deleted in one action, purged once ``practice_until`` has passed.
    practice = models.BooleanField(_("classe d'entraînement"), default=False)
    practice_until = models.DateTimeField(_("supprimée après le"), null=True, blank=True)
    # The letters of a practice class are derived from this seed and the server's secret
    # (accounts/credentials.py, ``practice_password``): the same letters serve group after
    # group; a new seed makes new letters. Empty for a real class.
    letter_seed = models.CharField(max_length=32, blank=True, editable=False)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="classes_taught",
        verbose_name=_("enseignants"),
        help_text=_("Ils suivent la classe depuis « Mes classes »."),
    )

    class Meta:
        verbose_name = _("classe")
        verbose_name_plural = _("classes")
        ordering = ["establishment__name", "division"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "division"], name="unique_division_per_establishment"
            )
        ]

    def __str__(self):
        return f"{self.division} — {self.establishment.name}"


class EnrolmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("utilisateur"),
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("établissement"),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("classe"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.PUPIL)
    enrolled_at = models.DateTimeField(_("inscription le"), auto_now_add=True)
    left_at = models.DateTimeField(_("départ le"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["establishment__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "establishment"],
                condition=Q(left_at__isnull=True),
                name="one_current_enrolment_per_establishment",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.establishment}"
