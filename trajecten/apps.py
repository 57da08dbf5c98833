from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrajectenConfig(AppConfig):
    name = "trajecten"
    verbose_name = _("Re-integratietrajecten")

    def ready(self):
        from . import zoeknaam

        post_migrate.connect(zoeknaam.after_migrate, sender=self, dispatch_uid="trajecten_zoeknaam_triggers")
