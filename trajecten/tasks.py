from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from operations.jobs import fail_batch, record_run
from operations.models import JobBatch, JobRun

from . import jobs, monitoring

# The deadline job's tasks are acknowledged after they ran (acks_late, the default in settings) and given
# back to the queue when their worker process dies (reject_on_worker_lost): each is idempotent.
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="trajecten.tasks.run_deadline_job", bind=True, **RELIABLE)
def run_deadline_job(self, as_of: str | None = None, dry_run: bool = False) -> dict:
    """The daily job (beat schedule in settings): signals for every open trajectory and for absences of 4
    weeks or more without a trajectory (personnel system), then notifications. Spread over the workers in
    batches (trajecten.jobs); returns the run's counts when it has finished (in-process: at once), else
    the run and its number of batches. A dry run evaluates in this process and writes nothing."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    if dry_run:
        with record_run(JobRun.Job.DEADLINES) as run:
            job = monitoring.run(day, dry_run=True)
            run.counts, run.error_count = job.as_dict(), job.errors
        return job.as_dict()
    run = jobs.start(day, task_id=self.request.id or "")
    if run.finished_at is not None:
        return run.counts
    return {"as_of": day.isoformat(), "run": run.pk, "batches": run.batches.count()}


@shared_task(name="trajecten.tasks.run_deadline_batch", bind=True, max_retries=3, **RELIABLE)
def run_deadline_batch(self, batch_id: int, as_of: str) -> None:
    """One batch of the deadline job. A batch that breaks (its work rolled back) is retried on its own,
    30 s later; after 3 retries (in-process: at once) it is recorded as failed and the run ends "Mislukt"."""
    try:
        run_id = jobs.run_batch(batch_id, date.fromisoformat(as_of), self.request.hostname or "in-process")
    except Exception as exc:
        if not (self.app.conf.task_always_eager or self.request.retries >= self.max_retries):
            fail_batch(batch_id, exc, final=False)
            raise self.retry(exc=exc, countdown=30) from exc
        jobs.give_up(batch_id, exc)
        run_id = JobBatch.objects.values_list("run_id", flat=True).get(pk=batch_id)
    jobs.maybe_finish(run_id)


@shared_task(name="trajecten.tasks.finish_deadline_run", **RELIABLE)
def finish_deadline_run(run_id: int) -> None:
    """The end of a run (once): absences, notifications, totals; then the mails (sent once each)."""
    jobs.finish(run_id)
    # also when the run had ended: this delivery may follow a kill before it. Side by side, each sender its
    # own share of the mails (each mail tried once per round): the mail server's latency is paid in parallel.
    senders = max(1, settings.NOTIFICATION_SENDERS)
    for part in range(senders):
        send_notifications.delay(part, senders)


@shared_task(name="trajecten.tasks.send_notifications", bind=True, max_retries=5)
def send_notifications(self, part: int = 0, parts: int = 1) -> dict:
    """Send what was recorded and not yet sent (of ``parts`` senders side by side, share ``part``). A failed
    send is retried later, never duplicated."""
    with record_run(JobRun.Job.NOTIFICATIONS) as run:
        sent, failed = monitoring.send_pending(part=part, parts=parts)
        run.counts = {"sent": sent, "failed": failed}
        run.error_count = failed
    if failed and not self.app.conf.task_always_eager:
        raise self.retry(countdown=300)
    return {"sent": sent, "failed": failed}


@shared_task(name="trajecten.tasks.importeer_afwezigheden")
def importeer_afwezigheden(import_id: int) -> dict:
    """Check and apply an uploaded file of absence periods (all or nothing)."""
    from .services import afwezigheden

    imp = afwezigheden.verwerken(import_id)
    return {"status": imp.status, "nieuw": imp.nieuw, "vervangen": imp.vervangen, "fouten": len(imp.fouten)}


@shared_task(name="trajecten.tasks.purge_form_tokens")
def purge_form_tokens(days: int = 2) -> int:
    """Forget the one-time tokens of forms submitted more than ``days`` ago (a double submit comes within
    seconds; the tokens protect nothing after that)."""
    from datetime import timedelta

    from .models import FormSubmission

    deleted, _ = FormSubmission.objects.filter(
        aangemaakt_op__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted
