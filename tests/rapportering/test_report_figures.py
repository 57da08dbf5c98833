"""The EOC/HOC report figures, pinned against hand-computed expectations, and their anonymity.

Every expected number below is a literal worked out by hand from the fixture world (see the table in
``world``), never computed by the code under test. Period: 2025 (01/01/2025 - 31/12/2025).
"""

import dataclasses
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from entiteiten.models import Entiteit
from rapportering import disclosure as dc
from rapportering import figures as fg
from rapportering import tables as tb
from rapportering.charts import EMPTY
from rapportering.figures import Duration, Periode
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from tests.rapportering.test_disclosure import audit_protection
from trajecten import models as m

MARK = "<5"  # a count of 1..4 (threshold 5)
X = (
    dc.SECONDARY
)  # a count of 5 or more hidden to protect a small one, or a share or duration of a hidden count
HIDDEN = (MARK, X)

pytestmark = pytest.mark.django_db

P2025 = Periode.year(2025)
BRUSSELS = ZoneInfo("Europe/Brussels")
DOMEIN_A = "Kanselarij en Buitenlandse Zaken"  # entiteit_a (factory default)
DOMEIN_B = "Omgeving"  # entiteit_b, moved to a second beleidsdomein in ``world``


@pytest.fixture(autouse=True)
def min_cell(settings):
    settings.REPORT_MIN_CELL = 5
    settings.FORMEEL_VERPLICHT_VANAF = date(2025, 6, 2)


# --- building blocks -------------------------------------------------------------------------------


def person(ent, n):
    return PersoneelslidFactory(
        entiteit=ent, voornaam="Wannes", achternaam=f"Verhulstinck{n}", personeelsnummer=f"PX{n:05d}"
    )


def traject(ent, n, soort="informeel", **kw):
    kw.setdefault("leidinggevende", "Lies Janssens")
    return TrajectFactory(soort=soort, personeelslid=person(ent, n), entiteit=ent, **kw)


def closed(day, uitkomst, **kw):
    return {"status": "afgesloten", "afgesloten_op": day, "uitkomst": uitkomst, **kw}


def returned(day, vorm="volledig"):
    return {"werkhervatting_op": day, "werkhervatting_vorm": vorm}


def talk(t, day, soort="gesprek"):
    return m.Gesprek.objects.create(traject=t, datum=day, soort=soort, vorm="telefoon", gevoerd_door="coach")


def positive(t, day):
    return m.Inschatting.objects.create(traject=t, datum=day, uitkomst="stappen_mogelijk")


def plan(t, inschatting, day, *soorten):
    s = m.Stappenplan.objects.create(traject=t, inschatting=inschatting, datum=day)
    for soort in soorten:
        m.Maatregel.objects.create(stappenplan=s, soort=soort)
    return s


def relapse(t, hervat_op, datum):
    return m.Herval.objects.create(traject=t, hervat_op=hervat_op, datum=datum)


def actor(t, actor_, vanaf):
    return m.Betrokkenheid.objects.create(traject=t, actor=actor_, vanaf=vanaf)


def created_at(t, dt):
    m.Traject.objects.filter(pk=t.pk).update(aangemaakt_op=dt)


# --- the fixture world -----------------------------------------------------------------------------


@pytest.fixture
def world(entiteit_a, entiteit_b):
    """Entity A (DOMEIN_A) and entity B (DOMEIN_B); trajectories T1..T14.

    ==== === ========== =============== ============================================================
    id   ent soort      start           what it exercises
    ==== === ========== =============== ============================================================
    T1   A   informeel  D0 01/01/2025   started on the first day; gesprek D0+42 (12/02); positive
                                        12/02, stappenplan exactly +2 months (12/04) with
                                        aangepaste_uren + progressief; return 01/05 (120 days);
                                        actors arbeidsarts, smt (twice: counts once)
    T2   A   informeel  D0 01/10/2024   active, not started; gesprek 20/10/2024 (early); stappenplan
                                        15/12/2024 with aangepaste_taken (outside the period);
                                        return 01/01/2025 (92 days) via Herval, relapse 01/01/2026
                                        (= return + 12 months: within 12, not 3); actor hr
    T3   A   informeel  D0 01/03/2025   gesprek D0+43 (13/04): not within 6 weeks; positive 13/04,
                                        stappenplan 20/04 werkplek + aangepaste_uren; return 30/04
                                        (60 days) via Herval, relapse 30/07 (= +3 months: within 3);
                                        closed 01/10 zelfde_functie; actors smt, ergonomie from 2026
    T4   A   informeel  D0 31/01/2025   gesprek 31/03 (= D0 + 2 months, clamped); positive 31/03,
                                        stappenplan 01/06 (= +2 months + 1 day) with verlofvorm;
                                        return 30/06 (150 days) via Herval, relapse 01/10 (+3 months
                                        + 1 day: within 12 only). Stappenplan term 31/05 met late:
                                        the formal trajectory obligation arises on 01/06
    T5   A   formeel    D0 01/06/2024   return 31/12/2025 (578 days) via Herval, relapse 01/01/2027
                                        (+12 months + 1 day: neither)
    T6   A   preventief reg. 31/12/2025 started on the last day; actor veerkrachtcoach
    T7   A   preventief reg. 01/01/2026 out
    T8   A   informeel  D0 31/12/2024   not started; closed 01/01/2025 andere_functie (active, closed);
                                        return 31/12/2024 (outside the period)
    T9   A   informeel  D0 01/05/2024   closed 31/12/2024: not active; actor psychosociaal (not counted)
    T10  A   informeel  D0 01/01/2026   out
    T11  B   formeel    D0 31/12/2025   started on the last day; actor smt
    T12  B   informeel  D0 01/02/2025   entity-crossing to A; gesprek 20/03 (D0+47); no assessment:
                                        the 4-month term (01/06) is missed, the obligation arises
                                        on 02/06; closed 15/11 andere_entiteit; actors ago, hr
    T13  B   informeel  D0 10/06/2025   contact 15/06 (not a gesprek); gesprek 22/07 (D0+42);
                                        positive 01/08, stappenplan 01/09 andere_functie +
                                        aangepaste_uren, stappenplan 15/01/2026 andere (outside)
    T14  B   informeel  D0 30/09/2025   contact 05/10; gesprek 01/12 (= D0 + 2 months + 1 day);
                                        return 01/01/2026 (outside the period)
    ==== === ========== =============== ============================================================
    """
    entiteit_b.beleidsdomein = DOMEIN_B
    entiteit_b.save()
    a, b = entiteit_a, entiteit_b
    coach = GebruikerFactory(username="coach.rapport", first_name="Kobe", last_name="Dewaelheyns", entiteit=a)
    t = {}

    t[1] = traject(a, 1, d0=date(2025, 1, 1), coach=coach, **returned(date(2025, 5, 1), "progressief"))
    talk(t[1], date(2025, 2, 12))
    i = positive(t[1], date(2025, 2, 12))
    plan(t[1], i, date(2025, 4, 12), "aangepaste_uren", "progressief")
    actor(t[1], "arbeidsarts", date(2025, 1, 20))
    actor(t[1], "smt", date(2025, 3, 1))
    actor(t[1], "smt", date(2025, 6, 1))

    t[2] = traject(a, 2, d0=date(2024, 10, 1))
    talk(t[2], date(2024, 10, 20))
    i = positive(t[2], date(2024, 11, 1))
    plan(t[2], i, date(2024, 12, 15), "aangepaste_taken")
    relapse(t[2], date(2025, 1, 1), date(2026, 1, 1))
    actor(t[2], "hr", date(2024, 10, 5))

    t[3] = traject(
        a,
        3,
        d0=date(2025, 3, 1),
        **returned(date(2025, 9, 1)),
        **closed(date(2025, 10, 1), "zelfde_functie"),
    )
    talk(t[3], date(2025, 4, 13))
    i = positive(t[3], date(2025, 4, 13))
    plan(t[3], i, date(2025, 4, 20), "werkplek", "aangepaste_uren")
    relapse(t[3], date(2025, 4, 30), date(2025, 7, 30))
    actor(t[3], "smt", date(2025, 4, 1))
    actor(t[3], "ergonomie", date(2026, 2, 1))

    t[4] = traject(a, 4, d0=date(2025, 1, 31))
    talk(t[4], date(2025, 3, 31))
    i = positive(t[4], date(2025, 3, 31))
    plan(t[4], i, date(2025, 6, 1), "verlofvorm")
    relapse(t[4], date(2025, 6, 30), date(2025, 10, 1))

    t[5] = traject(a, 5, soort="formeel", d0=date(2024, 6, 1))
    relapse(t[5], date(2025, 12, 31), date(2027, 1, 1))

    t[6] = traject(a, 6, soort="preventief", d0=None)
    created_at(t[6], datetime(2025, 12, 31, 12, 0, tzinfo=BRUSSELS))
    actor(t[6], "veerkrachtcoach", date(2025, 12, 31))

    t[7] = traject(a, 7, soort="preventief", d0=None)
    created_at(t[7], datetime(2026, 1, 1, 12, 0, tzinfo=BRUSSELS))
    actor(t[7], "smt", date(2026, 1, 1))

    t[8] = traject(
        a,
        8,
        d0=date(2024, 12, 31),
        **returned(date(2024, 12, 31)),
        **closed(date(2025, 1, 1), "andere_functie"),
    )

    t[9] = traject(
        a,
        9,
        d0=date(2024, 5, 1),
        **closed(date(2024, 12, 31), "geen_terugkeer", uitkomst_reden="Pensioen"),
    )
    actor(t[9], "psychosociaal", date(2024, 6, 1))

    t[10] = traject(a, 10, d0=date(2026, 1, 1))
    talk(t[10], date(2026, 1, 5))

    t[11] = traject(b, 11, soort="formeel", d0=date(2025, 12, 31))
    actor(t[11], "smt", date(2025, 12, 31))

    t[12] = traject(
        b, 12, d0=date(2025, 2, 1), doel_entiteit=a, **closed(date(2025, 11, 15), "andere_entiteit")
    )
    talk(t[12], date(2025, 3, 20))
    actor(t[12], "ago", date(2025, 2, 15))
    actor(t[12], "hr", date(2025, 2, 15))

    t[13] = traject(b, 13, d0=date(2025, 6, 10))
    talk(t[13], date(2025, 6, 15), soort="contact")
    talk(t[13], date(2025, 7, 22))
    i = positive(t[13], date(2025, 8, 1))
    plan(t[13], i, date(2025, 9, 1), "andere_functie", "aangepaste_uren")
    plan(t[13], i, date(2026, 1, 15), "andere")

    t[14] = traject(b, 14, d0=date(2025, 9, 30), **returned(date(2026, 1, 1)))
    talk(t[14], date(2025, 10, 5), soort="contact")
    talk(t[14], date(2025, 12, 1))

    a.refresh_from_db()
    b.refresh_from_db()
    return {"a": a, "b": b, "t": t, "coach": coach, "people": list(m.Personeelslid.objects.all())}


