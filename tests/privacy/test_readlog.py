"""The read log: who read which dossier, when and what; never fails the request; AgO sees it per dossier."""

import logging
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from entiteiten.models import Gebruiker
from privacy import readlog
from privacy.models import ReadLogEntry
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(entiteit_a, coach_a):
    return TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), coach=coach_a)


@pytest.fixture
def as_coach(client, coach_a):
    client.force_login(coach_a)
    return client


@pytest.fixture
def as_ago(client, ago):
    client.force_login(ago)
    return client


def entries():
    return list(
        ReadLogEntry.objects.order_by("pk").values_list("gebruiker__username", "soort", "traject_id", "view")
    )


def test_reading_a_dossier_its_history_and_a_form_is_logged(as_coach, t):
    response = as_coach.get(reverse("dossier", args=[t.pk]))
    as_coach.get(reverse("historiek", args=[t.pk]))
    as_coach.get(reverse("actie", args=[t.pk, "gesprek"]))
    assert entries() == [
        ("coach.a", "dossier", t.pk, "dossier"),
        ("coach.a", "historiek", t.pk, "historiek"),
        ("coach.a", "formulier", t.pk, "actie"),
    ]
    first = ReadLogEntry.objects.order_by("pk").first()
    assert first.request_id == response["X-Request-ID"] and first.tijdstip is not None


def test_writes_lists_refusals_and_anonymous_visits_are_not_logged(as_coach, client, t, entiteit_b):
    as_coach.post(
        reverse("actie", args=[t.pk, "gesprek"]),
        {"datum": "01/02/2026", "soort": "gesprek", "vorm": "telefoon", "gevoerd_door": "coach"},
    )
    as_coach.get(reverse("worklist"), {"q": t.personeelslid.achternaam})
    other = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_b))
    assert as_coach.get(reverse("dossier", args=[other.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("dossier", args=[t.pk])).status_code == 302
    assert entries() == []


def test_agos_intake_page_is_logged_with_its_dossier(as_ago, t, coach_a):
    request = m.Aanmelding.objects.create(
        traject=t, aangemeld_op=date(2026, 3, 1), aangemeld_door=coach_a, motivatie="Andere werkomgeving"
    )
    assert as_ago.get(reverse("aanmelding", args=[request.pk])).status_code == 200
    assert entries() == [("ago", "formulier", t.pk, "aanmelding")]


def test_admin_pages_of_dossier_models_would_be_logged_with_their_dossier(t):
    """No dossier model is in the admin today; should one be registered, its pages are logged too."""
    ins = m.Inschatting.objects.create(traject=t, datum=date(2026, 3, 1), uitkomst="stappen_mogelijk")
    plan = m.Stappenplan.objects.create(traject=t, inschatting=ins, datum=date(2026, 3, 10))
    measure = m.Maatregel.objects.create(stappenplan=plan, soort="werkplek")

    def admin(name, object_id):
        return readlog.target(
            SimpleNamespace(namespace="admin", url_name=name, kwargs={"object_id": object_id})
        )

    assert admin("trajecten_traject_change", str(t.pk)) == ("beheer", t.pk, None)
    assert admin("trajecten_maatregel_history", str(measure.pk)) == ("beheer", t.pk, None)
    assert admin("trajecten_personeelslid_change", str(t.personeelslid_id)) == (
        "beheer",
        None,
        t.personeelslid_id,
    )
    assert admin("trajecten_maatregel_change", str(measure.pk + 1000)) is None  # gone: nothing to name
    assert admin("entiteiten_entiteit_change", str(t.entiteit_id)) is None  # not a dossier
    assert admin("trajecten_traject_changelist", "") is None


def test_logging_never_fails_the_request(as_coach, t, monkeypatch, caplog):
    # a database error (value too long) inside the log's savepoint: the request and its transaction go on
    monkeypatch.setattr(readlog, "target", lambda match: ("x" * 50, t.pk, None))
    with caplog.at_level(logging.ERROR, logger="privacy.middleware"):
        response = as_coach.get(reverse("dossier", args=[t.pk]))
    assert response.status_code == 200
    assert "read log entry could not be written: DataError" in caplog.text
    assert not ReadLogEntry.objects.exists() and m.Traject.objects.filter(pk=t.pk).exists()

    def broken(match):
        raise RuntimeError("kapot")

    monkeypatch.setattr(readlog, "target", broken)
    assert as_coach.get(reverse("dossier", args=[t.pk])).status_code == 200


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


def test_every_page_with_a_pk_is_either_logged_or_declared_not_to_show_a_dossier():
    with_pk = {name for name, route in _patterns(get_resolver()) if "<int:pk>" in route}
    assert with_pk - set(readlog.LOGGED_VIEWS) - readlog.NOT_LOGGED == set()
    assert set(readlog.LOGGED_VIEWS) | readlog.NOT_LOGGED <= with_pk  # no stale names


def test_the_log_holds_no_free_text():
    for f in ReadLogEntry._meta.concrete_fields:
        assert not isinstance(f, models.TextField | models.JSONField), f.name
        if isinstance(f, models.CharField) and not f.choices:
            assert f.name in ("view", "request_id"), f.name
    assert all(re.fullmatch(r"[a-z_]+", name) for name in readlog.LOGGED_VIEWS)


def test_ago_sees_who_read_a_dossier_and_others_do_not(as_ago, client, t, coach_a, hr_a):
    colleague = GebruikerFactory(
        username="coach.a2", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=coach_a.entiteit
    )
    for user in (coach_a, colleague):
        client.force_login(user)
        assert client.get(reverse("dossier", args=[t.pk])).status_code == 200
        assert client.get(reverse("raadplegingen", args=[t.pk])).status_code == 404
    client.force_login(hr_a)  # HR does not see this dossier (it has a coach), let alone who read it
    assert client.get(reverse("raadplegingen", args=[t.pk])).status_code == 404
    client.force_login(Gebruiker.objects.get(username="ago"))
    html = client.get(reverse("raadplegingen", args=[t.pk])).content.decode()
    assert "coach.a" in html and "coach.a2" in html and "Dossier bekeken" in html
    assert t.personeelslid.achternaam not in html  # the page itself names nobody
    assert ReadLogEntry.objects.filter(soort="dossier").count() == 2  # the read log page is not a read


def test_read_log_page_query_count_is_flat(as_ago, t, coach_a, hr_a):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert as_ago.get(reverse("raadplegingen", args=[t.pk])).status_code == 200
        return len(ctx.captured_queries)

    ReadLogEntry.objects.create(gebruiker=coach_a, soort="dossier", traject_id=t.pk, view="dossier")
    few = count()
    ReadLogEntry.objects.bulk_create(
        ReadLogEntry(gebruiker=u, soort="historiek", traject_id=t.pk, view="historiek")
        for u in [coach_a, hr_a] * 30
    )
    assert count() == few


def test_the_operator_searches_the_read_log_by_dossier_or_user(client, t, coach_a):
    operator = GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    client.force_login(operator)
    ReadLogEntry.objects.create(gebruiker=coach_a, soort="dossier", traject_id=t.pk, view="dossier")
    url = reverse("admin:privacy_readlogentry_changelist")
    assert str(coach_a) in client.get(url, {"q": str(t.pk)}).content.decode()
    assert str(coach_a) in client.get(url, {"q": "coach.a"}).content.decode()
    assert str(coach_a) not in client.get(url, {"q": str(t.pk + 1)}).content.decode()
    assert client.get(url, {"q": "Peeters"}).status_code == 200  # text where an id is expected: no error
    assert client.get(reverse("admin:privacy_readlogentry_add")).status_code == 403
