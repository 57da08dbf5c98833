"""Log-in lock-out (django-axes): per username across addresses, and a cool-off attackers cannot extend."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT="test"
    )


def is_locked(response):
    html = response.content.decode()
    return (
        response.status_code == 429 and "Aanmelden tijdelijk geblokkeerd" in html and "na 30 minuten" in html
    )


def logged_in(response):
    return response.status_code == 302 and response.url == reverse("home")


def age_attempts(minutes):
    """As if every recorded failure happened `minutes` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_failures_from_different_addresses_lock_the_username(client, coach_a, coach_b, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "coach.a", "fout", f"10.0.0.{i + 1}")
        assert response.status_code == (429 if i == settings.AXES_FAILURE_LIMIT - 1 else 200)
    # even the right password, from an address never used before, is refused
    assert is_locked(attempt(client, "coach.a", PASSWORD, "10.9.9.9"))
    # another user behind the same addresses is not affected
    assert logged_in(attempt(client, "coach.b", PASSWORD, "10.0.0.1"))


def test_one_failure_short_of_the_limit_does_not_lock(client, coach_a, settings):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "coach.a", "fout", f"10.0.1.{i + 1}")
    assert logged_in(attempt(client, "coach.a", PASSWORD, "10.0.1.99"))


def test_attempts_during_the_lock_do_not_extend_it(client, coach_a, settings):
    cooloff = timedelta(hours=settings.AXES_COOLOFF_TIME)
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "coach.a", "fout", f"10.0.2.{i + 1}")
    age_attempts(int(cooloff.total_seconds() // 60) - 5)  # the lock started almost a cool-off ago
    for i in range(10):  # the attacker keeps trying, from old and new addresses
        assert is_locked(attempt(client, "coach.a", "fout", f"10.0.3.{i % 3}"))
    assert is_locked(attempt(client, "coach.a", PASSWORD, "10.0.2.1"))
    age_attempts(6)  # one minute past the cool-off since the failures that caused the lock
    assert logged_in(attempt(client, "coach.a", PASSWORD, "10.0.2.1"))


def test_after_the_cool_off_the_count_starts_again(client, coach_a, settings):
    cooloff_minutes = int(settings.AXES_COOLOFF_TIME * 60)
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "coach.a", "fout", f"10.0.4.{i + 1}")
    age_attempts(cooloff_minutes + 1)
    assert not is_locked(attempt(client, "coach.a", "fout", "10.0.4.1"))  # one new failure: no lock
    assert logged_in(attempt(client, "coach.a", PASSWORD, "10.0.4.1"))
