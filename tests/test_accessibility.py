"""WCAG 2.1 A/AA checks (axe-core, in Chromium) on every main page, and the log-in lock-out."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trajecten import models as m
from trajecten.evaluation import refresh_summaries

from .conftest import login
from .factories import PASSWORD, PersoneelslidFactory, TrajectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page, what):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def test_main_pages_meet_wcag_21_aa(page, coach_a, hr_a):
    today = timezone.localdate()
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=coach_a.entiteit),
        d0=today - timedelta(days=80),
        coach=coach_a,
    )
    ins = m.Inschatting.objects.create(
        traject=t, datum=today - timedelta(days=20), uitkomst="stappen_mogelijk"
    )
    plan = m.Stappenplan.objects.create(traject=t, inschatting=ins, datum=today - timedelta(days=10))
    m.Maatregel.objects.create(stappenplan=plan, soort="werkplek", omschrijving="Scherm")
    g = m.Gesprek.objects.create(
        traject=t, datum=today - timedelta(days=30), vorm="telefoon", gevoerd_door="coach"
    )
    refresh_summaries(m.Traject.objects.all(), today)

    page.goto("/aanmelden/")
    assert_accessible(page, "aanmelden")
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    assert_accessible(page, "werklijst")
    pages = [
        ("nieuw traject", reverse("traject_nieuw")),
        ("dossier", reverse("dossier", args=[t.pk])),
        ("gesprek", reverse("actie", args=[t.pk, "gesprek"])),
        ("stappenplan", reverse("actie", args=[t.pk, "stappenplan"])),
        ("stappenplan wijzigen", reverse("wijzigen", args=[t.pk, "stappenplan", plan.pk])),
        ("gesprek verwijderen", reverse("verwijderen", args=[t.pk, "gesprek", g.pk])),
        ("gegevens wijzigen", reverse("actie", args=[t.pk, "gegevens"])),
        ("niet mogelijk", reverse("actie", args=[t.pk, "herval"])),
        ("historiek", reverse("historiek", args=[t.pk])),
        ("dashboard", reverse("dashboard") + f"?jaar={date.today().year}"),
        ("rapporten", reverse("rapporten")),
    ]
    for what, url in pages:
        page.goto(url)
        assert_accessible(page, what)
    # a form with errors
    page.goto(reverse("actie", args=[t.pk, "afsluiten"]))
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").first.wait_for()
    assert_accessible(page, "formulier met fouten")
    # the confirmation before closing
    page.get_by_label("Afgesloten op").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("combobox", name="Uitkomst").select_option("zelfde_functie")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Afsluiten bevestigen").wait_for()
    assert_accessible(page, "afsluiten bevestigen")


def test_lockout_after_repeated_failures_in_dutch(page, coach_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(page, "coach.a", "verkeerd-wachtwoord")
    assert "Aanmelden tijdelijk geblokkeerd" in page.content()
    login(page, "coach.a", PASSWORD)  # even the right password is refused while locked
    assert "Aanmelden tijdelijk geblokkeerd" in page.content()


def test_the_checker_itself_catches_violations(browser, db):
    """Guards the checks above: an unlabeled field and low contrast must be reported."""
    from axe_playwright_python.sync_playwright import Axe

    pg = browser.new_page()
    pg.set_content(
        '<html lang="nl"><title>x</title><main><input type="text"><p style="color:#ccc">grijs</p></main></html>'
    )
    results = Axe().run(pg, options=WCAG)
    rules = {v["id"] for v in results.response["violations"]}
    pg.close()
    assert {"label", "color-contrast"} <= rules
