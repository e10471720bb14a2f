"""``manage.py db_worker``: django-tasks' database worker, which

- first tells the rooms that a worker is starting (core.signals.worker_starting), so that work
  a killed worker left half-way is queued again (staff: letter batches);
- outlives a database restart: when PostgreSQL goes away, it waits, reconnects and goes on (the
  task under way, interrupted, is put back in the queue by the same signal), instead of exiting
  and leaving the letters to nobody.

This app is before django_tasks_db in INSTALLED_APPS: its command of the same name is the one
Django runs."""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from core.signals import worker_starting

logger = logging.getLogger(__name__)

# How long the worker waits before trying the database again.
RECONNECT_PAUSE_SECONDS = 2


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        while True:
            try:
                for receiver, requeued in worker_starting.send(sender=self.__class__):
                    if requeued:
                        self.stdout.write(f"{receiver.__module__}: {requeued} remis en file")
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as exc:
                # Ctrl-C and SIGTERM still stop it: the worker's own handlers end the process.
                logger.warning("Database unavailable (%s): the worker waits and goes on", exc)
                connections.close_all()
                time.sleep(RECONNECT_PAUSE_SECONDS)
