"""Accessible reports (issue 16): every published PDF is tagged PDF/UA-1 and read back here as assistive
technology reads it (tests/pdfua.py): structure tree, language, title, headings that match the table of
contents, tables with header cells, and charts with a text alternative made of their figures. The
dashboard's charts carry the same text; the XLSX files have defined tables and an explanation sheet."""

import html
import io
import logging
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from PIL import Image
from pypdf.generic import BooleanObject

from rapportering import documents, pdf, pdftags, tables
from rapportering import figures as fg
from rapportering.charts import EMPTY, BarChart, Chart
from rapportering.exports import EXPLANATION_SHEET, to_xlsx
from tests.factories import PersoneelslidFactory, TrajectFactory
from tests.pdfua import read, render_page
from trajecten import models as m

pytestmark = pytest.mark.django_db

P2025 = fg.Periode.year(2025)


@pytest.fixture
def data(entiteit_a, entiteit_b):
    """Enough for bars that show (8 informal, 6 formal in A) and bars that are hidden (2 measures)."""
    for i in range(8):
        t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2025, 2, 1 + i))
        m.Gesprek.objects.create(traject=t, datum=date(2025, 3, 1), vorm="telefoon", gevoerd_door="coach")
        if i < 2:
            ins = m.Inschatting.objects.create(traject=t, datum=date(2025, 3, 2), uitkomst="stappen_mogelijk")
            plan = m.Stappenplan.objects.create(traject=t, inschatting=ins, datum=date(2025, 3, 20))
            m.Maatregel.objects.create(stappenplan=plan, soort="werkplek", omschrijving="Scherm")
    for i in range(6):
        TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
            soort=m.Traject.Soort.FORMEEL,
            d0=date(2025, 4, 1 + i),
        )
    for i in range(6):
        TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_b), d0=date(2025, 5, 1 + i))


def all_documents(entiteit_a) -> dict[str, documents.Document]:
    report, previous = fg.build(P2025), fg.build(fg.Periode.year(2024))
    return {
        "eoc": documents.report_document(report, entiteit_a, previous),
        "hoc": documents.report_document(report, None, previous),
        "sjabloon": documents.template_document(report),
        "extract": documents.extract_document(report),
    }


def chart_alt(t) -> str:
    """The text alternative of a table's chart: its step chart's, or the bars'."""
    return t.step_chart.alt if t.step_chart else BarChart(t.chart_subject, tuple(t.chart), t.chart_unit).alt


def toc_entry(text: str) -> str:
    """A table-of-contents line without its page number and leader dots."""
    return re.sub(r"\s*\d+(\s*\.)*\s*$", "", text).strip()


