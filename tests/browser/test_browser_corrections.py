"""A coach corrects a dossier in the browser: a conversation date that turns a met term into a missed one
and back, a removal with its reason, and a closed dossier reopened; screenshots of each step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.factories import GesprekFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m
from trajecten.evaluation import refresh_one

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def d(day):
    return day.strftime("%d/%m/%Y")


def milestone_row(page, label):
    return page.locator("table.milestones tr", has_text=label)


def test_coach_corrects_removes_and_reopens(page, coach_a, screenshot):
    today = timezone.localdate()
    d0 = today - timedelta(days=100)
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=coach_a.entiteit, voornaam="Sofie", achternaam="Claes"),
        d0=d0,
        coach=coach_a,
    )
    GesprekFactory(traject=t, datum=d0 + timedelta(days=20), uitkomst="Eerste gesprek over de taken")
    contact = GesprekFactory(traject=t, datum=d0 + timedelta(days=25), soort="contact", uitkomst="Kaartje")
    refresh_one(t.pk, today)

    login(page, "coach.a")
    page.get_by_role("link", name="Claes Sofie").click()
    page.get_by_role("heading", name="Termijnen").wait_for()
    conversation = "Gesprek over eerste stappen naar werk (2 maanden)"
    assert "voldaan" in milestone_row(page, conversation).inner_text()
    screenshot(page, "20-dossier-voor-correctie")

    # the conversation really took place after the 2-month term: correct its date
    page.get_by_role(
        "link",
        name=f"Wijzigen: Re-integratiegesprek (zijn stappen naar werk mogelijk?) {d(d0 + timedelta(days=20))}",
    ).click()
    page.get_by_role("heading", name="Contact of gesprek wijzigen").wait_for()
    assert page.get_by_label("Datum").input_value() == d(d0 + timedelta(days=20))  # pre-filled
    page.get_by_label("Datum").fill((d0 + timedelta(days=75)).strftime("%d-%m-%Y"))  # typed with dashes
    page.get_by_label("Reden van de wijziging").fill("Datum van het contact genomen i.p.v. het gesprek")
    screenshot(page, "21-gesprek-wijzigen")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Termijnen").wait_for()
    row = milestone_row(page, conversation).inner_text()
    assert "laattijdig" in row
    screenshot(page, "22-termijn-laattijdig")

    # and back: the term is met again
    page.get_by_role(
        "link",
        name=f"Wijzigen: Re-integratiegesprek (zijn stappen naar werk mogelijk?) {d(d0 + timedelta(days=75))}",
    ).click()
    page.get_by_label("Datum").fill(d(d0 + timedelta(days=20)))
    page.get_by_label("Reden van de wijziging").fill("Toch de eerste datum")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Termijnen").wait_for()
    assert "laattijdig" not in milestone_row(page, conversation).inner_text()

    # remove the contact registered by mistake, after a confirmation with a reason
    page.get_by_role("link", name=f"Verwijderen: Contact houden {d(contact.datum)}").click()
    page.get_by_role("heading", name=f"Contact houden van {d(contact.datum)} verwijderen").wait_for()
    screenshot(page, "23-verwijderen")
    page.get_by_label("Reden van de wijziging").fill("Dubbel geregistreerd")
    page.get_by_role("button", name="Verwijderen").click()
    page.get_by_role("heading", name="Termijnen").wait_for()
    assert not m.Gesprek.objects.filter(pk=contact.pk).exists()

    # close, then reopen
    page.locator(".actions").get_by_role("link", name="Afsluiten", exact=True).click()
    page.get_by_label("Afgesloten op").fill(d(today))
    page.get_by_role("combobox", name="Uitkomst").select_option("zelfde_functie")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("button", name="Ja, afsluiten").click()
    page.get_by_role("heading", name="Termijnen").wait_for()
    assert page.locator(".actions a").all_inner_texts() == ["Heropenen"]
    assert page.get_by_role("link", name="Wijzigen").count() == 0
    screenshot(page, "24-afgesloten")
    page.get_by_role("link", name="Heropenen").click()
    page.get_by_label("Reden van de wijziging").fill("Per vergissing afgesloten")
    page.get_by_role("button", name="Heropenen").click()
    page.get_by_role("heading", name="Termijnen").wait_for()
    assert "Het traject is heropend" in page.content()
    t.refresh_from_db()
    assert (t.status, t.uitkomst) == ("lopend", "")

    page.get_by_role("link", name="Historiek van dit dossier").click()
    page.get_by_role("heading", name="Historiek van het dossier").wait_for()
    html = page.content()
    for reason in ("Datum van het contact genomen", "Dubbel geregistreerd", "Per vergissing afgesloten"):
        assert reason in html
    screenshot(page, "25-historiek-met-redenen")
