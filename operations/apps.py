from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Werking")

    def ready(self):
        from . import celery_signals  # noqa: F401 - connects the task id to the log lines
