"""Letters made in the background: start a batch, follow its progress, download its PDF."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from core.site import public_url
from staff.models import BATCH_LIFETIME, LetterBatch
from staff.tasks import make_letters

KEY_MAX_AGE = int(BATCH_LIFETIME.total_seconds())


def _cookie_name(batch):
    return f"courriers_{batch.pk}"


def start_batch(request, *, users=None, import_data=None, establishment=None, total):
    """Queue the job and hand the private key to this browser only (a cookie)."""
    key = PrivateKey.generate()
    batch = LetterBatch.objects.create(
        created_by=request.user,
        establishment=establishment,
        user_ids=[user.pk for user in users] if users is not None else [],
        import_data=import_data,
        total=total,
        public_key=bytes(key.public_key).hex(),
        portal_url=public_url(request),
    )
    make_letters.enqueue(batch.pk)
    response = redirect("admin:accounts_letterbatch_progress", batch.pk)
    response.set_cookie(
        _cookie_name(batch),
        bytes(key).hex(),
        max_age=KEY_MAX_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Strict",
        path="/admin/",
    )
    return response


def _own_batch(request, pk):
    batch = get_object_or_404(LetterBatch, pk=pk)
    if batch.created_by_id != request.user.pk:
        raise Http404
    return batch


def progress_view(model_admin, request, pk):
    batch = _own_batch(request, pk)
    return TemplateResponse(
        request,
        "admin/staff/letterbatch/progress.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": _("Courriers en préparation"),
            "batch": batch,
            "done": min(batch.done, batch.total),
            "total": batch.total,
            "working": batch.working,
            "has_key": _cookie_name(batch) in request.COOKIES,
        },
    )


def download_view(model_admin, request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    batch = _own_batch(request, pk)
    key = request.COOKIES.get(_cookie_name(batch), "")
    if batch.status != LetterBatch.Status.DONE or not batch.sealed_pdf:
        messages.error(request, _("Ces courriers ne sont plus disponibles : ré-émettez-les."))
        return redirect("admin:accounts_letterbatch_progress", batch.pk)
    try:
        pdf = SealedBox(PrivateKey(bytes.fromhex(key))).decrypt(bytes(batch.sealed_pdf))
    except (ValueError, TypeError, CryptoError):
        messages.error(
            request,
            _(
                "Seul le navigateur qui a lancé la préparation peut télécharger ces courriers "
                "(sa clé n'est pas ici). Ré-émettez-les depuis ce navigateur."
            ),
        )
        return redirect("admin:accounts_letterbatch_progress", batch.pk)
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=LetterBatch.Status.DOWNLOADED, sealed_pdf=None
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="courriers-lot-{batch.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    response.delete_cookie(_cookie_name(batch), path="/admin/", samesite="Strict")
    return response


def in_background(count):
    return count >= settings.LETTERS_IN_BACKGROUND_FROM
