"""The long actions on letters, written once for the admin, the séance and the teacher's space
(classroom/): reset a class for a new group, print letters, import a class list.

One flow for all (docs/secretariat.md, « Les courriers ») :

1. the confirming form carries a one-time token (``{% load jobs %}{% job_token %}``, made when
   the form is rendered) and the layout chosen (``{% letters_layout %}``: 1, 2 or 4 letters per
   A4 page);
2. its POST calls ``start_class_reset`` / ``start_letters`` / ``start_import``, which record the
   job (a ``LetterBatch``), queue it for the background worker (staff/tasks.py) and answer
   with a 303 to its progress page (Post/Redirect/Get). The same form sent again — a double
   click, the browser's « Renvoyer » — carries the same token, finds the same job and leads to
   it: nothing is issued twice. A reload of the progress page only reads;
3. the progress page (``/courriers/<pk>/``, outside the admin: a teacher is not staff) shows
   who the letters are for and how far the worker is, then offers the PDF, once, to the
   browser that asked.

The token is a random nonce, signed with the requester's id and a date (it is refused after a
day). The batch keeps only a hash of it; the private key that opens the sealed PDF is derived
from it too (with the server's secret), so a second POST of the same form can hand the same
key to a browser that never received the first answer (a double click cancels the first page).
"""

import hashlib
import secrets

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from core.french import unbreakable
from core.site import public_url
from staff.models import BATCH_LIFETIME, LetterBatch
from staff.tasks import make_letters

TOKEN_FIELD = "job_token"  # noqa: S105 - a form field's name, not a secret
LAYOUT_FIELD = "par_page"
# The key cookie goes only with the job pages' own requests (staff/job_urls.py's prefix).
COOKIE_PATH = "/courriers/"
KEY_MAX_AGE = int(BATCH_LIFETIME.total_seconds())
TOKEN_SALT = "staff.jobs.token"  # noqa: S105 - a signing salt, public by design


# -- The one-time token ---------------------------------------------------------------------


def new_token(request) -> str:
    """A fresh token for one confirming form (``{% job_token %}`` renders it)."""
    return signing.dumps(secrets.token_urlsafe(24), salt=f"{TOKEN_SALT}.{request.user.pk}")


def _nonce(request):
    """The nonce of the POSTed token, if it was made for this user less than a day ago."""
    try:
        return signing.loads(
            request.POST.get(TOKEN_FIELD, ""),
            salt=f"{TOKEN_SALT}.{request.user.pk}",
            max_age=BATCH_LIFETIME,
        )
    except signing.BadSignature:
        return None


def _digest(nonce) -> str:
    return hashlib.sha256(f"staff.jobs.digest:{nonce}".encode()).hexdigest()


def _private_key(nonce) -> PrivateKey:
    # Keyed with the server's secret: the hash kept in the row does not give the key.
    return PrivateKey(salted_hmac("staff.jobs.key", nonce, algorithm="sha256").digest())


def layout_from(request) -> int:
    """The « courriers par page » chosen on the form: 1, 2 or 4 (1 if absent or odd)."""
    value = request.POST.get(LAYOUT_FIELD, "")
    return int(value) if value in {"1", "2", "4"} else LetterBatch.Layout.ONE


# -- Starting a job -------------------------------------------------------------------------


def start_class_reset(request, school_class, pupils, *, back_url, per_page=None):
    """Reset ``pupils`` of ``school_class`` (those in the requester's hands) for a new group,
    with their letters: new ones for a real class, the same ones for a practice class. Answers
    with a 303 to the job's page."""
    pupils = list(pupils)

    def in_this_request(batch):
        # The lockouts live in the cache, which in classroom mode is each process's own
        # memory (one gunicorn process, the worker in another): lifted by the worker, they
        # would stay in the server's. Lifted here too (the worker lifts them again, which is
        # what counts with a shared cache such as Redis).
        from accounts import lockout

        for pupil in pupils:
            lockout.unlock(pupil.username)

    return _start(
        request,
        kind=LetterBatch.Kind.CLASS_RESET,
        users=pupils,
        school_class=school_class,
        back_url=back_url,
        per_page=per_page,
        on_creation=in_this_request,
    )


