"""The informal journey of the staff web page's 8 steps, registered by a coach in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import login
from trajecten import models as m

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def d(day):
    return day.strftime("%d/%m/%Y")


def submit(page, button="Opslaan"):
    page.get_by_role("button", name=button).click()
    page.get_by_role("heading", name="Termijnen").wait_for()


def action(page, name):
    """A button of the dossier's actions (the deadlines table has its own "Registreren" links)."""
    page.locator(".actions").get_by_role("link", name=name, exact=True).click()


def test_coach_registers_whole_informal_journey(page, coach_a, coach_b, screenshot):
    today = timezone.localdate()
    d0 = today - timedelta(days=60)
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    screenshot(page, "10-werklijst-leeg")

    page.get_by_role("link", name="Nieuw traject").first.click()
    page.get_by_label("Personeelsnummer").fill("P777001")
    page.get_by_label("Voornaam").fill("Sofie")
    page.get_by_label("Achternaam").fill("Claes")
    page.get_by_label("Statuut").select_option("statutair")
    page.get_by_label("Functie").fill("Projectleider")
    page.get_by_label("Soort traject").select_option("informeel")
    page.get_by_label("Start arbeidsongeschiktheid (D0)").fill(d(d0))
    page.get_by_label("Leidinggevende").fill("Pieter Jacobs")
    screenshot(page, "11-nieuw-traject")
    submit(page)
    assert "Het traject is geregistreerd." in page.content()
    dossier_url = page.url

    # first conversation (steps 3-4): contact by the coach
    action(page, "Contact of gesprek")
    page.get_by_label("Datum").fill(d(d0 + timedelta(days=30)))
    page.get_by_label("Soort").select_option("gesprek")
    page.get_by_label("Vorm").select_option("bezoek")
    page.get_by_label("Gevoerd door").select_option("coach")
    assert "Geen medische gegevens" in page.content()  # the warning next to the free text
    page.get_by_label("Uitkomst").fill("Bespreking van takenpakket en werkuren")
    submit(page)

    # assessment: steps are possible
    action(page, "Inschatting")
    page.get_by_label("Datum").fill(d(d0 + timedelta(days=30)))
    page.get_by_label("Uitkomst").select_option("stappen_mogelijk")
    submit(page)

    # welzijnsactor (step 5-6) and stappenplan with measures
    action(page, "Welzijnsactor")
    page.get_by_label("Welzijnsactor").select_option("arbeidsarts")
    page.get_by_label("Betrokken vanaf").fill(d(d0 + timedelta(days=32)))
    page.get_by_label("Toestemming van het personeelslid op").fill(d(d0 + timedelta(days=32)))
    submit(page)

    action(page, "Stappenplan")
    page.get_by_label("Datum van het stappenplan").fill(d(d0 + timedelta(days=40)))
    page.get_by_label("Afspraken").fill("Progressieve hervatting, eerst halftijds")
    page.locator("#id_maatregel-0-soort").select_option("progressief")
    page.locator("#id_maatregel-0-omschrijving").fill("Halftijds gedurende vier weken")
    page.locator("#id_maatregel-1-soort").select_option("aangepaste_taken")
    screenshot(page, "12-stappenplan")
    submit(page)

    # step 8: return to work, then the follow-up evaluation
    action(page, "Werkhervatting")
    page.get_by_label("Werkhervatting op").fill(d(d0 + timedelta(days=50)))
    page.get_by_label("Vorm van werkhervatting").select_option("progressief")
    submit(page)

    action(page, "Evaluatie")
    page.get_by_label("Datum").fill(d(d0 + timedelta(days=58)))
    page.get_by_label("Gevoerd door").select_option("leidinggevende")
    page.get_by_label("Afspraken bijgestuurd").check()
    submit(page)
    screenshot(page, "13-dossier")

    # closing without outcome is refused, then with outcome
    action(page, "Afsluiten")
    page.get_by_label("Afgesloten op").fill(d(today))
    page.get_by_role("button", name="Opslaan").click()
    assert "Een traject afsluiten vraagt een uitkomst." in page.content()
    screenshot(page, "14-afsluiten-fout")
    page.get_by_role("combobox", name="Uitkomst").select_option("zelfde_functie")
    page.get_by_role("button", name="Opslaan").click()
    # a confirmation that shows the outcome chosen
    page.get_by_role("heading", name="Afsluiten bevestigen").wait_for()
    assert "Terugkeer in dezelfde functie" in page.content()
    screenshot(page, "14b-afsluiten-bevestigen")
    submit(page, "Ja, afsluiten")
    assert "Het traject is afgesloten." in page.content()

    t = m.Traject.objects.get()
    assert (t.status, t.uitkomst, t.werkhervatting_vorm) == ("afgesloten", "zelfde_functie", "progressief")
    assert t.stappenplan_set.get().maatregelen.count() == 2
    assert t.evaluatie_set.count() == 1 and t.betrokkenheid_set.count() == 1

    page.get_by_role("link", name="Historiek van dit dossier").click()
    page.get_by_role("heading", name="Historiek van het dossier").wait_for()
    screenshot(page, "15-historiek")

    # a coach of another entity cannot reach it by URL
    page.get_by_role("button", name="Afmelden").click()
    login(page, "coach.b")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    response = page.goto(dossier_url)
    assert response.status == 404


def test_worklist_keyboard_and_filters(page, coach_a, screenshot):
    from tests.factories import PersoneelslidFactory, TrajectFactory
    from trajecten.evaluation import refresh_summaries

    today = timezone.localdate()
    for days in (5, 70, 130):
        TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=coach_a.entiteit),
            d0=today - timedelta(days=days),
            coach=coach_a,
        )
    refresh_summaries(m.Traject.objects.all(), today)
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    assert page.locator("tbody tr").count() == 3
    page.get_by_label("Alleen met overschreden termijn").check()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_text("2 trajecten").wait_for()
    screenshot(page, "16-werklijst-te-laat")
    # the skip link is the first focusable element
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
