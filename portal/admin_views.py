from django.contrib import admin
from django.core.exceptions import PermissionDenied

from accounts.models import User
from portal.funnel import funnel_view


def funnel(request):
    """« Suivi des comptes », for staff who may view accounts, on their own establishments."""
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    user_admin = admin.site._registry[User]
    return funnel_view(request, user_admin.establishments_for(request.user))
