"""Return-to-work curves (circular section 6: the possible impact of the measures on the duration of
long-term absence), with censoring: Kaplan–Meier estimates by lifelines.

The duration figures of ``figures.py`` take the absences that ended; an absence that still runs at the end
of the period is left out, so they lean towards short absences. Here every trajectory with a D0 that is
active in the period counts:

- its *time* runs from the first day of absence to the effective return (werkhervatting): an *event*;
- an absence that still runs at the end of the period, or whose trajectory closed without a return, is
  *censored* there: we know it lasted at least that long, not how long;
- a trajectory converted into another one (informal to formal, preventive to informal) is left out: the
  trajectory it continues in carries the absence;
- source (issue 13): where the personnel system recorded an absence period of the staff member covering
  D0, the absence runs from that period's first day to its last (the return is the day after); otherwise
  from the dossier (D0 to the first effective return). Each figure says how many trajectories used which.

Groups: first conversation within 6 weeks of D0 or later/none; with or without a stappenplan with
measures; per kind of measure; informal or formal; in the HOC per beleidsdomein. A group of fewer than
``REPORT_MIN_CELL`` persons is neither drawn nor tabulated; where its complement (the other group of a
pair, or the other domains) would give it away, that one is withheld too.

The results are plain JSON (``Figures.survival``), so the stored year figures (``Cijferset``) carry them
and the dashboard does not fit anything.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from entiteiten.models import Entiteit
from trajecten.models import Afwezigheid, Maatregel, Traject

from . import disclosure as dc
from . import figures as fg
from .charts import MAX_CURVES, STEP_MARKS, StepChart
from .tables import Table, marks_note

AFWEZIGHEID, DOSSIER = "afwezigheid", "dossier"
MONTH_DAYS = dict(STEP_MARKS)  # the shares are read at 13, 26 and 52 weeks since the start of the absence
MONTHS = tuple(MONTH_DAYS)
GRID_DAYS, GRID_MAX = 7, 728  # stored curve: its value each week, up to two years
CONVERTED = (Traject.Uitkomst.OMGEZET_FORMEEL, Traject.Uitkomst.OMGEZET_INFORMEEL)


# --- fetching and per-trajectory facts ----------------------------------------------------------------


def absences_of(ids, today: date | None = None) -> dict[int, tuple[date, date | None]]:
    """One query: for each trajectory of ``ids`` (a queryset of primary keys) with a D0, the personnel
    system's absence period of its staff member that covers D0, as (first day, last day or None); those
    without one are left out. A last day after ``today`` is a planned end, not a return yet: the absence
    counts as still running."""
    today = today or timezone.localdate()
    covering = Afwezigheid.objects.filter(
        entiteit_id=OuterRef("personeelslid__entiteit_id"),
        personeelsnummer=OuterRef("personeelslid__personeelsnummer"),
        eerste_dag__lte=OuterRef("d0"),
    ).filter(Q(laatste_dag__isnull=True) | Q(laatste_dag__gte=OuterRef("d0")))
    covering = covering.order_by("-eerste_dag")
    # (those without a covering absence are left out here, not by a filter on the annotation: PostgreSQL
    # would run the subquery a third time for it; and no ordering: Traject's default one sorted them all)
    rows = (
        Traject.objects.filter(pk__in=ids, d0__isnull=False)
        .annotate(a_start=Subquery(covering.values("eerste_dag")[:1]))
        .annotate(a_end=Subquery(covering.values("laatste_dag")[:1]))
        .order_by()
        .values_list("pk", "a_start", "a_end")
    )
    return {
        pk: (start, end if end is None or end < today else None)
        for pk, start, end in rows
        if start is not None
    }


class Spell(NamedTuple):
    """One trajectory's absence as the curves read it (a named tuple: made for every active trajectory of
    a year, and sent between processes, ``reintegratie.parallel``)."""

    days: int  # to the return (event), or the days it is known to have lasted (censored)
    returned: bool
    source: str  # AFWEZIGHEID or DOSSIER
    person: int
    soort: str
    early_contact: bool
    kinds: tuple[str, ...]  # kinds of measure in its stappenplannen


def spell_of(d: fg.ReportDossier, periode: fg.Periode, early_contact: bool) -> Spell | None:
    """The absence of a trajectory active in the period, or None when it does not count (no D0, or
    converted into another trajectory). Reads only the fetched data (``figures.fetch``)."""
    t = d.traject
    if t.d0 is None or t.uitkomst in CONVERTED:
        return None
    absence = d.afwezigheid
    closed_without_return = t.afgesloten_op if t.uitkomst == Traject.Uitkomst.GEEN_TERUGKEER else None
    if absence is not None:
        start, last = absence
        back = last + timedelta(days=1) if last is not None else None
        source = AFWEZIGHEID
    else:
        start = t.d0
        returns = [h.hervat_op for h in d.hervallen] + [t.werkhervatting_op]
        back = min((r for r in returns if r is not None), default=None)
        source = DOSSIER
        if back is None and t.afgesloten_op is not None:
            closed_without_return = t.afgesloten_op
    if closed_without_return is not None:
        # No return: what the staff member did after the trajectory closed is not known here.
        back = None
    if back is not None and back <= periode.end:
        days, returned = (back - start).days, True
    else:
        until = min(periode.end, closed_without_return or periode.end)
        days, returned = (until - start).days + 1, False
    kinds = tuple(sorted({mr.soort for p in d.stappenplannen for mr in p.maatregelen}))
    return Spell(max(days, 0), returned, source, t.personeelslid_id, t.soort, early_contact, kinds)


# --- estimation -------------------------------------------------------------------------------------


def _masks(spells: list[Spell]) -> dict:
    """Which spells belong to each group (a boolean array per group, in the order of the tables)."""
    import numpy as np

    n = len(spells)
    early = np.fromiter((s.early_contact for s in spells), dtype=bool, count=n)
    with_measures = np.fromiter((bool(s.kinds) for s in spells), dtype=bool, count=n)
    informal = np.fromiter((s.soort == Traject.Soort.INFORMEEL for s in spells), dtype=bool, count=n)
    formal = np.fromiter((s.soort == Traject.Soort.FORMEEL for s in spells), dtype=bool, count=n)
    per_kind = {kind: np.zeros(n, dtype=bool) for kind in Maatregel.Soort.values}
    for i, s in enumerate(spells):
        for kind in s.kinds:
            per_kind[kind][i] = True
    out = {
        "alle": np.ones(n, dtype=bool),
        "gesprek_6w": early,
        "gesprek_later": ~early,
        "met_maatregelen": with_measures,
        "zonder_maatregelen": ~with_measures,
        "informeel": informal,
        "formeel": formal,
    }
    out.update((f"maatregel_{kind}", mask) for kind, mask in per_kind.items())
    return out


def _arrays(spells: list[Spell]):
    """(days, returned, person) of the spells as arrays."""
    import numpy as np

    n = len(spells)
    return (
        np.fromiter((s.days for s in spells), dtype=np.int64, count=n),
        np.fromiter((s.returned for s in spells), dtype=bool, count=n),
        np.fromiter((s.person for s in spells), dtype=np.int64, count=n),
    )


def _persons(person) -> int:
    """The number of different staff members in an array of ``Spell.person``."""
    import numpy as np

    return int(np.unique(person).size)


def fit(spells: list[Spell]) -> dict:
    """Kaplan–Meier of one group, as JSON: persons and trajectories; the median time to return (days; None
    while the curve has not reached half) with its 95 % confidence interval (lifelines: exponential
    Greenwood; None for a bound not reached); the share returned at 3, 6 and 12 months (None beyond the
    longest follow-up); the numbers still absent and followed (at risk) then; the curve as the share
    returned each week (stored as its steps: [week, share] where it changes, and the number of weeks;
    ``weekly`` unfolds it). A group under the threshold keeps only its size."""
    return _fit(*_arrays(spells))


def _fit(days, returned, person) -> dict:
    """``fit`` of a group given as arrays (``_arrays``)."""
    out = {"personen": _persons(person), "trajecten": int(days.size)}
    if out["personen"] < fg.threshold():
        return out
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    kmf = KaplanMeierFitter().fit(days, returned)
    longest = int(days.max())

    def finite(x) -> float | None:
        return None if x is None or math.isinf(x) or math.isnan(x) else float(x)

    ci = median_survival_times(kmf.confidence_interval_survival_function_)
    grid = list(range(0, min(longest, GRID_MAX) + 1, GRID_DAYS))
    returned_at = [round(1 - v, 3) for v in kmf.survival_function_at_times(grid).tolist()]
    out.update(
        median=finite(kmf.median_survival_time_),
        ci=[finite(ci.iloc[0, 0]), finite(ci.iloc[0, 1])],
        teruggekeerd={
            str(m): (
                round(1 - float(kmf.survival_function_at_times(MONTH_DAYS[m]).iloc[0]), 4)
                if MONTH_DAYS[m] <= longest
                else None
            )
            for m in MONTHS
        },
        at_risk={str(m): int((days >= MONTH_DAYS[m]).sum()) for m in MONTHS},
        curve=[[i, v] for i, v in enumerate(returned_at) if i == 0 or v != returned_at[i - 1]],
        weeks=len(returned_at),
    )
    return out


def weekly(result: dict) -> tuple[float, ...]:
    """A stored curve's share returned in each week since the first day of absence."""
    values, steps = [], iter(result["curve"])
    step = next(steps)
    following = next(steps, None)
    for week in range(result["weeks"]):
        if following is not None and week == following[0]:
            step, following = following, next(steps, None)
        values.append(step[1])
    return tuple(values)


