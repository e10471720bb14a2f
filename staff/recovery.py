"""A letter batch whose worker was killed (SIGKILL, a host lost) stays « en cours » with nothing
written: the passwords and the sealed PDF are written together, in one transaction, at the end
(staff/tasks.py). When a worker starts, such a batch is put back in the queue and made again from
the start: same people, new passwords, one PDF; a batch already written is never made twice.

One worker is the supported layout (docs/exploitation.md): a second worker starting while the
first makes a batch would make it again too; both runs write consistently (the last one wins,
its passwords with its PDF), with the re-issue audited twice."""

import logging

from staff.models import LetterBatch

logger = logging.getLogger(__name__)


def requeue_interrupted_batches(sender=None, **kwargs) -> int:
    from staff.tasks import make_letters

    interrupted = list(
        LetterBatch.objects.filter(status=LetterBatch.Status.RUNNING).values_list("pk", flat=True)
    )
    for pk in interrupted:
        # Back to « en attente », then queued: make_letters takes only a pending batch.
        if LetterBatch.objects.filter(pk=pk, status=LetterBatch.Status.RUNNING).update(
            status=LetterBatch.Status.PENDING, done=0
        ):
            make_letters.enqueue(pk)
            logger.warning("Letter batch %s interrupted by a stopped worker: queued again", pk)
    return len(interrupted)
