"""The figures of the EOC (per entity) and HOC (VO-wide) reports, circular section 6.

One set-based fetch (a fixed number of queries whatever the size), then per-trajectory metrics in
plain Python (``metrics_of``) and aggregation (``aggregate``). Anonymity is applied when figures are
presented (``rapportering.disclosure``, through ``rapportering.tables``), never in the raw counts, so the
same figures feed the PDF, the CSV/XLSX exports and the dashboards.

Definitions (also printed in the reports' explanations):
- a trajectory's start is D0, or the registration date for a preventive trajectory;
- *active* in the period: started on or before its end and not closed before its start;
- *started* / *closed*: start / closing date in the period; *ongoing*: active and not closed at its end;
- entity-crossing trajectories count with the entity of origin, and again in the column
  "entiteitsoverschrijdend" (so the types do not add up to the total);
- timeliness is measured on informal trajectories with a D0 that started in the period;
- duration of absence: D0 to the first effective return, for returns in the period;
- relapse within 3 / 12 months of a return in the period.
"""

from __future__ import annotations

import statistics
from collections import Counter, namedtuple
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from entiteiten.models import Entiteit
from reintegratie.memory import collector_paused
from reintegratie.parallel import side_by_side
from trajecten import deadlines as dl
from trajecten.evaluation import FORMEEL_COLUMNS, FormeelRow, MaatregelRow
from trajecten.facts import Dossier, Plan, facts_from
from trajecten.models import (
    Aanmelding,
    Betrokkenheid,
    FormeelVerloop,
    Gesprek,
    Herval,
    Inschatting,
    Maatregel,
    Onderzoek,
    Stappenplan,
    Traject,
    Verlenging,
)

from . import disclosure as dc

TYPES = ("informeel", "formeel", "preventief", "entiteitsoverschrijdend")


@dataclass(frozen=True)
class Periode:
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Periode:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def __contains__(self, d: date | None) -> bool:
        return d is not None and self.start <= d <= self.end

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end == date(self.start.year, 12, 31):
            return str(self.start.year)
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


@dataclass(slots=True)
class Metrics:
    """What one trajectory contributes to the figures of a period."""

    entiteit_id: int
    types: tuple[str, ...]
    active: bool
    started: bool
    closed: bool
    ongoing: bool
    outcome: str = ""
    timeliness_eligible: bool = False
    gesprek_6w: bool = False
    gesprek_2m: bool = False
    early_contact: bool = False
    positive: bool = False
    stappenplan_2m: bool = False
    verplicht: bool = False
    waarschuwing: bool = False
    measures: tuple[str, ...] = ()
    has_measures: bool = False
    return_days: int | None = None
    relapse_3m: bool = False
    relapse_12m: bool = False
    actors: frozenset[str] = frozenset()
    # issue 12 (figures_more): formal course, entity-crossing intake, the entity's global efforts
    kb_terms: tuple[str, ...] = ()
    aanmeldingen: tuple[str, ...] = ()
    coach_id: int | None = None
    gesprekken: int = 0
    spell: object = None  # survival.Spell: the absence as the return-to-work curves read it


@dataclass
class ReportDossier(Dossier):
    """A dossier as the figures read it (trajecten.facts.Dossier, with rows instead of model instances),
    plus its requests to AgO and the personnel system's absence period that covers D0."""

    aanmeldingen: list = field(default_factory=list)
    afwezigheid: tuple[date, date | None] | None = None  # survival.absences_of