# --- raw figures -----------------------------------------------------------------------------------


def test_counts_per_type_total(world):
    f = fg.build(P2025).total
    # started: T1 T3 T4 T12 T13 T14 (informeel), T11 (formeel), T6 (preventief); T12 also crossing.
    # Out: T2/T8 (2024), T5 (2024), T7/T10 (2026).
    assert f.started == Counter(informeel=6, formeel=1, preventief=1, entiteitsoverschrijdend=1, totaal=8)
    # active: the started ones + T2, T8 (informeel), T5 (formeel); T9 closed 31/12/2024 is not active.
    assert f.active == Counter(informeel=8, formeel=2, preventief=1, entiteitsoverschrijdend=1, totaal=11)
    # closed in 2025: T8 (01/01), T3 (01/10), T12 (15/11, crossing).
    assert f.closed == Counter(informeel=3, entiteitsoverschrijdend=1, totaal=3)
    # ongoing on 31/12: T1 T2 T4 T13 T14 (informeel), T5 T11 (formeel), T6 (preventief).
    assert f.ongoing == Counter(informeel=5, formeel=2, preventief=1, totaal=8)
    assert f.persons == 11


def test_counts_per_entity_and_domain(world):
    a, b = world["a"], world["b"]
    report = fg.build(P2025)
    assert [e.pk for e in report.entities] == [a.pk, b.pk]  # ordered by beleidsdomein
    fa, fb = report.per_entity[a.pk], report.per_entity[b.pk]
    # A: T1 T3 T4 started informeel, T6 preventief. T12 crosses INTO A but counts with its origin B.
    assert fa.started == Counter(informeel=3, preventief=1, totaal=4)
    assert fa.active == Counter(informeel=5, formeel=1, preventief=1, totaal=7)  # + T2 T8, T5
    assert fa.closed == Counter(informeel=2, totaal=2)  # T3, T8
    assert fa.ongoing == Counter(informeel=3, formeel=1, preventief=1, totaal=5)  # T1 T2 T4, T5, T6
    # B: T12 (crossing) T13 T14 informeel, T11 formeel.
    assert fb.started == Counter(informeel=3, formeel=1, entiteitsoverschrijdend=1, totaal=4)
    assert fb.active == Counter(informeel=3, formeel=1, entiteitsoverschrijdend=1, totaal=4)
    assert fb.closed == Counter(informeel=1, entiteitsoverschrijdend=1, totaal=1)  # T12
    assert fb.ongoing == Counter(informeel=2, formeel=1, totaal=3)  # T13 T14, T11
    # one entity per beleidsdomein: the domain figures are the entity's
    assert list(report.per_domain) == [DOMEIN_A, DOMEIN_B]
    assert report.per_domain[DOMEIN_A].active == Counter(informeel=5, formeel=1, preventief=1, totaal=7)
    assert report.per_domain[DOMEIN_B].active == Counter(
        informeel=3, formeel=1, entiteitsoverschrijdend=1, totaal=4
    )
    assert report.per_domain[DOMEIN_A].relapse == Counter(returns=5, within_3m=1, within_12m=3)
    assert report.per_domain[DOMEIN_B].timeliness["eligible"] == 3


def test_single_entity_report(world):
    a, b = world["a"], world["b"]
    rb = fg.build(P2025, [b])
    assert [e.pk for e in rb.entities] == [b.pk]
    assert list(rb.per_entity) == [b.pk]
    assert list(rb.per_domain) == [DOMEIN_B]
    assert rb.total.active == Counter(informeel=3, formeel=1, entiteitsoverschrijdend=1, totaal=4)
    assert rb.total.outcomes == Counter(andere_entiteit=1)
    assert rb.total.actors == Counter(smt=1, ago=1, hr=1)
    ra = fg.build(P2025, [a])
    # the entity-crossing T12 (B -> A) is not A's
    assert ra.total.active == Counter(informeel=5, formeel=1, preventief=1, totaal=7)
    assert ra.total.started == Counter(informeel=3, preventief=1, totaal=4)
    assert list(ra.per_domain) == [DOMEIN_A]


