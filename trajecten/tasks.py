from datetime import date

from celery import shared_task
from django.utils import timezone

from operations.jobs import record_run
from operations.models import JobRun

from . import absences, monitoring


@shared_task(name="trajecten.tasks.run_deadline_job")
def run_deadline_job(as_of: str | None = None, dry_run: bool = False) -> dict:
    """The daily job (beat schedule in settings): signals for every open trajectory and for absences of 4
    weeks or more without a trajectory (personnel system), then notifications."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    with record_run(JobRun.Job.DEADLINES) as run:
        job = monitoring.run(day, dry_run=dry_run)
        result = job.as_dict()
        if not dry_run:
            raised, resolved = absences.sync_signals(day)
            result["absences_raised"], result["absences_resolved"] = raised, resolved
            result["notifications_recorded"] += absences.record_notifications(day)
        run.counts, run.error_count = result, job.errors
    if not dry_run:
        send_notifications.delay()
    return result


@shared_task(name="trajecten.tasks.send_notifications", bind=True, max_retries=5)
def send_notifications(self) -> dict:
    """Send what was recorded and not yet sent. A failed send is retried later, never duplicated."""
    with record_run(JobRun.Job.NOTIFICATIONS) as run:
        sent, failed = monitoring.send_pending()
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
