import secrets

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from oauthlib.oauth2.rfc6749 import errors

from idp import actions
from idp.claims import claims_for
from idp.doors import client_ip, refusal_reason
from idp.models import ATTRIBUTE_GROUPS, PairwiseSubject
from idp.rules import oidc_service_for

# What a refused service reads (OAuth error descriptions are ASCII, for the service's logs).
WITHDRAWN = "the portal refuses this person access to this service now; tokens revoked"


class PortalOIDCAdapter(DefaultOIDCAdapter):
    """allauth's OpenID Connect provider, told what the ENT knows (settings.IDP_OIDC_ADAPTER)."""

    scope_display = {
        "openid": _("Un identifiant opaque, propre à ce service"),
        "profile": _("Votre identifiant, vos prénom et nom, votre profil"),
        "etablissement": _("Votre établissement et votre classe"),
        "email": _("Votre adresse mail vérifiée"),
        "birthdate": _("Votre date de naissance"),
    }

    def get_user_sub(self, client, user):
        """Random, stable, and different for each client: two services cannot match their
        users by `sub`."""
        existing = PairwiseSubject.objects.filter(user=user, client_id=client.pk).first()
        if existing:
            return existing.sub
        try:
            with transaction.atomic():
                return PairwiseSubject.objects.create(
                    user=user, client_id=client.pk, sub=secrets.token_urlsafe(24)
                ).sub
        except IntegrityError:  # created by a concurrent request
            return PairwiseSubject.objects.get(user=user, client_id=client.pk).sub

    def get_user_by_sub(self, client, sub):
        row = PairwiseSubject.objects.filter(client_id=client.pk, sub=sub).first()
        if row is None:
            return None
        return get_user_model().objects.filter(pk=row.user_id, is_active=True).first()

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        """Every ID token (at the code exchange and at each refresh) and every userinfo answer
        passes the door again: when it would refuse now (charter not accepted, provisional
        account, service inactive or not offered to the person), the person's tokens for this
        service are revoked and the grant (`invalid_grant`) or the access token
        (`invalid_token`, 401) is refused."""
        service = oidc_service_for(client.pk)
        reason = refusal_reason(user, service)
        if reason is not None:
            request = getattr(self, "request", None)
            actions.do_withdraw_tokens(
                user,
                client,
                service,
                reason=reason,
                ip=client_ip(request) if request is not None else None,
            )
            if purpose == "userinfo":
                raise errors.InvalidTokenError(description=WITHDRAWN)
            raise errors.InvalidGrantError(description=WITHDRAWN)
        claims = {"sub": self.get_user_sub(client, user)}
        claims.update(claims_for(user, service, scopes))
        return claims

    def populate_server_metadata(self, data):
        data["scopes_supported"] = ["openid", *ATTRIBUTE_GROUPS]
        data["subject_types_supported"] = ["pairwise"]
        data["claims_supported"] = [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "nonce",
            "at_hash",
            *(c for group in ATTRIBUTE_GROUPS.values() for c in group),
        ]
        data["backchannel_logout_supported"] = True
        data["backchannel_logout_session_supported"] = False
