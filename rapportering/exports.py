"""The same figures as CSV and XLSX (openpyxl).

Every CSV and XLSX the tool produces goes through ``to_csv`` / ``to_xlsx``, which neutralise formula
injection: a spreadsheet program runs a cell that starts with =, +, -, @, a tab or a carriage return as a
formula (or a DDE command), and entity names and other texts are typed in by people.

XLSX for screen readers and filters: every table is a defined Excel table (a header row that Excel and
assistive technology announce, a name to jump to) under its title, and the sheet "Toelichting" explains
the markers (<5, ×, —, an empty cell) and the definitions, with each table's note."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo

from .disclosure import marker
from .documents import Document
from .tables import Table

EXPLANATION_SHEET = "Toelichting"
FINDINGS_SHEET = "Kernbevindingen"


def table_rows(tables: list[Table]) -> list[list[str]]:
    """All tables flattened into one sheet: a title row, the header, the rows, a blank line."""
    out: list[list[str]] = []
    for t in tables:
        out.append([t.title])
        out.append([str(c) for c in t.columns])
        out += [[label, *cells] for label, cells in t.rows]
        out.append([])
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?\Z")  # -3, +2,5, -10%: a number, never a formula


def is_formula_like(value) -> bool:
    """Text a spreadsheet would run as a formula; numbers (also negative ones) are not."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value)


def neutralise(value):
    """For CSV: a leading apostrophe makes a spreadsheet show formula-like text as text (OWASP)."""
    return "'" + value if is_formula_like(value) else value


def to_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")  # Excel in nl-BE opens ';'-separated files as columns
    writer.writerows([[neutralise(str(c)) for c in r] for r in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8 correctly


def _cell(value):
    """Numbers as numbers, everything else (e.g. '<5', '30%') as text; an empty string as an empty cell."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value if value != "" else None


def neutralise_workbook(wb) -> None:
    """XLSX: every formula-like text becomes a string cell (openpyxl would write '=...' as a formula) with
    Excel's quote prefix, so that editing the cell does not turn it into one either; the text is unchanged.
    One pass over the finished workbook, so it holds however the cells were written. The tool writes no
    formulas of its own."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # the written cells only (iter_rows would create empty ones)
            if cell.data_type == "f" or is_formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def sheet_title(name: str) -> str:
    """A valid sheet name: at most 31 characters, none of \\ / ? * [ ] : (Excel's rule)."""
    return re.sub(r"[\\/?*\[\]:\r\n\t]", "-", name)[:31] or "-"


def _table_name(title: str, taken: set[str]) -> str:
    """An Excel table name from a title: letters, digits and underscores, unique in the workbook."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"\W+", "_", ascii_title).strip("_")[:60] or "Tabel"
    if not base[0].isalpha():
        base = "Tabel_" + base
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name.lower())
    return name


def _unique_headers(columns: list[str]) -> list[str]:
    """Excel needs distinct, non-empty header cells."""
    out: list[str] = []
    for i, c in enumerate(columns):
        name = str(c).strip() or _("Kolom %(n)s") % {"n": i + 1}
        while name in out:
            name += " "
        out.append(name)
    return out


def _add_table(ws, row: int, title: str, header: list[str], body: list[list], taken: set[str]) -> int:
    """The title in bold, then the defined table (header + body) below it; returns the next free row."""
    ws.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
    first = row + 1
    for j, name in enumerate(_unique_headers(header), start=1):
        cell = ws.cell(row=first, column=j, value=name)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for i, values in enumerate(body, start=first + 1):
        for j, value in enumerate(values, start=1):
            ws.cell(row=i, column=j, value=_cell(value))
    last = first + max(len(body), 1)  # Excel needs at least one body row
    ref = f"A{first}:{get_column_letter(len(header))}{last}"
    table = ExcelTable(displayName=_table_name(title, taken), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    return last + 2


def to_xlsx(doc: Document, sheets: dict[str, list[Table]] | None = None) -> bytes:
    """The document's tables (by default one sheet named after its kind) and its explanation sheet."""
    sheets = sheets or {doc.kind: doc.tables}
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    if doc.findings:  # the key findings first, each with the figure it rests on (rapportering.findings)
        ws = wb.create_sheet(title=FINDINGS_SHEET)
        body = [[f.text, f.basis] for f in doc.findings]
        _add_table(ws, 1, FINDINGS_SHEET, [_("Bevinding"), _("Steunt op")], body, taken)
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 100, 60
        for line in ws.iter_rows(min_row=3, max_col=2):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for name, tables in sheets.items():
        ws = wb.create_sheet(title=sheet_title(name))
        ws["A1"] = _("Uitleg bij de tekens (%(m)s, ×, —) en de definities: blad %(s)s.") % {
            "m": marker(),
            "s": EXPLANATION_SHEET,
        }
        row = 3
        for t in tables:
            row = _add_table(ws, row, t.title, t.columns, [[label, *cells] for label, cells in t.rows], taken)
        ws.column_dimensions["A"].width = 60
        widest = max((len(t.columns) for t in tables), default=1)
        for j in range(2, widest + 1):
            ws.column_dimensions[get_column_letter(j)].width = 16

    ws = wb.create_sheet(title=EXPLANATION_SHEET)
    rows = [
        [_("Rapport"), doc.full_title],
        [_("Opgemaakt op"), f"{doc.report.generated_on:%d/%m/%Y}"],
        *[[term, text] for term, text in doc.explanations],
    ]
    for name, tables in sheets.items():
        rows.append([_("Blad %(s)s") % {"s": sheet_title(name)}, "; ".join(t.title for t in tables)])
        rows += [[t.title, " ".join(filter(None, [t.note, t.source]))] for t in tables if t.note]
    _add_table(
        ws, 1, _("Toelichting bij de tekens en definities"), [_("Onderwerp"), _("Uitleg")], rows, taken
    )
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 110
    for line in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        line[0].alignment = Alignment(wrap_text=True, vertical="top")

    neutralise_workbook(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