def start_letters(request, users, *, school_class=None, back_url, per_page=None, reissue=None):
    """Letters for ``users``: re-issued (new passwords) for a real class. For a practice class
    (``school_class``), the same letters: printed again without touching any account, so that
    a pupil who has activated keeps the password they chose — unless ``reissue`` (one pupil's
    « Redonner son courrier », which also lifts a blocked or expired letter). Answers with a
    303 to the job's page."""
    practice = school_class is not None and school_class.practice
    if reissue is None:
        reissue = not practice
    return _start(
        request,
        kind=LetterBatch.Kind.LETTERS if reissue or not practice else LetterBatch.Kind.REPRINT,
        users=list(users),
        school_class=school_class,
        back_url=back_url,
        per_page=per_page,
    )


def start_import(request, data, establishment, *, total, back_url, per_page=None):
    """A checked class list (``data``, the file's bytes) imported by the worker, which prints
    the new pupils' first letters. Answers with a 303 to the job's page."""
    return _start(
        request,
        kind=LetterBatch.Kind.IMPORT,
        users=[],
        total=total,
        import_data=data,
        establishment=establishment,
        back_url=back_url,
        per_page=per_page,
    )


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303  # the answer to a POST is read with a GET
    return response


def safe_back_url(request, url, default="/"):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _start(
    request,
    *,
    kind,
    users,
    back_url,
    per_page=None,
    school_class=None,
    establishment=None,
    import_data=None,
    total=None,
    on_creation=None,
):
    back_url = safe_back_url(request, back_url)
    nonce = _nonce(request)
    if nonce is None:
        messages.error(
            request,
            _(
                "Ce formulaire a expiré ou a déjà servi ailleurs : rien n'a été fait. "
                "Recommencez depuis cette page."
            ),
        )
        return _see_other(back_url)
    key = _private_key(nonce)
    digest = _digest(nonce)
    batch = LetterBatch.objects.filter(token=digest, created_by=request.user).first()
    if batch is None:
        if import_data is None and not users:
            messages.error(request, _("Aucun courrier à imprimer : aucun compte n'est concerné."))
            return _see_other(back_url)
        if establishment is None and school_class is not None:
            establishment = school_class.establishment
        try:
            with transaction.atomic():
                batch = LetterBatch.objects.create(
                    created_by=request.user,
                    kind=kind,
                    school_class=school_class,
                    establishment=establishment,
                    user_ids=[user.pk for user in users],
                    import_data=import_data,
                    total=len(users) if total is None else total,
                    per_page=per_page or layout_from(request),
                    back_url=back_url,
                    token=digest,
                    ip=get_adapter(request).get_client_ip(request),
                    public_key=bytes(key.public_key).hex(),
                    portal_url=public_url(request),
                )
        except IntegrityError:
            # The same form, sent at the same instant by a double click: the other request
            # made the job.
            batch = get_object_or_404(LetterBatch, token=digest, created_by=request.user)
        else:
            if on_creation is not None:
                on_creation(batch)
            # Queued after the row is written (no request-wide transaction here): the worker
            # always finds its batch.
            make_letters.enqueue(batch.pk)
    response = _see_other(reverse("letter_job", args=[batch.pk]))
    # Again for a second POST: its browser may never have received the first answer.
    response.set_cookie(
        _cookie_name(batch),
        bytes(key).hex(),
        max_age=KEY_MAX_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Strict",
        path=COOKIE_PATH,
    )
    return response


# -- The job's pages ------------------------------------------------------------------------


def _cookie_name(batch):
    return f"courriers_{batch.pk}"


def _own_batch(request, pk):
    """A job is seen only by the person who asked for it."""
    batch = get_object_or_404(
        LetterBatch.objects.select_related("school_class", "establishment"), pk=pk
    )
    if batch.created_by_id != request.user.pk:
        raise Http404
    return batch