@pytest.mark.parametrize("kind", ["eoc", "hoc", "sjabloon", "extract"])
def test_published_pdfs_are_tagged_pdf_ua(data, entiteit_a, kind, caplog):
    doc = all_documents(entiteit_a)[kind]
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data_ = pdf.render(doc)
    # WeasyPrint logs what PDF/UA lacks (a missing lang, an image without alt, ...): nothing here
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    tagged = read(data_)
    catalog = tagged.catalog

    # tagged, in Dutch (Belgium), with its title shown as the window title, identified as PDF/UA-1
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "nl-BE"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert tagged.reader.metadata.title == doc.full_title
    assert doc.subject in doc.full_title and doc.report.periode.label in doc.full_title
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part[^0-9]{1,3}1", xmp)

    # headings: one h1 (the title), the key findings (EOC, HOC: right after the cover), then an h2 for
    # "Inhoud" and for every entry of the table of contents
    titles = [t.title for t in doc.tables]
    lead = ["Kernbevindingen"] if kind in ("eoc", "hoc") else []
    assert bool(doc.findings) == bool(lead)
    assert tagged.headings() == [
        ("H1", doc.title),
        *[("H2", t) for t in lead],
        ("H2", "Inhoud"),
        ("H2", "Toelichting"),
        *[("H2", t) for t in titles],
    ]
    toc = next(s for s in tagged.tree.find("Sect") if s.children[0].text == "Inhoud")
    assert [toc_entry(li.text) for li in toc.find("LI")] == [*lead, "Toelichting", *titles]
    # each entry links to its section, and the link is described by the title it leads to
    links = [a.get_object() for page in tagged.reader.pages for a in page.get("/Annots", [])]
    described = [str(a["/Contents"]) for a in links if a["/Subtype"] == "/Link"]  # title and page number
    assert list(dict.fromkeys(described)) == [*lead, "Toelichting", *titles]
    # and the bookmarks a reader navigates by have the same levels
    assert tagged.outline() == [doc.title, [*lead, "Inhoud", "Toelichting", *titles]]

    # reading order: the cover, the contents, the explanation, then each section in the report's order;
    # one structure element per section, also where a page break splits it (rapportering.pdftags)
    top = tagged.tree.children[0].children
    assert [n.role for n in top] == ["Div", *["Sect"] * len(lead), "Sect", "Sect", *["Sect"] * len(titles)]
    assert [n.children[0].text for n in top[3 + len(lead) :]] == titles
    for term, _text in doc.explanations:
        assert term in top[2 + len(lead)].text
    for finding in doc.findings:
        assert finding.text in top[1].text and finding.basis in top[1].text

    # every table: one Table, a header row of TH cells, a TH heading each row, TDs pointing at both
    tables = tagged.tree.find("Table")
    assert len(tables) == len(doc.tables)
    id_tree = tagged.id_tree()
    for table, t in zip(tables, doc.tables, strict=True):
        head = table.find("THead")[0].find("TR")[0]
        assert [c.role for c in head.children] == ["TH"] * len(t.columns)
        assert [c.text for c in head.children] == t.columns
        rows = [tr for body in table.find("TBody") for tr in body.find("TR")]
        assert [tr.children[0].role for tr in rows] == ["TH"] * len(t.rows)
        assert [tr.children[0].text for tr in rows] == [label for label, _cells in t.rows]
        for tr in rows:
            ths = {tr.children[0].id}
            for td in tr.children[1:]:
                assert td.role == "TD" and len(td.headers) == 2
                assert td.headers[0] in ths  # the row header
                assert all(id_tree[h].role == "TH" for h in td.headers)  # resolvable header cells

    # every chart: a Figure whose /Alt says what it shows, made of the same figures as its table
    charted = [t for t in doc.tables if t.chart or t.step_chart]
    figures = tagged.tree.find("Figure")
    assert [f.alt for f in figures] == [chart_alt(t) for t in charted]
    for fig, t in zip(figures, charted, strict=True):
        if t.step_chart:  # the return-to-work curves (tests/rapportering/test_survival.py)
            assert fig.alt.startswith("Stapgrafiek. ") and fig.alt == t.step_chart.alt
            continue
        assert fig.alt.startswith("Staafdiagram. " + t.chart_subject)
        for label, value in t.chart:
            said = {None: "verborgen", EMPTY: "geen gegevens"}.get(value, f"{value}{t.chart_unit}")
            assert f"{label}: {said}" in fig.alt
    if kind in ("eoc", "hoc"):
        # every table but the comparison, the entity tables and the relapses has a chart; so has each
        # curve section
        assert len(figures) == 10 + sum(1 for t in doc.tables if t.step_chart)
        alts = " ".join(f.alt for f in figures)
        assert "verborgen" in alts and re.search(r": [1-9]\d*[;.]", alts)  # shown and hidden bars

    # all drawn content is in the tree exactly once, and the parent tree agrees
    footer = (
        rf"Pagina \d+ van \d+|{re.escape(doc.kind)} {doc.report.periode.label} – {re.escape(doc.subject)}"
    )
    assert tagged.marked_content_problems(outside=footer) == []

    # a page of each kind, rendered by PDFium, for a person to look at
    first = (figures or tables)[0]
    png = render_page(data_, first.page, f"{kind}-pagina-{first.page + 1}")
    with Image.open(png) as image:
        assert image.width > 800 and image.convert("L").getextrema()[0] < 80  # not a blank page