def logrank(a: list[Spell], b: list[Spell]) -> dict:
    (days_a, returned_a, _), (days_b, returned_b, _) = _arrays(a), _arrays(b)
    return _logrank((days_a, days_b), (returned_a, returned_b))


def _logrank(days, returned) -> dict:
    """The log-rank test of two groups given as pairs of arrays (``days``, ``returned``: (a, b) each)."""
    from lifelines.statistics import logrank_test

    result = logrank_test(days[0], days[1], returned[0], returned[1])
    return {"p": float(result.p_value), "chi2": float(result.test_statistic)}


def results(f: fg.Figures) -> dict:
    """``f.survival``, fitted on first use from the spells ``aggregate`` kept (stored figures have it)."""
    if not f.survival and getattr(f, "spells", None) is not None:
        f.survival = summarise(f.spells)
    return f.survival


def overall(f: fg.Figures) -> dict:
    """The curve of all of ``f``'s trajectories: stored, or fitted alone (a domain shows no other group)."""
    if f.survival:
        return group(f.survival, "alle")
    return fit(getattr(f, "spells", None) or [])


def group(data: dict, key: str) -> dict:
    return data["groepen"].get(key) or fit([])


def summarise(spells: list[Spell]) -> dict:
    """The curves of one group of trajectories (an entity, a domain, the VO): ``Figures.survival``."""
    days, returned, person = _arrays(spells)
    masks = _masks(spells)
    # an empty group is left out of the stored figures (``group`` gives it back)
    out = {
        "groepen": {
            key: _fit(days[mask], returned[mask], person[mask]) for key, mask in masks.items() if mask.any()
        },
        "bronnen": {
            AFWEZIGHEID: sum(s.source == AFWEZIGHEID for s in spells),
            DOSSIER: sum(s.source == DOSSIER for s in spells),
        },
    }
    early, late = masks["gesprek_6w"], masks["gesprek_later"]
    if min(_persons(person[early]), _persons(person[late])) >= fg.threshold():
        out["logrank_gesprek"] = _logrank((days[early], days[late]), (returned[early], returned[late]))
    return out


