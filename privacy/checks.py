"""System checks (``manage.py check --deploy``): a production deployment must have decided the retention."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def retention_is_decided(app_configs, **kwargs):
    if settings.RETENTION_YEARS is None:
        return [
            Warning(
                "RETENTION_YEARS is not set: closed dossiers are never anonymised.",
                hint="Set the retention period in years decided by AgO with the data protection officer "
                "(README, 'Retention (storage limitation)').",
                id="privacy.W001",
            )
        ]
    return []
