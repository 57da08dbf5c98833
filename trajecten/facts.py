"""One dossier as plain data, and the facts the deadline rules read from it.

A ``Dossier`` holds the trajectory and its parts as objects with attributes: saved model instances,
or unsaved ones that a service is about to write. Nothing here queries the database or reads a clock, so
the consistency rules (trajecten.consistency) and the deadline rules (trajecten.deadlines) can judge a
dossier *as it would be* after a change, before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from . import deadlines as dl

PROGRESSIEF = "progressief"  # the return form and the measure "deeltijdse prestaties wegens ziekte"

# The kinds of parts a dossier holds, in the order the dossier page lists its actions.
PART_LISTS = {
    "gesprek": "gesprekken",
    "inschatting": "inschattingen",
    "stappenplan": "stappenplannen",
    "betrokkenheid": "betrokkenheden",
    "verlenging": "verlengingen",
    "herval": "hervallen",
    "evaluatie": "evaluaties",
    "onderzoek": "onderzoeken",
}


@dataclass
class Plan:
    """A stappenplan with its measures."""

    obj: Any
    maatregelen: list[Any] = field(default_factory=list)

    @property
    def pk(self):
        return self.obj.pk


@dataclass
class Dossier:
    traject: Any
    gesprekken: list[Any] = field(default_factory=list)
    inschattingen: list[Any] = field(default_factory=list)
    stappenplannen: list[Plan] = field(default_factory=list)
    betrokkenheden: list[Any] = field(default_factory=list)
    verlengingen: list[Any] = field(default_factory=list)
    hervallen: list[Any] = field(default_factory=list)
    evaluaties: list[Any] = field(default_factory=list)
    onderzoeken: list[Any] = field(default_factory=list)
    formeel: Any | None = None

    @classmethod
    def of(cls, traject) -> Dossier:
        """The dossier of a saved trajectory; uses prefetched relations when present."""
        try:
            formeel = traject.formeel_verloop
        except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: no formal steps yet
            formeel = None
        return cls(
            traject=traject,
            gesprekken=list(traject.gesprek_set.all()),
            inschattingen=list(traject.inschatting_set.all()),
            stappenplannen=[Plan(p, list(p.maatregelen.all())) for p in traject.stappenplan_set.all()],
            betrokkenheden=list(traject.betrokkenheid_set.all()),
            verlengingen=list(traject.verlenging_set.all()),
            hervallen=list(traject.herval_set.all()),
            evaluaties=list(traject.evaluatie_set.all()),
            onderzoeken=list(traject.onderzoek_set.all()),
            formeel=formeel,
        )

    def parts(self, kind: str) -> list[Any]:
        items = getattr(self, PART_LISTS[kind])
        return [p.obj for p in items] if kind == "stappenplan" else list(items)

    def with_part(self, kind: str, obj, maatregelen: list | None = None) -> Dossier:
        """A copy with ``obj`` added (or, when an object of the same kind and pk is present, replacing it)."""
        items = list(getattr(self, PART_LISTS[kind]))
        new = Plan(obj, list(maatregelen or [])) if kind == "stappenplan" else obj
        for i, item in enumerate(items):
            current = item.obj if kind == "stappenplan" else item
            if obj.pk is not None and current.pk == obj.pk:
                items[i] = new
                break
        else:
            items.append(new)
        return replace(self, **{PART_LISTS[kind]: items})

    def without_part(self, kind: str, obj) -> Dossier:
        items = getattr(self, PART_LISTS[kind])
        key = (lambda p: p.obj.pk) if kind == "stappenplan" else (lambda p: p.pk)
        return replace(self, **{PART_LISTS[kind]: [p for p in items if key(p) != obj.pk]})


def formal_facts(f) -> dl.FormalFacts | None:
    if f is None:
        return None
    return dl.FormalFacts(
        request_received_on=f.aanvraag_ontvangen_op,
        assessment_on=f.beoordeling_op,
        assessment_received_on=f.beoordeling_ontvangen_op,
        assessment_outcome=f.beoordeling,
        plan_on=f.plan_op,
        plan_kind=f.plan_soort,
        plan_received_on=f.plan_ontvangen_op,
        answer_on=f.antwoord_op,
    )


def facts_from(d: Dossier, *, ignore_closing: bool = False) -> dl.TrajectFacts:
    """The facts the deadline rules need, from a dossier's objects (attribute reads only). With
    ``ignore_closing`` as if the trajectory had not been closed (the reports judge a closed trajectory on
    the days before its closing)."""
    t = d.traject
    return dl.TrajectFacts(
        kind=t.soort,
        d0=t.d0,
        closed_on=None if ignore_closing else t.afgesloten_op,
        conversations=tuple(g.datum for g in d.gesprekken if g.soort == "gesprek"),
        info_arbeidsarts_on=tuple(g.datum for g in d.gesprekken if g.soort == "info_arbeidsarts"),
        assessments=tuple(
            dl.Assessment(
                on=i.datum,
                steps_possible=i.uitkomst == dl.STAPPEN_MOGELIJK,
                next_conversation_on=i.volgend_gesprek_op,
            )
            for i in d.inschattingen
        ),
        stappenplannen=tuple(p.obj.datum for p in d.stappenplannen),
        extensions=tuple(dl.Extension(v.toegekend_op, v.nieuwe_datum) for v in d.verlengingen),
        relapses=tuple(dl.Relapse(h.hervat_op, h.datum) for h in d.hervallen),
        returned_on=t.werkhervatting_op,
        definitive_incapacity_on=t.definitieve_ongeschiktheid_op,
        formal=formal_facts(d.formeel),
        health_surveillance=bool(t.gezondheidstoezicht),
        examinations=tuple(dl.Examination(o.datum, o.soort) for o in d.onderzoeken),
        coach_assigned=t.coach_id is not None,
        # involvements that hold: a withdrawn consent ends the welzijnsactor's involvement
        welzijnsactoren_on=tuple(b.vanaf for b in d.betrokkenheden if not b.toestemming_ingetrokken_op),
        progressive_return_on=progressive_returns(d),
    )


def progressive_returns(d: Dossier) -> tuple:
    """The days a progressive return (deeltijdse prestaties wegens ziekte) started or was agreed."""
    days = [h.hervat_op for h in d.hervallen if h.hervatting_vorm == PROGRESSIEF]
    if d.traject.werkhervatting_op and d.traject.werkhervatting_vorm == PROGRESSIEF:
        days.append(d.traject.werkhervatting_op)
    days += [p.obj.datum for p in d.stappenplannen if any(mr.soort == PROGRESSIEF for mr in p.maatregelen)]
    return tuple(sorted(days))
