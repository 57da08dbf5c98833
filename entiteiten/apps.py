from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntiteitenConfig(AppConfig):
    name = "entiteiten"
    verbose_name = _("Entiteiten en gebruikers")
