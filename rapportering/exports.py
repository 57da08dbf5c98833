"""The same figures as CSV and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io

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


def to_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")  # Excel in nl-BE opens ';'-separated files as columns
    writer.writerows([[str(c) for c in r] for r in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8 correctly


def _cell(value):
    """Numbers as numbers, everything else (e.g. '<5', '30%') as text."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def to_xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        for r in rows:
            ws.append([_cell(c) for c in r])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