def test_timeliness(world):
    report = fg.build(P2025)
    # eligible: informal, with D0, started in 2025: T1 T3 T4 (A), T12 T13 T14 (B)
    # gesprek_6w: T1 (D0+42), T13 (D0+42); not T3 (+43), T4 (+59), T12 (+47), T14 (+62)
    # gesprek_2m: all but T14 (01/12 > 30/11); T4's 31/03 = 31/01 + 2 months counts
    # positive: T1 T3 T4 T13; stappenplan_2m: T1 (12/04 = +2m), T3, T13; not T4 (01/06 > 31/05)
    # FORMEEL_VERPLICHT_VANAF 02/06/2025: T12's obligation arises 02/06 -> verplicht;
    # T4's arises 01/06, before -> waarschuwing
    assert report.total.timeliness == Counter(
        eligible=6, gesprek_6w=2, gesprek_2m=5, positive=4, stappenplan_2m=3, verplicht=1, waarschuwing=1
    )
    assert report.per_entity[world["a"].pk].timeliness == Counter(
        eligible=3, gesprek_6w=1, gesprek_2m=3, positive=3, stappenplan_2m=2, verplicht=0, waarschuwing=1
    )
    assert report.per_entity[world["b"].pk].timeliness == Counter(
        eligible=3, gesprek_6w=1, gesprek_2m=2, positive=1, stappenplan_2m=1, verplicht=1, waarschuwing=0
    )


@pytest.mark.parametrize(
    "vanaf, verplicht, waarschuwing",
    [
        (None, 0, 2),  # not fixed yet: both T4 and T12 only warn
        (date(2025, 6, 1), 2, 0),  # in force from T4's day (01/06): both mandatory
        (date(2025, 6, 2), 1, 1),  # from T12's day (02/06): T12 mandatory, T4 warns
        (date(2025, 6, 3), 0, 2),  # after both
    ],
)
def test_timeliness_mandatory_setting(world, settings, vanaf, verplicht, waarschuwing):
    settings.FORMEEL_VERPLICHT_VANAF = vanaf
    t = fg.build(P2025).total.timeliness
    assert (t["verplicht"], t["waarschuwing"]) == (verplicht, waarschuwing)


def test_measures_and_outcomes(world):
    report = fg.build(P2025)
    f = report.total
    # stappenplannen dated in 2025: T1 (aangepaste_uren, progressief), T3 (werkplek, aangepaste_uren),
    # T4 (verlofvorm), T13 (andere_functie, aangepaste_uren). Not T2's of 2024, not T13's of 2026.
    assert f.measures == Counter(aangepaste_uren=3, progressief=1, werkplek=1, verlofvorm=1, andere_functie=1)
    assert f.trajecten_met_maatregel == 4  # T1 T3 T4 T13
    fa, fb = report.per_entity[world["a"].pk], report.per_entity[world["b"].pk]
    assert fa.measures == Counter(aangepaste_uren=2, progressief=1, werkplek=1, verlofvorm=1)
    assert fa.trajecten_met_maatregel == 3
    assert fb.measures == Counter(andere_functie=1, aangepaste_uren=1)
    assert fb.trajecten_met_maatregel == 1
    # outcomes of the trajectories closed in 2025 (T9's geen_terugkeer was in 2024)
    assert f.outcomes == Counter(zelfde_functie=1, andere_functie=1, andere_entiteit=1)
    assert fa.outcomes == Counter(zelfde_functie=1, andere_functie=1)
    assert fb.outcomes == Counter(andere_entiteit=1)


def test_duration_of_absence(world):
    f = fg.build(P2025).total
    # First returns in 2025 (D0 -> return): T3 60 (01/03 -> 30/04), T2 92 (01/10/2024 -> 01/01/2025),
    # T1 120 (01/01 -> 01/05), T4 150 (31/01 -> 30/06), T5 578 (01/06/2024 -> 31/12/2025).
    # Not T8 (31/12/2024) nor T14 (01/01/2026).
    # Inclusive quartiles of 5 sorted values are the 2nd, 3rd and 4th value.
    assert f.duration == Duration(n=5, q1=92, median=120, q3=150)
    # first talk within 6 weeks: T1 (D0+42), T2 (D0+19) -> [92, 120]: positions 1.25/1.5/1.75
    # -> 92 + 28 * 0.25 = 99, 106, 113
    assert f.duration_early == Duration(n=2, q1=99.0, median=106.0, q3=113.0)
    # later or none: T3, T4, T5 -> [60, 150, 578]: q1 = (60+150)/2, median 150, q3 = (150+578)/2
    assert f.duration_late == Duration(n=3, q1=105.0, median=150, q3=364.0)
    # with measures (any stappenplan with a measure, T2's of 2024 included): T1 T2 T3 T4
    # [60, 92, 120, 150]: positions 1.75/2.5/3.25 -> 60 + 32 * 0.75 = 84, (92+120)/2 = 106,
    # 120 + 30 * 0.25 = 127.5
    assert f.duration_with_measures == Duration(n=4, q1=84.0, median=106.0, q3=127.5)
    assert f.duration_without_measures == Duration(n=1, q1=578, median=578, q3=578)  # T5
    fb = fg.build(P2025).per_entity[world["b"].pk]
    assert fb.duration == Duration()  # no return in B in 2025


def test_relapse(world):
    f = fg.build(P2025).total
    # returns: T1 T2 T3 T4 T5. Within 3 months: T3 (30/04 -> 30/07, exactly +3 months).
    # Within 12: T3, T4 (30/06 -> 01/10, +3 months + 1 day), T2 (01/01/2025 -> 01/01/2026, exactly
    # +12 months). T5 (31/12/2025 -> 01/01/2027) is +12 months + 1 day: neither.
    assert f.relapse == Counter(returns=5, within_3m=1, within_12m=3)
    assert fg.build(P2025).per_entity[world["b"].pk].relapse == Counter()


def test_actors(world):
    report = fg.build(P2025)
    # active trajectories, involvement from on or before 31/12/2025:
    # smt T1 (twice, counts once) T3 T11; hr T2 T12; arbeidsarts T1; veerkrachtcoach T6; ago T12.
    # Not ergonomie (T3, from 2026), psychosociaal (T9, not active), smt of T7 (not active).
    assert report.total.actors == Counter(smt=3, hr=2, arbeidsarts=1, veerkrachtcoach=1, ago=1)
    assert report.per_entity[world["a"].pk].actors == Counter(smt=2, hr=1, arbeidsarts=1, veerkrachtcoach=1)
    assert report.per_entity[world["b"].pk].actors == Counter(smt=1, ago=1, hr=1)


def test_preventive_start_is_the_local_registration_day_late_evening(entiteit_a):
    # 31/12/2025 23:30 in Brussels is 22:30 UTC the same day: in 2025.
    t = traject(entiteit_a, 50, soort="preventief", d0=None)
    created_at(t, datetime(2025, 12, 31, 23, 30, tzinfo=BRUSSELS))
    # 01/01/2026 00:30 in Brussels (31/12/2025 23:30 UTC): in 2026, so not in the 2025 report.
    t2 = traject(entiteit_a, 51, soort="preventief", d0=None)
    created_at(t2, datetime(2026, 1, 1, 0, 30, tzinfo=BRUSSELS))
    f = fg.build(P2025).total
    assert f.started == Counter(preventief=1, totaal=1)
    assert f.active == Counter(preventief=1, totaal=1)


def test_preventive_start_is_the_local_registration_day_just_after_midnight(entiteit_a):
    # 01/01/2025 00:30 in Brussels is 31/12/2024 23:30 UTC: the start is the local day, 01/01/2025,
    # so the trajectory is both active in and started in 2025 (formerly the UTC date made it active
    # but not started).
    t = traject(entiteit_a, 52, soort="preventief", d0=None)
    created_at(t, datetime(2025, 1, 1, 0, 30, tzinfo=BRUSSELS))
    assert fg.start_of(m.Traject.objects.get(pk=t.pk)) == date(2025, 1, 1)
    f = fg.build(P2025).total
    assert f.active == Counter(preventief=1, totaal=1)
    assert f.started == Counter(preventief=1, totaal=1)


# --- anonymity: the building blocks ----------------------------------------------------------------


