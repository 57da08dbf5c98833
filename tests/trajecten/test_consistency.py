"""The consistency rules of one dossier (trajecten.consistency): pure, on unsaved model instances.

Boundaries: the day before, of and after every limit (D0, today, 01/01/2000, two years ahead, the
stappenplan term, the order of returns and relapses, the entity's 3 months).
"""

from datetime import date, timedelta

import pytest

from trajecten import models as m
from trajecten.consistency import new_problems, problems
from trajecten.facts import Dossier, Plan

TODAY = date(2026, 11, 25)
D0 = date(2026, 3, 2)
ONE = timedelta(days=1)


def traject(**kw):
    base = {"pk": 1, "soort": "informeel", "status": "lopend", "d0": D0}
    return m.Traject(**{**base, **kw})


def gesprek(datum, pk=10, soort="gesprek"):
    return m.Gesprek(pk=pk, datum=datum, soort=soort, vorm="telefoon", gevoerd_door="coach")


def inschatting(datum, pk=20, positief=True, volgend=None):
    return m.Inschatting(
        pk=pk,
        datum=datum,
        uitkomst="stappen_mogelijk" if positief else "nog_niet_mogelijk",
        volgend_gesprek_op=volgend,
    )


def plan(datum, ins, pk=30, hervatting=None, maatregelen=()):
    return Plan(
        m.Stappenplan(pk=pk, datum=datum, inschatting_id=ins.pk, beoogde_hervatting_op=hervatting),
        list(maatregelen),
    )


def rules(d: Dossier, today=TODAY) -> set[tuple[str, str, str]]:
    return {(p.kind, p.field, p.rule) for p in problems(d, today)}


def test_a_consistent_dossier_has_no_problems():
    ins = inschatting(D0 + timedelta(days=30))
    d = Dossier(
        traject(),
        gesprekken=[gesprek(D0 + timedelta(days=10))],
        inschattingen=[ins],
        stappenplannen=[
            plan(
                D0 + timedelta(days=40), ins, maatregelen=[m.Maatregel(soort="werkplek", vanaf=D0, tot=TODAY)]
            )
        ],
        verlengingen=[
            m.Verlenging(pk=40, toegekend_op=D0 + timedelta(days=35), nieuwe_datum=D0 + timedelta(days=100))
        ],
    )
    # (the extension is granted after the stappenplan? no: 35 < 40, within the term) -> fine
    assert problems(d, TODAY) == []


@pytest.mark.parametrize(
    "d0,rule",
    [
        (TODAY, None),
        (TODAY + ONE, "toekomst"),
        (date(2000, 1, 1), None),
        (date(1999, 12, 31), "te_vroeg"),
    ],
)
def test_d0_between_2000_and_today(d0, rule):
    found = {p.rule for p in problems(Dossier(traject(d0=d0)), TODAY)}
    assert found == ({rule} if rule else set())


def test_d0_required_except_preventive():
    assert rules(Dossier(traject(d0=None))) == {("traject", "d0", "verplicht")}
    assert rules(Dossier(traject(soort="preventief", d0=None))) == set()
    assert rules(Dossier(traject(soort="preventief", d0=D0))) == {("traject", "d0", "d0_preventief")}


@pytest.mark.parametrize(
    "datum,expected",
    [
        (D0 - ONE, {("gesprek", "datum", "voor_d0"), ("traject", "d0", "voor_d0")}),
        (D0, set()),
        (TODAY, set()),
        (TODAY + ONE, {("gesprek", "datum", "toekomst")}),
    ],
)
def test_a_fact_lies_between_d0_and_today(datum, expected):
    assert rules(Dossier(traject(), gesprekken=[gesprek(datum)])) == expected


def test_a_rule_between_two_dates_is_worded_from_each_side():
    found = problems(Dossier(traject(), gesprekken=[gesprek(D0 - ONE)]), TODAY)
    by_field = {p.field: p.message for p in found}
    assert (
        by_field["datum"]
        == "Deze datum mag niet vóór de start van de arbeidsongeschiktheid (D0, 02/03/2026) liggen."
    )
    assert by_field["d0"] == "Deze datum mag niet na het contact of gesprek van 01/03/2026 liggen."


