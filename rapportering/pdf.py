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
from .tables import tables_for


def sections(report: Report, entiteit: Entiteit | None) -> list[dict]:
    """Each table with its SVG chart: what the PDF and the dashboard show."""
    return [
        {"table": t, "chart": charts.bar_chart(t.chart, t.title) if t.chart else "", "id": f"s-{t.key}"}
        for t in tables_for(report, entiteit)
    ]


def context_from(report: Report, entiteit: Entiteit | None) -> dict:
    """The PDF's context: an entity's EOC report, or the HOC report when ``entiteit`` is None."""
    if entiteit is not None:
        return {
            "kind": "EOC",
            "title": _("Re-integratie: rapport voor het Entiteitsoverlegcomité"),
            "subject": entiteit.naam,
            "report": report,
            "sections": sections(report, entiteit),
            "threshold": fg.threshold(),
        }
    return {
        "kind": "HOC",
        "title": _("Re-integratie: VO-brede rapportering voor het Hoog Overlegcomité"),
        "subject": _("Alle entiteiten van de Vlaamse overheid"),
        "report": report,
        "sections": sections(report, None),
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
