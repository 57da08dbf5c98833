"""What an EOC or HOC report holds, in reading order, in one place: the key findings, the comparison
with the previous period and the tables. The PDF and XLSX (rapportering.documents) and the dashboard
(rapportering.views) all build from ``report_content``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from entiteiten.models import Entiteit
from trajecten import deadlines as dl

from . import shown, survival
from .figures import Figures, Periode, Report
from .findings import Finding, Indicator, indicators, key_findings
from .tables import (
    COUNT_COLS,
    Table,
    crossing_intake_table,
    crossing_outcomes_table,
    entity_timeliness_table,
    formal_outcomes_table,
    formal_terms_table,
    tables_for,
)

# findings.COUNT_KEYS -> (row, column) of the counts table ("aantallen") that prints it
COUNT_CELLS = {
    "started": (0, COUNT_COLS.index("totaal")),
    "ongoing": (1, COUNT_COLS.index("totaal")),
    "closed": (2, COUNT_COLS.index("totaal")),
    "formeel": (3, COUNT_COLS.index("formeel")),
}


def previous_periode(p: Periode) -> Periode:
    """The same period one year earlier (a calendar year: the previous calendar year)."""
    return Periode(dl.add_months(p.start, -12), dl.add_months(p.end, -12))


def period_phrase(p: Periode) -> str:
    """How a sentence names the period: "2025" ("In 2025 startten ..."), or "de periode 01/03/2025 –
    30/06/2025"."""
    return p.label if p == Periode.year(p.start.year) else _("de periode %(p)s") % {"p": p.label}


def hidden_counts(tables: list[Table]) -> dict[str, bool]:
    """Which of the indicator counts the counts table hides (also to protect another cell)."""
    counts = next(t for t in tables if t.key == "aantallen")
    return {key: not shown.is_stated(counts.rows[r][1][c]) for key, (r, c) in COUNT_CELLS.items()}


def comparison_table(inds: list[Indicator], period: str, previous: str) -> Table:
    return Table(
        "vergelijking",
        _("Vergelijking met het vorige jaar"),
        [_("Indicator"), period, previous, _("Verschil")],
        [(ind.label, [ind.now, ind.before or "—", ind.difference]) for ind in inds],
        _(
            "Dezelfde cijfers als in de tabellen Trajecten per soort en Tijdigheid, voor beide periodes. Het "
            "verschil staat er alleen als beide cijfers getoond worden (anders —); bij aandelen in "
            "procentpunten."
        ),
    )


def median_return(tables: list[Table]) -> tuple[str, str, tuple[str, str] | None] | None:
    """The median time to return as the first curve section prints it (Kaplan–Meier,
    rapportering.survival): (median of all in days, what it rests on, (median with a first conversation
    within 6 weeks, median later or none) or None). None when the section is missing or its median is
    withheld or not reached: a sentence only states what the table prints."""
    table = next((t for t in tables if t.key == survival.FIRST), None)
    if table is None or len(table.rows) < 3:
        return None
    (label, alle), (_e, early), (_l, late) = table.rows[:3]
    if not alle[1].isdigit():
        return None
    basis = _("%(t)s, %(r)s: mediaan %(m)s dagen (95%%-BI %(ci)s)") % {
        "t": table.title,
        "r": label,
        "m": alle[1],
        "ci": alle[2],
    }
    pair = None
    if early[1].isdigit() and late[1].isdigit():
        pair = (early[1], late[1])
        basis += "; " + _("binnen 6 weken: %(e)s; later of niet: %(l)s") % {"e": early[1], "l": late[1]}
    return alle[1], basis, pair


def _after(tables: list[Table], key: str, extra: list[Table]) -> list[Table]:
    i = next((n for n, t in enumerate(tables) if t.key == key), len(tables) - 1)
    return tables[: i + 1] + extra + tables[i + 1 :]


@dataclass
class Content:
    findings: list[Finding]
    tables: list[Table]


def figures_of(report: Report, entiteit: Entiteit | None) -> Figures:
    return report.per_entity[entiteit.pk] if entiteit else report.total


def report_content(report: Report, entiteit: Entiteit | None, previous: Report | None = None) -> Content:
    """An entity's (EOC) report or, when ``entiteit`` is None, the VO-wide (HOC) one; ``previous``: the
    same period a year earlier (its figures for the comparison; None leaves the comparison out)."""
    if previous is not None and entiteit is not None and entiteit.pk not in previous.per_entity:
        previous = None
    tables = tables_for(report, entiteit)
    f = figures_of(report, entiteit)
    prev_f = hidden_before = None
    if previous is not None:
        prev_f = figures_of(previous, entiteit)
        hidden_before = hidden_counts(tables_for(previous, entiteit, curves=False))
    inds = indicators(f, prev_f, hidden_counts(tables), hidden_before)
    prev_label = previous.periode.label if previous is not None else None
    findings = key_findings(
        inds,
        period_phrase(report.periode),
        period_phrase(previous.periode) if previous is not None else None,
        f"{min(report.periode.end, report.generated_on):%d/%m/%Y}",  # a year still running: today
        median_return(tables),
    )
    course = [
        formal_terms_table(f),
        formal_outcomes_table(f),
        crossing_intake_table(f),
        crossing_outcomes_table(f),
    ]
    tables = _after(tables, "uitkomsten", course)
    if entiteit is None:
        tables = _after(tables, "tijdigheid", [entity_timeliness_table(report)])
    if previous is not None:
        tables.insert(0, comparison_table(inds, report.periode.label, prev_label))
    return Content(findings, tables)