def test_threshold_comes_from_settings(settings):
    settings.REPORT_MIN_CELL = 3
    assert fg.marker() == "<3"
    assert fg.show(2) == "<3"
    assert fg.show(3) == "3"
    assert fg.show(7, True) == X  # hidden to protect a small cell: "×", never "<3"
    p = table_protection([[2, 3, 5]])
    assert [p.text((0, c)) for c in range(3)] == ["<3", X, "5"]


def table_protection(rows: list[list[int]]) -> dc.Protection:
    """Rows whose last cell is their total, as a Protection."""
    p = dc.Protection()
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            p.cell((r, c), v, total=c == len(row) - 1)
        p.equation((r, len(row) - 1), [(r, c) for c in range(len(row) - 1)])
    return p


def test_show():
    assert fg.show(0) == "0"
    assert fg.show(1) == "<5"
    assert fg.show(4) == "<5"
    assert fg.show(5) == "5"
    assert fg.show(12, False) == "12"
    assert fg.show(None) == "—"
    assert fg.show(None, True) == "—"
    # Two markers: "<5" only for 1..4 (a reader takes it literally), "×" for a count of 5 or more hidden
    # to protect a small one; 0 is always 0.
    assert fg.marker() == "<5"
    assert fg.show(12, True) == X
    assert fg.show(5, True) == X
    assert fg.show(0, True) == "0"
    # a count of 1..4 is "<5" whatever the caller says: never the number, never "×"
    assert fg.show(3, False) == "<5"
    assert fg.show(3, True) == "<5"
    assert {fg.show(n, True) for n in range(5, 30)} == {X}
    assert {fg.show(n) for n in range(1, 5)} == {"<5"}


def test_share_follows_its_counts():
    # one small cell in a row with its total: the 6 protects it (3 + 6 = 9, each may be 1..4 / 5..8)
    p = table_protection([[3, 10, 6, 19]])
    assert [p.text((0, c)) for c in range(4)] == ["<5", "10", X, "19"]
    assert p.share((0, 1), (0, 3)) == "53%"
    assert p.share((0, 0), (0, 3)) == X  # the share of a hidden count is hidden, "×" claims no number
    assert p.share((0, 2), (0, 3)) == X


def test_days():
    assert fg.days(Duration(), "median") == "—"
    assert fg.days(Duration(4, 10, 20, 30), "median") == X  # fewer than 5 returns: not "<5" days
    assert fg.days(Duration(9, 10, 20, 30), "median", hidden=True) == X
    d = Duration(5, 84.25, 106.0, 126.9)
    assert (fg.days(d, "q1"), fg.days(d, "median"), fg.days(d, "q3")) == ("84", "106", "127")


# --- anonymity: the tables on the fixture world ----------------------------------------------------


def cells(table: tb.Table) -> list[str]:
    return [c for _label, row in table.rows for c in row]


def rows_of(table: tb.Table) -> list[list[str]]:
    return [row for _label, row in table.rows]


def test_counts_table(world):
    report = fg.build(P2025)
    t = tb.counts_table(report.total)
    # Raw (test_counts_per_type_total), columns informeel formeel preventief totaal | crossing:
    #   r0 started  6 1 1  8 | 1
    #   r1 ongoing  5 2 1  8 | 0
    #   r2 closed   3 0 0  3 | 1
    #   r3 active   8 2 1 11 | 1
    # Every 1..4 is "<5". A reader knows "<5" is 1..4 and "×" at least 5, and checks each row
    # (informeel + formeel + preventief = totaal) and each column (active = ongoing + closed); the
    # protecting cells (×) are what rapportering.disclosure chose, and the reader's audit passes.
    assert rows_of(t) == [
        [X, MARK, MARK, X, MARK],
        ["5", MARK, MARK, X, "0"],
        [MARK, "0", "0", MARK, MARK],
        [X, MARK, MARK, X, MARK],
    ]
    assert audit_protection(tb.figures_protection(report.total)) == []
    # the chart is the "active" row: every bar is hidden
    assert t.chart == [
        ("Informeel", None),
        ("Formeel", None),
        ("Preventief", None),
        ("Entiteitsoverschrijdend", None),
    ]


def test_counts_table_of_entities(world):
    report = fg.build(P2025)
    # A, raw: started 3 0 1 4 | 0, ongoing 3 1 1 5 | 0, closed 2 0 0 2 | 0, active 5 1 1 7 | 0
    a = report.per_entity[world["a"].pk]
    assert rows_of(tb.counts_table(a)) == [
        [MARK, "0", MARK, MARK, "0"],
        [MARK, MARK, MARK, X, "0"],
        [MARK, "0", "0", MARK, "0"],
        [X, MARK, MARK, X, "0"],
    ]
    # B, raw: started 3 1 0 4 | 1, ongoing 2 1 0 3 | 0, closed 1 0 0 1 | 1, active 3 1 0 4 | 1: every
    # non-zero cell is below 5, nothing is left for "×"
    b = report.per_entity[world["b"].pk]
    assert rows_of(tb.counts_table(b)) == [
        [MARK, MARK, "0", MARK, MARK],
        [MARK, MARK, "0", MARK, "0"],
        [MARK, "0", "0", MARK, MARK],
        [MARK, MARK, "0", MARK, MARK],
    ]
    for f in (a, b):
        assert audit_protection(tb.figures_protection(f)) == []


def test_counts_table_hidden_cell_not_derivable_from_other_rows(world):
    # per column active = ongoing + closed: a lone hidden cell among the three would be given back by
    # the other two (formerly: informeel closed 3 hidden, ongoing 5 and active 8 shown)
    report = fg.build(P2025)
    counts = [tb.counts_table(f) for f in [report.total, *report.per_entity.values()]]
    for t in [*counts, tb.hoc_tables(report)[0]]:
        _started, ongoing, closed_, active = rows_of(t)
        for c in range(5):
            assert sum(s in HIDDEN for s in (ongoing[c], closed_[c], active[c])) != 1, c
    _started, ongoing, closed_, active = rows_of(counts[0])
    # the former leak, 3 = 8 - 5: now the 8 is hidden ("×") with the 3 ("<5"); the 5 may show, as
    # 5 + x = y with x in 1..4 and y at least 5 gives x nothing
    assert (ongoing[0], closed_[0], active[0]) == ("5", MARK, X)


def test_timeliness_table(world):
    report = fg.build(P2025)
    t = tb.timeliness_table(report.total)
    # raw (test_timeliness): eligible 6, gesprek_6w 2, gesprek_2m 5, positive 4, stappenplan_2m 3
    # (of the 4 positive), verplicht 1, waarschuwing 1. The whole, 6, is the counts table's started
    # informeel (the same figure: hidden there, "×", so hidden here too). 5 within 2 months shows: with
    # the whole hidden (at least 5) the 1 without stays unknown. Shares of a hidden count or whole: "×".
    assert rows_of(t) == [
        [X, ""],
        [MARK, X],
        ["5", X],
        [MARK, X],
        [MARK, X],
        [MARK, X],
        [MARK, X],
    ]
    assert rows_of(tb.counts_table(report.total))[0][0] == X  # started informeel, the same figure
    assert t.chart == [
        ("Gesprek ≤ 6 weken", None),
        ("Gesprek ≤ 2 maanden", 5),
        ("Stappenplan ≤ 2 maanden", None),
    ]


