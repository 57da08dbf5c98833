"""Deadline rules of the re-integration circular and of the formal trajectory (KB 11 September 2022).

Pure functions: the facts of one trajectory and a date go in, a result comes out. No ORM, no clock.
Only facts dated on or before ``as_of`` count, so the result of a past date is what the tool would
have said that day, and a milestone that is met stays met as the date advances.

Milestone codes (stable; documented in README and used by the JSON of ``evaluate_deadlines``):

====================== ====================================================================
code                   what must have happened by ``due``
====================== ====================================================================
info_arbeidsarts       D0 + 28 days: the arbeidsarts informed the staff member of the legal
                       possibilities at return (signal "info due" when missed)
advies_eerste_gesprek  D0 + 42 days: first conversation in the recommended 4-6 week window
                       (advisory: never a signal)
gesprek_2_maanden      D0 + 2 months: a conversation on whether first steps are possible
volgend_gesprek        the planned date of the next conversation, after an assessment that
                       found steps not yet possible
stappenplan            assessment A + 2 months (or the extended date): a stappenplan or
                       concrete agreements on an effective return
inschatting_4_maanden  D0 + 4 months: an assessment of when re-integration is possible
formeel_beoordeling    request received R + 49 days: the arbeidsarts's re-integration assessment
formeel_plan           assessment received B + 63 days (temporarily unable) or B + 6 months
                       (definitively unable): the employer's plan or motivated report
formeel_antwoord       plan received P + 14 days: the staff member's agreement or refusal
====================== ====================================================================

States: ``not_yet_due`` (term runs, more than ``due_soon_days`` left), ``due`` (term runs and ends
within ``due_soon_days``, today included), ``met`` (done on ``met_on``; ``late`` when after ``due``),
``missed`` (term over, not done).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DUE_SOON_DAYS = 7
RELAPSE_GRACE_DAYS = 14

# Trajectory kinds
INFORMEEL = "informeel"
FORMEEL = "formeel"
PREVENTIEF = "preventief"

# Assessment outcomes of the informal trajectory
STAPPEN_MOGELIJK = "stappen_mogelijk"
NOG_NIET_MOGELIJK = "nog_niet_mogelijk"

# Outcomes of the arbeidsarts's re-integration assessment in a formal trajectory
BEOORDELING_TIJDELIJK = "tijdelijk_ander_werk"
BEOORDELING_DEFINITIEF = "definitief_ander_werk"

PLAN = "plan"
GEMOTIVEERD_VERSLAG = "gemotiveerd_verslag"

# States
NOT_YET_DUE = "not_yet_due"
DUE = "due"
MET = "met"
MISSED = "missed"

# Milestone codes
INFO_ARBEIDSARTS = "info_arbeidsarts"
ADVIES_EERSTE_GESPREK = "advies_eerste_gesprek"
GESPREK_2_MAANDEN = "gesprek_2_maanden"
VOLGEND_GESPREK = "volgend_gesprek"
STAPPENPLAN = "stappenplan"
INSCHATTING_4_MAANDEN = "inschatting_4_maanden"
FORMEEL_BEOORDELING = "formeel_beoordeling"
FORMEEL_PLAN = "formeel_plan"
FORMEEL_ANTWOORD = "formeel_antwoord"

MILESTONE_CODES = (
    INFO_ARBEIDSARTS,
    ADVIES_EERSTE_GESPREK,
    GESPREK_2_MAANDEN,
    VOLGEND_GESPREK,
    STAPPENPLAN,
    INSCHATTING_4_MAANDEN,
    FORMEEL_BEOORDELING,
    FORMEEL_PLAN,
    FORMEEL_ANTWOORD,
)
# A missed one of these makes a formal trajectory mandatory (circular, 4.3).
MANDATORY_TRIGGERS = (INSCHATTING_4_MAANDEN, STAPPENPLAN)
ADVISORY = (ADVIES_EERSTE_GESPREK,)

# Warning codes
W_VERPLICHT_NOG_NIET_VAN_KRACHT = "formeel_verplicht_nog_niet_van_kracht"
W_VERLENGING_NA_TERMIJN = "verlenging_na_termijn"
W_VERLENGING_ZONDER_INSCHATTING = "verlenging_zonder_positieve_inschatting"
W_FORMEEL_UITKOMST_NIET_BEREKEND = "formeel_uitkomst_termijn_niet_berekend"
WARNING_CODES = (
    W_VERPLICHT_NOG_NIET_VAN_KRACHT,
    W_VERLENGING_NA_TERMIJN,
    W_VERLENGING_ZONDER_INSCHATTING,
    W_FORMEEL_UITKOMST_NIET_BEREKEND,
)


def add_months(d: date, months: int) -> date:
    """Calendar months, clamped to the end of a shorter month (31/01 + 1 month = 28/02 or 29/02)."""
    total = d.month - 1 + months
    year, month = d.year + total // 12, total % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Assessment:
    """An inschatting: whether steps to work are possible, and the next conversation when not yet."""

    on: date
    steps_possible: bool
    next_conversation_on: date | None = None


@dataclass(frozen=True)
class Extension:
    """A verlenging of the stappenplan term: registered on ``granted_on``, new last day ``new_due``."""

    granted_on: date
    new_due: date


@dataclass(frozen=True)
class Relapse:
    """Herval: the staff member resumed work on ``resumed_on`` and became unable again on ``relapsed_on``."""

    resumed_on: date
    relapsed_on: date


@dataclass(frozen=True)
class FormalFacts:
    """The formal trajectory's dates; each optional until it happened."""

    request_received_on: date | None = None
    assessment_on: date | None = None
    assessment_received_on: date | None = None
    assessment_outcome: str = ""
    plan_on: date | None = None
    plan_kind: str = ""
    plan_received_on: date | None = None
    answer_on: date | None = None


