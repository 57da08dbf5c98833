"""Recording the runs of the periodic jobs (``JobRun``), for the operator's status page.

Every job entry point wraps its work in ``record_run``::

    with record_run(JobRun.Job.DEADLINES) as run:
        result = monitoring.run(...)
        run.counts = result.as_dict()
        run.error_count = result.errors

Errors the job logs while it runs (level ERROR, from the running thread) are kept with the run: the
message, the exception type and the dossier id when the log call passed ``extra={"traject_id": ...}``.
A run that raises is stored as failed, with the exception type, and the exception goes on.

A run spread over the Celery workers (the deadline job) is recorded in parts: ``start_run`` creates the run
with its batches (``JobBatch``), each batch task does its work inside ``batch_work`` (work and status
committed together, once), and ``finish_run`` closes the run with the batches' counts and errors.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import JobBatch, JobRun

log = logging.getLogger(__name__)
MAX_ERRORS_KEPT = 50


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.thread = threading.get_ident()
        self.count = 0
        self.kept: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        self.count += 1
        if len(self.kept) < MAX_ERRORS_KEPT:
            entry = {"message": record.getMessage()[:300]}
            if record.exc_info and record.exc_info[0] is not None:
                entry["exception"] = record.exc_info[0].__name__
            if getattr(record, "traject_id", None) is not None:
                entry["traject_id"] = record.traject_id
            self.kept.append(entry)


@contextmanager
def capture_errors() -> Iterator[_Capture]:
    """Keep the ERROR log records of this thread while the block runs (``.count``, ``.kept``)."""
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)


@contextmanager
def record_run(job: str, trigger: str = "celery") -> Iterator[JobRun]:
    run = JobRun.objects.create(job=job, trigger=trigger)
    with capture_errors() as capture:
        try:
            yield run
        except BaseException as exc:
            run.status = JobRun.Status.FAILED
            run.errors = [*capture.kept, {"message": "de taak brak af", "exception": type(exc).__name__}]
            run.error_count = max(run.error_count, capture.count) + 1
            raise
        else:
            run.errors = capture.kept
            run.error_count = max(run.error_count, capture.count)
            run.status = JobRun.Status.ERRORS if run.error_count else JobRun.Status.OK
        finally:
            run.finished_at = timezone.now()
            try:
                run.save()
            except Exception:  # noqa: BLE001 - recording must not hide the job's own result or error
                log.exception("job run %s could not be recorded", run.pk, extra={"job": job})
            log.info(
                "job %s finished: %s",
                job,
                run.status,
                extra={"job": job, "job_run_id": run.pk, "status": run.status},
            )


# --- runs spread over workers -------------------------------------------------------------------------


def start_run(
    job: str, trigger: str, task_id: str, parts: Sequence[tuple[int, int | None, int]], counts: dict
) -> tuple[JobRun, bool]:
    """The run of ``task_id`` with one batch per part ``(after, up_to, size)``; (run, created). A start task
    delivered again (its worker died after this) finds the run it created, with its batches."""
    if task_id and (run := JobRun.objects.filter(task_id=task_id).first()) is not None:
        return run, False
    with transaction.atomic():
        run = JobRun.objects.create(job=job, trigger=trigger, task_id=task_id or "", counts=counts)
        JobBatch.objects.bulk_create(
            JobBatch(run=run, number=i, after=after, up_to=up_to, size=size)
            for i, (after, up_to, size) in enumerate(parts, start=1)
        )
    return run, True


@contextmanager
def batch_work(batch_id: int, worker: str) -> Iterator[JobBatch | None]:
    """Do a batch's work once. Yields the batch, or None when it is done already (a redelivery).

    "Bezig" (with the worker and the attempt) is committed first, for the operator. The work then runs in
    one transaction that holds the batch's row lock and ends with the status "klaar": a second delivery
    waits for the lock and finds the batch done; a worker that dies rolls its work back and frees the
    lock, and the redelivered batch is done again from scratch. The caller sets ``counts`` and
    ``error_count``; ERROR log records of the block are kept with the batch.
    """
    JobBatch.objects.filter(pk=batch_id).exclude(status=JobBatch.Status.DONE).update(
        status=JobBatch.Status.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker[:200],
        started_at=timezone.now(),
    )
    with transaction.atomic():
        batch = JobBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == JobBatch.Status.DONE:
            yield None
            return
        with capture_errors() as capture:
            yield batch
        batch.status = JobBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.errors = capture.kept
        batch.error_count = max(batch.error_count, capture.count)
        batch.save()


def fail_batch(batch_id: int, exc: BaseException, final: bool) -> None:
    """A batch's attempt broke (its work was rolled back): keep the exception type; ``final``: no retry."""
    batch = JobBatch.objects.get(pk=batch_id)
    if batch.status == JobBatch.Status.DONE:
        return
    batch.errors = [*batch.errors, {"message": "het deel brak af", "exception": type(exc).__name__}][
        -MAX_ERRORS_KEPT:
    ]
    batch.error_count += 1
    if final:
        batch.status, batch.finished_at = JobBatch.Status.FAILED, timezone.now()
    batch.save(update_fields=["errors", "error_count", "status", "finished_at"])


def batches_left(run_id: int) -> int:
    return (
        JobBatch.objects.filter(run_id=run_id)
        .exclude(status__in=[JobBatch.Status.DONE, JobBatch.Status.FAILED])
        .count()
    )


def finish_run(run: JobRun, counts: dict, errors: list[dict], error_count: int) -> None:
    """Close a (locked) run: its counts are the batches' summed, with ``counts`` added; errors likewise."""
    batches = list(run.batches.all())
    total: dict = {}
    for b in batches:
        for name, value in b.counts.items():
            if isinstance(value, int) and not isinstance(value, bool):
                total[name] = total.get(name, 0) + value
    for name, value in counts.items():
        total[name] = (
            total.get(name, 0) + value if isinstance(value, int) and not isinstance(value, bool) else value
        )
    failed = [b for b in batches if b.status == JobBatch.Status.FAILED]
    total |= {"batches": len(batches), "workers": len({b.worker for b in batches if b.worker})}
    kept = [e for b in batches for e in b.errors] + errors
    run.counts = {**run.counts, **total}
    run.errors = kept[:MAX_ERRORS_KEPT]
    run.error_count = sum(b.error_count for b in batches) + error_count
    run.status = (
        JobRun.Status.FAILED if failed else JobRun.Status.ERRORS if run.error_count else JobRun.Status.OK
    )
    run.finished_at = timezone.now()
    run.save()
    log.info(
        "job %s finished: %s",
        run.job,
        run.status,
        extra={"job": run.job, "job_run_id": run.pk, "status": run.status},
    )


def close_abandoned_runs(job: str, older_than) -> int:
    """Runs of ``job`` started before ``older_than`` that never ended (their batches' messages were lost,
    e.g. Redis emptied): recorded as failed, with how many batches were left, so the status page does not
    show them as running forever."""
    closed = 0
    for run in JobRun.objects.filter(job=job, finished_at__isnull=True, started_at__lt=older_than):
        left = batches_left(run.pk)
        run.errors = [*run.errors, {"message": f"niet afgewerkt: {left} delen bleven open"}][
            -MAX_ERRORS_KEPT:
        ]
        run.error_count += 1
        run.status, run.finished_at = JobRun.Status.FAILED, timezone.now()
        run.save(update_fields=["errors", "error_count", "status", "finished_at"])
        closed += 1
    return closed
