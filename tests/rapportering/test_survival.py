"""Return-to-work curves (rapportering.survival): Kaplan–Meier with censoring against hand-computed cases,
groups under the threshold, the personnel system's absence periods as source, and where they show."""

import io
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from rapportering import documents, pdf
from rapportering import figures as fg
from rapportering import survival as sv
from rapportering.charts import StepChart
from rapportering.exports import EXPLANATION_SHEET, to_xlsx
from tests.factories import PersoneelslidFactory, TrajectFactory
from tests.rapportering.test_disclosure import audit_protection
from trajecten import models as m

P2025 = fg.Periode.year(2025)
D0 = date(2025, 1, 6)


@pytest.fixture(autouse=True)
def five(settings):
    settings.REPORT_MIN_CELL = 5


def spell(days, returned, person, early=False, kinds=(), soort="informeel", source=sv.DOSSIER):
    return sv.Spell(days, returned, source, person, soort, early, kinds)


# Six absences: returns after 30, 90 and 150 days; still absent (censored) after 60, 120 and 200 days.
SIX = [
    spell(30, True, 1),
    spell(60, False, 2),
    spell(90, True, 3),
    spell(120, False, 4),
    spell(150, True, 5),
    spell(200, False, 6),
]


def test_kaplan_meier_against_a_hand_computed_case():
    r = sv.fit(SIX)
    # S(30) = 5/6; S(90) = 5/6 * 3/4 = 0.625 (4 at risk: 60 was censored); S(150) = 0.625 * 1/2 = 0.3125
    # (2 at risk). The median is where S first drops to 0.5: day 150. Over the returns alone (30, 90,
    # 150) it would be 90: the censored absences are what makes the difference.
    assert r["median"] == 150
    assert sorted(s.days for s in SIX if s.returned)[1] == 90
    assert r["teruggekeerd"] == {"3": 0.375, "6": 0.6875, "12": None}  # day 91, 182; 364 > longest (200)
    assert r["at_risk"] == {"3": 3, "6": 1, "12": 0}  # known absent at day 91: 120, 150, 200; at 182: 200
    # 95 % interval (exponential Greenwood): the lower curve is 0.27 at day 30 already, the upper one stays
    # above 0.5 (0.73 at day 150): from 30 days, upper bound not reached.
    assert r["ci"][0] == 30 and r["ci"][1] is None
    assert r["personen"] == 6 and r["trajecten"] == 6
    assert sv.summarise(SIX)["bronnen"] == {"afwezigheid": 0, "dossier": 6}
    # the stored curve: the share returned each week, a step at each return
    # (stored as its steps: week 0 nothing, week 5 (day 35) 1/6 after the return at day 30, ...)
    assert r["curve"] == [[0, 0], [5, 0.167], [13, 0.375], [22, 0.688]] and r["weeks"] == 200 // 7 + 1
    weeks = sv.weekly(r)
    assert weeks[4] == 0 and weeks[5] == weeks[12] == 0.167 and weeks[13] == 0.375 and weeks[-1] == 0.688


def test_logrank_against_a_hand_computed_case():
    # A returns at 10 and 20, B at 15 and still absent at 25. At 10: 4 at risk, E_A = 1/2, V = 1/4; at 15:
    # 3 at risk (1 of A), E_A = 1/3, V = 2/9; at 20: 2 at risk, E_A = 1/2, V = 1/4. O_A - E_A = 2/3,
    # chi² = (2/3)² / (13/18) = 8/13.
    a = [spell(10, True, 1), spell(20, True, 2)]
    b = [spell(15, True, 3), spell(25, False, 4)]
    assert sv.logrank(a, b)["chi2"] == pytest.approx(8 / 13)


