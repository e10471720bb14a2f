"""Who must accept the charter: written once here, applied once in charter.middleware."""

from charter.models import Acceptance, Charter


def needs_acceptance(user, charter=None):
    """True for a signed-in user who has not accepted the charter in force."""
    if not user.is_authenticated:
        return False
    charter = charter or Charter.objects.current()
    if charter is None:
        return False
    return not Acceptance.objects.filter(user=user, charter=charter).exists()
