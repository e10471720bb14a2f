"""Who manages what: the one predicate every staff page applies (docs/securite.md, « Les
pouvoirs du personnel »).

Only *current* enrolments count, on both sides: the secretary of a school a pupil has left
no longer manages that pupil, and a secretary who left a school no longer manages it."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from schools.models import Establishment, Role

# The people staff may act on: never someone with staff rights (docs/securite.md).
ACTABLE_ROLES = [Role.PUPIL, Role.PARENT]


def managed_establishments(user):
    """The establishments ``user`` manages: all for a superuser, else those where they have a
    current enrolment as staff."""
    if not user.is_authenticated or not user.is_staff:
        return Establishment.objects.none()
    if user.is_superuser:
        return Establishment.objects.all()
    return Establishment.objects.filter(
        enrolments__user=user, enrolments__left_at__isnull=True
    ).distinct()


def currently_in(path, establishments):
    """A filter: the row's person (reached by ``path``, e.g. ``"subject"``, or ``""`` for a
    user) has a current enrolment in one of ``establishments``, in one join."""
    prefix = f"{path}__enrolments" if path else "enrolments"
    return Q(**{f"{prefix}__establishment__in": establishments, f"{prefix}__left_at__isnull": True})


def people_managed_by(user):
    """The accounts ``user`` may act on: pupils (and parents) with a current enrolment in an
    establishment they manage, never an account with staff rights. A superuser may act on
    anyone but a superuser (``manage.py`` remains for that)."""
    users = get_user_model().objects.all()
    if user.is_superuser:
        return users.filter(is_superuser=False)
    return users.filter(
        currently_in("", managed_establishments(user)),
        role__in=ACTABLE_ROLES,
        is_staff=False,
        is_superuser=False,
    ).distinct()


def may_act_on(user, target) -> bool:
    return people_managed_by(user).filter(pk=target.pk).exists()
