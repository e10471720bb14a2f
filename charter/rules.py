"""Who must accept the charter: written once here, applied once in charter.middleware."""

from django.db.models import Subquery

from charter.models import Charter


def needs_acceptance(user, charter=None):
    """True for a signed-in user who has not accepted the charter in force.

    One query, on every ENT and PRONOTE page: is there a charter in force that this user has
    not accepted? (The charter's text is not loaded.)"""
    if not user.is_authenticated:
        return False
    if charter is None:
        in_force = Charter.objects.published().order_by("-version").values("pk")[:1]
        charters = Charter.objects.filter(pk=Subquery(in_force))
    else:
        charters = Charter.objects.filter(pk=charter.pk)
    return charters.exclude(acceptances__user=user).exists()
