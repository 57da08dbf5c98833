import pytest

from entiteiten.models import Gebruiker

from .factories import EntiteitFactory, GebruikerFactory


@pytest.fixture
def entiteit_a(db):
    return EntiteitFactory(code="AAA", naam="Departement A")


@pytest.fixture
def entiteit_b(db):
    return EntiteitFactory(code="BBB", naam="Agentschap B")


@pytest.fixture
def coach_a(entiteit_a):
    return GebruikerFactory(username="coach.a", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=entiteit_a)


@pytest.fixture
def coach_b(entiteit_b):
    return GebruikerFactory(username="coach.b", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=entiteit_b)


@pytest.fixture
def hr_a(entiteit_a):
    return GebruikerFactory(username="hr.a", rol=Gebruiker.Rol.HR, entiteit=entiteit_a)


@pytest.fixture
def ago(db):
    return GebruikerFactory(username="ago", rol=Gebruiker.Rol.AGO, entiteit=None)


# --- Browser tests: Playwright driving Debian's Chromium (headless) -----------------------------------
import os  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Debian's Chromium is required for the browser tests: apt-get install chromium")


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still
    # plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="nl-BE", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def login(page, username, password=None):
    from .factories import PASSWORD

    page.goto("/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password or PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()


# --- Single sign-on: a real OpenID Connect provider (node-oidc-provider, tests/oidc_provider/) ---------
import json  # noqa: E402
import subprocess  # noqa: E402
import urllib.request  # noqa: E402
from dataclasses import dataclass  # noqa: E402

OIDC_DIR = Path(__file__).resolve().parent / "oidc_provider"
OIDC_CLIENT_ID = "reintegratie-test"
OIDC_CLIENT_SECRET = "test-client-secret-" + "s" * 24
SSO_PASSWORD = "sso-wachtwoord-2024"
# Test accounts at the provider: login → claims. Role and entity travel in the platform's own claim names
# ("rollen_reintegratie", "ovo_code"), which the tool is configured to read (OIDC_CLAIM_ROLE/_ENTITY).
SSO_ACCOUNTS = {
    "coach.sso": {
        "given_name": "Sofie",
        "family_name": "Claes",
        "email": "sofie.claes@example.be",
        "preferred_username": "sofie.claes",
        "rollen_reintegratie": ["Medewerker", "ReintegratieCoach"],
        "ovo_code": "aaa",
    },
    "hr.sso": {
        "given_name": "Hanne",
        "family_name": "Roels",
        "email": "hanne.roels@example.be",
        "rollen_reintegratie": "ReintegratieHR",
        "ovo_code": "AAA",
    },
    "ago.sso": {
        "given_name": "Arne",
        "family_name": "Goossens",
        "email": "arne.goossens@example.be",
        "rollen_reintegratie": ["ReintegratieAgO"],
    },
    "boekhouder.sso": {  # a role the tool does not know
        "given_name": "Bert",
        "family_name": "Hendrickx",
        "email": "bert.hendrickx@example.be",
        "rollen_reintegratie": ["Boekhouding"],
        "ovo_code": "AAA",
    },
    "nieuw.sso": {  # an entity code the tool does not know
        "given_name": "Nele",
        "family_name": "Wouters",
        "email": "nele.wouters@example.be",
        "rollen_reintegratie": ["ReintegratieCoach"],
        "ovo_code": "ZZZ",
    },
}
SSO_ROLE_MAP = {"ReintegratieCoach": "terugkeercoach", "ReintegratieHR": "hr", "ReintegratieAgO": "ago"}


@dataclass
class OidcProvider:
    issuer: str
    discovery: dict


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider, on a free port, with this worker's live server registered as its one client."""
    node = shutil.which("node")
    if node is None or not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            "The single sign-on tests need Node.js and `make install` (npm ci in tests/oidc_provider)"
        )
    work = tmp_path_factory.mktemp("oidc")
    accounts = work / "accounts.json"
    accounts.write_text(
        json.dumps({login: {"password": SSO_PASSWORD, "claims": c} for login, c in SSO_ACCOUNTS.items()})
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PORT": "0",
        "CLIENT_ID": OIDC_CLIENT_ID,
        "CLIENT_SECRET": OIDC_CLIENT_SECRET,
        "REDIRECT_URI": f"{live_server.url}/aanmelden/oidc/callback/",
        "POST_LOGOUT_REDIRECT_URI": f"{live_server.url}/aanmelden/",
        "ACCOUNTS": str(accounts),
        "CUSTOM_SCOPE": "reintegratie",
        "CUSTOM_CLAIMS": "rollen_reintegratie,ovo_code",
    }
    log = (work / "provider.log").open("w")
    proc = subprocess.Popen(  # noqa: S603 - our own script
        [node, "provider.mjs"], cwd=OIDC_DIR, env=env, stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(
                f"OpenID Connect provider did not start: {(work / 'provider.log').read_text()}"
            )
        issuer = json.loads(line)["issuer"]
        with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=10) as r:  # noqa: S310
            discovery = json.load(r)
        yield OidcProvider(issuer=issuer, discovery=discovery)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def configure_sso(settings, discovery):
    """Single sign-on switched on, configured as README says."""
    settings.OIDC_RP_CLIENT_ID = OIDC_CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = OIDC_CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_OP_LOGOUT_ENDPOINT = discovery["end_session_endpoint"]
    settings.OIDC_RP_SCOPES = "openid email profile reintegratie"
    settings.OIDC_CLAIM_ROLE = "rollen_reintegratie"
    settings.OIDC_CLAIM_ENTITY = "ovo_code"
    settings.OIDC_ROLE_MAP = SSO_ROLE_MAP


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on switched on against the test provider."""
    configure_sso(settings, oidc_provider.discovery)
    return oidc_provider


@pytest.fixture
def sso_unreachable(settings):
    """Single sign-on switched on, with a provider that does not answer (a closed local port)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{s.getsockname()[1]}"
    configure_sso(
        settings,
        {
            "authorization_endpoint": f"{base}/auth",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/me",
            "jwks_uri": f"{base}/jwks",
            "end_session_endpoint": f"{base}/session/end",
        },
    )


def sso_login(page, login_name, password=SSO_PASSWORD):
    """From the tool's log-in page through the provider's form; returns where the browser lands."""
    page.goto("/aanmelden/")
    page.get_by_role("link", name="Verder naar het aanmeldplatform").click()
    page.get_by_role("heading", name="Aanmelden bij de testprovider").wait_for()
    page.get_by_label("Gebruikersnaam").fill(login_name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
