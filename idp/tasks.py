"""Single sign-out in the background (``manage.py db_worker``, the letter batches' queue): the
sign-out's request only writes its notices and queues one job; this job tells every service at
once (idp/logout.py, ``deliver``), then tries again, later, those that did not answer."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from idp import logout as single_logout
from idp.models import LogoutNotice

logger = logging.getLogger(__name__)


@task()
def notify_services(notice_ids):
    """Tell the services of these notices that their portal session ended. Told (or nothing to
    tell: no signing key) → the notice is deleted; no answer → tried again after
    IDP_LOGOUT_RETRY_SECONDS × attempts, IDP_LOGOUT_ATTEMPTS times in all, then given up."""
    notices = list(LogoutNotice.objects.filter(pk__in=notice_ids).select_related("service"))
    if not notices:
        return
    outcomes = single_logout.deliver(notices)
    again, done = [], []
    for notice in notices:
        if outcomes.get(notice.pk) != single_logout.FAILED:
            done.append(notice.pk)
            continue
        notice.attempts += 1
        if notice.attempts < settings.IDP_LOGOUT_ATTEMPTS:
            again.append(notice)
        else:
            logger.error(
                "Single sign-out to %s given up after %s attempts", notice.url, notice.attempts
            )
            done.append(notice.pk)
    LogoutNotice.objects.filter(pk__in=done).delete()
    if again:
        LogoutNotice.objects.bulk_update(again, ["attempts"])
        delay = settings.IDP_LOGOUT_RETRY_SECONDS * max(n.attempts for n in again)
        notify_services.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            [notice.pk for notice in again]
        )
