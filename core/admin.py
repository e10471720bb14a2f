"""Saves three rooms' admins the same three refusals; no time claimed (not a speed piece)."""


class ReadOnlyAdminMixin:
    """Records that staff read and filter but never write: audit events, acceptances, visits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
