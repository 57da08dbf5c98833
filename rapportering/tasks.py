from datetime import date

from celery import shared_task

from entiteiten.models import Entiteit
from operations.jobs import record_run
from operations.models import JobRun

from . import figures as fg
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


@shared_task(name="rapportering.tasks.compute_period_figures")
def compute_period_figures(start: str, end: str, entiteit_id: int | None = None) -> str:
    """A dashboard period that is not a calendar year, too large to compute in the request (views.figures):
    its figures, kept in the cache for the page that asked. Returns the cache key."""
    periode = fg.Periode(date.fromisoformat(start), date.fromisoformat(end))
    entiteit = Entiteit.objects.get(pk=entiteit_id) if entiteit_id else None
    # (not a JobRun: the status page's "figures" are the nightly refresh, whose lateness this must not hide)
    services.store_period(periode, entiteit)
    return services.period_key(periode, entiteit_id)
