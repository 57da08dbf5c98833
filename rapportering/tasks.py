from celery import shared_task

from operations.jobs import record_run
from operations.models import JobRun

from . import services


@shared_task(name="rapportering.tasks.generate_reports")
def generate_reports(ids: list[int]) -> dict:
    """Make queued reports (the download page shows each one's status while this runs)."""
    with record_run(JobRun.Job.REPORTS) as run:
        result = services.generate(ids)
        run.counts = result
        run.error_count = result.get("failed", 0)
    return result


@shared_task(name="rapportering.tasks.refresh_year_figures")
def refresh_year_figures(years: list[int] | None = None) -> list[int]:
    """Nightly (beat schedule) and on AgO's request: recompute the dashboards' stored yearly figures."""
    with record_run(JobRun.Job.FIGURES) as run:
        done = services.refresh_year_figures(years)
        run.counts = {"jaren": done}
    return done
