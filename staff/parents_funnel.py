"""The responsables in « Suivi des comptes »: how they came in (letter, SMS), whether their
account is open, how many children are linked, and the links they reported as wrong."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from accounts import lockout
from accounts.models import LifecycleState, User
from core.collation import name_key
from families.models import ParentLink
from schools.models import Enrolment, Role
from schools.rules import currently_in

STEPS = [
    ("known", gettext_lazy("Responsables enregistrés")),
    ("letter", gettext_lazy("Courrier remis")),
    ("sms", gettext_lazy("Inscription par SMS")),
    ("activated", gettext_lazy("Compte activé")),
    ("linked", gettext_lazy("Avec au moins un enfant rattaché")),
]


def how(user) -> str:
    """How the account was opened: « courrier », « SMS », or not yet."""
    if user.is_provisional:
        return "letter_pending"
    if user.activated_at is None:
        return "none"
    return "letter" if user.used_letter_password else "sms"


HOW_LABELS = {
    "none": gettext_lazy("pas encore de compte"),
    "letter_pending": gettext_lazy("courrier remis, compte pas encore activé"),
    "letter": gettext_lazy("compte activé avec le courrier"),
    "sms": gettext_lazy("inscription par SMS"),
}


def parents(establishments, *, search=""):
    users = (
        User.objects.filter(
            currently_in("", establishments), role=Role.PARENT, departed_at__isnull=True
        )
        .annotate(
            children=Count(
                "child_links",
                filter=Q(
                    child_links__reported_wrong_at__isnull=True,
                    child_links__child__departed_at__isnull=True,
                ),
                distinct=True,
            )
        )
        .select_related("parent_profile")
        .order_by("last_name", "first_name")
        .distinct()
    )
    if search:
        users = users.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(username__icontains=search)
        )
    users = sorted(users, key=lambda u: name_key(u.last_name, u.first_name))  # French order
    locked = lockout.locked_identifiers(u.username for u in users)
    rows = []
    for user in users:
        way = how(user)
        rows.append(
            {
                "user": user,
                "how": way,
                "how_label": HOW_LABELS[way],
                "children": user.children,
                "locked": user.username in locked,
                "expired": user.lifecycle_state() == LifecycleState.EXPIRED,
            }
        )
    return rows


def schools_of(establishments) -> dict:
    """{parent's pk: « École A, École B »}: where each parent is currently enrolled, among
    ``establishments`` (the staff member's), in one query."""
    names = {}
    for user_id, name in (
        Enrolment.objects.current()
        .filter(establishment__in=establishments, role=Role.PARENT)
        .order_by("establishment__name")
        .values_list("user_id", "establishment__name")
        .distinct()
    ):
        names.setdefault(user_id, []).append(name)
    return {user_id: ", ".join(found) for user_id, found in names.items()}


def counts(rows):
    found = {
        "known": len(rows),
        "letter": sum(row["how"] in {"letter", "letter_pending"} for row in rows),
        "sms": sum(row["how"] == "sms" for row in rows),
        "activated": sum(row["how"] in {"letter", "sms"} for row in rows),
        "linked": sum(row["children"] > 0 for row in rows),
    }
    return [{"key": key, "label": label, "count": found[key]} for key, label in STEPS]


def reported_links(establishments):
    """« Je ne suis pas le représentant légal de cet élève »: for the school to correct."""
    return (
        ParentLink.objects.filter(reported_wrong_at__isnull=False)
        .filter(currently_in("child", establishments))
        .select_related("parent", "child")
        .order_by("-reported_wrong_at")
        .distinct()
    )
