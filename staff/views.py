from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actions import do_issue_credentials, do_unlock_account
from core.site import public_url
from schools.models import SchoolClass
from schools.rules import (
    managed_establishments,
    people_managed_by,
    people_seen_by,
    why_out_of_hands,
)
from staff import session
from staff.actions import reissue_with_letters, reset_class_with_letters
from staff.funnel import STEPS, csv_download, funnel_view, safe_cell
from staff.letters import LettersUnavailable, letters_pdf, pdf_response


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
        "title": _("Séance — %(division)s") % {"division": school_class.division},
        "school_class": school_class,
        "since": since,
        "cards": card_list,
        # For the projector: by first name, so that nobody's place says they are stuck.
        "by_first_name": sorted(card_list, key=lambda c: (c.user.first_name, c.user.last_name)),
        "bars": session.bars(card_list),
        "stuck": [card for card in card_list if card.stuck],
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
    viewer = (request.user.pk, request.user.has_perm("accounts.change_user"), get_language())
    etag = quote_etag(session.change_stamp(school_class, viewer=viewer))
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None and conditional.status_code == 304:
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    response = TemplateResponse(
        request, "admin/staff/seance/_live.html", _context(request, school_class, whole_page=False)
    )
    response["ETag"] = etag
    return response


def seance_projection(request, pk):
    """For the classroom projector: first names and big bars only, nothing to embarrass."""
    school_class = _class_for(request, pk)
    return TemplateResponse(
        request, "admin/staff/seance/projection.html", _context(request, school_class)
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
        messages.success(request, _("%(name)s est débloqué.") % {"name": pupil.first_name})
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
        try:
            _issued, pdf = reissue_with_letters(
                [pupil],
                letters=lambda prepared: letters_pdf(prepared, public_url(request)),
                actor=request.user,
                ip=ip,
            )
        except LettersUnavailable as exc:
            messages.error(request, str(exc))
        else:
            return pdf_response(pdf, name=f"courrier-{pupil.username}")
    return redirect("seance", pk=school_class.pk)


def seance_reset(request, pk):
    """« Réinitialiser la classe pour une nouvelle séance »: a confirmation that names the class
    and counts, then every letter again in one PDF."""
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
        try:
            _issued, pdf = reset_class_with_letters(
                school_class,
                pupils=pupils,
                letters=lambda prepared: letters_pdf(prepared, public_url(request)),
                actor=request.user,
                ip=get_adapter(request).get_client_ip(request),
            )
        except LettersUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("seance", pk=school_class.pk)
        return pdf_response(pdf, name=f"courriers-{school_class.division}")
    context["title"] = _("Réinitialiser la classe %(division)s ?") % {
        "division": school_class.division
    }
    return TemplateResponse(request, "admin/staff/seance/reset_confirm.html", context)


def seance_report(request, pk):
    """The end-of-lesson summary, as a CSV a spreadsheet opens."""
    school_class = _class_for(request, pk)
    context = _context(request, school_class)
    summary = session.report(school_class, context["cards"], context["since"])
    name = slugify(f"seance-{school_class.division}-{timezone.localdate():%Y-%m-%d}")
    response, writer = csv_download(name)
    since = context["since"]
    since = f"{timezone.localtime(since):%d/%m/%Y %H:%M}" if since else ""
    writer.writerow([_("Séance"), safe_cell(str(school_class)), since])
    writer.writerow([_("Élèves"), summary["total"]])
    for bar in summary["bars"]:
        writer.writerow([safe_cell(str(bar["label"])), bar["count"], f"{bar['percent']} %"])
    median = summary["median_minutes"]
    writer.writerow(
        [_("Temps médian du courrier à PRONOTE (minutes)"), "" if median is None else median]
    )
    writer.writerow([])
    writer.writerow([_("Nom"), _("Prénom"), _("Étape"), _("Difficulté"), _("Aide reçue")])
    for card in summary["helped"]:
        writer.writerow(
            [
                safe_cell(card.user.last_name),
                safe_cell(card.user.first_name),
                safe_cell(str(dict(STEPS)[card.step])),
                safe_cell(" ; ".join(str(r) for r in card.reasons)),
                safe_cell(", ".join(str(h) for h in card.helped)),
            ]
        )
    return response
