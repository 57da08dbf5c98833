from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadLogEntry(models.Model):
    """Who read which dossier, when, and what (GDPR accountability). Ids and codes only: no free text.

    Written by ``privacy.middleware.ReadLogMiddleware`` after a successful response; kept for
    ``READ_LOG_RETENTION_DAYS`` (purged by the nightly retention job); AgO sees it per dossier. The ids are
    plain integers, not foreign keys: the log outlives nothing it points to and never blocks a deletion.
    """

    class Soort(models.TextChoices):
        DOSSIER = "dossier", _("Dossier bekeken")
        HISTORIEK = "historiek", _("Historiek bekeken")
        FORMULIER = "formulier", _("Registratieformulier geopend")
        INZAGEVERZOEK = "inzageverzoek", _("Inzageverzoek (PDF) gedownload")
        DOWNLOAD = "download", _("Download met namen")
        BEHEER = "beheer", _("Bekeken in het beheer")

    tijdstip = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    soort = models.CharField(_("wat"), max_length=20, choices=Soort.choices)
    traject_id = models.PositiveBigIntegerField(_("traject"), null=True, blank=True)
    personeelslid_id = models.PositiveBigIntegerField(_("personeelslid"), null=True, blank=True)
    view = models.CharField(_("pagina"), max_length=100)
    request_id = models.CharField(_("request-id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("raadpleging")
        verbose_name_plural = _("raadplegingen (leeslog)")
        ordering = ["-tijdstip", "-id"]
        indexes = [
            models.Index(fields=["traject_id", "-tijdstip"]),
            models.Index(fields=["personeelslid_id", "-tijdstip"]),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} {self.tijdstip:%d/%m/%Y %H:%M}"


class Anonymisation(models.Model):
    """A staff member whose data was anonymised by the retention job (``privacy.retention``).

    Marks the work as done, so the job is idempotent and restartable and the operator can see when.
    """

    personeelslid = models.OneToOneField(
        "trajecten.Personeelslid", on_delete=models.CASCADE, related_name="anonimisering"
    )
    uitgevoerd_op = models.DateTimeField(_("geanonimiseerd op"), auto_now_add=True)
    laatst_afgesloten_op = models.DateField(_("laatste traject afgesloten op"))
    trajecten = models.PositiveIntegerField(_("aantal trajecten"))

    class Meta:
        verbose_name = _("anonimisering")
        verbose_name_plural = _("anonimiseringen")
        ordering = ["-uitgevoerd_op"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.personeelslid_id}"