def test_part_hides_a_count_whose_rest_is_small():
    # relapse: returns 10; within 3 months 0; within 12 months 7 of 10: the rest 3 is small and derivable
    # -> the 7 is hidden ("×", share too)
    f = fg.Figures(relapse=Counter(returns=10, within_3m=0, within_12m=7))
    assert rows_of(tb.relapse_table(f)) == [["10", ""], ["0", "0%"], [X, X]]
    # 3 of 10: small itself; 5 of 10 (rest 5) shown; 5 - 3 = 2 is small but 3 is "<5" already (1..4)
    f = fg.Figures(relapse=Counter(returns=10, within_3m=3, within_12m=5))
    assert rows_of(tb.relapse_table(f)) == [["10", ""], [MARK, X], ["5", "50%"]]
    # 0 of 3: "0" is shown (zeros always are); the whole is "<5" itself, so the rest says nothing more
    f = fg.Figures(relapse=Counter(returns=3, within_3m=0, within_12m=0))
    assert rows_of(tb.relapse_table(f)) == [[MARK, ""], ["0", X], ["0", X]]
    # timeliness, eligible 9: 6w 5 (rest 4) and positive 6 (rest 3) and waarschuwing 8 (rest 1) hidden;
    # 2m 9 (rest 0) and verplicht 0 shown; stappenplan 2 of the 6 positive: small
    f = fg.Figures(
        timeliness=Counter(
            eligible=9, gesprek_6w=5, gesprek_2m=9, positive=6, stappenplan_2m=2, verplicht=0, waarschuwing=8
        )
    )
    assert rows_of(tb.timeliness_table(f)) == [
        ["9", ""],
        [X, X],
        ["9", "100%"],
        [X, X],
        [MARK, X],
        ["0", "0%"],
        [X, X],
    ]
    assert audit_protection(tb.figures_protection(f)) == []


def test_timeliness_rest_not_derivable(world):
    # no shown count lies 1..4 below its shown whole (formerly: gesprek_2m 5 of 6 shown next to 6)
    report = fg.build(P2025)
    for f in [report.total, *report.per_entity.values()]:
        t = rows_of(tb.timeliness_table(f))
        n, positive_ = t[0][0], t[3][0]
        # each count against its whole, and within 6 weeks against within 2 months (a subset)
        pairs = [
            *zip([n, n, n, positive_, n, n], [c for c, _share in t[1:]], strict=True),
            (t[2][0], t[1][0]),
        ]
        r = rows_of(tb.relapse_table(f))
        pairs += [(r[0][0], r[1][0]), (r[0][0], r[2][0]), (r[2][0], r[1][0])]
        for whole, count in pairs:
            if whole.isdigit() and count.isdigit():
                assert not 1 <= int(whole) - int(count) <= 4, (count, whole)


def test_entity_table(world):
    report = fg.build(P2025)
    t = tb.entity_table(report)
    # Raw active (test_counts_per_entity_and_domain), informeel formeel preventief totaal | crossing:
    #   r0 Departement A  5 1 1  7 | 0
    #   r1 Subtotaal A    5 1 1  7 | 0
    #   r2 Agentschap B   3 1 0  4 | 1
    #   r3 Subtotaal B    3 1 0  4 | 1
    #   r4 Totaal VO      8 2 1 11 | 1
    # 5 + 1 + 1 = 7 would narrow the 1s (x + y = 2: both 1), so the 5 and the 7 are "×" (7 may be 7..10),
    # in the block, the subtotal and the VO row alike; the VO total row is the counts table's active row.
    assert t.rows == [
        ("Departement A", [X, MARK, MARK, X, "0"]),
        (f"Subtotaal {DOMEIN_A}", [X, MARK, MARK, X, "0"]),
        ("Agentschap B", [MARK, MARK, "0", MARK, MARK]),
        (f"Subtotaal {DOMEIN_B}", [MARK, MARK, "0", MARK, MARK]),
        ("Totaal Vlaamse overheid", [X, MARK, MARK, X, MARK]),
    ]
    assert t.subtotal_rows == {1, 3, 4}
    assert rows_of(t)[-1] == rows_of(tb.counts_table(report.total))[3]
    assert audit_protection(tb.vo_protection(report)) == []


def test_entity_table_hidden_subtotal_not_derivable_from_vo_total(world):
    # subtotals + total per column: a lone hidden subtotal would be the total minus the others
    # (formerly: Omgeving informeel 3 hidden, = VO 8 - Kanselarij 5, both shown)
    t = tb.entity_table(fg.build(P2025))
    sums = [row for label, row in t.rows if label.startswith("Subtotaal")] + [t.rows[-1][1]]
    for c in range(5):
        assert sum(s[c] in HIDDEN for s in sums) != 1, c
    # the former leak: 5 and 8 are "×", the 3 "<5"
    assert [s[0] for s in sums] == [X, MARK, X]


def single_domain_report() -> fg.Report:
    """Two entities of one beleidsdomein "D", active trajectories only (nothing started or closed):
    E1 informeel 8, preventief 1 (totaal 9); E2 formeel 8, preventief 6 (totaal 14)."""
    e1 = Entiteit(pk=1, code="E1", naam="E1", beleidsdomein="D")
    e2 = Entiteit(pk=2, code="E2", naam="E2", beleidsdomein="D")
    total = Counter(informeel=8, formeel=8, preventief=7, totaal=23)
    return fg.Report(
        periode=P2025,
        total=fg.Figures(active=total.copy(), ongoing=total.copy()),
        per_entity={
            1: fg.Figures(active=Counter(informeel=8, preventief=1, totaal=9)),
            2: fg.Figures(active=Counter(formeel=8, preventief=6, totaal=14)),
        },
        entities=[e1, e2],
        per_domain={"D": fg.Figures(active=total.copy())},
        generated_on=date(2026, 1, 5),
    )


def test_entity_table_single_domain():
    report = single_domain_report()
    t = tb.entity_table(report)
    # E1's preventief 1 is the only small cell. Its row: 8 + 0 + x = 9 would give it away, so the 8 and
    # the 9 go ("×"); its column: x + 6 = 7, so E2's 6 and the subtotal's and VO's 7 go; E2's row then
    # needs its 14 hidden. Formeel 8 stays: nothing small in its column.
    assert rows_of(t) == [
        [X, "0", MARK, X, "0"],
        ["0", "8", X, X, "0"],
        [X, "8", X, "23", "0"],
        [X, "8", X, "23", "0"],
    ]
    assert audit_protection(tb.vo_protection(report)) == []


def test_template_rows(world):
    report = fg.build(P2025)
    rows = tb.template_rows(report)
    assert rows[0][3:] == [
        "Informele trajecten",
        "Formele trajecten",
        "Waarvan entiteitsoverschrijdend",
        "Totaal",
    ]
    # raw A 5 1 | 0 | 6, B 3 1 | 1 | 4: the same cells as the HOC's table per entity (A's 5 is "×"
    # there, so here too), and A's total 6 = 5 + 1 with the 1 small: "×"
    assert rows[1:] == [
        ["Departement A", "AAA", DOMEIN_A, X, MARK, "0", X],
        ["Agentschap B", "BBB", DOMEIN_B, MARK, MARK, MARK, MARK],
    ]


def all_tables(report) -> list[tb.Table]:
    """The HOC report's tables and every entity's EOC report's tables."""
    out = tb.hoc_tables(report)
    for f in report.per_entity.values():
        out += tb.report_tables(f)
    return out


def test_no_small_count_anywhere(world):
    report = fg.build(P2025)
    texts = [c for t in all_tables(report) for c in cells(t)]
    texts += [c for row in tb.template_rows(report)[1:] for c in row[3:]]
    texts += [str(v) for t in all_tables(report) for _label, v in t.chart if v is not None]
    digits = [c for c in texts if c.isdigit()]
    assert digits  # the scan is not vacuous
    assert [c for c in digits if 1 <= int(c) <= 4] == []


def test_no_person_in_the_tables(world):
    report = fg.build(P2025)
    parts = []
    for t in all_tables(report):
        parts += [t.title, t.note, *t.columns]
        parts += [label for label, _row in t.rows] + cells(t)
        parts += [label for label, _v in t.chart]
    parts += [str(c) for row in tb.template_rows(report) for c in row]
    parts += [str(c) for row in tb.extract_rows(report) for c in row]
    text = "\n".join(str(p) for p in parts)
    assert "Departement A" in text  # the scan reads the labels
    secrets = ["Wannes", "Lies Janssens", "Kobe", "Dewaelheyns", world["coach"].username]
    for p in world["people"]:
        secrets += [p.achternaam, p.personeelsnummer]
    assert [s for s in secrets if s in text] == []


