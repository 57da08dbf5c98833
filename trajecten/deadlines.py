"""Deadline rules of the re-integration circular and of the formal trajectory (KB 11 September 2022).

Pure functions: the facts of one trajectory and a date go in, a result comes out. No ORM, no clock.
Only facts dated on or before ``as_of`` count, so the result of a past date is what the tool would
have said that day.

Milestone codes (stable; documented in README and used by the JSON of ``evaluate_deadlines``):

======================== ==================================================================
code                     what must have happened by ``due``
======================== ==================================================================
info_arbeidsarts         S + 28 days: the arbeidsarts informed the staff member of the legal
                         possibilities at return (signal "info due" when missed)
advies_eerste_gesprek    S + 42 days: first conversation in the recommended 4-6 week window
                         (advisory: never a signal)
gesprek_2_maanden        S + 2 months: a conversation on whether first steps are possible
volgend_gesprek          the planned date of the next conversation, after an assessment that
                         found steps not yet possible
stappenplan              assessment A + 2 months (or the extended date): a stappenplan or
                         concrete agreements on an effective return
inschatting_4_maanden    S + 4 months: an assessment of when re-integration is possible
onderzoek_werkhervatting the return R itself, for staff under compulsory health surveillance
                         after an absence of at least 4 consecutive weeks: the arbeidsarts's
                         "onderzoek bij werkhervatting" (on or after R)
formeel_beoordeling      request received + 49 days: the arbeidsarts's re-integration assessment
formeel_plan             assessment received + 63 days (temporarily unable) or + 6 months
                         (definitively unable): the employer's plan or motivated report
formeel_antwoord         plan received + 14 days: the staff member's agreement or refusal
======================== ==================================================================

S is the start of a **period of incapacity**: D0, or a relapse on or after the 14th day after an
effective return (the KB's 14-day rule, art. I.4-73 §1, applied to the circular's clock). Each period
has its own circular terms, counted from its start and met only by facts dated within it. A relapse
within the first 14 days continues the period, and the short return meets none of its terms (the
incapacity counts as uninterrupted). The milestones of an earlier period stay, as ``history``, in
the state they had on the period's last day. The formal trajectory's KB terms run from their own
dates whatever the period.

States: ``not_yet_due`` (term runs, more than ``due_soon_days`` left), ``due`` (term runs and ends
within ``due_soon_days``, today included), ``met`` (done on ``met_on``; ``late`` when after ``due``),
``missed`` (term over, not done).

The obligation to start a formal trajectory (circular 4.3) rests on the entity, so it is in force only
from the later of the day after the missed term and the day the entity may start a formal trajectory,
never while the staff member is back at work, and (setting ``mandatory_from``) only when that in-force
day is on or after the day the circular's mandatory start applies; otherwise it is a warning.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

DUE_SOON_DAYS = 7
RELAPSE_GRACE_DAYS = 14
FOUR_WEEKS = timedelta(days=28)

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

# Who requests a formal trajectory (the values of FormeelVerloop.Aanvrager)
AANVRAGER_PERSONEELSLID = "personeelslid"
AANVRAGER_BEHANDELEND_ARTS = "behandelend_arts"
AANVRAGER_ENTITEIT = "entiteit"
AANVRAGERS = (AANVRAGER_PERSONEELSLID, AANVRAGER_BEHANDELEND_ARTS, AANVRAGER_ENTITEIT)

# Examinations by the preventieadviseur-arbeidsarts (only kind and date are recorded, never content)
ONDERZOEK_BIJ_WERKHERVATTING = "onderzoek_bij_werkhervatting"  # compulsory under health surveillance
BEZOEK_VOOR_WERKHERVATTING = "bezoek_voorafgaand_aan_werkhervatting"  # a right; needs no milestone
ONDERZOEK_SOORTEN = (ONDERZOEK_BIJ_WERKHERVATTING, BEZOEK_VOOR_WERKHERVATTING)

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
ONDERZOEK_WERKHERVATTING = "onderzoek_werkhervatting"
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
    ONDERZOEK_WERKHERVATTING,
    FORMEEL_BEOORDELING,
    FORMEEL_PLAN,
    FORMEEL_ANTWOORD,
)
_ORDER = {code: i for i, code in enumerate(MILESTONE_CODES)}
# A missed one of these makes a formal trajectory mandatory (circular, 4.3).
MANDATORY_TRIGGERS = (INSCHATTING_4_MAANDEN, STAPPENPLAN)
ADVISORY = (ADVIES_EERSTE_GESPREK,)

# Warning codes
W_VERPLICHT_NOG_NIET_VAN_KRACHT = "formeel_verplicht_nog_niet_van_kracht"
W_VERLENGING_NA_TERMIJN = "verlenging_na_termijn"
W_VERLENGING_ZONDER_INSCHATTING = "verlenging_zonder_positieve_inschatting"
W_FORMEEL_UITKOMST_NIET_BEREKEND = "formeel_uitkomst_termijn_niet_berekend"
W_COACH_MOET_COORDINEREN = "coach_moet_coordineren"
WARNING_CODES = (
    W_VERPLICHT_NOG_NIET_VAN_KRACHT,
    W_VERLENGING_NA_TERMIJN,
    W_VERLENGING_ZONDER_INSCHATTING,
    W_FORMEEL_UITKOMST_NIET_BEREKEND,
    W_COACH_MOET_COORDINEREN,
)

# Why a formal trajectory may not be started (yet): see formal_start()
R_GEEN_ARBEIDSONGESCHIKTHEID = "geen_arbeidsongeschiktheid"
R_VOOR_D0 = "voor_d0"
R_WERK_HERVAT = "werk_hervat"
R_NOG_GEEN_3_MAANDEN = "nog_geen_3_maanden"
FORMAL_START_REASONS = (R_GEEN_ARBEIDSONGESCHIKTHEID, R_VOOR_D0, R_WERK_HERVAT, R_NOG_GEEN_3_MAANDEN)


def add_months(d: date, months: int) -> date:
    """Calendar months, clamped to the end of a shorter month (31/01 + 1 month = 28/02 or 29/02)."""
    total = d.month - 1 + months
    year, month = d.year + total // 12, total % 12 + 1
    if d.day <= 28:  # every month has it (the deadline job calls this some 4 times a trajectory)
        return date(year, month, d.day)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# --- facts ------------------------------------------------------------------------------------------
#
# The parts of a trajectory are named tuples (immutable, and built several times faster than a frozen
# dataclass: the nightly job builds some 100,000 of them); the trajectory's facts are a frozen dataclass.


class Assessment(NamedTuple):
    """An inschatting: whether steps to work are possible, and the next conversation when not yet."""

    on: date
    steps_possible: bool
    next_conversation_on: date | None = None


class Extension(NamedTuple):
    """A verlenging of the stappenplan term: registered on ``granted_on``, new last day ``new_due``."""

    granted_on: date
    new_due: date


class Relapse(NamedTuple):
    """Herval: the staff member resumed work on ``resumed_on`` and became unable again on ``relapsed_on``."""

    resumed_on: date
    relapsed_on: date

    @property
    def interrupts(self) -> bool:
        """On or after the 14th day after the return: the incapacity was interrupted (KB art. I.4-73 §1).

        "Binnen de eerste 14 dagen opnieuw arbeidsongeschikt" is a relapse on day 1..14 of the return
        (resumed on 01/02: up to 14/02); from 15/02 on the relapse starts a new period.
        """
        return (self.relapsed_on - self.resumed_on).days >= RELAPSE_GRACE_DAYS


class Examination(NamedTuple):
    """An examination by the preventieadviseur-arbeidsarts: its kind (ONDERZOEK_SOORTEN) and date only."""

    on: date
    kind: str


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
    # Compulsory health surveillance (verplicht gezondheidstoezicht, e.g. a safety function): the
    # "onderzoek bij werkhervatting" is compulsory after an absence of at least 4 consecutive weeks.
    health_surveillance: bool = False
    examinations: tuple[Examination, ...] = ()
    # The coordinating role (circular 4.2): a coach must coordinate when a welzijnsactor is involved or
    # the return is progressive. Defaults give no warning to callers that do not know these facts.
    coach_assigned: bool = True
    welzijnsactoren_on: tuple[date, ...] = ()  # the day each welzijnsactor became involved
    progressive_return_on: tuple[date, ...] = ()  # days a progressive return was agreed or started


# --- results ----------------------------------------------------------------------------------------


class Period(NamedTuple):
    """A period of incapacity: from D0 or an interrupting relapse, up to the day before the next one."""

    number: int  # 1 for the period from D0
    start: date
    end: date | None = None  # its last day; None for the current period


class Milestone(NamedTuple):
    """A term of the circular or the KB in its state on a day. (A named tuple rather than a frozen
    dataclass: the nightly job makes some 50,000 of them, and a frozen dataclass takes 6 times as long to
    build.)"""

    code: str
    due: date
    state: str
    met_on: date | None = None
    late: bool = False
    advisory: bool = False
    period: int = 1  # the period of incapacity in which the term started
    period_start: date | None = None
    # No longer followed: its period is over (or, for onderzoek_werkhervatting, the return ended in a
    # relapse). Kept in the state it had then; never overdue, due soon, a signal or a trigger.
    history: bool = False

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "due": self.due.isoformat(),
            "state": self.state,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "period": self.period,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "history": self.history,
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
    # The day the obligation is (or, for a term already missed, will be) in force; shown as
    # "verplicht vanaf dd/mm/jjjj". None: no missed trigger whose obligation falls under the setting.
    formal_mandatory_from: date | None = None
    # The same for the "would be mandatory, not yet in force" warning.
    formal_warning_reasons: tuple[str, ...] = ()
    formal_warning_from: date | None = None
    period: int = 0  # the current period of incapacity (0: no clock)
    period_start: date | None = None
    at_work: bool = False  # effectively back at work on as_of

    @property
    def current_milestones(self) -> tuple[Milestone, ...]:
        """The milestones still followed: what the worklist, the signals and the triggers look at."""
        return tuple(m for m in self.milestones if not m.history)

    def current(self, code: str) -> Milestone | None:
        """The current milestone with this code (the last one for volgend_gesprek); None if there is none."""
        found = [m for m in self.current_milestones if m.code == code]
        return found[-1] if found else None

    @property
    def overdue(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.current_milestones if m.state == MISSED and not m.advisory)

    @property
    def due_soon(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.current_milestones if m.state == DUE and not m.advisory)

    @property
    def most_urgent_due(self) -> date | None:
        """The earliest due date among current milestones still open (missed or running), not advisory."""
        open_dues = [m.due for m in self.current_milestones if m.state != MET and not m.advisory]
        return min(open_dues) if open_dues else None


@dataclass(frozen=True)
class FormalStart:
    """Whether a formal trajectory may be started on a day by a requester; see formal_start()."""

    allowed: bool
    possible_from: date | None = None  # when not allowed: the first day it will be, if foreseeable
    reason: str = ""  # "" when allowed, else one of FORMAL_START_REASONS


# --- periods of incapacity and who may start a formal trajectory -----------------------------------


def _known_relapses(facts: TrajectFacts, as_of: date) -> list[Relapse]:
    return sorted((r for r in facts.relapses if r.relapsed_on <= as_of), key=lambda r: r.relapsed_on)


def incapacity_periods(facts: TrajectFacts, as_of: date) -> tuple[Period, ...]:
    """The periods of incapacity known on ``as_of`` (none without D0), the current one last."""
    if facts.d0 is None:
        return ()
    starts = [facts.d0] + [r.relapsed_on for r in _known_relapses(facts, as_of) if r.interrupts]
    return tuple(
        Period(i + 1, start, starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None)
        for i, start in enumerate(starts)
    )


def at_work(facts: TrajectFacts, as_of: date) -> bool:
    """Effectively back at work on ``as_of``: a return on or before it, not followed by a known relapse."""
    if facts.d0 is None or facts.d0 > as_of:
        return False
    if facts.returned_on is not None and facts.returned_on <= as_of:
        return True
    return any(r.resumed_on <= as_of < r.relapsed_on for r in facts.relapses)


def uninterrupted_incapacity_start(facts: TrajectFacts, as_of: date) -> date | None:
    """Start of the current uninterrupted incapacity (KB art. I.4-73 §1), or None when not incapacitated.

    An effective resumption of work interrupts the period, unless the staff member became unable again
    within the first 14 days after resuming: then the period counts as not interrupted. It is the start
    of the current period of incapacity.
    """
    if facts.kind == PREVENTIEF or facts.d0 is None or facts.d0 > as_of or at_work(facts, as_of):
        return None
    return incapacity_periods(facts, as_of)[-1].start


def _entity_day(facts: TrajectFacts, start: date, as_of: date) -> date:
    """The day the entity may start a formal trajectory in an incapacity that started on ``start``:
    3 months of uninterrupted incapacity, or a certificate of definitive incapacity known earlier."""
    day = add_months(start, 3)
    definitive = facts.definitive_incapacity_on
    if definitive is not None and start <= definitive <= as_of:
        day = min(day, definitive)
    return day


def entity_may_start_from(facts: TrajectFacts, as_of: date) -> date | None:
    """The day the entity may start a formal trajectory in the current incapacity (it may lie after
    ``as_of``); None when the staff member is not unable to work on ``as_of``."""
    start = uninterrupted_incapacity_start(facts, as_of)
    return None if start is None else _entity_day(facts, start, as_of)


def formal_start(facts: TrajectFacts, on: date, requester: str) -> FormalStart:
    """May ``requester`` start a formal trajectory on ``on`` (the request's date)? And if not yet, from when?

    - the staff member, or the treating doctor with consent: on any day of incapacity (from D0), not
      while back at work, never without incapacity (a preventive trajectory);
    - the entity: from 3 months of uninterrupted incapacity (14-day relapse rule) or a known
      certificate of definitive incapacity, as for the conversion of an informal trajectory.
    """
    if requester not in AANVRAGERS:
        raise ValueError(f"unknown requester {requester!r}")
    if facts.kind == PREVENTIEF or facts.d0 is None:
        return FormalStart(False, None, R_GEEN_ARBEIDSONGESCHIKTHEID)
    entity = requester == AANVRAGER_ENTITEIT
    if on < facts.d0:
        return FormalStart(False, add_months(facts.d0, 3) if entity else facts.d0, R_VOOR_D0)
    if at_work(facts, on):
        return FormalStart(False, None, R_WERK_HERVAT)
    if entity:
        day = entity_may_start_from(facts, on)
        assert day is not None  # incapacitated on `on`
        if on < day:
            return FormalStart(False, day, R_NOG_GEEN_3_MAANDEN)
    return FormalStart(True)


# --- milestones -------------------------------------------------------------------------------------


# The two helpers below run some 80,000 times in a nightly job over 10,000 open trajectories: plain
# comparisons, no generator or argument tuple (min() over a generator costs several times more).


def _earliest(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None or a <= b:
        return a
    return b


def _first_between(dates: Iterable[date], start: date, end: date) -> date | None:
    best = None
    for d in dates:
        if start <= d <= end and (best is None or d < best):
            best = d
    return best


def _milestone(
    code: str, due: date, met_on: date | None, at: date, soon: int, period: Period, history: bool = False
) -> Milestone:
    """One milestone in its state on ``at``: the evaluation date or, for history, the last day it was
    followed (at the end of that day: a term that ended by then without the step is missed)."""
    if met_on is not None:
        state, late = MET, met_on > due
    elif at > due or (history and at == due):
        state, late = MISSED, False
    else:
        state, late = (DUE if (due - at).days <= soon else NOT_YET_DUE), False
    return Milestone(code, due, state, met_on, late, code in ADVISORY, period.number, period.start, history)


def _period_of(periods: tuple[Period, ...], day: date) -> Period:
    return next((p for p in reversed(periods) if p.start <= day), periods[0])


def _effective_returns(facts: TrajectFacts, as_of: date) -> list[date]:
    """Returns that meet the circular's terms: the current one, and those that ended a period.

    A return followed by a relapse within its first 14 days meets nothing: the incapacity counts as
    uninterrupted and the staff member, absent again, still needs the conversation.
    """
    returns = [
        r.resumed_on
        for r in facts.relapses
        if r.resumed_on <= as_of and (r.relapsed_on > as_of or r.interrupts)
    ]
    if facts.returned_on is not None and facts.returned_on <= as_of:
        returns.append(facts.returned_on)
    return returns


def _informal_milestones(
    facts: TrajectFacts, period: Period, as_of: date, soon: int, warnings: list[str]
) -> list[Milestone]:
    """The circular's milestones of one period, from the facts dated within it."""
    start, history = period.start, period.end is not None
    at = min(as_of, period.end) if period.end is not None else as_of

    def first(dates: Iterable[date], since: date = start) -> date | None:
        return _first_between(dates, since, at)

    def milestone(code: str, due: date, met_on: date | None) -> Milestone:
        return _milestone(code, due, met_on, at, soon, period, history)

    assessments = sorted((a for a in facts.assessments if start <= a.on <= at), key=lambda a: a.on)
    # An assessment is made in a conversation, so it counts as one.
    conversations = [*facts.conversations, *(a.on for a in assessments)]
    # A return to work makes the conversations about steps to work moot: the return is what they aim for.
    # It meets the term on the day of the return (late when after the due date).
    returns = _effective_returns(facts, as_of)
    first_conversation, first_return = first(conversations), first(returns)

    result = [
        milestone(
            INFO_ARBEIDSARTS, start + FOUR_WEEKS, _earliest(first(facts.info_arbeidsarts_on), first_return)
        ),
        milestone(
            ADVIES_EERSTE_GESPREK, start + timedelta(days=42), _earliest(first_conversation, first_return)
        ),
        milestone(GESPREK_2_MAANDEN, add_months(start, 2), _earliest(first_conversation, first_return)),
        milestone(
            INSCHATTING_4_MAANDEN,
            add_months(start, 4),
            _earliest(assessments[0].on if assessments else None, first_return),
        ),
    ]
    for a in assessments:
        if not a.steps_possible and a.next_conversation_on is not None:
            later = first(d for d in conversations if d > a.on)
            result.append(
                milestone(VOLGEND_GESPREK, a.next_conversation_on, _earliest(later, first(returns, a.on)))
            )

    positive = [a for a in assessments if a.steps_possible]
    extensions = sorted(
        (e for e in facts.extensions if start <= e.granted_on <= at), key=lambda e: e.granted_on
    )
    if extensions and not positive:
        warnings.append(W_VERLENGING_ZONDER_INSCHATTING)
    if positive:
        assessed = positive[0].on
        due = add_months(assessed, 2)
        for ext in extensions:
            if ext.granted_on < assessed:
                continue
            if ext.granted_on > due:
                # The term had already run out: an extension cannot revive it.
                if W_VERLENGING_NA_TERMIJN not in warnings:
                    warnings.append(W_VERLENGING_NA_TERMIJN)
                continue
            due = max(due, ext.new_due)
        met = _earliest(first(facts.stappenplannen, assessed), first(returns, assessed))
        result.append(milestone(STAPPENPLAN, due, met))
    return result


def _examination_milestones(
    facts: TrajectFacts, periods: tuple[Period, ...], as_of: date, soon: int
) -> list[Milestone]:
    """The "onderzoek bij werkhervatting" at each return after an absence of at least 4 consecutive weeks.

    Due on the day of the return ("onmiddellijk na je werkhervatting"), met by an examination of that
    kind dated on or after the return and before the next relapse. A return ended by a relapse closes
    its examination's window: the milestone stays as history.
    """
    assert facts.d0 is not None
    ended_by = {r.resumed_on: r.relapsed_on for r in facts.relapses if r.relapsed_on <= as_of}
    returns = {r.resumed_on for r in facts.relapses} | ({facts.returned_on} if facts.returned_on else set())
    result = []
    for returned in sorted(d for d in returns if facts.d0 <= d <= as_of):
        absent_since = max([facts.d0, *(r.relapsed_on for r in facts.relapses if r.relapsed_on < returned)])
        if returned - absent_since < FOUR_WEEKS:
            continue
        relapsed = ended_by.get(returned)
        at = as_of if relapsed is None else min(as_of, relapsed - timedelta(days=1))
        exams = (e.on for e in facts.examinations if e.kind == ONDERZOEK_BIJ_WERKHERVATTING)
        met = _first_between(exams, returned, at)
        period = _period_of(periods, returned)
        result.append(
            _milestone(ONDERZOEK_WERKHERVATTING, returned, met, at, soon, period, relapsed is not None)
        )
    return result


def _formal_milestones(
    f: FormalFacts, periods: tuple[Period, ...], as_of: date, soon: int, warnings: list[str]
) -> list[Milestone]:
    """The KB terms of a formal trajectory. They run from their own dates whatever the period of
    incapacity, and carry the period in which each term started."""

    def happened(d: date | None) -> date | None:
        return d if d is not None and d <= as_of else None

    def milestone(code: str, since: date, due: date, met_on: date | None) -> Milestone:
        return _milestone(code, due, met_on, as_of, soon, _period_of(periods, since))

    result: list[Milestone] = []
    request = happened(f.request_received_on)
    if request is None:
        return result
    result.append(
        milestone(FORMEEL_BEOORDELING, request, request + timedelta(days=49), happened(f.assessment_on))
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
    result.append(milestone(FORMEEL_PLAN, assessed, plan_due, plan_on))
    if plan_on is not None and f.plan_kind == PLAN:
        received = happened(f.plan_received_on or plan_on)
        if received is not None:
            result.append(
                milestone(FORMEEL_ANTWOORD, received, received + timedelta(days=14), happened(f.answer_on))
            )
    return result


# --- the obligation to start a formal trajectory ----------------------------------------------------


@dataclass(frozen=True)
class Obligation:
    """A broken (or, if nothing changes, to be broken) trigger of circular 4.3."""

    code: str
    in_force_from: date  # the later of the day after the term and the day the entity may start
    mandatory: bool  # in_force_from falls on or after the setting; else only the warning applies


def obligations(
    milestones: Iterable[Milestone], entity_day: date, mandatory_from: date | None, *, broken_only: bool
) -> list[Obligation]:
    """The obligations the current triggers give. ``broken_only``: only terms already missed (or met
    late); otherwise also those still running, as they would be if nothing changes."""
    out = []
    for m in milestones:
        if m.code not in MANDATORY_TRIGGERS or m.history or (m.state == MET and not m.late):
            continue
        if broken_only and m.state != MISSED and not m.late:
            continue
        in_force = max(m.due + timedelta(days=1), entity_day)
        out.append(Obligation(m.code, in_force, mandatory_from is not None and in_force >= mandatory_from))
    return out


# --- evaluation -------------------------------------------------------------------------------------


def evaluate(
    facts: TrajectFacts,
    as_of: date,
    *,
    mandatory_from: date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Evaluation:
    """Evaluate one trajectory on ``as_of``.

    ``mandatory_from`` is the date from which the circular's mandatory start of a formal trajectory
    applies (a setting; None while not fixed). An obligation whose in-force day falls before that date
    gives the warning ``formeel_verplicht_nog_niet_van_kracht`` instead, from that same day.
    """
    if facts.closed_on is not None and facts.closed_on <= as_of:
        return Evaluation(as_of=as_of, closed=True)
    if facts.kind == PREVENTIEF or facts.d0 is None:
        return Evaluation(as_of=as_of)

    periods = incapacity_periods(facts, as_of)
    current = periods[-1]
    warnings: list[str] = []
    milestones: list[Milestone] = []
    if facts.kind == FORMEEL:
        milestones += _formal_milestones(
            facts.formal or FormalFacts(), periods, as_of, due_soon_days, warnings
        )
    else:
        for period in periods:
            # Warnings about extensions concern the current period only.
            milestones += _informal_milestones(
                facts, period, as_of, due_soon_days, warnings if period is current else []
            )
    if facts.health_surveillance:
        milestones += _examination_milestones(facts, periods, as_of, due_soon_days)
    milestones.sort(key=lambda m: (m.period, m.due, _ORDER[m.code]))

    working = at_work(facts, as_of)
    entity_from = entity_may_start_from(facts, as_of)
    found = []
    if facts.kind != FORMEEL and not working:
        current_ones = (m for m in milestones if not m.history)
        found = obligations(
            current_ones, _entity_day(facts, current.start, as_of), mandatory_from, broken_only=True
        )
    in_force = [o for o in found if o.in_force_from <= as_of]
    mandatory_reasons = tuple(dict.fromkeys(o.code for o in in_force if o.mandatory))
    warning_reasons = tuple(dict.fromkeys(o.code for o in in_force if not o.mandatory))
    if warning_reasons:
        warnings.append(W_VERPLICHT_NOG_NIET_VAN_KRACHT)
    if not facts.coach_assigned and any(
        d <= as_of for d in (*facts.welzijnsactoren_on, *facts.progressive_return_on)
    ):
        warnings.append(W_COACH_MOET_COORDINEREN)

    return Evaluation(
        as_of=as_of,
        milestones=tuple(milestones),
        formal_possible_staff=entity_from is not None,
        formal_possible_entity=entity_from is not None and as_of >= entity_from,
        formal_possible_entity_from=entity_from,
        formal_mandatory=bool(mandatory_reasons),
        formal_mandatory_reasons=mandatory_reasons,
        formal_mandatory_from=min((o.in_force_from for o in found if o.mandatory), default=None),
        formal_warning_reasons=warning_reasons,
        formal_warning_from=min((o.in_force_from for o in found if not o.mandatory), default=None),
        warnings=tuple(warnings),
        period=current.number,
        period_start=current.start,
        at_work=working,
    )


def first_in_force(
    facts: TrajectFacts, as_of: date, *, mandatory_from: date | None = None
) -> tuple[date | None, date | None]:
    """The first day on or before ``as_of`` on which a formal trajectory was mandatory, and the first on
    which the "would be mandatory, not yet in force" warning was (None: never). For reports ("became
    mandatory"): an obligation no longer in force (back at work, a new period) still happened.

    ``evaluate`` can only turn the flags on at an obligation's in-force day, at a relapse (the rules judge
    again) or at a certificate of definitive incapacity (the entity may start earlier); those are the
    only days to look at.
    """
    if facts.kind != INFORMEEL or facts.d0 is None:
        return None, None
    days = {r.relapsed_on for r in facts.relapses}
    if facts.definitive_incapacity_on is not None:
        days.add(facts.definitive_incapacity_on)
    # the candidate days; closure is judged on each day
    open_facts = facts if facts.closed_on is None else replace(facts, closed_on=None)
    for period in incapacity_periods(facts, as_of):
        last = as_of if period.end is None else min(as_of, period.end)
        ev = evaluate(open_facts, last, mandatory_from=mandatory_from)
        entity_day = _entity_day(facts, period.start, last)
        days |= {
            o.in_force_from for o in obligations(ev.current_milestones, entity_day, None, broken_only=False)
        }
    mandatory = warning = None
    for day in sorted(d for d in days if facts.d0 <= d <= as_of):
        ev = evaluate(facts, day, mandatory_from=mandatory_from)
        if mandatory is None and ev.formal_mandatory:
            mandatory = day
        if warning is None and ev.formal_warning_reasons:
            warning = day
    return mandatory, warning


@dataclass(frozen=True)
class Summary:
    """What a worklist needs, independent of the day it is read (valid until the facts change).

    ``next_due``/``next_code``: the earliest open (not met, not advisory) current milestone.
    ``mandatory_from``: the day a formal trajectory becomes mandatory if nothing changes (None: never),
    the in-force day of the obligation; None while back at work.
    ``warning_from``: the day the "would be mandatory, not yet in force" warning starts; idem.
    ``coach_needed``: the warning ``coach_moet_coordineren`` applies.
    """

    next_due: date | None
    next_code: str
    mandatory_from: date | None
    warning_from: date | None
    coach_needed: bool = False


def summarize(facts: TrajectFacts, as_of: date, *, mandatory_from: date | None = None) -> Summary:
    return summary_of(
        facts, evaluate(facts, as_of, mandatory_from=mandatory_from), mandatory_from=mandatory_from
    )


def summary_of(facts: TrajectFacts, ev: Evaluation, *, mandatory_from: date | None = None) -> Summary:
    """The summary of an evaluation already made (``evaluate(facts, ev.as_of, mandatory_from=...)``): the
    deadline job evaluates each trajectory once, for its signals and its summary."""
    as_of = ev.as_of
    current = ev.current_milestones
    open_ms = [m for m in current if m.state != MET and not m.advisory]
    nxt = min(open_ms, key=lambda m: (m.due, _ORDER[m.code]), default=None)
    mandatory_day = warning_day = None
    if facts.kind != FORMEEL and ev.period_start is not None and not ev.at_work:
        entity_day = _entity_day(facts, ev.period_start, as_of)
        found = obligations(current, entity_day, mandatory_from, broken_only=False)
        mandatory_day = min((o.in_force_from for o in found if o.mandatory), default=None)
        warning_day = min((o.in_force_from for o in found if not o.mandatory), default=None)
    return Summary(
        nxt.due if nxt else None,
        nxt.code if nxt else "",
        mandatory_day,
        warning_day,
        coach_needed=W_COACH_MOET_COORDINEREN in ev.warnings,
    )
