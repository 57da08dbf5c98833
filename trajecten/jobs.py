"""The nightly deadline job spread over the Celery workers (the tasks are in trajecten.tasks).

1. ``start`` (task ``run_deadline_job``): the open trajectories' ids are cut into ranges of at most
   ``DEADLINE_BATCH_SIZE``, of equal size, as many as a multiple of ``DEADLINE_WORKER_PROCESSES``; the run
   (``JobRun``) and one ``JobBatch`` per range are recorded in one transaction, and a Celery group of
   batch tasks is sent. Any number of workers share the group.
2. ``run_batch`` (task ``run_deadline_batch``, acks_late, reject_on_worker_lost): the range's trajectories
   are evaluated once each (trajecten.monitoring.sync_batch); signals, summaries and the batch's status
   "klaar" are committed in ONE transaction under the batch's row lock (operations.jobs.batch_work). A
   worker killed halfway commits nothing and its message goes back to the queue (the broker's visibility
   timeout, or at once when only a pool process died); the batch is then done by another worker. A batch
   delivered twice is done once.
3. The batch that leaves none open sends ``finish_deadline_run``: closed trajectories' signals, the
   absences from the personnel system, the day's notifications (recorded once: unique keys) and the
   run's totals, in one transaction under the run's row lock; then the mails go out
   (``NOTIFICATION_SENDERS`` ``send_notifications`` tasks side by side, each with its share of the mails,
   each mail marked sent as it goes).

An operator's run by hand (``manage.py run_deadline_job``) is ``run_here``: the same run, batches and end, one
after the other in the command's own process.

Why not a chord: Celery counts a chord's finished parts in the result backend, so a part delivered twice
would count twice (the callback fires early) or a part lost would never count. The database knows which
batches are done.

In development (CELERY_TASK_ALWAYS_EAGER) the group, the batches and the end run in-process, one after the
other, and ``start`` returns the finished run's counts.
"""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

from celery import group
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from operations.jobs import (
    batch_work,
    batches_left,
    capture_errors,
    close_abandoned_runs,
    fail_batch,
    finish_run,
    start_run,
)
from operations.models import JobBatch, JobRun

from . import absences, monitoring
from .evaluation import id_batches

log = logging.getLogger(__name__)

# A run not ended this long after its start lost batches (their messages); the next start closes it.
ABANDONED_AFTER = timedelta(hours=20)


def record(as_of: date, task_id: str = "", trigger: str = "celery") -> tuple[JobRun, list[int]]:
    """Record the run and its batches (or find them, for a start delivered twice); the run and the ids of
    its batches not done yet."""
    close_abandoned_runs(JobRun.Job.DEADLINES, timezone.now() - ABANDONED_AFTER)
    ids = list(monitoring.open_trajecten().order_by("pk").values_list("pk", flat=True))
    parts = id_batches(ids, settings.DEADLINE_BATCH_SIZE, settings.DEADLINE_WORKER_PROCESSES)
    run, _ = start_run(
        JobRun.Job.DEADLINES, trigger, task_id, parts, {"as_of": as_of.isoformat(), "dry_run": False}
    )
    return run, list(run.batches.exclude(status=JobBatch.Status.DONE).values_list("pk", flat=True))


def start(as_of: date, task_id: str = "", trigger: str = "celery") -> JobRun:
    """Record the run and its batches, and send the batch tasks (again, for a start delivered twice: a
    batch done already is skipped)."""
    from .tasks import finish_deadline_run, run_deadline_batch

    run, todo = record(as_of, task_id, trigger)
    if todo:
        group(run_deadline_batch.si(pk, as_of.isoformat()) for pk in todo).apply_async()
    elif run.finished_at is None:
        finish_deadline_run.delay(run.pk)
    run.refresh_from_db()
    return run


def run_here(as_of: date, trigger: str = "manueel") -> JobRun:
    """The whole run in this process, without the workers (the operator's ``run_deadline_job`` command): the
    same run, batches and end as the nightly one, absences from the personnel system included. A batch that
    breaks is recorded as failed (its work rolled back) and the run ends "Mislukt", as after the workers'
    last retry. The mails are left to ``monitoring.send_pending``."""
    run, todo = record(as_of, trigger=trigger)
    for batch_id in todo:
        try:
            run_batch(batch_id, as_of, "manueel")
        except Exception as exc:
            give_up(batch_id, exc)
    finish(run.pk)
    run.refresh_from_db()
    return run


def give_up(batch_id: int, exc: Exception) -> None:
    """A batch that broke for the last time (its work rolled back): recorded as failed, so that the run ends
    "Mislukt", and logged with the traceback (call it where ``exc`` is being handled)."""
    fail_batch(batch_id, exc, final=True)
    log.exception("deadline job: batch %s failed", batch_id, extra={"job_batch_id": batch_id})


def run_batch(batch_id: int, as_of: date, worker: str) -> int:
    """Do one batch (once, see operations.jobs.batch_work); the run's id."""
    with batch_work(batch_id, worker) as batch:
        if batch is None:
            return JobBatch.objects.values_list("run_id", flat=True).get(pk=batch_id)
        result = monitoring.JobResult(as_of=as_of)
        monitoring.run_range(batch.after, batch.up_to, as_of, result)
        if settings.DEADLINE_BATCH_STALL:  # test-only: hold the batch, uncommitted, to be killed
            time.sleep(settings.DEADLINE_BATCH_STALL)
        batch.counts, batch.error_count = result.counts(), result.errors
    return batch.run_id


def maybe_finish(run_id: int) -> None:
    """Counted after the batch's commit: of two batches finishing together, one at least sees none left
    (both may: the end is idempotent)."""
    from .tasks import finish_deadline_run

    if not batches_left(run_id):
        finish_deadline_run.delay(run_id)


def finish(run_id: int) -> bool:
    """The end of a run, once (under the run's row lock); False when it had ended already."""
    with transaction.atomic():
        run = JobRun.objects.select_for_update().get(pk=run_id)
        if run.finished_at is not None:
            return False
        as_of = date.fromisoformat(run.counts["as_of"])
        with capture_errors() as capture:
            result = monitoring.JobResult(as_of=as_of)
            monitoring.finish(as_of, result)
            raised, resolved = absences.sync_signals(as_of)
            counts = {
                "resolved": result.resolved,
                "notifications_recorded": result.notifications_recorded
                + absences.record_notifications(as_of),
                "absences_raised": raised,
                "absences_resolved": resolved,
            }
        finish_run(run, counts, capture.kept, capture.count)
    return True
