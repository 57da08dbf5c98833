"""AgO's intake of an entity-crossing trajectory, in the browser: from the coach's request to the target
entity's coach taking part."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_entity_crossing_through_ago(page, coach_a, coach_b, ago, entiteit_b, screenshot):
    today = timezone.localdate()
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=coach_a.entiteit, voornaam="Nora", achternaam="Hermans"),
        d0=today - timedelta(days=150),
        coach=coach_a,
    )
    GebruikerFactory(username="ago.2", rol="ago", entiteit=None, first_name="Ilse", last_name="Goossens")

    # the coach asks AgO, with a motivation
    login(page, "coach.a")
    page.goto(f"/trajecten/{t.pk}/")
    page.locator(".actions").get_by_role("link", name="Aanmelden bij AgO (entiteitsoverschrijdend)").click()
    page.get_by_label("Motivatie").fill("Geen aangepaste functie mogelijk binnen het departement")
    screenshot(page, "30-aanmelden-bij-ago")
    page.get_by_role("button", name="Aanmelden bij AgO").click()
    page.get_by_text("Het traject is aangemeld bij AgO.").wait_for()
    assert "Aangemeld bij AgO" in page.content()
    page.get_by_role("button", name="Afmelden").click()

    # the other entity's coach does not see it yet
    login(page, "coach.b")
    assert page.goto(f"/trajecten/{t.pk}/").status == 404
    page.goto("/trajecten/")
    page.get_by_role("button", name="Afmelden").click()

    # AgO: the queue, accept with a trajectbegeleider, then record the target entity
    login(page, "ago")
    page.get_by_role("link", name="Aanmeldingen bij AgO").click()
    page.get_by_role("link", name="Hermans Nora").click()
    page.get_by_role("heading", name="Aanvaarden").wait_for()
    screenshot(page, "31-ago-aanmelding")
    page.get_by_label("AgO-trajectbegeleider").select_option(label="Ilse Goossens")
    page.get_by_role("button", name="Aanvaarden").click()
    page.get_by_role("heading", name="Doelentiteit vastleggen").wait_for()
    page.get_by_role("combobox", name="Doelentiteit").select_option(label=str(entiteit_b))
    page.get_by_label("Gevonden op").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Doelentiteit opslaan").click()
    page.get_by_text("Opgeslagen.").wait_for()
    assert "Doelentiteit gevonden" in page.content()
    screenshot(page, "32-ago-doelentiteit")
    page.get_by_role("button", name="Afmelden").click()

    # from now on the target entity's coach takes part
    login(page, "coach.b")
    page.get_by_role("radio", name="Alle van de entiteit").check()
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("link", name="Hermans Nora").click()
    page.get_by_role("heading", name="Termijnen").wait_for()
    assert "Entiteitsoverschrijdend naar" in page.content() and "Ilse Goossens" in page.content()
    screenshot(page, "33-doelentiteit-coach")
    t.refresh_from_db()
    assert t.doel_entiteit == entiteit_b
    assert m.Aanmelding.objects.get().status == "doelentiteit_gevonden"
