"""Every page and download carries a strict Content-Security-Policy, a Permissions-Policy and no-store.

The headers are set centrally (django-csp and reintegratie.middleware), so this walks the pages and
downloads of both apps and the admin rather than trusting one view.
"""

from datetime import date
from pathlib import Path

import pytest
import simple_history
from django.urls import reverse

from entiteiten.models import Gebruiker
from tests.factories import GebruikerFactory, RapportFactory, TrajectFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def assert_hardened(response, what):
    cache = {p.strip() for p in response.headers.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= cache, f"{what}: Cache-Control {response.headers.get('Cache-Control')}"
    assert "max-age=0" in cache, what
    csp = directives(response)
    for source in ("script-src", "style-src"):
        assert csp[source] == ["'self'"], f"{what}: {source} {csp[source]}"
    assert csp["default-src"] == ["'none'"] and csp["object-src"] == ["'none'"], what
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"], what
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"], what
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"], what
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, f"{what}: {permissions}"


def test_dossier_pages_reports_downloads_and_admin_are_not_stored(client, coach_a, ago, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t = TrajectFactory(personeelslid__entiteit=coach_a.entiteit, coach=coach_a)
    rapport = RapportFactory()

    assert_hardened(client.get(reverse("login")), "aanmelden (anoniem)")
    client.force_login(coach_a)
    for what, url in [
        ("werklijst", reverse("worklist")),
        ("nieuw traject", reverse("traject_nieuw")),
        ("dossier", reverse("dossier", args=[t.pk])),
        ("historiek", reverse("historiek", args=[t.pk])),
        ("actie", reverse("actie", args=[t.pk, "gesprek"])),
        ("dashboard", reverse("dashboard") + "?jaar=2025"),
        ("rapporten", reverse("rapporten")),
        ("export csv", reverse("export", args=["csv"]) + "?jaar=2025"),
        ("export xlsx", reverse("export", args=["xlsx"]) + "?jaar=2025"),
        ("onbekend dossier (404)", reverse("dossier", args=[t.pk + 1000])),
    ]:
        response = client.get(url)
        assert response.status_code == (404 if "404" in what else 200), what
        assert_hardened(response, what)

    client.force_login(ago)
    response = client.get(reverse("rapport_download", args=[rapport.pk]))
    assert response.status_code == 200
    assert_hardened(response, "download rapport")
    assert b"".join(response.streaming_content)

    beheerder = GebruikerFactory(rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    for what, url in [
        ("beheer", reverse("admin:index")),
        ("beheer notificaties", reverse("admin:trajecten_notificatie_changelist")),
        ("beheer gebruiker", reverse("admin:entiteiten_gebruiker_change", args=[beheerder.pk])),
    ]:
        response = client.get(url)
        assert response.status_code == 200, what
        assert_hardened(response, what)


def test_pdf_export_is_not_stored(client, hr_a):
    client.force_login(hr_a)
    response = client.get(reverse("export", args=["pdf"]), {"jaar": date.today().year})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_hardened(response, "export pdf")


def test_static_files_stay_cacheable(client):
    """WhiteNoise answers static files before the middleware: they carry no dossier data."""
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert b"".join(response.streaming_content)


def test_history_template_override_differs_only_by_the_inline_style():
    """templates/simple_history/ drops the package's one inline style attribute (refused by the CSP);
    after an upgrade of django-simple-history this fails until the copy is renewed."""
    name = "simple_history/object_history_list.html"
    ours = (Path(__file__).resolve().parents[2] / "templates" / name).read_text()
    theirs = (Path(simple_history.__file__).parent / "templates" / name).read_text()
    ours = ours.split("{% endcomment %}\n", 1)[1]
    assert "style=" not in ours
    assert ours == theirs.replace('<p class="paginator" style="border-top: 0">', '<p class="paginator">')


def test_no_template_served_to_browsers_has_inline_script_or_style():
    """The CSP refuses inline code; this finds it in templates no browser test happens to visit.
    The PDF template is rendered by WeasyPrint on the server, never by a browser, and may keep its <style>."""
    import re

    root = Path(__file__).resolve().parents[2]
    pdf_only = {"rapportering/templates/rapportering/pdf.html"}
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)
    found = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for base in ("templates", "entiteiten", "trajecten", "rapportering")
        for path in (root / base).rglob("*.html")
        if str(path.relative_to(root)) not in pdf_only
        for m in inline.finditer(path.read_text())
    ]
    assert found == []