def test_a_table_and_a_paragraph_over_page_breaks_stay_one_element():
    """The finisher merges WeasyPrint's per-page fragments (Kozea/WeasyPrint#2903)."""
    from weasyprint import HTML

    rows = "".join(f'<tr><th scope="row">Rij {i}</th><td>{i}</td></tr>' for i in range(60))
    para = " ".join(f"woord{i}" for i in range(400))
    source = (
        '<html lang="nl-BE"><head><title>Lang</title><style>@page { size: A6 }</style></head><body>'
        f'<h1>Lang</h1><p>{para}</p><table><thead><tr><th scope="col">Rij</th><th scope="col">Waarde</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
    split = read(HTML(string=source).write_pdf(pdf_variant="pdf/ua-1"))
    merged = read(HTML(string=source).write_pdf(pdf_variant="pdf/ua-1", finisher=pdftags.finisher))
    assert len(split.reader.pages) > 4
    assert len(split.tree.find("Table")) > 1 and len(split.tree.find("P")) > 1  # the upstream behaviour
    assert [n.role for n in merged.tree.children[0].children] == ["H1", "P", "Table"]
    table = merged.tree.find("Table")[0]
    assert [tr.children[0].text for tr in table.find("TBody")[0].find("TR")] + [
        tr.children[0].text for body in table.find("TBody")[1:] for tr in body.find("TR")
    ] == [f"Rij {i}" for i in range(60)]
    assert merged.tree.find("P")[0].text == para
    assert merged.tree.text == split.tree.text  # nothing lost, nothing reordered
    assert merged.marked_content_problems() == []


def test_a_chart_cannot_be_made_without_saying_what_it_shows():
    with pytest.raises(ValueError, match="subject"):
        BarChart(" ", (("Informeel", 3),))

    class Silent(Chart):  # a new kind of chart that forgets its text alternative
        def draw(self):
            return 10, 10, []

    with pytest.raises(TypeError):
        Silent()
    chart = BarChart("Aantal trajecten per soort", (("Informeel", 12), ("Formeel", None)))
    assert chart.alt == (
        "Staafdiagram. Aantal trajecten per soort. Informeel: 12; Formeel: verborgen. Verborgen: minder "
        "dan 5 personen, of verborgen om zo'n kleine groep te beschermen. De tabel geeft dezelfde cijfers."
    )
    assert f'role="img" aria-label="{escape(chart.alt)}"' in chart.html()
    assert f"<title>{escape(chart.alt)}</title>" in chart.html()
    assert f'alt="{escape(chart.alt)}"' in chart.pdf() and chart.pdf().startswith("<img ")


def test_a_median_of_no_one_is_no_bar_of_zero_days():
    """A group without returns has no median: the table shows "—", the chart "geen gegevens", never 0 dagen."""
    f = fg.aggregate([])
    duur = next(t for t in tables.report_tables(f) if t.key == "duur")
    assert all(value == EMPTY for _label, value in duur.chart)
    chart = BarChart(duur.chart_subject, tuple(duur.chart), duur.chart_unit)
    assert "0 dagen" not in chart.alt and "0 dagen" not in chart.html()
    assert "Gesprek ≤ 6 weken: geen gegevens" in chart.alt and "<rect" not in chart.html()
    assert all(cells[2] == "—" for _label, cells in duur.rows)  # the median column of the table


def test_dashboard_charts_carry_the_same_text_alternatives(client, hr_a, data, entiteit_a):
    client.force_login(hr_a)
    page = client.get(reverse("dashboard"), {"van": "01/01/2025", "tot": "31/12/2025"}).content.decode()
    labels = [html.unescape(a) for a in re.findall(r'<svg [^>]*role="img" aria-label="([^"]*)"', page)]
    tables = [
        t
        for t in documents.report_document(fg.build(P2025, [entiteit_a]), entiteit_a).tables
        if t.chart or t.step_chart
    ]
    assert labels == [chart_alt(t) for t in tables]
    bars = [a for a in labels if a.startswith("Staafdiagram. ")]
    assert len(bars) == 10 and all(a.startswith(("Staafdiagram. ", "Stapgrafiek. ")) for a in labels)
    # the table beside each chart: row headers and column headers
    assert page.count('<th scope="col"') >= 7 * 2 and '<th scope="row">Actief in de periode</th>' in page


@pytest.mark.parametrize("kind", ["eoc", "hoc", "sjabloon", "extract"])
def test_xlsx_has_defined_tables_and_an_explanation_sheet(data, entiteit_a, kind):
    doc = all_documents(entiteit_a)[kind]
    wb = load_workbook(io.BytesIO(to_xlsx(doc)))
    lead = ["Kernbevindingen"] if doc.findings else []
    assert wb.sheetnames == [*lead, doc.kind, EXPLANATION_SHEET]
    if lead:  # the key findings: a defined table of sentences and the figures they rest on
        (found,) = wb["Kernbevindingen"].tables.values()
        header, *rows = [[c.value for c in row] for row in wb["Kernbevindingen"][found.ref]]
        assert header == ["Bevinding", "Steunt op"] and rows == [[f.text, f.basis] for f in doc.findings]
    ws = wb[doc.kind]
    assert EXPLANATION_SHEET in ws["A1"].value and "<5" in ws["A1"].value
    defined = list(ws.tables.values())
    assert len(defined) == len(doc.tables)
    for excel, t in zip(defined, doc.tables, strict=True):
        cells = ws[excel.ref]
        header, *body = [[c.value for c in row] for row in cells]
        assert header == t.columns and excel.headerRowCount in (None, 1)
        assert ws.cell(row=cells[0][0].row - 1, column=1).value == t.title  # its title just above
        assert [r[0] for r in body] == [label for label, _cells in t.rows]
        assert [str(v) if v is not None else "" for r in body for v in r[1:]] == [
            c for _label, row in t.rows for c in row
        ]
    assert len({tbl.displayName.lower() for s in wb for tbl in s.tables.values()}) == len(
        doc.tables
    ) + 1 + len(lead)

    # the explanation sheet: a defined table of terms and their meaning, each table's note included
    notes = wb[EXPLANATION_SHEET]
    (explained,) = notes.tables.values()
    header, *rows = [[c.value for c in row] for row in notes[explained.ref]]
    assert header == ["Onderwerp", "Uitleg"]
    terms = dict(rows)
    assert terms["Rapport"] == doc.full_title
    assert "<5" in terms and "Minder dan 5 personen" in terms["<5"]
    assert "×" in terms and "Verborgen om een kleine groep te beschermen" in terms["×"]
    for term, text in doc.explanations:
        assert terms[term] == text
    for t in doc.tables:
        if t.note:  # with the source line of a curve section (rapportering.survival)
            assert terms[t.title] == " ".join(filter(None, [t.note, t.source]))


def test_yearly_files_are_the_accessible_documents(data):
    """What the yearly job stores (services.content_for): the HOC workbook with the standard template as
    its own defined table, and the template and the extract as tagged PDFs."""
    from rapportering.models import Rapport
    from rapportering.services import content_for

    report = fg.build(P2025)
    wb = load_workbook(io.BytesIO(content_for(Rapport(soort="hoc_xlsx", jaar=2025), report)))
    assert wb.sheetnames == ["Kernbevindingen", "HOC", "Standaardsjabloon", EXPLANATION_SHEET]
    assert [t.displayName for t in wb["Standaardsjabloon"].tables.values()] == [
        "Informele_en_formele_trajecten_per_entiteit",
        "Globale_inspanningen_per_entiteit",
    ]
    for soort, title in [
        ("sjabloon_pdf", "Re-integratie: standaardsjabloon aantallen per entiteit"),
        ("extract_pdf", "Re-integratie: geanonimiseerd extract van de re-integratieplannen"),
    ]:
        tagged = read(content_for(Rapport(soort=soort, jaar=2025), report))
        assert tagged.catalog["/Lang"] == "nl-BE" and tagged.headings()[0] == ("H1", title)
        assert len(tagged.tree.find("Table")) == (2 if soort == "sjabloon_pdf" else 1)