@dataclass(frozen=True)
class TrajectFacts:
    kind: str
    d0: date | None = None
    closed_on: date | None = None
    conversations: tuple[date, ...] = ()  # re-integration conversations with the staff member
    info_arbeidsarts_on: tuple[date, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    stappenplannen: tuple[date, ...] = ()
    extensions: tuple[Extension, ...] = ()
    relapses: tuple[Relapse, ...] = ()
    returned_on: date | None = None  # the current effective return to work (not followed by a relapse)
    definitive_incapacity_on: date | None = None
    formal: FormalFacts | None = None


@dataclass(frozen=True)
class Milestone:
    code: str
    due: date
    state: str
    met_on: date | None = None
    late: bool = False
    advisory: bool = False

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "due": self.due.isoformat(),
            "state": self.state,
            "met_on": self.met_on.isoformat() if self.met_on else None,
        }


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    milestones: tuple[Milestone, ...] = ()
    formal_possible_staff: bool = False
    formal_possible_entity: bool = False
    formal_possible_entity_from: date | None = None
    formal_mandatory: bool = False
    formal_mandatory_reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    closed: bool = False

    @property
    def overdue(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.state == MISSED and not m.advisory)

    @property
    def due_soon(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.state == DUE and not m.advisory)

    @property
    def most_urgent_due(self) -> date | None:
        """The earliest due date among milestones still open (missed or running), advisory ones excluded."""
        open_dues = [
            m.due for m in self.milestones if m.state in (MISSED, DUE, NOT_YET_DUE) and not m.advisory
        ]
        return min(open_dues) if open_dues else None


def _first_on_or_after(dates: Iterable[date], start: date, as_of: date) -> date | None:
    candidates = [d for d in dates if start <= d <= as_of]
    return min(candidates) if candidates else None


def _milestone(code: str, due: date, met_on: date | None, as_of: date, due_soon_days: int) -> Milestone:
    advisory = code in ADVISORY
    if met_on is not None:
        return Milestone(code, due, MET, met_on, late=met_on > due, advisory=advisory)
    if as_of > due:
        return Milestone(code, due, MISSED, advisory=advisory)
    if (due - as_of).days <= due_soon_days:
        return Milestone(code, due, DUE, advisory=advisory)
    return Milestone(code, due, NOT_YET_DUE, advisory=advisory)


def uninterrupted_incapacity_start(facts: TrajectFacts, as_of: date) -> date | None:
    """Start of the current uninterrupted incapacity (KB art. I.4-73 §1), or None when not incapacitated.

    An effective resumption of work interrupts the period, unless the staff member became unable again
    within the first 14 days after resuming: then the period counts as not interrupted.
    """
    if facts.d0 is None or facts.d0 > as_of:
        return None
    start = facts.d0
    for relapse in sorted(facts.relapses, key=lambda r: r.relapsed_on):
        if relapse.resumed_on > as_of:
            break
        if relapse.relapsed_on > as_of:
            return None  # back at work on as_of; the relapse came later

        # "binnen de eerste 14 dagen opnieuw arbeidsongeschikt": relapse on day 1..14 of the resumption
        if (relapse.relapsed_on - relapse.resumed_on).days >= RELAPSE_GRACE_DAYS:
            start = relapse.relapsed_on
    if facts.returned_on is not None and facts.returned_on <= as_of:
        return None
    return start


