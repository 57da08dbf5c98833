"""Issue 12: the HOC as a publishable annual report (key findings first, comparison with the previous year,
timeliness per entity, the course of formal and entity-crossing trajectories, the template's global
efforts), HR's own extract for its preventieadviseur-arbeidsarts, and the reports page."""

import io
from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from entiteiten.models import Entiteit
from rapportering import figures as fg
from rapportering import findings as kf
from rapportering import sections, tables
from rapportering.documents import report_document
from rapportering.models import Rapport
from rapportering.views import grouped, last_complete_year
from tests.factories import (
    AanmeldingFactory,
    FormeelVerloopFactory,
    GebruikerFactory,
    GesprekFactory,
    InschattingFactory,
    MaatregelFactory,
    PersoneelslidFactory,
    StappenplanFactory,
    TrajectFactory,
)
from tests.rapportering.test_disclosure import audit_protection


def figs(started=0, ongoing=0, closed=0, formeel=0, eligible=0, g2m=0, positive=0, plan=0) -> fg.Figures:
    f = fg.Figures()
    f.started["totaal"], f.ongoing["totaal"], f.closed["totaal"] = started, ongoing, closed
    f.active["formeel"] = formeel
    f.timeliness.update(eligible=eligible, gesprek_2m=g2m, positive=positive, stappenplan_2m=plan)
    return f


NOW = figs(started=123, ongoing=80, closed=43, formeel=12, eligible=25, g2m=18, positive=10, plan=5)
BEFORE = figs(started=103, ongoing=80, closed=50, formeel=8, eligible=20, g2m=13, positive=0, plan=0)
NONE_HIDDEN = dict.fromkeys(kf.COUNT_KEYS, False)


def by_key(inds):
    return {i.key: i for i in inds}


# --- key findings: pure ---------------------------------------------------------------------------------


def test_findings_are_plain_sentences_with_the_figure_they_rest_on():
    inds = kf.indicators(NOW, BEFORE, NONE_HIDDEN, NONE_HIDDEN)
    found = kf.key_findings(inds, "2025", "2024", "31/12/2025")
    texts = [f.text for f in found]
    assert texts == [
        "In 2025 startten 123 re-integratietrajecten. Dat zijn er 20 meer dan in 2024 (103).",
        "Op 31/12/2025 liepen er nog 80 trajecten. Dat zijn er evenveel als in 2024.",
        "In 2025 werden 43 trajecten afgesloten. Dat zijn er 7 minder dan in 2024 (50).",
        "Bij 72% van de informele trajecten die in 2025 startten, was er binnen 2 maanden na de eerste dag "
        "van de arbeidsongeschiktheid een eerste gesprek. Dat is 7 procentpunten meer dan in 2024 (65%).",
        "Na een positieve inschatting kwam er in 50% van de gevallen binnen 2 maanden een stappenplan.",
        "In 2025 waren er 12 formele re-integratietrajecten actief. Dat zijn er 4 meer dan in 2024 (8).",
    ]
    assert found[0].basis == "Trajecten per soort, gestart in de periode, totaal: 123; 2024: 103"
    assert found[3].basis.startswith("Tijdigheid, eerste gesprek binnen 2 maanden: 72%")
    # 2024 had no positive assessment: no share, so no comparison, but the 2025 share is said
    assert found[4].basis.endswith("; 2024: —")


