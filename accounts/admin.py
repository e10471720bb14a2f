from allauth.account.adapter import get_adapter
from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import lockout
from accounts.actions import (
    do_create_account,
    do_issue_many,
    do_mark_departed,
    do_unlock_account,
)
from accounts.admin_batches import download_view, in_background, progress_view, start_batch
from accounts.admin_import import import_view
from accounts.forms import DATE_INPUT_FORMATS
from accounts.letters import LettersUnavailable, letters_response
from accounts.models import AuditEvent, User
from ent_portal.admin import ReadOnlyAdminMixin
from schools.admin import EstablishmentScopedMixin, managed_establishments
from schools.models import Establishment, Role, SchoolClass

# The admin signs in through allauth's page, hence its rate limits, lockout and TOTP stage.
admin.site.login = secure_admin_login(admin.site.login)


class AccountCreationForm(forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("JJ/MM/AAAA. L'élève la saisira pour activer son compte."),
    )
    role = forms.ChoiceField(label=_("Profil"), choices=Role.choices, initial=Role.PUPIL)
    establishment = forms.ModelChoiceField(
        label=_("Établissement"), queryset=Establishment.objects.all()
    )
    school_class = forms.ModelChoiceField(
        label=_("Classe"),
        queryset=SchoolClass.objects.select_related("establishment"),
        required=False,
    )
    email = forms.EmailField(label=_("Adresse mail"), required=False)

    def clean(self):
        cleaned = super().clean()
        school_class, establishment = cleaned.get("school_class"), cleaned.get("establishment")
        if school_class and establishment and school_class.establishment_id != establishment.pk:
            self.add_error(
                "school_class", _("Cette classe n'appartient pas à l'établissement choisi.")
            )
        return cleaned


def _credentials_response(request, issued, title):
    """The only place a provisional password is ever shown: the response to the request that
    issued it. Not stored; the admin marks every page no-store, so it is not cached either."""
    return TemplateResponse(
        request,
        "admin/accounts/user/issued_credentials.html",
        {**admin.site.each_context(request), "title": title, "issued": issued, "opts": User._meta},
    )


@admin.register(User)
class UserAdmin(EstablishmentScopedMixin, DjangoUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "state",
        "provisional_expires_at",
        "activated_at",
    ]
    list_filter = ["role", "enrolments__establishment", "is_staff", "is_active"]
    search_fields = ["username", "last_name", "first_name", "email"]
    ordering = ["last_name", "first_name"]
    actions = ["print_letters", "reissue_credentials", "unlock", "mark_departed"]
    change_list_template = "admin/accounts/user/change_list.html"

    establishment_path = "enrolments__establishment"

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser grants rights: a secretary cannot make anyone (herself) superuser.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions", "is_active"]
        return fields

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "importer/",
                self.admin_site.admin_view(lambda request: import_view(self, request)),
                name="accounts_user_import",
            ),
            path(
                "courriers/<int:pk>/",
                self.admin_site.admin_view(lambda request, pk: progress_view(self, request, pk)),
                name="accounts_letterbatch_progress",
            ),
            path(
                "courriers/<int:pk>/telecharger/",
                self.admin_site.admin_view(lambda request, pk: download_view(self, request, pk)),
                name="accounts_letterbatch_download",
            ),
            *super().get_urls(),
        ]

    def _confirm_reissue(self, request, queryset, action, template, title):
        """Both re-issuing actions first say that the current letters will stop working."""
        return TemplateResponse(
            request,
            f"admin/accounts/user/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "users": queryset,
                "action": action,
                "opts": self.opts,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description=_("Imprimer les courriers (ré-émet les mots de passe provisoires)"),
        permissions=["change"],
    )
    def print_letters(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return self._confirm_reissue(
                request,
                queryset,
                "print_letters",
                "letters_confirm.html",
                _("Imprimer les courriers ?"),
            )
        count = queryset.count()
        if in_background(count):
            return start_batch(request, users=list(queryset), total=count)
        ip = get_adapter(request).get_client_ip(request)
        try:
            with transaction.atomic():
                issued = do_issue_many(queryset, actor=request.user, ip=ip)
                return letters_response(request, issued)
        except LettersUnavailable as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None

    readonly_fields = [
        "provisional_issued_at",
        "provisional_expires_at",
        "provisional_issued_by",
        "activated_at",
        "departed_at",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Identité"), {"fields": ["last_name", "first_name", "birth_date", "role", "email"]}),
        (
            _("Identifiants provisoires"),
            {
                "fields": [
                    "provisional_issued_at",
                    "provisional_expires_at",
                    "provisional_issued_by",
                    "activated_at",
                    "departed_at",
                ]
            },
        ),
        (
            _("Permissions"),
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                "classes": ["collapse"],
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description=_("état"))
    def state(self, obj):
        if obj.departed_at:
            return _("Parti")
        if lockout.is_locked(obj.username):
            return _("Bloqué (15 min)")
        return obj.state_label

    @admin.action(description=_("Débloquer (trop de tentatives)"), permissions=["change"])
    def unlock(self, request, queryset):
        ip = get_adapter(request).get_client_ip(request)
        for user in queryset:
            do_unlock_account(user, actor=request.user, ip=ip)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(n)d compte débloqué.", "%(n)d comptes débloqués.", count) % {"n": count},
        )

    @admin.action(
        description=_("Marquer comme parti (accès coupé, données supprimées après 3 mois)"),
        permissions=["change"],
    )
    def mark_departed(self, request, queryset):
        ip = get_adapter(request).get_client_ip(request)
        for user in queryset:
            do_mark_departed(user, actor=request.user, ip=ip)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d compte marqué comme parti.", "%(n)d comptes marqués comme partis.", count
            )
            % {"n": count},
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Adding a person means issuing their letter: identifier and provisional password are
        made by accounts.actions and shown once, on the page that answers the form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AccountCreationForm(request.POST if request.method == "POST" else None)
        establishments = managed_establishments(request.user)
        form.fields["establishment"].queryset = establishments
        form.fields["school_class"].queryset = form.fields["school_class"].queryset.filter(
            establishment__in=establishments
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                issued = do_create_account(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    birth_date=data["birth_date"],
                    role=data["role"],
                    establishment=data["establishment"],
                    school_class=data["school_class"],
                    email=data["email"],
                    actor=request.user,
                    ip=get_adapter(request).get_client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _credentials_response(request, [issued], _("Compte créé"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Créer un compte et ses identifiants provisoires"),
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/accounts/user/add_account.html", context)

    @admin.action(
        description=_("Ré-émettre des identifiants provisoires (nouveau courrier)"),
        permissions=["change"],
    )
    def reissue_credentials(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return self._confirm_reissue(
                request, queryset, "reissue_credentials", "reissue_confirm.html", _("Ré-émettre ?")
            )
        issued = do_issue_many(
            queryset, actor=request.user, ip=get_adapter(request).get_client_ip(request)
        )
        return _credentials_response(request, issued, _("Identifiants ré-émis"))


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, EstablishmentScopedMixin, admin.ModelAdmin):
    # Staff see the events of the people of their own establishment(s).
    establishment_path = "subject__enrolments__establishment"

    list_display = ["at", "action", "subject_label", "actor_label", "ip"]
    list_filter = ["action", "at"]
    search_fields = ["subject_label", "actor_label", "ip"]
    date_hierarchy = "at"
