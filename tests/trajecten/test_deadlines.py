"""Unit tests of the pure deadline rules in ``trajecten.deadlines`` (no database; only the label test
touches Django's translation machinery).

The module docstring of ``trajecten.deadlines``, the circular and ``shared/domain.md`` ("Deadlines", "The
formal trajectory's own terms") are the specification; issue 10's rules (periods of incapacity, the
obligation's in-force day, back at work, who may start a formal trajectory, the examination at the
return, the coordinating coach) have a section each, with the day before, of and after every date. Hand-computed dates are written out in full on purpose:
the expected values must not be derived with the code under test.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trajecten.deadlines import (
    AANVRAGER_BEHANDELEND_ARTS,
    AANVRAGER_ENTITEIT,
    AANVRAGER_PERSONEELSLID,
    AANVRAGERS,
    ADVIES_EERSTE_GESPREK,
    BEOORDELING_DEFINITIEF,
    BEOORDELING_TIJDELIJK,
    BEZOEK_VOOR_WERKHERVATTING,
    DUE,
    FORMAL_START_REASONS,
    FORMEEL,
    FORMEEL_ANTWOORD,
    FORMEEL_BEOORDELING,
    FORMEEL_PLAN,
    GEMOTIVEERD_VERSLAG,
    GESPREK_2_MAANDEN,
    INFO_ARBEIDSARTS,
    INFORMEEL,
    INSCHATTING_4_MAANDEN,
    MANDATORY_TRIGGERS,
    MET,
    MILESTONE_CODES,
    MISSED,
    NOT_YET_DUE,
    ONDERZOEK_BIJ_WERKHERVATTING,
    ONDERZOEK_SOORTEN,
    ONDERZOEK_WERKHERVATTING,
    PLAN,
    PREVENTIEF,
    R_GEEN_ARBEIDSONGESCHIKTHEID,
    R_NOG_GEEN_3_MAANDEN,
    R_VOOR_D0,
    R_WERK_HERVAT,
    STAPPENPLAN,
    VOLGEND_GESPREK,
    W_COACH_MOET_COORDINEREN,
    W_FORMEEL_UITKOMST_NIET_BEREKEND,
    W_VERLENGING_NA_TERMIJN,
    W_VERLENGING_ZONDER_INSCHATTING,
    W_VERPLICHT_NOG_NIET_VAN_KRACHT,
    WARNING_CODES,
    Assessment,
    Evaluation,
    Examination,
    Extension,
    FormalFacts,
    FormalStart,
    Milestone,
    Period,
    Relapse,
    Summary,
    TrajectFacts,
    add_months,
    at_work,
    evaluate,
    first_in_force,
    formal_start,
    incapacity_periods,
    summarize,
    uninterrupted_incapacity_start,
)

STATES = (NOT_YET_DUE, DUE, MET, MISSED)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def informal(d0: date | None = date(2024, 1, 10), **kw) -> TrajectFacts:
    return TrajectFacts(kind=INFORMEEL, d0=d0, **kw)


def formal(facts: FormalFacts | None = None, d0: date | None = date(2024, 1, 10), **kw) -> TrajectFacts:
    return TrajectFacts(kind=FORMEEL, d0=d0, formal=facts, **kw)


def only(ev: Evaluation, code: str, period: int | None = None) -> Milestone:
    """The one milestone with this code (of that period, when given)."""
    found = [m for m in ev.milestones if m.code == code and period in (None, m.period)]
    assert len(found) == 1, f"expected one {code}, got {ev.milestones}"
    return found[0]


def current(ev: Evaluation, code: str) -> Milestone:
    """The one current (not history) milestone with this code."""
    found = [m for m in ev.current_milestones if m.code == code]
    assert len(found) == 1, f"expected one current {code}, got {ev.milestones}"
    return found[0]


def codes(ev: Evaluation) -> list[str]:
    return [m.code for m in ev.milestones]


# ---------------------------------------------------------------------------------------------------
# add_months
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 29), id="31-jan-leap-year"),
        pytest.param(date(2023, 1, 31), 1, date(2023, 2, 28), id="31-jan-common-year"),
        pytest.param(date(2024, 3, 31), 1, date(2024, 4, 30), id="31-mar-to-30-apr"),
        pytest.param(date(2023, 11, 30), 3, date(2024, 2, 29), id="30-nov-plus-3-leap"),
        pytest.param(date(2022, 11, 30), 3, date(2023, 2, 28), id="30-nov-plus-3-common"),
        pytest.param(date(2024, 12, 15), 1, date(2025, 1, 15), id="dec-rolls-the-year"),
        pytest.param(date(2024, 12, 31), 1, date(2025, 1, 31), id="31-dec-rolls-the-year"),
        pytest.param(date(2024, 2, 29), 12, date(2025, 2, 28), id="29-feb-plus-12"),
        pytest.param(date(2024, 2, 29), 48, date(2028, 2, 29), id="29-feb-plus-48"),
        pytest.param(date(2024, 5, 31), 4, date(2024, 9, 30), id="31-may-plus-4"),
        pytest.param(date(2023, 8, 31), 6, date(2024, 2, 29), id="31-aug-plus-6-leap"),
        pytest.param(date(2024, 8, 31), 6, date(2025, 2, 28), id="31-aug-plus-6-common"),
        pytest.param(date(2024, 1, 15), 25, date(2026, 2, 15), id="over-two-years"),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    "start", [date(2024, 1, 31), date(2024, 2, 29), date(2023, 2, 28), date(2024, 12, 31), date(2030, 6, 1)]
)
def test_add_zero_months_is_identity(start):
    assert add_months(start, 0) == start


# ---------------------------------------------------------------------------------------------------
# Every milestone: due date, open states around the due date, met on time / late, facts after as_of
# ---------------------------------------------------------------------------------------------------

# D0 = 10 January 2024 (informal cases default to it).
NEGATIVE = Assessment(date(2024, 2, 20), steps_possible=False, next_conversation_on=date(2024, 4, 1))
POSITIVE = Assessment(date(2024, 2, 20), steps_possible=True)
REQUEST = date(2024, 3, 1)
FORMAL_ASSESSED = date(2024, 4, 10)
PLAN_ON = date(2024, 5, 1)


def _dates(on: date | None) -> tuple[date, ...]:
    return () if on is None else (on,)


# (code, due, build): build(met_on) gives facts in which the milestone is done on met_on (None: not done).
MILESTONE_CASES = [
    pytest.param(
        INFO_ARBEIDSARTS,
        date(2024, 2, 7),  # D0 + 28 days
        lambda on: informal(info_arbeidsarts_on=_dates(on)),
        id=INFO_ARBEIDSARTS,
    ),
    pytest.param(
        ADVIES_EERSTE_GESPREK,
        date(2024, 2, 21),  # D0 + 42 days
        lambda on: informal(conversations=_dates(on)),
        id=ADVIES_EERSTE_GESPREK,
    ),
    pytest.param(
        GESPREK_2_MAANDEN,
        date(2024, 3, 10),  # D0 + 2 months
        lambda on: informal(conversations=_dates(on)),
        id=GESPREK_2_MAANDEN,
    ),
    pytest.param(
        INSCHATTING_4_MAANDEN,
        date(2024, 5, 10),  # D0 + 4 months
        lambda on: informal(assessments=() if on is None else (Assessment(on, steps_possible=False),)),
        id=INSCHATTING_4_MAANDEN,
    ),
    pytest.param(
        VOLGEND_GESPREK,
        date(2024, 4, 1),  # the planned next conversation
        lambda on: informal(assessments=(NEGATIVE,), conversations=_dates(on)),
        id=VOLGEND_GESPREK,
    ),
    pytest.param(
        STAPPENPLAN,
        date(2024, 4, 20),  # positive assessment 20/02 + 2 months
        lambda on: informal(assessments=(POSITIVE,), stappenplannen=_dates(on)),
        id=STAPPENPLAN,
    ),
    pytest.param(
        FORMEEL_BEOORDELING,
        date(2024, 4, 19),  # request received 01/03 + 49 days
        lambda on: formal(FormalFacts(request_received_on=REQUEST, assessment_on=on)),
        id=FORMEEL_BEOORDELING,
    ),
    pytest.param(
        FORMEEL_PLAN,
        date(2024, 6, 12),  # assessment received 10/04 + 63 days
        lambda on: formal(
            FormalFacts(
                request_received_on=REQUEST,
                assessment_on=FORMAL_ASSESSED,
                assessment_outcome=BEOORDELING_TIJDELIJK,
                plan_on=on,
            )
        ),
        id=f"{FORMEEL_PLAN}-tijdelijk",
    ),
    pytest.param(
        FORMEEL_PLAN,
        date(2024, 10, 10),  # assessment received 10/04 + 6 months
        lambda on: formal(
            FormalFacts(
                request_received_on=REQUEST,
                assessment_on=FORMAL_ASSESSED,
                assessment_outcome=BEOORDELING_DEFINITIEF,
                plan_on=on,
            )
        ),
        id=f"{FORMEEL_PLAN}-definitief",
    ),
    pytest.param(
        FORMEEL_ANTWOORD,
        date(2024, 5, 15),  # plan received 01/05 + 14 days
        lambda on: formal(
            FormalFacts(
                request_received_on=REQUEST,
                assessment_on=FORMAL_ASSESSED,
                assessment_outcome=BEOORDELING_TIJDELIJK,
                plan_on=PLAN_ON,
                plan_kind=PLAN,
                answer_on=on,
            )
        ),
        id=FORMEEL_ANTWOORD,
    ),
]


def test_every_milestone_code_is_covered():
    # The onderzoek bij werkhervatting exists only from the return on (its due date): it has its own tests.
    assert {p.values[0] for p in MILESTONE_CASES} | {ONDERZOEK_WERKHERVATTING} == set(MILESTONE_CODES)


@pytest.mark.parametrize(("code", "due", "build"), MILESTONE_CASES)
def test_milestone_due_date(code, due, build):
    assert only(evaluate(build(None), due), code).due == due


# (days from the due date, state of a milestone not met)
AROUND_DUE = [
    pytest.param(-8, NOT_YET_DUE, id="8-days-before"),
    pytest.param(-7, DUE, id="7-days-before"),
    pytest.param(-1, DUE, id="day-before"),
    pytest.param(0, DUE, id="due-date"),
    pytest.param(1, MISSED, id="day-after"),
    pytest.param(2, MISSED, id="2-days-after"),
]


@pytest.mark.parametrize(("offset", "state"), AROUND_DUE)
@pytest.mark.parametrize(("code", "due", "build"), MILESTONE_CASES)
def test_open_milestone_state_around_due_date(code, due, build, offset, state):
    m = only(evaluate(build(None), due + days(offset)), code)
    assert (m.state, m.met_on, m.late) == (state, None, False)


@pytest.mark.parametrize(
    ("met_offset", "late"),
    [
        pytest.param(-3, False, id="before-due"),
        pytest.param(0, False, id="on-due-date"),
        pytest.param(1, True, id="day-after-due"),
        pytest.param(10, True, id="10-days-after-due"),
    ],
)
@pytest.mark.parametrize(("code", "due", "build"), MILESTONE_CASES)
def test_met_milestone_is_late_only_after_due_date(code, due, build, met_offset, late):
    met_on = due + days(met_offset)
    for as_of in (met_on, due + days(30), due + days(400)):
        m = only(evaluate(build(met_on), as_of), code)
        assert (m.state, m.met_on, m.late) == (MET, met_on, late)


@pytest.mark.parametrize(("code", "due", "build"), MILESTONE_CASES)
def test_fact_dated_after_as_of_does_not_count(code, due, build):
    m = only(evaluate(build(due), due - days(1)), code)
    assert (m.state, m.met_on) == (DUE, None)
    assert only(evaluate(build(due), due), code).state == MET


def test_conversation_on_10_march_does_not_count_on_9_march():
    facts = informal(conversations=(date(2024, 3, 10),))
    assert only(evaluate(facts, date(2024, 3, 9)), GESPREK_2_MAANDEN).state == DUE
    m = only(evaluate(facts, date(2024, 3, 10)), GESPREK_2_MAANDEN)
    assert (m.state, m.met_on, m.late) == (MET, date(2024, 3, 10), False)


@pytest.mark.parametrize(
    ("due_soon_days", "offset", "state"),
    [(0, -1, NOT_YET_DUE), (0, 0, DUE), (14, -15, NOT_YET_DUE), (14, -14, DUE)],
)
def test_due_soon_horizon_is_a_parameter(due_soon_days, offset, state):
    due = date(2024, 3, 10)
    ev = evaluate(informal(), due + days(offset), due_soon_days=due_soon_days)
    assert only(ev, GESPREK_2_MAANDEN).state == state


def test_conversation_before_d0_does_not_count():
    ev = evaluate(informal(conversations=(date(2024, 1, 9),)), date(2024, 3, 11))
    assert only(ev, GESPREK_2_MAANDEN).state == MISSED


def test_milestones_are_sorted_by_due_date():
    ev = evaluate(informal(assessments=(POSITIVE,)), date(2024, 2, 25))
    assert codes(ev) == [
        INFO_ARBEIDSARTS,  # 07/02
        ADVIES_EERSTE_GESPREK,  # 21/02
        GESPREK_2_MAANDEN,  # 10/03
        STAPPENPLAN,  # 20/04
        INSCHATTING_4_MAANDEN,  # 10/05
    ]


def test_milestone_as_dict():
    m = Milestone(GESPREK_2_MAANDEN, date(2024, 3, 10), MET, date(2024, 3, 11), late=True)
    assert m.as_dict() == {
        "code": GESPREK_2_MAANDEN,
        "due": "2024-03-10",
        "state": MET,
        "met_on": "2024-03-11",
        "period": 1,
        "period_start": None,
        "history": False,
    }
    assert Milestone(INFO_ARBEIDSARTS, date(2024, 2, 7), MISSED).as_dict()["met_on"] is None
    history = Milestone(
        INFO_ARBEIDSARTS, date(2024, 4, 12), MISSED, period=2, period_start=date(2024, 3, 15), history=True
    )
    assert {k: history.as_dict()[k] for k in ("period", "period_start", "history")} == {
        "period": 2,
        "period_start": "2024-03-15",
        "history": True,
    }


# --- advisory first conversation ---------------------------------------------------------------------


def test_advies_eerste_gesprek_is_advisory_and_never_overdue_or_due_soon():
    ev = evaluate(informal(), date(2024, 3, 5))
    advies = only(ev, ADVIES_EERSTE_GESPREK)
    assert advies.advisory and advies.state == MISSED
    assert ADVIES_EERSTE_GESPREK not in [m.code for m in ev.overdue]
    assert [m.code for m in ev.overdue] == [INFO_ARBEIDSARTS]
    assert [m.code for m in ev.due_soon] == [GESPREK_2_MAANDEN]  # 10/03, 5 days left
    assert all(not m.advisory for m in ev.milestones if m.code != ADVIES_EERSTE_GESPREK)

    due_soon = evaluate(informal(), date(2024, 2, 20))
    assert only(due_soon, ADVIES_EERSTE_GESPREK).state == DUE
    assert ADVIES_EERSTE_GESPREK not in [m.code for m in due_soon.due_soon]


def test_most_urgent_due_skips_met_and_advisory_milestones():
    ev = evaluate(informal(info_arbeidsarts_on=(date(2024, 1, 20),)), date(2024, 3, 5))
    # info met; the advisory first conversation (21/02, missed) is not urgent: the 2-month conversation is.
    assert ev.most_urgent_due == date(2024, 3, 10)
    assert evaluate(informal(), date(2024, 3, 5)).most_urgent_due == date(2024, 2, 7)
    all_met = informal(returned_on=date(2024, 1, 20))
    assert evaluate(all_met, date(2024, 3, 5)).most_urgent_due is None


# --- conversations, assessments and returns ----------------------------------------------------------


def test_assessment_counts_as_a_conversation():
    ev = evaluate(
        informal(assessments=(Assessment(date(2024, 3, 1), steps_possible=True),)), date(2024, 3, 20)
    )
    assert (only(ev, GESPREK_2_MAANDEN).state, only(ev, GESPREK_2_MAANDEN).met_on) == (MET, date(2024, 3, 1))
    assert only(ev, ADVIES_EERSTE_GESPREK).met_on == date(2024, 3, 1)
    assert only(ev, INSCHATTING_4_MAANDEN).met_on == date(2024, 3, 1)


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(informal(returned_on=date(2024, 2, 1)), id="returned_on"),
        pytest.param(
            informal(relapses=(Relapse(date(2024, 2, 1), date(2024, 2, 20)),)), id="relapse-resumed_on"
        ),
    ],
)
@pytest.mark.parametrize(
    "code", [INFO_ARBEIDSARTS, ADVIES_EERSTE_GESPREK, GESPREK_2_MAANDEN, INSCHATTING_4_MAANDEN]
)
def test_return_to_work_before_due_meets_the_term(facts, code):
    # The relapse of 20/02 came 19 days after the return: it starts a new period, and the terms of the
    # first period stay met by the return.
    m = only(evaluate(facts, date(2024, 6, 1)), code, period=1)
    assert (m.state, m.met_on, m.late) == (MET, date(2024, 2, 1), False)


def test_return_to_work_after_due_meets_the_term_late():
    ev = evaluate(informal(returned_on=date(2024, 3, 20)), date(2024, 6, 1))
    assert (only(ev, GESPREK_2_MAANDEN).state, only(ev, GESPREK_2_MAANDEN).late) == (MET, True)
    assert (only(ev, INSCHATTING_4_MAANDEN).state, only(ev, INSCHATTING_4_MAANDEN).late) == (MET, False)


def test_return_to_work_after_as_of_does_not_count():
    ev = evaluate(informal(returned_on=date(2024, 3, 20)), date(2024, 3, 19))
    assert only(ev, GESPREK_2_MAANDEN).state == MISSED


# start of the clock, info (+ 28 days), advies (+ 42 days), gesprek (+ 2 months), inschatting (+ 4 months)
MONTH_END_STARTS = [
    pytest.param(*map(date.fromisoformat, dates.split()), id=name)
    for name, dates in [
        ("31-jan", "2024-01-31  2024-02-28  2024-03-13  2024-03-31  2024-05-31"),
        ("31-dec-leap", "2023-12-31  2024-01-28  2024-02-11  2024-02-29  2024-04-30"),
        ("31-dec-common", "2022-12-31  2023-01-28  2023-02-11  2023-02-28  2023-04-30"),
        ("30-dec", "2023-12-30  2024-01-27  2024-02-10  2024-02-29  2024-04-30"),
        ("29-feb", "2024-02-29  2024-03-28  2024-04-11  2024-04-29  2024-06-29"),
        ("31-may", "2024-05-31  2024-06-28  2024-07-12  2024-07-31  2024-09-30"),
    ]
]


@pytest.mark.parametrize(("d0", "info", "advies", "gesprek", "inschatting"), MONTH_END_STARTS)
def test_month_end_d0(d0, info, advies, gesprek, inschatting):
    ev = evaluate(informal(d0=d0), d0)
    assert {m.code: m.due for m in ev.milestones} == {
        INFO_ARBEIDSARTS: info,
        ADVIES_EERSTE_GESPREK: advies,
        GESPREK_2_MAANDEN: gesprek,
        INSCHATTING_4_MAANDEN: inschatting,
    }


@pytest.mark.parametrize(("start", "info", "advies", "gesprek", "inschatting"), MONTH_END_STARTS)
def test_month_end_relapse_starts_the_same_terms(start, info, advies, gesprek, inschatting):
    # Back at work from 60 to 20 days before `start`, unable again on `start`: a new period from `start`.
    facts = informal(d0=start - days(100), relapses=(Relapse(start - days(60), start),))
    ev = evaluate(facts, start)
    assert (ev.period, ev.period_start) == (2, start)
    assert {m.code: m.due for m in ev.current_milestones} == {
        INFO_ARBEIDSARTS: info,
        ADVIES_EERSTE_GESPREK: advies,
        GESPREK_2_MAANDEN: gesprek,
        INSCHATTING_4_MAANDEN: inschatting,
    }


# --- next conversation after "not yet possible" -------------------------------------------------------


def test_next_conversation_needs_a_conversation_after_the_assessment():
    same_day = informal(assessments=(NEGATIVE,), conversations=(NEGATIVE.on,))
    assert only(evaluate(same_day, date(2024, 4, 2)), VOLGEND_GESPREK).state == MISSED

    second_assessment = Assessment(date(2024, 3, 25), steps_possible=True)
    ev = evaluate(informal(assessments=(NEGATIVE, second_assessment)), date(2024, 4, 2))
    assert only(ev, VOLGEND_GESPREK).met_on == date(2024, 3, 25)


def test_no_next_conversation_milestone_without_a_planned_date_or_after_a_positive_assessment():
    no_date = Assessment(date(2024, 2, 20), steps_possible=False)
    assert VOLGEND_GESPREK not in codes(evaluate(informal(assessments=(no_date,)), date(2024, 5, 1)))
    assert VOLGEND_GESPREK not in codes(evaluate(informal(assessments=(POSITIVE,)), date(2024, 5, 1)))


def test_every_negative_assessment_plans_its_own_next_conversation():
    second = Assessment(date(2024, 3, 25), steps_possible=False, next_conversation_on=date(2024, 5, 15))
    ev = evaluate(informal(assessments=(second, NEGATIVE)), date(2024, 5, 20))
    assert [(m.due, m.state, m.met_on) for m in ev.milestones if m.code == VOLGEND_GESPREK] == [
        (date(2024, 4, 1), MET, date(2024, 3, 25)),
        (date(2024, 5, 15), MISSED, None),
    ]


def test_return_to_work_after_the_assessment_meets_the_next_conversation():
    ev = evaluate(informal(assessments=(NEGATIVE,), returned_on=date(2024, 3, 5)), date(2024, 4, 10))
    assert only(ev, VOLGEND_GESPREK).met_on == date(2024, 3, 5)


def test_return_to_work_before_a_negative_assessment_does_not_meet_its_next_conversation():
    # Back at work 20/01-25/01, then incapacitated again; the assessment of 20/02 plans a conversation by 01/04.
    # A return before the assessment cannot be "the next conversation" that assessment asked for.
    facts = informal(assessments=(NEGATIVE,), relapses=(Relapse(date(2024, 1, 20), date(2024, 1, 25)),))
    m = only(evaluate(facts, date(2024, 4, 10)), VOLGEND_GESPREK)
    assert (m.state, m.met_on) == (MISSED, None)


# --- stappenplan -------------------------------------------------------------------------------------


def test_stappenplan_runs_from_the_first_positive_assessment():
    later_positive = Assessment(date(2024, 3, 15), steps_possible=True)
    ev = evaluate(informal(assessments=(later_positive, NEGATIVE, POSITIVE)), date(2024, 3, 20))
    assert only(ev, STAPPENPLAN).due == date(2024, 4, 20)

    only_negative = informal(assessments=(NEGATIVE,), stappenplannen=(date(2024, 3, 1),))
    assert STAPPENPLAN not in codes(evaluate(only_negative, date(2024, 6, 1)))


@pytest.mark.parametrize(
    ("assessed", "due"),
    [
        (date(2023, 12, 31), date(2024, 2, 29)),
        (date(2024, 7, 31), date(2024, 9, 30)),
        (date(2024, 12, 31), date(2025, 2, 28)),
    ],
)
def test_stappenplan_due_month_end(assessed, due):
    facts = informal(d0=date(2023, 12, 1), assessments=(Assessment(assessed, steps_possible=True),))
    assert only(evaluate(facts, assessed), STAPPENPLAN).due == due


@pytest.mark.parametrize(
    ("returned", "met_on"),
    [
        pytest.param(date(2024, 2, 20), date(2024, 2, 20), id="return-on-assessment-day"),
        pytest.param(date(2024, 4, 25), date(2024, 4, 25), id="return-after-due-late"),
    ],
)
def test_return_on_or_after_positive_assessment_meets_stappenplan(returned, met_on):
    ev = evaluate(informal(assessments=(POSITIVE,), returned_on=returned), date(2024, 5, 1))
    m = only(ev, STAPPENPLAN)
    assert (m.state, m.met_on, m.late) == (MET, met_on, met_on > date(2024, 4, 20))


def test_return_before_positive_assessment_does_not_meet_stappenplan():
    facts = informal(assessments=(POSITIVE,), relapses=(Relapse(date(2024, 1, 20), date(2024, 1, 25)),))
    assert only(evaluate(facts, date(2024, 4, 21)), STAPPENPLAN).state == MISSED


def test_stappenplan_before_positive_assessment_does_not_count():
    facts = informal(assessments=(POSITIVE,), stappenplannen=(date(2024, 2, 19),))
    assert only(evaluate(facts, date(2024, 4, 21)), STAPPENPLAN).state == MISSED


# ---------------------------------------------------------------------------------------------------
# Extensions of the stappenplan term (positive assessment 20/02/2024, term ends 20/04/2024)
# ---------------------------------------------------------------------------------------------------


def stappenplan_with(*extensions: Extension, **kw) -> TrajectFacts:
    return informal(assessments=(POSITIVE,), extensions=extensions, **kw)


@pytest.mark.parametrize(
    "granted_on",
    [
        pytest.param(date(2024, 2, 20), id="on-assessment-day"),
        pytest.param(date(2024, 4, 10), id="before-due"),
        pytest.param(date(2024, 4, 20), id="on-due-date"),
    ],
)
def test_extension_granted_on_or_before_due_moves_the_due(granted_on):
    ev = evaluate(stappenplan_with(Extension(granted_on, date(2024, 6, 30))), date(2024, 5, 1))
    m = only(ev, STAPPENPLAN)
    assert (m.due, m.state) == (date(2024, 6, 30), NOT_YET_DUE)
    assert ev.warnings == ()


def test_chain_of_two_extensions():
    first = Extension(date(2024, 4, 10), date(2024, 6, 30))
    second = Extension(
        date(2024, 6, 25), date(2024, 8, 31)
    )  # after the original due, within the extended one
    facts = stappenplan_with(second, first)
    assert only(evaluate(facts, date(2024, 6, 24)), STAPPENPLAN).due == date(2024, 6, 30)
    ev = evaluate(facts, date(2024, 7, 1))
    assert (only(ev, STAPPENPLAN).due, only(ev, STAPPENPLAN).state) == (date(2024, 8, 31), NOT_YET_DUE)
    assert ev.warnings == ()


def test_extension_granted_after_the_term_expired_is_ignored_with_a_warning():
    ev = evaluate(stappenplan_with(Extension(date(2024, 4, 21), date(2024, 6, 30))), date(2024, 5, 1))
    assert (only(ev, STAPPENPLAN).due, only(ev, STAPPENPLAN).state) == (date(2024, 4, 20), MISSED)
    assert W_VERLENGING_NA_TERMIJN in ev.warnings


def test_second_extension_after_the_extended_term_expired_is_ignored():
    first = Extension(date(2024, 4, 10), date(2024, 6, 30))
    too_late = Extension(date(2024, 7, 1), date(2024, 8, 31))
    ev = evaluate(stappenplan_with(first, too_late), date(2024, 7, 2))
    assert (only(ev, STAPPENPLAN).due, only(ev, STAPPENPLAN).state) == (date(2024, 6, 30), MISSED)
    assert ev.warnings.count(W_VERLENGING_NA_TERMIJN) == 1


def test_extension_does_not_shorten_the_term():
    ev = evaluate(stappenplan_with(Extension(date(2024, 3, 1), date(2024, 4, 1))), date(2024, 4, 5))
    assert (only(ev, STAPPENPLAN).due, only(ev, STAPPENPLAN).state) == (date(2024, 4, 20), NOT_YET_DUE)


def test_extension_granted_after_as_of_does_not_count_yet():
    facts = stappenplan_with(Extension(date(2024, 4, 18), date(2024, 6, 30)))
    assert only(evaluate(facts, date(2024, 4, 17)), STAPPENPLAN).due == date(2024, 4, 20)
    assert only(evaluate(facts, date(2024, 4, 18)), STAPPENPLAN).due == date(2024, 6, 30)


def test_extension_granted_before_the_positive_assessment_does_not_move_the_due():
    ev = evaluate(stappenplan_with(Extension(date(2024, 2, 19), date(2024, 6, 30))), date(2024, 5, 1))
    assert only(ev, STAPPENPLAN).due == date(2024, 4, 20)


@pytest.mark.parametrize(
    "assessments",
    [pytest.param((), id="no-assessment"), pytest.param((NEGATIVE,), id="only-negative-assessment")],
)
def test_extension_without_positive_assessment_warns(assessments):
    facts = informal(assessments=assessments, extensions=(Extension(date(2024, 3, 1), date(2024, 6, 1)),))
    ev = evaluate(facts, date(2024, 3, 5))
    assert W_VERLENGING_ZONDER_INSCHATTING in ev.warnings
    assert STAPPENPLAN not in codes(ev)


def test_extension_meets_nothing_by_itself():
    ev = evaluate(stappenplan_with(Extension(date(2024, 4, 10), date(2024, 6, 30))), date(2024, 7, 1))
    assert only(ev, STAPPENPLAN).state == MISSED


# ---------------------------------------------------------------------------------------------------
# Mandatory formal trajectory (circular 4.3) and the mandatory_from setting
# ---------------------------------------------------------------------------------------------------

# D0 10/01/2024 with a conversation: inschatting_4_maanden due 10/05, its obligation arises on 11/05.
NO_ASSESSMENT = informal(conversations=(date(2024, 2, 1),))


def test_missed_trigger_without_mandatory_from_only_warns():
    ev = evaluate(NO_ASSESSMENT, date(2024, 5, 20), mandatory_from=None)
    assert only(ev, INSCHATTING_4_MAANDEN).state == MISSED
    assert (ev.formal_mandatory, ev.formal_mandatory_reasons) == (False, ())
    assert ev.warnings == (W_VERPLICHT_NOG_NIET_VAN_KRACHT,)


@pytest.mark.parametrize(
    ("mandatory_from", "mandatory"),
    [
        pytest.param(date(2024, 5, 10), True, id="from-the-due-date"),
        pytest.param(date(2024, 5, 11), True, id="from-the-day-after-due"),
        pytest.param(date(2024, 5, 12), False, id="from-two-days-after-due"),
        pytest.param(date(2030, 1, 1), False, id="from-far-future"),
    ],
)
def test_mandatory_from_boundary(mandatory_from, mandatory):
    ev = evaluate(NO_ASSESSMENT, date(2024, 5, 20), mandatory_from=mandatory_from)
    assert ev.formal_mandatory is mandatory
    if mandatory:
        assert ev.formal_mandatory_reasons == (INSCHATTING_4_MAANDEN,)
        assert W_VERPLICHT_NOG_NIET_VAN_KRACHT not in ev.warnings
    else:
        assert ev.formal_mandatory_reasons == ()
        assert W_VERPLICHT_NOG_NIET_VAN_KRACHT in ev.warnings


@pytest.mark.parametrize(
    ("as_of", "mandatory"),
    [(date(2024, 5, 10), False), (date(2024, 5, 11), True), (date(2024, 7, 1), True)],
)
def test_mandatory_only_once_the_trigger_is_missed(as_of, mandatory):
    ev = evaluate(NO_ASSESSMENT, as_of, mandatory_from=date(2024, 1, 1))
    assert ev.formal_mandatory is mandatory
    assert ev.warnings == ()


def test_missed_stappenplan_makes_formal_mandatory():
    ev = evaluate(informal(assessments=(POSITIVE,)), date(2024, 4, 21), mandatory_from=date(2024, 1, 1))
    assert only(ev, INSCHATTING_4_MAANDEN).state == MET
    assert (ev.formal_mandatory, ev.formal_mandatory_reasons) == (True, (STAPPENPLAN,))
    assert not evaluate(
        informal(assessments=(POSITIVE,)), date(2024, 4, 20), mandatory_from=date(2024, 1, 1)
    ).formal_mandatory


def test_missed_stappenplan_before_mandatory_from_warns():
    ev = evaluate(informal(assessments=(POSITIVE,)), date(2024, 4, 21), mandatory_from=date(2024, 4, 22))
    assert (ev.formal_mandatory, ev.formal_mandatory_reasons) == (False, ())
    assert ev.warnings == (W_VERPLICHT_NOG_NIET_VAN_KRACHT,)


def test_missed_gesprek_2_maanden_alone_is_no_trigger():
    ev = evaluate(informal(), date(2024, 4, 1), mandatory_from=date(2024, 1, 1))
    assert only(ev, GESPREK_2_MAANDEN).state == MISSED
    assert (ev.formal_mandatory, ev.formal_mandatory_reasons, ev.warnings) == (False, (), ())


@pytest.mark.parametrize("mandatory_from", [None, date(2024, 1, 1)])
def test_formal_trajectory_is_never_flagged_mandatory(mandatory_from):
    ev = evaluate(formal(d0=date(2023, 1, 10)), date(2024, 5, 20), mandatory_from=mandatory_from)
    assert (ev.formal_mandatory, ev.formal_mandatory_reasons, ev.warnings) == (False, (), ())


# ---------------------------------------------------------------------------------------------------
# Who may start a formal trajectory (KB art. I.4-73 §1, 14-day relapse rule)
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "staff", "entity"),
    [
        pytest.param(date(2024, 1, 9), False, False, id="day-before-d0"),
        pytest.param(date(2024, 1, 10), True, False, id="d0"),
        pytest.param(date(2024, 4, 9), True, False, id="day-before-3-months"),
        pytest.param(date(2024, 4, 10), True, True, id="3-months"),
        pytest.param(date(2025, 1, 1), True, True, id="later"),
    ],
)
def test_formal_possible_for_staff_from_d0_and_for_entity_after_3_months(as_of, staff, entity):
    ev = evaluate(informal(), as_of)
    assert (ev.formal_possible_staff, ev.formal_possible_entity) == (staff, entity)
    assert ev.formal_possible_entity_from == (date(2024, 4, 10) if staff else None)


@pytest.mark.parametrize(
    ("d0", "entity_from"),
    [
        (date(2023, 11, 30), date(2024, 2, 29)),
        (date(2022, 11, 30), date(2023, 2, 28)),
        (date(2023, 11, 29), date(2024, 2, 29)),
        (date(2024, 3, 31), date(2024, 6, 30)),
    ],
)
def test_formal_possible_entity_from_month_end(d0, entity_from):
    assert evaluate(informal(d0=d0), d0).formal_possible_entity_from == entity_from
    assert not evaluate(informal(d0=d0), entity_from - days(1)).formal_possible_entity
    assert evaluate(informal(d0=d0), entity_from).formal_possible_entity
    # the same day for a request by the entity (registration or conversion)
    assert formal_start(informal(d0=d0), entity_from - days(1), AANVRAGER_ENTITEIT) == FormalStart(
        False, entity_from, R_NOG_GEEN_3_MAANDEN
    )
    assert formal_start(informal(d0=d0), entity_from, AANVRAGER_ENTITEIT).allowed


def test_not_possible_once_back_at_work():
    facts = informal(returned_on=date(2024, 5, 1))
    before = evaluate(facts, date(2024, 4, 30))
    assert (before.formal_possible_staff, before.formal_possible_entity) == (True, True)
    for as_of in (date(2024, 5, 1), date(2024, 8, 1)):
        ev = evaluate(facts, as_of)
        assert (ev.formal_possible_staff, ev.formal_possible_entity, ev.formal_possible_entity_from) == (
            False,
            False,
            None,
        )
    assert uninterrupted_incapacity_start(facts, date(2024, 5, 1)) is None


@pytest.mark.parametrize(
    ("relapsed_on", "start", "entity_from"),
    [
        pytest.param(date(2024, 2, 1), date(2024, 1, 10), date(2024, 4, 10), id="same-day"),
        pytest.param(
            date(2024, 2, 14), date(2024, 1, 10), date(2024, 4, 10), id="resumed-plus-13-not-interrupted"
        ),
        pytest.param(
            date(2024, 2, 15), date(2024, 2, 15), date(2024, 5, 15), id="resumed-plus-14-interrupted"
        ),
        pytest.param(date(2024, 3, 1), date(2024, 3, 1), date(2024, 6, 1), id="long-resumption"),
    ],
)
def test_14_day_relapse_rule(relapsed_on, start, entity_from):
    facts = informal(relapses=(Relapse(date(2024, 2, 1), relapsed_on),))
    as_of = date(2024, 4, 20)
    assert uninterrupted_incapacity_start(facts, as_of) == start
    ev = evaluate(facts, as_of)
    assert ev.formal_possible_staff
    assert ev.formal_possible_entity_from == entity_from
    assert ev.formal_possible_entity is (as_of >= entity_from)


def test_relapse_rule_counts_from_the_last_interrupting_resumption():
    facts = informal(
        relapses=(
            Relapse(date(2024, 2, 1), date(2024, 3, 1)),  # interrupts: new start 01/03
            Relapse(date(2024, 4, 1), date(2024, 4, 5)),  # within 14 days: not interrupted
        )
    )
    assert uninterrupted_incapacity_start(facts, date(2024, 6, 1)) == date(2024, 3, 1)
    assert evaluate(facts, date(2024, 6, 1)).formal_possible_entity
    assert evaluate(facts, date(2024, 6, 1)).formal_possible_entity_from == date(2024, 6, 1)


@pytest.mark.parametrize("as_of", [date(2024, 2, 1), date(2024, 2, 10), date(2024, 2, 14)])
def test_nothing_possible_while_back_at_work_before_a_relapse(as_of):
    facts = informal(relapses=(Relapse(date(2024, 2, 1), date(2024, 2, 15)),))
    ev = evaluate(facts, as_of)
    assert (ev.formal_possible_staff, ev.formal_possible_entity, ev.formal_possible_entity_from) == (
        False,
        False,
        None,
    )
    assert evaluate(facts, date(2024, 1, 31)).formal_possible_staff
    assert evaluate(facts, date(2024, 2, 15)).formal_possible_staff


def test_definitive_incapacity_makes_the_entity_possible_earlier():
    facts = informal(definitive_incapacity_on=date(2024, 2, 1))
    assert not evaluate(facts, date(2024, 1, 31)).formal_possible_entity
    ev = evaluate(facts, date(2024, 2, 1))
    assert (ev.formal_possible_entity, ev.formal_possible_entity_from) == (True, date(2024, 2, 1))
    late = informal(definitive_incapacity_on=date(2024, 6, 1))
    assert evaluate(late, date(2024, 6, 1)).formal_possible_entity_from == date(2024, 4, 10)


def test_definitive_incapacity_before_an_interruption_does_not_count():
    facts = informal(
        definitive_incapacity_on=date(2024, 1, 20), relapses=(Relapse(date(2024, 2, 1), date(2024, 3, 1)),)
    )
    ev = evaluate(facts, date(2024, 3, 5))
    assert (ev.formal_possible_entity, ev.formal_possible_entity_from) == (False, date(2024, 6, 1))


def test_definitive_incapacity_dated_after_as_of_is_not_known_yet():
    # Only facts dated on or before as_of count (module docstring): on 20/01 the certificate of 01/02 does
    # not exist yet, so the tool would have said "entity from 10/04" that day.
    ev = evaluate(informal(definitive_incapacity_on=date(2024, 2, 1)), date(2024, 1, 20))
    assert (ev.formal_possible_entity, ev.formal_possible_entity_from) == (False, date(2024, 4, 10))


# ---------------------------------------------------------------------------------------------------
# The formal trajectory's own terms
# ---------------------------------------------------------------------------------------------------


def test_formal_trajectory_has_only_formal_milestones():
    facts = formal(FormalFacts(request_received_on=REQUEST), conversations=(date(2024, 2, 1),))
    assert codes(evaluate(facts, date(2024, 6, 1))) == [FORMEEL_BEOORDELING]


@pytest.mark.parametrize(
    "ff",
    [
        pytest.param(None, id="no-formal-facts"),
        pytest.param(FormalFacts(), id="no-request"),
        pytest.param(FormalFacts(request_received_on=date(2024, 6, 2)), id="request-after-as-of"),
    ],
)
def test_formal_trajectory_without_request_has_no_milestones(ff):
    ev = evaluate(formal(ff), date(2024, 6, 1))
    assert (ev.milestones, ev.warnings) == ((), ())
    assert ev.formal_possible_staff


@pytest.mark.parametrize(
    ("received", "outcome", "due"),
    [
        pytest.param(date(2024, 4, 10), BEOORDELING_TIJDELIJK, date(2024, 6, 12), id="tijdelijk"),
        pytest.param(date(2024, 12, 31), BEOORDELING_TIJDELIJK, date(2025, 3, 4), id="tijdelijk-new-year"),
        pytest.param(date(2024, 4, 10), BEOORDELING_DEFINITIEF, date(2024, 10, 10), id="definitief"),
        pytest.param(
            date(2023, 8, 31), BEOORDELING_DEFINITIEF, date(2024, 2, 29), id="definitief-31-aug-leap"
        ),
        pytest.param(
            date(2024, 8, 31), BEOORDELING_DEFINITIEF, date(2025, 2, 28), id="definitief-31-aug-common"
        ),
        pytest.param(date(2024, 3, 31), BEOORDELING_DEFINITIEF, date(2024, 9, 30), id="definitief-31-mar"),
    ],
)
def test_formeel_plan_due(received, outcome, due):
    ff = FormalFacts(
        request_received_on=received - days(30),
        assessment_on=received - days(2),
        assessment_received_on=received,
        assessment_outcome=outcome,
    )
    m = only(evaluate(formal(ff, d0=date(2023, 1, 1)), received), FORMEEL_PLAN)
    assert (m.due, m.state) == (due, NOT_YET_DUE)


def test_assessment_received_on_defaults_to_assessment_on():
    base = FormalFacts(
        request_received_on=REQUEST, assessment_on=date(2024, 4, 8), assessment_outcome=BEOORDELING_TIJDELIJK
    )
    assert only(evaluate(formal(base), date(2024, 4, 20)), FORMEEL_PLAN).due == date(2024, 6, 10)
    received = replace(base, assessment_received_on=date(2024, 4, 10))
    assert only(evaluate(formal(received), date(2024, 4, 20)), FORMEEL_PLAN).due == date(2024, 6, 12)


def test_plan_term_starts_only_once_the_assessment_is_received():
    ff = FormalFacts(
        request_received_on=REQUEST,
        assessment_on=date(2024, 4, 8),
        assessment_received_on=date(2024, 4, 10),
        assessment_outcome=BEOORDELING_TIJDELIJK,
    )
    ev = evaluate(formal(ff), date(2024, 4, 9))
    assert codes(ev) == [FORMEEL_BEOORDELING]
    assert only(ev, FORMEEL_BEOORDELING).met_on == date(2024, 4, 8)


@pytest.mark.parametrize("outcome", ["", "volledig_ongeschikt"])
def test_other_assessment_outcome_warns_and_computes_no_plan_term(outcome):
    ff = FormalFacts(
        request_received_on=REQUEST,
        assessment_on=FORMAL_ASSESSED,
        assessment_outcome=outcome,
        plan_on=PLAN_ON,
        plan_kind=PLAN,
    )
    ev = evaluate(formal(ff), date(2024, 6, 1))
    assert codes(ev) == [FORMEEL_BEOORDELING]
    assert ev.warnings == (W_FORMEEL_UITKOMST_NIET_BEREKEND,)


def plan_facts(**kw) -> TrajectFacts:
    return formal(
        FormalFacts(
            request_received_on=REQUEST,
            assessment_on=FORMAL_ASSESSED,
            assessment_outcome=BEOORDELING_TIJDELIJK,
            plan_on=PLAN_ON,
            **kw,
        )
    )


@pytest.mark.parametrize(
    ("plan_received_on", "due"),
    [
        pytest.param(None, date(2024, 5, 15), id="received-defaults-to-plan-date"),
        pytest.param(date(2024, 5, 3), date(2024, 5, 17), id="received-later"),
        pytest.param(date(2024, 5, 25), date(2024, 6, 8), id="received-across-month-end"),
    ],
)
def test_formeel_antwoord_due_after_a_plan(plan_received_on, due):
    ev = evaluate(plan_facts(plan_kind=PLAN, plan_received_on=plan_received_on), date(2024, 5, 26))
    assert only(ev, FORMEEL_ANTWOORD).due == due
    assert only(ev, FORMEEL_PLAN).met_on == PLAN_ON


@pytest.mark.parametrize("plan_kind", [GEMOTIVEERD_VERSLAG, ""])
def test_no_answer_term_after_a_motivated_report(plan_kind):
    ev = evaluate(plan_facts(plan_kind=plan_kind), date(2024, 6, 1))
    assert codes(ev) == [FORMEEL_BEOORDELING, FORMEEL_PLAN]
    assert only(ev, FORMEEL_PLAN).state == MET


def test_answer_term_starts_only_once_the_plan_is_received():
    facts = plan_facts(plan_kind=PLAN, plan_received_on=date(2024, 5, 10))
    assert FORMEEL_ANTWOORD not in codes(evaluate(facts, date(2024, 5, 9)))
    assert only(evaluate(facts, date(2024, 5, 10)), FORMEEL_ANTWOORD).due == date(2024, 5, 24)


# ---------------------------------------------------------------------------------------------------
# Preventive and closed trajectories
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("d0", [None, date(2024, 1, 10)])
def test_preventive_trajectory_has_no_clock(d0):
    ev = evaluate(
        TrajectFacts(kind=PREVENTIEF, d0=d0, extensions=(Extension(date(2024, 3, 1), date(2024, 6, 1)),)),
        date(2025, 1, 1),
        mandatory_from=date(2024, 1, 1),
    )
    assert ev == Evaluation(as_of=date(2025, 1, 1))


def test_informal_trajectory_without_d0_has_no_clock():
    assert evaluate(informal(d0=None), date(2025, 1, 1)) == Evaluation(as_of=date(2025, 1, 1))


@pytest.mark.parametrize("kind", [INFORMEEL, FORMEEL, PREVENTIEF])
@pytest.mark.parametrize("closed_on", [date(2024, 6, 1), date(2024, 3, 1)])
def test_closed_trajectory_has_no_milestones_flags_or_warnings(kind, closed_on):
    facts = TrajectFacts(
        kind=kind,
        d0=date(2024, 1, 10),
        closed_on=closed_on,
        extensions=(Extension(date(2024, 3, 1), date(2024, 6, 1)),),
        formal=FormalFacts(request_received_on=REQUEST),
    )
    ev = evaluate(facts, date(2024, 6, 1), mandatory_from=date(2024, 1, 1))
    assert ev == Evaluation(as_of=date(2024, 6, 1), closed=True)


def test_closed_after_as_of_evaluates_normally():
    facts = informal(closed_on=date(2024, 6, 2))
    ev = evaluate(facts, date(2024, 6, 1), mandatory_from=date(2024, 1, 1))
    assert not ev.closed
    assert ev == evaluate(informal(), date(2024, 6, 1), mandatory_from=date(2024, 1, 1))
    assert ev.formal_mandatory


# ---------------------------------------------------------------------------------------------------
# Periods of incapacity: a relapse on or after the 14th day after a return starts a new period
# ---------------------------------------------------------------------------------------------------

RESUMED = date(2024, 3, 1)  # D0 10/01/2024, back at work 01/03/2024


@pytest.mark.parametrize(
    ("relapsed_on", "periods"),
    [
        pytest.param(date(2024, 3, 2), (Period(1, date(2024, 1, 10)),), id="next-day-same-period"),
        pytest.param(
            date(2024, 3, 14), (Period(1, date(2024, 1, 10)),), id="day-14-of-the-return-same-period"
        ),
        pytest.param(
            date(2024, 3, 15),
            (Period(1, date(2024, 1, 10), date(2024, 3, 14)), Period(2, date(2024, 3, 15))),
            id="14-days-after-the-return-new-period",
        ),
        pytest.param(
            date(2024, 3, 16),
            (Period(1, date(2024, 1, 10), date(2024, 3, 15)), Period(2, date(2024, 3, 16))),
            id="15-days-after",
        ),
    ],
)
def test_a_relapse_from_the_14th_day_after_the_return_starts_a_new_period(relapsed_on, periods):
    facts = informal(relapses=(Relapse(RESUMED, relapsed_on),))
    assert incapacity_periods(facts, date(2024, 6, 1)) == periods
    ev = evaluate(facts, date(2024, 6, 1))
    assert (ev.period, ev.period_start, ev.at_work) == (periods[-1].number, periods[-1].start, False)
    # the same 14-day rule as the 3 months of uninterrupted incapacity
    assert uninterrupted_incapacity_start(facts, date(2024, 6, 1)) == periods[-1].start


def test_periods_are_numbered_in_order_and_a_relapse_counts_from_its_own_date():
    facts = informal(
        relapses=(
            Relapse(date(2024, 3, 1), date(2024, 3, 20)),  # new period from 20/03
            Relapse(date(2024, 5, 1), date(2024, 5, 5)),  # within 14 days: the same period
            Relapse(date(2024, 7, 1), date(2024, 8, 1)),  # new period from 01/08
        )
    )
    assert incapacity_periods(facts, date(2024, 7, 31)) == (
        Period(1, date(2024, 1, 10), date(2024, 3, 19)),
        Period(2, date(2024, 3, 20)),
    )
    assert at_work(facts, date(2024, 7, 31))
    assert incapacity_periods(facts, date(2024, 8, 1))[-1] == Period(3, date(2024, 8, 1))
    assert not at_work(facts, date(2024, 8, 1))
    assert incapacity_periods(informal(d0=None), date(2024, 8, 1)) == ()


def test_new_period_terms_count_from_the_relapse_and_the_old_ones_stay_as_history():
    facts = informal(relapses=(Relapse(RESUMED, date(2024, 3, 15)),))
    ev = evaluate(facts, date(2024, 3, 15))
    assert [(m.code, m.due, m.state, m.met_on, m.late, m.period, m.history) for m in ev.milestones] == [
        # the first period, as it stood: every term met by the return of 01/03 (late for two of them)
        (INFO_ARBEIDSARTS, date(2024, 2, 7), MET, RESUMED, True, 1, True),
        (ADVIES_EERSTE_GESPREK, date(2024, 2, 21), MET, RESUMED, True, 1, True),
        (GESPREK_2_MAANDEN, date(2024, 3, 10), MET, RESUMED, False, 1, True),
        (INSCHATTING_4_MAANDEN, date(2024, 5, 10), MET, RESUMED, False, 1, True),
        # the new period: 15/03 + 28 days, + 42 days, + 2 months, + 4 months
        (INFO_ARBEIDSARTS, date(2024, 4, 12), NOT_YET_DUE, None, False, 2, False),
        (ADVIES_EERSTE_GESPREK, date(2024, 4, 26), NOT_YET_DUE, None, False, 2, False),
        (GESPREK_2_MAANDEN, date(2024, 5, 15), NOT_YET_DUE, None, False, 2, False),
        (INSCHATTING_4_MAANDEN, date(2024, 7, 15), NOT_YET_DUE, None, False, 2, False),
    ]
    assert {m.period_start for m in ev.milestones} == {date(2024, 1, 10), date(2024, 3, 15)}
    assert ev.current_milestones == ev.milestones[4:]
    assert (ev.overdue, ev.due_soon, ev.most_urgent_due) == ((), (), date(2024, 4, 12))
    assert ev.current(INFO_ARBEIDSARTS).due == date(2024, 4, 12)
    # if nothing changes, the new 4-month term (15/07) gives the "would be mandatory" warning from 16/07
    assert summarize(facts, date(2024, 3, 15)) == Summary(
        date(2024, 4, 12), INFO_ARBEIDSARTS, None, date(2024, 7, 16)
    )


def test_facts_of_the_new_period_do_not_change_the_history():
    # A conversation on 20/03 (new period) is no conversation of the first period.
    facts = informal(
        relapses=(Relapse(date(2024, 2, 20), date(2024, 3, 15)),), conversations=(date(2024, 3, 20),)
    )
    ev = evaluate(facts, date(2024, 6, 1))
    assert only(ev, GESPREK_2_MAANDEN, period=1).met_on == date(2024, 2, 20)  # the return
    assert only(ev, GESPREK_2_MAANDEN, period=2).met_on == date(2024, 3, 20)


def test_stappenplan_of_a_new_period_needs_a_new_positive_assessment():
    first = Assessment(date(2024, 2, 1), steps_possible=True)  # stappenplan due 01/04, in period 1
    facts = informal(assessments=(first,), relapses=(Relapse(RESUMED, date(2024, 3, 15)),))
    ev = evaluate(facts, date(2024, 6, 1), mandatory_from=date(2024, 1, 1))
    assert [(m.due, m.state, m.met_on, m.period) for m in ev.milestones if m.code == STAPPENPLAN] == [
        (date(2024, 4, 1), MET, RESUMED, 1)
    ]
    assert ev.current(STAPPENPLAN) is None and not ev.formal_mandatory

    again = replace(facts, assessments=(first, Assessment(date(2024, 3, 31), steps_possible=True)))
    ev = evaluate(again, date(2024, 6, 1), mandatory_from=date(2024, 1, 1))
    m = current(ev, STAPPENPLAN)
    assert (m.due, m.state, m.period) == (date(2024, 5, 31), MISSED, 2)
    # The entity may start only from 15/06 (15/03 + 3 months): mandatory from then, not from 01/06.
    assert (ev.formal_mandatory, ev.formal_mandatory_from, ev.formal_possible_entity_from) == (
        False,
        date(2024, 6, 15),
        date(2024, 6, 15),
    )
    assert evaluate(again, date(2024, 6, 15), mandatory_from=date(2024, 1, 1)).formal_mandatory


def test_an_extension_of_the_earlier_period_does_not_move_the_new_term():
    facts = informal(
        assessments=(Assessment(date(2024, 2, 1), steps_possible=True), Assessment(date(2024, 3, 20), True)),
        extensions=(Extension(date(2024, 2, 15), date(2024, 6, 30)),),
        relapses=(Relapse(date(2024, 2, 20), date(2024, 3, 15)),),
    )
    ev = evaluate(facts, date(2024, 5, 21))
    assert only(ev, STAPPENPLAN, period=1).due == date(2024, 6, 30)  # extended within period 1
    assert (current(ev, STAPPENPLAN).due, current(ev, STAPPENPLAN).state) == (date(2024, 5, 20), MISSED)
    # missed on 20/05, but the entity may start only from 15/06 (15/03 + 3 months): nothing in force yet
    assert (ev.warnings, ev.formal_warning_from) == ((), date(2024, 6, 15))


# The informal cases above, repeated in a second period: D0 01/09/2023, back at work 01/12/2023, unable
# again 10/01/2024 (40 days later), so the second period starts on the cases' D0. Every kind of fact in
# the first period is there to show that none counts for the second.
def in_second_period(facts: TrajectFacts) -> TrajectFacts:
    return replace(
        facts,
        d0=date(2023, 9, 1),
        relapses=(Relapse(date(2023, 12, 1), date(2024, 1, 10)), *facts.relapses),
        conversations=(date(2023, 10, 1), *facts.conversations),
        info_arbeidsarts_on=(date(2023, 9, 20), *facts.info_arbeidsarts_on),
        assessments=(
            Assessment(date(2023, 10, 1), steps_possible=True),
            Assessment(date(2023, 10, 15), steps_possible=False, next_conversation_on=date(2024, 4, 1)),
            *facts.assessments,
        ),
        stappenplannen=(date(2023, 11, 1), *facts.stappenplannen),
        extensions=(Extension(date(2023, 11, 20), date(2024, 5, 1)), *facts.extensions),
    )


INFORMAL_CASES = [
    p for p in MILESTONE_CASES if p.values[0] not in (FORMEEL_BEOORDELING, FORMEEL_PLAN, FORMEEL_ANTWOORD)
]


@pytest.mark.parametrize(("offset", "state"), AROUND_DUE)
@pytest.mark.parametrize(("code", "due", "build"), INFORMAL_CASES)
def test_second_period_milestone_state_around_due_date(code, due, build, offset, state):
    ev = evaluate(in_second_period(build(None)), due + days(offset))
    m = current(ev, code)
    assert (m.due, m.state, m.met_on, m.period, m.period_start) == (due, state, None, 2, date(2024, 1, 10))


@pytest.mark.parametrize(("met_offset", "late"), [(-3, False), (0, False), (1, True)])
@pytest.mark.parametrize(("code", "due", "build"), INFORMAL_CASES)
def test_second_period_milestone_met_on_time_or_late(code, due, build, met_offset, late):
    met_on = due + days(met_offset)
    m = current(evaluate(in_second_period(build(met_on)), due + days(30)), code)
    assert (m.state, m.met_on, m.late) == (MET, met_on, late)


# ---------------------------------------------------------------------------------------------------
# A return undone by a relapse within 14 days: the period goes on and the return meets no term
# ---------------------------------------------------------------------------------------------------

SHORT_RETURN = Relapse(date(2024, 2, 20), date(2024, 2, 25))  # D0 10/01/2024


def test_a_return_undone_within_14_days_meets_no_term():
    facts = informal(relapses=(SHORT_RETURN,))
    during = evaluate(facts, date(2024, 2, 24))  # back at work, the relapse not there yet
    assert during.at_work and current(during, GESPREK_2_MAANDEN).met_on == date(2024, 2, 20)
    after = evaluate(facts, date(2024, 2, 25))
    assert (after.period, after.at_work) == (1, False)
    assert [(m.code, m.due, m.state) for m in after.milestones] == [
        (INFO_ARBEIDSARTS, date(2024, 2, 7), MISSED),
        (ADVIES_EERSTE_GESPREK, date(2024, 2, 21), MISSED),
        (GESPREK_2_MAANDEN, date(2024, 3, 10), NOT_YET_DUE),
        (INSCHATTING_4_MAANDEN, date(2024, 5, 10), NOT_YET_DUE),
    ]
    assert current(evaluate(facts, date(2024, 3, 3)), GESPREK_2_MAANDEN).state == DUE
    assert current(evaluate(facts, date(2024, 3, 11)), GESPREK_2_MAANDEN).state == MISSED
    with_conversation = replace(facts, conversations=(date(2024, 3, 5),))
    assert current(evaluate(with_conversation, date(2024, 3, 11)), GESPREK_2_MAANDEN).met_on == date(
        2024, 3, 5
    )


@pytest.mark.parametrize(
    ("relapsed_on", "met_by_the_return"),
    [
        pytest.param(date(2024, 3, 14), False, id="day-14-of-the-return"),
        pytest.param(date(2024, 3, 15), True, id="14-days-after-the-return"),
    ],
)
def test_the_14_day_rule_decides_whether_the_return_met_the_terms(relapsed_on, met_by_the_return):
    ev = evaluate(informal(relapses=(Relapse(RESUMED, relapsed_on),)), date(2024, 3, 20))
    m = only(ev, GESPREK_2_MAANDEN, period=1)  # due 10/03, while back at work
    assert (m.state, m.met_on, m.history) == (
        (MET, RESUMED, True) if met_by_the_return else (MISSED, None, False)
    )


def test_a_short_return_meets_neither_the_next_conversation_nor_the_stappenplan():
    negative = Assessment(date(2024, 2, 1), steps_possible=False, next_conversation_on=date(2024, 3, 1))
    positive = Assessment(date(2024, 2, 5), steps_possible=True)  # stappenplan due 05/04
    facts = informal(assessments=(negative, positive), relapses=(SHORT_RETURN,))
    ev = evaluate(facts, date(2024, 4, 6), mandatory_from=date(2024, 1, 1))
    # the positive assessment of 05/02 is the conversation after the negative one
    assert current(ev, VOLGEND_GESPREK).met_on == date(2024, 2, 5)
    assert current(ev, STAPPENPLAN).state == MISSED
    # the relapse within 14 days did not interrupt: the entity may start from 10/04, the obligation too
    assert (ev.formal_mandatory, ev.formal_mandatory_from) == (False, date(2024, 4, 10))
    assert evaluate(facts, date(2024, 4, 10), mandatory_from=date(2024, 1, 1)).formal_mandatory


# ---------------------------------------------------------------------------------------------------
# The obligation is in force only from the day the entity may start a formal trajectory
# ---------------------------------------------------------------------------------------------------

# D0 10/01/2024, positive assessment 24/01: the stappenplan term ends 24/03, the entity may start 10/04.
EARLY = informal(assessments=(Assessment(date(2024, 1, 24), steps_possible=True),))


@pytest.mark.parametrize(
    ("as_of", "mandatory", "day"),
    [
        pytest.param(date(2024, 3, 24), False, None, id="term-last-day"),
        pytest.param(date(2024, 3, 25), False, date(2024, 4, 10), id="term-missed-not-yet-in-force"),
        pytest.param(date(2024, 4, 9), False, date(2024, 4, 10), id="day-before-the-entity-may-start"),
        pytest.param(date(2024, 4, 10), True, date(2024, 4, 10), id="the-entity-may-start"),
        pytest.param(date(2024, 4, 11), True, date(2024, 4, 10), id="day-after"),
    ],
)
def test_obligation_in_force_only_from_the_day_the_entity_may_start(as_of, mandatory, day):
    ev = evaluate(EARLY, as_of, mandatory_from=date(2024, 1, 1))
    assert (ev.formal_mandatory, ev.formal_mandatory_from) == (mandatory, day)
    assert ev.formal_mandatory_reasons == ((STAPPENPLAN,) if mandatory else ())
    assert (ev.warnings, ev.formal_warning_reasons, ev.formal_warning_from) == ((), (), None)
    assert ev.formal_possible_entity is (as_of >= date(2024, 4, 10))
    # never mandatory while the conversion form would refuse the entity's request
    assert formal_start(EARLY, as_of, AANVRAGER_ENTITEIT).allowed is (as_of >= date(2024, 4, 10))


@pytest.mark.parametrize(
    ("setting", "mandatory"),
    [
        pytest.param(date(2024, 3, 25), True, id="from-the-day-after-the-term"),
        pytest.param(date(2024, 4, 1), True, id="between-term-and-in-force-day"),
        pytest.param(date(2024, 4, 9), True, id="day-before-in-force"),
        pytest.param(date(2024, 4, 10), True, id="on-the-in-force-day"),
        pytest.param(date(2024, 4, 11), False, id="day-after-in-force"),
        pytest.param(None, False, id="not-fixed"),
    ],
)
def test_the_setting_is_compared_with_the_in_force_day(setting, mandatory):
    ev = evaluate(EARLY, date(2024, 4, 10), mandatory_from=setting)
    assert ev.formal_mandatory is mandatory
    if mandatory:
        assert (ev.formal_mandatory_from, ev.formal_warning_from, ev.warnings) == (
            date(2024, 4, 10),
            None,
            (),
        )
    else:
        assert (ev.formal_mandatory_from, ev.formal_warning_from) == (None, date(2024, 4, 10))
        assert (ev.warnings, ev.formal_warning_reasons) == (
            (W_VERPLICHT_NOG_NIET_VAN_KRACHT,),
            (STAPPENPLAN,),
        )
    before = evaluate(EARLY, date(2024, 4, 9), mandatory_from=setting)
    assert (before.formal_mandatory, before.warnings) == (False, ())


@pytest.mark.parametrize(
    ("definitive", "as_of", "mandatory", "day"),
    [
        pytest.param(date(2024, 3, 1), date(2024, 3, 24), False, None, id="certificate-term-running"),
        pytest.param(
            date(2024, 3, 1), date(2024, 3, 25), True, date(2024, 3, 25), id="certificate-day-after-term"
        ),
        pytest.param(
            date(2024, 3, 30), date(2024, 3, 29), False, date(2024, 4, 10), id="certificate-not-yet"
        ),
        pytest.param(date(2024, 3, 30), date(2024, 3, 30), True, date(2024, 3, 30), id="certificate-day"),
        pytest.param(
            date(2024, 3, 30), date(2024, 3, 31), True, date(2024, 3, 30), id="certificate-day-after"
        ),
        pytest.param(
            date(2024, 5, 1), date(2024, 4, 10), True, date(2024, 4, 10), id="certificate-after-3-months"
        ),
    ],
)
def test_a_certificate_of_definitive_incapacity_brings_the_in_force_day_forward(
    definitive, as_of, mandatory, day
):
    ev = evaluate(replace(EARLY, definitive_incapacity_on=definitive), as_of, mandatory_from=date(2024, 1, 1))
    assert (ev.formal_mandatory, ev.formal_mandatory_from) == (mandatory, day)


@pytest.mark.parametrize(
    ("d0", "entity_day"),
    [
        pytest.param(date(2023, 11, 30), date(2024, 2, 29), id="30-nov-leap"),
        pytest.param(date(2022, 11, 30), date(2023, 2, 28), id="30-nov-common"),
        pytest.param(date(2023, 11, 29), date(2024, 2, 29), id="29-nov-leap"),
        pytest.param(date(2024, 5, 31), date(2024, 8, 31), id="31-may"),
        pytest.param(date(2024, 10, 31), date(2025, 1, 31), id="31-oct-new-year"),
    ],
)
def test_in_force_day_at_month_ends(d0, entity_day):
    # Positive assessment the day after D0: the term ends a month before the entity may start.
    facts = informal(d0=d0, assessments=(Assessment(d0 + days(1), steps_possible=True),))
    before = evaluate(facts, entity_day - days(1), mandatory_from=date(2020, 1, 1))
    assert (before.formal_mandatory, before.formal_mandatory_from) == (False, entity_day)
    on = evaluate(facts, entity_day, mandatory_from=date(2020, 1, 1))
    assert (on.formal_mandatory, on.formal_mandatory_from) == (True, entity_day)


def test_four_month_term_is_in_force_the_day_after_it():
    # D0 + 4 months always lies after D0 + 3 months: the obligation arises the day after the term.
    ev = evaluate(NO_ASSESSMENT, date(2024, 5, 11), mandatory_from=date(2024, 1, 1))
    assert (ev.formal_mandatory, ev.formal_mandatory_from) == (True, date(2024, 5, 11))
    ev = evaluate(NO_ASSESSMENT, date(2024, 5, 10), mandatory_from=date(2024, 1, 1))
    assert (ev.formal_mandatory, ev.formal_mandatory_from) == (False, None)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        pytest.param(
            date(2024, 1, 1), Summary(date(2024, 2, 7), INFO_ARBEIDSARTS, date(2024, 4, 10), None), id="set"
        ),
        pytest.param(
            date(2024, 4, 11),
            Summary(date(2024, 2, 7), INFO_ARBEIDSARTS, None, date(2024, 4, 10)),
            id="later",
        ),
        pytest.param(
            None, Summary(date(2024, 2, 7), INFO_ARBEIDSARTS, None, date(2024, 4, 10)), id="not-fixed"
        ),
    ],
)
def test_summary_names_the_in_force_day(setting, expected):
    # Read on 01/02, before the stappenplan term (24/03) has even ended: the badge comes on 10/04.
    assert summarize(EARLY, date(2024, 2, 1), mandatory_from=setting) == expected
    assert summarize(EARLY, date(2024, 3, 30), mandatory_from=setting) == replace(
        expected, next_due=date(2024, 2, 7)
    )


def test_summary_with_two_triggers_one_warning_and_one_obligation():
    # A positive assessment only on 01/06: the 4-month term (10/05) was met late, in force 11/05, before
    # the setting (01/07): a warning; the stappenplan term ends 01/08, in force 02/08: an obligation.
    facts = informal(conversations=(date(2024, 1, 24),), assessments=(Assessment(date(2024, 6, 1), True),))
    s = summarize(facts, date(2024, 6, 5), mandatory_from=date(2024, 7, 1))
    assert (s.mandatory_from, s.warning_from) == (date(2024, 8, 2), date(2024, 5, 11))
    ev = evaluate(facts, date(2024, 6, 5), mandatory_from=date(2024, 7, 1))
    assert (ev.formal_warning_reasons, ev.formal_warning_from) == (
        (INSCHATTING_4_MAANDEN,),
        date(2024, 5, 11),
    )
    assert (ev.formal_mandatory, ev.formal_mandatory_from) == (False, None)  # the stappenplan term still runs
    ev = evaluate(facts, date(2024, 8, 2), mandatory_from=date(2024, 7, 1))
    assert (ev.formal_mandatory_reasons, ev.formal_warning_reasons) == (
        (STAPPENPLAN,),
        (INSCHATTING_4_MAANDEN,),
    )


# ---------------------------------------------------------------------------------------------------
# Back at work: no obligation and no warning; after a relapse the rules judge again
# ---------------------------------------------------------------------------------------------------

BACK = replace(NO_ASSESSMENT, returned_on=date(2024, 6, 1))  # the 4-month term was missed on 10/05


@pytest.mark.parametrize("setting", [date(2024, 1, 1), None])
@pytest.mark.parametrize(
    ("as_of", "flagged"),
    [
        pytest.param(date(2024, 5, 31), True, id="day-before-the-return"),
        pytest.param(date(2024, 6, 1), False, id="day-of-the-return"),
        pytest.param(date(2024, 6, 2), False, id="day-after"),
        pytest.param(date(2025, 1, 1), False, id="months-later"),
    ],
)
def test_no_obligation_or_warning_while_back_at_work(setting, as_of, flagged):
    ev = evaluate(BACK, as_of, mandatory_from=setting)
    assert ev.at_work is not flagged
    assert (ev.formal_mandatory or W_VERPLICHT_NOG_NIET_VAN_KRACHT in ev.warnings) is flagged
    in_force = date(2024, 5, 11) if flagged else None
    assert (ev.formal_mandatory_from or ev.formal_warning_from) == in_force
    s = summarize(BACK, as_of, mandatory_from=setting)
    assert (s.mandatory_from or s.warning_from) == in_force
    # the return met the 4-month term late; it is no obligation while the staff member works
    if not flagged:
        assert (current(ev, INSCHATTING_4_MAANDEN).met_on, current(ev, INSCHATTING_4_MAANDEN).late) == (
            date(2024, 6, 1),
            True,
        )
        assert s.next_due is None


@pytest.mark.parametrize(
    ("relapsed_on", "mandatory", "period"),
    [
        pytest.param(date(2024, 6, 10), True, 1, id="within-14-days-judged-again"),
        pytest.param(date(2024, 6, 14), True, 1, id="day-14-of-the-return"),
        pytest.param(date(2024, 6, 15), False, 2, id="new-period-starts-fresh"),
    ],
)
def test_after_a_relapse_the_rules_judge_again(relapsed_on, mandatory, period):
    facts = replace(NO_ASSESSMENT, relapses=(Relapse(date(2024, 6, 1), relapsed_on),))
    ev = evaluate(facts, relapsed_on, mandatory_from=date(2024, 1, 1))
    assert (ev.formal_mandatory, ev.period, ev.at_work) == (mandatory, period, False)
    assert ev.formal_mandatory_from == (date(2024, 5, 11) if mandatory else None)
    if not mandatory:  # the new period's 4-month term: 15/06 + 4 months
        assert current(ev, INSCHATTING_4_MAANDEN).due == date(2024, 10, 15)
        assert summarize(facts, relapsed_on, mandatory_from=date(2024, 1, 1)).mandatory_from == date(
            2024, 10, 16
        )


# ---------------------------------------------------------------------------------------------------
# Who may start a formal trajectory on a day (direct registration and conversion)
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requester", "on", "expected"),
    [
        pytest.param(
            AANVRAGER_PERSONEELSLID, date(2024, 1, 9), FormalStart(False, date(2024, 1, 10), R_VOOR_D0)
        ),
        pytest.param(AANVRAGER_PERSONEELSLID, date(2024, 1, 10), FormalStart(True)),
        pytest.param(AANVRAGER_PERSONEELSLID, date(2024, 4, 9), FormalStart(True)),
        pytest.param(
            AANVRAGER_BEHANDELEND_ARTS, date(2024, 1, 9), FormalStart(False, date(2024, 1, 10), R_VOOR_D0)
        ),
        pytest.param(AANVRAGER_BEHANDELEND_ARTS, date(2024, 1, 10), FormalStart(True)),
        pytest.param(AANVRAGER_ENTITEIT, date(2024, 1, 9), FormalStart(False, date(2024, 4, 10), R_VOOR_D0)),
        pytest.param(
            AANVRAGER_ENTITEIT, date(2024, 1, 30), FormalStart(False, date(2024, 4, 10), R_NOG_GEEN_3_MAANDEN)
        ),  # D0 + 20 days: accepted before issue 10
        pytest.param(
            AANVRAGER_ENTITEIT, date(2024, 4, 9), FormalStart(False, date(2024, 4, 10), R_NOG_GEEN_3_MAANDEN)
        ),
        pytest.param(AANVRAGER_ENTITEIT, date(2024, 4, 10), FormalStart(True)),
        pytest.param(AANVRAGER_ENTITEIT, date(2024, 4, 11), FormalStart(True)),
    ],
)
@pytest.mark.parametrize("kind", [INFORMEEL, FORMEEL])
def test_formal_start_by_requester(kind, requester, on, expected):
    # INFORMEEL: the conversion of a running trajectory; FORMEEL: the facts of a directly registered one.
    assert formal_start(TrajectFacts(kind=kind, d0=date(2024, 1, 10)), on, requester) == expected


@pytest.mark.parametrize("requester", AANVRAGERS)
def test_formal_start_not_while_back_at_work(requester):
    facts = informal(returned_on=date(2024, 5, 1))
    assert formal_start(facts, date(2024, 4, 30), requester).allowed
    for on in (date(2024, 5, 1), date(2024, 5, 2)):
        assert formal_start(facts, on, requester) == FormalStart(False, None, R_WERK_HERVAT)


@pytest.mark.parametrize("requester", AANVRAGERS)
def test_formal_start_never_without_incapacity(requester):
    for facts in (
        TrajectFacts(kind=PREVENTIEF),
        informal(d0=None),
        TrajectFacts(kind=PREVENTIEF, d0=date(2024, 1, 10)),
    ):
        assert formal_start(facts, date(2024, 6, 1), requester) == FormalStart(
            False, None, R_GEEN_ARBEIDSONGESCHIKTHEID
        )


def test_formal_start_by_the_entity_follows_the_14_day_rule_and_the_certificate():
    interrupted = informal(relapses=(Relapse(RESUMED, date(2024, 3, 15)),))  # a new period from 15/03
    assert formal_start(interrupted, date(2024, 3, 10), AANVRAGER_ENTITEIT) == FormalStart(
        False, None, R_WERK_HERVAT
    )
    assert formal_start(interrupted, date(2024, 6, 14), AANVRAGER_ENTITEIT) == FormalStart(
        False, date(2024, 6, 15), R_NOG_GEEN_3_MAANDEN
    )
    assert formal_start(interrupted, date(2024, 6, 15), AANVRAGER_ENTITEIT).allowed
    assert formal_start(interrupted, date(2024, 3, 15), AANVRAGER_PERSONEELSLID).allowed
    short = informal(relapses=(Relapse(RESUMED, date(2024, 3, 14)),))  # not interrupted: from 10/04
    assert formal_start(short, date(2024, 4, 10), AANVRAGER_ENTITEIT).allowed
    certificate = informal(definitive_incapacity_on=date(2024, 2, 1))
    assert formal_start(certificate, date(2024, 1, 31), AANVRAGER_ENTITEIT) == FormalStart(
        False, date(2024, 4, 10), R_NOG_GEEN_3_MAANDEN
    )
    assert formal_start(certificate, date(2024, 2, 1), AANVRAGER_ENTITEIT).allowed


def test_formal_start_refuses_an_unknown_requester():
    with pytest.raises(ValueError, match="requester"):
        formal_start(informal(), date(2024, 6, 1), "adviserend_arts")


# ---------------------------------------------------------------------------------------------------
# Onderzoek bij werkhervatting (compulsory health surveillance, absence of at least 4 weeks)
# ---------------------------------------------------------------------------------------------------


def surveillance(**kw) -> TrajectFacts:
    return informal(health_surveillance=True, **kw)


def exam(on: date, kind: str = ONDERZOEK_BIJ_WERKHERVATTING) -> Examination:
    return Examination(on, kind)


@pytest.mark.parametrize(
    ("d0", "returned", "required"),
    [
        pytest.param(date(2024, 1, 10), date(2024, 2, 6), False, id="27-days"),
        pytest.param(date(2024, 1, 10), date(2024, 2, 7), True, id="28-days"),
        pytest.param(date(2024, 1, 10), date(2024, 2, 8), True, id="29-days"),
        pytest.param(date(2024, 1, 31), date(2024, 2, 27), False, id="31-jan-27-days-leap"),
        pytest.param(date(2024, 1, 31), date(2024, 2, 28), True, id="31-jan-28-days-leap"),
        pytest.param(date(2023, 1, 31), date(2023, 2, 28), True, id="31-jan-28-days-common"),
        pytest.param(date(2024, 2, 1), date(2024, 2, 29), True, id="1-feb-to-29-feb"),
    ],
)
def test_examination_after_an_absence_of_at_least_4_weeks(d0, returned, required):
    ev = evaluate(surveillance(d0=d0, returned_on=returned), returned)
    assert (ONDERZOEK_WERKHERVATTING in codes(ev)) is required
    assert ONDERZOEK_WERKHERVATTING not in codes(evaluate(informal(d0=d0, returned_on=returned), returned))


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        pytest.param(date(2024, 3, 1), DUE, id="day-of-the-return"),
        pytest.param(date(2024, 3, 2), MISSED, id="day-after"),
        pytest.param(date(2024, 4, 1), MISSED, id="month-after"),
    ],
)
def test_examination_is_due_on_the_day_of_the_return(as_of, state):
    ev = evaluate(surveillance(returned_on=date(2024, 3, 1)), as_of)
    m = only(ev, ONDERZOEK_WERKHERVATTING)
    assert (m.due, m.state, m.history, m.period, m.advisory) == (date(2024, 3, 1), state, False, 1, False)
    assert (m in ev.overdue, m in ev.due_soon) == (state == MISSED, state == DUE)
    assert ev.most_urgent_due == date(2024, 3, 1)  # every other term is met by the return
    assert summarize(surveillance(returned_on=date(2024, 3, 1)), as_of) == Summary(
        date(2024, 3, 1), ONDERZOEK_WERKHERVATTING, None, None
    )


def test_examination_is_unknown_before_the_return():
    assert ONDERZOEK_WERKHERVATTING not in codes(
        evaluate(surveillance(returned_on=date(2024, 3, 1)), date(2024, 2, 29))
    )


@pytest.mark.parametrize(
    ("examination", "met_on", "late"),
    [
        pytest.param(exam(date(2024, 2, 29)), None, False, id="day-before-the-return"),
        pytest.param(exam(date(2024, 3, 1)), date(2024, 3, 1), False, id="day-of-the-return"),
        pytest.param(exam(date(2024, 3, 2)), date(2024, 3, 2), True, id="day-after"),
        pytest.param(exam(date(2024, 3, 6)), None, False, id="after-as-of"),
        pytest.param(
            exam(date(2024, 3, 1), BEZOEK_VOOR_WERKHERVATTING), None, False, id="a-visit-is-no-exam"
        ),
        pytest.param(exam(date(2024, 2, 20), BEZOEK_VOOR_WERKHERVATTING), None, False, id="visit-before"),
    ],
)
def test_examination_met_by_an_onderzoek_bij_werkhervatting_from_the_return_on(examination, met_on, late):
    facts = surveillance(returned_on=date(2024, 3, 1), examinations=(examination,))
    m = only(evaluate(facts, date(2024, 3, 5)), ONDERZOEK_WERKHERVATTING)
    assert (m.state, m.met_on, m.late) == (MET if met_on else MISSED, met_on, late)


@pytest.mark.parametrize(
    ("examinations", "state", "met_on"),
    [
        pytest.param((), MISSED, None, id="none"),
        pytest.param((exam(date(2024, 3, 5)),), MET, date(2024, 3, 5), id="before-the-relapse"),
        pytest.param((exam(date(2024, 3, 9)),), MET, date(2024, 3, 9), id="last-day-at-work"),
        pytest.param((exam(date(2024, 3, 10)),), MISSED, None, id="on-the-relapse-day"),
    ],
)
def test_a_relapse_closes_the_examination_window(examinations, state, met_on):
    facts = surveillance(relapses=(Relapse(RESUMED, date(2024, 3, 10)),), examinations=examinations)
    ev = evaluate(facts, date(2024, 3, 20))
    m = only(ev, ONDERZOEK_WERKHERVATTING)
    assert (m.state, m.met_on, m.history, m.period) == (state, met_on, True, 1)
    assert m not in ev.overdue and ev.current(ONDERZOEK_WERKHERVATTING) is None


def test_examination_of_a_return_that_ended_a_period_is_history():
    facts = surveillance(relapses=(Relapse(RESUMED, date(2024, 3, 20)),))
    m = only(evaluate(facts, date(2024, 3, 20)), ONDERZOEK_WERKHERVATTING)
    assert (m.due, m.state, m.period, m.history) == (RESUMED, MISSED, 1, True)


@pytest.mark.parametrize(
    ("returned", "second"),
    [
        pytest.param(date(2024, 4, 6), False, id="27-days-after-the-relapse"),
        pytest.param(date(2024, 4, 7), True, id="28-days-after-the-relapse"),
    ],
)
def test_the_4_weeks_count_from_the_last_relapse(returned, second):
    # Back at work 01/03 after 7 weeks, unable again 10/03: a second return needs 4 weeks of absence anew.
    facts = surveillance(relapses=(Relapse(RESUMED, date(2024, 3, 10)),), returned_on=returned)
    ev = evaluate(facts, returned)
    exams = [(m.due, m.history) for m in ev.milestones if m.code == ONDERZOEK_WERKHERVATTING]
    assert exams == [(RESUMED, True), *([(returned, False)] if second else [])]


def test_examination_in_a_new_period_and_in_a_formal_trajectory():
    facts = surveillance(relapses=(Relapse(RESUMED, date(2024, 3, 20)),), returned_on=date(2024, 4, 17))
    m = current(evaluate(facts, date(2024, 4, 17)), ONDERZOEK_WERKHERVATTING)  # 20/03 + 28 days
    assert (m.due, m.period, m.period_start) == (date(2024, 4, 17), 2, date(2024, 3, 20))
    ff = formal(
        FormalFacts(request_received_on=REQUEST), health_surveillance=True, returned_on=date(2024, 5, 1)
    )
    assert codes(evaluate(ff, date(2024, 5, 1))) == [FORMEEL_BEOORDELING, ONDERZOEK_WERKHERVATTING]
    preventive = TrajectFacts(kind=PREVENTIEF, health_surveillance=True, returned_on=date(2024, 5, 1))
    assert evaluate(preventive, date(2024, 5, 1)) == Evaluation(as_of=date(2024, 5, 1))


# ---------------------------------------------------------------------------------------------------
# The coordinating role: welzijnsactoren involved or a progressive return, and no coach
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fact", ["welzijnsactoren_on", "progressive_return_on"])
@pytest.mark.parametrize(
    ("as_of", "warned"),
    [
        pytest.param(date(2024, 2, 29), False, id="day-before"),
        pytest.param(date(2024, 3, 1), True, id="day-of"),
        pytest.param(date(2024, 3, 2), True, id="day-after"),
    ],
)
@pytest.mark.parametrize("kind", [INFORMEEL, FORMEEL])
def test_coach_must_coordinate_when_actors_are_involved_or_the_return_is_progressive(
    kind, fact, as_of, warned
):
    facts = TrajectFacts(kind=kind, d0=date(2024, 1, 10), coach_assigned=False, **{fact: (date(2024, 3, 1),)})
    ev = evaluate(facts, as_of)
    assert (W_COACH_MOET_COORDINEREN in ev.warnings) is warned
    assert summarize(facts, as_of).coach_needed is warned
    with_coach = replace(facts, coach_assigned=True)
    assert W_COACH_MOET_COORDINEREN not in evaluate(with_coach, as_of).warnings
    assert not summarize(with_coach, as_of).coach_needed


def test_no_coordination_warning_without_involvement_for_preventive_or_closed():
    assert W_COACH_MOET_COORDINEREN not in evaluate(informal(coach_assigned=False), date(2024, 6, 1)).warnings
    involved = {"coach_assigned": False, "welzijnsactoren_on": (date(2024, 3, 1),)}
    preventive = TrajectFacts(kind=PREVENTIEF, **involved)
    assert evaluate(preventive, date(2024, 6, 1)).warnings == ()
    assert evaluate(informal(closed_on=date(2024, 5, 1), **involved), date(2024, 6, 1)).warnings == ()


def test_every_code_has_a_dutch_label():
    from trajecten.labels import FORMEEL_START, MIJLPALEN, ONDERZOEKEN, STATES, WARNINGS

    assert set(MIJLPALEN) == set(MILESTONE_CODES)
    assert set(WARNINGS) == set(WARNING_CODES)
    assert set(STATES) == {NOT_YET_DUE, DUE, MET, MISSED}
    assert set(ONDERZOEKEN) == set(ONDERZOEK_SOORTEN)
    assert set(FORMEEL_START) == set(FORMAL_START_REASONS)
    for label in (*MIJLPALEN.values(), *WARNINGS.values(), *ONDERZOEKEN.values(), *FORMEEL_START.values()):
        assert str(label).strip()


# ---------------------------------------------------------------------------------------------------
# Property-based tests
# ---------------------------------------------------------------------------------------------------

OFFSET = st.integers(min_value=-10, max_value=400)


@st.composite
def assessments(draw, d0: date) -> Assessment:
    # Often early: a positive assessment in the first month lets the stappenplan term end before the entity
    # may start a formal trajectory (3 months), the case of the obligation's in-force day.
    on = d0 + days(draw(st.integers(-10, 40) | OFFSET))
    positive = draw(st.booleans())
    planned = None if positive else draw(st.none() | st.integers(1, 120).map(lambda n: on + days(n)))
    return Assessment(on, steps_possible=positive, next_conversation_on=planned)


@st.composite
def extensions(draw, d0: date) -> Extension:
    granted = d0 + days(draw(st.integers(0, 400)))
    return Extension(granted, granted + days(draw(st.integers(-30, 200))))


@st.composite
def relapses_and_return(draw, d0: date) -> tuple[tuple[Relapse, ...], date | None]:
    """Successive periods back at work, each ended by a relapse, then maybe a last (current) return."""
    cursor = d0
    relapses = []
    for _ in range(draw(st.integers(0, 3))):
        resumed = cursor + days(draw(st.integers(1, 120)))  # straddles the 4 weeks of absence
        relapsed = resumed + days(draw(st.integers(1, 40)))  # straddles the 14-day rule
        relapses.append(Relapse(resumed, relapsed))
        cursor = relapsed
    returned = draw(st.none() | st.integers(1, 200).map(lambda n: cursor + days(n)))
    return tuple(relapses), returned


@st.composite
def formal_facts(draw, d0: date, with_receipts: bool = True) -> FormalFacts:
    def maybe_after(base: date | None, lo: int, hi: int) -> date | None:
        if base is None:
            return None
        return draw(st.none() | st.integers(lo, hi).map(lambda n: base + days(n)))

    request = maybe_after(d0, 0, 200)
    assessment_on = maybe_after(request, 0, 80)
    assessment_received = maybe_after(assessment_on, 0, 10) if with_receipts else None
    plan_on = maybe_after(assessment_received or assessment_on, 0, 200)
    plan_received = maybe_after(plan_on, 0, 10) if with_receipts else None
    return FormalFacts(
        request_received_on=request,
        assessment_on=assessment_on,
        assessment_received_on=assessment_received,
        assessment_outcome=draw(
            st.sampled_from([BEOORDELING_TIJDELIJK, BEOORDELING_DEFINITIEF, "", "volledig_ongeschikt"])
        ),
        plan_on=plan_on,
        plan_kind=draw(st.sampled_from([PLAN, GEMOTIVEERD_VERSLAG, ""])),
        plan_received_on=plan_received,
        answer_on=maybe_after(plan_received or plan_on, 0, 30),
    )


@st.composite
def traject_facts(
    draw, with_closed: bool = True, with_receipts: bool = True, kinds=(INFORMEEL, FORMEEL)
) -> TrajectFacts:
    d0 = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))

    def some_dates(max_size: int = 4) -> tuple[date, ...]:
        return tuple(d0 + days(n) for n in draw(st.lists(OFFSET, max_size=max_size)))

    kind = draw(st.sampled_from(kinds))
    relapses, returned = draw(relapses_and_return(d0))
    exams = draw(st.lists(st.tuples(OFFSET, st.sampled_from(ONDERZOEK_SOORTEN)), max_size=3))
    return TrajectFacts(
        kind=kind,
        d0=d0,
        closed_on=draw(st.none() | st.integers(0, 700).map(lambda n: d0 + days(n))) if with_closed else None,
        conversations=some_dates(),
        info_arbeidsarts_on=some_dates(2),
        assessments=tuple(draw(st.lists(assessments(d0), max_size=3))),
        stappenplannen=some_dates(2),
        extensions=tuple(draw(st.lists(extensions(d0), max_size=3))),
        relapses=relapses,
        returned_on=returned,
        definitive_incapacity_on=draw(st.none() | st.integers(-30, 300).map(lambda n: d0 + days(n))),
        formal=draw(st.none() | formal_facts(d0, with_receipts)) if kind == FORMEEL else None,
        health_surveillance=draw(st.booleans()),
        examinations=tuple(Examination(d0 + days(n), kind) for n, kind in exams),
        coach_assigned=draw(st.booleans()),
        welzijnsactoren_on=some_dates(2),
        progressive_return_on=some_dates(1),
    )


# Often in the months where the 2-month, 3-month and 4-month days fall.
AS_OF_OFFSET = st.integers(min_value=50, max_value=130) | st.integers(min_value=-30, max_value=700)
MANDATORY_FROM = st.none() | st.dates(date(2019, 1, 1), date(2033, 12, 31))
PROPERTY = settings(max_examples=300, deadline=None)


def identity(m: Milestone) -> tuple:
    """A milestone's identity across dates: its period's start, code and due date.

    The stappenplan is the exception: there is at most one per period, and an extension granted after it
    was met still moves its due date, so it is identified by its period and code.
    """
    if m.code == STAPPENPLAN:
        return (m.period_start, m.code)
    return (m.period_start, m.code, m.due)


def by_identity(ev: Evaluation) -> dict[tuple, list[Milestone]]:
    found: dict[tuple, list[Milestone]] = {}
    for m in ev.milestones:
        found.setdefault(identity(m), []).append(m)
    return found


def undone_returns(facts: TrajectFacts, earlier: date, later: date) -> set[date]:
    """Returns that a relapse within their first 14 days, known on ``later`` but not on ``earlier``, undid."""
    return {r.resumed_on for r in facts.relapses if earlier < r.relapsed_on <= later and not r.interrupts}


@PROPERTY
@given(facts=traject_facts(), first=AS_OF_OFFSET, second=AS_OF_OFFSET, mandatory_from=MANDATORY_FROM)
def test_property_met_stays_met_with_the_same_date(facts, first, second, mandatory_from):
    """Met stays met, on the same date, as the evaluation date advances; with one exception: a return
    that met a term no longer does once a relapse within its first 14 days is known (the incapacity then
    counts as uninterrupted, so the term is judged again without that return)."""
    earlier, later = sorted((facts.d0 + days(first), facts.d0 + days(second)))
    ev_later = evaluate(facts, later, mandatory_from=mandatory_from)
    if ev_later.closed:
        return
    ev_earlier = evaluate(facts, earlier, mandatory_from=mandatory_from)
    undone = undone_returns(facts, earlier, later)
    met_earlier = Counter(
        (identity(m), m.met_on) for m in ev_earlier.milestones if m.state == MET and m.met_on not in undone
    )
    met_later = Counter((identity(m), m.met_on) for m in ev_later.milestones if m.state == MET)
    assert not met_earlier - met_later


@PROPERTY
@given(facts=traject_facts(), first=AS_OF_OFFSET, second=AS_OF_OFFSET, mandatory_from=MANDATORY_FROM)
def test_property_missed_never_becomes_open_again(facts, first, second, mandatory_from):
    earlier, later = sorted((facts.d0 + days(first), facts.d0 + days(second)))
    ev_later = evaluate(facts, later, mandatory_from=mandatory_from)
    if ev_later.closed:
        return
    later_by_identity = by_identity(ev_later)
    for m in evaluate(facts, earlier, mandatory_from=mandatory_from).milestones:
        if m.state == MISSED:
            same = later_by_identity.get(identity(m))
            assert same, f"{m} disappeared"
            assert all(s.state == MISSED or (s.state == MET and s.late) for s in same)


@PROPERTY
@given(
    facts=traject_facts(),
    offset=AS_OF_OFFSET,
    mandatory_from=MANDATORY_FROM,
    rnd=st.randoms(use_true_random=False),
)
def test_property_deterministic_and_independent_of_the_order_of_facts(facts, offset, mandatory_from, rnd):
    as_of = facts.d0 + days(offset)

    def shuffled(items: tuple) -> tuple:
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    reordered = replace(
        facts,
        conversations=shuffled(facts.conversations),
        info_arbeidsarts_on=shuffled(facts.info_arbeidsarts_on),
        assessments=shuffled(facts.assessments),
        stappenplannen=shuffled(facts.stappenplannen),
        extensions=shuffled(facts.extensions),
        relapses=shuffled(facts.relapses),
        examinations=shuffled(facts.examinations),
        welzijnsactoren_on=shuffled(facts.welzijnsactoren_on),
        progressive_return_on=shuffled(facts.progressive_return_on),
    )
    expected = evaluate(facts, as_of, mandatory_from=mandatory_from)
    assert evaluate(facts, as_of, mandatory_from=mandatory_from) == expected
    assert evaluate(reordered, as_of, mandatory_from=mandatory_from) == expected
    assert summarize(reordered, as_of, mandatory_from=mandatory_from) == summarize(
        facts, as_of, mandatory_from=mandatory_from
    )


def broken_triggers(ev: Evaluation) -> list[Milestone]:
    return [
        m for m in ev.current_milestones if m.code in MANDATORY_TRIGGERS and (m.state == MISSED or m.late)
    ]


@PROPERTY
@given(facts=traject_facts(), offset=AS_OF_OFFSET, mandatory_from=MANDATORY_FROM)
def test_property_evaluation_is_consistent(facts, offset, mandatory_from):
    as_of = facts.d0 + days(offset)
    ev = evaluate(facts, as_of, mandatory_from=mandatory_from)
    assert ev.as_of == as_of
    if ev.closed:
        assert ev == Evaluation(as_of=as_of, closed=True)
        return

    for m in ev.milestones:
        assert m.code in MILESTONE_CODES
        assert m.state in STATES
        assert m.advisory is (m.code == ADVIES_EERSTE_GESPREK)
        if m.state == MET:
            assert m.met_on is not None and m.met_on <= as_of
            assert m.late is (m.met_on > m.due)
        else:
            assert (m.met_on, m.late) == (None, False)
        if m.history:
            continue  # judged on the last day it was followed: see the property on history
        if m.state == MISSED:
            assert m.due < as_of
        if m.state == DUE:
            assert 0 <= (m.due - as_of).days <= 7
        if m.state == NOT_YET_DUE:
            assert (m.due - as_of).days > 7
    assert list(ev.milestones) == sorted(
        ev.milestones, key=lambda m: (m.period, m.due, MILESTONE_CODES.index(m.code))
    )
    assert ev.overdue == tuple(m for m in ev.current_milestones if m.state == MISSED and not m.advisory)
    assert ev.due_soon == tuple(m for m in ev.current_milestones if m.state == DUE and not m.advisory)

    # (d) mandatory needs the setting, a reason, and a broken current trigger behind each reason
    assert ev.formal_mandatory is bool(ev.formal_mandatory_reasons)
    if ev.formal_mandatory:
        assert mandatory_from is not None
        assert ev.formal_mandatory_from is not None and mandatory_from <= ev.formal_mandatory_from <= as_of
    broken = {m.code for m in broken_triggers(ev)}
    assert set(ev.formal_mandatory_reasons) <= broken
    assert set(ev.formal_warning_reasons) <= broken
    assert (W_VERPLICHT_NOG_NIET_VAN_KRACHT in ev.warnings) is bool(ev.formal_warning_reasons)
    # the in-force days: reached means in force; a broken trigger always announces one
    if ev.formal_mandatory_from is not None:
        assert ev.formal_mandatory is (ev.formal_mandatory_from <= as_of)
    if ev.formal_warning_from is not None:
        assert bool(ev.formal_warning_reasons) is (ev.formal_warning_from <= as_of)
    if facts.kind == FORMEEL:
        assert not ev.formal_mandatory and W_VERPLICHT_NOG_NIET_VAN_KRACHT not in ev.warnings
        assert ev.formal_mandatory_from is ev.formal_warning_from is None
    elif broken and not ev.at_work:
        assert ev.formal_mandatory_from is not None or ev.formal_warning_from is not None

    assert set(ev.warnings) <= set(WARNING_CODES)
    assert len(set(ev.warnings)) == len(ev.warnings)
    coordination = any(d <= as_of for d in (*facts.welzijnsactoren_on, *facts.progressive_return_on))
    assert (W_COACH_MOET_COORDINEREN in ev.warnings) is (coordination and not facts.coach_assigned)

    # (f) the entity may start a formal trajectory only when the staff member may
    if ev.formal_possible_entity:
        assert ev.formal_possible_staff
        assert ev.formal_possible_entity_from is not None and ev.formal_possible_entity_from <= as_of
    assert (ev.formal_possible_entity_from is not None) is ev.formal_possible_staff
    if ev.formal_possible_staff:
        assert facts.d0 <= as_of
        assert ev.formal_possible_entity is (as_of >= ev.formal_possible_entity_from)
    assert not (ev.at_work and ev.formal_possible_staff)

    # periods
    assert ev.period >= 1 and ev.period_start is not None and facts.d0 <= ev.period_start
    assert all(1 <= m.period <= ev.period and m.period_start is not None for m in ev.milestones)
    if facts.kind == INFORMEEL:
        assert all(m.history for m in ev.milestones if m.period < ev.period)
    if ev.at_work or not ev.formal_possible_staff:
        assert uninterrupted_incapacity_start(facts, as_of) is None
    else:
        assert uninterrupted_incapacity_start(facts, as_of) == ev.period_start


def check_history_is_what_stood_when_it_ended(facts, as_of, mandatory_from):
    """A history milestone is frozen on the last day it was followed: met or missed then, or still running
    (its term ended after that day); an earlier period's milestones are history, the current one's are not
    (except the examination of a return that a relapse ended)."""
    ev = evaluate(facts, as_of, mandatory_from=mandatory_from)
    if ev.closed:
        return
    periods = {p.number: p for p in incapacity_periods(facts, as_of)}
    assert [p.start for p in periods.values()] == sorted({p.start for p in periods.values()})
    for m in ev.milestones:
        assert periods[m.period].start == m.period_start
        if m.code == ONDERZOEK_WERKHERVATTING:
            relapsed = {
                r.relapsed_on for r in facts.relapses if r.resumed_on == m.due and r.relapsed_on <= as_of
            }
            assert m.history is bool(relapsed)
            last_day = min(relapsed, default=as_of + days(1)) - days(1)
        elif m.code in (FORMEEL_BEOORDELING, FORMEEL_PLAN, FORMEEL_ANTWOORD):
            assert not m.history
            continue
        else:
            assert m.history is (m.period < ev.period)
            last_day = periods[m.period].end or as_of
        if m.history:
            assert m.state in (MET, MISSED) or m.due > last_day
            assert m.met_on is None or m.met_on <= last_day


def check_no_obligation_or_warning_while_back_at_work(facts, as_of, mandatory_from):
    """A flag is never in force while the staff member works."""
    ev = evaluate(facts, as_of, mandatory_from=mandatory_from)
    if not at_work(facts, as_of) or ev.closed:
        return
    assert ev.at_work
    assert (ev.formal_mandatory, ev.formal_mandatory_reasons, ev.formal_warning_reasons) == (False, (), ())
    assert ev.formal_mandatory_from is ev.formal_warning_from is None
    assert W_VERPLICHT_NOG_NIET_VAN_KRACHT not in ev.warnings
    assert (ev.formal_possible_staff, ev.formal_possible_entity) == (False, False)
    s = summarize(facts, as_of, mandatory_from=mandatory_from)
    assert s.mandatory_from is s.warning_from is None
    for requester in AANVRAGERS:
        assert formal_start(facts, as_of, requester) == FormalStart(False, None, R_WERK_HERVAT)


def check_mandatory_never_earlier_than_the_entity_may_start(facts, as_of, mandatory_from):
    ev = evaluate(facts, as_of, mandatory_from=mandatory_from)
    if ev.formal_mandatory or W_VERPLICHT_NOG_NIET_VAN_KRACHT in ev.warnings:
        assert ev.formal_possible_entity
        assert formal_start(facts, as_of, AANVRAGER_ENTITEIT).allowed
    entity_from = ev.formal_possible_entity_from
    for day in (ev.formal_mandatory_from, ev.formal_warning_from):
        if day is not None:
            assert entity_from is not None and day >= entity_from
            # and never before the day after a broken term
            assert any(day > m.due for m in broken_triggers(ev))
    s = summarize(facts, as_of, mandatory_from=mandatory_from)
    for day in (s.mandatory_from, s.warning_from):
        if day is not None and entity_from is not None:
            assert day >= entity_from


@PROPERTY
@given(
    facts=traject_facts(with_receipts=False),
    offset=AS_OF_OFFSET,
    later=st.lists(st.integers(0, 500), min_size=1, max_size=4),
    mandatory_from=MANDATORY_FROM,
)
def test_property_summary_says_when_the_flags_come_if_nothing_changes(facts, offset, later, mandatory_from):
    """The stored summary is valid whatever day it is read: with the facts as known on ``as_of``, the
    obligation (and the warning) is in force on every later day on or after the day it names, and on
    no day before it. So the worklist badge and the HR message come on the in-force day, not earlier."""
    as_of = facts.d0 + days(offset)
    s = summarize(facts, as_of, mandatory_from=mandatory_from)
    known = known_on(facts, as_of)
    for n in later:
        day = as_of + days(n)
        ev = evaluate(known, day, mandatory_from=mandatory_from)
        assert ev.formal_mandatory is (s.mandatory_from is not None and day >= s.mandatory_from)
        assert (W_VERPLICHT_NOG_NIET_VAN_KRACHT in ev.warnings) is (
            s.warning_from is not None and day >= s.warning_from
        )


@PROPERTY
@given(
    d0=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    assessed=st.integers(0, 70),
    definitive=st.none() | st.integers(0, 120),
    offset=st.integers(30, 140),
    mandatory_from=MANDATORY_FROM,
)
def test_property_stappenplan_obligation_in_force_from_the_later_day(
    d0, assessed, definitive, offset, mandatory_from
):
    """A missed stappenplan term: the obligation is in force from the later of the day after the term and
    the day the entity may start (D0 + 3 months, or a certificate of definitive incapacity), never earlier."""
    facts = informal(
        d0=d0,
        assessments=(Assessment(d0 + days(assessed), steps_possible=True),),
        definitive_incapacity_on=None if definitive is None else d0 + days(definitive),
    )
    as_of = d0 + days(offset)
    ev = evaluate(facts, as_of, mandatory_from=mandatory_from)
    term_over = add_months(d0 + days(assessed), 2) + days(1)
    entity_day = add_months(d0, 3)
    if definitive is not None and d0 + days(definitive) <= as_of:
        entity_day = min(entity_day, d0 + days(definitive))
    in_force = max(term_over, entity_day)
    flagged = ev.formal_mandatory or W_VERPLICHT_NOG_NIET_VAN_KRACHT in ev.warnings
    assert flagged is (as_of >= in_force)
    if as_of >= term_over:
        applies = mandatory_from is not None and in_force >= mandatory_from
        assert (ev.formal_mandatory_from, ev.formal_warning_from) == (
            (in_force, None) if applies else (None, in_force)
        )
        assert ev.formal_mandatory is (applies and as_of >= in_force)
    else:
        assert ev.formal_mandatory_from is ev.formal_warning_from is None


def check_formal_start_agrees_with_the_evaluation(facts, as_of, mandatory_from):
    """Who may start a formal trajectory on a day: the same answer as the evaluation's."""
    ev = evaluate(facts, as_of)
    if ev.closed:
        return
    staff = formal_start(facts, as_of, AANVRAGER_PERSONEELSLID)
    assert formal_start(facts, as_of, AANVRAGER_BEHANDELEND_ARTS) == staff
    entity = formal_start(facts, as_of, AANVRAGER_ENTITEIT)
    assert staff.allowed is ev.formal_possible_staff
    assert entity.allowed is ev.formal_possible_entity
    for result in (staff, entity):
        assert result.allowed is (result.reason == "")
        assert result.reason in ("", *FORMAL_START_REASONS)
        assert result.possible_from is None or (not result.allowed and result.possible_from > as_of)
    if entity.reason == R_NOG_GEEN_3_MAANDEN:
        assert entity.possible_from == ev.formal_possible_entity_from
        # nothing changing, the entity may start on that day and not the day before
        known = known_on(facts, as_of)
        assert formal_start(known, entity.possible_from, AANVRAGER_ENTITEIT).allowed
        assert not formal_start(known, entity.possible_from - days(1), AANVRAGER_ENTITEIT).allowed


