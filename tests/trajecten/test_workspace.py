"""The coach workspace, tested from the outside through HTTP."""

import re
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
    # without a trajectory (personnel system: the deadline job's last judgement of them, then the list),
    # release, and the session save (savepoint, update, release)
    assert few == many == 13
    assert count_queries(as_coach_a, reverse("worklist"), {"pagina": 2, "te_laat": "on", "wie": "alle"}) == 13
    assert count_queries(as_coach_a, reverse("worklist")) == 12  # only mine: none, so no page query


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


def test_worklist_count_stops_at_the_limit(as_coach_a, entiteit_a, monkeypatch):
    """The count reads at most limit + 1 rows; beyond the limit the page says so and offers the first."""
    monkeypatch.setattr("trajecten.views.COUNT_LIMIT", 3)
    monkeypatch.setattr("trajecten.views.PAGE_SIZE", 2)
    for _ in range(3):
        make(entiteit_a)
    html = as_coach_a.get(reverse("worklist"), {"wie": "alle"}).content.decode()
    assert "3 trajecten, meest dringende termijn eerst." in html and "Meer dan" not in html
    make(entiteit_a)
    with CaptureQueriesContext(connection) as ctx:
        html = as_coach_a.get(reverse("worklist"), {"wie": "alle", "pagina": 2}).content.decode()
    assert "Meer dan 3 trajecten, meest dringende termijn eerst." in html
    assert "verfijn de filters" in html
    assert "Pagina 2 van 2" in html  # the pages of the first 3, not of all 4
    (count,) = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert "LIMIT 4" in count
    # the pages hold the first 3 in the worklist's order: 2 on page 1, 1 on page 2
    first3 = list(m.Traject.objects.order_by(*m.WERKLIJST_VOLGORDE).values_list("pk", flat=True)[:3])
    shown = [
        [int(pk) for pk in re.findall(r'<a href="/trajecten/(\d+)/">', page_html)]
        for page_html in (as_coach_a.get(reverse("worklist"), {"wie": "alle"}).content.decode(), html)
    ]
    assert shown == [first3[:2], first3[2:]]


def test_a_search_reads_its_keys_once_in_order(as_coach_a, entiteit_a, entiteit_b, monkeypatch):
    """A search's keys are read once, in the list's order, up to limit + 1: their number is the count (no
    COUNT query) and the pages are slices of them; other entities' namesakes stay out."""
    monkeypatch.setattr("trajecten.views.COUNT_LIMIT", 3)
    monkeypatch.setattr("trajecten.views.PAGE_SIZE", 2)

    def namesake(entiteit, days):
        t = TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=entiteit, achternaam="Lambrechts"),
            d0=TODAY - timedelta(days=days),
        )
        refresh_summaries(m.Traject.objects.filter(pk=t.pk), TODAY)
        return t

    mine = [namesake(entiteit_a, days) for days in (20, 90, 50)]
    namesake(entiteit_b, 120)  # the most urgent, of another entity
    make(entiteit_a)  # another name
    params = {"wie": "alle", "q": "lambrechts"}
    html = as_coach_a.get(reverse("worklist"), params).content.decode()
    assert "3 trajecten, meest dringende termijn eerst." in html and "Meer dan" not in html
    mine.append(namesake(entiteit_a, 200))
    with CaptureQueriesContext(connection) as ctx:
        html = as_coach_a.get(reverse("worklist"), {**params, "pagina": 2}).content.decode()
    assert "Meer dan 3 trajecten" in html and "Pagina 2 van 2" in html
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any("COUNT(" in q for q in sql)
    (keys,) = [q for q in sql if q.startswith('SELECT "trajecten_traject"."id" AS "pk" FROM')]
    assert keys.endswith("LIMIT 4") and "ORDER BY" in keys
    order = list(
        m.Traject.objects.filter(pk__in=[t.pk for t in mine])
        .order_by(*m.WERKLIJST_VOLGORDE)
        .values_list("pk", flat=True)
    )
    shown = [
        [int(pk) for pk in re.findall(r'<a href="/trajecten/(\d+)/">', page_html)]
        for page_html in (as_coach_a.get(reverse("worklist"), params).content.decode(), html)
    ]
    assert shown == [order[:2], order[2:3]]
    assert count_queries(as_coach_a, reverse("worklist"), params) == 13  # as the list: keys instead of count


def test_limit_is_shown_with_a_thousands_separator():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("nl-be"):
        assert Template('{{ n|floatformat:"0g" }}').render(Context({"n": 1000})) == "1.000"


def open_predicate_sql() -> str:
    """The predicate of the worklist's partial indexes, as the ORM writes it in a query on trajecten."""
    from django.db.models.sql import Query

    query = Query(m.Traject)
    where = query.build_where(m.OPEN)
    sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
    return sql % tuple(f"'{p}'" for p in params)


CLOSED = {"status": "afgesloten", "afgesloten_op": TODAY, "uitkomst": "zelfde_functie"}


