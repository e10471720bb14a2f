"""« Mon compte » › « Mes enfants »: a parent's children, grouping siblings that came on
separate letters, and reporting a wrong link."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters

from accounts import lockout
from accounts.actions import do_record_failed_attempt
from accounts.adapter import LOCKED_MESSAGE
from accounts.models import User
from audit.models import Action
from families.actions import (
    GroupingError,
    children_of,
    do_group_parent_accounts,
    do_report_wrong_link,
)
from families.forms import GroupingForm
from schools.models import Enrolment, Role


def parent_required(view):
    """Only for a parent: a pupil (or anyone else) never sees these pages."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.PARENT:
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _children_rows(parent):
    children = list(children_of(parent))
    enrolments = {
        e.user_id: e
        for e in Enrolment.objects.current()
        .filter(user__in=children, role=Role.PUPIL)
        .select_related("establishment", "school_class")
    }
    return [(child, enrolments.get(child.pk)) for child in children]


def _check_other_letter(request, form):
    """The other account, if the letter's identifier and provisional password are right;
    wrong ones count towards that identifier's lockout, like a sign-in."""
    identifier = form.cleaned_data["identifier"].strip().lower()
    password = form.cleaned_data["password"]
    if lockout.is_locked(identifier):
        form.add_error("identifier", LOCKED_MESSAGE)
        return None
    other = User.objects.filter(username=identifier).first()
    if other is None:
        make_password(password)  # the same time whether the identifier exists or not
    if other is None or not other.is_provisional or not other.check_password(password):
        ip = get_adapter(request).get_client_ip(request)
        if do_record_failed_attempt(identifier, Action.SIGN_IN_FAILED, ip=ip):
            form.add_error("identifier", LOCKED_MESSAGE)
        else:
            form.add_error(
                "password",
                _(
                    "Identifiant ou mot de passe provisoire incorrect. Recopiez-les exactement "
                    "comme sur l'autre courrier (attention aux majuscules)."
                ),
            )
        return None
    if other.provisional_expired():
        form.add_error(
            "identifier",
            _("Ce courrier a expiré : demandez un nouveau courrier à l'établissement."),
        )
        return None
    return other


@sensitive_post_parameters("password")
@parent_required
def children(request):
    """The children, « Ajouter des élèves depuis un autre compte », and for each child « Je
    ne suis pas le représentant légal de cet élève »."""
    form = GroupingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        other = _check_other_letter(request, form)
        if other is not None:
            try:
                moved = do_group_parent_accounts(
                    request.user, other, ip=get_adapter(request).get_client_ip(request)
                )
            except GroupingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d élève ajouté à votre compte. L'autre courrier ne fonctionne plus.",
                        "%(n)d élèves ajoutés à votre compte. L'autre courrier ne fonctionne plus.",
                        len(moved),
                    )
                    % {"n": len(moved)},
                )
                return redirect("families:children")
    return render(
        request,
        "families/children.html",
        {"rows": _children_rows(request.user), "form": form},
    )


@parent_required
def report_wrong_link(request, pk):
    """Two steps: a page that asks to confirm, then the report."""
    child = children_of(request.user).filter(pk=pk).first()
    if child is None:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        do_report_wrong_link(request.user, child, ip=get_adapter(request).get_client_ip(request))
        messages.success(
            request,
            _("Merci : l'établissement est prévenu. Cet élève n'apparaît plus dans votre compte."),
        )
        return redirect("families:children")
    return render(request, "families/report_wrong_link.html", {"child": child})