def test_groups_under_the_threshold_are_neither_drawn_nor_tabulated():
    # 7 persons: 2 with an early conversation (too few), 5 without. A reader knows a withheld group of 5 or
    # more holds at least 5 (rapportering.disclosure), so hiding the 5 would leave 7 - ≥5 = 1..2: the
    # cheapest protection is to withhold the total (a reader then knows 2 + 5 ≥ 5, nothing more)
    spells = [spell(30 * (i + 1), i % 2 == 0, i, early=i < 2) for i in range(7)]
    data = sv.summarise(spells)
    assert set(data["groepen"]["gesprek_6w"]) == {"personen", "trajecten"}  # no curve kept
    assert "formeel" not in data["groepen"]  # an empty group is not stored
    assert "logrank_gesprek" not in data  # no comparison without both groups
    f = fg.Figures(survival=data)
    report = fg.Report(P2025, f, {}, [], {}, date(2026, 1, 5))
    table = sv.curve_tables(report, None)[0]
    rows = dict(table.rows)
    assert rows["Alle trajecten"][0] == "verborgen om een kleine groep te beschermen"
    assert rows["Eerste gesprek binnen 6 weken"][0] == "te weinig trajecten"
    assert rows["Eerste gesprek later of niet"][0] == "5"
    assert all(c == "—" for c in rows["Eerste gesprek binnen 6 weken"][1:])
    assert all(c == "—" for c in rows["Alle trajecten"][1:])
    assert "<5" not in rows["Alle trajecten"]  # 7 persons are never "<5"
    chart = table.step_chart
    assert [label for label, _values in chart.series] == ["Eerste gesprek later of niet"]
    assert chart.not_drawn == (
        ("Alle trajecten", "verborgen om een kleine groep te beschermen"),
        ("Eerste gesprek binnen 6 weken", "te weinig trajecten"),
    )
    assert "Niet getekend: Alle trajecten (verborgen om een kleine groep te beschermen); Eerste" in chart.alt
    assert chart.html().count("<polyline") == 1


def test_step_chart_says_what_it_draws():
    chart = StepChart("Aandeel teruggekeerd", (("Alle", (0.0,) * 13 + (0.4,) * 13 + (0.6,)),), 7)
    assert "Alle: na 3 maanden 40%, na 6 maanden 60%, de helft na 26 weken" in chart.alt
    assert chart.alt.startswith("Stapgrafiek. Aandeel teruggekeerd.")
    with pytest.raises(ValueError):
        StepChart(" ", (), 7)


def traject(ent, i, *, back=None, talk=None, measure=None, absence=None, **kw):
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=ent), d0=D0, **kw)
    if back:
        t.werkhervatting_op, t.werkhervatting_vorm = D0 + timedelta(days=back), "volledig"
        t.save()
    if talk is not None:
        m.Gesprek.objects.create(
            traject=t, datum=D0 + timedelta(days=talk), vorm="telefoon", gevoerd_door="coach"
        )
    if measure:
        ins = m.Inschatting.objects.create(
            traject=t, datum=D0 + timedelta(days=80), uitkomst="stappen_mogelijk"
        )
        plan = m.Stappenplan.objects.create(traject=t, inschatting=ins, datum=D0 + timedelta(days=90))
        m.Maatregel.objects.create(stappenplan=plan, soort=measure, omschrijving="-")
    if absence:
        first, last = absence
        m.Afwezigheid.objects.create(
            entiteit=ent,
            personeelsnummer=t.personeelslid.personeelsnummer,
            eerste_dag=first,
            laatste_dag=last,
        )
    return t


@pytest.fixture
def world(entiteit_a, entiteit_b):
    """Entity A: 6 trajectories from the dossier (returns after 30, 90, 150 days, 3 still absent; first
    conversation after 10 weeks), 5 with the personnel system's absence periods (a conversation after 10
    days); entity B (another domain) 5 from the dossier."""
    entiteit_b.beleidsdomein = "Omgeving"
    entiteit_b.save()
    for i, back in enumerate([30, 90, 150, None, None, None]):
        traject(entiteit_a, i, back=back, talk=70, measure="werkplek" if i < 3 else None)
    # absence periods covering D0: they start 10 days earlier; the dossier says 400 days (after 2025)
    for i, days in enumerate([40, 50, 60, None, None]):
        last = D0 - timedelta(days=10) + timedelta(days=days - 1) if days else None
        traject(entiteit_a, 10 + i, back=400, talk=10, absence=(D0 - timedelta(days=10), last))
    for i in range(5):
        traject(entiteit_b, 20 + i, back=60 + 10 * i, talk=10)