COUNT_COLS = ["informeel", "formeel", "preventief", "totaal", "entiteitsoverschrijdend"]


def test_every_table_of_the_world_passes_the_readers_audit(world):
    # The HOC report (with the template and the extract) and every entity's EOC report: no small cell
    # narrowed, no hidden cell pinned (tests/rapportering/test_disclosure.py's reader; it replaces the former rule
    # "k hidden cells of a group hold at least k + 4").
    report = fg.build(P2025)
    assert audit_protection(tb.vo_protection(report)) == []
    for f in report.per_entity.values():
        assert audit_protection(tb.figures_protection(f)) == []


# --- formerly known disclosure gaps, closed -----------------------------------------------------------


def test_hoc_counts_table_does_not_reveal_what_entity_table_hides():
    # Formerly the HOC report showed counts_table(total) and entity_table suppressed independently,
    # although the counts table's "Actief" row is the entity table's VO total row: entity_table hid
    # the VO informeel 8 while counts_table showed it; then Subtotaal = 8, E1 informeel = 8 - 0 and E1
    # preventief = 9 - 8 - 0 = 1. Now they are the same cells of one protection; the counts table's
    # ongoing row (= active here: nothing started or closed) follows through active = ongoing + closed.
    report = single_domain_report()
    counts, entities = tb.hoc_tables(report)[:2]
    assert rows_of(counts) == [
        ["0", "0", "0", "0", "0"],
        [X, "8", X, "23", "0"],
        ["0", "0", "0", "0", "0"],
        [X, "8", X, "23", "0"],
    ]
    assert rows_of(counts)[3] == rows_of(entities)[-1]  # the shared figures show alike
    assert counts.chart == [
        ("Informeel", None),
        ("Formeel", 8),
        ("Preventief", None),
        ("Entiteitsoverschrijdend", 0),
    ]
    # alone, counts_table would show them (nothing small in it)
    assert rows_of(tb.counts_table(dataclasses.replace(report.total)))[3] == ["8", "8", "7", "23", "0"]
    assert audit_protection(tb.vo_protection(report)) == []


def test_hoc_tables_on_the_world(world):
    report = fg.build(P2025)
    hoc = tb.hoc_tables(report)
    assert [t.key for t in hoc] == [
        "aantallen",
        "per_entiteit",
        "tijdigheid",
        "maatregelen",
        "uitkomsten",
        "duur",
        "herval",
        "welzijnsactoren",
    ]
    assert rows_of(hoc[0])[3] == rows_of(hoc[1])[-1] == [X, MARK, MARK, X, MARK]


def test_duration_counts_not_derivable():
    # Formerly each group's count had primary suppression only: all 10 and early 7 shown gave late 3.
    f = fg.Figures(
        duration=Duration(10, 50, 60, 70),
        duration_early=Duration(7, 40, 50, 60),
        duration_late=Duration(3, 70, 80, 90),
        duration_with_measures=Duration(5, 40, 50, 60),
        duration_without_measures=Duration(5, 60, 70, 80),
    )
    # late 3 is small ("<5"); early 7 protects it ("×"); their quartiles are hidden with them ("×")
    assert rows_of(tb.duration_table(f)) == [
        ["10", "50", "60", "70"],
        [X, X, X, X],
        [MARK, X, X, X],
        ["5", "40", "50", "60"],
        ["5", "60", "70", "80"],
    ]
    n_all, early, late, with_m, without_m = (row[0] for row in rows_of(tb.duration_table(f)))
    for pair in ((early, late), (with_m, without_m)):
        assert not (n_all.isdigit() and sorted(c.isdigit() for c in pair) == [False, True]), pair
    assert audit_protection(tb.figures_protection(f)) == []


def test_duration_table(world):
    report = fg.build(P2025)
    # n (test_duration_of_absence): all 5, early 2, late 3, with 4, without 1. All 5 shows: 2 + 3 = 5
    # and 4 + 1 = 5 leave each small group anywhere in 1..4. The quartiles of a small group: "×".
    assert rows_of(tb.duration_table(report.total)) == [["5", "92", "120", "150"]] + [[MARK, X, X, X]] * 4
    assert [v for _label, v in tb.duration_table(report.total).chart] == [None, None, None, None]
    # B: no return in 2025
    fb = report.per_entity[world["b"].pk]
    assert rows_of(tb.duration_table(fb)) == [["0", "—", "—", "—"]] * 5
    assert [v for _label, v in tb.duration_table(fb).chart] == [EMPTY] * 4  # no bar of "0 dagen"


@pytest.mark.parametrize("which", ["relapse", "timeliness"])
def test_nested_counts_difference_not_derivable(which):
    # Formerly each count was checked against its whole only: 10 and 12 (of 20) shown gave 2 between
    # 3 and 12 months / between 6 weeks and 2 months. The difference is a derivable cell: it is small,
    # so the inner count (10) is hidden ("×"). The outer 12 of 20 (rest 8) is shown, 60%.
    if which == "relapse":
        f = fg.Figures(relapse=Counter(returns=20, within_3m=10, within_12m=12))
        rows = rows_of(tb.relapse_table(f))
        assert rows == [["20", ""], [X, X], ["12", "60%"]]
    else:
        f = fg.Figures(timeliness=Counter(eligible=20, gesprek_6w=10, gesprek_2m=12))
        rows = rows_of(tb.timeliness_table(f))
        # positive, verplicht, waarschuwing 0 of 20: "0", "0%"; stappenplan 0 of 0 positive: "0", "—"
        assert rows == [
            ["20", ""],
            [X, X],
            ["12", "60%"],
            ["0", "0%"],
            ["0", "—"],
            ["0", "0%"],
            ["0", "0%"],
        ]
    inner, outer = rows[1][0], rows[2][0]
    if inner.isdigit() and outer.isdigit():
        assert not 1 <= int(outer) - int(inner) <= 4, (inner, outer)
    assert audit_protection(tb.figures_protection(f)) == []


# --- two markers: "<5" for 1..4, "×" for a protecting count of 5 or more --------------------------------


def raw_counts(report: fg.Report, f: fg.Figures, t: tb.Table) -> list[list[int]]:
    """The raw counts behind a table of figures f (row by row; shares and quartiles left out)."""
    maatregelen = {str(label): k for k, label in m.Maatregel.Soort.choices}
    uitkomsten = {str(label): k for k, label in m.Traject.Uitkomst.choices}
    actoren = {str(label): k for k, label in m.Betrokkenheid.Actor.choices}
    by_label = {e.naam: report.per_entity[e.pk] for e in report.entities}
    by_label |= {f"Subtotaal {d}": g for d, g in report.per_domain.items()}
    by_label["Totaal Vlaamse overheid"] = report.total
    rows = t.rows
    if t.key == "aantallen":
        raw = [[getattr(f, k)[c] for c in COUNT_COLS] for k in ("started", "ongoing", "closed", "active")]
    elif t.key == "per_entiteit":
        raw = [[by_label[label].active[c] for c in COUNT_COLS] for label, _row in rows]
    elif t.key == "tijdigheid":
        tl = f.timeliness
        order = ("eligible", "gesprek_6w", "gesprek_2m", "positive", "stappenplan_2m")
        raw = [[tl[k]] for k in (*order, "verplicht", "waarschuwing")]
    elif t.key == "maatregelen":
        raw = [[f.trajecten_met_maatregel]]
        raw += [[f.measures[maatregelen[label]]] for label, _row in rows[1:-1]]
        raw += [[sum(f.measures.values())]]
    elif t.key == "uitkomsten":
        raw = [[f.outcomes[uitkomsten[label]]] for label, _row in rows[:-1]]
        raw += [[sum(f.outcomes.values())]]
    elif t.key == "duur":
        durations = (
            f.duration,
            f.duration_early,
            f.duration_late,
            f.duration_with_measures,
            f.duration_without_measures,
        )
        raw = [[d.n] for d in durations]
    elif t.key == "herval":
        raw = [[f.relapse[k]] for k in ("returns", "within_3m", "within_12m")]
    elif t.key == "welzijnsactoren":
        raw = [[f.actors[actoren[label]]] for label, _row in rows]
    else:
        raise AssertionError(t.key)
    assert len(raw) == len(rows), t.key
    return raw


