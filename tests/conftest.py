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
