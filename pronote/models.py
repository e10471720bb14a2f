from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Enrolment, Role, SchoolClass


class Subject(models.Model):
    name = models.CharField(_("matière"), max_length=80, unique=True)
    color = models.CharField(_("couleur"), max_length=7, default="#6a6af4")

    class Meta:
        verbose_name = _("matière")
        verbose_name_plural = _("matières")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")


class Lesson(models.Model):
    """One slot of the weekly timetable of a class."""

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("classe")
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, verbose_name=_("matière"))
    teacher = models.CharField(_("professeur"), max_length=100)
    room = models.CharField(_("salle"), max_length=30)
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    starts_at = models.TimeField(_("début"))
    ends_at = models.TimeField(_("fin"))

    class Meta:
        verbose_name = _("cours")
        verbose_name_plural = _("emploi du temps")
        ordering = ["school_class", "weekday", "starts_at"]

    def __str__(self):
        return f"{self.school_class.division} {self.get_weekday_display()} {self.starts_at:%H:%M}"


class Evaluation(models.Model):
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("classe"),
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, verbose_name=_("matière"))
    title = models.CharField(_("intitulé"), max_length=150)
    date = models.DateField(_("date"))
    out_of = models.PositiveSmallIntegerField(_("noté sur"), default=20)
    coefficient = models.DecimalField(
        _("coefficient"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.subject} — {self.title} ({self.school_class.division})"


class Mark(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="marks", verbose_name=_("évaluation")
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="marks",
        verbose_name=_("élève"),
    )
    value = models.DecimalField(
        _("note"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Vide : absence à l'évaluation."),
    )

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "pupil"], name="one_mark_per_pupil")
        ]

    def __str__(self):
        return f"{self.pupil} — {self.evaluation}: {self.value}"

    def clean(self):
        from django.core.exceptions import ValidationError

        evaluation = self._evaluation()
        errors = {}
        if self.pupil_id and evaluation is not None and not self.pupil_in_class(evaluation):
            # A mark is for a pupil of the evaluation's class, never the superuser, a parent or
            # a pupil of another class (each would see it in PRONOTE).
            errors["pupil"] = _(
                "Cette personne n'est pas un élève de la classe de l'évaluation "
                "(%(classe)s) : choisissez un élève de cette classe."
            ) % {"classe": evaluation.school_class}
        if self.value is not None and evaluation is not None and self.value > evaluation.out_of:
            errors["value"] = _("La note dépasse le barème de l'évaluation (%(out_of)s).") % {
                "out_of": evaluation.out_of
            }
        if errors:
            raise ValidationError(errors)

    def _evaluation(self):
        """The evaluation, saved or not (the admin's add page validates its marks before
        saving it); None without one."""
        if Mark.evaluation.is_cached(self):
            return self.evaluation
        return (
            Evaluation.objects.filter(pk=self.evaluation_id).first() if self.evaluation_id else None
        )

    def pupil_in_class(self, evaluation) -> bool:
        """Whether the pupil is (or was, this year) enrolled as a pupil in the evaluation's
        class: a pupil who changed class keeps the marks already given."""
        return (
            evaluation.school_class_id is not None
            and Enrolment.objects.filter(
                user_id=self.pupil_id, school_class_id=evaluation.school_class_id, role=Role.PUPIL
            ).exists()
        )


class Homework(models.Model):
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="homework", verbose_name=_("classe")
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, verbose_name=_("matière"))
    given_on = models.DateField(_("donné le"), default=timezone.localdate)
    due_on = models.DateField(_("pour le"))
    description = models.TextField(_("travail à faire"))

    class Meta:
        verbose_name = _("travail à faire")
        verbose_name_plural = _("travail à faire")
        ordering = ["due_on", "subject__name"]

    def __str__(self):
        return f"{self.subject} pour le {self.due_on:%d/%m}"


class SchoolLifeEvent(models.Model):
    class Kind(models.TextChoices):
        ABSENCE = "absence", _("Absence")
        LATENESS = "retard", _("Retard")

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_life_events",
        verbose_name=_("élève"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("le"))
    ends_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("minutes de retard"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    justified = models.BooleanField(_("justifié"), default=False)
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("événement de vie scolaire")
        verbose_name_plural = _("vie scolaire")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.pupil} — {self.starts_at:%d/%m/%Y}"


class FirstVisit(models.Model):
    """The first time a person opened PRONOTE (its first-connection page; the staff funnel)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pronote_first_visit"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("première connexion à PRONOTE")
        verbose_name_plural = _("premières connexions à PRONOTE")

    def __str__(self):
        return f"{self.user} — {self.at:%d/%m/%Y}"