# --- presentation --------------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{round(100 * x)}%"


def _days(x: float | None) -> str:
    return _("niet bereikt") if x is None else f"{x:.0f}"


def _ci(ci: list) -> str:
    lo, hi = ci
    if lo is None:
        return "—"
    return f"{lo:.0f}–{_days(hi)}"


def _p(p: float) -> str:
    return "p < 0,001" if p < 0.001 else "p = " + f"{p:.3f}".replace(".", ",")


def _declare(p: dc.Protection, values: list[int], sums, column=None, published=None) -> None:
    """One column of a curve table (persons, or those still absent after m months) with the sums a reader
    knows: (the group that is the total of ``parts``, e.g. the "all" row, or None when the parts add up to
    a figure printed elsewhere, e.g. with and without measures: the trajectories of the first table; the
    domains: the VO). ``published``: which groups print the column (a withheld group does not, but what a
    reader can derive of it is protected all the same)."""
    for i, n in enumerate(values):
        p.cell((i, column), n, published=published is None or published[i])
    for g, (total, parts) in enumerate(sums):
        if total is None:
            total = p.cell(("som", g, column), sum(values[i] for i in parts), total=True)
        else:
            total = p.cell(
                (total, column), values[total], total=True, published=published is None or published[total]
            )
        p.equation(total, [(i, column) for i in parts])


