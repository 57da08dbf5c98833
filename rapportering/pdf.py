"""EOC and HOC reports as PDF (WeasyPrint): cover, table of contents, page numbers, explanations, tables
and server-side SVG charts. The same tables feed the CSV and XLSX exports (rapportering.exports)."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from entiteiten.models import Entiteit

from . import charts
from . import figures as fg
from .figures import Periode, Report
from .tables import hoc_tables, report_tables


def _sections(report: Report, figures: fg.Figures, hoc: bool):
    tables = hoc_tables(report) if hoc else report_tables(figures)
    return [
        {"table": t, "chart": charts.bar_chart(t.chart, t.title) if t.chart else "", "id": f"s-{t.key}"}
        for t in tables
    ]


def context_from(report: Report, entiteit: Entiteit | None) -> dict:
    """The PDF's context: an entity's EOC report, or the HOC report when ``entiteit`` is None."""
    if entiteit is not None:
        return {
            "kind": "EOC",
            "title": _("Re-integratie: rapport voor het Entiteitsoverlegcomité"),
            "subject": entiteit.naam,
            "report": report,
            "sections": _sections(report, report.per_entity[entiteit.pk], hoc=False),
            "threshold": fg.threshold(),
        }
    return {
        "kind": "HOC",
        "title": _("Re-integratie: VO-brede rapportering voor het Hoog Overlegcomité"),
        "subject": _("Alle entiteiten van de Vlaamse overheid"),
        "report": report,
        "sections": _sections(report, report.total, hoc=True),
        "threshold": fg.threshold(),
    }


def context_eoc(entiteit: Entiteit, periode: Periode, generated_on: date | None = None) -> dict:
    return context_from(fg.build(periode, [entiteit], generated_on), entiteit)


def context_hoc(periode: Periode, generated_on: date | None = None) -> dict:
    return context_from(fg.build(periode, None, generated_on), None)


def render(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("rapportering/pdf.html", context)
    return HTML(string=html).write_pdf()


def render_eoc_pdf(entiteit: Entiteit, year: int) -> bytes:
    return render(context_eoc(entiteit, Periode.year(year)))


def render_hoc_pdf(year: int) -> bytes:
    return render(context_hoc(Periode.year(year)))