def test_planned_dates_at_most_two_years_ahead():
    horizon = date(2028, 11, 25)
    ok = inschatting(TODAY, positief=False, volgend=horizon)
    far = inschatting(TODAY, positief=False, volgend=horizon + ONE)
    assert rules(Dossier(traject(), inschattingen=[ok])) == set()
    assert rules(Dossier(traject(), inschattingen=[far])) == {("inschatting", "volgend_gesprek_op", "te_ver")}


def test_two_years_ahead_of_29_february_is_28_february():
    leap = date(2028, 2, 29)
    d = Dossier(
        traject(d0=date(2028, 1, 1)),
        inschattingen=[inschatting(leap, positief=False, volgend=date(2030, 3, 1))],
    )
    assert rules(d, leap) == {("inschatting", "volgend_gesprek_op", "te_ver")}
    d = Dossier(
        traject(d0=date(2028, 1, 1)),
        inschattingen=[inschatting(leap, positief=False, volgend=date(2030, 2, 28))],
    )
    assert rules(d, leap) == set()


def test_assessment_outcome_and_next_conversation():
    nog_niet = inschatting(D0 + timedelta(days=30), positief=False)
    assert rules(Dossier(traject(), inschattingen=[nog_niet])) == {
        ("inschatting", "volgend_gesprek_op", "verplicht")
    }
    same_day = inschatting(D0 + timedelta(days=30), positief=False, volgend=D0 + timedelta(days=30))
    assert ("inschatting", "volgend_gesprek_op", "na_feit") in rules(
        Dossier(traject(), inschattingen=[same_day])
    )
    positive_with_next = inschatting(D0 + timedelta(days=30), volgend=TODAY)
    assert rules(Dossier(traject(), inschattingen=[positive_with_next])) == {
        ("inschatting", "volgend_gesprek_op", "volgend_gesprek_bij_positief")
    }


@pytest.mark.parametrize("offset,ok", [(-1, False), (0, True), (1, True)])
def test_stappenplan_on_or_after_its_positive_assessment(offset, ok):
    ins = inschatting(D0 + timedelta(days=30))
    d = Dossier(
        traject(), inschattingen=[ins], stappenplannen=[plan(ins.datum + timedelta(days=offset), ins)]
    )
    assert (rules(d) == set()) is ok


def test_stappenplan_needs_a_positive_assessment_of_this_dossier():
    neg = inschatting(D0 + timedelta(days=30), positief=False, volgend=D0 + timedelta(days=60))
    d = Dossier(traject(), inschattingen=[neg], stappenplannen=[plan(D0 + timedelta(days=40), neg)])
    assert rules(d) == {
        ("stappenplan", "inschatting", "stappenplan_negatieve_inschatting"),
        ("inschatting", "uitkomst", "stappenplan_negatieve_inschatting"),
    }
    orphan = plan(D0 + timedelta(days=40), inschatting(D0, pk=99))
    assert rules(Dossier(traject(), stappenplannen=[orphan])) == {
        ("stappenplan", "inschatting", "stappenplan_zonder_inschatting")
    }


def test_measures_dates_and_maximum():
    ins = inschatting(D0 + timedelta(days=30))
    bad = m.Maatregel(soort="werkplek", vanaf=TODAY, tot=TODAY - ONE)
    d = Dossier(traject(), inschattingen=[ins], stappenplannen=[plan(ins.datum, ins, maatregelen=[bad])])
    assert rules(d) == {("maatregel", "tot", "na_feit"), ("maatregel", "vanaf", "na_feit")}
    many = [m.Maatregel(soort="werkplek") for _ in range(21)]
    d = Dossier(traject(), inschattingen=[ins], stappenplannen=[plan(ins.datum, ins, maatregelen=many)])
    assert rules(d) == {("stappenplan", "maatregelen", "te_veel_maatregelen")}