def test_absence_periods_are_preferred_and_labelled(world, entiteit_a):
    report = fg.build(P2025)
    spells = [
        mt.spell for t in fg.fetch(P2025, [entiteit_a.pk]) if (mt := fg.metrics_of(t, P2025, None)).spell
    ]
    by_source = {
        s: sorted((x.days, x.returned) for x in spells if x.source == s) for s in (sv.AFWEZIGHEID, sv.DOSSIER)
    }
    # absence periods: 40, 50, 60 days, two still running at the end of 2025 (360 days of 2025 + 10 before)
    assert by_source[sv.AFWEZIGHEID] == [(40, True), (50, True), (60, True), (370, False), (370, False)]
    # the dossier: D0 to the return; the three without one are censored at 31/12/2025 (360 days known)
    assert by_source[sv.DOSSIER] == [
        (30, True),
        (90, True),
        (150, True),
        (360, False),
        (360, False),
        (360, False),
    ]
    tables = sv.curve_tables(report, entiteit_a)
    assert [t.key for t in tables] == [
        "overleving_gesprek",
        "overleving_maatregelen",
        "overleving_soort_maatregel",
        "overleving_soort",
    ]
    assert tables[0].source == (
        "Bron: afwezigheidsperiodes uit het personeelssysteem voor 5 trajecten, dossier (D0 tot "
        "werkhervatting) voor 6."
    )
    hoc = sv.curve_tables(report, None)
    assert hoc[-1].key == "overleving_beleidsdomein"
    assert [label for label, _cells in hoc[-1].rows] == ["Kanselarij en Buitenlandse Zaken", "Omgeving"]
    assert "voor 5 trajecten, dossier (D0 tot werkhervatting) voor 11." in hoc[0].source
    # the early conversation comparison, worded as association
    assert "Log-rank-toets" in tables[0].note and "samenhang, geen bewijs van oorzaak" in tables[0].note


def test_stored_figures_carry_the_curves(world, entiteit_a):
    report = fg.build(P2025)
    stored = fg.report_from_dict(json.loads(json.dumps(fg.report_to_dict(report))))
    assert stored.per_entity[entiteit_a.pk].survival == report.per_entity[entiteit_a.pk].survival
    live, again = sv.curve_tables(report, None), sv.curve_tables(stored, None)
    assert [(t.rows, t.step_chart and t.step_chart.alt) for t in live] == [
        (t.rows, t.step_chart and t.step_chart.alt) for t in again
    ]
    assert live[0].step_chart is not None


def test_pdfs_and_dashboard_show_the_curves(world, entiteit_a, hr_a, client):
    report = fg.build(P2025)
    for entiteit in (entiteit_a, None):
        data = pdf.render(documents.report_document(report, entiteit))
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
        assert "Terugkeer naar het werk: eerste gesprek binnen 6 weken of later" in text
        assert "Bron: afwezigheidsperiodes uit het personeelssysteem voor 5 trajecten" in text
        assert "Mediaan (dagen)" in text and "geen bewijs van oorzaak" in text
        assert ("Terugkeer naar het werk: per beleidsdomein" in text) == (entiteit is None)
    sheet = load_workbook(io.BytesIO(to_xlsx(documents.report_document(report, entiteit_a))))[
        EXPLANATION_SHEET
    ]
    explained = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "Bron: afwezigheidsperiodes uit het personeelssysteem voor 5 trajecten" in explained
    client.force_login(hr_a)
    page = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    assert 'aria-label="Stapgrafiek. Aandeel teruggekeerd naar het werk' in page
    assert '<th scope="col" class="num">Mediaan (dagen)</th>' in page
    assert "Bron: afwezigheidsperiodes uit het personeelssysteem voor 5 trajecten" in page


