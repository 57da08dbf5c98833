"""How the tool prints a date: dd/mm/jjjj (nl-BE), one formatter for pages, messages, forms and history."""

from __future__ import annotations

from datetime import date


def fmt(d: date | None) -> str:
    """A date (or a datetime's day) as dd/mm/jjjj, exactly Django's ``date_format(d, "d/m/Y")`` (the year in
    four digits), or a dash for none. Written directly: Django's formatter costs 12 µs a date, and the
    worklist prints 50."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if d else "—"
