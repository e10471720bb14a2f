"""Practice classes in the admin's « Classes »: « Créer une classe d'entraînement » and
« Supprimer la classe d'entraînement », for staff on their own establishments
(schools/rules.py). Here, because nothing imports this room: the admin finds this module by
itself and extends whichever « Classes » admin is registered (schools/admin.py)."""

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.actions import do_delete_practice_class, practice_pupils
from accounts.models import User
from classroom.actions import do_create_practice_class
from classroom.practice import MAX_PUPILS
from schools.models import Establishment, Role, SchoolClass
from schools.rules import managed_establishments
from staff.jobs import start_letters

PERMISSION = "accounts.add_user"  # who may create accounts may create invented ones


class PracticeClassAdminForm(forms.Form):
    establishment = forms.ModelChoiceField(
        label=_("Établissement"), queryset=Establishment.objects.none()
    )
    count = forms.IntegerField(
        label=_("Nombre d'élèves"),
        min_value=1,
        max_value=MAX_PUPILS,
        initial=30,
        help_text=_("De 1 à %(max)d élèves inventés.") % {"max": MAX_PUPILS},
    )
    teacher = forms.ModelChoiceField(
        label=_("Enseignant"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Il suit la classe depuis « Mes classes » (facultatif)."),
    )

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        self.fields["teacher"].queryset = teachers_of(establishments)


def teachers_of(establishments):
    """The teacher accounts currently teaching in one of ``establishments``."""
    return (
        User.objects.filter(
            role=Role.TEACHER,
            is_staff=False,
            enrolments__establishment__in=establishments,
            enrolments__left_at__isnull=True,
            enrolments__role=Role.TEACHER,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


base = type(admin.site.get_model_admin(SchoolClass))


class PracticeSchoolClassAdmin(base):
    """The registered « Classes » admin, plus practice classes. Their flag, end date and
    seed are never typed by hand: a real class made « practice » would be deleted with its
    pupils."""

    actions = [*(getattr(base, "actions", None) or []), "delete_practice_classes"]
    change_list_template = "admin/classroom/schoolclass/change_list.html"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # « enseignants »: teachers of the staff member's establishments, nobody else.
        if db_field.name == "teachers":
            kwargs["queryset"] = teachers_of(managed_establishments(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "practice", "practice_until"]

    def get_urls(self):
        return [
            path(
                "entrainement/nouvelle/",
                self.admin_site.admin_view(self.create_practice_view),
                name="schools_schoolclass_create_practice",
            ),
            path(
                "<int:pk>/courriers-entrainement/",
                self.admin_site.admin_view(self.practice_letters_view),
                name="schools_schoolclass_practice_letters",
            ),
            *super().get_urls(),
        ]

    def _allowed(self, request):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied

    def create_practice_view(self, request):
        """« Créer une classe d'entraînement »: then « Imprimer les courriers »."""
        self._allowed(request)
        form = PracticeClassAdminForm(
            request.POST if request.method == "POST" else None,
            establishments=managed_establishments(request.user),
        )
        if request.method == "POST" and form.is_valid():
            try:
                school_class, issued = do_create_practice_class(
                    form.cleaned_data["establishment"],
                    form.cleaned_data["count"],
                    teacher=form.cleaned_data["teacher"],
                    actor=request.user,
                    ip=get_adapter(request).get_client_ip(request),
                )
            except ValidationError as exc:
                field = "teacher" if getattr(exc, "code", "") == "teacher" else None
                form.add_error(field, exc)
            else:
                return TemplateResponse(
                    request,
                    "admin/classroom/schoolclass/practice_created.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": _("Classe d'entraînement créée"),
                        "school_class": school_class,
                        "count": len(issued),
                        "opts": self.opts,
                    },
                )
        return TemplateResponse(
            request,
            "admin/classroom/schoolclass/create_practice.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Créer une classe d'entraînement"),
                "form": form,
                "opts": self.opts,
            },
        )

    def practice_letters_view(self, request, pk):
        """The letters of a practice class, the same ones each time (staff/jobs.py)."""
        self._allowed(request)
        if request.method != "POST":
            return redirect("admin:schools_schoolclass_changelist")
        managed = managed_establishments(request.user)
        school_class = get_object_or_404(
            SchoolClass, pk=pk, practice=True, establishment__in=managed
        )
        pupils = list(practice_pupils(school_class).order_by("last_name", "first_name"))
        return start_letters(
            request,
            pupils,
            school_class=school_class,
            back_url=reverse("admin:schools_schoolclass_changelist"),
        )

    @admin.action(description=_("Supprimer la classe d'entraînement (élèves inventés compris)"))
    def delete_practice_classes(self, request, queryset):
        self._allowed(request)
        queryset = queryset.filter(establishment__in=managed_establishments(request.user))
        classes = list(queryset.filter(practice=True))
        real = list(queryset.filter(practice=False))
        for school_class in real:
            self.message_user(
                request,
                _("%(division)s laissée de côté : ce n'est pas une classe d'entraînement.")
                % {"division": school_class},
                messages.WARNING,
            )
        if not classes:
            return None
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/classroom/schoolclass/delete_practice_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Supprimer la classe d'entraînement ?"),
                    "classes": [(c, practice_pupils(c).count()) for c in classes],
                    "opts": self.opts,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        ip = get_adapter(request).get_client_ip(request)
        for school_class in classes:
            do_delete_practice_class(school_class, actor=request.user, ip=ip)
        self.message_user(
            request,
            ngettext(
                "%(n)d classe d'entraînement supprimée.",
                "%(n)d classes d'entraînement supprimées.",
                len(classes),
            )
            % {"n": len(classes)},
        )
        return None

    def delete_model(self, request, obj):
        # The admin's own « Supprimer » of a practice class takes its invented pupils along.
        if obj.practice:
            do_delete_practice_class(
                obj, actor=request.user, ip=get_adapter(request).get_client_ip(request)
            )
            return
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for school_class in queryset.filter(practice=True):
            self.delete_model(request, school_class)
        super().delete_queryset(request, queryset.filter(practice=False))


admin.site.unregister(SchoolClass)
admin.site.register(SchoolClass, PracticeSchoolClassAdmin)