def test_findings_never_state_a_figure_the_tables_hide():
    now = figs(started=3, ongoing=40, closed=37, formeel=6, eligible=25, g2m=23, positive=8, plan=4)
    hidden = {**NONE_HIDDEN, "formeel": True}  # hidden in the counts table to protect another cell
    found = kf.key_findings(kf.indicators(now, BEFORE, hidden, NONE_HIDDEN), "2025", "2024", "31/12/2025")
    text = " ".join(f.text + " " + f.basis for f in found)
    # 3 started (small), 23 of 25 (the other 2 are small), 4 of 8 plans (small), 6 formal (protecting)
    assert "startten" not in text and "23" not in text and "stappenplan." not in text
    assert "formele" not in text and " 6 " not in text
    assert [f.text for f in found][:2] == [
        "Op 31/12/2025 liepen er nog 40 trajecten. Dat zijn er 40 minder dan in 2024 (80).",
        "In 2025 werden 37 trajecten afgesloten. Dat zijn er 13 minder dan in 2024 (50).",
    ]
    assert found[-1].text.startswith("Sommige cijfers staan niet in deze samenvatting")
    # a comparison only with a previous figure that is printed too
    small_before = figs(started=4, ongoing=80)
    found = kf.key_findings(
        kf.indicators(NOW, small_before, NONE_HIDDEN, NONE_HIDDEN), "2025", "2024", "31/12/2025"
    )
    assert found[0].text == "In 2025 startten 123 re-integratietrajecten."
    assert "2024: <5" in found[0].basis


def test_zero_is_said_in_words_and_nothing_to_say_gives_no_findings():
    found = kf.key_findings(kf.indicators(figs(), None, NONE_HIDDEN), "2025", None, "31/12/2025")
    assert found[0].text == "In 2025 startten geen re-integratietrajecten."
    assert all("Dat zijn" not in f.text for f in found)  # no previous year: no comparison
    assert not any("gesprek" in f.text for f in found)  # no informal trajectory: no share ("—")


def curve_table(alle, early, late):
    rest = ["—"] * 7
    return tables.Table(
        "overleving_gesprek",
        "Terugkeer naar het werk: eerste gesprek binnen 6 weken of later",
        [],
        [
            ("Alle trajecten", ["12", alle, "80–110", *rest]),
            ("Eerste gesprek binnen 6 weken", ["6", early, "50–90", *rest]),
            ("Eerste gesprek later of niet", ["6", late, "100–140", *rest]),
        ],
    )


def test_median_time_to_return_as_the_curve_table_prints_it():
    inds = kf.indicators(NOW, None, NONE_HIDDEN)
    assert not any("mediaan" in f.text for f in kf.key_findings(inds, "2025", None, "31/12/2025"))
    assert sections.median_return([]) is None  # no curve section, no sentence
    median = sections.median_return([curve_table("94", "70", "120")])
    found = kf.key_findings(inds, "2025", None, "31/12/2025", median_return=median)
    assert found[-1].text == (
        "Half van de afwezigen was na 94 dagen weer aan het werk (mediaan, met de lopende afwezigheden "
        "meegerekend). Met een eerste gesprek binnen 6 weken was dat 70 dagen, met een later of geen gesprek "
        "120 dagen: een samenhang, geen bewijs dat het gesprek de oorzaak is."
    )
    assert found[-1].basis == (
        "Terugkeer naar het werk: eerste gesprek binnen 6 weken of later, Alle trajecten: mediaan 94 dagen "
        "(95%-BI 80–110); binnen 6 weken: 70; later of niet: 120"
    )
    # a group withheld or a median not reached: only what the table prints
    one = sections.median_return([curve_table("94", "te weinig trajecten", "120")])
    assert (
        one[2] is None
        and "Met een eerste gesprek"
        not in kf.key_findings(inds, "2025", None, "31/12/2025", median_return=one)[-1].text
    )
    assert sections.median_return([curve_table("niet bereikt", "70", "120")]) is None
    assert (
        sections.median_return([curve_table("verborgen om een kleine groep te beschermen", "7", "9")]) is None
    )


# --- comparison with the previous year -------------------------------------------------------------------


