"""The establishment a signed-in person is currently looking at (« Mes portails »).

Kept in the session; always one of the person's current enrolments, else the first of them.
"""

from core.sql import RowQuery
from schools.models import Enrolment, Establishment, SchoolClass

SESSION_KEY = "current_establishment_id"

# Read on nearly every page of the portal, the ENT and PRONOTE. The ORM's twin is
# current_enrolments_queryset (tests/schools/test_current.py holds them together).
CURRENT_ENROLMENTS = RowQuery(
    [(Enrolment, "e"), (Establishment, "s"), (SchoolClass, "c")],
    "FROM schools_enrolment e JOIN schools_establishment s ON s.id = e.establishment_id "
    "LEFT JOIN schools_schoolclass c ON c.id = e.school_class_id "
    "WHERE e.user_id = %s AND e.left_at IS NULL ORDER BY s.name, e.id",
)


def current_enrolments_queryset(user):
    """The same enrolments as a queryset, for whoever filters them further."""
    return (
        Enrolment.objects.current()
        .filter(user=user)
        .select_related("establishment", "school_class")
        .order_by("establishment__name")
    )


def current_enrolments(user):
    """The person's current enrolments, establishment and class loaded, by establishment name."""
    enrolments = []
    for enrolment, establishment, school_class in CURRENT_ENROLMENTS.rows([user.pk]):
        enrolment.establishment, enrolment.school_class = establishment, school_class
        enrolments.append(enrolment)
    return enrolments


def current_enrolment(request, enrolments=None):
    enrolments = current_enrolments(request.user) if enrolments is None else list(enrolments)
    if not enrolments:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((e for e in enrolments if e.establishment_id == wanted), enrolments[0])


def set_current_establishment(request, establishment_id) -> bool:
    enrolments = current_enrolments_queryset(request.user)
    if not enrolments.filter(establishment_id=establishment_id).exists():
        return False
    request.session[SESSION_KEY] = establishment_id
    return True