class ReportTraject(
    namedtuple(
        "ReportTraject",
        (
            "id",
            "entiteit_id",
            "doel_entiteit_id",
            "personeelslid_id",
            "coach_id",
            "soort",
            "d0",
            "aangemaakt_op",
            "afgesloten_op",
            "uitkomst",
            "werkhervatting_op",
            "werkhervatting_vorm",
            "definitieve_ongeschiktheid_op",
            "gezondheidstoezicht",
        ),
    )
):
    """The columns of a trajectory the figures and the deadline rules read (a row, not a model instance)."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id


# part model, list on the dossier, fields read (each part a named tuple of those fields)
_PARTS = (
    (Gesprek, "gesprekken", ("datum", "soort")),
    (Inschatting, "inschattingen", ("datum", "uitkomst", "volgend_gesprek_op")),
    (Verlenging, "verlengingen", ("toegekend_op", "nieuwe_datum")),
    (Herval, "hervallen", ("hervat_op", "datum", "hervatting_vorm")),
    (Betrokkenheid, "betrokkenheden", ("actor", "vanaf", "toestemming_ingetrokken_op")),
    (Onderzoek, "onderzoeken", ("datum", "soort")),
    (Aanmelding, "aanmeldingen", ("status", "aangemeld_op", "beslist_op", "doelentiteit_op")),
)
_PART_ROWS = {name: namedtuple(name, names)._make for _, name, names in _PARTS}
_PlanRow = namedtuple("PlanRow", ("datum",))


def fetch(periode: Periode, entiteit_ids: list[int] | None = None) -> list[ReportDossier]:
    """Every trajectory active in the period as a dossier, with what ``metrics_of`` and the deadline rules
    read.

    Everything is read as rows with one lean query per table (no model instances): at VO scale Django's
    model building, prefetch machinery and related managers (a new manager object at every
    ``t.gesprek_set``) cost several times the database time.
    """
    qs = Traject.objects.filter(
        Q(d0__lte=periode.end) | Q(d0__isnull=True, aangemaakt_op__date__lte=periode.end)
    ).filter(Q(afgesloten_op__isnull=True) | Q(afgesloten_op__gte=periode.start))
    if entiteit_ids is not None:
        qs = qs.filter(entiteit_id__in=entiteit_ids)
    out = {
        row[0]: ReportDossier(traject=ReportTraject._make(row))
        for row in qs.order_by("pk").values_list(*ReportTraject._fields)
    }
    ids = qs.order_by().values("pk")
    for traject_id, *vals in FormeelVerloop.objects.filter(traject_id__in=ids).values_list(
        "traject_id", *FORMEEL_COLUMNS
    ):
        if (d := out.get(traject_id)) is not None:
            d.formeel = FormeelRow._make(vals)
    for model, name, names in _PARTS:
        make = _PART_ROWS[name]
        for traject_id, *vals in model.objects.filter(traject_id__in=ids).values_list("traject_id", *names):
            if (d := out.get(traject_id)) is not None:
                getattr(d, name).append(make(vals))
    measures: dict[int, list] = {}
    for plan_id, soort in Maatregel.objects.filter(stappenplan__traject_id__in=ids).values_list(
        "stappenplan_id", "soort"
    ):
        measures.setdefault(plan_id, []).append(MaatregelRow(soort))
    for plan_id, traject_id, datum in Stappenplan.objects.filter(traject_id__in=ids).values_list(
        "id", "traject_id", "datum"
    ):
        if (d := out.get(traject_id)) is not None:
            d.stappenplannen.append(Plan(_PlanRow(datum), measures.get(plan_id, [])))
    for traject_id, absence in survival.absences_of(ids).items():
        if (d := out.get(traject_id)) is not None:
            d.afwezigheid = absence
    return list(out.values())


def start_of(t: Traject) -> date:
    return t.d0 or timezone.localdate(t.aangemaakt_op)


def metrics_of(d: ReportDossier, periode: Periode, mandatory_from: date | None) -> Metrics:
    t = d.traject
    start = start_of(t)
    active = _active(t, periode)
    types = (t.soort,) + (("entiteitsoverschrijdend",) if t.doel_entiteit_id else ())
    m = Metrics(
        entiteit_id=t.entiteit_id,
        types=types,
        active=active,
        started=start in periode,
        closed=t.afgesloten_op in periode,
        ongoing=active and (t.afgesloten_op is None or t.afgesloten_op > periode.end),
    )
    if m.closed:
        m.outcome = t.uitkomst
    if active:
        m.actors = frozenset(b.actor for b in d.betrokkenheden if b.vanaf <= periode.end)
        m.measures = tuple(
            mr.soort for p in d.stappenplannen if p.obj.datum in periode for mr in p.maatregelen
        )
    m.has_measures = any(p.maatregelen for p in d.stappenplannen)

    gesprekken = sorted(g.datum for g in d.gesprekken if g.soort == Gesprek.Soort.GESPREK)
    inschattingen = sorted(d.inschattingen, key=lambda i: i.datum)
    first_talk = min(
        [d for d in [*gesprekken, *(i.datum for i in inschattingen)] if t.d0 is None or d >= t.d0],
        default=None,
    )
    if t.d0 and first_talk:
        m.early_contact = first_talk <= t.d0 + timedelta(days=42)

    if t.soort == Traject.Soort.INFORMEEL and t.d0 and m.started:
        m.timeliness_eligible = True
        m.gesprek_6w = m.early_contact
        m.gesprek_2m = first_talk is not None and first_talk <= dl.add_months(t.d0, 2)
        positive = next((i for i in inschattingen if i.uitkomst == dl.STAPPEN_MOGELIJK), None)
        if positive:
            m.positive = True
            plans = [p.obj.datum for p in d.stappenplannen if p.obj.datum >= positive.datum]
            m.stappenplan_2m = bool(plans) and min(plans) <= dl.add_months(positive.datum, 2)
        as_of = min(periode.end, t.afgesloten_op or periode.end)
        verplicht, waarschuwing = dl.first_in_force(
            facts_from(d, ignore_closing=True), as_of, mandatory_from=mandatory_from
        )
        m.verplicht, m.waarschuwing = verplicht is not None, waarschuwing is not None

    returns = sorted(
        [h.hervat_op for h in d.hervallen] + ([t.werkhervatting_op] if t.werkhervatting_op else [])
    )
    if t.d0 and returns and returns[0] in periode:
        first = returns[0]
        m.return_days = (first - t.d0).days
        relapses = [h.datum for h in d.hervallen if h.hervat_op == first]
        m.relapse_3m = any(r <= dl.add_months(first, 3) for r in relapses)
        m.relapse_12m = any(r <= dl.add_months(first, 12) for r in relapses)
    more_metrics(d, periode, m)
    if active:
        m.spell = survival.spell_of(d, periode, m.early_contact)
    return m


@dataclass
class Duration:
    n: int = 0
    q1: float | None = None
    median: float | None = None
    q3: float | None = None

    @classmethod
    def of(cls, days: list[int]) -> Duration:
        if not days:
            return cls()
        if len(days) == 1:
            return cls(1, days[0], days[0], days[0])
        q1, med, q3 = statistics.quantiles(days, n=4, method="inclusive")
        return cls(len(days), q1, med, q3)


@dataclass
class Figures:
    """Raw (unsuppressed) counts of one group of trajectories in one period."""

    started: Counter = field(default_factory=Counter)
    ongoing: Counter = field(default_factory=Counter)
    closed: Counter = field(default_factory=Counter)
    active: Counter = field(default_factory=Counter)
    timeliness: Counter = field(default_factory=Counter)
    measures: Counter = field(default_factory=Counter)
    trajecten_met_maatregel: int = 0
    outcomes: Counter = field(default_factory=Counter)
    duration: Duration = field(default_factory=Duration)
    duration_early: Duration = field(default_factory=Duration)
    duration_late: Duration = field(default_factory=Duration)
    duration_with_measures: Duration = field(default_factory=Duration)
    duration_without_measures: Duration = field(default_factory=Duration)
    relapse: Counter = field(default_factory=Counter)
    actors: Counter = field(default_factory=Counter)
    persons: int = 0
    # issue 12 (see aggregate_more)
    formal_terms: Counter = field(default_factory=Counter)
    outcomes_formeel: Counter = field(default_factory=Counter)
    outcomes_crossing: Counter = field(default_factory=Counter)
    aanmeldingen: Counter = field(default_factory=Counter)
    coaches: int = 0
    gesprekken: int = 0
    survival: dict = field(default_factory=dict)  # survival.summarise: JSON, stored with the figures


def aggregate(metrics: list[Metrics]) -> Figures:
    f = Figures()
    durations, early, late, with_m, without_m = [], [], [], [], []
    for m in metrics:
        for kind, flag in (
            ("started", m.started),
            ("ongoing", m.ongoing),
            ("closed", m.closed),
            ("active", m.active),
        ):
            if flag:
                counter = getattr(f, kind)
                for ty in m.types:  # (a loop: Counter.update's checks cost more than its one or two items)
                    counter[ty] += 1
                counter["totaal"] += 1
        if m.active:
            f.persons += 1
            f.actors.update(m.actors)
            if m.measures:
                f.trajecten_met_maatregel += 1
                f.measures.update(m.measures)
        if m.outcome:
            f.outcomes[m.outcome] += 1
        if m.timeliness_eligible:
            f.timeliness["eligible"] += 1
            for name in (
                "gesprek_6w",
                "gesprek_2m",
                "positive",
                "stappenplan_2m",
                "verplicht",
                "waarschuwing",
            ):
                f.timeliness[name] += int(getattr(m, name))
        if m.return_days is not None:
            durations.append(m.return_days)
            (early if m.early_contact else late).append(m.return_days)
            (with_m if m.has_measures else without_m).append(m.return_days)
            f.relapse["returns"] += 1
            f.relapse["within_3m"] += int(m.relapse_3m)
            f.relapse["within_12m"] += int(m.relapse_12m)
    aggregate_more(f, metrics)
    # the return-to-work curves are fitted when shown or stored (survival.results), not for every group
    f.spells = [m.spell for m in metrics if m.spell is not None]
    return _with_durations(f, (durations, early, late, with_m, without_m))


_DURATIONS = (
    "duration",
    "duration_early",
    "duration_late",
    "duration_with_measures",
    "duration_without_measures",
)


def _with_durations(f: Figures, days: tuple[list[int], ...]) -> Figures:
    """Set the durations from their days, kept (``f.days``) for a ``merge``."""
    f.days = days
    for name, values in zip(_DURATIONS, days, strict=True):
        setattr(f, name, Duration.of(values))
    return f


def merge(parts: list[Figures]) -> Figures:
    """The figures of the union of disjoint groups, from each group's ``aggregate``: what ``aggregate`` of
    all their metrics gives (counts add up; durations, coaches and curves from the groups' raw data), for
    the domains and the total without tallying every trajectory again."""
    f = Figures()
    for part in parts:
        for fld in fields(Figures):
            value = getattr(part, fld.name)
            if isinstance(value, Counter):
                getattr(f, fld.name).update(value)
            elif isinstance(value, int) and fld.name != "coaches":
                setattr(f, fld.name, getattr(f, fld.name) + value)
    f.coach_ids = set().union(*(part.coach_ids for part in parts))
    f.coaches = len(f.coach_ids)
    f.spells = [s for part in parts for s in part.spells]
    return _with_durations(
        f, tuple([d for part in parts for d in part.days[i]] for i in range(len(_DURATIONS)))
    )


@dataclass
class Report:
    periode: Periode
    total: Figures
    per_entity: dict[int, Figures]
    entities: list[Entiteit]
    per_domain: dict[str, Figures]
    generated_on: date


def build(
    periode: Periode, entiteiten: list[Entiteit] | None = None, generated_on: date | None = None
) -> Report:
    """Figures of the given entities (all when None): total, per entity and per beleidsdomein."""
    return build_many([periode], entiteiten, generated_on)[0]


def build_many(
    periodes: list[Periode], entiteiten: list[Entiteit] | None = None, generated_on: date | None = None
) -> list[Report]:
    """``build`` for several periods (a year and the year before, for the comparison) with ONE fetch over
    their span: a trajectory active in both is read once."""
    ids = [e.pk for e in entiteiten] if entiteiten is not None else None
    span = Periode(min(p.start for p in periodes), max(p.end for p in periodes))
    with collector_paused():  # hundreds of thousands of small objects without cycles (reintegratie.memory)
        dossiers = fetch(span, ids)
        entities = (
            entiteiten if entiteiten is not None else list(Entiteit.objects.order_by("beleidsdomein", "naam"))
        )
        # each period's figures in its own process when there is much to judge (reintegratie.parallel)
        reports = side_by_side(
            [
                partial(_report, p, [d for d in dossiers if _active(d.traject, p)], entities, generated_on)
                for p in periodes
            ],
            parallel=0 < settings.REPORT_PARALLEL_FROM <= len(dossiers),
        )
        del dossiers  # freed now, so the collection at the block's end walks only what the reports keep
    return reports


def _active(t, periode: Periode) -> bool:
    """Active in the period (what ``fetch`` selects): started on or before its end, not closed before it."""
    return start_of(t) <= periode.end and (t.afgesloten_op is None or t.afgesloten_op >= periode.start)


def _report(
    periode: Periode, dossiers: list[ReportDossier], entities: list[Entiteit], generated_on: date | None
) -> Report:
    mandatory_from = settings.FORMEEL_VERPLICHT_VANAF
    all_metrics = [metrics_of(d, periode, mandatory_from) for d in dossiers]
    by_entity: dict[int, list[Metrics]] = {}
    for m in all_metrics:
        by_entity.setdefault(m.entiteit_id, []).append(m)
    # each trajectory tallied once, for its entity; the domains and the total merge the entities' figures
    per_entity = {e.pk: aggregate(by_entity.get(e.pk, [])) for e in entities}
    domains: dict[str, list[Figures]] = {}
    for e in entities:
        domains.setdefault(e.beleidsdomein, []).append(per_entity[e.pk])
    return Report(
        periode=periode,
        total=merge(list(per_entity.values())),  # (every fetched trajectory is of one of ``entities``)
        per_entity=per_entity,
        entities=entities,
        per_domain={d: merge(fs) for d, fs in sorted(domains.items())},
        generated_on=generated_on or timezone.localdate(),
    )


# --- anonymity: moved to rapportering.disclosure; these names stay for their callers -------------------

threshold, is_small, marker, show, days = dc.threshold, dc.is_small, dc.marker, dc.show, dc.days


# --- precomputed figures (rapportering.models.Cijferset) ---------------------------------------------


def figures_to_dict(f: Figures) -> dict:
    survival.results(f)  # fitted now, so the stored figures carry the curves
    out = {}
    for fld in fields(f):
        value = getattr(f, fld.name)
        if isinstance(value, Counter):
            value = dict(value)
        elif isinstance(value, Duration):
            value = asdict(value)
        out[fld.name] = value
    return out


def figures_from_dict(d: dict) -> Figures:
    f = Figures()
    for fld in fields(f):
        current = getattr(f, fld.name)
        value = d.get(fld.name, current)
        if isinstance(current, Counter):
            value = Counter(value)
        elif isinstance(current, Duration):
            value = Duration(**value)
        setattr(f, fld.name, value)
    return f


def report_to_dict(r: Report) -> dict:
    return {
        "periode": [r.periode.start.isoformat(), r.periode.end.isoformat()],
        "generated_on": r.generated_on.isoformat(),
        "entities": [e.pk for e in r.entities],
        "total": figures_to_dict(r.total),
        "per_entity": {str(k): figures_to_dict(v) for k, v in r.per_entity.items()},
        "per_domain": {k: figures_to_dict(v) for k, v in r.per_domain.items()},
    }


def report_from_dict(d: dict) -> Report:
    ids = d["entities"]
    by_id = Entiteit.objects.in_bulk(ids)
    return Report(
        periode=Periode(date.fromisoformat(d["periode"][0]), date.fromisoformat(d["periode"][1])),
        total=figures_from_dict(d["total"]),
        per_entity={int(k): figures_from_dict(v) for k, v in d["per_entity"].items()},
        entities=[by_id[i] for i in ids if i in by_id],
        per_domain={k: figures_from_dict(v) for k, v in d["per_domain"].items()},
        generated_on=date.fromisoformat(d["generated_on"]),
    )


# --- issue 12: the course of formal trajectories, entity-crossing intake, global efforts -------------

KB_TERMS = (dl.FORMEEL_BEOORDELING, dl.FORMEEL_PLAN, dl.FORMEEL_ANTWOORD)
ON_TIME, LATE = "tijdig", "niet_tijdig"


def kb_term_results(facts: dl.TrajectFacts, periode: Periode, as_of: date) -> tuple[str, ...]:
    """The KB terms of a formal trajectory whose term ended in the period, as "<code>.<tijdig|niet_tijdig>"
    (met on or before the due date, or met late or not met by ``as_of``). Terms still running at
    ``as_of`` (e.g. the trajectory closed before) do not count. Pure: facts and dates in."""
    ev = dl.evaluate(replace(facts, closed_on=None), as_of)
    out = []
    for ms in ev.milestones:
        if ms.code not in KB_TERMS or ms.due not in periode or ms.state not in (dl.MET, dl.MISSED):
            continue
        out.append(f"{ms.code}.{ON_TIME if ms.state == dl.MET and not ms.late else LATE}")
    return tuple(out)


def aanmelding_status_on(a, day: date) -> str:
    """The status an AgO request had at the end of ``day`` (from its dates: a past year's report says what
    was known then). Pure."""
    S = Aanmelding.Status
    if a.status == S.GEWEIGERD and a.beslist_op is not None and a.beslist_op <= day:
        return S.GEWEIGERD
    if a.doelentiteit_op is not None and a.doelentiteit_op <= day:
        return S.DOELENTITEIT_GEVONDEN
    if a.status != S.AANGEMELD and a.beslist_op is not None and a.beslist_op <= day:
        return S.AANVAARD
    return S.AANGEMELD


def more_metrics(d: ReportDossier, periode: Periode, m: Metrics) -> None:
    """Issue 12's per-trajectory metrics (called at the end of ``metrics_of``)."""
    if not m.active:
        return
    t = d.traject
    m.coach_id = t.coach_id
    m.gesprekken = sum(1 for g in d.gesprekken if g.datum in periode)
    m.aanmeldingen = tuple(
        aanmelding_status_on(a, periode.end) for a in d.aanmeldingen if a.aangemeld_op in periode
    )
    if t.soort == Traject.Soort.FORMEEL and t.d0:
        as_of = min(periode.end, t.afgesloten_op or periode.end)
        m.kb_terms = kb_term_results(facts_from(d), periode, as_of)


def aggregate_more(f: Figures, metrics: list[Metrics]) -> None:
    """Issue 12's aggregation (called from ``aggregate``)."""
    for m in metrics:
        f.formal_terms.update(m.kb_terms)
        f.aanmeldingen.update(m.aanmeldingen)
        f.gesprekken += m.gesprekken
        if m.outcome and "formeel" in m.types:
            f.outcomes_formeel[m.outcome] += 1
        if m.outcome and "entiteitsoverschrijdend" in m.types:
            f.outcomes_crossing[m.outcome] += 1
    f.coach_ids = {m.coach_id for m in metrics if m.coach_id is not None}
    f.coaches = len(f.coach_ids)


# The curves read this module's names, so they are imported last (not inside ``metrics_of``, where the import
# statement cost 3 % of a VO year's figures).
from . import survival  # noqa: E402