def test_comparison_differences_only_between_printed_figures():
    inds = by_key(kf.indicators(NOW, BEFORE, NONE_HIDDEN, {**NONE_HIDDEN, "closed": True}))
    assert (inds["started"].now, inds["started"].before, inds["started"].difference) == ("123", "103", "+20")
    assert inds["ongoing"].difference == "0"
    # hidden the year before to protect a small cell: "×"
    assert (inds["closed"].before, inds["closed"].difference) == ("×", "—")
    assert inds["gesprek_2m"].difference == "+7 procentpunten"
    assert inds["stappenplan_2m"].before == "—" and inds["stappenplan_2m"].difference == "—"
    table = sections.comparison_table(list(inds.values()), "2025", "2024")
    assert table.columns == ["Indicator", "2025", "2024", "Verschil"]
    assert table.rows[0] == ("Gestarte trajecten", ["123", "103", "+20"])
    assert [label for label, _cells in table.rows] == [
        "Gestarte trajecten",
        "Lopende trajecten op het einde van de periode",
        "Afgesloten trajecten",
        "Aandeel met een eerste gesprek binnen 2 maanden",
        "Aandeel met een stappenplan binnen de termijn",
        "Actieve formele trajecten",
    ]


def test_the_comparison_hides_what_the_counts_table_hides():
    f = figs(started=30, ongoing=20, closed=10, formeel=7)
    prot, sc = tables.protection_of(f)
    prot.secondary |= {
        (sc, "started", "totaal"),
        (sc, "active", "formeel"),
    }  # as a secondary suppression would
    assert sections.hidden_counts([tables.counts_table(f)]) == {
        "started": True,
        "ongoing": False,
        "closed": False,
        "formeel": True,
    }


def test_previous_period_is_the_same_period_a_year_earlier():
    assert sections.previous_periode(fg.Periode.year(2025)) == fg.Periode.year(2024)
    assert sections.previous_periode(fg.Periode(date(2024, 2, 29), date(2024, 6, 30))) == fg.Periode(
        date(2023, 2, 28), date(2023, 6, 30)
    )


# --- timeliness per entity (pure: figures in) -------------------------------------------------------------


def test_timeliness_per_entity_is_suppressed_as_a_column_with_its_total():
    ents = [Entiteit(pk=i, naam=f"E{i}", code=f"E{i}", beleidsdomein="D") for i in (1, 2, 3)]
    per = {
        1: figs(eligible=10, g2m=5, positive=10, plan=5),
        2: figs(eligible=8, g2m=4, positive=0),
        3: figs(eligible=3, g2m=3),
    }
    total = figs(eligible=21, g2m=12, positive=10, plan=5)
    report = fg.Report(fg.Periode.year(2025), total, per, ents, {}, date(2026, 1, 5))
    t = tables.entity_timeliness_table(report)
    rows = dict(t.rows)
    # E3 has 3 started (small). The shares give the counts within 2 months away (50% of 10 = 5), and
    # those add up to the VO's 12 too: 5 + 4 + 3, of which E2's 4 and E3's 3 are small, so E1's 5 is
    # hidden ("×", and its share), and with the started counts E1's 10 and E2's 8 (else 21 - 10 - 8 = 3).
    assert rows["E1"] == ["×", "×", "10", "50%"]
    assert rows["E3"] == ["<5", "×", "0", "—"] and rows["E2"] == ["×", "×", "0", "—"]
    assert rows["Totaal Vlaamse overheid"] == ["21", "57%", "10", "50%"]
    assert t.subtotal_rows == {3}
    assert audit_protection(tables.vo_protection(report)) == []


# --- the database: formal course, entity-crossing intake, efforts, the HOC PDF -------------------------


def informal(ent, i, talk_after_days=20, coach=None):
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=ent), d0=date(2025, 2, 1 + i), coach=coach)
    GesprekFactory(traject=t, datum=t.d0 + timedelta(days=talk_after_days))
    return t


