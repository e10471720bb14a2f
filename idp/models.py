from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a service may receive: groups of claims (OIDC scopes) that are also its CAS attributes.
# The identifier has a group of its own: it is the same for every service (`sub` is not).
ATTRIBUTE_GROUPS = {
    "identifiant": ["preferred_username"],
    "profile": ["given_name", "family_name", "name", "profile"],
    "etablissement": ["etablissement_uai", "etablissement_nom", "classe"],
    "email": ["email", "email_verified"],
    "birthdate": ["birthdate"],
}
ATTRIBUTE_CHOICES = [
    (
        "identifiant",
        _(
            "Identifiant EduConnect : le même pour chaque service, qui permet de recouper "
            "les comptes d'un service à l'autre"
        ),
    ),
    ("profile", _("Identité : prénom, nom, profil (élève, responsable, personnel)")),
    ("etablissement", _("Établissement (UAI et nom) et classe de l'inscription en cours")),
    ("email", _("Adresse mail, seulement si elle est vérifiée")),
    ("birthdate", _("Date de naissance")),
]


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ConnectedService(models.Model):
    """One registry of the services that sign in through the portal, whatever their protocol."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        CAS = "cas", _("CAS 3.0")

    class ClientType(models.TextChoices):
        CONFIDENTIAL = "confidential", _("Confidentiel (avec un secret, côté serveur)")
        PUBLIC = "public", _("Public (sans secret : PKCE obligatoire)")

    name = models.CharField(_("nom"), max_length=100)
    protocol = models.CharField(_("protocole"), max_length=10, choices=Protocol.choices)
    home_url = models.URLField(
        _("adresse du service"),
        help_text=_("La tuile « Mes applications » de l'accueil de l'ENT y mène."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    attributes = models.JSONField(
        _("informations transmises"),
        default=list,
        blank=True,
        help_text=_("Ce que le service peut recevoir, en plus d'un identifiant opaque."),
    )
    establishments = models.ManyToManyField(
        "schools.Establishment",
        blank=True,
        related_name="connected_services",
        verbose_name=_("établissements qui le proposent"),
        help_text=_("Aucun : proposé à tous les établissements."),
    )
    # OpenID Connect: the allauth client is kept in step with these fields (idp/actions.py).
    oidc_client = models.OneToOneField(
        "allauth_idp_oidc.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="connected_service",
        verbose_name=_("client OpenID Connect"),
    )
    client_type = models.CharField(
        _("type de client"),
        max_length=20,
        choices=ClientType.choices,
        default=ClientType.CONFIDENTIAL,
    )
    redirect_uris = models.TextField(
        _("adresses de retour (OIDC)"),
        blank=True,
        help_text=_("Une par ligne, comparées exactement."),
    )
    post_logout_redirect_uris = models.TextField(
        _("adresses après déconnexion (OIDC)"), blank=True, help_text=_("Une par ligne.")
    )
    backchannel_logout_uri = models.URLField(
        _("adresse de déconnexion « back-channel » (OIDC)"),
        blank=True,
        help_text=_("Le portail y envoie un logout_token quand la personne se déconnecte."),
    )
    # CAS: the service URLs that may receive a ticket.
    cas_service_prefixes = models.TextField(
        _("adresses autorisées (CAS)"),
        blank=True,
        help_text=_(
            "Une par ligne : le schéma, l'hôte et le port doivent être identiques, le chemin "
            "doit commencer par celui indiqué. Par exemple https://cdt.example.fr/cas/"
        ),
    )

    class Meta:
        verbose_name = _("service connecté")
        verbose_name_plural = _("services connectés")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_redirect_uris(self):
        return _lines(self.redirect_uris)

    def get_post_logout_redirect_uris(self):
        return _lines(self.post_logout_redirect_uris)

    def get_cas_service_prefixes(self):
        return _lines(self.cas_service_prefixes)

    def allowed_claims(self):
        return {claim for group in self.attributes for claim in ATTRIBUTE_GROUPS.get(group, [])}


class PairwiseSubject(models.Model):
    """The OIDC `sub` of a user for one client: random, stable, different for each client."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.CharField(max_length=100)
    sub = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="one_sub_per_client")
        ]

    def __str__(self):
        return f"{self.client_id}: {self.sub}"


class CasTicket(models.Model):
    """A service ticket: only its SHA-256 is stored, it is used once and lives seconds."""

    ticket_hash = models.CharField(max_length=64, unique=True)
    service = models.ForeignKey(ConnectedService, on_delete=models.CASCADE, related_name="+")
    service_url = models.TextField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    # Issued just after the password was given (CAS `renew`), not from the single sign-on
    # session: only such a ticket passes a validation that asks for `renew`.
    renewed = models.BooleanField(default=False)

    def __str__(self):
        return f"ticket {self.pk} ({self.service_url})"

    def is_expired(self, now=None):
        return self.expires_at <= (now or timezone.now())


class ServiceSession(models.Model):
    """A portal session signed into a service: what single sign-out must reach."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(ConnectedService, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # CAS: the (already used, so harmless) ticket the service keyed its session on, and the URL
    # it was issued for; single sign-out posts a SAML LogoutRequest naming it there.
    cas_ticket = models.CharField(max_length=100, blank=True)
    cas_service_url = models.TextField(blank=True)
    # OIDC: the issuer the service was given (the back-channel logout_token's `iss`), kept so
    # that a sign-out outside a request (a departure by command) can still sign its token.
    oidc_issuer = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.user_id} → {self.service_id}"


class LogoutNotice(models.Model):
    """A service to tell that a portal session ended (single sign-out), until the background
    worker has told it (idp/tasks.py): one row per service and per portal session, at most
    settings.IDP_LOGOUT_NOTICES_PER_SESSION per session."""

    class Kind(models.TextChoices):
        CAS = "cas", _("CAS 3.0")
        OIDC = "oidc", _("OpenID Connect")

    service = models.ForeignKey(ConnectedService, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Where the notice is POSTed: the CAS service URL of the ticket, or the back-channel URI.
    url = models.TextField()
    cas_ticket = models.CharField(max_length=100, blank=True)
    # OIDC: what the logout_token names (signed when sent, by the worker).
    sub = models.CharField(max_length=64, blank=True)
    oidc_issuer = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.kind} → {self.url}"
