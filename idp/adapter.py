import secrets

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from oauthlib.oauth2.rfc6749 import errors

from idp import actions
from idp.claims import claims_for
from idp.doors import client_ip, granted_auth_time, refusal_reason
from idp.models import ATTRIBUTE_GROUPS, PairwiseSubject
from idp.rules import enrolment_for, oidc_service_for

# What a refused service reads (OAuth error descriptions are ASCII, for the service's logs).
WITHDRAWN = "the portal refuses this person access to this service now; tokens revoked"


class PortalOIDCAdapter(DefaultOIDCAdapter):
    """allauth's OpenID Connect provider, told what the ENT knows (settings.IDP_OIDC_ADAPTER)."""

    scope_display = {
        "openid": _("Un identifiant opaque, propre à ce service"),
        "identifiant": _("Votre identifiant EduConnect, le même pour chaque service"),
        "profile": _("Vos prénom et nom, votre profil"),
        "etablissement": _("Votre établissement et votre classe"),
        "email": _("Votre adresse mail vérifiée"),
        "birthdate": _("Votre date de naissance"),
    }

    def generate_client_secret(self):
        """URL-safe (letters, digits, « - » and « _ »): the same string whether a client sends
        it as is or form-url-encoded in HTTP Basic (RFC 6749 §2.3.1)."""
        return secrets.token_urlsafe(32)

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
        # Read once, for the door and for the claims.
        enrolment = enrolment_for(user, service) if service is not None else None
        reason = refusal_reason(user, service, enrolment=enrolment)
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
        claims.update(claims_for(user, service, scopes, enrolment=enrolment))
        return claims

    def populate_id_token(self, id_token, client, scopes):
        """`auth_time`: when the person last gave her password (idp/doors.py, auth_time),
        kept with the code and then with the refresh token (idp/views.py, token)."""
        auth_time = granted_auth_time()
        if auth_time is not None:
            id_token["auth_time"] = auth_time

    def populate_server_metadata(self, data):
        """Only what is served: the authorization code flow and its refresh tokens (no
        implicit, hybrid, client credentials or device flow; idp/urls.py unmounts the device
        endpoints)."""
        data.pop("device_authorization_endpoint", None)
        data["grant_types_supported"] = ["authorization_code", "refresh_token"]
        data["response_types_supported"] = ["code"]
        data["response_modes_supported"] = ["query"]
        data["prompt_values_supported"] = ["none", "login"]
        data["claims_parameter_supported"] = False
        data["request_parameter_supported"] = False
        data["request_uri_parameter_supported"] = False
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
            "auth_time",
            *(c for group in ATTRIBUTE_GROUPS.values() for c in group),
        ]
        data["backchannel_logout_supported"] = True
        data["backchannel_logout_session_supported"] = False
