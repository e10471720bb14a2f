"""Who may use which service, and which URL belongs to which service: written once here."""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import BadRequest
from django.db.models import Q

from core.sql import RowQuery
from idp.models import ConnectedService
from schools.models import Enrolment

AUTHORIZE_PATH = "/identity/o/authorize"
CAS_LOGIN_PATH = "/cas/login"


def _split(url):
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None or "\\" in url:
        return None
    if any(ord(c) < 33 for c in url):
        return None
    # The path as the service's server will read it: percent-decoded; a dot segment, even
    # encoded (`/cas/../admin/`, `/cas/%2e%2e/evil`), or an encoded slash, backslash or
    # control character is refused rather than resolved.
    try:
        path = unquote(parts.path, errors="strict")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 33 or c == "\\" for c in path) or path.count("/") != parts.path.count("/"):
        return None
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname.lower(), port or default, path or "/"


def url_matches_prefix(url, prefix) -> bool:
    """Same scheme, host and port; the path starts with the prefix's path. Never a pattern that
    `https://cdt.example.fr.evil.test` or `https://evil.test/?https://cdt.example.fr` would pass."""
    got, allowed = _split(url), _split(prefix)
    if got is None or allowed is None or got[:3] != allowed[:3]:
        return False
    wanted_path = allowed[3]
    if not wanted_path.endswith("/"):
        return got[3] == wanted_path or got[3].startswith(wanted_path + "/")
    return got[3].startswith(wanted_path)


def cas_service_for(url):
    """The active CAS service this URL belongs to, or None."""
    if not url or len(url) > 2000:
        return None
    for service in ConnectedService.objects.filter(
        is_active=True, protocol=ConnectedService.Protocol.CAS
    ):
        if any(url_matches_prefix(url, p) for p in service.get_cas_service_prefixes()):
            return service
    return None


def oidc_service_for(client_id):
    return (
        ConnectedService.objects.filter(
            is_active=True, protocol=ConnectedService.Protocol.OIDC, oidc_client_id=client_id
        ).first()
        if client_id
        else None
    )


# « Not read yet »: offered_to and claims_for read the enrolment themselves.
UNREAD = object()


def establishment_ids(service):
    """The establishments a service is offered to (none: all), read once per service object."""
    if not hasattr(service, "_establishment_ids"):
        service._establishment_ids = [e.pk for e in service.establishments.all()]
    return service._establishment_ids


def offered_to(user, service, *, enrolment=UNREAD) -> bool:
    """A service with no establishment is offered to all; otherwise to their current members.
    ``enrolment``: ``enrolment_for(user, service)`` when already read (the token endpoint reads
    it once for the door and the claims)."""
    ids = establishment_ids(service)
    if not ids:
        return True
    if enrolment is not UNREAD:
        return enrolment is not None
    return Enrolment.objects.current().filter(user=user, establishment_id__in=ids).exists()


def enrolment_for(user, service):
    """The current enrolment whose establishment and class a service is told about."""
    enrolments = (
        Enrolment.objects.current()
        .filter(user=user)
        .select_related("establishment", "school_class")
        .order_by("establishment__name")
    )
    ids = establishment_ids(service) if service else []
    if ids:
        enrolments = enrolments.filter(establishment_id__in=ids)
    return enrolments.first()


def services_offered_queryset(enrolment):
    """The tiles of « Mes applications » for the establishment being looked at: the active
    services offered to every establishment (none named) or to this one."""
    offered = Q(establishments__isnull=True)
    if enrolment is not None:
        offered |= Q(establishments=enrolment.establishment_id)
    return ConnectedService.objects.filter(offered, is_active=True).distinct().order_by("name")


# The same, on every ENT home page: the ORM compiled the many-to-many join and its DISTINCT
# at each one (tests/idp/test_registry.py holds the two together).
SERVICES_OFFERED = RowQuery(
    [(ConnectedService, "cs")],
    "FROM idp_connectedservice cs WHERE cs.is_active AND ("
    " NOT EXISTS (SELECT 1 FROM idp_connectedservice_establishments m"
    "  WHERE m.connectedservice_id = cs.id)"
    " OR EXISTS (SELECT 1 FROM idp_connectedservice_establishments m"
    "  WHERE m.connectedservice_id = cs.id AND m.establishment_id = %s)"
    ") ORDER BY cs.name, cs.id",
)


def services_offered(enrolment):
    establishment = enrolment.establishment_id if enrolment is not None else None
    return [service for (service,) in SERVICES_OFFERED.rows([establishment])]


def service_behind(next_url):
    """The service whose door (a path of this site: OIDC authorization, CAS login) ``next_url``
    is, and the door's protocol; (None, None) for anything else.

    A NUL byte in it, even encoded one level down (`next=/identity/o/authorize?client_id=%00`,
    which core's RequestHygieneMiddleware sees as `%2500`), is a 400 (BadRequest): PostgreSQL
    refuses it in the lookup of the service, which was a 500."""
    next_url = next_url or ""
    if "\x00" in next_url or "%00" in next_url:
        raise BadRequest("Caractère nul dans l'adresse de retour.")
    if not next_url.startswith("/") or next_url.startswith("//"):
        return None, None
    try:
        parts = urlsplit(next_url)
    except ValueError:
        return None, None
    if parts.scheme or parts.netloc:
        return None, None
    query = parse_qs(parts.query)
    if parts.path == AUTHORIZE_PATH:
        return oidc_service_for((query.get("client_id") or [""])[0]), "oidc"
    if parts.path == CAS_LOGIN_PATH:
        return cas_service_for((query.get("service") or [""])[0]), "cas"
    return None, None
