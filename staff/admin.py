"""The secretariat's office in the admin: people, their letters, the audit trail of their
establishments."""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.decorators import secure_admin_login
from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.actions import do_issue_many, do_mark_departed, do_unlock_account
from accounts.models import User
from audit.admin import AuditEventAdmin
from audit.models import Action, AuditEvent, record
from charter.admin import AcceptanceAdmin
from charter.models import Acceptance
from families.actions import do_depart_orphaned_parents
from families.models import ParentLink, ParentProfile
from schools.admin import EstablishmentScopedMixin, ManagedEstablishmentFilter
from schools.models import Enrolment, Role, SchoolClass
from schools.rules import (
    can_manage_person,
    currently_in,
    managed_establishments,
    people_managed_by,
    people_seen_by,
    why_out_of_hands,
)
from staff.flows import account_creation
from staff.forms import AccountCreationForm
from staff.imports import import_view, parents_import_view
from staff.jobs import start_letters


# The admin signs in through allauth's page, hence its rate limits, lockout and TOTP stage.
def _staff_sign_in(view):
    """allauth's secure admin login (staff signed in pass, others are refused), whose signed-out
    visitors land on the staff's sign-in page (the same allauth view in the staff's words,
    templates/account/login_staff.html), not on the pupils' page and its hints."""
    secured = secure_admin_login(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return secured(request, *args, **kwargs)
        next_url = get_next_redirect_url(request) or reverse("admin:index")
        return redirect(f"{reverse('accounts:staff_login')}?{urlencode({'next': next_url})}")

    return wrapper


admin.site.login = _staff_sign_in(admin.site.login)


def _password_change_at_allauth(request, extra_context=None):
    """The staff member's own password changes on allauth's « Changer de mot de passe » page
    (the same rules, history and audit as anyone's), never in an admin form."""
    return redirect("account_change_password")


admin.site.password_change = _password_change_at_allauth


def _departed_action_label():
    months = settings.RETENTION_MONTHS_AFTER_DEPARTURE
    return ngettext(
        "Enregistrer le départ (accès coupé, données supprimées après %(months)d mois)",
        "Enregistrer le départ (accès coupé, données supprimées après %(months)d mois)",
        months,
    ) % {"months": months}


def _credentials_response(request, issued, title):
    """The only place a provisional password is ever shown: the response to the request that
    issued it. Not stored; the admin marks every page no-store, so it is not cached either."""
    return TemplateResponse(
        request,
        "admin/staff/user/issued_credentials.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "issued": issued,
            "opts": User._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _one_class_of(users):
    """The class all of ``users`` are currently in, if there is exactly one (its name goes on
    the job's page and the file's name; a practice class gives its same letters again)."""
    enrolments = Enrolment.objects.current().filter(user__in=users)
    classes = set(enrolments.values_list("school_class", flat=True))
    if len(classes) != 1 or None in classes:
        return None
    if enrolments.values("user").distinct().count() != len(users):
        return None
    return SchoolClass.objects.select_related("establishment").get(pk=classes.pop())


class UserEstablishmentFilter(ManagedEstablishmentFilter):
    """People currently enrolled in one of the staff member's establishments."""

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(currently_in("", [int(value)])).distinct()
        return queryset


class PracticePupilsFilter(admin.SimpleListFilter):
    """Invented pupils (practice classes) apart from real ones: never mixed up."""

    title = _("élèves réels ou inventés")
    parameter_name = "entrainement"

    def lookups(self, request, model_admin):
        return [
            ("oui", _("Élèves inventés (classes d'entraînement)")),
            ("non", _("Élèves réels")),
        ]

    def queryset(self, request, queryset):
        in_practice = Enrolment.objects.current().filter(school_class__practice=True)
        if self.value() == "oui":
            return queryset.filter(pk__in=in_practice.values("user"))
        if self.value() == "non":
            return queryset.filter(role=Role.PUPIL).exclude(pk__in=in_practice.values("user"))
        return queryset


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
    list_filter = ["role", UserEstablishmentFilter, PracticePupilsFilter, "is_active"]
    search_fields = ["username", "last_name", "first_name", "email"]
    ordering = ["last_name", "first_name"]
    actions = ["print_letters", "reissue_credentials", "unlock", "mark_departed"]
    change_list_template = "admin/staff/user/change_list.html"
    change_form_template = "admin/staff/user/change_form.html"

    person_path = ""

    def changelist_view(self, request, extra_context=None):
        # Django's « Sélectionnez l'objet utilisateur à changer » is nobody's word for the list.
        return super().changelist_view(request, {"title": _("Comptes"), **(extra_context or {})})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.role in (Role.PARENT, Role.PUPIL):
            fieldsets.insert(2, (_("Famille"), {"fields": ["family"]}))
        return fieldsets

    @admin.display(description=_("liens"))
    def family(self, obj):
        """A parent's mobile and children, or a pupil's responsables, with the links reported
        as wrong (« Je ne suis pas le représentant légal de cet élève »)."""
        from django.utils.html import format_html, format_html_join

        if obj.role == Role.PARENT:
            mobile = ParentProfile.objects.filter(user=obj).values_list("mobile", flat=True).first()
            links = ParentLink.objects.filter(parent=obj).select_related("child")
            seen = getattr(obj, "seen_by_viewer", None)
            if seen is not None:  # children of other schools are counted, never named
                elsewhere = links.exclude(child__in=seen).count()
                links = links.filter(child__in=seen)
            people = [(link.child, link) for link in links]
            head = format_html("<p>{} {}</p>", _("Téléphone portable :"), mobile or "—")
            if seen is not None and elsewhere:
                head = format_html(
                    "{}<p>{}</p>",
                    head,
                    ngettext(
                        "%(n)d enfant dans un autre établissement.",
                        "%(n)d enfants dans un autre établissement.",
                        elsewhere,
                    )
                    % {"n": elsewhere},
                )
        else:
            links = ParentLink.objects.filter(child=obj).select_related("parent")
            people = [(link.parent, link) for link in links]
            head = ""
        if not people:
            return format_html("{}<p>{}</p>", head, _("Aucun lien."))
        items = format_html_join(
            "",
            "<li>{}{}</li>",
            (
                (
                    str(person),
                    _(" — signalé comme erroné") if link.reported_wrong_at else "",
                )
                for person, link in people
            ),
        )
        return format_html("{}<ul>{}</ul>", head, items)

    def get_queryset(self, request):
        # Staff see only the pupils (and parents) currently enrolled in their establishments,
        # never an account with staff rights; they act only on those wholly in their hands
        # (schools/rules.py, docs/securite.md).
        queryset = DjangoUserAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=people_seen_by(request.user))

    def has_change_permission(self, request, obj=None):
        # A family that spans another school is shown, read only, with the reason.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_person(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_manage_person(request.user, obj))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and not request.user.is_superuser:
            obj.seen_by_viewer = people_seen_by(request.user)
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        reason = why_out_of_hands(request.user, obj) if obj is not None else None
        extra_context = {**(extra_context or {}), "out_of_hands": reason}
        return super().change_view(request, object_id, form_url, extra_context)

    def actable(self, request, queryset):
        """The selected people this staff member may act on (schools/rules.py), and the others
        with the reason each is left out: (allowed queryset, [(person, reason)])."""
        allowed = queryset.filter(pk__in=people_managed_by(request.user))
        refused = [
            (person, why_out_of_hands(request.user, person))
            for person in queryset.exclude(pk__in=allowed.values("pk"))
        ]
        return allowed, refused

    def _say_refused(self, request, refused):
        for person, reason in refused:
            self.message_user(
                request,
                _("%(person)s laissé de côté. %(reason)s") % {"person": person, "reason": reason},
                messages.WARNING,
            )

    def _refused_page(self, request, refused, title):
        """Nobody of the selection is in this staff member's hands: a page that says why."""
        if not refused:
            return None
        return TemplateResponse(
            request,
            "admin/staff/user/out_of_hands.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "refused": refused,
                "opts": self.opts,
            },
        )

    def user_change_password(self, request, id, form_url=""):
        # Setting a password by hand is not a staff power (re-issuing a letter is): it let a
        # secretary take over a superuser. manage.py changepassword remains for the server.
        raise PermissionDenied

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            record(
                Action.ACCOUNT_EDITED,
                subject=obj,
                actor=request.user,
                ip=get_adapter(request).get_client_ip(request),
                fields=sorted(form.changed_data),
            )

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser grants rights: a secretary cannot make anyone (herself) superuser.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions", "is_active"]
        return fields

    def get_urls(self):
        from django.urls import path
        from django.views.generic import RedirectView

        return [
            path(
                "importer/",
                self.admin_site.admin_view(lambda request: import_view(self, request)),
                name="accounts_user_import",
            ),
            path(
                "importer-responsables/",
                self.admin_site.admin_view(lambda request: parents_import_view(self, request)),
                name="accounts_user_import_parents",
            ),
            # The job pages moved out of the admin (staff/jobs.py): old links lead there.
            path(
                "courriers/<int:pk>/",
                RedirectView.as_view(pattern_name="letter_job"),
                name="accounts_letterbatch_progress",
            ),
            *super().get_urls(),
        ]

    def _confirm_reissue(self, request, queryset, action, template, title, refused=()):
        """Both re-issuing actions (and a departure) first say what will happen, and to whom:
        those who already activated are named apart (their own password stops working), those
        out of this staff member's hands too, with the reason."""
        users = list(queryset)
        return TemplateResponse(
            request,
            f"admin/staff/user/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "users": users,
                "active_users": [u for u in users if u.activated_at and not u.is_provisional],
                "retention_months": settings.RETENTION_MONTHS_AFTER_DEPARTURE,
                "action": action,
                "refused": refused,
                "opts": self.opts,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description=_("Imprimer les courriers (ré-émet les mots de passe provisoires)"),
        permissions=["change"],
    )
    def print_letters(self, request, queryset):
        queryset, refused = self.actable(request, queryset)
        if not queryset.exists():
            return self._refused_page(request, refused, _("Imprimer les courriers ?"))
        if request.POST.get("confirm") != "yes":
            return self._confirm_reissue(
                request,
                queryset,
                "print_letters",
                "letters_confirm.html",
                _("Imprimer les courriers ?"),
                refused,
            )
        from django.urls import reverse

        users = list(queryset)
        # The page of the job that prints them (staff/jobs.py); a practice class's pupils,
        # selected together, get their same letters again.
        return start_letters(
            request,
            users,
            school_class=_one_class_of(users),
            back_url=reverse("admin:accounts_user_changelist"),
        )

    readonly_fields = [
        "family",
        "password_note",
        "provisional_issued_at",
        "provisional_expires_at",
        "provisional_issued_by",
        "activated_at",
        "departed_at",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["username", "password_note"]}),
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

    @admin.display(description=_("mot de passe"))
    def password_note(self, obj):
        return _(
            "Choisi par la personne ; personne d'autre ne le connaît ni ne le change ici. "
            "Mot de passe oublié : « Ré-émettre des identifiants provisoires » "
            "(nouveau courrier)."
        )

    @admin.display(description=_("état"))
    def state(self, obj):
        return obj.state_label()

    @admin.action(description=_("Débloquer (trop de tentatives)"), permissions=["change"])
    def unlock(self, request, queryset):
        queryset, refused = self.actable(request, queryset)
        self._say_refused(request, refused)
        ip = get_adapter(request).get_client_ip(request)
        for user in queryset:
            do_unlock_account(user, actor=request.user, ip=ip)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(n)d compte débloqué.", "%(n)d comptes débloqués.", count) % {"n": count},
        )

    @admin.action(description=lazy(_departed_action_label, str)(), permissions=["change"])
    def mark_departed(self, request, queryset):
        queryset, refused = self.actable(request, queryset)
        if not queryset.exists():
            return self._refused_page(request, refused, _("Enregistrer le départ ?"))
        if request.POST.get("confirm") != "yes":
            return self._confirm_reissue(
                request,
                queryset,
                "mark_departed",
                "departed_confirm.html",
                _("Enregistrer le départ ?"),
                refused,
            )
        ip = get_adapter(request).get_client_ip(request)
        for user in queryset:
            do_mark_departed(user, actor=request.user, ip=ip)
        # A parent whose children have all left leaves with them.
        do_depart_orphaned_parents(actor=request.user, ip=ip)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(n)d départ enregistré.", "%(n)d départs enregistrés.", count)
            % {"n": count},
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Adding a person means issuing their letter (staff/flows/account_creation.py):
        identifier and provisional password are shown once, on the page that answers the
        form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AccountCreationForm(
            request.POST if request.method == "POST" else None,
            establishments=managed_establishments(request.user),
        )
        if request.method == "POST" and form.is_valid():
            outcome = account_creation.create(
                form.cleaned_data,
                actor=request.user,
                ip=get_adapter(request).get_client_ip(request),
            )
            if outcome.existing is not None:
                return TemplateResponse(
                    request,
                    "admin/staff/user/already_there.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": _("Cette personne a déjà un compte"),
                        "existing": outcome.existing,
                        "opts": self.opts,
                    },
                )
            if outcome.issued is not None:
                return _credentials_response(request, [outcome.issued], _("Compte créé"))
            form.add_error(None, outcome.error)
        months = settings.PROVISIONAL_VALIDITY_MONTHS
        context = {
            **self.admin_site.each_context(request),
            "title": _("Créer un compte et ses identifiants provisoires"),
            "form": form,
            "opts": self.opts,
            "validity": ngettext("%(months)d mois", "%(months)d mois", months) % {"months": months},
        }
        return TemplateResponse(request, "admin/staff/user/add_account.html", context)

    @admin.action(
        description=_("Ré-émettre des identifiants provisoires (nouveau courrier)"),
        permissions=["change"],
    )
    def reissue_credentials(self, request, queryset):
        queryset, refused = self.actable(request, queryset)
        if not queryset.exists():
            return self._refused_page(request, refused, _("Ré-émettre ?"))
        if request.POST.get("confirm") != "yes":
            return self._confirm_reissue(
                request,
                queryset,
                "reissue_credentials",
                "reissue_confirm.html",
                _("Ré-émettre ?"),
                refused,
            )
        issued = do_issue_many(
            queryset, actor=request.user, ip=get_adapter(request).get_client_ip(request)
        )
        return _credentials_response(request, issued, _("Identifiants ré-émis"))


# The audit trail's own admin (audit/admin.py), scoped: staff see the events of the people of
# their own establishment(s).
class ScopedAuditEventAdmin(EstablishmentScopedMixin, AuditEventAdmin):
    person_path = "subject"


admin.site.unregister(AuditEvent)
admin.site.register(AuditEvent, ScopedAuditEventAdmin)


# Charter acceptances (names, identifiers, addresses, browsers): of the staff member's own
# establishments only.
class ScopedAcceptanceAdmin(EstablishmentScopedMixin, AcceptanceAdmin):
    person_path = "user"


admin.site.unregister(Acceptance)
admin.site.register(Acceptance, ScopedAcceptanceAdmin)