def test_extension_within_the_running_term_and_later():
    ins = inschatting(date(2026, 3, 31))  # term: 31/05/2026 (31/03 + 2 months)
    due = date(2026, 5, 31)

    def ext(granted, new):
        return rules(
            Dossier(
                traject(),
                inschattingen=[ins],
                verlengingen=[m.Verlenging(pk=40, toegekend_op=granted, nieuwe_datum=new)],
            )
        )

    assert ext(due, due + ONE) == set()  # granted on the last day, one day later
    assert ext(due + ONE, due + timedelta(days=30)) == {
        ("verlenging", "toegekend_op", "verlenging_na_termijn")
    }
    assert ext(due - ONE, due) == {("verlenging", "nieuwe_datum", "verlenging_niet_later")}
    assert ext(ins.datum - ONE, due + ONE) == {("verlenging", "toegekend_op", "verlenging_zonder_termijn")}
    with_plan = Dossier(
        traject(),
        inschattingen=[ins],
        stappenplannen=[plan(ins.datum + ONE, ins)],
        verlengingen=[m.Verlenging(pk=40, toegekend_op=ins.datum + ONE, nieuwe_datum=due + ONE)],
    )
    assert rules(with_plan) == {("verlenging", "toegekend_op", "verlenging_na_stappenplan")}


def test_second_extension_judged_against_the_first():
    ins = inschatting(date(2026, 3, 31))
    first = m.Verlenging(pk=40, toegekend_op=date(2026, 5, 1), nieuwe_datum=date(2026, 7, 1))
    ok = m.Verlenging(pk=41, toegekend_op=date(2026, 6, 15), nieuwe_datum=date(2026, 8, 1))
    not_later = m.Verlenging(pk=42, toegekend_op=date(2026, 6, 15), nieuwe_datum=date(2026, 6, 30))
    assert rules(Dossier(traject(), inschattingen=[ins], verlengingen=[first, ok])) == set()
    assert rules(Dossier(traject(), inschattingen=[ins], verlengingen=[first, not_later])) == {
        ("verlenging", "nieuwe_datum", "verlenging_niet_later")
    }


def herval(back, again, pk=50):
    return m.Herval(pk=pk, hervat_op=back, datum=again, hervatting_vorm="volledig")


def test_returns_and_relapses_alternate():
    r1 = herval(D0 + timedelta(days=30), D0 + timedelta(days=40))
    assert rules(Dossier(traject(), hervallen=[r1])) == set()
    same_day = herval(D0 + timedelta(days=30), D0 + timedelta(days=30))
    assert ("herval", "datum", "herval_voor_hervatting") in rules(Dossier(traject(), hervallen=[same_day]))
    overlapping = [r1, herval(D0 + timedelta(days=40), D0 + timedelta(days=50), pk=51)]
    assert ("herval", "hervat_op", "hervallen_volgorde") in rules(Dossier(traject(), hervallen=overlapping))
    current_before = traject(
        status="opvolging", werkhervatting_op=D0 + timedelta(days=40), werkhervatting_vorm="volledig"
    )
    assert ("traject", "werkhervatting_op", "hervatting_voor_herval") in rules(
        Dossier(current_before, hervallen=[r1])
    )
    current_after = traject(
        status="opvolging", werkhervatting_op=D0 + timedelta(days=41), werkhervatting_vorm="volledig"
    )
    assert rules(Dossier(current_after, hervallen=[r1])) == set()


def test_evaluation_follows_a_return():
    back = D0 + timedelta(days=30)
    t = traject(status="opvolging", werkhervatting_op=back, werkhervatting_vorm="volledig")
    assert rules(Dossier(t, evaluaties=[m.Evaluatie(pk=60, datum=back, gevoerd_door="coach")])) == set()
    assert rules(Dossier(t, evaluaties=[m.Evaluatie(pk=60, datum=back - ONE, gevoerd_door="coach")])) == {
        ("evaluatie", "datum", "evaluatie_voor_hervatting")
    }
    assert rules(Dossier(traject(), evaluaties=[m.Evaluatie(pk=60, datum=back, gevoerd_door="coach")])) == {
        ("evaluatie", "datum", "evaluatie_zonder_hervatting")
    }


