"""Dashboards, exports and the download page: access by role and entity, query counts, PDF content."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from entiteiten.models import Gebruiker
from rapportering.models import Rapport
from rapportering.services import refresh_year_figures
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db


def world(entiteit_a, entiteit_b, n=6):
    for i in range(n):
        for ent in (entiteit_a, entiteit_b):
            t = TrajectFactory(
                personeelslid=PersoneelslidFactory(entiteit=ent, achternaam=f"Naam{ent.code}{i}"),
                d0=date(2025, 2, 1 + i),
            )
            m.Gesprek.objects.create(traject=t, datum=date(2025, 3, 1), vorm="telefoon", gevoerd_door="coach")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_hr_sees_only_own_entity_dashboard(client, hr_a, entiteit_a, entiteit_b):
    world(entiteit_a, entiteit_b)
    client.force_login(hr_a)
    html = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    assert entiteit_a.naam in html and "Trajecten per soort" in html
    # the same sections as the report: key findings first, then the comparison with the year before
    assert html.index("Kernbevindingen") < html.index("Vergelijking met het vorige jaar")
    assert "In 2025 startten 6 re-integratietrajecten. Dat zijn er 6 meer dan in 2024 (0)." in html
    # another entity's figures do not exist for HR
    assert client.get(reverse("dashboard"), {"jaar": 2025, "entiteit": entiteit_b.pk}).status_code == 404
    assert (
        client.get(reverse("export", args=["csv"]), {"jaar": 2025, "entiteit": entiteit_b.pk}).status_code
        == 404
    )


def test_ago_sees_all_entities_with_subtotals(client, ago, entiteit_a, entiteit_b):
    world(entiteit_a, entiteit_b)
    client.force_login(ago)
    html = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    assert "Actieve trajecten per entiteit en beleidsdomein" in html
    assert "Totaal Vlaamse overheid" in html and "Subtotaal" in html


def test_users_without_report_role_see_only_a_message(client, entiteit_a):
    user = GebruikerFactory(username="beheerder2", rol=Gebruiker.Rol.BEHEERDER, entiteit=None)
    user.rol = "onbekend"
    user.save()
    client.force_login(user)
    for name in ("dashboard", "rapporten"):
        response = client.get(reverse(name))
        assert response.status_code == 403 and "geen toegang" in response.content.decode()


def test_dashboard_query_count_is_pinned_and_flat(client, hr_a, ago, entiteit_a, entiteit_b):
    from django.core.cache import cache

    from rapportering.figures import Periode
    from rapportering.services import period_key

    def measure(user, params):
        client.force_login(user)
        cache.delete(period_key(Periode(date(2025, 1, 1), date(2025, 6, 30)), entiteit_a.pk))
        computed = queries(client, reverse("dashboard"), params)  # a year: stored now; a period: kept now
        return computed, queries(client, reverse("dashboard"), params)

    year, half = {"jaar": 2025}, {"van": "01/01/2025", "tot": "30/06/2025"}
    world(entiteit_a, entiteit_b, n=1)
    before = (measure(ago, year)[1], measure(hr_a, year)[1], *measure(hr_a, half))
    world(entiteit_a, entiteit_b, n=15)
    refresh_year_figures()
    after = (measure(ago, year)[1], measure(hr_a, year)[1], *measure(hr_a, half))
    # a year: its stored figures and the year before's (comparison), their data decoded once per process
    # (rapportering.views.stored_report: after the warm-up only the rows' time is read); a period and its
    # range a year earlier are computed together, once (rapportering.figures.build_many: trajectories, formal
    # courses, parts and the personnel system's absence periods, one query each), then kept (the cache)
    assert before == after == (10, 11, 23, 9)


def test_a_refreshed_year_is_read_anew_not_from_the_process_copy(entiteit_a, entiteit_b):
    from rapportering.models import Cijferset
    from rapportering.views import stored_report

    world(entiteit_a, entiteit_b, n=1)
    refresh_year_figures([2025])
    old = stored_report(Cijferset.objects.defer("data").get(periode_start=date(2025, 1, 1)))
    assert stored_report(Cijferset.objects.defer("data").get(periode_start=date(2025, 1, 1))) is old  # kept
    world(entiteit_a, entiteit_b, n=15)
    refresh_year_figures([2025])
    new = stored_report(Cijferset.objects.defer("data").get(periode_start=date(2025, 1, 1)))
    assert new is not old and new.total.active["totaal"] > old.total.active["totaal"]


def test_year_figures_are_stored_refreshed_nightly_and_on_request(
    client, ago, hr_a, entiteit_a, entiteit_b, settings
):
    world(entiteit_a, entiteit_b, n=5)
    client.force_login(hr_a)
    assert (
        'Actief in de periode</th><td class="num">5<'
        in client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    )
    world(entiteit_a, entiteit_b, n=3)  # three more per entity: the stored year does not know yet
    html = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    assert 'Actief in de periode</th><td class="num">5<' in html and "Cijfers berekend op" in html
    # a date range is computed live
    live = client.get(reverse("dashboard"), {"van": "01/01/2025", "tot": "30/12/2025"}).content.decode()
    assert 'Actief in de periode</th><td class="num">8<' in live
    # HR cannot ask for a recomputation; AgO can
    assert client.post(reverse("herberekenen"), {"jaar": "2025"}).status_code == 404
    client.force_login(ago)
    assert client.post(reverse("herberekenen"), {"jaar": "2025"}).status_code == 302
    client.force_login(hr_a)
    assert (
        'Actief in de periode</th><td class="num">8<'
        in client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    )
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-dashboard-figures-daily"]
    assert entry["task"] == "rapportering.tasks.refresh_year_figures"


def test_stored_figures_round_trip_exactly(entiteit_a, entiteit_b):
    from rapportering import figures as fg

    world(entiteit_a, entiteit_b, n=6)
    report = fg.build(fg.Periode.year(2025))
    again = fg.report_from_dict(fg.report_to_dict(report))
    assert (
        again.total == report.total
        and again.per_entity == report.per_entity
        and again.per_domain == report.per_domain
    )
    assert [e.pk for e in again.entities] == [e.pk for e in report.entities]


def test_bad_period_gets_a_dutch_message(client, hr_a):
    client.force_login(hr_a)
    html = client.get(reverse("dashboard"), {"van": "01/06/2025"}).content.decode()
    assert "Geef zowel een begin- als een einddatum" in html
    html = client.get(reverse("dashboard"), {"van": "01/06/2025", "tot": "01/01/2025"}).content.decode()
    assert "De einddatum ligt vóór de begindatum." in html


def test_exports_say_the_figures(client, ago, entiteit_a, entiteit_b):
    world(entiteit_a, entiteit_b)
    client.force_login(ago)
    params = {"van": "01/01/2025", "tot": "31/12/2025"}
    csv_text = client.get(reverse("export", args=["csv"]), params).content.decode("utf-8-sig")
    assert "Trajecten per soort" in csv_text and "Actief in de periode;12;0;0;12;0" in csv_text
    wb = load_workbook(io.BytesIO(client.get(reverse("export", args=["xlsx"]), params).content))
    rows = list(wb["VO"].iter_rows(values_only=True))
    assert ("Actief in de periode", 12, 0, 0, 12, 0) in [r[:6] for r in rows]  # as wide as its widest table
    response = client.get(reverse("export", args=["pdf"]), {**params, "entiteit": entiteit_a.pk})
    text = pdf_text(response.content)
    assert "Entiteitsoverlegcomité" in text and entiteit_a.naam in text
    assert "Actief in de periode 6 0 0 6 0" in text
    assert "Pagina 1 van" not in text  # the cover carries no page number
    assert "Naam" + entiteit_a.code not in text  # no person is named


def test_yearly_reports_generated_stored_and_downloaded(
    client, ago, hr_a, coach_b, entiteit_a, entiteit_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world(entiteit_a, entiteit_b)
    client.force_login(ago)
    response = client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"})
    assert response.status_code == 302
    reports = Rapport.objects.all()
    assert reports.count() == 8 + 2 * 2 and set(reports.values_list("status", flat=True)) == {"klaar"}
    hoc = reports.get(soort="hoc_pdf")
    assert (tmp_path / hoc.bestand.name).exists()
    text = pdf_text(b"".join(client.get(reverse("rapport_download", args=[hoc.pk])).streaming_content))
    assert "Hoog Overlegcomité" in text and "Inhoud" in text and "Pagina 3 van" in text
    assert "Subtotaal" in text

    eoc_a = reports.get(soort="eoc_pdf", entiteit=entiteit_a)
    eoc_b = reports.get(soort="eoc_pdf", entiteit=entiteit_b)
    client.force_login(hr_a)
    html = client.get(reverse("rapporten")).content.decode()
    assert reverse("rapport_download", args=[eoc_a.pk]) in html
    assert reverse("rapport_download", args=[eoc_b.pk]) not in html
    assert reverse("rapport_download", args=[hoc.pk]) not in html
    assert client.get(reverse("rapport_download", args=[eoc_b.pk])).status_code == 404
    assert client.get(reverse("rapport_download", args=[hoc.pk])).status_code == 404
    client.force_login(coach_b)
    assert client.get(reverse("rapport_download", args=[eoc_a.pk])).status_code == 404


def test_hr_requests_only_own_entity(client, hr_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(hr_a)
    client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"})
    assert set(Rapport.objects.values_list("entiteit", flat=True)) == {hr_a.entiteit_id}
    response = client.post(reverse("rapporten_aanvragen"), {"jaar": "3000"})
    assert response.status_code == 400 and "Kies een jaar van 2000 tot en met" in response.content.decode()


def test_a_double_click_queues_each_report_once(client, hr_a, monkeypatch):
    """While a request waits for the worker, the same request (double click, or a colleague) adds nothing;
    once made, a report can be asked for again."""
    from rapportering import views

    monkeypatch.setattr(views.generate_reports, "delay", lambda ids: None)  # the worker has not run yet
    client.force_login(hr_a)
    for _ in range(2):
        assert client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"}).status_code == 302
        assert client.post(reverse("extract_aanvragen"), {"extract-jaar": "2025"}).status_code == 302
    assert Rapport.objects.count() == 4  # EOC PDF and XLSX, extract PDF and XLSX of the own entity
    Rapport.objects.update(status=Rapport.Status.KLAAR)
    client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"})
    assert Rapport.objects.count() == 6
    page = client.get(reverse("rapporten")).content.decode()
    assert page.count("data-once") == 2  # and the browser sends each form once


def test_coach_cannot_request_reports(client, coach_a):
    client.force_login(coach_a)
    assert client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"}).status_code == 404
    assert not Rapport.objects.exists()


def test_failed_report_is_marked_and_others_go_on(client, ago, entiteit_a, settings, tmp_path, monkeypatch):
    from rapportering import services

    settings.MEDIA_ROOT = tmp_path
    real = services.content_for

    def broken(r, *reports):
        if r.soort == "hoc_csv":
            raise RuntimeError("schijf vol")
        return real(r, *reports)

    monkeypatch.setattr(services, "content_for", broken)
    client.force_login(ago)
    client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"})
    failed = Rapport.objects.get(soort="hoc_csv")
    assert (failed.status, failed.fout) == ("mislukt", "schijf vol")
    assert Rapport.objects.filter(status="klaar").count() == Rapport.objects.count() - 1


def test_reports_page_query_count_is_pinned_and_flat(client, ago, entiteit_a, entiteit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ago)
    client.post(reverse("rapporten_aanvragen"), {"jaar": "2024"})  # 12 reports
    client.get(reverse("rapporten"))
    few = queries(client, reverse("rapporten"))
    client.post(reverse("rapporten_aanvragen"), {"jaar": "2025"})  # 24 reports
    client.get(reverse("rapporten"))
    assert queries(client, reverse("rapporten")) == few == 8


def test_first_view_of_a_year_computes_in_the_background(
    client, hr_a, entiteit_a, entiteit_b, monkeypatch, request
):
    """With a worker (not in-process), nobody waits for a year nobody asked for before: the page says the
    figures are being computed (queued once, however often it is viewed), then shows them."""
    from django.core.cache import cache

    from rapportering import views

    world(entiteit_a, entiteit_b, n=5)
    key = "rapportering:cijfers-in-wachtrij:2025"
    cache.delete(key)
    queued = []
    monkeypatch.setitem(views.refresh_year_figures.app.conf, "task_always_eager", False)
    monkeypatch.setattr(views.refresh_year_figures, "delay", queued.append)
    request.addfinalizer(lambda: cache.delete(key))  # the cache outlives the test
    client.force_login(hr_a)
    for _ in range(2):
        html = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
        assert "De cijfers van 2025 worden berekend" in html and 'http-equiv="refresh"' in html
        assert "Actief in de periode" not in html
    assert queued == [[2025]]
    refresh_year_figures([2025])  # what the queued task does (rapportering.tasks.refresh_year_figures)
    html = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    assert 'Actief in de periode</th><td class="num">5<' in html and "Cijfers berekend op" in html
    assert "worden berekend" not in html and 'http-equiv="refresh"' not in html


@pytest.fixture
def half_year(entiteit_a, request):
    """HR's half year of 2025 for entity A, its kept figures and queue mark removed before and after (the
    cache outlives a test)."""
    from django.core.cache import cache

    from rapportering.figures import Periode
    from rapportering.services import period_key, period_mark

    key = period_key(Periode(date(2025, 1, 1), date(2025, 6, 30)), entiteit_a.pk)

    def clear():
        cache.delete_many([key, period_mark(key)])

    clear()
    request.addfinalizer(clear)
    return {"van": "01/01/2025", "tot": "30/06/2025"}


def test_a_large_period_is_computed_in_the_background_and_kept(
    client, hr_a, entiteit_a, entiteit_b, monkeypatch, settings, half_year
):
    """A period that is not a calendar year, over more than REPORT_INLINE_UP_TO trajectories (a half year of
    the VO took 20 s at 1,000,000): the page says it is being computed (queued once, however often it is
    viewed), then shows the kept figures without computing or protecting anything in the request, and says
    how long they are kept."""
    from rapportering import disclosure, figures, views
    from rapportering.tasks import compute_period_figures

    world(entiteit_a, entiteit_b, n=5)
    settings.REPORT_INLINE_UP_TO = 4  # entity A has 5 trajectories: too many to compute in the request
    queued = []
    monkeypatch.setitem(views.compute_period_figures.app.conf, "task_always_eager", False)
    monkeypatch.setattr(views.compute_period_figures, "delay", lambda *args: queued.append(args))
    client.force_login(hr_a)
    for _ in range(2):
        html = client.get(reverse("dashboard"), half_year).content.decode()
        assert "De cijfers van 01/01/2025 – 30/06/2025 worden berekend" in html
        assert 'http-equiv="refresh"' in html and "Actief in de periode" not in html
    assert queued == [("2025-01-01", "2025-06-30", entiteit_a.pk)]
    compute_period_figures(*queued[0])  # what the worker does
    computed, solved = [], []
    build_many, run = figures.build_many, disclosure._Solver.run
    monkeypatch.setattr(figures, "build_many", lambda *a, **k: computed.append(1) or build_many(*a, **k))
    monkeypatch.setattr(disclosure._Solver, "run", lambda self: solved.append(1) or run(self))
    html = client.get(reverse("dashboard"), half_year).content.decode()
    assert 'Actief in de periode</th><td class="num">5<' in html
    assert "worden berekend" not in html and 'http-equiv="refresh"' not in html
    assert "ze worden 60 minuten bewaard" in html
    assert computed == solved == []  # read, not computed; the protections' answers were kept with them
    csv = client.get(reverse("export", args=["csv"]), half_year)
    assert csv.status_code == 200 and computed == []  # the download gives the figures the page shows


def test_a_small_period_is_computed_in_the_request(
    client, hr_a, entiteit_a, entiteit_b, monkeypatch, settings, half_year
):
    """Up to REPORT_INLINE_UP_TO trajectories (default 5,000: about half a second) nobody waits for a refresh:
    the period is computed in the request, and kept."""
    from rapportering import views

    world(entiteit_a, entiteit_b, n=5)
    settings.REPORT_INLINE_UP_TO = 5
    queued = []
    monkeypatch.setitem(views.compute_period_figures.app.conf, "task_always_eager", False)
    monkeypatch.setattr(views.compute_period_figures, "delay", lambda *args: queued.append(args))
    client.force_login(hr_a)
    html = client.get(reverse("dashboard"), half_year).content.decode()
    assert 'Actief in de periode</th><td class="num">5<' in html and "worden berekend" not in html
    assert queued == []
    assert queries(client, reverse("dashboard"), half_year) == 9  # kept: read, not computed again


def test_the_refresh_of_a_year_also_protects_the_stored_year_before(
    client, ago, entiteit_a, entiteit_b, monkeypatch
):
    """The dashboard of a year shows the stored year before for comparison: the worker's refresh solves that
    year's disclosure control too, so a visitor never waits for it (seconds at VO scale)."""
    from django.core.cache import cache

    from rapportering import disclosure

    world(entiteit_a, entiteit_b, n=8)
    refresh_year_figures([2024])
    cache.clear()  # e.g. another cache, or its entry expired: 2024's protection is not known any more
    refresh_year_figures([2025])
    solved = []
    real = disclosure._Solver.run
    monkeypatch.setattr(disclosure._Solver, "run", lambda self: solved.append(1) or real(self))
    client.force_login(ago)
    html = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    assert "2024" in html and solved == []  # the comparison is shown, nothing solved in the request


