from allauth.account.stages import LoginStage
from django.http import HttpResponseRedirect
from django.urls import reverse

from accounts.flows import activation


class NotResumedFromTheSignIn(LoginStage):
    """A stage that shows who is signing in before the session exists (their name, identifier,
    address) is never resumed from the sign-in page."""

    def is_resumable(self, request):
        """allauth asks this when the sign-in page opens with a pending login in the session
        (RedirectAuthenticatedUserMixin): a resumable stage sends the visitor back to it. On a
        shared computer, the tab closed by one pupil (or parent) would greet the next one by
        name. Opening the sign-in page abandons it (allauth's own ``clear_login``, as « Ce
        n'est pas moi » does) and shows an empty sign-in."""
        from allauth.account.internal.stagekit import clear_login

        clear_login(request)
        return False


class ActivationStage(NotResumedFromTheSignIn):
    """After a sign-in with a provisional password and before the session exists, the pupil
    activates the account (like Keycloak's UPDATE_PASSWORD required action). Until then the
    user is not signed in, so no other page of the portal is reachable."""

    key = "activate_provisional_account"
    urlname = "accounts:activation_start"

    def handle(self):
        if activation.begin(self.request, self.login.user):
            return HttpResponseRedirect(reverse(self.urlname)), True
        return None, True


def needs_confirmed_email(user) -> bool:
    """A responsable who activated a letter opens the account only once the address given at
    activation is confirmed by its link (EduConnect's rule for parents). One registered by SMS
    has proved their mobile number instead."""
    from allauth.account.models import EmailAddress

    from schools.models import Role

    return bool(
        user is not None
        and user.role == Role.PARENT
        and not user.is_provisional
        and user.used_letter_password
        and not EmailAddress.objects.filter(user=user, verified=True).exists()
    )


class ConfirmedEmailStage(NotResumedFromTheSignIn):
    """After the password (and the activation), before the session: a parent's address must
    be confirmed. Until it is, the sign-in stops on a page that says so."""

    key = "confirmed_email_required"
    urlname = "accounts:email_required"

    def handle(self):
        if needs_confirmed_email(self.login.user):
            return HttpResponseRedirect(reverse(self.urlname)), True
        return None, True
