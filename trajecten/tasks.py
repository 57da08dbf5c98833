from datetime import date

from celery import shared_task

from . import monitoring


@shared_task(name="trajecten.tasks.run_deadline_job")
def run_deadline_job(as_of: str | None = None, dry_run: bool = False) -> dict:
    """The daily job (beat schedule in settings): signals for every open trajectory, then notifications."""
    result = monitoring.run(date.fromisoformat(as_of) if as_of else None, dry_run=dry_run)
    if not dry_run:
        send_notifications.delay()
    return result.as_dict()


@shared_task(name="trajecten.tasks.send_notifications", bind=True, max_retries=5)
def send_notifications(self) -> dict:
    """Send what was recorded and not yet sent. A failed send is retried later, never duplicated."""
    sent, failed = monitoring.send_pending()
    if failed and not self.app.conf.task_always_eager:
        raise self.retry(countdown=300)
    return {"sent": sent, "failed": failed}
