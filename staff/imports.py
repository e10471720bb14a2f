"""Admin pages for school staff: import a class list, print letters."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from schools.admin import managed_establishments
from schools.models import Establishment
from staff.forms import ImportForm
from staff.importer import plan_import
from staff.jobs import start_import

SIGNING_SALT = "accounts.import"


def import_view(model_admin, request):
    """Step 1: upload → preview (nothing changes). Step 2: confirm → the job's page
    (staff/jobs.py): the worker creates everything in one transaction and makes the letters."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    establishments = managed_establishments(request.user)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Importer des élèves"),
    }
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(model_admin, request, establishments, context)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        establishments=establishments,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        establishment = form.cleaned_data["establishment"]
        plan = plan_import(data, establishment)
        payload = signing.dumps(
            {"establishment": establishment.pk, "data": data.decode("latin-1")},
            salt=SIGNING_SALT,
            compress=True,
        )
        context.update(plan=plan, establishment=establishment, payload=payload)
        return TemplateResponse(request, "admin/staff/user/import_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/staff/user/import.html", context)


def _confirm(model_admin, request, establishments, context):
    try:
        payload = signing.loads(request.POST["payload"], salt=SIGNING_SALT, max_age=3600)
        establishment = establishments.get(pk=payload["establishment"])
    except (signing.BadSignature, Establishment.DoesNotExist, KeyError, TypeError):
        messages.error(request, _("Aperçu expiré ou invalide : déposez le fichier à nouveau."))
        context["form"] = ImportForm(establishments=establishments)
        return TemplateResponse(request, "admin/staff/user/import.html", context)
    data = payload["data"].encode("latin-1")
    plan = plan_import(data, establishment)  # again: the database may have changed meanwhile
    context.update(plan=plan, establishment=establishment, payload=request.POST["payload"])
    if not plan.is_valid or not plan.to_create:
        if not plan.to_create and plan.is_valid:
            messages.info(
                request,
                _("Rien à importer : chaque élève du fichier est déjà dans l'établissement."),
            )
        return TemplateResponse(request, "admin/staff/user/import_preview.html", context)
    # The worker imports and makes the letters; the accounts are written only with their
    # letters (no PDF, no accounts: their passwords would be lost). The worker checks the
    # file again, and a second POST of this form leads to the same job.
    return start_import(
        request,
        data,
        establishment,
        total=len(plan.to_create),
        back_url=reverse("admin:accounts_user_changelist"),
    )


PARENTS_SALT = "families.import"


def parents_import_view(model_admin, request):
    """Responsables: upload → preview (nothing changes) → confirm (all or nothing). No letter
    is printed here: a parent gets in by SMS with the number given, or by a letter printed
    later (« Imprimer les courriers »)."""
    from django.shortcuts import redirect
    from django.urls import reverse

    from families.actions import do_import_responsables
    from staff.forms import ParentImportForm
    from staff.parent_import import plan_parent_import

    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    establishments = managed_establishments(request.user)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Importer des responsables"),
    }
    if request.method == "POST" and "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=PARENTS_SALT, max_age=3600)
            establishment = establishments.get(pk=payload["establishment"])
        except (signing.BadSignature, Establishment.DoesNotExist, KeyError, TypeError):
            messages.error(request, _("Aperçu expiré ou invalide : déposez le fichier à nouveau."))
            context["form"] = ParentImportForm(establishments=establishments)
            return TemplateResponse(request, "admin/staff/user/import_parents.html", context)
        plan = plan_parent_import(
            payload["data"].encode("latin-1"), establishment, within=establishments
        )
        context.update(plan=plan, establishment=establishment, payload=request.POST["payload"])
        if not plan.is_valid or not plan.has_changes:
            if plan.is_valid:
                messages.info(request, _("Rien à importer : tous ces liens existent déjà."))
            return TemplateResponse(
                request, "admin/staff/user/import_parents_preview.html", context
            )
        parents = do_import_responsables(
            plan.responsables,
            establishment,
            actor=request.user,
            ip=get_adapter(request).get_client_ip(request),
        )
        messages.success(
            request,
            _("%(parents)d responsables et %(links)d liens avec des élèves enregistrés.")
            % {"parents": len(parents), "links": len(plan.links)},
        )
        return redirect(reverse("admin:accounts_user_changelist") + "?role__exact=parent")
    form = ParentImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        establishments=establishments,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        establishment = form.cleaned_data["establishment"]
        context.update(
            plan=plan_parent_import(data, establishment, within=establishments),
            establishment=establishment,
            payload=signing.dumps(
                {"establishment": establishment.pk, "data": data.decode("latin-1")},
                salt=PARENTS_SALT,
                compress=True,
            ),
        )
        return TemplateResponse(request, "admin/staff/user/import_parents_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/staff/user/import_parents.html", context)
