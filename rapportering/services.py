"""Generating and storing the yearly reports (EOC per entity, HOC, template, extract)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from entiteiten.models import Entiteit

from . import disclosure as dc
from . import figures as fg
from . import pdf
from .documents import extract_document, report_document, template_document
from .exports import table_rows, to_csv, to_xlsx
from .models import Cijferset, Rapport
from .sections import previous_periode, report_content
from .tables import effort_rows, template_rows

log = logging.getLogger(__name__)

HOC_KINDS = [
    Rapport.Soort.HOC_PDF,
    Rapport.Soort.HOC_XLSX,
    Rapport.Soort.HOC_CSV,
    Rapport.Soort.SJABLOON_PDF,
    Rapport.Soort.SJABLOON_XLSX,
    Rapport.Soort.SJABLOON_CSV,
    Rapport.Soort.EXTRACT_PDF,
    Rapport.Soort.EXTRACT_XLSX,
]
EOC_KINDS = [Rapport.Soort.EOC_PDF, Rapport.Soort.EOC_XLSX]
EXTRACT_KINDS = [Rapport.Soort.EXTRACT_PDF, Rapport.Soort.EXTRACT_XLSX]


def request_year(year: int, user, entiteiten: list[Entiteit] | None = None) -> list[Rapport]:
    """Queue the reports of a year: every EOC and the VO-wide ones (AgO), or one entity's EOC (HR)."""
    rows = []
    if entiteiten is None:
        rows += [Rapport(soort=k, jaar=year, aangevraagd_door=user) for k in HOC_KINDS]
        entiteiten = list(Entiteit.objects.filter(actief=True).order_by("naam"))
    rows += [
        Rapport(soort=k, jaar=year, entiteit=e, aangevraagd_door=user) for e in entiteiten for k in EOC_KINDS
    ]
    return _queue(rows)


def request_extract(year: int, user, entiteit: Entiteit) -> list[Rapport]:
    """Queue one entity's anonymised extract for its preventieadviseur-arbeidsarts (HR: "door de
    entiteit", circular section 5)."""
    return _queue(
        [Rapport(soort=k, jaar=year, entiteit=entiteit, aangevraagd_door=user) for k in EXTRACT_KINDS]
    )


def _queue(rows: list[Rapport]) -> list[Rapport]:
    """Store the requested reports, except those already waiting or being made (a double click, or two
    users asking at once, queues each report once)."""
    pending = set(
        Rapport.objects.filter(
            status__in=(Rapport.Status.WACHTRIJ, Rapport.Status.BEZIG), jaar__in={r.jaar for r in rows}
        ).values_list("soort", "jaar", "entiteit_id")
    )
    return Rapport.objects.bulk_create([r for r in rows if (r.soort, r.jaar, r.entiteit_id) not in pending])


def content_for(r: Rapport, report: fg.Report, previous: fg.Report | None = None) -> bytes:
    """The file of one report, from the year's figures (computed once per batch) and the previous year's
    (for the comparison in the EOC and HOC reports)."""
    S = Rapport.Soort
    if r.soort in (S.HOC_PDF, S.HOC_XLSX):
        hoc = report_document(report, None, previous)
        if r.soort == S.HOC_PDF:
            return pdf.render(hoc)
        return to_xlsx(hoc, {"HOC": hoc.tables, "Standaardsjabloon": template_document(report).tables})
    if r.soort == S.HOC_CSV:
        return to_csv(table_rows(report_document(report, None, previous).tables))
    if r.soort == S.SJABLOON_PDF:
        return pdf.render(template_document(report))
    if r.soort == S.SJABLOON_XLSX:
        sjabloon = template_document(report)
        return to_xlsx(sjabloon, {"Standaardsjabloon": sjabloon.tables})
    if r.soort == S.SJABLOON_CSV:
        return to_csv(template_rows(report) + [[]] + effort_rows(report))
    if r.soort == S.EXTRACT_PDF:
        return pdf.render(extract_document(report, r.entiteit))
    if r.soort == S.EXTRACT_XLSX:
        extract = extract_document(report, r.entiteit)
        return to_xlsx(extract, {"Extract arbeidsarts": extract.tables})
    if r.soort == S.EOC_PDF:
        return pdf.render(report_document(report, r.entiteit, previous))
    if r.soort == S.EOC_XLSX:
        eoc = report_document(report, r.entiteit, previous)
        return to_xlsx(eoc, {r.entiteit.code: eoc.tables})
    raise ValueError(r.soort)


NEEDS_PREVIOUS = {
    Rapport.Soort.HOC_PDF,
    Rapport.Soort.HOC_XLSX,
    Rapport.Soort.HOC_CSV,
    Rapport.Soort.EOC_PDF,
    Rapport.Soort.EOC_XLSX,
}