def from_period_start(facts: TrajectFacts, start: date) -> TrajectFacts:
    """The same staff member seen as a new trajectory that starts on ``start``: D0 there, earlier facts gone."""

    def since(dates: tuple[date, ...]) -> tuple[date, ...]:
        return tuple(d for d in dates if d >= start)

    return replace(
        facts,
        d0=start,
        conversations=since(facts.conversations),
        info_arbeidsarts_on=since(facts.info_arbeidsarts_on),
        assessments=tuple(a for a in facts.assessments if a.on >= start),
        stappenplannen=since(facts.stappenplannen),
        extensions=tuple(e for e in facts.extensions if e.granted_on >= start),
        relapses=tuple(r for r in facts.relapses if r.resumed_on >= start),
        definitive_incapacity_on=facts.definitive_incapacity_on
        if facts.definitive_incapacity_on and facts.definitive_incapacity_on >= start
        else None,
        examinations=tuple(e for e in facts.examinations if e.on >= start),
    )


def check_a_new_period_is_a_fresh_start(facts, as_of, mandatory_from):
    """The current period's milestones, flags and warnings are those of a trajectory starting at the
    period's start: nothing dated in an earlier period counts for it."""
    ev = evaluate(facts, as_of, mandatory_from=mandatory_from)
    if ev.closed or facts.kind != INFORMEEL:
        return
    fresh = evaluate(from_period_start(facts, ev.period_start), as_of, mandatory_from=mandatory_from)
    ours = tuple(m._replace(period=1) for m in ev.milestones if m.period == ev.period)
    assert replace(ev, milestones=ours, period=1) == fresh
    assert summarize(facts, as_of, mandatory_from=mandatory_from) == summarize(
        from_period_start(facts, ev.period_start), as_of, mandatory_from=mandatory_from
    )