def formeel(**kw):
    base = {"pk": 70, "aanvrager": "personeelslid", "aanvraag_ontvangen_op": D0 + timedelta(days=10)}
    return m.FormeelVerloop(**{**base, **kw})


def test_formal_steps_in_order_and_complete():
    f = formeel(beoordeling_op=D0 + timedelta(days=9), beoordeling="tijdelijk_ander_werk")
    assert ("formeel", "beoordeling_op", "formeel_volgorde") in rules(
        Dossier(traject(soort="formeel"), formeel=f)
    )
    f = formeel(plan_op=D0 + timedelta(days=20), plan_soort="plan")
    assert rules(Dossier(traject(soort="formeel"), formeel=f)) == {
        ("formeel", "plan_op", "formeel_vorige_stap")
    }
    f = formeel(beoordeling_op=D0 + timedelta(days=20))
    assert rules(Dossier(traject(soort="formeel"), formeel=f)) == {("formeel", "beoordeling", "verplicht")}


@pytest.mark.parametrize("offset,ok", [(-1, False), (0, True)])
def test_entity_requests_a_formal_trajectory_after_3_months(offset, ok):
    d0 = date(2026, 1, 31)
    may = date(2026, 4, 30)  # 31/01 + 3 months, clamped
    f = formeel(aanvrager="entiteit", aanvraag_ontvangen_op=may + timedelta(days=offset))
    found = rules(Dossier(traject(soort="formeel", d0=d0), formeel=f))
    assert (found == set()) is ok, found


def test_staff_member_requests_only_while_unable_to_work():
    back = D0 + timedelta(days=30)
    t = traject(soort="formeel", status="opvolging", werkhervatting_op=back, werkhervatting_vorm="volledig")
    f = formeel(aanvraag_ontvangen_op=back + ONE)
    assert rules(Dossier(t, formeel=f)) == {("formeel", "aanvrager", "formeel_niet_ongeschikt")}
    f = formeel(aanvraag_ontvangen_op=back - ONE)
    assert rules(Dossier(t, formeel=f)) == set()


def test_closing_not_before_a_registered_fact_and_with_an_outcome():
    g = gesprek(D0 + timedelta(days=10))

    def closed(on, uitkomst="zelfde_functie", reden=""):
        t = traject(status="afgesloten", afgesloten_op=on, uitkomst=uitkomst, uitkomst_reden=reden)
        return rules(Dossier(t, gesprekken=[g]))

    assert closed(g.datum) == set()
    assert closed(g.datum - ONE) == {("traject", "afgesloten_op", "afsluiting_voor_feit")}
    assert closed(g.datum, uitkomst="") == {("traject", "uitkomst", "verplicht")}
    assert closed(g.datum, uitkomst="geen_terugkeer") == {("traject", "uitkomst_reden", "verplicht")}
    assert closed(g.datum, uitkomst="geen_terugkeer", reden="Pensioen") == set()


def test_a_change_may_not_add_a_problem_but_old_ones_do_not_block():
    old_problem = gesprek(D0 - ONE, pk=10)  # legacy data: before D0
    before = Dossier(traject(), gesprekken=[old_problem])
    fine = before.with_part("gesprek", gesprek(D0 + ONE, pk=11))
    assert new_problems(before, fine, TODAY) == []
    broken = before.with_part("gesprek", gesprek(TODAY + ONE, pk=11))
    assert [(p.pk, p.rule) for p in new_problems(before, broken, TODAY)] == [(11, "toekomst")]


def test_an_impossible_date_never_raises():
    # Dates at the edges of what Python can represent: the rules report, they do not crash.
    d = Dossier(
        traject(d0=date(1, 1, 1)),
        gesprekken=[gesprek(date(9999, 12, 31))],
        inschattingen=[inschatting(date(9999, 12, 31), positief=False, volgend=date(9999, 12, 31))],
        verlengingen=[m.Verlenging(pk=40, toegekend_op=date(9999, 12, 31), nieuwe_datum=date(9999, 12, 31))],
    )
    assert problems(d, TODAY)
