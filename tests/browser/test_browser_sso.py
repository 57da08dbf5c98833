"""Single sign-on in a real browser against a real OpenID Connect provider (tests/oidc_provider)."""

import pytest
from axes.models import AccessAttempt

from entiteiten.models import Gebruiker
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import sso_login
from tests.factories import GebruikerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_applies_role_and_entity_and_logout_ends_both_sessions(page, sso, entiteit_a, screenshot):
    page.goto("/")
    assert "/aanmelden/" in page.url
    screenshot(page, "sso-00-aanmelden")
    assert_accessible(page, "aanmelden met single sign-on")
    sso_login(page, "coach.sso")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    assert "Sofie Claes – Terugkeercoach (AAA)" in page.locator(".user").inner_text()

    user = Gebruiker.objects.get(oidc_sub="coach.sso")
    assert (user.username, user.rol, user.entiteit, user.email) == (
        "sofie.claes",
        Gebruiker.Rol.TERUGKEERCOACH,
        entiteit_a,
        "sofie.claes@example.be",
    )
    assert not user.has_usable_password() and not user.is_staff

    page.get_by_role("button", name="Afmelden").click()
    page.get_by_role("heading", name="Afmelden bij de testprovider").wait_for()  # the provider's own page
    page.get_by_role("button", name="Ja, afmelden").click()
    page.get_by_role("heading", name="Aanmelden", exact=True).wait_for()  # back at the tool
    page.goto("/")
    assert "/aanmelden/" in page.url  # the local session is over
    page.get_by_role("link", name="Verder naar het aanmeldplatform").click()
    page.get_by_role("heading", name="Aanmelden bij de testprovider").wait_for()  # so is the provider's


@pytest.mark.parametrize(
    "login_name,shown,rol,entity",
    [
        ("hr.sso", "Hanne Roels – HR-businesspartner (AAA)", Gebruiker.Rol.HR, "AAA"),
        ("ago.sso", "Arne Goossens – AgO", Gebruiker.Rol.AGO, None),
    ],
)
def test_other_roles(page, sso, entiteit_a, login_name, shown, rol, entity):
    sso_login(page, login_name)
    page.get_by_role("heading", name="Trajecten", exact=True).wait_for()
    assert shown in page.locator(".user").inner_text()
    user = Gebruiker.objects.get(oidc_sub=login_name)
    assert (user.rol, user.entiteit and user.entiteit.code) == (rol, entity)


def test_account_is_updated_at_the_next_login(page, sso, entiteit_a, entiteit_b):
    existing = GebruikerFactory(
        username="hr.oud", oidc_sub="hr.sso", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=entiteit_b, email=""
    )
    sso_login(page, "hr.sso")
    page.get_by_role("heading", name="Trajecten", exact=True).wait_for()
    existing.refresh_from_db()
    assert (existing.username, existing.rol, existing.entiteit, existing.email, existing.last_name) == (
        "hr.oud",
        Gebruiker.Rol.HR,
        entiteit_a,
        "hanne.roels@example.be",
        "Roels",
    )
    assert Gebruiker.objects.filter(oidc_sub="hr.sso").count() == 1


def test_unknown_role_is_refused_and_leaves_nobody_with_access(page, sso, entiteit_a, screenshot):
    # Someone who had access before: the platform no longer gives a role of the tool.
    earlier = GebruikerFactory(username="bert", oidc_sub="boekhouder.sso", entiteit=entiteit_a)
    sso_login(page, "boekhouder.sso")
    page.get_by_role("heading", name="Geen toegang tot de re-integratietool").wait_for()
    assert "geen rol in de re-integratietool" in page.get_by_role("alert").inner_text()
    screenshot(page, "sso-01-geweigerd")
    assert_accessible(page, "geen toegang")
    earlier.refresh_from_db()
    assert not earlier.is_active
    assert not AccessAttempt.objects.exists()  # a refusal is not a failed password (django-axes)

    # The platform's session (still open: the platform did log the person in) ends from the refusal page.
    page.get_by_role("link", name="Afmelden bij het aanmeldplatform").click()
    page.get_by_role("button", name="Ja, afmelden").click()
    page.get_by_role("heading", name="Aanmelden", exact=True).wait_for()
    page.goto("/")
    assert "/aanmelden/" in page.url
    page.get_by_role("link", name="Verder naar het aanmeldplatform").click()
    page.get_by_role("heading", name="Aanmelden bij de testprovider").wait_for()


def test_new_user_with_unknown_role_gets_no_account(page, sso, entiteit_a):
    sso_login(page, "boekhouder.sso")
    page.get_by_role("heading", name="Geen toegang tot de re-integratietool").wait_for()
    assert not Gebruiker.objects.filter(oidc_sub="boekhouder.sso").exists()


def test_entity_code_that_does_not_exist_is_refused(page, sso, entiteit_a):
    sso_login(page, "nieuw.sso")
    page.get_by_role("heading", name="Geen toegang tot de re-integratietool").wait_for()
    assert "De entiteit „ZZZ”" in page.get_by_role("alert").inner_text()
    assert not Gebruiker.objects.filter(oidc_sub="nieuw.sso").exists()
    page.goto("/")
    assert "/aanmelden/" in page.url


def test_local_accounts_remain_beside_single_sign_on(page, sso, coach_a):
    from tests.conftest import login

    page.goto("/aanmelden/")
    assert page.get_by_role("link", name="Verder naar het aanmeldplatform").is_visible()
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    page.get_by_role("button", name="Afmelden").click()  # no provider session: straight back to the tool
    page.get_by_role("heading", name="Aanmelden", exact=True).wait_for()