@PROPERTY
@given(facts=traject_facts(), offset=AS_OF_OFFSET, mandatory_from=MANDATORY_FROM)
def test_property_periods_obligations_and_who_may_start(facts, offset, mandatory_from):
    """Issue 10's properties on one evaluation (one test, so the generated facts are shared)."""
    as_of = facts.d0 + days(offset)
    check_history_is_what_stood_when_it_ended(facts, as_of, mandatory_from)
    check_no_obligation_or_warning_while_back_at_work(facts, as_of, mandatory_from)
    check_mandatory_never_earlier_than_the_entity_may_start(facts, as_of, mandatory_from)
    check_formal_start_agrees_with_the_evaluation(facts, as_of, mandatory_from)
    check_a_new_period_is_a_fresh_start(facts, as_of, mandatory_from)


def known_on(facts: TrajectFacts, as_of: date) -> TrajectFacts:
    """The facts as the tool knew them on ``as_of``: everything dated later left out."""

    def upto(dates: tuple[date, ...]) -> tuple[date, ...]:
        return tuple(d for d in dates if d <= as_of)

    def known(d: date | None) -> date | None:
        return d if d is not None and d <= as_of else None

    relapses, returned = [], known(facts.returned_on)
    for r in facts.relapses:
        if r.relapsed_on <= as_of:
            relapses.append(r)
        elif r.resumed_on <= as_of:
            returned = r.resumed_on  # back at work that day; the relapse had not happened yet
    f = facts.formal
    return replace(
        facts,
        closed_on=known(facts.closed_on),
        conversations=upto(facts.conversations),
        info_arbeidsarts_on=upto(facts.info_arbeidsarts_on),
        assessments=tuple(a for a in facts.assessments if a.on <= as_of),
        stappenplannen=upto(facts.stappenplannen),
        extensions=tuple(e for e in facts.extensions if e.granted_on <= as_of),
        relapses=tuple(relapses),
        returned_on=returned,
        definitive_incapacity_on=known(facts.definitive_incapacity_on),
        examinations=tuple(e for e in facts.examinations if e.on <= as_of),
        welzijnsactoren_on=upto(facts.welzijnsactoren_on),
        progressive_return_on=upto(facts.progressive_return_on),
        formal=None
        if f is None
        else replace(
            f,
            request_received_on=known(f.request_received_on),
            assessment_on=known(f.assessment_on),
            plan_on=known(f.plan_on),
            answer_on=known(f.answer_on),
        ),
    )


