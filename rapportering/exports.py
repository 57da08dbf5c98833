"""The same figures as CSV and XLSX (openpyxl).

Every CSV and XLSX the tool produces goes through ``to_csv`` / ``to_xlsx``, which neutralise formula
injection: a spreadsheet program runs a cell that starts with =, +, -, @, a tab or a carriage return as a
formula (or a DDE command), and entity names and other texts are typed in by people.
"""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Table


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
    """Numbers as numbers, everything else (e.g. '<5', '30%') as text."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


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


def to_xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=sheet_title(name))
        for r in rows:
            ws.append([_cell(c) for c in r])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 60
    neutralise_workbook(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
