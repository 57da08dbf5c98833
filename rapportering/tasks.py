from celery import shared_task

from . import services


@shared_task(name="rapportering.tasks.generate_reports")
def generate_reports(ids: list[int]) -> dict:
    """Make queued reports (the download page shows each one's status while this runs)."""
    return services.generate(ids)


@shared_task(name="rapportering.tasks.refresh_year_figures")
def refresh_year_figures(years: list[int] | None = None) -> list[int]:
    """Nightly (beat schedule) and on AgO's request: recompute the dashboards' stored yearly figures."""
    return services.refresh_year_figures(years)
