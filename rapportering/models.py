from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entiteiten.models import Entiteit


class Rapport(models.Model):
    """A generated yearly report file, stored in REPORT_STORAGE_DIR and listed on the download page."""

    class Soort(models.TextChoices):
        EOC_PDF = "eoc_pdf", _("EOC-rapport (PDF)")
        EOC_XLSX = "eoc_xlsx", _("EOC-cijfers (XLSX)")
        HOC_PDF = "hoc_pdf", _("HOC-rapport (PDF)")
        HOC_XLSX = "hoc_xlsx", _("HOC-cijfers (XLSX)")
        HOC_CSV = "hoc_csv", _("HOC-cijfers (CSV)")
        SJABLOON_PDF = "sjabloon_pdf", _("Standaardsjabloon aantallen per entiteit (PDF)")
        SJABLOON_XLSX = "sjabloon_xlsx", _("Standaardsjabloon aantallen per entiteit (XLSX)")
        SJABLOON_CSV = "sjabloon_csv", _("Standaardsjabloon aantallen per entiteit (CSV)")
        EXTRACT_PDF = (
            "extract_pdf",
            _("Geanonimiseerd extract re-integratieplannen voor de arbeidsarts (PDF)"),
        )
        EXTRACT_XLSX = (
            "extract_xlsx",
            _("Geanonimiseerd extract re-integratieplannen voor de arbeidsarts (XLSX)"),
        )

    class Status(models.TextChoices):
        WACHTRIJ = "wachtrij", _("In de wachtrij")
        BEZIG = "bezig", _("Wordt opgemaakt")
        KLAAR = "klaar", _("Klaar")
        MISLUKT = "mislukt", _("Mislukt")

    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    entiteit = models.ForeignKey(
        Entiteit, on_delete=models.PROTECT, null=True, blank=True, related_name="rapporten"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WACHTRIJ)
    bestand = models.FileField(_("bestand"), upload_to="rapporten/%Y/", blank=True)
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    klaar_op = models.DateTimeField(_("klaar op"), null=True, blank=True)
    fout = models.TextField(_("fout"), blank=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporten")
        ordering = ["-jaar", "soort", "entiteit__naam"]
        constraints = [
            # An EOC report has an entity; an extract may have one (HR's request for its own entity's
            # preventieadviseur-arbeidsarts) or not (AgO's VO-wide one); the other reports have none.
            models.CheckConstraint(
                condition=Q(soort__startswith="eoc", entiteit__isnull=False)
                | Q(soort__startswith="extract")
                | (~Q(soort__startswith="eoc") & Q(entiteit__isnull=True)),
                name="eoc_heeft_entiteit",
            )
        ]

    def __str__(self):
        return (
            f"{self.get_soort_display()} {self.jaar}{' – ' + self.entiteit.code if self.entiteit_id else ''}"
        )

    @property
    def bestandsnaam(self) -> str:
        ext = self.soort.rsplit("_", 1)[1]
        who = self.entiteit.code if self.entiteit_id else "VO"
        return f"reintegratie-{self.soort.split('_')[0]}-{who}-{self.jaar}.{ext}"


class Cijferset(models.Model):
    """Precomputed figures of one calendar year (every entity), so dashboards answer at once at VO scale.

    Refreshed every night, when AgO asks, and on first use; the dashboard says when it was computed.
    """

    periode_start = models.DateField(_("begin periode"))
    periode_eind = models.DateField(_("einde periode"))
    berekend_op = models.DateTimeField(_("berekend op"))
    data = models.JSONField(_("cijfers"))

    class Meta:
        verbose_name = _("cijferset")
        verbose_name_plural = _("cijfersets")
        constraints = [
            models.UniqueConstraint(
                fields=["periode_start", "periode_eind"], name="een_cijferset_per_periode"
            )
        ]

    def __str__(self):
        return f"{self.periode_start:%d/%m/%Y} – {self.periode_eind:%d/%m/%Y}"