@PROPERTY
@given(facts=traject_facts(with_receipts=False), offset=AS_OF_OFFSET, mandatory_from=MANDATORY_FROM)
def test_property_only_facts_dated_on_or_before_as_of_count(facts, offset, mandatory_from):
    # Receipt dates are left out: an unknown receipt defaults to the event's own date, a known later one
    # postpones the term, so "not yet received" and "not registered" differ on purpose.
    as_of = facts.d0 + days(offset)
    assert evaluate(facts, as_of, mandatory_from=mandatory_from) == evaluate(
        known_on(facts, as_of), as_of, mandatory_from=mandatory_from
    )
    assert summarize(facts, as_of, mandatory_from=mandatory_from) == summarize(
        known_on(facts, as_of), as_of, mandatory_from=mandatory_from
    )
    for requester in AANVRAGERS:
        assert formal_start(facts, as_of, requester) == formal_start(known_on(facts, as_of), as_of, requester)


@settings(max_examples=150, deadline=None)
@given(
    facts=traject_facts(kinds=(INFORMEEL,)),
    offset=st.integers(min_value=0, max_value=300),
    mandatory_from=MANDATORY_FROM,
)
def test_property_first_in_force_is_the_first_day_a_flag_was_on(facts, offset, mandatory_from):
    """For reports ("became mandatory"): the same day as a day-by-day scan of the evaluations."""
    as_of = facts.d0 + days(offset)
    scan = [evaluate(facts, facts.d0 + days(n), mandatory_from=mandatory_from) for n in range(offset + 1)]
    mandatory = next((ev.as_of for ev in scan if ev.formal_mandatory), None)
    warning = next((ev.as_of for ev in scan if W_VERPLICHT_NOG_NIET_VAN_KRACHT in ev.warnings), None)
    assert first_in_force(facts, as_of, mandatory_from=mandatory_from) == (mandatory, warning)