def mapped_cells(report: fg.Report) -> list[tuple[str, int, str]]:
    """(where, raw count, displayed string) for every count cell of the HOC report (hoc_tables) and of
    every entity's EOC report (report_tables); shares and quartiles are left out."""
    out = []

    def tables_of(name, f, tables):
        for t in tables:
            for (label, row), values in zip(t.rows, raw_counts(report, f, t), strict=True):
                out.extend((f"{name}/{t.key}/{label}", v, s) for v, s in zip(values, row, strict=False))

    tables_of("HOC", report.total, tb.hoc_tables(report))
    for e in report.entities:
        f = report.per_entity[e.pk]
        tables_of(e.naam, f, tb.report_tables(f))
    return out


def test_two_markers_say_what_they_claim(world):
    # A count of 1..4 is always "<5", never its number; a count hidden to protect one is "×" and holds at
    # least 5; a number shown is the raw count; nothing else is shown in a count cell.
    report = fg.build(P2025)
    cells_ = mapped_cells(report)
    assert [c for c in cells_ if 1 <= c[1] <= 4 and c[2] != MARK] == []
    assert [c for c in cells_ if c[2] == MARK and not 1 <= c[1] <= 4] == []
    assert [c for c in cells_ if c[2] == X and c[1] < 5] == []
    assert [c for c in cells_ if c[2].isdigit() and c[2] != str(c[1])] == []
    assert [c for c in cells_ if c[2] not in HIDDEN and not c[2].isdigit()] == []
    # the scan is not vacuous: it meets "<5", "×" and shown numbers in the counts and the entity tables
    kinds = {(w.split("/")[1], s if s in HIDDEN else "shown") for w, v, s in cells_ if v}
    assert {("aantallen", MARK), ("aantallen", X), ("aantallen", "shown")} <= kinds
    assert {("per_entiteit", MARK), ("per_entiteit", X)} <= kinds
    # the HOC counts and entity tables: 20 + 25 cells; every entity's counts table: 20
    assert len([w for w, _v, _s in cells_ if w.split("/")[1] in ("aantallen", "per_entiteit")]) == 45 + 2 * 20
    # no other marker anywhere: every cell of every table (shares and quartiles too), the template and
    # the extract
    texts = [c for t in all_tables(report) for c in cells(t)]
    texts += [c for row in tb.template_rows(report)[1:] for c in row[3:]]
    texts += [c for row in tb.extract_rows(report)[1:] for c in row[2:]]
    assert {c for c in texts if not c.rstrip("%").isdigit()} == {MARK, X, "", "—"}


def test_zero_is_always_shown(world):
    # Entity A: eligible 3 (T1 T3 T4), verplicht 0. Entity B: eligible 3 (T12 T13 T14), waarschuwing 0.
    # The 0 shows as 0 (its whole is "<5": the rest is that same 1..4); its share is hidden with the whole.
    report = fg.build(P2025)
    a = rows_of(tb.timeliness_table(report.per_entity[world["a"].pk]))
    b = rows_of(tb.timeliness_table(report.per_entity[world["b"].pk]))
    assert a[5] == ["0", X] and b[6] == ["0", X]
    assert [w for w, v, s in mapped_cells(report) if v == 0 and s != "0"] == []


def test_small_cells_need_room_to_hide():
    # outcomes 1 5 10 | 16: the 1 and the 5 alone would leave x + y = 6 with y at least 5: x = 1. So the
    # 10 protects the 1 instead (x + z = 11 with z at least 5: x in 1..4 and z in 7..10); the 5 shows.
    f = fg.Figures(outcomes=Counter(zelfde_functie=1, andere_functie=5, andere_entiteit=10))
    assert rows_of(tb.outcomes_table(f)) == [[MARK], ["5"], [X], ["0"], ["0"], ["0"], ["0"], ["16"]]
    assert audit_protection(tb.figures_protection(f)) == []
    # outcomes 4 4 9 | 17: "<5", "<5" and 17 - 9 = 8 would pin both at 4; the 9 goes
    f = fg.Figures(outcomes=Counter(zelfde_functie=4, andere_functie=4, andere_entiteit=9))
    assert rows_of(tb.outcomes_table(f)) == [[MARK], [MARK], [X], ["0"], ["0"], ["0"], ["0"], ["17"]]
    assert audit_protection(tb.figures_protection(f)) == []
    # every outcome 1 (total 7): the total is the only cell that can hide them
    f = fg.Figures(outcomes=Counter({k: 1 for k, _label in m.Traject.Uitkomst.choices}))
    n = len(m.Traject.Uitkomst.choices)
    assert rows_of(tb.outcomes_table(f)) == [[MARK]] * n + [[X]]
    assert audit_protection(tb.figures_protection(f)) == []


def five_ones_report() -> fg.Report:
    """Five entities of one beleidsdomein "D", each with 10 informal and 1 formal active trajectory."""
    ents = [Entiteit(pk=i, code=f"E{i}", naam=f"E{i}", beleidsdomein="D") for i in range(1, 6)]
    one = Counter(informeel=10, formeel=1, totaal=11)
    total = Counter(informeel=50, formeel=5, totaal=55)
    return fg.Report(
        periode=P2025,
        total=fg.Figures(active=total.copy()),
        per_entity={e.pk: fg.Figures(active=one.copy()) for e in ents},
        entities=ents,
        per_domain={"D": fg.Figures(active=total.copy())},
        generated_on=date(2026, 1, 5),
    )


def test_hidden_ones_not_pinned_down_by_their_count():
    # Five entities with formeel 1: shown as a column summing to 5, every "<5" would be 1. The subtotal's
    # and VO's 5 are hidden ("×"), and the informeel 10s with them (each row: x + y = 11).
    report = five_ones_report()
    t = tb.entity_table(report)
    assert rows_of(t) == [[X, MARK, "0", "11", "0"]] * 5 + [[X, X, "0", "55", "0"]] * 2
    assert audit_protection(tb.vo_protection(report)) == []


# --- charts: a bar only where its table shows the figure ----------------------------------------------


def chart_cells(t: tb.Table) -> list[tuple[str, int | None, str]]:
    """(label, bar, the table cell showing the bar's figure) for every bar of a table's chart."""
    rows = rows_of(t)
    if t.key in ("per_entiteit", "herval"):
        assert t.chart == []
        return []
    if t.key == "aantallen":
        shown = [rows[3][c] for c in (0, 1, 2, 4)]  # the "Actief" row, its totaal left out
    elif t.key == "tijdigheid":
        shown = [rows[r][0] for r in (1, 2, 4)]  # within 6 weeks, within 2 months, stappenplan
    elif t.key == "duur":
        shown = [row[2] for row in rows[1:]]  # the medians of early, late, with, without measures
    elif t.key == "maatregelen":
        shown = [row[0] for row in rows[1:-1]]  # between "with at least one measure" and the total
    elif t.key == "uitkomsten":
        shown = [row[0] for row in rows[:-1]]
    else:
        assert t.key == "welzijnsactoren", t.key  # no total row
        shown = [row[0] for row in rows]
    return [(label, v, s) for (label, v), s in zip(t.chart, shown, strict=True)]