@pytest.fixture
def year_data(entiteit_a, entiteit_b, coach_a):
    """2025: 10 informal trajectories in A (8 with a first conversation within 2 months), 6 in B; 10 formal
    trajectories in A (5 assessed within 49 days, 5 late); 12 AgO requests of A (5 not yet decided, 6
    accepted, 1 refused).
    2024: 6 informal trajectories in A."""
    for i in range(10):
        informal(entiteit_a, i, 20 if i < 8 else 90, coach=coach_a)
    for i in range(6):
        informal(entiteit_b, i)
    for i in range(10):
        verloop = FormeelVerloopFactory(
            traject__personeelslid=PersoneelslidFactory(entiteit=entiteit_a), traject__d0=date(2024, 11, 1)
        )
        verloop.aanvraag_ontvangen_op = date(2025, 3, 1)
        verloop.beoordeling_op = date(2025, 3, 20) if i < 5 else date(2025, 5, 1)
        verloop.beoordeling = "andere"
        verloop.save()
    ago = GebruikerFactory(username="ago.x", rol="ago", entiteit=None)
    for i in range(12):
        t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2025, 1, 2 + i))
        status = "aangemeld" if i < 5 else "geweigerd" if i == 11 else "aanvaard"
        AanmeldingFactory(
            traject=t,
            aangemeld_op=date(2025, 6, 1),
            status=status,
            beslist_op=None if status == "aangemeld" else date(2025, 6, 10),
            trajectbegeleider=None if status == "aangemeld" else ago,
            weigerreden="Geen" if status == "geweigerd" else "",
        )
    for i in range(6):
        t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2024, 3, 1 + i))
        GesprekFactory(traject=t, datum=t.d0 + timedelta(days=20))
        t.afgesloten_op, t.uitkomst = date(2024, 9, 1), "zelfde_functie"
        t.status = "afgesloten"
        t.save()


@pytest.mark.django_db
def test_formal_terms_and_entity_crossing_requests_are_counted(year_data, entiteit_a):
    report = fg.build(fg.Periode.year(2025))
    f = report.per_entity[entiteit_a.pk]
    assert f.formal_terms == Counter({"formeel_beoordeling.tijdig": 5, "formeel_beoordeling.niet_tijdig": 5})
    assert f.aanmeldingen == Counter(aangemeld=5, aanvaard=6, geweigerd=1)
    terms = dict(tables.formal_terms_table(f).rows)
    assert terms["Re-integratiebeoordeling binnen 49 dagen na de aanvraag"] == ["10", "5", "50%"]
    intake = dict(tables.crossing_intake_table(f).rows)
    # the refused one (1) may be 1..4 only if another count can move by 3: the accepted 6 (at least 5, so
    # only up) and with it the total; the 5 registered ones show
    assert intake["Aanvaard door AgO"] == ["×"] and intake["Geweigerd door AgO"] == ["<5"]
    assert intake["Aangemeld bij AgO"] == ["5"] and intake["Totaal"] == ["×"]
    assert audit_protection(tables.figures_protection(f)) == []
    # a request's status is the one it had at the end of the period
    a = SimpleNamespace(status="doelentiteit_gevonden", beslist_op=date(2025, 6, 10), doelentiteit_op=None)
    a.doelentiteit_op = date(2026, 2, 1)
    assert fg.aanmelding_status_on(a, date(2025, 12, 31)) == "aanvaard"
    assert fg.aanmelding_status_on(a, date(2025, 6, 1)) == "aangemeld"
    assert fg.aanmelding_status_on(a, date(2026, 2, 1)) == "doelentiteit_gevonden"


@pytest.mark.django_db
def test_template_carries_the_global_efforts(year_data, entiteit_a, entiteit_b):
    t = informal(entiteit_b, 20)
    plan = StappenplanFactory(traject=t, inschatting=InschattingFactory(traject=t), datum=date(2025, 4, 1))
    for _ in range(5):
        MaatregelFactory(stappenplan=plan)
    rows = {r[0]: r[1:] for r in tables.effort_rows(fg.build(fg.Periode.year(2025)))}
    # A: one coach (<5), 10 conversations in 2025; B: 7 conversations, 5 measures
    assert rows[entiteit_a.naam] == ["AAA", "<5", "10", "0"]
    assert rows[entiteit_b.naam] == ["BBB", "0", "7", "5"]


