"""AgO downloads the yearly reports in a real browser; HR sees the dashboard of their entity."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.conftest import login
from tests.factories import PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(entiteit_a, entiteit_b):
    for i in range(6):
        for ent in (entiteit_a, entiteit_b):
            t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=ent), d0=date(2025, 3, 1 + i))
            m.Gesprek.objects.create(traject=t, datum=date(2025, 4, 1), vorm="bezoek", gevoerd_door="coach")


def test_ago_generates_and_downloads_hoc_and_eoc(page, ago, data, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(page, "ago")
    page.get_by_role("link", name="Rapporten").click()
    page.get_by_label("Jaar").fill("2025")
    # In the tests Celery runs in-process: the request makes all the year's reports before it answers,
    # which takes a while on a busy machine (in production a worker makes them, the page shows progress).
    page.get_by_role("button", name="Alle rapporten van dit jaar opmaken").click(timeout=120_000)
    page.get_by_text("rapporten voor 2025 worden opgemaakt").wait_for(timeout=120_000)
    screenshot(page, "20-rapporten")
    row = page.locator("tr", has_text="HOC-rapport (PDF)")
    with page.expect_download() as info:
        row.get_by_role("link", name="Downloaden").click()
    download = info.value
    assert download.suggested_filename == "reintegratie-hoc-VO-2025.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages)
    assert "Hoog" in text and "Actieve trajecten per entiteit" in text
    eoc_row = page.locator("tr", has_text="EOC-rapport (PDF)").filter(has_text="Departement A")
    with page.expect_download() as info:
        eoc_row.get_by_role("link", name="Downloaden").click()
    assert info.value.suggested_filename == "reintegratie-eoc-AAA-2025.pdf"


def test_hr_dashboard(page, hr_a, data, screenshot):
    login(page, "hr.a")
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Jaar", exact=True).fill("2025")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("heading", name="Trajecten per soort").wait_for()
    assert page.locator("svg.chart").count() >= 4
    # each chart is an image whose accessible name says what it shows, figure by figure (issue 16)
    chart = page.get_by_role("img", name="Staafdiagram. Aantal actieve trajecten in de periode, per soort.")
    assert chart.count() == 1
    assert "Informeel: 6; Formeel: 0; Preventief: 0; Entiteitsoverschrijdend: 0." in chart.get_attribute(
        "aria-label"
    )
    assert "Departement A" in page.content() and "Agentschap B" not in page.content()
    screenshot(page, "21-dashboard-hr")
