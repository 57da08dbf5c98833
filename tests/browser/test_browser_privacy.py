"""In a real browser: the coach downloads a staff member's access request; AgO sees who read the dossier
(WCAG 2.1 AA, axe-core); the operator's status page."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from entiteiten.models import Gebruiker
from operations.models import JobBatch, JobRun
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import login
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def t(entiteit_a, coach_a):
    person = PersoneelslidFactory(entiteit=entiteit_a, voornaam="Griet", achternaam="Vandamme")
    return TrajectFactory(personeelslid=person, coach=coach_a, d0=date(2026, 1, 5))


def test_coach_downloads_the_access_request_and_ago_sees_who_read_the_dossier(page, t, ago, screenshot):
    login(page, "coach.a")
    page.goto(f"/trajecten/{t.pk}/")
    privacy = page.get_by_role("region", name="Privacy")
    assert privacy.get_by_role("link", name="Wie raadpleegde dit dossier").count() == 0
    with page.expect_download() as info:
        privacy.get_by_role("link", name="Inzageverzoek: alle gegevens over dit personeelslid (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith(f"inzageverzoek-{t.personeelslid_id}-")
    with open(download.path(), "rb") as fh:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert "Griet Vandamme" in text and "Inzage in uw gegevens" in text

    page.get_by_role("button", name="Afmelden").click()
    login(page, "ago")
    page.goto(f"/trajecten/{t.pk}/")
    page.get_by_role("link", name="Wie raadpleegde dit dossier").click()
    page.get_by_role("heading", name="Wie raadpleegde dit dossier").wait_for()
    rows = page.locator("tbody tr")
    assert rows.count() == 3  # the coach's visit and download, AgO's visit just now
    assert "Inzageverzoek (PDF) gedownload" in rows.nth(1).inner_text()
    assert "Dossier bekeken" in rows.nth(2).inner_text() and "Terugkeercoach" in rows.nth(2).inner_text()
    screenshot(page, "30-raadplegingen")
    assert_accessible(page, "raadplegingen")


def test_operator_status_page(page, settings, screenshot):
    settings.HEALTH_CHECK_CELERY = False
    GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    run = JobRun.objects.create(job="deadlines", status="ok", counts={"evaluated": 120, "raised": 3})
    JobRun.objects.create(
        job="retention", status="failed", error_count=1, errors=[{"message": "de taak brak af"}]
    )
    login(page, "beheerder")
    page.goto("/beheer/operations/jobrun/")
    page.get_by_role("heading", name="Laatste uitvoering per taak").wait_for()
    row = page.locator("tr", has_text="Bewaartermijn").first  # the summary table comes first
    assert "Mislukt" in row.inner_text() and "te laat" in row.inner_text()
    assert "evaluated: 120, raised: 3" in page.locator("tr", has_text="Termijnbewaking").first.inner_text()
    screenshot(page, "31-status-taken")

    # a run spread over the workers: its batches, one redone by another worker after the first died
    JobBatch.objects.bulk_create(
        [
            JobBatch(run=run, number=1, after=0, up_to=40, size=60, status="done", worker="w1@a", attempts=1),
            JobBatch(
                run=run, number=2, after=40, up_to=None, size=60, status="done", worker="w2@b", attempts=2
            ),
        ]
    )
    page.goto(f"/beheer/operations/jobrun/{run.pk}/change/")
    batches = page.locator("tr", has_text="w2@b")
    assert "Klaar" in batches.inner_text() and "2" in batches.inner_text()
    screenshot(page, "32-status-taken-delen")
    assert_accessible(page, "status-taken-delen")