def test_first_in_force_remembers_an_obligation_that_ended():
    # EARLY: in force from 10/04; back at work 01/05, then a new period from 20/05. Still "became mandatory".
    facts = replace(EARLY, relapses=(Relapse(date(2024, 5, 1), date(2024, 5, 20)),))
    assert not evaluate(facts, date(2024, 6, 1), mandatory_from=date(2024, 1, 1)).formal_mandatory
    assert first_in_force(facts, date(2024, 6, 1), mandatory_from=date(2024, 1, 1)) == (
        date(2024, 4, 10),
        None,
    )
    assert first_in_force(facts, date(2024, 12, 31)) == (None, date(2024, 4, 10))
    assert first_in_force(facts, date(2024, 4, 9), mandatory_from=date(2024, 1, 1)) == (None, None)
    # back at work before the in-force day: it never was in force
    early_return = replace(EARLY, returned_on=date(2024, 4, 1))
    assert first_in_force(early_return, date(2024, 12, 31), mandatory_from=date(2024, 1, 1)) == (None, None)
    # ...until a relapse within 14 days: then from the relapse day
    undone = replace(EARLY, relapses=(Relapse(date(2024, 4, 1), date(2024, 4, 12)),))
    assert first_in_force(undone, date(2024, 12, 31), mandatory_from=date(2024, 1, 1)) == (
        date(2024, 4, 12),
        None,
    )
    assert first_in_force(formal(), date(2024, 12, 31), mandatory_from=date(2024, 1, 1)) == (None, None)


