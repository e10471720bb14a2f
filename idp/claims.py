"""What a service learns about a person: the same claims for OpenID Connect and for CAS."""

from allauth.account.models import EmailAddress

from idp.models import ATTRIBUTE_GROUPS
from idp.rules import UNREAD, enrolment_for

# The ENT profile of each role (the `profile` claim).
PROFILES = {
    "eleve": "élève",
    "parent": "responsable",
    "enseignant": "personnel",
    "personnel": "personnel",
}


def claims_for(user, service, groups, *, enrolment=UNREAD):
    """The claims of ``groups`` (OIDC scopes, or the CAS attributes) that ``service`` may receive.

    `email` only when verified; `birthdate` only with its own group; nothing a service was not
    registered for. ``enrolment``: ``enrolment_for(user, service)`` when already read."""
    groups = set(groups) & set(service.attributes if service else ())
    claims = {}
    if "identifiant" in groups:
        claims["preferred_username"] = user.username
    if "profile" in groups:
        claims.update(
            given_name=user.first_name,
            family_name=user.last_name,
            name=user.get_full_name(),
            profile=PROFILES.get(user.role, "personnel"),
        )
    if "etablissement" in groups:
        if enrolment is UNREAD:
            enrolment = enrolment_for(user, service)
        if enrolment is not None:
            claims.update(
                etablissement_uai=enrolment.establishment.uai,
                etablissement_nom=enrolment.establishment.name,
            )
            if enrolment.school_class_id:
                claims["classe"] = enrolment.school_class.division
    if "email" in groups:
        address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
        if address is not None:
            claims.update(email=address.email, email_verified=True)
    if "birthdate" in groups and user.birth_date:
        claims["birthdate"] = user.birth_date.isoformat()
    allowed = {c for g in groups for c in ATTRIBUTE_GROUPS[g]}
    return {k: v for k, v in claims.items() if k in allowed and v not in ("", None)}
