from django.contrib import admin

from ent_portal.admin import ReadOnlyAdminMixin
from pronote.models import (
    Evaluation,
    FirstVisit,
    Homework,
    Lesson,
    Mark,
    SchoolLifeEvent,
    Subject,
)
from schools.admin import EstablishmentScopedAdmin


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "color"]
    search_fields = ["name"]


@admin.register(Lesson)
class LessonAdmin(EstablishmentScopedAdmin):
    establishment_path = "school_class__establishment"
    list_display = ["school_class", "weekday", "starts_at", "ends_at", "subject", "teacher", "room"]
    list_filter = ["school_class__establishment", "school_class", "weekday"]
    list_select_related = ["school_class__establishment", "subject"]


class MarkInline(admin.TabularInline):
    model = Mark
    extra = 0
    autocomplete_fields = ["pupil"]


@admin.register(Evaluation)
class EvaluationAdmin(EstablishmentScopedAdmin):
    establishment_path = "school_class__establishment"
    list_display = ["title", "subject", "school_class", "date", "out_of", "coefficient"]
    list_filter = ["school_class__establishment", "school_class", "subject"]
    list_select_related = ["school_class__establishment", "subject"]
    inlines = [MarkInline]


@admin.register(Homework)
class HomeworkAdmin(EstablishmentScopedAdmin):
    establishment_path = "school_class__establishment"
    list_display = ["subject", "school_class", "given_on", "due_on"]
    list_filter = ["school_class__establishment", "school_class", "subject"]
    list_select_related = ["school_class__establishment", "subject"]


@admin.register(SchoolLifeEvent)
class SchoolLifeEventAdmin(EstablishmentScopedAdmin):
    establishment_path = "pupil__enrolments__establishment"
    list_display = ["pupil", "kind", "starts_at", "minutes", "justified", "reason"]
    list_filter = ["kind", "justified"]
    search_fields = ["pupil__username", "pupil__last_name"]
    autocomplete_fields = ["pupil"]
    list_select_related = ["pupil"]


@admin.register(FirstVisit)
class FirstVisitAdmin(ReadOnlyAdminMixin, EstablishmentScopedAdmin):
    establishment_path = "user__enrolments__establishment"
    list_display = ["user", "at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