def _protect(persons: list[int], sums: list[tuple[int | None, list[int]]]) -> list[bool]:
    """Which groups to hide (rapportering.disclosure), given the sums of ``_declare``."""
    p = dc.Protection()
    _declare(p, persons, sums)
    return [p.hidden((i, None)) for i in range(len(persons))]


def _at_risk(results: list[dict], sums, withheld: list[str | None]) -> dc.Protection:
    """Those still absent after 3, 6 and 12 months add up like the persons (the "all" row, a pair, the
    domains): protected the same way, per month."""
    p = dc.Protection()
    shown = [why is None for why in withheld]
    for m in MONTHS:
        _declare(p, [r.get("at_risk", {}).get(str(m), 0) for r in results], sums, m, shown)
    return p


def _withheld(results: list[dict], sums: list[tuple[int | None, list[int]]]) -> list[str | None]:
    """Why each group is withheld (None: shown). Under the threshold: too few; where a shown sum (the
    'all' row, the VO total) would give a small group's size back, another group is withheld with it."""
    hidden = _protect([r["personen"] for r in results], sums)
    out = []
    for r, h in zip(results, hidden, strict=True):
        if 0 < r["personen"] < fg.threshold():
            out.append(_("te weinig trajecten"))
        elif h:
            out.append(_("verborgen om een kleine groep te beschermen"))
        else:
            out.append(None)
    return out


COLUMNS = 9
FIRST = "overleving_gesprek"


def _columns() -> list[str]:
    """Short headers (ten columns fit a portrait page); the note says what they mean."""
    return [
        _("Groep"),
        _("Personen"),
        _("Mediaan (dagen)"),
        _("95%-BI (dagen)"),
        *(_("Terug na %(m)s mnd") % {"m": m} for m in MONTHS),
        *(_("Nog afwezig na %(m)s mnd") % {"m": m} for m in MONTHS),
    ]


def _rows(
    items: list[tuple[str, dict]], withheld: list[str | None], at_risk: dc.Protection
) -> list[tuple[str, list[str]]]:
    rows = []
    for i, ((label, r), why) in enumerate(zip(items, withheld, strict=True)):
        if why is not None:
            rows.append((label, [why] + ["—"] * (COLUMNS - 1)))
        elif r["personen"] == 0 or "median" not in r:
            rows.append((label, ["0"] + ["—"] * (COLUMNS - 1)))
        else:
            rows.append(
                (
                    label,
                    [
                        fg.show(r["personen"]),
                        _days(r["median"]),
                        _ci(r["ci"]),
                        *(_pct(r["teruggekeerd"][str(m)]) for m in MONTHS),
                        *(at_risk.text((i, m)) for m in MONTHS),
                    ],
                )
            )
    return rows


def source_line(data: dict) -> str:
    """Which source the durations came from: how many trajectories each (``summarise``'s count)."""
    b = data["bronnen"]
    return _(
        "Bron: afwezigheidsperiodes uit het personeelssysteem voor %(a)s trajecten, dossier (D0 tot "
        "werkhervatting) voor %(d)s."
    ) % {"a": fg.show(b[AFWEZIGHEID]), "d": fg.show(b[DOSSIER])}


def _note(first: bool) -> str:
    if not first:
        return _(
            "Kaplan–Meier-schatting met censurering, zoals bij de eerste curve uitgelegd. Een verschil tussen "
            "groepen is een samenhang, geen bewijs van oorzaak."
        )
    return _(
        "Kaplan–Meier-schatting van de tijd van de eerste afwezigheidsdag tot de werkhervatting, over de "
        "trajecten met een D0 die actief waren in de periode. Wie op het einde van de periode nog afwezig is, "
        "of wiens traject zonder terugkeer afgesloten werd, telt mee tot dan (gecensureerd): we weten dat die "
        "afwezigheid minstens zo lang duurde. BI: het 95%-betrouwbaarheidsinterval van de mediaan. Terug na "
        "3, 6 en 12 maanden (13, 26 en 52 weken): het geschatte aandeel dat dan het werk hervat had. Nog "
        "afwezig: het aantal trajecten dat toen nog gevolgd werd zonder werkhervatting. Een verschil tussen "
        "groepen is een samenhang, geen bewijs van oorzaak: de groepen verschillen ook in andere opzichten, "
        "en wie langer afwezig is, krijgt meer kans op een gesprek of een maatregel."
    )