@pytest.mark.django_db
def test_hoc_pdf_opens_with_the_key_findings_and_compares_with_last_year(year_data, entiteit_a):
    report, previous = fg.build(fg.Periode.year(2025)), fg.build(fg.Periode.year(2024))
    doc = report_document(report, None, previous)
    assert [t.key for t in doc.tables][:4] == ["vergelijking", "aantallen", "per_entiteit", "tijdigheid"]
    assert "tijdigheid_per_entiteit" in [t.key for t in doc.tables]
    from rapportering import pdf

    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.render(doc))).pages]
    assert pages[1].startswith("Kernbevindingen")  # the first page after the cover
    # 2025: 10 + 6 informal and 12 asked at AgO; 2024: the 10 formal ones and 6 closed informal ones
    assert "In 2025 startten 28 re-integratietrajecten. Dat zijn er 12 meer dan in 2024 (16)." in pages[1]
    assert "Steunt op: Trajecten per soort, gestart in de periode, totaal: 28; 2024: 16" in pages[1]
    assert pages[2].startswith("Inhoud")
    text = " ".join(pages)
    assert "Vergelijking met het vorige jaar" in text
    assert "Indicator 2025 2024 Verschil Gestarte trajecten 28 16 +12" in text
    assert "Tijdigheid per entiteit" in text and "Verloop van de formele trajecten" in text


# --- HR's extract, the default year, the reports page -----------------------------------------------------


@pytest.mark.django_db
def test_hr_requests_its_own_entitys_extract(
    client, year_data, hr_a, coach_a, entiteit_a, entiteit_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    t = informal(entiteit_b, 25)
    plan = StappenplanFactory(traject=t, inschatting=InschattingFactory(traject=t), datum=date(2025, 4, 1))
    for _ in range(6):
        MaatregelFactory(stappenplan=plan, soort="werkplek")
    client.force_login(hr_a)
    assert client.post(reverse("extract_aanvragen"), {"extract-jaar": "2025"}).status_code == 302
    made = Rapport.objects.all()
    assert {(r.soort, r.entiteit_id, r.status) for r in made} == {
        ("extract_pdf", entiteit_a.pk, "klaar"),
        ("extract_xlsx", entiteit_a.pk, "klaar"),
    }
    xlsx = made.get(soort="extract_xlsx")
    assert xlsx.bestandsnaam == "reintegratie-extract-AAA-2025.xlsx"
    raw = b"".join(client.get(reverse("rapport_download", args=[xlsx.pk])).streaming_content)
    cells = [
        c for ws in load_workbook(io.BytesIO(raw)) for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert entiteit_a.naam in cells and entiteit_b.naam not in cells  # only the own entity
    pdf_raw = b"".join(
        client.get(reverse("rapport_download", args=[made.get(soort="extract_pdf").pk])).streaming_content
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_raw)).pages)
    assert "Voor de preventieadviseur-arbeidsarts – Departement A" in text and entiteit_b.naam not in text
    # the page offers it to HR only; a bad year says why
    assert (
        "Extract voor de preventieadviseur-arbeidsarts opmaken"
        in client.get(reverse("rapporten")).content.decode()
    )
    assert "Jaar van het extract" in client.get(reverse("rapporten")).content.decode()
    bad = client.post(reverse("extract_aanvragen"), {"extract-jaar": "1999"})
    assert bad.status_code == 400 and "Kies een jaar van 2000" in bad.content.decode()
    # coaches and AgO do not request it (AgO makes the VO-wide one with the year's reports)
    ago = GebruikerFactory(username="ago.y", rol="ago", entiteit=None)
    for user in (coach_a, ago):
        client.force_login(user)
        assert "arbeidsarts opmaken" not in client.get(reverse("rapporten")).content.decode()
        assert client.post(reverse("extract_aanvragen"), {"extract-jaar": "2025"}).status_code == 404
    assert Rapport.objects.count() == 2
    # HR of another entity does not see it
    client.force_login(GebruikerFactory(username="hr.b", rol="hr", entiteit=entiteit_b))
    assert client.get(reverse("rapport_download", args=[xlsx.pk])).status_code == 404


def test_the_report_year_defaults_to_the_last_complete_year():
    assert last_complete_year(date(2026, 1, 1)) == 2025
    assert last_complete_year(date(2025, 12, 31)) == 2024


