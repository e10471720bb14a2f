from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from schools.models import Enrolment, Establishment, SchoolClass
from schools.rules import currently_in, managed_establishments

__all__ = ["EstablishmentScopedAdmin", "EstablishmentScopedMixin", "managed_establishments"]


class EstablishmentScopedMixin:
    """For a ModelAdmin: staff see, and can choose in forms and filters, only the rows of the
    establishments they manage (schools.rules). A superuser sees everything.

    Either ``establishment_path`` leads from the model to its establishment
    (``"school_class__establishment"``), or ``person_path`` to a person whose *current*
    enrolment decides (``"subject"``, ``"pupil"``; ``""`` for users themselves)."""

    establishment_path = "establishment"
    person_path = None

    def scope(self, request):
        managed = managed_establishments(request.user)
        if self.person_path is not None:
            return currently_in(self.person_path, managed)
        from django.db.models import Q

        return Q(**{f"{self.establishment_path}__in": managed})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self.scope(request)).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            managed = managed_establishments(request.user)
            model = db_field.related_model
            if model is Establishment:
                kwargs["queryset"] = managed
            elif model is SchoolClass:
                kwargs["queryset"] = SchoolClass.objects.filter(establishment__in=managed)
            elif model is get_user_model():
                kwargs["queryset"] = model.objects.filter(currently_in("", managed)).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # The admin's autocomplete and search: never a NUL byte into the database.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


class ManagedEstablishmentFilter(admin.SimpleListFilter):
    """« Établissement » in a filter sidebar: only those the staff member manages."""

    title = _("établissement")
    parameter_name = "etablissement"
    path = "establishment"

    def lookups(self, request, model_admin):
        return [(e.pk, e.name) for e in managed_establishments(request.user).order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(**{self.path: int(value)}).distinct()
        return queryset


class ManagedClassFilter(admin.SimpleListFilter):
    """« Classe » in a filter sidebar: only the classes of managed establishments."""

    title = _("classe")
    parameter_name = "classe"
    path = "school_class"

    def lookups(self, request, model_admin):
        classes = SchoolClass.objects.filter(
            establishment__in=managed_establishments(request.user)
        ).select_related("establishment")
        return [
            (c.pk, _("%(class)s (entraînement)") % {"class": c} if c.practice else str(c))
            for c in classes.order_by("establishment__name", "division")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(**{self.path: int(value)}).distinct()
        return queryset


def managed_filter(base, path):
    """A filter class like ``base`` that filters on ``path``."""
    return type(base.__name__, (base,), {"path": path})


class EstablishmentScopedAdmin(EstablishmentScopedMixin, admin.ModelAdmin):
    pass


class SchoolClassInline(admin.TabularInline):
    model = SchoolClass
    extra = 0
    # A class becomes a practice one only by « Créer une classe d'entraînement » (classroom/).
    readonly_fields = ["practice", "practice_until"]


class EnrolmentForm(forms.ModelForm):
    """A practice class holds only the invented pupils it was made with: nobody is put in it
    by hand (its pupils are deleted with it)."""

    def clean_school_class(self):
        school_class = self.cleaned_data.get("school_class")
        unchanged = self.instance.pk and self.instance.school_class_id == getattr(
            school_class, "pk", None
        )
        if school_class is not None and school_class.practice and not unchanged:
            raise forms.ValidationError(
                _("Une classe d'entraînement ne reçoit que ses élèves inventés.")
            )
        return school_class


@admin.register(Establishment)
class EstablishmentAdmin(EstablishmentScopedAdmin):
    establishment_path = "pk"

    list_display = ["name", "uai", "academie"]
    search_fields = ["name", "uai"]
    inlines = [SchoolClassInline]


@admin.register(SchoolClass)
class SchoolClassAdmin(EstablishmentScopedAdmin):
    list_display = ["division", "establishment", "practice_mark", "practice_until"]
    list_filter = [ManagedEstablishmentFilter, "practice"]
    search_fields = ["division"]

    @admin.display(description=_("Entraînement"), boolean=True, ordering="practice")
    def practice_mark(self, obj):
        """A class of invented pupils (never mixed with imported ones)."""
        return obj.practice


@admin.register(Enrolment)
class EnrolmentAdmin(EstablishmentScopedAdmin):
    form = EnrolmentForm
    list_display = ["user", "establishment", "school_class", "role", "left_at"]
    list_filter = [ManagedEstablishmentFilter, "role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "establishment", "school_class"]
