"""Every main page in a real browser: WCAG 2.1 A/AA (axe-core) at a desktop and a phone width, with a
screenshot of each; reflow at 320 CSS px without scrolling sideways (WCAG 1.4.10); the phone layout (folded
filters, one card per worklist row); and the log-in lock-out."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from entiteiten.models import Gebruiker
from tests.conftest import login
from tests.factories import (
    PASSWORD,
    AanmeldingFactory,
    GebruikerFactory,
    GesprekFactory,
    InschattingFactory,
    MaatregelFactory,
    PersoneelslidFactory,
    RapportFactory,
    StappenplanFactory,
    TrajectFactory,
)
from trajecten import models as m
from trajecten.evaluation import refresh_summaries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
DESKTOP, PHONE, NARROWEST = 1366, 390, 320  # README: pages are tested at these widths


def assert_accessible(page, what):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


@dataclass
class MainPage:
    name: str
    user: str | None  # who looks at it (None: not logged in)
    open: Callable  # page -> None: goes there and waits until it is shown


def goto(url, heading=None):
    def open_(page):
        page.goto(url)
        if heading:
            page.get_by_role("heading", name=heading, exact=True).wait_for()

    return open_


def form_with_errors(url):
    def open_(page):
        page.goto(url)
        page.locator("main").get_by_role("button", name="Opslaan").click()
        page.get_by_role("alert").first.wait_for()

    return open_


def confirmation(url, today):
    def open_(page):
        page.goto(url)
        page.get_by_label("Afgesloten op").fill(today.strftime("%d/%m/%Y"))
        page.get_by_role("combobox", name="Uitkomst").select_option("zelfde_functie")
        page.locator("main").get_by_role("button", name="Opslaan").click()
        page.get_by_role("heading", name="Afsluiten bevestigen").wait_for()

    return open_


@pytest.fixture
def main_pages(coach_a, hr_a, ago, entiteit_b, settings, tmp_path):
    """The pages a coach, AgO and the operator use, on a dossier with some history."""
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=coach_a.entiteit, voornaam="Emma", achternaam="Cools"),
        d0=today - timedelta(days=80),
        coach=coach_a,
    )
    ins = InschattingFactory(traject=t, datum=today - timedelta(days=20))
    plan = StappenplanFactory(traject=t, inschatting=ins, datum=today - timedelta(days=10))
    MaatregelFactory(stappenplan=plan, soort=m.Maatregel.Soort.WERKPLEK, omschrijving="Scherm")
    g = GesprekFactory(traject=t, datum=today - timedelta(days=30))
    for entiteit in (coach_a.entiteit, entiteit_b):  # the VO dashboard's table per entity
        for i in range(3):
            TrajectFactory(
                personeelslid=PersoneelslidFactory(entiteit=entiteit), d0=today - timedelta(days=40 + i)
            )
    refresh_summaries(m.Traject.objects.all(), today)
    RapportFactory(jaar=today.year - 1)
    RapportFactory(jaar=today.year - 1, soort="extract_pdf", entiteit=hr_a.entiteit)  # HR's own extract
    aanmelding = AanmeldingFactory(traject=t, aangemeld_op=today - timedelta(days=5), aangemeld_door=coach_a)
    # absence data: someone absent without a trajectory (the worklist's block), an import with refused lines
    m.Afwezigheid.objects.create(
        entiteit=coach_a.entiteit, personeelsnummer="P990001", eerste_dag=today - timedelta(days=40)
    )
    imp = m.AfwezigheidImport.objects.create(
        bestandsnaam="afwezigheden.csv",
        status="geweigerd",
        fouten=[[3, "eerste_dag", "Geen datum: gebruik JJJJ-MM-DD of dd/mm/jjjj."]],
    )
    GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    dossier = reverse("dossier", args=[t.pk])
    return [
        MainPage("aanmelden", None, goto("/aanmelden/", "Aanmelden")),
        MainPage("werklijst", "coach.a", goto(reverse("worklist"), "Mijn trajecten")),
        MainPage("nieuw-traject", "coach.a", goto(reverse("traject_nieuw"))),
        MainPage("dossier", "coach.a", goto(dossier, "Termijnen")),
        MainPage("gesprek", "coach.a", goto(reverse("actie", args=[t.pk, "gesprek"]))),
        MainPage("stappenplan", "coach.a", goto(reverse("actie", args=[t.pk, "stappenplan"]))),
        MainPage(
            "stappenplan-wijzigen", "coach.a", goto(reverse("wijzigen", args=[t.pk, "stappenplan", plan.pk]))
        ),
        MainPage(
            "gesprek-verwijderen", "coach.a", goto(reverse("verwijderen", args=[t.pk, "gesprek", g.pk]))
        ),
        MainPage("gegevens-wijzigen", "coach.a", goto(reverse("actie", args=[t.pk, "gegevens"]))),
        MainPage("niet-mogelijk", "coach.a", goto(reverse("actie", args=[t.pk, "herval"]))),
        MainPage(
            "formulier-met-fouten", "coach.a", form_with_errors(reverse("actie", args=[t.pk, "afsluiten"]))
        ),
        MainPage(
            "afsluiten-bevestigen", "coach.a", confirmation(reverse("actie", args=[t.pk, "afsluiten"]), today)
        ),
        MainPage("historiek", "coach.a", goto(reverse("historiek", args=[t.pk]))),
        MainPage(
            "dashboard", "coach.a", goto(reverse("dashboard") + f"?jaar={today.year}", "Trajecten per soort")
        ),
        MainPage("pagina-niet-gevonden", "coach.a", goto("/bestaat-niet/", "Pagina niet gevonden")),
        MainPage(
            "dashboard-vo", "ago", goto(reverse("dashboard") + f"?jaar={today.year}", "Trajecten per soort")
        ),
        MainPage("rapporten", "ago", goto(reverse("rapporten"), "Jaarlijkse rapporten")),
        MainPage(
            "rapporten-hr",
            "hr.a",
            goto(reverse("rapporten"), "Geanonimiseerd extract voor de preventieadviseur-arbeidsarts"),
        ),
        MainPage("aanmeldingen", "ago", goto(reverse("aanmeldingen"))),
        MainPage("aanmelding", "ago", goto(reverse("aanmelding", args=[aanmelding.pk]), "Aanvaarden")),
        MainPage(
            "afwezigheden", "ago", goto(reverse("afwezigheden"), "Afwezigheden uit het personeelssysteem")
        ),
        MainPage(
            "afwezigheden-import",
            "ago",
            goto(reverse("afwezigheden_import", args=[imp.pk])),
        ),
        MainPage(
            "afwezig-zonder-traject", "ago", goto(reverse("afwezig_zonder_traject"), "Afwezig zonder traject")
        ),
        MainPage("beheer", "beheerder", goto(reverse("admin:index"))),
    ]


def visit_all(page, pages):
    """Opens each page as its user (logging in when the user changes); yields its number and the page."""
    current = "nobody"
    for number, p in enumerate(pages, start=1):
        if p.user != current:
            page.context.clear_cookies()
            if p.user:
                login(page, p.user)
                page.get_by_role("button", name="Afmelden").wait_for()
            current = p.user
        p.open(page)
        yield number, p


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_main_pages_meet_wcag_21_aa(browser, live_server, main_pages, screenshot, width):
    context = browser.new_context(
        locale="nl-BE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    for number, p in visit_all(page, main_pages):
        screenshot(page, f"stijl-{number:02d}-{p.name}-{width}")
        assert_accessible(page, f"{p.name} at {width} px")
    context.close()


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_main_page_reflows_at_320_px(browser, live_server, main_pages):
    """WCAG 1.4.10: nothing makes the page wider than the screen. Wide figure tables may scroll inside their
    own region (the exception for two-dimensional tables), which must then be focusable and labelled."""
    context = browser.new_context(
        locale="nl-BE", base_url=live_server.url, viewport={"width": NARROWEST, "height": 800}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    too_wide, scroll_regions = {}, {}
    for _, p in visit_all(page, main_pages):
        if page_width(page) > NARROWEST:
            too_wide[p.name] = page_width(page)
        # no cheating: the page itself does not clip what sticks out
        assert page.evaluate(
            "[document.documentElement, document.body].map(e => getComputedStyle(e).overflowX)"
        ) == ["visible", "visible"], p.name
        scroll_regions[p.name] = page.evaluate(
            """[...document.querySelectorAll('.table-scroll')].filter(r => r.scrollWidth > r.clientWidth)
               .map(r => [r.getAttribute('role'), r.tabIndex, r.getAttribute('aria-labelledby') &&
                          document.getElementById(r.getAttribute('aria-labelledby')).textContent.trim()])"""
        )
    context.close()
    assert too_wide == {}
    # the VO table per entity and beleidsdomein is wider than a phone: it scrolls in its own labelled region
    assert ["region", 0, "Actieve trajecten per entiteit en beleidsdomein"] in scroll_regions["dashboard-vo"]
    assert all(r[:2] == ["region", 0] and r[2] for regions in scroll_regions.values() for r in regions)


def test_the_reflow_measure_itself_sees_a_page_too_wide(browser):
    """Guards the check above: an element wider than the screen makes the page scroll sideways."""
    pg = browser.new_page(viewport={"width": NARROWEST, "height": 600})
    pg.set_content('<html lang="nl"><body><table><tr><td>' + "x" * 30 + "&nbsp;" * 80 + "</td></tr></table>")
    assert page_width(pg) > NARROWEST
    pg.close()


def test_phone_layout_folds_filters_and_shows_one_card_per_row(page, main_pages):
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    filters = page.locator("details.filter-panel")
    assert filters.get_attribute("open") is not None  # open on a desktop (and without JavaScript)
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.reload()
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    assert filters.get_attribute("open") is None  # folded on a phone
    assert not page.get_by_label("Terugkeercoach").is_visible()
    page.get_by_text("Filters", exact=True).click()
    assert page.get_by_label("Terugkeercoach").is_visible()
    # each row is a card: its cells stacked, each with the name of its column
    cell = page.locator("table.worklist tbody tr").first.locator("td").nth(1)
    assert cell.evaluate("c => getComputedStyle(c).display") == "block"
    assert cell.evaluate("c => getComputedStyle(c, '::before').content").startswith('"Soort"')
    # the table stays a table for a screen reader
    assert page.get_by_role("columnheader", name="Soort").count() == 1
    rows = page.locator("table.worklist").get_by_role("row")
    assert rows.count() == 1 + 1  # the header and the coach's one trajectory


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
