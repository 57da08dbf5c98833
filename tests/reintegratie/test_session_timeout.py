"""The idle timeout (README, settings: DJANGO_SESSION_TIMEOUT, 30 minutes): every request moves a session's end
to the timeout from now; a session left idle that long ends, and the next page asks to log in again."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_activity_moves_the_end_of_the_session(client, coach_a, settings):
    client.force_login(coach_a)
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() + timedelta(seconds=10))
    assert client.get(reverse("worklist")).status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert (
        timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
        < remaining
        <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )


def test_a_session_idle_past_the_timeout_ends(client, coach_a):
    client.force_login(coach_a)
    assert client.get(reverse("worklist")).status_code == 200
    # idle for the whole timeout: the stored end has passed
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("worklist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
