from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent
from core.admin import ReadOnlyAdminMixin


class ActionFilter(admin.SimpleListFilter):
    """The kinds of event by their French names (the field has no database choices)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return Action.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: the trail is written by the actions, never by hand. Staff scoping is added by
    the room that knows about establishments (staff/admin.py)."""

    list_display = ["at", "action_name", "subject_label", "actor_label", "ip"]
    list_filter = [ActionFilter, "at"]
    search_fields = ["subject_label", "actor_label", "ip"]
    date_hierarchy = "at"

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj):
        return obj.action_label
