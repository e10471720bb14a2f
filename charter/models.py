import markdown
import nh3
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "hr",
}


class CharterQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_at__isnull=False, published_at__lte=now or timezone.now())

    def current(self):
        """The charter in force: the highest published version."""
        return self.published().order_by("-version").first()


class Charter(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(
        _("texte"), help_text=_("En Markdown : titres, listes, gras, liens. Pas de HTML.")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("publiée par"),
    )

    objects = CharterQuerySet.as_manager()

    class Meta:
        verbose_name = _("charte")
        verbose_name_plural = _("chartes")
        ordering = ["-version"]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self):
        return self.published_at is not None

    def body_html(self):
        """The Markdown body, rendered then sanitised: no script, no style, no raw HTML."""
        html = markdown.markdown(self.body, extensions=["sane_lists"])
        return mark_safe(  # noqa: S308 - sanitised by nh3 just above
            nh3.clean(
                html,
                tags=ALLOWED_TAGS,
                attributes={"a": {"href", "title"}},
                url_schemes={"https", "http", "mailto"},
                link_rel="noopener noreferrer nofollow",
            )
        )


class Acceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="charter_acceptances",
        verbose_name=_("utilisateur"),
    )
    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("charte")
    )
    accepted_at = models.DateTimeField(_("acceptée le"), default=timezone.now)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("acceptation")
        verbose_name_plural = _("acceptations")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "charter"], name="one_acceptance_per_version")
        ]

    def __str__(self):
        return f"{self.user} — v{self.charter.version}"
