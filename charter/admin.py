from allauth.account.adapter import get_adapter
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from charter.actions import do_publish_charter
from charter.models import Acceptance, Charter
from core.admin import ReadOnlyAdminMixin


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "published_at", "acceptance_count"]
    readonly_fields = ["published_at", "published_by", "created_at"]
    actions = ["publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(acceptance_total=Count("acceptances"))

    @admin.display(description=_("acceptations"), ordering="acceptance_total")
    def acceptance_count(self, obj):
        return obj.acceptance_total

    def get_readonly_fields(self, request, obj=None):
        # A published text is what people accepted: it is never edited, a new version is made.
        if obj is not None and obj.is_published:
            return [*self.readonly_fields, "version", "title", "body"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    @admin.action(
        description=_("Publier (tous les utilisateurs devront l'accepter)"), permissions=["change"]
    )
    def publish(self, request, queryset):
        for charter in queryset.order_by("version"):
            do_publish_charter(
                charter, actor=request.user, ip=get_adapter(request).get_client_ip(request)
            )
        self.message_user(
            request,
            _("Publiée : chacun devra l'accepter à sa prochaine page de l'ENT."),
            messages.SUCCESS,
        )


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "charter", "accepted_at", "ip"]
    list_filter = ["charter"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "charter"]
