from django.core.exceptions import PermissionDenied

from portal.funnel import funnel_view
from schools.admin import managed_establishments


def funnel(request):
    """« Suivi des comptes », for staff who may view accounts, on their own establishments."""
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    return funnel_view(request, managed_establishments(request.user))
