from datetime import date

from celery import shared_task

from operations.jobs import record_run
from operations.models import JobRun

from . import retention


def run_retention(as_of: date | None = None, dry_run: bool = False, trigger: str = "celery"):
    """The retention job; a real run is recorded for the status page, a dry run is not."""
    if dry_run:
        return retention.run(as_of, dry_run=True)
    with record_run(JobRun.Job.RETENTION, trigger=trigger) as run:
        result = retention.run(as_of)
        run.counts = result.as_dict()
    return result


@shared_task(name="privacy.tasks.apply_retention")
def apply_retention(as_of: str | None = None, dry_run: bool = False) -> dict:
    """Nightly (beat schedule): anonymise dossiers past the retention period, purge the read log."""
    return run_retention(date.fromisoformat(as_of) if as_of else None, dry_run).as_dict()
