"""Who manages what: the one predicate every staff page applies (docs/securite.md, « Les
pouvoirs du personnel »).

Only *current* enrolments count, on both sides: the secretary of a school a pupil has left
no longer manages that pupil, and a secretary who left a school no longer manages it.

Two questions, two answers:

- ``people_seen_by``: whom a staff member sees (the admin's list, « Suivi des comptes »):
  the pupils and parents currently enrolled in one of their establishments;
- ``people_managed_by``: on whom they may act (re-issue, letters, departure, unlock, edit):
  those of the first set whose *every* establishment is theirs — their own current
  enrolments and, for a parent, those of each child. A family that spans two schools is
  out of one school's hands: a re-issued parent's letter opens every child's PRONOTE."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from schools.models import Enrolment, Establishment, Role

# The people staff may act on: never someone with staff rights (docs/securite.md). Teachers
# (not staff) are created by the secretariat and get their letters from it like pupils.
ACTABLE_ROLES = [Role.PUPIL, Role.PARENT, Role.TEACHER]


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


def people_seen_by(user):
    """The accounts ``user`` sees: pupils and parents currently enrolled in an establishment
    they manage, never an account with staff rights. A superuser sees anyone but a
    superuser."""
    users = get_user_model().objects.all()
    if user.is_superuser:
        return users.filter(is_superuser=False)
    return users.filter(
        currently_in("", managed_establishments(user)),
        role__in=ACTABLE_ROLES,
        is_staff=False,
        is_superuser=False,
    ).distinct()


def _elsewhere(user):
    """Current enrolments in an establishment ``user`` does not manage."""
    return Enrolment.objects.current().exclude(establishment__in=managed_establishments(user))


def people_managed_by(user):
    """The accounts ``user`` may act on: those they see whose every current establishment is
    theirs — their own enrolments and, for a parent, each child's (through the families'
    links, ``parent_links`` of the child). A superuser may act on anyone but a superuser
    (``manage.py`` remains for that)."""
    seen = people_seen_by(user)
    if user.is_superuser:
        return seen
    elsewhere = _elsewhere(user)
    return seen.exclude(Exists(elsewhere.filter(user=OuterRef("pk")))).exclude(
        Exists(elsewhere.filter(user__parent_links__parent=OuterRef("pk")))
    )


def why_out_of_hands(user, target) -> str | None:
    """Why ``user`` may not act on ``target``, in French for the page that refuses; None when
    they may. Names no other establishment: the reason is enough to ask the right person."""
    if people_managed_by(user).filter(pk=target.pk).exists():
        return None
    if target.is_superuser or target.is_staff or target.role not in ACTABLE_ROLES:
        return _("Ce compte a des droits d'administration : seul un superutilisateur peut agir.")
    if not people_seen_by(user).filter(pk=target.pk).exists():
        return _("Ce compte n'est inscrit dans aucun de vos établissements.")
    elsewhere = _elsewhere(user)
    if elsewhere.filter(user__parent_links__parent=target).exists():
        return _(
            "Ce compte a un enfant dans un autre établissement : seul un superutilisateur, ou "
            "le personnel des deux établissements, peut agir."
        )
    return _(
        "Ce compte est aussi inscrit dans un autre établissement : seul un "
        "superutilisateur, ou "
        "le personnel des deux établissements, peut agir."
    )


def can_manage_person(user, target) -> bool:
    """Whether ``user`` may act on ``target`` (``people_managed_by``, for one account)."""
    return people_managed_by(user).filter(pk=target.pk).exists()


# The teacher's space (classroom/, docs/securite.md, « Les pouvoirs des enseignants »): a
# teacher sees and acts on the pupils of the classes they teach, nothing else. Never a staff
# account, never a parent, never another class, never another school.


def teaching_establishments(user):
    """Where ``user`` currently teaches: their current enrolments as a teacher. None for an
    account with staff rights (the admin is theirs) or any other profile."""
    if (
        not user.is_authenticated
        or not user.is_active
        or user.role != Role.TEACHER
        or user.is_staff
        or user.is_superuser
        or user.departed_at is not None
    ):
        return Establishment.objects.none()
    return Establishment.objects.filter(
        enrolments__user=user,
        enrolments__left_at__isnull=True,
        enrolments__role=Role.TEACHER,
    ).distinct()


def classes_taught_by(user):
    """The classes ``user`` teaches: those naming them among their teachers, in an
    establishment where they currently teach."""
    from schools.models import SchoolClass

    return (
        SchoolClass.objects.filter(teachers=user, establishment__in=teaching_establishments(user))
        .select_related("establishment")
        .distinct()
    )


def pupils_taught_by(user, school_class=None):
    """The accounts ``user`` may help (unlock, a letter again, reset): pupils currently in one
    of their classes (``school_class``: in that one only), never an account with staff rights,
    and none also enrolled in a school where the teacher does not teach (a new letter would
    open that school's services too)."""
    classes = classes_taught_by(user)
    if school_class is not None:
        classes = classes.filter(pk=school_class.pk)
    elsewhere = Enrolment.objects.current().exclude(establishment__in=teaching_establishments(user))
    return (
        get_user_model()
        .objects.filter(
            enrolments__school_class__in=classes,
            enrolments__left_at__isnull=True,
            enrolments__role=Role.PUPIL,
            role=Role.PUPIL,
            is_staff=False,
            is_superuser=False,
            departed_at__isnull=True,
        )
        .exclude(Exists(elsewhere.filter(user=OuterRef("pk"))))
        .distinct()
    )


def people_in_hands_of(user):
    """Whom a long action started by ``user`` (staff/tasks.py) may still reach when it runs:
    for staff, the people they manage; for a teacher, the pupils of their classes."""
    if user.is_staff or user.is_superuser:
        return people_managed_by(user)
    return pupils_taught_by(user)
