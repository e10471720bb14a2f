"""« Je n'ai pas de compte » for parents: self-registration by SMS to the mobile number given
to the school, as the académies recommend. The views read the forms and render; what comes
next is the flow's (families/flows/registration.py)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters

from accounts.validators import SPECIAL_CHARACTERS
from families.flows import registration as flow
from families.forms import ChildBirthDateForm, CodeForm, ParentPasswordForm, RegistrationStartForm
from families.phones import masked


def _follow(request, outcome, form=None):
    """The response that the flow's ``outcome`` asks for, or None: the page again, with the
    outcome's error on ``form``."""
    if outcome.message:
        messages.add_message(request, outcome.level, outcome.message)
    if outcome.next:
        return redirect(outcome.next)
    if outcome.error:
        form.add_error(outcome.field, outcome.error)
    return None


def register_start(request):
    """Step 1: nom, prénom, téléphone portable."""
    form = RegistrationStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        response = _follow(request, flow.start(request, **form.cleaned_data), form)
        if response is not None:
            return response
    return render(request, "families/register_start.html", {"form": form, "step": 1})


def register_code(request):
    """Step 2: the code received by SMS (3 tries, valid SMS_CODE_VALIDITY_SECONDS), or a new
    code (at most SMS_CODE_MAX_RESENDS)."""
    registration, elsewhere = flow.code_step(request)
    if registration is None:
        return _follow(request, elsewhere)
    if request.method == "POST" and "resend" in request.POST:
        return _follow(request, flow.send_new_code(request, registration))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = flow.check_code(request, registration, form.cleaned_data["code"])
        response = _follow(request, outcome, form)
        if response is not None:
            return response
    return render(
        request,
        "families/register_code.html",
        {
            "form": form,
            "step": 2,
            "masked_number": masked(registration.mobile),
            # The demo phone opens on this number (« Ouvrir le Téléphone de démonstration »).
            "number_e164": registration.mobile,
            "minutes": settings.SMS_CODE_VALIDITY_SECONDS // 60,
            "can_resend": registration.resends < settings.SMS_CODE_MAX_RESENDS,
        },
    )


def register_children(request):
    """Step 3: each child confirmed by their birth date, one after the other; named only once
    confirmed."""
    step, elsewhere = flow.child_step(request)
    if step is None:
        return _follow(request, elsewhere)
    form = ChildBirthDateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = flow.confirm_child(request, step, form.cleaned_data["birth_date"])
        response = _follow(request, outcome, form)
        if response is not None:
            return response
    return render(
        request,
        "families/register_children.html",
        {
            "form": form,
            "step": 3,
            "confirmed": [(child, flow.establishments(child)) for child in step.confirmed],
            "position": len(step.confirmed) + 1,
            "total": step.total,
        },
    )


@sensitive_post_parameters("password1", "password2")
def register_password(request):
    """Step 4: a password under the same rule as the pupils', and an e-mail address."""
    verified, elsewhere = flow.password_step(request)
    if verified is None:
        return _follow(request, elsewhere)
    parent = verified.parent
    form = ParentPasswordForm(request.POST if request.method == "POST" else None, user=parent)
    if request.method == "POST" and form.is_valid():
        outcome = flow.finish(
            request,
            verified,
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        return _follow(request, outcome, form)
    return render(
        request,
        "families/register_password.html",
        {
            "form": form,
            "step": 4,
            "identifier": parent.username,
            "special_characters": SPECIAL_CHARACTERS,
        },
    )


def register_done(request):
    """« Votre compte est créé », with the identifier to keep (shown once)."""
    identifier = flow.identifier_once(request)
    if not identifier:
        return redirect("families:register_start")
    return render(
        request,
        "families/register_done.html",
        # The sign-in page speaks to a parent (its hints say where the identifier comes from).
        {"identifier": identifier, "login_url": reverse("account_login") + "?profil=parent"},
    )
