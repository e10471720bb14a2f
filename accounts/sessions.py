"""« Mes sessions » (django-allauth's usersessions): one row written per sign-in, nothing walked.

allauth's own receiver walks every recorded session of the user at each sign-in (asking the
session store whether each still lives), then writes the new one in a get_or_create
transaction: a cost that grows with the sessions a pupil opened. Here a sign-in writes its row
in one INSERT (the session key is always new: a sign-in changes it), « Mes sessions » still
drops ended sessions when it lists them (allauth's view), and the daily ``purge_departed``
removes the rows of sessions that ended (``purge_ended_sessions``).
"""

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession

USER_AGENT_MAX_LENGTH = UserSession._meta.get_field("user_agent").max_length


def record_session(request, user):
    """In place of allauth.usersessions' receiver of user_logged_in: called by the adapter's
    login() (accounts/adapter.py), in the transaction of ``last_login`` and the audit row."""
    session = request.session
    if not session.session_key:
        session.save()
    # A plain INSERT: the key is new (Django's login() always gives
    # the session a new one), so there is nothing to get, and nothing to update.
    UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        ip=get_adapter().get_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
    )


def purge_ended_sessions() -> int:
    """Remove the rows of sessions that ended (logged out, expired); how many."""
    return sum(session.purge() for session in UserSession.objects.iterator(chunk_size=500))
