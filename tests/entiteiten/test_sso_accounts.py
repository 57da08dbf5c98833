"""Single sign-on without a browser: accounts made and updated from claims, refusals, sessions, settings.

The full flow against the real provider is in test_browser_sso.py.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.checks import Error

from entiteiten.models import Gebruiker
from entiteiten.oidc import apply_claims, check_oidc_settings
from entiteiten.sso import GEBLOKKEERD, GEEN_ROL, ONBEKENDE_ENTITEIT
from tests.factories import PASSWORD, EntiteitFactory, GebruikerFactory

pytestmark = pytest.mark.django_db


def claims(sub="sub-1", rollen="ReintegratieCoach", ovo_code="AAA", **kw):
    return {"sub": sub, "rollen_reintegratie": rollen, "ovo_code": ovo_code, **kw}


# --- single sign-on off: everything as before ------------------------------------------------------


def test_without_oidc_settings_only_local_accounts(client, coach_a):
    page = client.get("/aanmelden/").content.decode()
    assert "aanmeldplatform" not in page
    assert client.get("/aanmelden/oidc/").status_code == 404
    assert client.get("/aanmelden/oidc/callback/?code=a&state=b").status_code == 404
    assert check_oidc_settings() == []
    response = client.post("/aanmelden/", {"username": "coach.a", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/trajecten/").status_code == 200


# --- accounts from claims ---------------------------------------------------------------------------


def test_first_login_makes_an_account_without_password(sso_unreachable, entiteit_a):
    user, decision = apply_claims(
        claims(preferred_username="an.peeters", given_name="An", family_name="Peeters", email="an@example.be")
    )
    assert decision.allowed
    user.refresh_from_db()
    assert (user.username, user.oidc_sub, user.rol, user.entiteit, user.get_full_name(), user.email) == (
        "an.peeters",
        "sub-1",
        Gebruiker.Rol.TERUGKEERCOACH,
        entiteit_a,
        "An Peeters",
        "an@example.be",
    )
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser


def test_login_updates_role_and_entity_of_the_same_subject(sso_unreachable, entiteit_a, entiteit_b):
    first, _ = apply_claims(claims(email="a@example.be"))
    second, _ = apply_claims(claims(rollen="ReintegratieHR", ovo_code="BBB", email="b@example.be"))
    assert second.pk == first.pk
    second.refresh_from_db()
    assert (second.rol, second.entiteit, second.email) == (Gebruiker.Rol.HR, entiteit_b, "b@example.be")
    assert Gebruiker.objects.filter(oidc_sub="sub-1").count() == 1


def test_local_accounts_are_never_taken_over(sso_unreachable, entiteit_a):
    operator = GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True
    )
    user, _ = apply_claims(claims(preferred_username="beheerder"))
    assert user.pk != operator.pk and user.username == "beheerder-2" and not user.is_staff
    operator.refresh_from_db()
    assert operator.has_usable_password() and operator.oidc_sub is None


def test_refusal_deactivates_an_existing_account_and_makes_none(sso_unreachable, entiteit_a):
    user, _ = apply_claims(claims())
    refused, decision = apply_claims(claims(rollen=["Boekhouding"]))
    assert refused is None and decision.refusal == GEEN_ROL
    user.refresh_from_db()
    assert not user.is_active
    # Deactivated stays deactivated: the operator decides when access comes back.
    again, decision = apply_claims(claims())
    assert again is None and decision.refusal == GEBLOKKEERD
    assert not Gebruiker.objects.get(pk=user.pk).is_active

    assert apply_claims(claims(sub="sub-2", rollen=["Boekhouding"]))[0] is None
    assert not Gebruiker.objects.filter(oidc_sub="sub-2").exists()


def test_inactive_entity_counts_as_unknown(sso_unreachable):
    EntiteitFactory(code="OUD", actief=False)
    user, decision = apply_claims(claims(ovo_code="OUD"))
    assert user is None and decision.refusal == ONBEKENDE_ENTITEIT


def test_deactivated_account_loses_its_open_session(client, sso_unreachable, entiteit_a):
    user, _ = apply_claims(claims())
    client.force_login(user, backend="entiteiten.oidc.OIDCBackend")
    assert client.get("/trajecten/").status_code == 200
    Gebruiker.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/trajecten/")
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")


# --- the flow's edges, with a provider that does not answer -----------------------------------------


def _start(client, next_url="/rapportering/dashboard/"):
    response = client.get(f"/aanmelden/oidc/?next={next_url}")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    return url, {k: v[0] for k, v in parse_qs(url.query).items()}


def test_login_page_offers_both_and_the_request_is_a_pkce_code_flow(client, sso_unreachable):
    page = client.get("/aanmelden/?next=/trajecten/").content.decode()
    assert 'href="/aanmelden/oidc/?next=/trajecten/"' in page and 'name="password"' in page
    url, params = _start(client)
    assert url.path == "/auth"
    assert params["response_type"] == "code" and params["client_id"] == "reintegratie-test"
    assert params["redirect_uri"] == "http://testserver/aanmelden/oidc/callback/"
    assert params["code_challenge_method"] == "S256" and params["nonce"] and params["state"]
    assert params["scope"] == "openid email profile reintegratie"


@pytest.mark.parametrize(
    "query",
    [
        "code=abc&state={state}",  # the provider's token endpoint does not answer
        "error=access_denied&state={state}",  # the person cancelled at the provider
        "code=abc&state=not-ours",  # a state this session never sent
    ],
)
def test_failed_flow_is_a_dutch_page_and_no_session(client, sso_unreachable, coach_a, query):
    _, params = _start(client)
    response = client.get("/aanmelden/oidc/callback/?" + query.format(state=params["state"]))
    assert response.status_code == 400
    assert "Aanmelden is niet gelukt" in response.content.decode()
    assert client.get("/trajecten/").status_code == 302


def test_local_lockout_still_works_with_single_sign_on(client, sso_unreachable, coach_a):
    for _ in range(5):
        client.post("/aanmelden/", {"username": "coach.a", "password": "fout"})
    response = client.post("/aanmelden/", {"username": "coach.a", "password": PASSWORD})
    assert "Aanmelden tijdelijk geblokkeerd" in response.content.decode()
    assert client.get("/trajecten/").status_code == 302


# --- log-out ----------------------------------------------------------------------------------------


def test_logout_after_single_sign_on_ends_the_provider_session_too(client, sso_unreachable, coach_a):
    client.force_login(coach_a, backend="entiteiten.oidc.OIDCBackend")
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()
    response = client.post("/afmelden/")
    page = response.content.decode()
    # a page that forwards at once (not a redirect: CSP form-action 'self' would block that one)
    assert response.status_code == 200 and "U bent afgemeld" in page
    href = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', page).group(1)
    assert f'<a class="btn" href="{href}">' in page
    url = urlsplit(html.unescape(href))
    assert url.path == "/session/end"
    assert parse_qs(url.query) == {
        "id_token_hint": ["the.id.token"],
        "client_id": ["reintegratie-test"],
        "post_logout_redirect_uri": ["http://testserver/aanmelden/"],
    }
    assert client.get("/trajecten/").status_code == 302  # the local session is over


def test_logout_of_a_local_account_stays_local(client, sso_unreachable, coach_a):
    client.force_login(coach_a)
    response = client.post("/afmelden/")
    assert response["Location"] == "/aanmelden/"


# --- configuration ----------------------------------------------------------------------------------


def test_configuration_check(settings, sso_unreachable):
    assert check_oidc_settings() == []
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    settings.OIDC_ROLE_MAP = {"Beheer": "beheerder"}
    errors = check_oidc_settings()
    assert all(isinstance(e, Error) for e in errors)
    assert [e.id for e in errors] == ["sso.E001", "sso.E002", "sso.E003"]
    assert "OIDC_OP_TOKEN_ENDPOINT" in errors[0].msg


def test_local_login_does_not_depend_on_the_platform_settings(client, settings, sso_unreachable, coach_a):
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    del settings.OIDC_OP_USER_ENDPOINT  # mozilla-django-oidc would raise ImproperlyConfigured
    response = client.post("/aanmelden/", {"username": "coach.a", "password": "fout"})
    assert response.status_code == 200 and "niet correct" in response.content.decode()
    assert client.post("/aanmelden/", {"username": "coach.a", "password": PASSWORD}).status_code == 302
