"""The two long actions a lesson needs, written once for the admin and the teacher's space
(classroom/): reset a class for a new group, and print letters. Each takes the request and
answers with the page to show next."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.shortcuts import redirect

from core.site import public_url
from staff.actions import reissue_with_letters, reset_class_with_letters, same_letters
from staff.letters import LettersUnavailable, letters_pdf, pdf_response


def start_class_reset(request, school_class, pupils, *, back_url):
    """Reset ``pupils`` of ``school_class`` (those in the requester's hands) and give their
    letters: new ones for a real class, the same ones for a practice class."""
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
        return redirect(back_url)
    return pdf_response(pdf, name=f"courriers-{school_class.division}")


def start_letters(request, users, *, school_class=None, back_url):
    """Letters for ``users``: re-issued (new passwords) unless they are the same letters of a
    practice class."""
    try:
        _issued, pdf = reissue_with_letters(
            users,
            letters=lambda prepared: letters_pdf(prepared, public_url(request)),
            actor=request.user,
            ip=get_adapter(request).get_client_ip(request),
            password_for=same_letters(school_class),
        )
    except LettersUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(back_url)
    return pdf_response(pdf, name="courriers")