@PROPERTY
@given(
    d=st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    n=st.integers(min_value=0, max_value=600),
)
def test_property_add_months(d, n):
    result = add_months(d, n)
    assert isinstance(result, date)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day <= d.day
    # clamped only when the target month is too short
    assert result.day == d.day or (result + days(1)).day == 1


def test_late_step_does_not_undo_a_mandatory_formal_trajectory():
    """The circular looks at the situation when the term ends: a late assessment leaves the obligation."""
    d0 = date(2026, 1, 20)
    late = TrajectFacts(
        kind=INFORMEEL,
        d0=d0,
        assessments=(
            Assessment(on=date(2026, 6, 1), steps_possible=False, next_conversation_on=date(2026, 7, 1)),
        ),
    )
    on_time = TrajectFacts(
        kind=INFORMEEL,
        d0=d0,
        assessments=(
            Assessment(on=date(2026, 5, 20), steps_possible=False, next_conversation_on=date(2026, 7, 1)),
        ),
    )
    ev_late = evaluate(late, date(2026, 6, 2), mandatory_from=date(2026, 1, 1))
    assert ev_late.formal_mandatory and ev_late.formal_mandatory_reasons == (INSCHATTING_4_MAANDEN,)
    assert not evaluate(on_time, date(2026, 6, 2), mandatory_from=date(2026, 1, 1)).formal_mandatory
    # without the setting: the warning stays too
    assert W_VERPLICHT_NOG_NIET_VAN_KRACHT in evaluate(late, date(2026, 6, 2)).warnings
