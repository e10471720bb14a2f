from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Action, record
from charter.models import Acceptance, Charter


@transaction.atomic
def do_accept_charter(user, charter: Charter, *, ip=None, user_agent="") -> Acceptance:
    """Record that ``user`` accepted ``charter``. Accepting twice keeps the first record."""
    try:
        with transaction.atomic():
            acceptance = Acceptance.objects.create(
                user=user, charter=charter, ip=ip, user_agent=user_agent[:300]
            )
    except IntegrityError:
        return Acceptance.objects.get(user=user, charter=charter)
    record(
        Action.CHARTER_ACCEPTED,
        subject=user,
        actor=user,
        ip=ip,
        charter_version=charter.version,
    )
    return acceptance


@transaction.atomic
def do_publish_charter(charter: Charter, *, actor=None, ip=None) -> Charter:
    """Put ``charter`` in force now: every user is asked to accept it at their next ENT page."""
    charter = Charter.objects.select_for_update().get(pk=charter.pk)
    if charter.published_at is not None:
        return charter
    charter.published_at = timezone.now()
    charter.published_by = actor if actor and actor.pk else None
    charter.save(update_fields=["published_at", "published_by"])
    record(Action.CHARTER_PUBLISHED, actor=actor, ip=ip, charter_version=charter.version)
    return charter


def do_refuse_charter(user, charter: Charter | None, *, ip=None) -> None:
    """« Je refuse »: nothing is accepted; the refusal is recorded, so that a teacher can see
    why a pupil is stuck before the ENT."""
    record(
        Action.CHARTER_REFUSED,
        subject=user,
        actor=user,
        ip=ip,
        charter_version=charter.version if charter else None,
    )
