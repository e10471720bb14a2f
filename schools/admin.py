from django.contrib import admin

from schools.models import Enrolment, Establishment, SchoolClass


class SchoolClassInline(admin.TabularInline):
    model = SchoolClass
    extra = 0


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["name", "uai", "academie"]
    search_fields = ["name", "uai"]
    inlines = [SchoolClassInline]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["division", "establishment"]
    list_filter = ["establishment"]
    search_fields = ["division"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "establishment", "school_class", "role", "left_at"]
    list_filter = ["establishment", "role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "establishment", "school_class"]
