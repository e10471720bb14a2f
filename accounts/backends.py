from allauth.account.auth_backends import AuthenticationBackend

from accounts.models import User
from core.sql import RowQuery

# The signed-in user, read at every request of a session. The ORM's twin is
# User.objects.get(pk=…), whose compiling cost twice its running (tests/accounts/test_backend.py).
USER_BY_ID = RowQuery([(User, "u")], "FROM accounts_user u WHERE u.id = %s")


class PortalBackend(AuthenticationBackend):
    """django-allauth's backend (sign-in by identifier, one hash per attempt), reading the
    session's user with a query written once (core/sql.py)."""

    def get_user(self, user_id):
        rows = USER_BY_ID.rows([user_id])
        user = rows[0][0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None
