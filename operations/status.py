"""The operator's view of the periodic jobs: the last run of each, and whether a daily one is late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .models import JobRun

DAILY = (JobRun.Job.DEADLINES, JobRun.Job.FIGURES, JobRun.Job.RETENTION)
OTHER = (JobRun.Job.NOTIFICATIONS, JobRun.Job.REPORTS)
LATE_AFTER = timedelta(hours=26)  # a daily job that did not succeed for this long needs a look


@dataclass
class JobStatus:
    job: str
    label: str
    daily: bool
    last: JobRun | None
    last_success: JobRun | None
    late: bool


def job_statuses(now=None) -> list[JobStatus]:
    """One query per job kind (a handful): the last run and the last successful one."""
    now = now or timezone.now()
    out = []
    for job in (*DAILY, *OTHER):
        runs = JobRun.objects.filter(job=job)
        last = runs.first()
        success = runs.filter(status__in=[JobRun.Status.OK, JobRun.Status.ERRORS]).first()
        late = job in DAILY and (success is None or now - success.started_at > LATE_AFTER)
        out.append(JobStatus(job, JobRun.Job(job).label, job in DAILY, last, success, late))
    return out
