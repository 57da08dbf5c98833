"""The main pages under the real Content-Security-Policy in Chromium: no violation, charts still drawn.

A violation shows up twice: as a console error ("Refused to ...") and as a `securitypolicyviolation` event,
which an init script (run by the browser, outside the page's CSP) records. Both are checked on every page.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from entiteiten.models import Gebruiker
from tests.conftest import login
from tests.factories import (
    GebruikerFactory,
    GesprekFactory,
    InschattingFactory,
    MaatregelFactory,
    StappenplanFactory,
    TrajectFactory,
)
from trajecten import models as m
from trajecten.evaluation import refresh_summaries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`));
"""


class CspWatch:
    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda msg: msg.type == "error" and self.console.append(msg.text))

    def visit(self, url, what):
        self.console.clear()
        response = self.page.goto(url)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, f"{what}: no strict CSP"
        self.page.wait_for_load_state("load")
        return self.check(what)

    def check(self, what):
        events = self.page.evaluate("window.__csp")
        refused = [c for c in self.console if "Content Security Policy" in c or "Permissions-Policy" in c]
        assert events == [] and refused == [], f"{what}: {events} {refused}"
        return self.page


@pytest.fixture
def dossier(coach_a, entiteit_b):
    """An open dossier with a stappenplan, and enough trajectories in 2025 for the dashboard's charts."""
    today = timezone.localdate()
    t = TrajectFactory(personeelslid__entiteit=coach_a.entiteit, d0=today - timedelta(days=80), coach=coach_a)
    ins = InschattingFactory(traject=t, datum=today - timedelta(days=20))
    MaatregelFactory(
        stappenplan=StappenplanFactory(traject=t, inschatting=ins, datum=today - timedelta(days=10))
    )
    for i in range(6):
        for ent in (coach_a.entiteit, entiteit_b):
            GesprekFactory(traject=TrajectFactory(personeelslid__entiteit=ent, d0=date(2025, 3, 1 + i)))
    refresh_summaries(m.Traject.objects.all(), today)
    return t


def test_main_pages_report_no_csp_violation(page, coach_a, ago, dossier, screenshot):
    watch = CspWatch(page)
    watch.visit(reverse("login"), "aanmelden")
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    watch.check("werklijst na aanmelden")
    for what, url in [
        ("werklijst", reverse("worklist")),
        ("nieuw traject", reverse("traject_nieuw")),
        ("dossier", reverse("dossier", args=[dossier.pk])),
        ("gesprek", reverse("actie", args=[dossier.pk, "gesprek"])),
        ("stappenplan", reverse("actie", args=[dossier.pk, "stappenplan"])),
        ("gegevens wijzigen", reverse("actie", args=[dossier.pk, "gegevens"])),
        ("historiek", reverse("historiek", args=[dossier.pk])),
        ("rapporten", reverse("rapporten")),
        ("niet gevonden", "/bestaat-niet/"),
    ]:
        watch.visit(url, what)
    page.get_by_role("heading", name="Pagina niet gevonden").wait_for()  # the last one: the Dutch 404 page
    screenshot(page, "31-niet-gevonden")
    # a form with errors
    watch.visit(reverse("actie", args=[dossier.pk, "afsluiten"]), "afsluiten")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").first.wait_for()
    watch.check("formulier met fouten")

    # the dashboard's charts (inline SVG) are drawn and styled under the policy
    page.context.clear_cookies()
    login(page, "ago")
    page.wait_for_url(lambda url: "/aanmelden/" not in url)
    watch.visit(reverse("dashboard") + "?jaar=2025", "dashboard")
    charts = page.locator("svg.chart")
    assert charts.count() >= 4
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 30, f"chart {i} not drawn: {box}"
    bars = page.locator("svg.chart rect")
    assert bars.count() > 0 and bars.first.bounding_box()["width"] > 0
    # the stylesheet applies (a blocked stylesheet would leave the header unstyled)
    header_bg = page.locator(".brand-bar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg == "rgb(255, 230, 21)"  # the Vlaanderen yellow of static/css/app.css
    screenshot(page, "30-dashboard-onder-csp")


def test_admin_pages_report_no_csp_violation(page, db):
    beheerder = GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    watch = CspWatch(page)
    login(page, "beheerder")
    for what, url in [
        ("beheer", reverse("admin:index")),
        ("gebruikers", reverse("admin:entiteiten_gebruiker_changelist")),
        (
            "gebruiker (keuzelijsten met JavaScript)",
            reverse("admin:entiteiten_gebruiker_change", args=[beheerder.pk]),
        ),
        ("historiek gebruiker", reverse("admin:entiteiten_gebruiker_history", args=[beheerder.pk])),
        ("entiteit toevoegen", reverse("admin:entiteiten_entiteit_add")),
    ]:
        watch.visit(url, what)
    # the admin's own JavaScript runs under the policy: the two-list selector for permissions is built
    page.goto(reverse("admin:entiteiten_gebruiker_change", args=[beheerder.pk]))
    page.locator(".selector-available").first.wait_for()
    watch.check("keuzelijsten")


def test_the_watch_catches_a_violation(page, coach_a):
    """Guards the checks above: an inline script and an inline style attribute must be reported."""
    watch = CspWatch(page)
    login(page, "coach.a")
    page.get_by_role("heading", name="Mijn trajecten").wait_for()
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';
                   document.body.appendChild(s);
                   document.body.insertAdjacentHTML('beforeend', '<p style="color:red">x</p>'); }"""
    )
    page.wait_for_function("window.__csp.length >= 2")
    with pytest.raises(AssertionError, match="script-src"):
        watch.check("met ingevoegd script")
    assert page.evaluate("window.x") is None  # and the inline script did not run
