from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from pronote.models import (
    Evaluation,
    FirstVisit,
    Homework,
    Lesson,
    Mark,
    SchoolLifeEvent,
    Subject,
)
from schools.admin import (
    EstablishmentScopedAdmin,
    EstablishmentScopedMixin,
    ManagedClassFilter,
    ManagedEstablishmentFilter,
    managed_filter,
)

CLASS_FILTERS = [
    managed_filter(ManagedEstablishmentFilter, "school_class__establishment"),
    managed_filter(ManagedClassFilter, "school_class"),
]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    """Subjects are shared by every establishment: only a superuser changes them (a secretary
    renaming « Mathématiques » would rename it for every school)."""

    list_display = ["name", "color"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Lesson)
class LessonAdmin(EstablishmentScopedAdmin):
    establishment_path = "school_class__establishment"
    list_display = ["school_class", "weekday", "starts_at", "ends_at", "subject", "teacher", "room"]
    list_filter = [*CLASS_FILTERS, "weekday"]
    list_select_related = ["school_class__establishment", "subject"]


class MarkInline(EstablishmentScopedMixin, admin.TabularInline):
    """Marks of an evaluation: only pupils of the staff member's establishments can be chosen,
    shown or saved (any user id used to be accepted)."""

    model = Mark
    extra = 0
    autocomplete_fields = ["pupil"]
    person_path = "pupil"


@admin.register(Evaluation)
class EvaluationAdmin(EstablishmentScopedAdmin):
    establishment_path = "school_class__establishment"
    list_display = ["title", "subject", "school_class", "date", "out_of", "coefficient"]
    list_filter = [*CLASS_FILTERS, "subject"]
    list_select_related = ["school_class__establishment", "subject"]
    inlines = [MarkInline]


@admin.register(Homework)
class HomeworkAdmin(EstablishmentScopedAdmin):
    establishment_path = "school_class__establishment"
    list_display = ["subject", "school_class", "given_on", "due_on"]
    list_filter = [*CLASS_FILTERS, "subject"]
    list_select_related = ["school_class__establishment", "subject"]


@admin.register(SchoolLifeEvent)
class SchoolLifeEventAdmin(EstablishmentScopedAdmin):
    person_path = "pupil"
    list_display = ["pupil", "kind", "starts_at", "minutes", "justified", "reason"]
    list_filter = ["kind", "justified"]
    search_fields = ["pupil__username", "pupil__last_name"]
    autocomplete_fields = ["pupil"]
    list_select_related = ["pupil"]


@admin.register(FirstVisit)
class FirstVisitAdmin(ReadOnlyAdminMixin, EstablishmentScopedAdmin):
    person_path = "user"
    list_display = ["user", "at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