def describe(batch) -> str:
    """What the job prepares, in a heading: « Réinitialisation de la classe 4e B »."""
    division = unbreakable(batch.school_class.division) if batch.school_class else ""
    if batch.kind == LetterBatch.Kind.CLASS_RESET:
        if division:
            return _("Réinitialisation de la classe %(division)s") % {"division": division}
        return _("Réinitialisation d'une classe")
    if batch.kind == LetterBatch.Kind.IMPORT:
        if batch.establishment:
            return _("Import d'élèves — %(name)s") % {"name": batch.establishment.name}
        return _("Import d'élèves")
    if batch.kind == LetterBatch.Kind.REPRINT:
        return _("Les mêmes courriers de la classe %(division)s") % {"division": division}
    if division:
        return _("Courriers de la classe %(division)s") % {"division": division}
    return _("Courriers")


def count_line(batch) -> str:
    """« 30 courriers en préparation », « 30 courriers prêts »…"""
    total = batch.total
    if batch.working:
        return ngettext(
            "%(n)d courrier en préparation", "%(n)d courriers en préparation", total
        ) % {"n": total}
    if batch.status == LetterBatch.Status.DONE:
        return ngettext("%(n)d courrier prêt", "%(n)d courriers prêts", total) % {"n": total}
    return ngettext("%(n)d courrier", "%(n)d courriers", total) % {"n": total}


def progress_line(batch) -> str:
    done, total = min(batch.done, batch.total), batch.total
    if batch.kind == LetterBatch.Kind.REPRINT:
        return ngettext(
            "%(done)d courrier mis en page sur %(total)d (aucun mot de passe changé)",
            "%(done)d courriers mis en page sur %(total)d (aucun mot de passe changé)",
            done,
        ) % {"done": done, "total": total}
    return ngettext(
        "%(done)d mot de passe provisoire émis sur %(total)d",
        "%(done)d mots de passe provisoires émis sur %(total)d",
        done,
    ) % {"done": done, "total": total}


def file_name(batch) -> str:
    """« courriers-4e-b-20261203-1405.pdf »: no space, no accent, the class and the time."""
    if batch.school_class is not None:
        what = f"courriers-{batch.school_class.division}"
    elif batch.kind == LetterBatch.Kind.IMPORT and batch.establishment is not None:
        what = f"courriers-{batch.establishment.uai}"
    else:
        what = "courriers"
    stamp = timezone.localtime(batch.created_at).strftime("%Y%m%d-%H%M")
    return f"{slugify(what)}-{stamp}.pdf"


@login_required
def job_page(request, pk):
    """What is being prepared, how far, then « Télécharger le PDF ». Reading it changes
    nothing: a reload never issues anything."""
    batch = _own_batch(request, pk)
    return TemplateResponse(
        request,
        "staff/job.html",
        {
            "title": describe(batch),
            "batch": batch,
            "count_line": count_line(batch),
            "progress_line": progress_line(batch),
            "done": min(batch.done, batch.total),
            "has_key": _cookie_name(batch) in request.COOKIES,
            "back_url": safe_back_url(request, batch.back_url, default=""),
        },
    )


@login_required
def job_status(request, pk):
    """The job's progress for the page's small script (static/js/letter-job.js)."""
    batch = _own_batch(request, pk)
    response = JsonResponse(
        {
            "status": batch.status,
            "working": batch.working,
            "done": min(batch.done, batch.total),
            "total": batch.total,
            "text": progress_line(batch),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def job_download(request, pk):
    """The PDF, once, to the browser holding the key; then it is deleted."""
    batch = _own_batch(request, pk)
    page = reverse("letter_job", args=[batch.pk])
    if batch.status != LetterBatch.Status.DONE or not batch.sealed_pdf:
        messages.error(request, _("Ces courriers ne sont plus disponibles : ré-émettez-les."))
        return _see_other(page)
    try:
        key = PrivateKey(bytes.fromhex(request.COOKIES.get(_cookie_name(batch), "")))
        pdf = SealedBox(key).decrypt(bytes(batch.sealed_pdf))
    except (ValueError, TypeError, CryptoError):
        messages.error(
            request,
            _(
                "Seul le navigateur qui a lancé la préparation peut télécharger ces courriers "
                "(sa clé n'est pas ici). Ré-émettez-les depuis ce navigateur."
            ),
        )
        return _see_other(page)
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=LetterBatch.Status.DOWNLOADED, sealed_pdf=None
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(batch)}"'
    response["Cache-Control"] = "no-store"
    response.delete_cookie(_cookie_name(batch), path=COOKIE_PATH, samesite="Strict")
    return response