def bar_mismatches(t: tb.Table) -> list[tuple[str, str, int | None, str]]:
    """Bars that differ from their cell: a bar is None exactly where the cell is the marker, EMPTY ("geen
    gegevens") where the cell is empty ("—", a duration group without returns), else the number shown."""
    return [
        (t.key, label, v, s)
        for label, v, s in chart_cells(t)
        if (v is not None if s in HIDDEN else v != (EMPTY if s == "—" else int(s)))
    ]


def test_charts_show_what_their_tables_show_on_the_world(world):
    # Formerly the HOC timeliness chart showed the bar 5 for "within 2 months" (5 of 6, 1 without),
    # whose table cell was hidden; and the duration chart a median whose row was hidden.
    report = fg.build(P2025)
    tables = all_tables(report)
    assert [m_ for t in tables for m_ in bar_mismatches(t)] == []
    # the scan is not vacuous: hidden bars, 0 bars and shown ones
    assert {v for t in tables for _label, v, _s in chart_cells(t)} >= {None, 0, 5}
    hoc = {t.key: t for t in tb.hoc_tables(report)}
    # timeliness: 2 (small), 5 of 6 (shown: the whole 6 is hidden), 3 of 4 (small)
    assert [v for _label, v in hoc["tijdigheid"].chart] == [None, 5, None]
    # duration: early 2, late 3, with 4, without 1: all small, their medians hidden
    assert [v for _label, v in hoc["duur"].chart] == [None, None, None, None]


def timeliness(**counts) -> tb.Table:
    return tb.timeliness_table(fg.Figures(timeliness=Counter(counts)))


@pytest.mark.parametrize(
    "case, table, chart",
    [
        # 6w 0 of 6: "0"; 2m 5 of 6: rest 1 -> the whole 6 is hidden ("×"), the bar 5 shows with its
        # cell; stappenplan 0 of 0 positive: "0"
        ("5 of 6", lambda: timeliness(eligible=6, gesprek_6w=0, gesprek_2m=5), [0, 5, 0]),
        # 6w 10 within 2m 12: 12 - 10 = 2 -> "×" (formerly the bar 10); 2m 12 of 20 (rest 8): "12"
        ("nested 10, 12 of 20", lambda: timeliness(eligible=20, gesprek_6w=10, gesprek_2m=12), [None, 12, 0]),
        # 0 of 3: zeros are shown, bars of 0 too
        ("0 of 3", lambda: timeliness(eligible=3), [0, 0, 0]),
        # all 10 = early 7 + late 3: late is small, early hidden with it (test_duration_counts_not_
        # derivable): both medians hidden; with 5 and without 5: 50, 70
        (
            "duration 10 = 7 + 3",
            lambda: tb.duration_table(
                fg.Figures(
                    duration=Duration(10, 50, 60, 70),
                    duration_early=Duration(7, 40, 50, 60),
                    duration_late=Duration(3, 70, 80, 90),
                    duration_with_measures=Duration(5, 40, 50, 60),
                    duration_without_measures=Duration(5, 60, 70, 80),
                )
            ),
            [None, None, 50, 70],
        ),
        # all 6 = early 6 + late 0 = with 6 + without 0: an empty group is "geen gegevens" next to "—"
        (
            "duration empty groups",
            lambda: tb.duration_table(
                fg.Figures(
                    duration=Duration(6, 20, 30, 40),
                    duration_early=Duration(6, 20, 30, 40),
                    duration_with_measures=Duration(6, 20, 30, 40),
                )
            ),
            [30, EMPTY, 30, EMPTY],
        ),
    ],
)
def test_chart_bars_are_hidden_with_their_cells(case, table, chart):
    t = table()
    assert [v for _label, v in t.chart] == chart
    assert bar_mismatches(t) == []


# --- cost --------------------------------------------------------------------------------------------


def full_trajectory(ent, n):
    t = traject(ent, n, d0=date(2025, 2, 1), **returned(date(2025, 8, 1)))
    talk(t, date(2025, 3, 1))
    i = positive(t, date(2025, 3, 1))
    plan(t, i, date(2025, 4, 1), "aangepaste_uren", "werkplek")
    m.Verlenging.objects.create(
        traject=t, toegekend_op=date(2025, 4, 20), nieuwe_datum=date(2025, 6, 1), reden="x"
    )
    relapse(t, date(2025, 5, 1), date(2025, 6, 1))
    actor(t, "smt", date(2025, 3, 1))
    m.FormeelVerloop.objects.create(
        traject=t, aanvrager="personeelslid", aanvraag_ontvangen_op=date(2025, 9, 1)
    )
    return t


def test_query_count_is_fixed(entiteit_a, entiteit_b, django_assert_num_queries):
    for n in range(3):
        full_trajectory(entiteit_a, 100 + n)
    # trajecten + formele verlopen + gesprekken + inschattingen + stappenplannen + maatregelen +
    # verlengingen + hervallen + betrokkenheden + onderzoeken + aanmeldingen bij AgO + entiteiten + the
    # personnel system's absence periods (rapportering.survival) = 13, rows only (no model instances)
    with django_assert_num_queries(13):
        small = fg.build(P2025)
    for n in range(20):
        full_trajectory(entiteit_b if n % 2 else entiteit_a, 200 + n)
    with django_assert_num_queries(13):
        large = fg.build(P2025)
    assert small.total.active["totaal"] == 3
    assert large.total.active["totaal"] == 23
    assert large.total.measures == Counter(aangepaste_uren=23, werkplek=23)


def test_total_and_domains_merged_from_the_entities_equal_a_tally_of_every_trajectory(entiteit_a, entiteit_b):
    """build() tallies each trajectory once, for its entity, and merges the entities into the domains and
    the total: the same figures (durations, coaches and curves included) as aggregating them all."""
    entiteit_b.beleidsdomein = "Omgeving"
    entiteit_b.save()
    for n in range(12):
        ent = entiteit_b if n % 3 else entiteit_a
        t = full_trajectory(ent, 300 + n)
        # a coach for half of them (the total counts the coaches of the entities' sets)
        coach = GebruikerFactory(rol="terugkeercoach", entiteit=ent) if n % 2 else None
        m.Traject.objects.filter(pk=t.pk).update(coach=coach)
    report = fg.build(P2025)
    metrics = [fg.metrics_of(d, P2025, None) for d in fg.fetch(P2025)]
    assert fg.figures_to_dict(report.total) == fg.figures_to_dict(fg.aggregate(metrics))
    assert report.total.coaches == 6 and report.total.duration.n == 12  # (not a trivially empty comparison)
    for domain, ent in (("Omgeving", entiteit_b), (entiteit_a.beleidsdomein, entiteit_a)):
        own = fg.aggregate([m for m in metrics if m.entiteit_id == ent.pk])
        assert fg.figures_to_dict(report.per_domain[domain]) == fg.figures_to_dict(own)


def test_two_years_side_by_side_in_two_processes_give_the_figures_of_one_process(world, settings, caplog):
    """build_many computes the year before in a forked process from REPORT_PARALLEL_FROM trajectories
    (reintegratie.parallel): the same figures, curves and entities as computed in one process."""
    years = [P2025, Periode.year(2024)]
    settings.REPORT_PARALLEL_FROM = 0  # never
    alone = fg.build_many(years, generated_on=date(2026, 1, 15))
    settings.REPORT_PARALLEL_FROM = 1
    side_by_side = fg.build_many(years, generated_on=date(2026, 1, 15))
    assert alone[0].total.started["totaal"] > 0 and alone[1].total.active["totaal"] > 0
    for one, other in zip(alone, side_by_side, strict=True):
        assert fg.report_to_dict(other) == fg.report_to_dict(one)
        assert [e.pk for e in other.entities] == [e.pk for e in one.entities]
        assert sorted(other.total.spells) == sorted(one.total.spells)
    assert "computed here instead" not in caplog.text  # the child did compute the year before
