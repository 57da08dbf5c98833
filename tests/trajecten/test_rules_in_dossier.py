"""The deadline rules at their edges (issue 10) as a coach and HR meet them: dossier, worklist, signals."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    BetrokkenheidFactory,
    HervalFactory,
    InschattingFactory,
    PersoneelslidFactory,
    TrajectFactory,
)
from trajecten import deadlines as dl
from trajecten import models as m
from trajecten.evaluation import refresh_one
from trajecten.monitoring import run

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def d(day):
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def c(client, coach_a):
    client.force_login(coach_a)
    return client


@pytest.fixture
def in_force(settings):
    settings.FORMEEL_VERPLICHT_VANAF = date(2020, 1, 1)


def dossier(c, t):
    return c.get(reverse("dossier", args=[t.pk])).content.decode()


def early_positive(entiteit, coach, **kw):
    """Stappenplan term missed (positive assessment on D0 + 5) before the entity may start (D0 + 3 months)."""
    d0 = TODAY - timedelta(days=80)
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit), d0=d0, coach=coach, **kw)
    InschattingFactory(traject=t, datum=d0 + timedelta(days=5))
    refresh_one(t.pk, TODAY)
    t.refresh_from_db()
    return t


def test_mandatory_only_from_the_day_the_entity_may_start(c, coach_a, entiteit_a, in_force):
    t = early_positive(entiteit_a, coach_a)
    entity_day = dl.add_months(t.d0, 3)
    assert t.formeel_verplicht_vanaf == entity_day
    html = dossier(c, t)
    assert f"Een formeel re-integratietraject wordt verplicht vanaf {d(entity_day)}" in html
    assert "Een formeel re-integratietraject is verplicht." not in html
    worklist = c.get(reverse("worklist")).content.decode()
    assert "Formeel traject verplicht" not in worklist
    # no mandatory signal nor HR message before that day; on that day both
    run(TODAY)
    assert not m.Signaal.objects.filter(soort="formeel_verplicht").exists()
    run(entity_day)
    assert m.Signaal.objects.filter(soort="formeel_verplicht", opgemerkt_op=entity_day).exists()


def test_no_obligation_while_back_at_work(c, coach_a, entiteit_a, in_force):
    t = early_positive(entiteit_a, coach_a)
    back = TODAY - timedelta(days=2)
    url = reverse("actie", args=[t.pk, "werkhervatting"])
    assert c.post(url, {"werkhervatting_op": d(back), "werkhervatting_vorm": "volledig"}).status_code == 302
    t.refresh_from_db()
    assert (t.formeel_verplicht_vanaf, t.formeel_waarschuwing_vanaf) == (None, None)
    assert "wordt verplicht vanaf" not in dossier(c, t)
    html = c.get(reverse("worklist"), {"te_laat": "on"}).content.decode()
    assert t.personeelslid.achternaam + " " not in html
    # a formal trajectory cannot be asked for by the staff member while at work either
    assert c.get(reverse("actie", args=[t.pk, "omzetten"])).status_code == 409


def test_a_relapse_after_14_days_starts_a_new_period(c, coach_a, entiteit_a):
    d0 = TODAY - timedelta(days=300)
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=d0, coach=coach_a)
    relapse = TODAY - timedelta(days=20)
    HervalFactory(traject=t, hervat_op=relapse - timedelta(days=30), datum=relapse)
    refresh_one(t.pk, TODAY)
    t.refresh_from_db()
    html = dossier(c, t)
    assert f"begon op {d(relapse)} een nieuwe periode" in html
    assert f"Vorige periode van arbeidsongeschiktheid (vanaf {d(d0)})" in html
    # the worklist follows the new period: the info term 4 weeks after the relapse
    assert (t.eerstvolgende_mijlpaal, t.eerstvolgende_termijn) == (
        "info_arbeidsarts",
        relapse + timedelta(days=28),
    )


def test_examination_at_return_under_health_surveillance(c, coach_a, entiteit_a):
    d0 = TODAY - timedelta(days=90)
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
        d0=d0,
        coach=coach_a,
        gezondheidstoezicht=True,
        status="opvolging",
        werkhervatting_op=TODAY - timedelta(days=3),
        werkhervatting_vorm="volledig",
    )
    refresh_one(t.pk, TODAY)
    html = dossier(c, t)
    link = reverse("actie", args=[t.pk, "onderzoek"]) + "?soort=onderzoek_bij_werkhervatting"
    assert link in html  # the missed milestone links to registering the examination
    form = c.get(link).content.decode()
    assert '<option value="onderzoek_bij_werkhervatting" selected>' in form
    assert (
        c.post(
            link, {"soort": "onderzoek_bij_werkhervatting", "datum": d(TODAY - timedelta(days=1))}
        ).status_code
        == 302
    )
    t.refresh_from_db()
    assert m.Onderzoek.objects.filter(traject=t).count() == 1
    assert link not in dossier(c, t)


def test_a_coach_must_coordinate(c, coach_a, entiteit_a, hr_a):
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=TODAY - timedelta(days=20), coach=None
    )
    BetrokkenheidFactory(
        traject=t,
        actor="arbeidsarts",
        vanaf=TODAY - timedelta(days=5),
        toestemming_op=TODAY - timedelta(days=5),
    )
    refresh_one(t.pk, TODAY)
    t.refresh_from_db()
    assert t.coach_nodig
    c.force_login(hr_a)  # HR follows the dossier up as case manager
    assert "Coach moet coördineren" in c.get(reverse("worklist")).content.decode()
    assert "een terugkeercoach moet de coördinerende rol opnemen" in dossier(c, t)
