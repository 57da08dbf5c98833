from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a periodic job, written by the job's entry point (its Celery task or command).

    The operator's status page (admin, "Status van de dagelijkse taken") shows the last runs with their
    counts and errors. Errors hold ids and exception types, never names or free text.
    """

    class Job(models.TextChoices):
        DEADLINES = "deadlines", _("Termijnbewaking")
        NOTIFICATIONS = "notifications", _("E-mails versturen")
        FIGURES = "figures", _("Jaarcijfers voor de dashboards")
        REPORTS = "reports", _("Jaarrapporten opmaken")
        RETENTION = "retention", _("Bewaartermijn en leeslog opschonen")

    class Status(models.TextChoices):
        RUNNING = "running", _("Bezig")
        OK = "ok", _("Geslaagd")
        ERRORS = "errors", _("Geslaagd met fouten")
        FAILED = "failed", _("Mislukt")

    job = models.CharField(_("taak"), max_length=30, choices=Job.choices)
    trigger = models.CharField(_("gestart door"), max_length=30, default="celery")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    errors = models.JSONField(_("foutmeldingen"), default=list, blank=True)

    class Meta:
        verbose_name = _("uitvoering van een taak")
        verbose_name_plural = _("status van de dagelijkse taken")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self):
        return f"{self.get_job_display()} {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def counts_text(self) -> str:
        """The counts in a stable order (PostgreSQL's jsonb does not keep the order they were written in)."""
        return ", ".join(f"{k}: {v}" for k, v in sorted((self.counts or {}).items()))

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None
