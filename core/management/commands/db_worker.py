"""``manage.py db_worker``: django-tasks' database worker, which first tells the rooms that a
worker is starting (core.signals.worker_starting), so that work a killed worker left half-way
is queued again (staff: letter batches). This app is before django_tasks_db in INSTALLED_APPS:
its command of the same name is the one Django runs."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from core.signals import worker_starting


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        for receiver, requeued in worker_starting.send(sender=self.__class__):
            if requeued:
                self.stdout.write(f"{receiver.__module__}: {requeued} remis en file")
        return super().handle(*args, **options)