def test_at_most_five_curves_the_largest_ones():
    per_domain, person = {}, 0
    for d in range(7):  # domains of 5 to 11 persons
        spells = []
        for i in range(5 + d):
            person += 1
            spells.append(spell(20 * (i + 1), i % 3 != 0, person))
        per_domain[f"Domein {d}"] = fg.Figures(survival=sv.summarise(spells))
    total = fg.Figures(survival=sv.summarise([]))
    report = fg.Report(P2025, total, {}, [], per_domain, date(2026, 1, 5))
    chart = sv.curve_tables(report, None)[-1].step_chart
    assert [label for label, _v in chart.series] == [f"Domein {d}" for d in range(2, 7)]
    assert chart.not_drawn == (
        ("Domein 0", "enkel de 5 grootste groepen worden getekend"),
        ("Domein 1", "enkel de 5 grootste groepen worden getekend"),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_curves_pass_axe_and_reflow(page, world, hr_a, screenshot):
    from tests.browser.test_accessibility import NARROWEST, assert_accessible, page_width
    from tests.conftest import login

    login(page, "hr.a")
    page.goto(reverse("dashboard") + "?jaar=2025")
    chart = page.get_by_role("img", name="Stapgrafiek. Aandeel teruggekeerd naar het werk", exact=False).first
    chart.wait_for()
    assert "Eerste gesprek binnen 6 weken: na 3 maanden" in chart.get_attribute("aria-label")
    assert_accessible(page, "dashboard with curves")
    screenshot(page, "22-dashboard-curves")
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    assert page_width(page) <= NARROWEST  # the curve tables scroll in their own labelled region


@pytest.mark.django_db
def test_a_planned_last_day_is_not_a_return_yet(entiteit_a):
    t = traject(entiteit_a, 0, absence=(D0, date(2025, 3, 31)))
    assert sv.absences_of([t.pk], today=date(2025, 3, 1)) == {t.pk: (D0, None)}  # still running on 01/03
    assert sv.absences_of([t.pk], today=date(2025, 4, 1)) == {t.pk: (D0, date(2025, 3, 31))}
    other = traject(entiteit_a, 1, absence=(D0 + timedelta(days=5), None))  # starts after D0: not covering
    assert sv.absences_of([other.pk], today=date(2025, 4, 1)) == {}


def test_groups_whose_sum_is_printed_elsewhere_are_protected_against_it():
    # the domains add up to the VO figure of the first table: 9 + 6 + 3 = 18 is known, so the small domain
    # (3) cannot be hidden alone (18 - 9 - 6 gives it back), although 9 happens to equal 6 + 3
    assert sv._protect([9, 6, 3], [(None, [0, 1, 2])]) == [False, True, True]
    # the "all" row is the total of its two groups: all 8 = 3 + 5; hiding the 5 leaves 8 - (≥5) = 1..3,
    # so the total goes (the cheapest that keeps "<5" at 1..4)
    assert sv._protect([8, 3, 5], [(0, [1, 2])]) == [True, True, False]


def test_those_still_absent_are_protected_like_the_persons():
    # after 3 months: all 8 still absent = early 2 + late 6. "<5" for the 2 alone would give it back
    # (8 - 6): the total is hidden too ("×", explained under the table; hiding the 6 alone would still
    # narrow the 2 to 8 - ≥5 = 1..3), and every choice passes the reader's audit.
    early = [spell(100, True, i, early=True) for i in range(2)] + [
        spell(30, True, 10 + i, early=True) for i in range(4)
    ]
    late = [spell(100, True, 20 + i) for i in range(6)]
    report = fg.Report(P2025, fg.Figures(survival=sv.summarise(early + late)), {}, [], {}, date(2026, 1, 5))
    table = sv.curve_tables(report, None)[0]
    rows = dict(table.rows)
    assert [rows[g][0] for g in rows] == ["12", "6", "6"]  # every group shown
    assert rows["Alle trajecten"][6] == "×"
    assert rows["Eerste gesprek binnen 6 weken"][6] == "<5"
    withheld = [None, None, None]
    results = [sv.group(report.total.survival, k) for k in ("alle", "gesprek_6w", "gesprek_later")]
    assert audit_protection(sv._at_risk(results, [(0, [1, 2])], withheld)) == []
    assert "× verborgen om een kleine groep (minder dan 5 personen) te beschermen." in table.note
    assert [rows[g][7] for g in rows] == ["0", "0", "0"]  # after 6 months nobody: zero is shown as 0
