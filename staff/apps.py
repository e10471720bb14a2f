from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Secrétariat")

    def ready(self):
        from core.signals import worker_starting
        from staff.recovery import requeue_interrupted_batches

        worker_starting.connect(requeue_interrupted_batches, dispatch_uid="staff-requeue")
