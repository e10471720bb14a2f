from django.contrib import admin
from django.contrib.auth import get_user_model

from schools.models import Enrolment, Establishment, SchoolClass


def managed_establishments(user):
    """The establishments a staff member manages: all for a superuser, else their own."""
    if user.is_superuser:
        return Establishment.objects.all()
    return Establishment.objects.filter(
        enrolments__user=user, enrolments__left_at__isnull=True
    ).distinct()


class EstablishmentScopedMixin:
    """For a ModelAdmin: staff see, and can choose in forms, only the rows of their own
    establishment(s). ``establishment_path`` leads from the model to its establishment
    (``"school_class__establishment"``); a superuser sees everything."""

    establishment_path = "establishment"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.establishment_path}__in": managed_establishments(request.user)}
        ).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            managed = managed_establishments(request.user)
            model = db_field.related_model
            if model is Establishment:
                kwargs["queryset"] = managed
            elif model is SchoolClass:
                kwargs["queryset"] = SchoolClass.objects.filter(establishment__in=managed)
            elif model is get_user_model():
                kwargs["queryset"] = model.objects.filter(
                    enrolments__establishment__in=managed
                ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EstablishmentScopedAdmin(EstablishmentScopedMixin, admin.ModelAdmin):
    pass


class SchoolClassInline(admin.TabularInline):
    model = SchoolClass
    extra = 0


@admin.register(Establishment)
class EstablishmentAdmin(EstablishmentScopedAdmin):
    establishment_path = "pk"

    list_display = ["name", "uai", "academie"]
    search_fields = ["name", "uai"]
    inlines = [SchoolClassInline]


@admin.register(SchoolClass)
class SchoolClassAdmin(EstablishmentScopedAdmin):
    list_display = ["division", "establishment"]
    list_filter = ["establishment"]
    search_fields = ["division"]


@admin.register(Enrolment)
class EnrolmentAdmin(EstablishmentScopedAdmin):
    list_display = ["user", "establishment", "school_class", "role", "left_at"]
    list_filter = ["establishment", "role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "establishment", "school_class"]