def _table(key: str, title: str, items, sums, data: dict, extra: str = "") -> Table:
    results = [r for _label, r in items]
    withheld = _withheld(results, sums)
    rows = _rows(items, withheld, _at_risk(results, sums, withheld))
    drawable = [
        (label, r) for (label, r), why in zip(items, withheld, strict=True) if why is None and r.get("curve")
    ]
    # the largest groups, in the table's order: more curves in one chart cannot be told apart
    largest = {label for label, r in sorted(drawable, key=lambda i: -i[1]["personen"])[:MAX_CURVES]}
    series = tuple((label, weekly(r)) for label, r in drawable if label in largest)
    not_drawn = tuple(
        (label, why or _("enkel de %(n)s grootste groepen worden getekend") % {"n": MAX_CURVES})
        for (label, r), why in zip(items, withheld, strict=True)
        if why is not None or (r.get("curve") and label not in largest)
    )
    chart = None
    if series:
        chart = StepChart(
            _("Aandeel teruggekeerd naar het werk volgens de tijd sinds de eerste afwezigheidsdag, %(t)s")
            % {"t": title[0].lower() + title[1:]},
            series,
            GRID_DAYS,
            not_drawn,
        )
    table = Table(
        key,
        _("Terugkeer naar het werk: %(t)s") % {"t": title},
        _columns(),
        rows,
        marks_note(_note(key == FIRST) + extra, rows),
    )
    table.step_chart = chart
    table.source = source_line(data)
    return table


def curve_tables(report: fg.Report, entiteit: Entiteit | None) -> list[Table]:
    """The curve sections of an entity's report, or of the VO-wide one (with the domains) when None."""
    f = report.per_entity[entiteit.pk] if entiteit else report.total
    data = results(f)
    if not data:
        return []
    extra = ""
    lr = data.get("logrank_gesprek")
    if lr is not None:
        extra = " " + _(
            "Log-rank-toets, eerste gesprek binnen 6 weken tegenover later of niet: %(p)s. Een kleine p "
            "zegt dat de curves verschillen; het is een samenhang, geen bewijs van oorzaak."
        ) % {"p": _p(lr["p"])}
    kinds = dict(Maatregel.Soort.choices)
    tables = [
        _table(
            FIRST,
            _("eerste gesprek binnen 6 weken of later"),
            [
                (_("Alle trajecten"), group(data, "alle")),
                (_("Eerste gesprek binnen 6 weken"), group(data, "gesprek_6w")),
                (_("Eerste gesprek later of niet"), group(data, "gesprek_later")),
            ],
            [(0, [1, 2])],
            data,
            extra,
        ),
        _table(
            "overleving_maatregelen",
            _("met of zonder stappenplan met maatregelen"),
            [
                (_("Met een stappenplan met maatregelen"), group(data, "met_maatregelen")),
                (_("Zonder maatregelen"), group(data, "zonder_maatregelen")),
            ],
            [(None, [0, 1])],
            data,
        ),
        _table(
            "overleving_soort_maatregel",
            _("per soort maatregel"),
            [(str(kinds[k]), group(data, f"maatregel_{k}")) for k in kinds],
            [],
            data,
            " " + _("Een traject met maatregelen van meerdere soorten telt bij elke soort."),
        ),
        _table(
            "overleving_soort",
            _("informele en formele trajecten"),
            [(_("Informeel"), group(data, "informeel")), (_("Formeel"), group(data, "formeel"))],
            [(None, [0, 1])],
            data,
        ),
    ]
    if entiteit is None:
        domains = [(d, overall(fd)) for d, fd in report.per_domain.items()]
        tables.append(
            _table(
                "overleving_beleidsdomein",
                _("per beleidsdomein"),
                domains,
                [(None, list(range(len(domains))))],
                data,
            )
        )
    return tables


def with_curves(tables: list[Table], report: fg.Report, entiteit: Entiteit | None) -> list[Table]:
    """The report's tables with the curve sections right after the duration table (or at the end)."""
    keys = [t.key for t in tables]
    at = keys.index("duur") + 1 if "duur" in keys else len(tables)
    return tables[:at] + curve_tables(report, entiteit) + tables[at:]
