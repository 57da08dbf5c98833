"""The coach workspace, tested from the outside through HTTP."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PersoneelslidFactory, TrajectFactory
from trajecten import actions as a
from trajecten import models as m
from trajecten.evaluation import refresh_summaries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make(entiteit, **kw):
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit), **kw)
    refresh_summaries(m.Traject.objects.filter(pk=t.pk), TODAY)
    t.refresh_from_db()
    return t


@pytest.fixture
def as_coach_a(client, coach_a):
    client.force_login(coach_a)
    return client


DOSSIER_URLS = [
    ("dossier", {}),
    ("historiek", {}),
    *[("actie", {"kind": k}) for k in a.ALL if k in a.LABELS],
    *[(name, {"kind": "gesprek", "part": 0}) for name in ("wijzigen", "verwijderen")],
]


@pytest.mark.parametrize("name,kw", DOSSIER_URLS)
def test_coach_of_other_entity_gets_404_everywhere(client, coach_b, entiteit_a, name, kw):
    t = make(entiteit_a, soort="formeel")
    g = m.Gesprek.objects.create(traject=t, datum=t.d0, vorm="telefoon", gevoerd_door="coach")
    if "part" in kw:
        kw = {**kw, "part": g.pk}
    client.force_login(coach_b)
    url = reverse(name, kwargs={"pk": t.pk, **kw})
    assert client.get(url).status_code == 404
    assert client.post(url, {"datum": "01/03/2026", "wijzigingsreden": "x"}).status_code == 404
    assert list(m.Gesprek.objects.all()) == [g]


def test_anonymous_is_sent_to_login(client, entiteit_a):
    t = make(entiteit_a)
    response = client.get(reverse("dossier", args=[t.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")


def test_crossing_trajectory_visible_to_both_coaches_and_ago(
    client, coach_a, coach_b, ago, entiteit_a, entiteit_b
):
    t = make(entiteit_a, doel_entiteit=entiteit_b)
    for user in (coach_a, coach_b, ago):
        client.force_login(user)
        assert client.get(reverse("dossier", args=[t.pk])).status_code == 200


def test_other_entity_never_appears_in_list_or_search(as_coach_a, entiteit_b):
    lid = PersoneelslidFactory(entiteit=entiteit_b, achternaam="Geheim")
    t = TrajectFactory(personeelslid=lid)
    for q in ("Geheim", lid.personeelsnummer, ""):
        html = as_coach_a.get(reverse("worklist"), {"q": q}).content.decode()
        assert "0 trajecten" in html
        assert reverse("dossier", args=[t.pk]) not in html


def test_worklist_sorted_by_most_urgent_and_shows_signals(as_coach_a, entiteit_a):
    later = make(entiteit_a, d0=TODAY - timedelta(days=10))  # info due in 18 days
    overdue = make(entiteit_a, d0=TODAY - timedelta(days=70))  # 2-month conversation missed
    soon = make(entiteit_a, d0=TODAY - timedelta(days=25))  # info due in 3 days
    html = as_coach_a.get(reverse("worklist"), {"wie": "alle"}).content.decode()
    positions = [html.index(t.personeelslid.achternaam + " ") for t in (overdue, soon, later)]
    assert positions == sorted(positions)
    assert "Te laat: 42 dagen" in html and "Binnen 7 dagen" in html  # info arbeidsarts, due D0 + 28


def test_worklist_filters(as_coach_a, coach_a, entiteit_a):
    informeel = make(entiteit_a, coach=coach_a, d0=TODAY - timedelta(days=70))
    preventief = make(entiteit_a, soort="preventief", d0=None)
    gesloten = make(
        entiteit_a,
        status="afgesloten",
        afgesloten_op=TODAY,
        uitkomst="zelfde_functie",
        d0=TODAY - timedelta(days=5),
    )
    fresh = make(entiteit_a, d0=TODAY - timedelta(days=3))

    def names(**params):
        html = as_coach_a.get(reverse("worklist"), {"wie": "alle", **params}).content.decode()
        return {
            t for t in (informeel, preventief, gesloten, fresh) if t.personeelslid.achternaam + " " in html
        }

    assert names() == {informeel, preventief, fresh}
    assert names(soort="preventief") == {preventief}
    assert names(status="afgesloten") == {gesloten}
    assert names(te_laat="on") == {informeel}
    assert names(coach=coach_a.pk) == {informeel}
    assert names(wie="mijn") == {informeel}  # only the coach's own
    assert names(wie="mijn", soort="preventief") == set()  # filters combine
    assert names(q=informeel.personeelslid.personeelsnummer) == {informeel}
    assert names(q=fresh.personeelslid.achternaam.lower()) == {fresh}


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_worklist_query_count_is_pinned_and_flat(as_coach_a, entiteit_a):
    make(entiteit_a)
    few = count_queries(as_coach_a, reverse("worklist"), {"wie": "alle"})
    for _ in range(40):
        make(entiteit_a, d0=TODAY - timedelta(days=50))
    many = count_queries(as_coach_a, reverse("worklist"), {"wie": "alle"})
    # savepoint, session, user, count, page, entity of the user (header), coach choices, staff absent
    # without a trajectory (personnel system), release, and the session save (savepoint, update, release)
    assert few == many == 12
    assert count_queries(as_coach_a, reverse("worklist"), {"pagina": 2, "te_laat": "on", "wie": "alle"}) == 12
    assert count_queries(as_coach_a, reverse("worklist")) == 11  # only mine: none, so no page query


def full_dossier(entiteit, parts):
    t = make(entiteit)
    d = t.d0
    for i in range(parts):
        m.Gesprek.objects.create(
            traject=t, datum=d + timedelta(days=i), vorm="telefoon", gevoerd_door="coach"
        )
        ins = m.Inschatting.objects.create(
            traject=t, datum=d + timedelta(days=i), uitkomst="stappen_mogelijk"
        )
        plan = m.Stappenplan.objects.create(traject=t, inschatting=ins, datum=d + timedelta(days=i + 1))
        m.Maatregel.objects.create(stappenplan=plan, soort="aangepaste_uren")
        m.Betrokkenheid.objects.create(traject=t, actor="smt", vanaf=d + timedelta(days=i))
        m.Verlenging.objects.create(
            traject=t, toegekend_op=d + timedelta(days=i), nieuwe_datum=d + timedelta(days=90), reden="SMT"
        )
        m.Herval.objects.create(
            traject=t, hervat_op=d + timedelta(days=i + 1), datum=d + timedelta(days=i + 3)
        )
        m.Evaluatie.objects.create(traject=t, datum=d + timedelta(days=i + 2), gevoerd_door="coach")
    return t


def test_dossier_query_count_is_pinned_and_flat(as_coach_a, entiteit_a):
    small = count_queries(as_coach_a, reverse("dossier", args=[full_dossier(entiteit_a, 1).pk]))
    large = count_queries(as_coach_a, reverse("dossier", args=[full_dossier(entiteit_a, 6).pk]))
    # + the absence data that D0 is compared with; + the read log entry (savepoint, insert, release)
    assert small == large == 24


def test_pagination(as_coach_a, entiteit_a):
    for _ in range(30):
        make(entiteit_a)
    html = as_coach_a.get(reverse("worklist"), {"pagina": 2, "wie": "alle"}).content.decode()
    assert "Pagina 2 van 2" in html


def test_history_query_count_is_pinned_and_flat(as_coach_a, entiteit_a):
    small = full_dossier(entiteit_a, 1)
    large = full_dossier(entiteit_a, 6)
    for t in (small, large):  # changes to the trajectory itself and to its staff member
        t.leidinggevende = "Nieuwe leidinggevende"
        t.save()
    assert (
        count_queries(as_coach_a, reverse("historiek", args=[small.pk]))
        == count_queries(as_coach_a, reverse("historiek", args=[large.pk]))
        == 27  # 24 + the read log entry (savepoint, insert, release)
    )


def test_worklist_shows_a_coach_their_own_by_default(as_coach_a, coach_a, entiteit_a):
    mine = make(entiteit_a, coach=coach_a, d0=TODAY - timedelta(days=70))
    colleague = make(entiteit_a, d0=TODAY - timedelta(days=70))
    html = as_coach_a.get(reverse("worklist")).content.decode()
    assert "Mijn trajecten" in html
    assert (
        mine.personeelslid.achternaam + " " in html and colleague.personeelslid.achternaam + " " not in html
    )
    # one switch to the entity's, which keeps the other filters
    html = as_coach_a.get(reverse("worklist"), {"wie": "alle", "te_laat": "on"}).content.decode()
    assert "<h1>Trajecten</h1>" in html
    assert colleague.personeelslid.achternaam + " " in html
    assert (
        'value="alle" checked' in html.replace('id="id_wie_1" ', "").replace("  ", " ") or "checked" in html
    )
