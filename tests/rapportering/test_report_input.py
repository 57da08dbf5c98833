"""Bad values in report requests, recomputation, dashboards and exports: a Dutch form error, never a 500."""

from datetime import date

import pytest
from django.urls import reverse

from rapportering.models import Cijferset, Rapport

pytestmark = pytest.mark.django_db
THIS_YEAR = date.today().year
YEAR_ERROR = f"Kies een jaar van 2000 tot en met {THIS_YEAR}."
BAD_YEARS = ["0", "-1", "1999", str(THIS_YEAR + 1), "10000", "abc", "", "2025,5", "1e3", "9" * 5000, None]


def post(client, name, value):
    return client.post(reverse(name), {} if value is None else {"jaar": value})


@pytest.mark.parametrize("value", BAD_YEARS)
def test_report_request_with_a_bad_year_shows_the_form_error(client, ago, value):
    client.force_login(ago)
    response = post(client, "rapporten_aanvragen", value)
    assert response.status_code == 400
    html = response.content.decode()
    assert YEAR_ERROR in html and 'class="errorlist"' in html  # next to the field, in Dutch
    assert 'aria-invalid="true"' in html
    assert not Rapport.objects.exists()


def test_hr_report_request_with_a_bad_year_changes_nothing(client, hr_a):
    client.force_login(hr_a)
    assert post(client, "rapporten_aanvragen", "-1").status_code == 400
    assert not Rapport.objects.exists()


@pytest.mark.parametrize("value", BAD_YEARS)
def test_recomputation_with_a_bad_year_says_so_on_the_dashboard(client, ago, value):
    client.force_login(ago)
    response = post(client, "herberekenen", value)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert not Cijferset.objects.exists()  # nothing recomputed
    assert YEAR_ERROR in client.get(response.url).content.decode()


def test_a_good_year_is_still_recomputed(client, ago):
    client.force_login(ago)
    response = post(client, "herberekenen", str(THIS_YEAR - 1))
    assert response.status_code == 302
    assert Cijferset.objects.filter(periode_start=date(THIS_YEAR - 1, 1, 1)).exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jaar": "0"}, "Kies een jaar van 2000 tot en met 2100."),
        ({"jaar": "-1"}, "Kies een jaar van 2000 tot en met 2100."),
        ({"jaar": "10000"}, "Kies een jaar van 2000 tot en met 2100."),
        ({"jaar": "abc"}, "Kies een jaar van 2000 tot en met 2100."),
        ({"van": "01/01/0001", "tot": "31/12/9999"}, "Kies een periode tussen 01/01/2000 en 31/12/2100."),
        ({"van": "01/01/1999", "tot": "31/12/2000"}, "Kies een periode tussen 01/01/2000 en 31/12/2100."),
        ({"van": "99/99/2025", "tot": "31/12/2025"}, "Voer een geldige datum in."),
        ({"van": "01/01/2025"}, "Geef zowel een begin- als een einddatum"),
        ({"jaar": "2025", "entiteit": "abc"}, "Selecteer een geldige keuze."),
    ],
)
def test_dashboard_and_exports_answer_bad_periods_with_the_form(client, ago, params, message):
    client.force_login(ago)
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200 and message in response.content.decode()
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse("export", args=[fmt]), params)
        assert response.status_code == 400, fmt
        assert response["Content-Type"].startswith("text/html") and message in response.content.decode()
