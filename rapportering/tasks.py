from celery import shared_task

from . import services


@shared_task(name="rapportering.tasks.generate_reports")
def generate_reports(ids: list[int]) -> dict:
    """Make queued reports (the download page shows each one's status while this runs)."""
    return services.generate(ids)