def evaluate(
    facts: TrajectFacts,
    as_of: date,
    *,
    mandatory_from: date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Evaluation:
    """Evaluate one trajectory on ``as_of``.

    ``mandatory_from`` is the date from which the circular's mandatory start of a formal trajectory
    applies (a setting; None while not fixed). A trigger whose obligation arises (the day after its due
    date) before that date gives the warning ``formeel_verplicht_nog_niet_van_kracht`` instead.
    """
    if facts.closed_on is not None and facts.closed_on <= as_of:
        return Evaluation(as_of=as_of, closed=True)
    if facts.kind == PREVENTIEF or facts.d0 is None:
        return Evaluation(as_of=as_of)

    warnings: list[str] = []
    milestones: list[Milestone] = []
    if facts.kind == FORMEEL:
        milestones += _formal_milestones(facts.formal or FormalFacts(), as_of, due_soon_days, warnings)
    else:
        milestones += _informal_milestones(facts, as_of, due_soon_days, warnings)

    start = uninterrupted_incapacity_start(facts, as_of)
    staff_possible = start is not None
    entity_from = None
    if start is not None:
        entity_from = add_months(start, 3)
        definitive = facts.definitive_incapacity_on
        if definitive is not None and start <= definitive <= as_of:
            entity_from = min(entity_from, definitive)
    entity_possible = entity_from is not None and as_of >= entity_from

    mandatory = False
    reasons: list[str] = []
    if facts.kind != FORMEEL:
        for m in milestones:
            # Missed, or met only after the term: the circular looks at the situation when the term
            # ends, so a late step does not undo the obligation.
            if m.code in MANDATORY_TRIGGERS and (m.state == MISSED or m.late):
                arises_on = m.due + timedelta(days=1)
                if mandatory_from is not None and arises_on >= mandatory_from:
                    mandatory = True
                    reasons.append(m.code)
                elif W_VERPLICHT_NOG_NIET_VAN_KRACHT not in warnings:
                    warnings.append(W_VERPLICHT_NOG_NIET_VAN_KRACHT)

    return Evaluation(
        as_of=as_of,
        milestones=tuple(sorted(milestones, key=lambda m: (m.due, MILESTONE_CODES.index(m.code)))),
        formal_possible_staff=staff_possible,
        formal_possible_entity=entity_possible,
        formal_possible_entity_from=entity_from if staff_possible else None,
        formal_mandatory=mandatory,
        formal_mandatory_reasons=tuple(dict.fromkeys(reasons)),
        warnings=tuple(warnings),
    )


def _informal_milestones(facts: TrajectFacts, as_of: date, soon: int, warnings: list[str]) -> list[Milestone]:
    d0 = facts.d0
    assert d0 is not None
    assessments = sorted((a for a in facts.assessments if d0 <= a.on <= as_of), key=lambda a: a.on)
    # An assessment is made in a conversation, so it counts as one.
    conversation_dates = [*facts.conversations, *(a.on for a in assessments)]
    first_conversation = _first_on_or_after(conversation_dates, d0, as_of)
    # A return to work before a term ends makes the conversations about steps to work moot: the return is
    # what they aim for. It meets the term on the day of the return.
    returns = [r.resumed_on for r in facts.relapses] + ([facts.returned_on] if facts.returned_on else [])
    first_return = _first_on_or_after(returns, d0, as_of)

    def earliest(*dates: date | None) -> date | None:
        present = [d for d in dates if d is not None]
        return min(present) if present else None

    result = [
        _milestone(
            INFO_ARBEIDSARTS,
            d0 + timedelta(days=28),
            earliest(_first_on_or_after(facts.info_arbeidsarts_on, d0, as_of), first_return),
            as_of,
            soon,
        ),
        _milestone(
            ADVIES_EERSTE_GESPREK,
            d0 + timedelta(days=42),
            earliest(first_conversation, first_return),
            as_of,
            soon,
        ),
        _milestone(
            GESPREK_2_MAANDEN, add_months(d0, 2), earliest(first_conversation, first_return), as_of, soon
        ),
        _milestone(
            INSCHATTING_4_MAANDEN,
            add_months(d0, 4),
            earliest(assessments[0].on if assessments else None, first_return),
            as_of,
            soon,
        ),
    ]
    for a in assessments:
        if not a.steps_possible and a.next_conversation_on is not None:
            later = [d for d in conversation_dates if a.on < d <= as_of]
            result.append(
                _milestone(
                    VOLGEND_GESPREK,
                    a.next_conversation_on,
                    earliest(min(later, default=None), _first_on_or_after(returns, a.on, as_of)),
                    as_of,
                    soon,
                )
            )

    positive = [a for a in assessments if a.steps_possible]
    extensions = sorted((e for e in facts.extensions if e.granted_on <= as_of), key=lambda e: e.granted_on)
    if extensions and not positive:
        warnings.append(W_VERLENGING_ZONDER_INSCHATTING)
    if positive:
        start = positive[0].on
        due = add_months(start, 2)
        for ext in extensions:
            if ext.granted_on < start:
                continue
            if ext.granted_on > due:
                # The term had already run out: an extension cannot revive it.
                if W_VERLENGING_NA_TERMIJN not in warnings:
                    warnings.append(W_VERLENGING_NA_TERMIJN)
                continue
            due = max(due, ext.new_due)
        returns_after = [r for r in returns if start <= r <= as_of]
        met = earliest(
            _first_on_or_after(facts.stappenplannen, start, as_of), min(returns_after, default=None)
        )
        result.append(_milestone(STAPPENPLAN, due, met, as_of, soon))
    return result


def _formal_milestones(f: FormalFacts, as_of: date, soon: int, warnings: list[str]) -> list[Milestone]:
    def happened(d: date | None) -> date | None:
        return d if d is not None and d <= as_of else None

    result: list[Milestone] = []
    request = happened(f.request_received_on)
    if request is None:
        return result
    result.append(
        _milestone(FORMEEL_BEOORDELING, request + timedelta(days=49), happened(f.assessment_on), as_of, soon)
    )
    assessed = happened(f.assessment_received_on or f.assessment_on)
    if assessed is None or happened(f.assessment_on) is None:
        return result
    if f.assessment_outcome == BEOORDELING_TIJDELIJK:
        plan_due = assessed + timedelta(days=63)
    elif f.assessment_outcome == BEOORDELING_DEFINITIEF:
        plan_due = add_months(assessed, 6)
    else:
        warnings.append(W_FORMEEL_UITKOMST_NIET_BEREKEND)
        return result
    plan_on = happened(f.plan_on)
    result.append(_milestone(FORMEEL_PLAN, plan_due, plan_on, as_of, soon))
    if plan_on is not None and f.plan_kind == PLAN:
        received = happened(f.plan_received_on or plan_on)
        if received is not None:
            result.append(
                _milestone(
                    FORMEEL_ANTWOORD, received + timedelta(days=14), happened(f.answer_on), as_of, soon
                )
            )
    return result


@dataclass(frozen=True)
class Summary:
    """What a worklist needs, independent of the day it is read (valid until the facts change).

    ``next_due``/``next_code``: the earliest open (not met, not advisory) milestone.
    ``mandatory_from``: the day a formal trajectory becomes mandatory if nothing changes (None: never).
    ``warning_from``: the day the "would be mandatory, not yet in force" warning starts.
    """

    next_due: date | None
    next_code: str
    mandatory_from: date | None
    warning_from: date | None


def summarize(facts: TrajectFacts, as_of: date, *, mandatory_from: date | None = None) -> Summary:
    ev = evaluate(facts, as_of, mandatory_from=mandatory_from)
    open_ms = [m for m in ev.milestones if m.state != MET and not m.advisory]
    nxt = min(open_ms, key=lambda m: (m.due, MILESTONE_CODES.index(m.code)), default=None)
    mandatory_day = warning_day = None
    if facts.kind != FORMEEL and not ev.closed:
        for m in ev.milestones:
            if m.code not in MANDATORY_TRIGGERS or (m.state == MET and not m.late):
                continue
            arises = m.due + timedelta(days=1)
            if mandatory_from is not None and arises >= mandatory_from:
                mandatory_day = min(mandatory_day or arises, arises)
            else:
                warning_day = min(warning_day or arises, arises)
    return Summary(nxt.due if nxt else None, nxt.code if nxt else "", mandatory_day, warning_day)
