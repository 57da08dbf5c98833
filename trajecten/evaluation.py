"""Glue between the dossier models and the pure deadline rules.

Everything here is set-based: a queryset of trajectories is fetched with a fixed number of queries
(prefetching every part the rules need), whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from . import deadlines as dl
from .facts import Dossier, Plan, facts_from
from .models import Betrokkenheid, FormeelVerloop, Gesprek, Inschatting, Maatregel, Stappenplan, Traject

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


def apply_summary(traject: Traject, as_of: date) -> bool:
    """Set the stored deadline summary of one (prefetched) trajectory; True when it changed."""
    s = dl.summarize(facts_of(traject), as_of, mandatory_from=settings.FORMEEL_VERPLICHT_VANAF)
    new = (s.next_due, s.next_code, s.mandatory_from, s.warning_from, s.coach_needed)
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


def refresh_summaries(qs: QuerySet[Traject], as_of: date, batch_size: int = 2000) -> int:
    """Recompute the stored summary of every trajectory in ``qs``; returns how many changed."""
    changed = 0
    for batch in batches(qs, batch_size):
        dirty = [t for t in batch if apply_summary(t, as_of)]
        if dirty:
            Traject.objects.bulk_update(dirty, SUMMARY_FIELDS)
            changed += len(dirty)
    return changed


def refresh_one(traject_id: int, as_of: date) -> None:
    """After a change to one dossier: refresh its summary and resolve the signals it meets."""
    from .monitoring import sync_one

    sync_one(traject_id, as_of)