def generate(ids: list[int]) -> dict:
    """Make the queued reports; each one's status shows the progress. One failure does not stop the rest."""
    todo = list(Rapport.objects.filter(pk__in=ids, status=Rapport.Status.WACHTRIJ).select_related("entiteit"))
    reports: dict[int, fg.Report] = {}
    done = failed = 0
    for r in todo:
        Rapport.objects.filter(pk=r.pk).update(status=Rapport.Status.BEZIG)
        try:
            years = [r.jaar, r.jaar - 1] if r.soort in NEEDS_PREVIOUS else [r.jaar]
            missing = [year for year in years if year not in reports]
            if missing:  # (a year and the year before: one fetch, fg.build_many)
                built = fg.build_many([fg.Periode.year(year) for year in missing])
                reports.update(zip(missing, built, strict=True))
            data = content_for(r, *[reports[y] for y in years])
            with transaction.atomic():
                r.bestand.save(r.bestandsnaam, ContentFile(data), save=False)
                r.status, r.klaar_op, r.fout = Rapport.Status.KLAAR, timezone.now(), ""
                r.save(update_fields=["bestand", "status", "klaar_op", "fout"])
            done += 1
        except Exception as exc:
            log.exception("report %s failed", r.pk)
            Rapport.objects.filter(pk=r.pk).update(status=Rapport.Status.MISLUKT, fout=str(exc)[:2000])
            failed += 1
    return {"done": done, "failed": failed}


# Cijferset.data[ANSWERS]: {fingerprint: secondary cells} of the protections the dashboard builds
ANSWERS = "afscherming"


def store_year(year: int) -> fg.Report:
    """Compute a calendar year's figures for every entity and store them (``Cijferset``, replacing any
    earlier set); the dashboards read the stored set (``rapportering.views.stored_report``).

    The VO-wide disclosure control takes seconds (40 s at 1,000,000 trajectories): it is solved here, for
    the dashboard's whole content with the stored year before that it shows for comparison (its tables are
    protected too; its curves are not shown), and its answers are stored with the figures, which the
    dashboard hands to the protections it builds (``disclosure.known``): no dashboard request solves it,
    whatever the cache holds."""
    periode = fg.Periode.year(year)
    report = fg.build(periode)
    last_year = fg.Periode.year(year - 1)
    before = (
        Cijferset.objects.filter(periode_start=last_year.start, periode_eind=last_year.end)
        .values_list("data", flat=True)
        .first()
    )
    with dc.recording() as answers:
        report_content(report, None, fg.report_from_dict(before) if before is not None else None)
    data = fg.report_to_dict(report) | {ANSWERS: answers}
    Cijferset.objects.update_or_create(
        periode_start=periode.start,
        periode_eind=periode.end,
        defaults={"berekend_op": timezone.now(), "data": data},
    )
    return report


def period_key(periode: fg.Periode, entiteit_id: int | None) -> str:
    """The cache key of a period's computed figures for one entity (or the VO: None)."""
    return f"rapportering:periode:{periode.start:%Y%m%d}-{periode.end:%Y%m%d}:{entiteit_id or 'vo'}"


def period_mark(key: str) -> str:
    """The cache key that says a period's computation (``key``: ``period_key``) is queued."""
    return key + ":wachtrij"


def live_figures(periode: fg.Periode, entiteit: Entiteit | None) -> tuple[fg.Report, fg.Report]:
    """A period's figures and those of the same period a year earlier, for one entity or the VO, computed now."""
    return fg.build_many([periode, previous_periode(periode)], [entiteit] if entiteit else None)


def store_period(periode: fg.Periode, entiteit: Entiteit | None) -> dict:
    """Compute a dashboard period that is not a calendar year (with the same period a year earlier, for one
    entity or the VO) and keep it ``REPORT_PERIOD_SECONDS`` in the cache, with the answers of the
    dashboard's protections (as ``store_year``), so that no request solves them. Returns what is kept:
    ``berekend_op`` (ISO), ``report`` and ``previous`` (``fg.report_to_dict``) and the answers."""
    report, previous = live_figures(periode, entiteit)
    with dc.recording() as answers:
        report_content(report, entiteit, previous)
    data = {
        "berekend_op": timezone.now().isoformat(),
        "report": fg.report_to_dict(report),
        "previous": fg.report_to_dict(previous),
        ANSWERS: answers,
    }
    key = period_key(periode, entiteit.pk if entiteit else None)
    cache.set(key, data, timeout=settings.REPORT_PERIOD_SECONDS)
    cache.delete(period_mark(key))  # (the queued computation: done)
    return data


def refresh_year_figures(years: list[int] | None = None) -> list[int]:
    """Nightly: recompute this year's and last year's stored figures (and any year asked)."""
    today = timezone.localdate()
    years = years or [today.year, today.year - 1]
    for year in years:
        store_year(year)
    return years
