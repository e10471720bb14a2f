"""The establishment a signed-in person is currently looking at (« Mes portails »).

Kept in the session; always one of the person's current enrolments, else the first of them.
"""

from schools.models import Enrolment

SESSION_KEY = "current_establishment_id"


def current_enrolments(user):
    return (
        Enrolment.objects.current()
        .filter(user=user)
        .select_related("establishment", "school_class")
        .order_by("establishment__name")
    )


def current_enrolment(request, enrolments=None):
    enrolments = list(current_enrolments(request.user) if enrolments is None else enrolments)
    if not enrolments:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((e for e in enrolments if e.establishment_id == wanted), enrolments[0])


def set_current_establishment(request, establishment_id) -> bool:
    if not current_enrolments(request.user).filter(establishment_id=establishment_id).exists():
        return False
    request.session[SESSION_KEY] = establishment_id
    return True
