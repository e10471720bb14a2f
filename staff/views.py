from django.core.exceptions import PermissionDenied

from schools.admin import managed_establishments
from staff.funnel import funnel_view


def funnel(request):
    """« Suivi des comptes », for staff who may view accounts, on their own establishments."""
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    return funnel_view(request, managed_establishments(request.user))
