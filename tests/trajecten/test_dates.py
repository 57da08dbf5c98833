"""The one date formatter (trajecten.dates.fmt) prints exactly what Django's date_format(d, "d/m/Y") prints."""

from datetime import date, datetime

import pytest
from django.utils.formats import date_format
from django.utils.translation import override

from trajecten.dates import fmt


@pytest.mark.parametrize(
    "d",
    [
        date(1, 1, 1),
        date(999, 12, 31),
        date(1900, 1, 1),
        date(2024, 2, 29),
        date(2026, 3, 5),
        date(9999, 12, 31),
        datetime(2026, 11, 30, 23, 59, 59),
    ],
)
def test_fmt_is_djangos_d_m_Y(d):
    with override("nl-be"):
        assert fmt(d) == date_format(d, "d/m/Y")
    assert fmt(date(2026, 3, 5)) == "05/03/2026"


def test_fmt_of_nothing_is_a_dash():
    assert fmt(None) == "—"
