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
    # The Celery task that started a run spread over batches: a redelivered start finds its run again.
    task_id = models.CharField(_("taak-id"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("uitvoering van een taak")
        verbose_name_plural = _("status van de dagelijkse taken")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job", "-started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["task_id"], condition=~models.Q(task_id=""), name="jobrun_een_per_taak"
            )
        ]

    def __str__(self):
        return f"{self.get_job_display()} {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def counts_text(self) -> str:
        """The counts in a stable order (PostgreSQL's jsonb does not keep the order they were written in)."""
        return ", ".join(f"{k}: {v}" for k, v in sorted((self.counts or {}).items()))

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None


class JobBatch(models.Model):
    """One batch of a run spread over the Celery workers (the deadline job: a range of trajectory ids).

    A batch's work and its status "klaar" are committed in one transaction, under a lock on this row: a
    batch redelivered after a worker died (or delivered twice) is done once; "bezig" with a dead worker's
    name and a later attempt by another worker is what the operator sees of a kill.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    run = models.ForeignKey(
        JobRun, verbose_name=_("uitvoering"), on_delete=models.CASCADE, related_name="batches"
    )
    number = models.PositiveIntegerField(_("nummer"))
    after = models.BigIntegerField(_("na id"))
    up_to = models.BigIntegerField(_("tot en met id"), null=True, blank=True)  # None: to the end
    size = models.PositiveIntegerField(_("gepland aantal"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    errors = models.JSONField(_("foutmeldingen"), default=list, blank=True)

    class Meta:
        verbose_name = _("deel van een uitvoering")
        verbose_name_plural = _("delen van een uitvoering")
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="jobbatch_nummer_uniek")]

    def __str__(self):
        return f"{self.run} #{self.number}"

    @property
    def counts_text(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted((self.counts or {}).items()))
