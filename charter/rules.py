"""Who must accept the charter: written once here, applied once in charter.middleware."""

from django.db import connection
from django.utils import timezone

from charter.models import Acceptance
from core.sql import fetch

# Is there a charter in force (the highest published version) that this user has not accepted?
# One EXISTS, written once: compiling it through the ORM on every ENT and PRONOTE page cost
# several times the query itself (bench/README.md). tests/charter/test_rules.py
# checks it against the ORM's answer.
IN_FORCE_NOT_ACCEPTED = """
SELECT 1 FROM (
    SELECT id FROM charter_charter
    WHERE published_at IS NOT NULL AND published_at <= %s
    ORDER BY version DESC LIMIT 1
) in_force
WHERE NOT EXISTS (
    SELECT 1 FROM charter_acceptance WHERE charter_id = in_force.id AND user_id = %s
)
"""


def needs_acceptance(user, charter=None):
    """True for a signed-in user who has not accepted the charter in force.

    One query, on every ENT and PRONOTE page (the charter's text is not loaded)."""
    if not user.is_authenticated:
        return False
    if charter is not None:
        return not Acceptance.objects.filter(charter=charter, user=user).exists()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return bool(fetch(IN_FORCE_NOT_ACCEPTED, [now, user.pk]))
