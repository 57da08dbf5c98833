"""Recording the runs of the periodic jobs (``JobRun``), for the operator's status page.

Every job entry point wraps its work in ``record_run``::

    with record_run(JobRun.Job.DEADLINES) as run:
        result = monitoring.run(...)
        run.counts = result.as_dict()
        run.error_count = result.errors

Errors the job logs while it runs (level ERROR, from the running thread) are kept with the run: the
message, the exception type and the dossier id when the log call passed ``extra={"traject_id": ...}``.
A run that raises is stored as failed, with the exception type, and the exception goes on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from .models import JobRun

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
def record_run(job: str, trigger: str = "celery") -> Iterator[JobRun]:
    run = JobRun.objects.create(job=job, trigger=trigger)
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
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
        root.removeHandler(capture)
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
