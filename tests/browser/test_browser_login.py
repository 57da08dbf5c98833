"""Log-in, home and log-out in a real browser."""

import pytest

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_home_logout(page, coach_a, screenshot):
    page.goto("/")
    assert "/aanmelden/" in page.url  # anonymous users are sent to the log-in page
    screenshot(page, "00-aanmelden")
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    assert "Terugkeercoach" in page.content()
    screenshot(page, "01-start")
    page.get_by_role("button", name="Afmelden").click()
    page.get_by_role("heading", name="Aanmelden").wait_for()


def test_wrong_password_shows_dutch_message(page, coach_a):
    login(page, "coach.a", "fout-wachtwoord")
    assert page.get_by_role("alert").inner_text().startswith("Gebruikersnaam of wachtwoord is niet correct")
