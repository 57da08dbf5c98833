"""Dutch 400, 403, 404 and 500 pages in the site's layout; the 500 page needs no request nor database."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.factories import TrajectFactory


def assert_site_page(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="nl-BE">' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'href="/static/css/app.css"' in html  # the site's layout
    assert 'href="/"' in html  # a way back to the start page
    for english in ("Not Found", "Server Error", "Forbidden", "Bad Request", "CSRF verification failed"):
        assert english not in html
    return html


def test_500_page_renders_without_request_context_or_database():
    """Django renders 500.html with an empty context; this test has no database access at all."""
    html = render_to_string("500.html")
    assert '<html lang="nl-BE">' in html and "<h1>Er ging iets mis</h1>" in html
    assert "Afmelden" not in html  # no user in the context: no user menu


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_errors")
def test_unhandled_error_gives_the_dutch_500_page(coach_a):
    client = Client(raise_request_exception=False)
    client.force_login(coach_a)
    assert_site_page(client.get("/test-fout/500/"), 500, "Er ging iets mis")


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_errors")
def test_403_and_400_pages_are_dutch(client, coach_a):
    client.force_login(coach_a)
    html = assert_site_page(client.get("/test-fout/403/"), 403, "Geen toegang")
    assert "Afmelden" in html  # rendered with the request: the user's menu is there
    assert_site_page(client.get("/test-fout/400/"), 400, "Ongeldige aanvraag")


@pytest.mark.django_db
def test_404_page_is_dutch_for_unknown_urls_and_other_entities_dossiers(client, coach_a, entiteit_b):
    client.force_login(coach_a)
    assert_site_page(client.get("/bestaat-niet/"), 404, "Pagina niet gevonden")
    other = TrajectFactory(personeelslid__entiteit=entiteit_b)
    html = assert_site_page(client.get(reverse("dossier", args=[other.pk])), 404, "Pagina niet gevonden")
    assert other.personeelslid.achternaam not in html


@pytest.mark.django_db
def test_csrf_failure_page_is_dutch(coach_a):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "coach.a", "password": "x"})
    assert_site_page(response, 403, "Formulier verlopen")
