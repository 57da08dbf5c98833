from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntiteitenConfig(AppConfig):
    name = "entiteiten"
    verbose_name = _("Entiteiten en gebruikers")

    def ready(self):
        from . import oidc  # noqa: F401 - registers the single sign-on configuration check
