"""Background jobs: letters for a large selection or a large import.

One transaction per batch: the accounts are issued and the PDF is made and sealed together, so
a failure leaves no account whose password nobody has. Progress goes through the shared cache,
which other connections can read while the transaction is open.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django_tasks import task
from nacl.public import PublicKey, SealedBox

from accounts.actions import do_import_pupils, do_issue_many
from accounts.importer import plan_import
from accounts.letters import letters_pdf
from accounts.models import LetterBatch, User

logger = logging.getLogger(__name__)


def progress(batch):
    """(done, total) as seen from outside the job."""
    return cache.get(batch.progress_key, 0), batch.total


@task()
def make_letters(batch_id):
    batch = LetterBatch.objects.get(pk=batch_id)
    LetterBatch.objects.filter(pk=batch_id).update(status=LetterBatch.Status.RUNNING)

    def report(done):
        cache.set(batch.progress_key, done, timeout=24 * 3600)

    try:
        with transaction.atomic():
            if batch.import_data is not None:
                plan = plan_import(bytes(batch.import_data), batch.establishment)
                issued = do_import_pupils(
                    plan, batch.establishment, actor=batch.created_by, progress=report
                )
            else:
                users = User.objects.filter(pk__in=batch.user_ids).order_by("last_name")
                issued = do_issue_many(users, actor=batch.created_by, progress=report)
            pdf = letters_pdf(issued, batch.portal_url)
            sealed = SealedBox(PublicKey(bytes.fromhex(batch.public_key))).encrypt(pdf)
            LetterBatch.objects.filter(pk=batch_id).update(
                status=LetterBatch.Status.DONE,
                sealed_pdf=sealed,
                total=len(issued),
                import_data=None,
            )
    except Exception as exc:  # reported on the progress page; nothing was kept
        logger.exception("Letter batch %s failed", batch_id)
        LetterBatch.objects.filter(pk=batch_id).update(
            status=LetterBatch.Status.FAILED, error=str(exc)[:500], import_data=None
        )
