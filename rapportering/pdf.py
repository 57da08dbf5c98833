"""The published reports as tagged PDF/UA-1 (WeasyPrint): cover, table of contents, page numbers,
explanations, tables and server-side SVG charts. The same documents feed the XLSX exports
(rapportering.exports) and the same sections the dashboard.

Accessibility: WeasyPrint's ``pdf/ua-1`` variant writes the structure tree (/StructTreeRoot, /MarkInfo
Marked), the language of <html lang> as /Lang, the <title> as metadata title with DisplayDocTitle, PDF/UA
identification in the XMP metadata, and tags headings, paragraphs, lists, tables (TH/TD with /Headers)
and images (/Figure with the alt text as /Alt). The template supplies what that needs: see its comment.
rapportering.pdftags keeps an element that a page break splits as one structure element.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from entiteiten.models import Entiteit

from . import charts
from . import figures as fg
from .documents import Document, report_document
from .figures import Periode, Report
from .sections import report_content
from .tables import Table

PDF_VARIANT = "pdf/ua-1"


def table_sections(tables: list[Table]) -> list[dict]:
    """Each table with its chart (a charts.Chart, or None): what the PDF and the dashboard show."""
    return [
        {
            "table": t,
            "chart": t.step_chart
            or (charts.BarChart(t.chart_subject, tuple(t.chart), t.chart_unit) if t.chart else None),
            "id": f"s-{t.key}",
        }
        for t in tables
    ]


def sections(report: Report, entiteit: Entiteit | None, previous: Report | None = None) -> list[dict]:
    """The table sections of an entity's report, or of the VO-wide one when ``entiteit`` is None."""
    return table_sections(report_content(report, entiteit, previous).tables)


def css_string(text: str) -> SafeString:
    """A CSS string literal for the running footer (<style> is raw text: no HTML escaping there)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>&\n\r' else c for c in text)
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every character that could end the string is escaped


def render(doc: Document) -> bytes:
    """The document as a tagged PDF/UA-1."""
    from weasyprint import HTML

    from . import pdftags

    secs = table_sections(doc.tables)
    toc = [{"id": "s-kernbevindingen", "title": _("Kernbevindingen")}] if doc.findings else []
    toc += [{"id": "s-toelichting", "title": _("Toelichting")}]
    toc += [{"id": s["id"], "title": s["table"].title} for s in secs]
    html = render_to_string(
        "rapportering/pdf.html",
        {
            "doc": doc,
            "sections": secs,
            "toc": toc,
            "footer": css_string(f"{doc.kind} {doc.report.periode.label} – {doc.subject}"),
            "threshold": fg.threshold(),
        },
    )
    links = {entry["id"]: entry["title"] for entry in toc}
    return HTML(string=html).write_pdf(
        pdf_variant=PDF_VARIANT, finisher=partial(pdftags.finisher, link_texts=links)
    )


def render_eoc_pdf(entiteit: Entiteit, year: int, generated_on: date | None = None) -> bytes:
    report, previous = fg.build_many(
        [Periode.year(year), Periode.year(year - 1)], [entiteit], generated_on=generated_on
    )
    return render(report_document(report, entiteit, previous))


def render_hoc_pdf(year: int, generated_on: date | None = None) -> bytes:
    report, previous = fg.build_many([Periode.year(year), Periode.year(year - 1)], generated_on=generated_on)
    return render(report_document(report, None, previous))
