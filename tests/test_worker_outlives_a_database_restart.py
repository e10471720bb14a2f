"""``manage.py db_worker`` outlives a database restart: it waits, reconnects and goes on (and
queues again what the interruption left « en cours »), instead of exiting."""

from unittest import mock

from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from core.management.commands import db_worker
from core.signals import worker_starting


def test_the_worker_goes_on_after_the_database_went_away(db):
    runs = []

    def run(self, *args, **options):
        runs.append(options)
        if len(runs) < 3:
            raise OperationalError("the database system is shutting down")

    starts = []

    def starting(sender, **kwargs):
        starts.append(sender)

    worker_starting.connect(starting)
    try:
        with (
            mock.patch.object(DatabaseWorker, "handle", run),
            mock.patch.object(db_worker, "RECONNECT_PAUSE_SECONDS", 0),
            # Its connections are closed to be opened again (the test's own stays open here).
            mock.patch.object(db_worker, "connections") as connections,
        ):
            call_command("db_worker", "--batch")
    finally:
        worker_starting.disconnect(starting)
    assert len(runs) == 3  # twice interrupted, then it ran to its end
    assert len(starts) == 3  # each time, what was left half-way is queued again
    assert connections.close_all.call_count == 2
