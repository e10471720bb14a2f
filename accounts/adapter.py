from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import lockout, throttle
from accounts.actions import LETTER_BLOCKED_MESSAGE, do_record_failed_attempt
from accounts.credentials import looks_like_provisional_password
from accounts.models import LifecycleState, User
from accounts.sessions import record_session
from audit.models import Action, record
from schools.models import Role


def _locked_message():
    return ngettext(
        "Trop de tentatives de connexion : par sécurité, la connexion avec cet identifiant "
        "est "
        "bloquée pendant %(minutes)d minute. C'est temporaire : réessayez plus tard, ou "
        "demandez à votre établissement de la débloquer.",
        "Trop de tentatives de connexion : par sécurité, la connexion avec cet identifiant "
        "est "
        "bloquée pendant %(minutes)d minutes. C'est temporaire : réessayez plus tard, ou "
        "demandez à votre établissement de la débloquer.",
        lockout.minutes(),
    ) % {"minutes": lockout.minutes()}


def slow_down_message():
    return _(
        "Beaucoup d'essais manqués viennent d'arriver depuis votre réseau (celui de "
        "l'établissement, peut-être) : par sécurité, patientez %(seconds)d secondes, puis "
        "réessayez. Votre identifiant, lui, n'est pas bloqué."
    ) % {"seconds": throttle.seconds_left()}


# Worded from the settings when shown, so that it stays true if LOCKOUT_SECONDS changes.
LOCKED_MESSAGE = lazy(_locked_message, str)()


class AccountAdapter(DefaultAccountAdapter):
    """The one customisation point of django-allauth (docs/architecture.md, « La connexion et
    l'étape d'activation »)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # One message whether the identifier exists or not, and whether the account is
        # activated or not (the letter's password, or the one chosen since): no enumeration.
        "username_password_mismatch": _(
            "Identifiant ou mot de passe incorrect. Vérifiez votre saisie : l'identifiant "
            "figure sur le courrier remis par votre établissement ; le mot de passe est celui "
            "du courrier, ou celui que vous avez choisi en créant votre compte."
        ),
        "too_many_login_attempts": LOCKED_MESSAGE,
    }

    def is_open_for_signup(self, request, *args, **kwargs):
        # Accounts are issued by schools, never created by visitors.
        return False

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)  # allauth's own (sign-in limits off)
        identifier = credentials.get("username", "")
        # The address's limits hold only a browser not yet trusted for this identifier.
        trusted = throttle.is_trusted_device(request, identifier)
        ip = None if trusted else self.get_client_ip(request)
        # One round trip to the cache: the address's counters and the identifier's lockout.
        gate, attempts = lockout.begin_sign_in(identifier, ip)
        if gate is lockout.Gate.SLOWED:
            if throttle.count("slowed", ip) == 1:  # audited once per window
                record(Action.ADDRESS_SLOWED_DOWN, ip=ip, attempts=attempts)
            raise ValidationError(slow_down_message(), code="address_slowed_down")
        if gate is lockout.Gate.LOCKED:
            # Before the password is even looked at: the right one is refused too.
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request, **credentials):
        try:
            return self._authenticate(request, **credentials)
        except (OperationalError, InterfaceError):
            # The database did not answer: the attempt was counted but never evaluated; the
            # person gets a 503 (core/errors.py) and tries again without being locked out.
            lockout.not_evaluated(credentials.get("username", ""))
            raise

    def _authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is None:
            if letter_already_used(credentials.get("username"), credentials.get("password")):
                raise ValidationError(
                    _(
                        "Votre compte est déjà créé : le mot de passe provisoire du "
                        "courrier ne "
                        "fonctionne plus. Connectez-vous avec le mot de passe que vous avez "
                        "choisi. Vous l'avez oublié ? Utilisez « Mot de passe "
                        "perdu », ou "
                        "demandez un nouveau courrier à votre établissement."
                    ),
                    code="letter_already_used",
                )
            return None
        lockout.reset_failures(credentials.get("username", ""))
        if user.lifecycle_state() == LifecycleState.LETTER_BLOCKED:
            # Like an expired letter: said only to whoever knows the letter's password.
            raise ValidationError(LETTER_BLOCKED_MESSAGE, code="letter_blocked")
        if user.lifecycle_state() == LifecycleState.EXPIRED:
            # Said only once the password is known to be right: it reveals nothing to a guesser.
            record(
                Action.EXPIRED_SIGN_IN_REFUSED,
                subject=user,
                actor=user,
                ip=self.get_client_ip(request),
            )
            raise ValidationError(
                ngettext(
                    "Votre mot de passe provisoire a expiré : il n'était valable que "
                    "%(months)d "
                    "mois. Demandez un nouveau courrier à votre établissement (secrétariat ou "
                    "professeur principal).",
                    "Votre mot de passe provisoire a expiré : il n'était valable que "
                    "%(months)d "
                    "mois. Demandez un nouveau courrier à votre établissement (secrétariat ou "
                    "professeur principal).",
                    settings.PROVISIONAL_VALIDITY_MONTHS,
                )
                % {"months": settings.PROVISIONAL_VALIDITY_MONTHS},
                code="provisional_expired",
            )
        return user

    def authentication_failed(self, request, **credentials):
        ip = self.get_client_ip(request)
        identifier = credentials.get("username", "")
        # One round trip: the address's failure counted, the identifier's failures read.
        failures = lockout.after_failed_password(identifier, ip)
        do_record_failed_attempt(
            identifier, Action.SIGN_IN_FAILED, ip=ip, counted=True, failures=failures
        )

    def login(self, request, user):
        """Django's sign-in (new session key, ``last_login``), the « Mes sessions » row and the
        audit row, in one transaction: one commit instead of three (no savepoint: nothing in
        it is to be undone alone)."""
        with transaction.atomic(savepoint=False):
            super().login(request, user)
            record(
                Action.SIGN_IN_SUCCEEDED,
                subject=user,
                actor=user,
                ip=self.get_client_ip(request),
            )
            record_session(request, user)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # This browser is known for this identifier: no address limit holds it any more.
        throttle.remember_device(request, response, user.username)
        return response

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # « Connexion avec b.actif réussie » was stored in the session at every sign-in, to be
        # read on the next page by no pupil: a session write and a read for nothing.
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def send_password_reset_mail(self, user, email, context):
        # A provisional account has no password of its own yet: it is told to use its letter.
        if user.is_provisional:
            self.send_mail("account/email/password_reset_provisional", email, context)
            return
        super().send_password_reset_mail(user, email, context)

    def get_login_redirect_url(self, request):
        # A teacher lands on « Mes classes » (classroom/), named by its address only.
        user = request.user
        if user.is_authenticated and user.role == Role.TEACHER and not user.is_staff:
            return reverse("classroom:classes")
        return super().get_login_redirect_url(request)

    def get_login_stages(self):
        return [
            *super().get_login_stages(),
            "accounts.stages.ActivationStage",
            "accounts.stages.ConfirmedEmailStage",
        ]


def letter_already_used(identifier, password) -> bool:
    """After a failed sign-in: was it the letter of an account already activated with it?

    Looked at only for what could be a letter's password (its length and alphabet), and then at
    the cost of one hash whatever the account, so that the time of the answer tells nothing about
    whether the identifier exists or is activated; other guesses cost nothing more."""
    from django.contrib.auth.hashers import make_password

    if not looks_like_provisional_password(password):
        return False
    user = User.objects.filter(username=(identifier or "").strip().lower()).first()
    if user is None or not user.used_letter_password or user.is_provisional:
        make_password(password)
        return False
    return user.is_used_letter_password(password)
