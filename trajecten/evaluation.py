"""Glue between the dossier models and the pure deadline rules.

Everything here is set-based: a queryset of trajectories is fetched with a fixed number of queries
(prefetching every part the rules need), whatever the number of rows.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from django.conf import settings
from django.db import connections
from django.db.models import Prefetch, QuerySet

from . import deadlines as dl
from .facts import PROGRESSIEF, Dossier, Plan, facts_from
from .models import (
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

RULE_PREFETCHES = (
    Prefetch("gesprek_set", queryset=Gesprek.objects.only("id", "traject_id", "datum", "soort")),
    Prefetch(
        "inschatting_set",
        queryset=Inschatting.objects.only("id", "traject_id", "datum", "uitkomst", "volgend_gesprek_op"),
    ),
    # only the measures the rules read: a progressive return (the coordinating role)
    Prefetch(
        "stappenplan_set",
        queryset=Stappenplan.objects.prefetch_related(
            Prefetch(
                "maatregelen",
                queryset=Maatregel.objects.filter(soort="progressief").only("id", "stappenplan_id", "soort"),
            )
        ),
    ),
    Prefetch("verlenging_set"),
    Prefetch("herval_set"),
    Prefetch(
        "betrokkenheid_set",
        queryset=Betrokkenheid.objects.only("id", "traject_id", "vanaf", "toestemming_ingetrokken_op"),
    ),
    Prefetch("onderzoek_set"),
)


def with_rule_data(qs: QuerySet[Traject]) -> QuerySet[Traject]:
    """The queryset, with what ``facts_of`` reads fetched in a constant number of queries."""
    return qs.select_related("formeel_verloop", "entiteit").prefetch_related(*RULE_PREFETCHES)


def dossier_for_rules(traject: Traject) -> Dossier:
    """The parts of a trajectory that the deadline rules read (see RULE_PREFETCHES)."""
    try:
        formeel: FormeelVerloop | None = traject.formeel_verloop
    except FormeelVerloop.DoesNotExist:
        formeel = None
    return Dossier(
        traject=traject,
        gesprekken=list(traject.gesprek_set.all()),
        inschattingen=list(traject.inschatting_set.all()),
        stappenplannen=[Plan(p, list(p.maatregelen.all())) for p in traject.stappenplan_set.all()],
        verlengingen=list(traject.verlenging_set.all()),
        hervallen=list(traject.herval_set.all()),
        betrokkenheden=list(traject.betrokkenheid_set.all()),
        onderzoeken=list(traject.onderzoek_set.all()),
        formeel=formeel,
    )


def facts_of(traject: Traject) -> dl.TrajectFacts:
    """The facts the deadline rules need. Uses prefetched relations when present (see with_rule_data)."""
    return facts_from(dossier_for_rules(traject))


def evaluate_traject(traject: Traject, as_of: date) -> dl.Evaluation:
    return dl.evaluate(facts_of(traject), as_of, mandatory_from=settings.FORMEEL_VERPLICHT_VANAF)


def evaluate_all(trajecten: Iterable[Traject], as_of: date) -> Iterator[tuple[Traject, dl.Evaluation]]:
    for traject in trajecten:
        yield traject, evaluate_traject(traject, as_of)


def evaluation_as_dict(traject: Traject, ev: dl.Evaluation) -> dict:
    """The stable JSON shape of ``evaluate_deadlines --json`` (documented in README)."""
    return {
        "traject": traject.pk,
        "entiteit": traject.entiteit.code,
        "soort": traject.soort,
        "milestones": [m.as_dict() for m in ev.milestones],
        "formal_possible_staff": ev.formal_possible_staff,
        "formal_possible_entity": ev.formal_possible_entity,
        "formal_possible_entity_from": iso(ev.formal_possible_entity_from),
        "formal_mandatory": ev.formal_mandatory,
        "formal_mandatory_reasons": list(ev.formal_mandatory_reasons),
        "warnings": list(ev.warnings),
        "formal_mandatory_from": iso(ev.formal_mandatory_from),
        "formal_warning_from": iso(ev.formal_warning_from),
        "formal_warning_reasons": list(ev.formal_warning_reasons),
        "period": ev.period,
        "period_start": iso(ev.period_start),
        "at_work": ev.at_work,
    }


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


SUMMARY_FIELDS = [
    "eerstvolgende_termijn",
    "eerstvolgende_mijlpaal",
    "formeel_verplicht_vanaf",
    "formeel_waarschuwing_vanaf",
    "coach_nodig",
]


def summary_values(s: dl.Summary) -> tuple:
    """A summary as the values of SUMMARY_FIELDS."""
    return (s.next_due, s.next_code, s.mandatory_from, s.warning_from, s.coach_needed)


def apply_summary(traject: Traject, as_of: date) -> bool:
    """Set the stored deadline summary of one (prefetched) trajectory; True when it changed."""
    s = dl.summarize(facts_of(traject), as_of, mandatory_from=settings.FORMEEL_VERPLICHT_VANAF)
    new = summary_values(s)
    old = tuple(getattr(traject, f) for f in SUMMARY_FIELDS)
    if new == old:
        return False
    for name, value in zip(SUMMARY_FIELDS, new, strict=True):
        setattr(traject, name, value)
    return True


def batches(qs: QuerySet[Traject], batch_size: int = 2000) -> Iterator[list[Traject]]:
    """``qs`` with its rule data, in primary-key order, a list of at most ``batch_size`` at a time:
    bounded memory and a fixed number of queries per batch, whatever the size (keyset pagination)."""
    last = 0
    base = qs.order_by("pk")
    while True:
        batch = list(with_rule_data(base.filter(pk__gt=last))[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _unnest(conn, model, names: Sequence[str], rows: Sequence[tuple]) -> tuple[str, str, list]:
    """PostgreSQL: ``unnest(<one array per column>) AS v(<columns>)`` over ``rows`` (tuples of the ``names``
    fields' values): the SQL, its column list and its parameters (one array per column), for one set-based
    statement of thousands of rows."""
    quote = conn.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = [(f.column, "bigint" if f.primary_key else f.db_type(conn)) for f in fields]
    arrays = ", ".join(f"%s::{db_type}[]" for _, db_type in columns)
    names_sql = ", ".join(quote(column) for column, _ in columns)
    values = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in fields]
    return f"unnest({arrays}) AS v({names_sql})", names_sql, values


def store_summaries(changed: list[Traject]) -> None:
    """Write the summary fields of ``changed`` (unsaved instances with pk and SUMMARY_FIELDS set).

    PostgreSQL: one ``UPDATE ... FROM unnest(<one array per column>)``. Django's ``bulk_update`` writes a
    ``CASE WHEN id = .. THEN ..`` per column, which PostgreSQL works through row by row: 1.5 s for 2,000
    rows at 1,000,000 trajectories, against 0.1 s this way. ``bulk_update`` elsewhere (SQLite)."""
    if not changed:
        return
    conn = connections[Traject.objects.db]
    if conn.vendor != "postgresql":
        Traject.objects.bulk_update(changed, SUMMARY_FIELDS)
        return
    quote = conn.ops.quote_name
    names = ["id", *SUMMARY_FIELDS]
    source, _, values = _unnest(conn, Traject, names, [tuple(getattr(t, n) for n in names) for t in changed])
    sets = ", ".join(
        f"{quote(c)} = v.{quote(c)}" for c in (Traject._meta.get_field(n).column for n in SUMMARY_FIELDS)
    )
    table = quote(Traject._meta.db_table)
    with conn.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET {sets} FROM {source} WHERE {table}.id = v.id",  # noqa: S608 - quoted names from the model
            values,
        )


def insert_new(model, names: Sequence[str], rows: Sequence[tuple]) -> int:
    """Insert ``rows`` (tuples of the ``names`` fields' values), skipping any a unique constraint already
    holds; how many were inserted. PostgreSQL: one ``INSERT ... SELECT FROM unnest(..) ON CONFLICT DO
    NOTHING`` (the deadline job's first run raises some 800 signals a batch; ``bulk_create`` spent 35 ms a
    batch building them), counted by the statement itself. ``bulk_create(ignore_conflicts=True)`` elsewhere
    (SQLite, development: counted by counting the table before and after)."""
    if not rows:
        return 0
    conn = connections[model.objects.db]
    if conn.vendor != "postgresql":
        attnames = [model._meta.get_field(n).attname for n in names]
        before = model.objects.count()
        model.objects.bulk_create(
            [model(**dict(zip(attnames, r, strict=True))) for r in rows], ignore_conflicts=True
        )
        return model.objects.count() - before
    source, columns, values = _unnest(conn, model, names, rows)
    table = conn.ops.quote_name(model._meta.db_table)
    with conn.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} ({columns}) SELECT * FROM {source} ON CONFLICT DO NOTHING",  # noqa: S608 - quoted names from the model
            values,
        )
        return cur.rowcount


def refresh_summaries(qs: QuerySet[Traject], as_of: date, batch_size: int = 2000) -> int:
    """Recompute the stored summary of every trajectory in ``qs``; returns how many changed. Read as rows
    (``dossiers``, as the deadline job does), written in one bulk update per batch of what changed."""
    changed = 0
    mandatory_from = settings.FORMEEL_VERPLICHT_VANAF
    for batch in dossier_batches(qs, batch_size):
        dirty = []
        for d in batch:
            new = summary_values(dl.summarize(facts_from(d), as_of, mandatory_from=mandatory_from))
            if new != d.traject.summary:
                dirty.append(Traject(pk=d.traject.pk, **dict(zip(SUMMARY_FIELDS, new, strict=True))))
        store_summaries(dirty)
        changed += len(dirty)
    return changed


def refresh_one(traject_id: int, as_of: date) -> None:
    """After a change to one dossier: refresh its summary and resolve the signals it meets."""
    from .monitoring import sync_one

    sync_one(traject_id, as_of)


# --- the deadline job's set-based read: plain rows, no model instances ------------------------------------
#
# The job reads the rule facts of thousands of trajectories a second: building model instances and
# prefetch querysets cost more than the rules themselves. ``dossiers`` reads the same columns as
# RULE_PREFETCHES with ``values_list`` (one query per kind of part, whatever the number of trajectories)
# into named tuples that carry the attribute names ``facts_from`` reads, so the facts come from one
# mapping (trajecten.facts) for a saved dossier, a dossier being changed and the job alike.

TRAJECT_COLUMNS = (
    "id",
    "soort",
    "d0",
    "afgesloten_op",
    "werkhervatting_op",
    "werkhervatting_vorm",
    "definitieve_ongeschiktheid_op",
    "gezondheidstoezicht",
    "coach_id",
    *SUMMARY_FIELDS,
)


class TrajectRow(namedtuple("TrajectRow", TRAJECT_COLUMNS)):
    """A trajectory's columns that the rules and its stored summary need."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id

    @property
    def summary(self) -> tuple:
        return tuple(getattr(self, f) for f in SUMMARY_FIELDS)


# (model, columns after traject_id): the parts ``facts_from`` reads, in their model's ordering
PART_COLUMNS = {
    "gesprekken": (Gesprek, ("datum", "soort")),
    "inschattingen": (Inschatting, ("datum", "uitkomst", "volgend_gesprek_op")),
    "verlengingen": (Verlenging, ("toegekend_op", "nieuwe_datum")),
    "hervallen": (Herval, ("hervat_op", "datum", "hervatting_vorm")),
    "betrokkenheden": (Betrokkenheid, ("vanaf", "toestemming_ingetrokken_op")),
    "onderzoeken": (Onderzoek, ("datum", "soort")),
}
FORMEEL_COLUMNS = (
    "aanvraag_ontvangen_op",
    "beoordeling_op",
    "beoordeling_ontvangen_op",
    "beoordeling",
    "plan_op",
    "plan_soort",
    "plan_ontvangen_op",
    "antwoord_op",
)
_part_row = {kind: namedtuple(kind, columns) for kind, (_, columns) in PART_COLUMNS.items()}
_StappenplanRow = namedtuple("StappenplanRow", ("id", "datum"))
# (also the reports' rows: rapportering.figures.fetch)
MaatregelRow = namedtuple("MaatregelRow", ("soort",))
FormeelRow = namedtuple("FormeelRow", FORMEEL_COLUMNS)


def id_array(ids: list[int]) -> str:
    """The ids as PostgreSQL's array text, for ``among`` (once for the several queries of a batch)."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def among(
    qs: QuerySet,
    column: str,
    ids: list[int],
    trajecten: QuerySet[Traject] | None = None,
    array: str | None = None,
) -> QuerySet:
    """``qs`` limited to the rows whose ``column`` is one of ``ids`` (sorted), for a batch of thousands.

    PostgreSQL: ``column = ANY(%s::bigint[])`` with the ids as ONE parameter, read through the column's
    index (an ``IN`` list of thousands of parameters costs more to build and send than the rows). The array
    goes as its text form: psycopg's dumping of a list of 2,000 ints costs more than the query itself.
    Elsewhere (SQLite in development): the ids' range, joined to ``trajecten`` when given."""
    if connections[qs.db].vendor == "postgresql":
        quote = connections[qs.db].ops.quote_name
        where = f"{quote(qs.model._meta.db_table)}.{quote(column)} = ANY(%s::bigint[])"
        return qs.extra(where=[where], params=[array or id_array(ids)])  # noqa: S610 - quoted names from the model; ids a parameter
    qs = qs.filter(**{f"{column}__gte": ids[0], f"{column}__lte": ids[-1]})
    return qs.filter(**{f"{column}__in": trajecten.values("pk")}) if trajecten is not None else qs


def dossiers(trajecten: QuerySet[Traject], limit: int | None = None) -> list[Dossier]:
    """The dossiers (rows, not model instances) of ``trajecten``, in primary-key order (the first ``limit``),
    with every part the deadline rules read: 9 queries whatever their number. For a batch of a few thousand."""
    rows = [TrajectRow._make(r) for r in trajecten.order_by("pk").values_list(*TRAJECT_COLUMNS)[:limit]]
    if not rows:
        return []
    out = {t.id: Dossier(traject=t) for t in rows}
    ids = list(out)
    in_batch = trajecten.filter(pk__gte=ids[0], pk__lte=ids[-1])
    array = id_array(ids)

    def parts(model, *columns):
        # a trajectory that changed between the queries (closed, opened) is left for the next run
        qs = among(model.objects.all(), "traject_id", ids, in_batch, array)
        for traject_id, *values in qs.values_list("traject_id", *columns):
            if (dossier := out.get(traject_id)) is not None:
                yield dossier, values

    # in each model's own ordering (Meta.ordering), as the model-based read gives them
    for kind, (model, columns) in PART_COLUMNS.items():
        make = _part_row[kind]._make
        for dossier, values in parts(model, *columns):
            getattr(dossier, kind).append(make(values))
    plans: dict[int, Plan] = {}
    for dossier, (pk, datum) in parts(Stappenplan, "id", "datum"):
        plans[pk] = plan = Plan(_StappenplanRow(pk, datum))
        dossier.stappenplannen.append(plan)
    if plans:
        # only the measures the rules read: a progressive return (the coordinating role)
        measures = among(Maatregel.objects.filter(soort=PROGRESSIEF), "stappenplan_id", sorted(plans))
        for plan_id, soort in measures.values_list("stappenplan_id", "soort"):
            if (plan := plans.get(plan_id)) is not None:
                plan.maatregelen.append(MaatregelRow(soort))
    for dossier, values in parts(FormeelVerloop, *FORMEEL_COLUMNS):
        dossier.formeel = FormeelRow._make(values)
    return list(out.values())


def dossier_batches(qs: QuerySet[Traject], batch_size: int) -> Iterator[list[Dossier]]:
    """The ``dossiers`` of ``qs``, at most ``batch_size`` at a time in primary-key order (keyset
    pagination): bounded memory and a fixed number of queries per batch, whatever the size."""
    last = 0
    while batch := dossiers(qs.filter(pk__gt=last), limit=batch_size):
        yield batch
        last = batch[-1].traject.pk


def id_batches(ids: Sequence[int], size: int, processes: int = 1) -> list[tuple[int, int | None, int]]:
    """Cut sorted ids into batches of at most ``size``: (after, up_to, number) with ``after < id <= up_to``;
    the last is open-ended (None), so a trajectory added while the job runs is not left out.

    ``processes`` share the batches (the workers' pool processes together): their number is a multiple of it
    and their sizes differ by one at most, so that the processes end together. Cut into full batches and a
    remainder, the last batch ran alone (8,500 at 2,000 a batch: four full ones on two processes, then 500
    with one process idle)."""
    if not ids:
        return []
    processes = max(1, processes)
    rounds = -(-len(ids) // (size * processes))
    count = min(len(ids), rounds * processes)
    base, extra = divmod(len(ids), count)
    out = []
    after = 0
    start = 0
    for i in range(count):
        end = start + base + (1 if i < extra else 0)
        out.append((after, ids[end - 1], end - start))
        after, start = ids[end - 1], end
    out[-1] = (out[-1][0], None, out[-1][2])
    return out
