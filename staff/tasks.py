"""Background jobs (``manage.py db_worker``): every letter printing, class reset and import
(staff/jobs.py starts them).

The passwords are hashed and the PDF rendered and sealed first, with no transaction open; then
one short transaction writes the accounts and the sealed PDF together, so a failure leaves no
account whose password nobody has, and pupils signing in meanwhile never wait for the batch.
Progress is written in the batch's row, which every process reads (the worker is another
process than the web server, and the local-memory cache is per process).
"""

import logging

from django.utils.translation import gettext as _
from django_tasks import task
from nacl.public import PublicKey, SealedBox

from accounts.actions import purge_practice_classes
from accounts.models import User
from schools.rules import people_in_hands_of
from staff.actions import (
    import_with_letters,
    purge_letter_batches,
    reissue_with_letters,
    reset_class_with_letters,
    same_letters,
    same_letters_again,
)
from staff.importer import plan_import
from staff.letters import letters_pdf
from staff.models import LetterBatch

logger = logging.getLogger(__name__)


@task()
def make_letters(batch_id):
    # The worker is the one process sure to run daily work.
    purge_letter_batches()
    purge_practice_classes()
    batches = LetterBatch.objects.filter(pk=batch_id)
    if not batches.filter(status=LetterBatch.Status.PENDING).update(
        status=LetterBatch.Status.RUNNING
    ):
        return  # already run, or purged while waiting
    batch = batches.select_related("establishment", "created_by", "school_class").get()
    box = SealedBox(PublicKey(bytes.fromhex(batch.public_key)))

    def report(done):
        batches.update(done=done)

    def letters(prepared):
        pdf = letters_pdf(prepared, batch.portal_url, per_page=batch.per_page)
        return box.encrypt(pdf), len(prepared)

    def save(made):
        sealed, total = made
        batches.update(
            status=LetterBatch.Status.DONE,
            sealed_pdf=sealed,
            total=total,
            done=total,
            import_data=None,
        )

    try:
        if batch.kind == LetterBatch.Kind.IMPORT or batch.import_data is not None:
            plan = plan_import(bytes(batch.import_data), batch.establishment)
            import_with_letters(
                plan,
                batch.establishment,
                letters=letters,
                save=save,
                actor=batch.created_by,
                ip=batch.ip,
                progress=report,
            )
            return
        users = _still_in_hands(batch)
        if batch.kind == LetterBatch.Kind.CLASS_RESET and batch.school_class is None:
            raise ValueError(_("Cette classe a été supprimée entre-temps."))
        if batch.school_class is not None:
            # Only those still enrolled in the class: a practice class's same letters are
            # never given to anyone else (staff.actions.same_letters).
            users = users.filter(
                enrolments__school_class=batch.school_class, enrolments__left_at__isnull=True
            ).distinct()
        users = list(users)
        if not users:
            raise ValueError(_("Aucun de ces comptes n'est plus entre vos mains."))
        batches.update(total=len(users))
        if batch.kind == LetterBatch.Kind.CLASS_RESET:
            reset_class_with_letters(
                batch.school_class,
                pupils=users,
                letters=letters,
                save=save,
                actor=batch.created_by,
                ip=batch.ip,
                progress=report,
            )
        elif batch.kind == LetterBatch.Kind.REPRINT:
            save(letters(same_letters_again(users, batch.school_class)))
        else:
            reissue_with_letters(
                users,
                letters=letters,
                save=save,
                actor=batch.created_by,
                ip=batch.ip,
                progress=report,
                password_for=same_letters(batch.school_class),
            )
    except Exception as exc:  # reported on the progress page; nothing was kept
        logger.exception("Letter batch %s failed", batch_id)
        batches.update(status=LetterBatch.Status.FAILED, error=str(exc)[:500], import_data=None)


def _still_in_hands(batch):
    """The batch's accounts, checked again when the job runs: a family may have spanned
    another school since it was queued (schools/rules.py)."""
    users = User.objects.filter(pk__in=batch.user_ids).order_by("last_name", "first_name")
    return users.filter(pk__in=people_in_hands_of(batch.created_by))