def add_closed_history(template: m.Traject, n: int) -> None:
    """n copies of a closed trajectory (one INSERT), then ANALYZE: a history the planner knows about."""
    cols = ", ".join(
        connection.ops.quote_name(f.column) for f in m.Traject._meta.concrete_fields if not f.primary_key
    )
    table = connection.ops.quote_name(m.Traject._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {table}, generate_series(1, %s) WHERE id = %s",  # noqa: S608 - names from the model
            [n, template.pk],
        )
        cur.execute(f"ANALYZE {table}")


@pytest.mark.parametrize("who", ["ago", "coach_a"])
@pytest.mark.parametrize(
    "params",
    [{}, {"wie": "alle"}, {"te_laat": "on"}, {"soort": "informeel"}, {"wie": "alle", "soort": "formeel"}],
)
def test_worklist_queries_read_the_partial_indexes_of_open_trajectories(
    client, request, entiteit_a, coach_a, who, params
):
    """The page and its count say the indexes' predicate, so PostgreSQL can read them
    instead of the closed history: with sequential and bitmap scans off, the plan reads trajecten only
    through indexes with that predicate (the worklist's, or the unique one of one open per staff member)."""
    for _ in range(3):
        make(entiteit_a, coach=coach_a, d0=TODAY - timedelta(days=70))
    make(entiteit_a, coach=coach_a, d0=TODAY - timedelta(days=70), soort=m.Traject.Soort.FORMEEL)
    add_closed_history(make(entiteit_a, coach=coach_a, **CLOSED), 3000)
    client.force_login(request.getfixturevalue(who))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("worklist"), params).status_code == 200
    worklist = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(("SELECT COUNT(*) FROM (SELECT", 'SELECT "trajecten_traject"."id"'))
        and 'FROM "trajecten_traject"' in q["sql"]
    ]
    assert len(worklist) == 2  # the bounded count and the page
    partial = {
        x.name
        for x in [*m.Traject._meta.indexes, *m.Traject._meta.constraints]
        if getattr(x, "condition", None) == m.OPEN
    }
    assert {"traject_open_werklijst", "traject_open_entiteit", "traject_open_coach"} <= partial
    predicate = open_predicate_sql()
    assert predicate == """NOT ("trajecten_traject"."status" = 'afgesloten')"""
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_bitmapscan = off")
        for sql in worklist:
            assert predicate in sql
            cur.execute("EXPLAIN " + sql.replace("%", "%%"))
            plan = "\n".join(r[0] for r in cur.fetchall())
            used = set(re.findall(r"Index (?:Only )?Scan using (\w+) on trajecten_traject\b", plan))
            # the page: its 25 keys from a partial index, then those rows by primary key
            assert used - {"trajecten_traject_pkey"} and used - {"trajecten_traject_pkey"} <= partial, plan


def test_worklist_selects_have_djangos_markup(as_coach_a, coach_a, entiteit_a):
    """The filters' selects are written in Python (reintegratie.widgets.SnelleSelect), as Django's templates
    would write them: same attributes, escaping and selected option."""
    from django import forms

    from reintegratie.widgets import SnelleSelect
    from trajecten.filters import TrajectFilter

    coach_a.first_name = 'Ann & "Bo" <i>'
    coach_a.save()
    req = as_coach_a.get(reverse("worklist")).wsgi_request
    flt = TrajectFilter({"coach": coach_a.pk, "soort": "formeel"}, request=req, today=TODAY)
    fields = [n for n, f in flt.form.fields.items() if isinstance(f.widget, SnelleSelect)]
    assert {"coach", "entiteit", "soort", "status", "overschrijdend"} <= set(fields)
    for name in fields:
        fast = flt.form[name].as_widget()
        flt.form.fields[name].widget.__class__ = forms.Select
        django = flt.form[name].as_widget()
        assert fast == re.sub(r"\n\s*\n", "\n", django), name
    coach_html = TrajectFilter({"coach": coach_a.pk}, request=req, today=TODAY).form["coach"].as_widget()
    assert f'<option value="{coach_a.pk}" selected>Ann &amp; &quot;Bo&quot; &lt;i&gt;' in coach_html


def test_ago_worklist_selects_have_djangos_markup(client, ago, coach_a, coach_b, entiteit_a, entiteit_b):
    """AgO's coach and entity options (every coach and entity of the VO) are read as rows
    (SnelleModelSelect): the same options, labels (a coach without a name: the username) and selection as
    Django's Select over model instances."""
    from django import forms

    from tests.factories import GebruikerFactory
    from trajecten.filters import TrajectFilter

    GebruikerFactory(username="zonder.naam", first_name="", last_name="", entiteit=entiteit_b)
    client.force_login(ago)
    req = client.get(reverse("worklist")).wsgi_request
    for data in ({}, {"coach": coach_b.pk, "entiteit": entiteit_a.pk}):
        flt = TrajectFilter(data, request=req, today=TODAY)
        html = {}
        for name in ("coach", "entiteit"):
            html[name] = flt.form[name].as_widget()
            flt.form.fields[name].widget.__class__ = forms.Select
            assert html[name] == re.sub(r"\n\s*\n", "\n", flt.form[name].as_widget()), name
        assert html["coach"].count("<option") == 1 + 3 and html["entiteit"].count("<option") == 1 + 2
        assert ">zonder.naam</option>" in html["coach"]
        assert html["coach"].count(" selected>") == html["entiteit"].count(" selected>") == 1
