from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actions import do_issue_credentials, do_unlock_account
from core.collation import name_key
from core.french import unbreakable
from schools.models import SchoolClass
from schools.rules import (
    managed_establishments,
    people_managed_by,
    people_seen_by,
    why_out_of_hands,
)
from staff import session
from staff.funnel import funnel_view
from staff.jobs import start_class_reset, start_letters
from staff.live import live, projection
from staff.report import seance_csv


def funnel(request):
    """« Suivi des comptes », for staff who may view accounts, on their own establishments."""
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    return funnel_view(request, managed_establishments(request.user))


def _class_for(request, pk):
    """The class of a séance: one of the staff member's establishments, else 404."""
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    return get_object_or_404(
        SchoolClass.objects.select_related("establishment"),
        pk=pk,
        establishment__in=managed_establishments(request.user),
    )


def _context(request, school_class, *, whole_page=True):
    since = session.started_at(school_class)
    card_list = session.cards(school_class, since=since)
    in_hands = set(
        people_managed_by(request.user)
        .filter(pk__in=[card.user.pk for card in card_list])
        .values_list("pk", flat=True)
    )
    for card in card_list:
        card.in_hands = card.user.pk in in_hands
    return {
        # The admin's menu and header: not in the live part (staff/seance.js puts it in place).
        **(admin.site.each_context(request) if whole_page else {}),
        "title": (
            _("Séance — %(division)s — entraînement")
            if school_class.practice
            else _("Séance — %(division)s")
        )
        % {"division": unbreakable(school_class.division)},
        "school_class": school_class,
        "since": since,
        "cards": card_list,
        # For the projector: by first name in French order (Élise with the E), so that nobody's
        # place says they are stuck.
        "by_first_name": sorted(
            card_list, key=lambda c: name_key(c.user.first_name, c.user.last_name)
        ),
        "bars": session.bars(card_list),
        "stuck": [card for card in card_list if card.stuck],
        "reached_pronote": sum(1 for card in card_list if card.step == "pronote"),
        # ``?pause=1``: without JavaScript, the page stops reloading itself (RGAA 13.1).
        "paused": bool(request.GET.get("pause")),
        "refresh_seconds": settings.SEANCE_REFRESH_SECONDS,
        "can_help": request.user.has_perm("accounts.change_user"),
    }


def seance(request, pk):
    """« Séance » for one class: the funnel as bars and one card per pupil, live."""
    school_class = _class_for(request, pk)
    return TemplateResponse(
        request, "admin/staff/seance/page.html", _context(request, school_class)
    )


def seance_live(request, pk):
    """The live part of the séance page, fetched again every few seconds by static/js/seance.js.
    Most polls find nothing moved: they are answered 304 Not Modified from the class's change
    stamp (staff/session.py, ``change_stamp``: one query, one cache round trip), without reading
    the cards or rendering them; the script then leaves the page as it is."""
    school_class = _class_for(request, pk)
    return live(
        request,
        school_class,
        lambda: TemplateResponse(
            request,
            "admin/staff/seance/_live.html",
            _context(request, school_class, whole_page=False),
        ),
        can_help=request.user.has_perm("accounts.change_user"),
    )


def seance_projection(request, pk):
    """For the classroom projector: first names and big bars only, nothing to embarrass. It
    asks itself again every few seconds: 304 while no pupil moved (staff/live.py)."""
    school_class = _class_for(request, pk)
    return projection(
        request,
        school_class,
        lambda: _context(request, school_class),
        live_url=reverse("seance_projection", args=[school_class.pk]),
        back_url=reverse("seance", args=[school_class.pk]),
    )


@require_POST
def seance_help(request, pk, user_pk):
    """Help in one click, with the same actions and audit as the admin list."""
    school_class = _class_for(request, pk)
    if not request.user.has_perm("accounts.change_user"):
        raise PermissionDenied
    pupil = get_object_or_404(
        people_seen_by(request.user).filter(
            enrolments__school_class=school_class, enrolments__left_at__isnull=True
        ),
        pk=user_pk,
    )
    reason = why_out_of_hands(request.user, pupil)
    if reason is not None:
        messages.error(request, reason)
        return redirect("seance", pk=school_class.pk)
    ip = get_adapter(request).get_client_ip(request)
    what = request.POST.get("aide")
    if what == "debloquer":
        do_unlock_account(pupil, actor=request.user, ip=ip)
        messages.success(
            request, _("%(name)s : compte débloqué.") % {"name": pupil.get_full_name()}
        )
    elif what == "mot-de-passe":
        issued = do_issue_credentials(pupil, actor=request.user, ip=ip)
        return TemplateResponse(
            request,
            "admin/staff/user/issued_credentials.html",
            {
                **admin.site.each_context(request),
                "title": _("Nouveau courrier"),
                "issued": [issued],
                "opts": pupil._meta,
                "back_url": reverse("seance", args=[school_class.pk]),
            },
        )
    elif what == "courrier":
        # Prepared in the background like every letter; the button's form carries a one-time
        # token, so a double click gives one letter (staff/jobs.py).
        return start_letters(
            request,
            [pupil],
            school_class=school_class,
            back_url=reverse("seance", args=[school_class.pk]),
            reissue=True,
        )
    return redirect("seance", pk=school_class.pk)


def seance_reset(request, pk):
    """« Réinitialiser la classe pour une nouvelle séance »: a confirmation that names the class
    and counts, then the job's page, where every letter comes in one PDF (staff/jobs.py)."""
    school_class = _class_for(request, pk)
    if not request.user.has_perm("accounts.change_user"):
        raise PermissionDenied
    context = _context(request, school_class)
    # Only the pupils wholly in this staff member's hands (schools/rules.py); the others are
    # named on the confirmation, with the reason.
    context["refused"] = [
        (card.user, why_out_of_hands(request.user, card.user))
        for card in context["cards"]
        if not card.in_hands
    ]
    pupils = context["to_reset"] = [card.user for card in context["cards"] if card.in_hands]
    if request.method == "POST" and request.POST.get("confirm") == "yes" and pupils:
        return start_class_reset(
            request, school_class, pupils, back_url=reverse("seance", args=[school_class.pk])
        )
    context["title"] = _("Réinitialiser la classe %(division)s ?") % {
        "division": unbreakable(school_class.division)
    }
    return TemplateResponse(request, "admin/staff/seance/reset_confirm.html", context)


def seance_report(request, pk):
    """The end-of-lesson summary, as a CSV a spreadsheet opens (staff/report.py)."""
    school_class = _class_for(request, pk)
    context = _context(request, school_class)
    return seance_csv(school_class, context["cards"], context["since"])