def test_an_emptied_cache_never_makes_a_dashboard_request_solve_the_protection(
    client, ago, entiteit_a, entiteit_b, monkeypatch
):
    """The VO-wide protection took 40 s at 1,000,000 trajectories in the first dashboard request of every
    web worker whose cache did not hold it (Redis emptied, a deploy): longer than a worker may take. The
    figures job stores its answers with the year's figures; a request reads them."""
    from django.core.cache import cache

    from rapportering import disclosure, views

    world(entiteit_a, entiteit_b, n=3)
    refresh_year_figures([2024, 2025])
    client.force_login(ago)
    solved = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    cache.clear()
    views._REPORTS.clear()  # a fresh web worker

    def no_solving(self):
        raise AssertionError("a dashboard request solved a protection")

    monkeypatch.setattr(disclosure._Solver, "run", no_solving)
    html = client.get(reverse("dashboard"), {"jaar": 2025}).content.decode()
    assert "Actieve trajecten per entiteit en beleidsdomein" in html
    assert html.count(disclosure.SECONDARY) == solved.count(disclosure.SECONDARY)
    assert html.count("&lt;5") == solved.count("&lt;5") > 0
    # "Download deze cijfers": the same stored figures, the same answers
    csv = client.get(reverse("export", args=["csv"]), {"jaar": 2025})
    assert csv.status_code == 200 and disclosure.SECONDARY in csv.content.decode("utf-8-sig")
