"""The house style's fixed parts: the colour pairs of static/css/app.css meet WCAG 2.1 AA contrast (also the
states axe only sees when they occur: badges, alerts, focus), every asset is served by the app, and the
favicon is there for pages and for what has no page (a PDF)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

STATIC = Path(__file__).resolve().parents[2] / "static"
CSS = (STATIC / "css" / "app.css").read_text()
PALETTE = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", CSS.split("}", 1)[0]))


def luminance(hex_colour):
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def colour(name):
    return {"white": "#fff"}.get(name) or PALETTE[name]


def test_contrast_helper_matches_known_values():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#777", "#fff"), 2) == 4.48  # the classic just-too-light grey


# (text or indicator, background, minimum): text needs 4.5:1, parts of controls and focus 3:1 (WCAG 1.4.11)
PAIRS = [
    ("ink", "white", 4.5),
    ("muted", "white", 4.5),
    ("muted", "bg-soft", 4.5),
    ("link", "white", 4.5),
    ("link", "bg-soft", 4.5),
    ("link-hover", "white", 4.5),
    ("white", "link", 4.5),  # primary button
    ("white", "link-hover", 4.5),
    ("white", "bad", 4.5),  # danger button
    ("bad", "white", 4.5),
    ("bad", "bad-bg", 4.5),  # badge "te laat", alert
    ("warn", "warn-bg", 4.5),  # badge "binnen 7 dagen"
    ("warn", "white", 4.5),  # medical warning under a text field
    ("ok", "ok-bg", 4.5),
    ("ink", "warn-bg", 4.5),
    ("ink", "bad-bg", 4.5),
    ("black", "vl-yellow", 4.5),  # header text, focused link or button
    ("white", "black", 4.5),  # navigation
    ("vl-yellow", "black", 3),  # current page marker in the navigation
    ("field-border", "white", 3),  # edge of a field
    ("black", "white", 3),  # focus ring
]


@pytest.mark.parametrize("fg,bg,minimum", PAIRS)
def test_colour_pairs_meet_wcag_aa(fg, bg, minimum):
    assert contrast(colour(fg), colour(bg)) >= minimum


def test_yellow_is_never_text_on_white():
    text_rules = re.findall(r"[^{}]+\{[^}]*[^-]color:\s*var\(--vl-yellow\)[^}]*\}", CSS)
    assert text_rules  # the header's button on hover: yellow on black
    for rule in text_rules:  # only where the background is black (the header's hover and the skip link)
        assert "background: var(--black)" in rule or ".btn-header:hover" in rule, rule


def test_every_asset_is_the_projects_own():
    for path in [*STATIC.rglob("*.css"), *STATIC.rglob("*.js"), *STATIC.rglob("*.svg")]:
        text = path.read_text()
        assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), path


def test_favicon_files(client):
    svg = ET.parse(finders.find("img/favicon.svg")).getroot()  # noqa: S314 - the project's own file
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 32 32"
    assert Path(finders.find("img/favicon.ico")).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO
    assert Path(finders.find("img/apple-touch-icon.png")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.ico"


@pytest.mark.django_db
def test_pages_link_the_favicon_and_one_stylesheet(client):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="icon" href="/static/img/favicon.ico"' in html
    assert re.findall(r'rel="stylesheet" href="([^"]+)"', html) == ["/static/css/app.css"]
