from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import mail
from accounts.decorators import activation_stage_required, follow
from accounts.flows import activation
from accounts.forms import (
    ActivationForm,
    DemoMailboxForm,
    LostIdentifierForm,
    users_with_verified_email,
)
from accounts.mail import is_reserved
from accounts.models import DemoEmail
from accounts.validators import SPECIAL_CHARACTERS
from schools.current import current_enrolment


def idle_limit():
    """What the pages of a pending activation say about its idle limit (RGAA 2.2)."""
    seconds = settings.ACTIVATION_IDLE_SECONDS
    # Warned two minutes before the end; a limit of two minutes or less, one minute before.
    warn_minutes = 2 if seconds > 120 else 1
    return {
        "idle_seconds": seconds,
        "idle_minutes": max(1, seconds // 60),
        "idle_warn_minutes": warn_minutes,
    }


@activation_stage_required
def activation_start(request, stage):
    """Step 2: « Créer mon compte »."""
    return render(
        request,
        "accounts/activation_start.html",
        {"pending_user": stage.login.user, **idle_limit(), **activation.tab(request)},
    )


@require_POST
@activation_stage_required
def activation_cancel(request, stage):
    """« Ce n'est pas moi »; from another tab's script, the sign-in page then says why."""
    return follow(request, stage, activation.cancel(request.POST.get("raison")))


@require_POST
@activation_stage_required
def activation_extend(request, stage):
    """« Je suis encore là »: the idle limit starts again (activation_stage_required has just
    seen the step). Sent by the page's script, it answers nothing, and what is typed stays;
    without JavaScript, the button posts and comes back to the same step."""
    if request.headers.get("X-Activation-Extend"):
        return HttpResponse(status=204)
    messages.info(request, _("C'est noté : l'activation reste ouverte."))
    target = request.POST.get("next")
    allowed = {reverse("accounts:activation_start"), reverse("accounts:activate")}
    return redirect(target if target in allowed else reverse("accounts:activate"))


@sensitive_post_parameters("password1", "password2")
@activation_stage_required
def activate(request, stage):
    """Step 3: the new password, the date of birth, the optional e-mail address."""
    user = stage.login.user
    ended = follow(request, stage, activation.open_form(user))
    if ended is not None:
        return ended
    form = ActivationForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST":
        response = follow(request, stage, activation.submit(request, stage.login, form))
        if response is not None:
            return response
    return render(
        request,
        "accounts/activate.html",
        {
            "form": form,
            "pending_user": user,
            "special_characters": SPECIAL_CHARACTERS,
            **idle_limit(),
            **activation.tab(request),
        },
    )


@never_cache
def email_required(request):
    """A parent's sign-in waits here until the address is confirmed by its link: « Renvoyer
    le mail » (limited), or « Ce n'est pas moi »."""
    from allauth.account.stages import LoginStageController

    from accounts.stages import ConfirmedEmailStage, needs_confirmed_email

    stage = LoginStageController.enter(request, ConfirmedEmailStage.key)
    if stage is None:
        return redirect(
            settings.LOGIN_REDIRECT_URL if request.user.is_authenticated else "account_login"
        )
    user = stage.login.user
    if request.method == "POST" and "cancel" in request.POST:
        return stage.abort()
    if not needs_confirmed_email(user):
        return stage.exit()
    address = activation.unconfirmed_address(user)
    if request.method == "POST" and address is not None:
        follow(request, stage, activation.send_link_again(request, address))
        return redirect("accounts:email_required")
    return render(
        request,
        "accounts/email_required.html",
        {
            "pending_user": user,
            "address": address,
            "just_activated": activation.just_activated(stage.login),
        },
    )


@login_required
def activated(request):
    """Step 4: « Votre compte est créé », with the identifier shown again; « Continuer » goes on
    to where the sign-in was going (the services page, or the door of a school service)."""
    return render(
        request, "accounts/activated.html", {"continue_url": activation.continue_url(request)}
    )


@login_required
def home(request):
    """« Mon compte »: identity (read-only), e-mail address and its state, links to change the
    password, the address, and to see the open sessions."""
    return render(
        request,
        "accounts/home.html",
        {
            "enrolment": current_enrolment(request),
            "email_address": EmailAddress.objects.filter(user=request.user)
            .order_by("-primary", "-verified")
            .first(),
        },
    )


def lost_identifier(request):
    """« Identifiant perdu »: the identifier goes to a verified address. The page answers the
    same whether the address is known or not."""
    form = LostIdentifierForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if not ratelimit.consume(request, action="lost_identifier", key=email):
            form.add_error(
                "email",
                _("Trop de demandes pour le moment : réessayez dans un quart d'heure."),
            )
        else:
            users = users_with_verified_email(email)
            adapter = get_adapter(request)
            context = {
                "users": users,
                "email": email,
                "login_url": request.build_absolute_uri(reverse("account_login")),
            }
            template = "account/email/lost_identifier" if users else "account/email/unknown_account"
            adapter.send_mail(template, email, context)
            return render(request, "accounts/lost_identifier_sent.html", {"email": email})
    return render(request, "accounts/lost_identifier.html", {"form": form})


HELP_PAGES = {
    "je-n-ai-pas-de-compte": (_("Je n'ai pas de compte"), "accounts/help/no_account.html"),
    "besoin-d-aide": (_("Besoin d'aide ?"), "accounts/help/need_help.html"),
    "mentions-legales": (_("Mentions légales"), "accounts/help/legal.html"),
    "accessibilite": (_("Accessibilité"), "accounts/help/accessibility.html"),
    "franceconnect": (_("FranceConnect"), "accounts/help/franceconnect.html"),
}


def help_page(request, slug):
    if slug not in HELP_PAGES:
        raise Http404
    title, template = HELP_PAGES[slug]
    return render(request, template, {"title": title})


def demo_mailbox(request):
    """« Boîte mail de démonstration »: the mail sent to an invented address (a domain reserved
    for examples, accounts/mail.py) in the last day, newest first, so that a class practises
    the parent's confirmation and « Mot de passe perdu » without a mail server."""
    form = DemoMailboxForm(request.GET if "adresse" in request.GET else None)
    inbox, address, not_reserved = None, "", False
    if form.is_bound and form.is_valid():
        address = form.cleaned_data["adresse"].strip().lower()
        if not is_reserved(address):
            not_reserved = True
        elif mail.enabled():
            inbox = list(DemoEmail.objects.recent().filter(to=address)[:20])
    return render(
        request,
        "accounts/demo_mailbox.html",
        {
            "form": form,
            "inbox": inbox,
            "address": address,
            "not_reserved": not_reserved,
            "enabled": mail.enabled(),
            "title": _("Boîte mail de démonstration"),
        },
    )
