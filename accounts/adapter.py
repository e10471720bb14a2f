from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent


class AccountAdapter(DefaultAccountAdapter):
    """The one customisation point of django-allauth (DESIGN.md §4)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # One message whether the identifier exists or not.
        "username_password_mismatch": _(
            "Identifiant ou mot de passe incorrect. Vérifiez votre saisie : l'identifiant et le "
            "mot de passe figurent sur le courrier remis par votre établissement."
        ),
    }

    def is_open_for_signup(self, request, *args, **kwargs):
        # Accounts are issued by schools, never created by visitors.
        return False

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and user.provisional_expired():
            # Said only once the password is known to be right: it reveals nothing to a guesser.
            AuditEvent.record(
                AuditEvent.Action.EXPIRED_SIGN_IN_REFUSED,
                subject=user,
                actor=user,
                ip=self.get_client_ip(request),
            )
            raise ValidationError(
                _(
                    "Votre mot de passe provisoire a expiré : il n'était valable que 3 mois. "
                    "Demandez un nouveau courrier à votre établissement (secrétariat ou "
                    "professeur principal)."
                ),
                code="provisional_expired",
            )
        return user

    def send_password_reset_mail(self, user, email, context):
        # A provisional account has no password of its own yet: it is told to use its letter.
        if user.is_provisional:
            self.send_mail("account/email/password_reset_provisional", email, context)
            return
        super().send_password_reset_mail(user, email, context)

    def get_login_stages(self):
        return [*super().get_login_stages(), "accounts.stages.ActivationStage"]