@pytest.mark.django_db
def test_reports_page_groups_per_year_and_kind(client, hr_a, entiteit_a, settings, tmp_path):
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    reports = [
        Rapport(
            soort=s, jaar=y, entiteit=entiteit_a if s.startswith(("eoc", "extract")) else None, status="klaar"
        )
        for y in (2024, 2025)
        for s in ("extract_pdf", "eoc_xlsx", "eoc_pdf")
    ]
    years = grouped(reports)
    assert [y["jaar"] for y in years] == [2025, 2024]
    assert [[g["key"] for g in y["groups"]] for y in years] == [["eoc", "extract"], ["eoc", "extract"]]
    assert [r.soort for r in years[0]["groups"][0]["reports"]] == ["eoc_xlsx", "eoc_pdf"]

    Rapport.objects.bulk_create(reports)
    client.force_login(hr_a)
    page = client.get(reverse("rapporten")).content.decode()
    order = [
        "Rapporten over 2025",
        "EOC-rapporten per entiteit",
        "Geanonimiseerd extract voor de preventieadviseur-arbeidsarts",
        "Rapporten over 2024",
    ]
    positions = [page.index(h) for h in order]
    assert positions == sorted(positions)
    last = timezone.localdate().year - 1
    assert f'name="jaar" value="{last}"' in page and f'name="extract-jaar" value="{last}"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anoniem", "geen_rol", "beheerder", "coach", "hr", "ago"])
def test_only_hr_may_request_an_extract(client, role, entiteit_a, settings, tmp_path):
    """Every role POSTs the extract request: only HR gets its entity's extract; the others nothing."""
    settings.MEDIA_ROOT = tmp_path
    users = {
        "geen_rol": dict(rol="", entiteit=None),
        "beheerder": dict(rol="beheerder", entiteit=None, is_staff=True, is_superuser=True),
        "coach": dict(rol="terugkeercoach", entiteit=entiteit_a),
        "hr": dict(rol="hr", entiteit=entiteit_a),
        "ago": dict(rol="ago", entiteit=None),
    }
    if role != "anoniem":
        client.force_login(GebruikerFactory(username=f"u.{role}", **users[role]))
    response = client.post(reverse("extract_aanvragen"), {"extract-jaar": "2025"})
    expected = {"anoniem": 302, "geen_rol": 403, "beheerder": 403, "coach": 404, "hr": 302, "ago": 404}
    assert response.status_code == expected[role]
    made = {(r.soort, r.entiteit_id) for r in Rapport.objects.all()}
    assert made == (
        {("extract_pdf", entiteit_a.pk), ("extract_xlsx", entiteit_a.pk)} if role == "hr" else set()
    )


def test_a_date_range_is_named_as_a_period_in_the_sentences():
    assert sections.period_phrase(fg.Periode.year(2025)) == "2025"
    ranged = sections.period_phrase(fg.Periode(date(2025, 1, 1), date(2025, 6, 30)))
    assert ranged == "de periode 01/01/2025 – 30/06/2025"
    found = kf.key_findings(kf.indicators(NOW, None, NONE_HIDDEN), ranged, None, "30/06/2025")
    assert found[0].text == "In de periode 01/01/2025 – 30/06/2025 startten 123 re-integratietrajecten."


@pytest.mark.django_db
def test_a_year_still_running_says_ongoing_on_the_day_of_the_figures(entiteit_a):
    for i in range(6):
        informal(entiteit_a, i)
    running = fg.build(fg.Periode.year(2025), generated_on=date(2025, 6, 30))
    texts = [f.text for f in sections.report_content(running, entiteit_a).findings]
    assert "Op 30/06/2025 liepen er nog 6 trajecten." in texts
    ended = fg.build(fg.Periode.year(2025), generated_on=date(2026, 1, 5))
    assert "Op 31/12/2025 liepen er nog 6 trajecten." in [
        f.text for f in sections.report_content(ended, entiteit_a).findings
    ]
