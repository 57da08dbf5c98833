"""A database's fingerprint: the row count of every table and the report figures of every year.

Used to check a restored backup (README, "Back-up en herstel"): take the fingerprint before the backup,
restore, take it again on the restored database and compare (``manage.py fingerprint --compare``).
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Max, Min
from django.db.models.functions import ExtractYear

from rapportering import figures as fg
from trajecten.models import Traject


def table_counts() -> dict[str, int]:
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - own table names
            out[table] = cursor.fetchone()[0]
    return out


def report_years() -> list[int]:
    span = Traject.objects.aggregate(
        first_d0=Min(ExtractYear("d0")),
        first_made=Min(ExtractYear("aangemaakt_op")),
        last_closed=Max(ExtractYear("afgesloten_op")),
        last_made=Max(ExtractYear("aangemaakt_op")),
    )
    starts = [y for y in (span["first_d0"], span["first_made"]) if y]
    ends = [y for y in (span["last_closed"], span["last_made"]) if y]
    return list(range(min(starts), max(ends) + 1)) if starts and ends else []


def figures(years: list[int]) -> dict[str, dict]:
    """The yearly figures (every entity, total, per beleidsdomein) as the reports print them."""
    return {
        str(y): fg.report_to_dict(fg.build(fg.Periode.year(y), generated_on=date(y, 12, 31))) for y in years
    }


def fingerprint(years: list[int] | None = None) -> dict:
    return {"tables": table_counts(), "figures": figures(report_years() if years is None else years)}


def differences(before: dict, after: dict) -> list[str]:
    out = []
    for table in sorted(set(before["tables"]) | set(after["tables"])):
        a, b = before["tables"].get(table), after["tables"].get(table)
        if a != b:
            out.append(f"tabel {table}: {a} rijen voor, {b} na")
    for year in sorted(set(before["figures"]) | set(after["figures"])):
        if before["figures"].get(year) != after["figures"].get(year):
            out.append(f"cijfers van {year} verschillen")
    return out
