from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A batch's sealed PDF, and the browser cookie holding its key, live this long (« after a day »).
BATCH_LIFETIME = timedelta(days=1)


class LetterBatchQuerySet(models.QuerySet):
    def stale(self, now=None):
        """Batches older than a day that still hold something (their sealed PDF, the file they
        were asked to import) or still wait for the worker (the key to open them is gone)."""
        return self.filter(created_at__lte=(now or timezone.now()) - BATCH_LIFETIME).filter(
            models.Q(sealed_pdf__isnull=False)
            | models.Q(import_data__isnull=False)
            | models.Q(status=LetterBatch.Status.PENDING)
        )


class LetterBatch(models.Model):
    """A long action on letters (staff/jobs.py), made in the background (staff/tasks.py):
    printing letters, resetting a class for a new group, importing a class list. Asked for by
    a form carrying a one-time token: the same form sent twice finds the same batch, so
    nothing is issued twice. The PDF is kept only sealed with a public key whose private half
    is in the browser of the person who asked (a cookie): the server cannot read it back, and
    it is deleted at the first download or after a day (``manage.py purge``, and the worker
    before each batch)."""

    class Kind(models.TextChoices):
        LETTERS = "letters", _("Courriers")
        CLASS_RESET = "reset", _("Réinitialisation d'une classe")
        IMPORT = "import", _("Import d'élèves")
        # A practice class's same letters printed again: nothing issued, no account touched.
        REPRINT = "reprint", _("Les mêmes courriers (classe d'entraînement)")

    class Layout(models.IntegerChoices):
        ONE = 1, _("1 courrier par page")
        TWO = 2, _("2 courriers par page")
        FOUR = 4, _("4 courriers par page")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Prêt")
        FAILED = "failed", _("Échec")
        DOWNLOADED = "downloaded", _("Téléchargé")
        EXPIRED = "expired", _("Effacé (plus d'un jour)")

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
    kind = models.CharField(_("travail"), max_length=8, choices=Kind.choices, default=Kind.LETTERS)
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("classe"),
    )
    per_page = models.PositiveSmallIntegerField(
        _("courriers par page"), choices=Layout.choices, default=Layout.ONE
    )
    # Where the progress page leads back (checked as a safe address when saved and shown).
    back_url = models.CharField(_("retour"), max_length=300, blank=True)
    # The hash of the form's one-time token (staff/jobs.py): a form sent twice finds this
    # batch again instead of issuing the letters a second time.
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The requester's address, for the audit rows the worker writes on their behalf.
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_ids = models.JSONField(_("comptes"), default=list, blank=True)
    import_data = models.BinaryField(_("fichier importé"), null=True, blank=True)
    total = models.PositiveIntegerField(_("nombre de courriers"), default=0)
    # Progress lives in the row, which every process reads (the worker is another process).
    done = models.PositiveIntegerField(_("mots de passe émis"), default=0)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("erreur"), blank=True)
    public_key = models.CharField(max_length=64)
    sealed_pdf = models.BinaryField(null=True, blank=True)
    portal_url = models.CharField(max_length=300)

    objects = LetterBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot de courriers")
        verbose_name_plural = _("lots de courriers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.total} courriers, {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def working(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def is_stale(self, now=None):
        return (now or timezone.now()) - self.created_at >= BATCH_LIFETIME


class ClassSession(models.Model):
    """A lesson with one class (« Séance »): it starts when the teacher resets the class for a
    new group. The séance page reads what happened since then (staff/session.py)."""

    school_class = models.ForeignKey(
        "schools.SchoolClass",
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("classe"),
    )
    started_at = models.DateTimeField(_("commencée le"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.school_class} — {self.started_at:%d/%m/%Y %H:%M}"
