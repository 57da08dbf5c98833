"""Keeping a dossier true: correct, remove, reopen, through the HTTP flow a coach uses, with history."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    BetrokkenheidFactory,
    EvaluatieFactory,
    FormeelVerloopFactory,
    GesprekFactory,
    HervalFactory,
    InschattingFactory,
    MaatregelFactory,
    PersoneelslidFactory,
    StappenplanFactory,
    TrajectFactory,
    VerlengingFactory,
)
from trajecten import models as m
from trajecten.evaluation import refresh_one

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D0 = TODAY - timedelta(days=200)


def d(day):
    return day.strftime("%d/%m/%Y")


def day(n):
    return D0 + timedelta(days=n)


@pytest.fixture
def c(client, coach_a):
    client.force_login(coach_a)
    return client


@pytest.fixture
def full(entiteit_a, coach_a):
    """An informal dossier with one of every part: back at work after a relapse, under follow-up."""
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
        d0=D0,
        coach=coach_a,
        status="opvolging",
        werkhervatting_op=day(150),
        werkhervatting_vorm="progressief",
    )
    parts = {
        "gesprek": GesprekFactory(traject=t, datum=day(10), uitkomst="Eerste contact"),
        "betrokkenheid": BetrokkenheidFactory(traject=t, vanaf=day(15)),
        "inschatting": InschattingFactory(
            traject=t, datum=day(20), uitkomst="nog_niet_mogelijk", volgend_gesprek_op=day(40)
        ),
    }
    positive = InschattingFactory(traject=t, datum=day(50))
    parts["verlenging"] = VerlengingFactory(traject=t, toegekend_op=day(60), nieuwe_datum=day(130))
    parts["stappenplan"] = StappenplanFactory(traject=t, inschatting=positive, datum=day(70))
    MaatregelFactory(stappenplan=parts["stappenplan"], soort="werkplek", omschrijving="Aangepaste stoel")
    parts["herval"] = HervalFactory(traject=t, hervat_op=day(90), datum=day(120))
    parts["evaluatie"] = EvaluatieFactory(traject=t, datum=day(160), verslag="Loopt goed")
    parts["onderzoek"] = m.Onderzoek.objects.create(
        traject=t, soort="onderzoek_bij_werkhervatting", datum=day(151)
    )
    parts["werkhervatting"] = t
    refresh_one(t.pk, TODAY)
    t.refresh_from_db()
    return t, parts


# kind -> (a field and its new value as typed, the readable old and new value in the history)
CORRECTIONS = {
    "gesprek": ({"datum": d(day(11))}, d(day(10)), d(day(11))),
    "betrokkenheid": ({"vanaf": d(day(16))}, d(day(15)), d(day(16))),
    "inschatting": ({"volgend_gesprek_op": d(day(45))}, d(day(40)), d(day(45))),
    "verlenging": ({"nieuwe_datum": d(day(140))}, d(day(130)), d(day(140))),
    "stappenplan": ({"afspraken": "Eerst drie halve dagen"}, "Halftijds starten", "Eerst drie halve dagen"),
    "herval": ({"datum": d(day(121))}, d(day(120)), d(day(121))),
    "evaluatie": ({"verslag": "Bijgestuurd: minder uren"}, "Loopt goed", "Bijgestuurd: minder uren"),
    "werkhervatting": ({"werkhervatting_op": d(day(149))}, d(day(150)), d(day(149))),
    "onderzoek": ({"datum": d(day(152))}, d(day(151)), d(day(152))),
}


def form_data(html: str) -> dict:
    """The values a browser would submit for the form on the page (inputs, selected options, textareas)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name.group(1)] = "on"
            continue
        if 'type="radio"' in tag:
            if "checked" in tag:
                data[name.group(1)] = value.group(1)
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    data.pop("csrfmiddlewaretoken", None)
    return data


def history(c, t) -> str:
    return c.get(reverse("historiek", args=[t.pk])).content.decode()


def dossier(c, t) -> str:
    return c.get(reverse("dossier", args=[t.pk])).content.decode()


@pytest.mark.parametrize("kind", list(CORRECTIONS))
def test_correct_every_part(c, full, kind):
    t, parts = full
    obj = parts[kind]
    url = reverse("wijzigen", args=[t.pk, kind, obj.pk])
    assert url in dossier(c, t)  # each timeline entry offers "Wijzigen"
    page = c.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    change, old, new = CORRECTIONS[kind]
    # pre-filled with the current values
    for name in change:
        assert data[name] == old, (name, data[name])
    # the reason is required
    response = c.post(url, {**data, **change, "wijzigingsreden": ""})
    assert response.status_code == 200 and "Geef een korte reden op." in response.content.decode()
    response = c.post(url, {**data, **change, "wijzigingsreden": "Tikfout bij de registratie"})
    assert response.status_code == 302, response.content.decode()[:3000]
    obj.refresh_from_db()
    html = history(c, t)
    assert "gewijzigd" in html and "Tikfout bij de registratie" in html
    assert f"{old} → {new}" in html


@pytest.mark.parametrize("kind", [k for k in CORRECTIONS if k != "herval"])
def test_remove_every_part(c, full, kind):
    t, parts = full
    obj = parts[kind]
    url = reverse("verwijderen", args=[t.pk, kind, obj.pk])
    assert url in dossier(c, t)
    page = c.get(url)
    assert page.status_code == 200 and "Verwijderen" in page.content.decode()
    data = form_data(page.content.decode())
    response = c.post(url, {**data, "wijzigingsreden": ""})
    assert response.status_code == 200 and "Geef een korte reden op." in response.content.decode()
    response = c.post(url, {**data, "wijzigingsreden": "Per vergissing geregistreerd"})
    assert response.status_code == 302, response.content.decode()[:3000]
    if kind == "werkhervatting":
        t.refresh_from_db()
        assert (t.werkhervatting_op, t.status) == (None, "lopend")
    else:
        assert not type(obj).objects.filter(pk=obj.pk).exists()
        assert url not in dossier(c, t)
    html = history(c, t)
    assert "Per vergissing geregistreerd" in html
    assert "verwijderd" in html or kind == "werkhervatting"


def test_remove_relapse_restores_the_return_it_ended(c, full):
    t, parts = full
    herval = parts["herval"]
    url = reverse("verwijderen", args=[t.pk, "herval", herval.pk])
    # while a later return is registered the relapse is not offered for removal ...
    assert url not in dossier(c, t)
    # ... first remove that return, then the relapse
    c.post(reverse("verwijderen", args=[t.pk, "werkhervatting", t.pk]), {"wijzigingsreden": "Vergissing"})
    assert url in dossier(c, t)
    assert c.post(url, {"wijzigingsreden": "Geen herval, wel verlof"}).status_code == 302
    t.refresh_from_db()
    assert (t.status, t.werkhervatting_op, t.werkhervatting_vorm) == ("opvolging", day(90), "volledig")
    assert not m.Herval.objects.exists()


def test_inschatting_carrying_a_stappenplan_cannot_be_removed(c, full):
    t, parts = full
    positive = parts["stappenplan"].inschatting
    response = c.post(
        reverse("verwijderen", args=[t.pk, "inschatting", positive.pk]), {"wijzigingsreden": "Vergissing"}
    )
    assert response.status_code == 200
    assert "steunt op deze inschatting" in response.content.decode()
    assert m.Inschatting.objects.filter(pk=positive.pk).exists()


@pytest.mark.parametrize(
    "kind,change,field_message",
    [
        (
            "gesprek",
            {"datum": d(D0 - timedelta(days=1))},
            "mag niet vóór de start van de arbeidsongeschiktheid",
        ),
        ("gesprek", {"datum": d(TODAY + timedelta(days=1))}, "ligt in de toekomst"),
        ("werkhervatting", {"werkhervatting_op": d(day(110))}, "moet na het herval van"),
        ("herval", {"datum": d(day(155))}, "moet vóór de werkhervatting van"),
        ("evaluatie", {"datum": d(day(80))}, "vóór de (eerste) werkhervatting"),
        ("stappenplan", {"datum": d(day(45))}, "mag niet vóór de inschatting van"),
        ("verlenging", {"toegekend_op": d(day(75))}, "was er al een stappenplan"),
        ("inschatting", {"volgend_gesprek_op": d(TODAY + timedelta(days=800))}, "meer dan twee jaar"),
    ],
)
def test_contradictory_correction_is_refused_on_its_field(c, full, kind, change, field_message):
    t, parts = full
    url = reverse("wijzigen", args=[t.pk, kind, parts[kind].pk])
    data = form_data(c.get(url).content.decode())
    before = history(c, t).count("gewijzigd")
    response = c.post(url, {**data, **change, "wijzigingsreden": "Poging"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er is niets opgeslagen" in html and field_message in html, html[html.find("errorlist") - 300 :][
        :900
    ]
    assert history(c, t).count("gewijzigd") == before


def test_positive_assessment_with_plan_cannot_turn_negative(c, full):
    t, parts = full
    positive = parts["stappenplan"].inschatting
    url = reverse("wijzigen", args=[t.pk, "inschatting", positive.pk])
    data = form_data(c.get(url).content.decode())
    change = {"uitkomst": "nog_niet_mogelijk", "volgend_gesprek_op": d(day(60)), "wijzigingsreden": "x"}
    html = c.post(url, {**data, **change}).content.decode()
    assert "steunt op deze inschatting" in html
    positive.refresh_from_db()
    assert positive.uitkomst == "stappen_mogelijk"


def test_core_data_correction(c, full, coach_a, entiteit_a):
    from tests.factories import GebruikerFactory

    t, _parts = full
    other = GebruikerFactory(username="coach.a2", first_name="Mia", last_name="Smets", entiteit=entiteit_a)
    url = reverse("actie", args=[t.pk, "gegevens"])
    data = form_data(c.get(url).content.decode())
    assert data["d0"] == d(D0) and data["coach"] == str(coach_a.pk)
    # D0 cannot move after registered facts
    html = c.post(url, {**data, "d0": d(day(12)), "wijzigingsreden": "x"}).content.decode()
    assert "mag niet na het contact of gesprek van" in html
    change = {
        "coach": other.pk,
        "functie": "Teamleider",
        "leidinggevende": "Nieuwe chef",
        "d0": d(D0 - timedelta(days=2)),
    }
    assert c.post(url, {**data, **change, "wijzigingsreden": "Overdracht aan collega"}).status_code == 302
    t.refresh_from_db()
    assert (t.coach, t.d0, t.personeelslid.functie) == (other, D0 - timedelta(days=2), "Teamleider")
    html = history(c, t)
    assert f"{coach_a} → Mia Smets" in html  # names, never database numbers
    assert "Overdracht aan collega" in html
    assert "Beleidsmedewerker → Teamleider" in html


def test_history_shows_labels_not_numbers(c, full):
    t, parts = full
    html = history(c, t)
    plan = parts["stappenplan"]
    assert f"stappenplan van {d(plan.datum)}" in html  # the measure's plan, by name
    assert f"inschatting van {d(plan.inschatting.datum)}" in html  # the plan's assessment
    assert t.entiteit.naam in html
    for pk in (plan.pk, plan.inschatting_id, t.entiteit_id):
        assert f": {pk}<" not in html and f"→ {pk}<" not in html


def test_history_says_demo_data_instead_of_system(client):
    from entiteiten.models import Gebruiker
    from trajecten import generator

    generator.laad(generator.demo(3), seed=1, reference_date=TODAY)
    t = m.Traject.objects.first()
    client.force_login(Gebruiker.objects.filter(rol="ago").first())
    c = client
    html = history(c, t)
    assert "demodata (seed_demo)" in html
    assert ">systeem<" not in html


def test_correcting_a_conversation_date_can_unmeet_a_term(c, entiteit_a, coach_a):
    d0 = TODAY - timedelta(days=100)
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=d0, coach=coach_a)
    g = GesprekFactory(traject=t, datum=d0 + timedelta(days=20))
    m.Gesprek.objects.create(
        traject=t,
        datum=d0 + timedelta(days=21),
        soort="info_arbeidsarts",
        vorm="mail",
        gevoerd_door="arbeidsarts",
    )
    m.Inschatting.objects.create(
        traject=t,
        datum=d0 + timedelta(days=90),
        uitkomst="nog_niet_mogelijk",
        volgend_gesprek_op=TODAY + timedelta(days=30),
    )
    refresh_one(t.pk, TODAY)
    url = reverse("wijzigen", args=[t.pk, "gesprek", g.pk])
    data = form_data(c.get(url).content.decode())
    # moved after the 2-month term: the term is now met late... the assessment on day 90 was the first conversation
    late = d0 + timedelta(days=70)
    assert c.post(url, {**data, "datum": d(late), "wijzigingsreden": "Datum verkeerd"}).status_code == 302
    html = dossier(c, t)
    assert "laattijdig" in html
    data = form_data(c.get(url).content.decode())  # a new form: the first one's token is used
    assert (
        c.post(
            url, {**data, "datum": d(d0 + timedelta(days=20)), "wijzigingsreden": "Toch juist"}
        ).status_code
        == 302
    )
    assert "laattijdig" not in dossier(c, t)


def test_reopen_a_closed_dossier(c, full):
    t, _parts = full
    close = {"afgesloten_op": d(TODAY), "uitkomst": "zelfde_functie", "bevestigd": "True"}
    assert c.post(reverse("actie", args=[t.pk, "afsluiten"]), close).status_code == 302
    t.refresh_from_db()
    assert t.status == "afgesloten" and t.eerstvolgende_termijn is None
    html = dossier(c, t)
    assert "Heropenen" in html and "Wijzigen" not in html  # nothing but reopening on a closed dossier
    assert reverse("actie", args=[t.pk, "gesprek"]) not in html
    url = reverse("actie", args=[t.pk, "heropenen"])
    assert c.post(url, {"wijzigingsreden": ""}).status_code == 200
    assert c.post(url, {"wijzigingsreden": "Per vergissing afgesloten"}).status_code == 302
    t.refresh_from_db()
    assert (t.status, t.uitkomst, t.afgesloten_op) == ("opvolging", "", None)
    assert "Per vergissing afgesloten" in history(c, t)
    # reopening an open dossier is not possible
    assert c.get(url).status_code == 409


def test_reopen_refused_for_converted_or_when_another_is_open(c, entiteit_a, coach_a):
    lid = PersoneelslidFactory(entiteit=entiteit_a)
    old = TrajectFactory(personeelslid=lid, d0=D0, coach=coach_a)
    url = reverse("actie", args=[old.pk, "omzetten"])
    assert c.post(url, {"aanvrager": "personeelslid", "aanvraag_ontvangen_op": d(TODAY)}).status_code == 302
    response = c.post(reverse("actie", args=[old.pk, "heropenen"]), {"wijzigingsreden": "x"})
    assert response.status_code == 409 and "loopt verder als een ander traject" in response.content.decode()
    other_closed = TrajectFactory(
        personeelslid=lid,
        d0=D0 - timedelta(days=400),
        status="afgesloten",
        afgesloten_op=D0 - timedelta(days=300),
        uitkomst="zelfde_functie",
    )
    response = c.post(reverse("actie", args=[other_closed.pk, "heropenen"]), {"wijzigingsreden": "x"})
    assert response.status_code == 409 and "maar één traject tegelijk open" in response.content.decode()


def test_formal_step_corrected_with_reason_and_last_step_removed(c, entiteit_a, coach_a):
    f = FormeelVerloopFactory(
        traject__personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
        traject__d0=D0,
        traject__coach=coach_a,
        beoordeling_op=day(30),
        beoordeling="tijdelijk_ander_werk",
    )
    t = f.traject
    url = reverse("actie", args=[t.pk, "formeel"])
    data = form_data(c.get(url).content.decode())
    assert data["beoordeling_op"] == d(day(30))
    html = c.post(url, {**data, "beoordeling_op": d(day(31))}).content.decode()
    assert "Geef de reden van de wijziging" in html
    assert (
        c.post(
            url, {**data, "beoordeling_op": d(day(31)), "wijzigingsreden": "Datum op het verslag"}
        ).status_code
        == 302
    )
    f.refresh_from_db()
    assert f.beoordeling_op == day(31)
    # adding the next step needs no reason
    assert (
        c.post(
            url, {**form_data(c.get(url).content.decode()), "plan_op": d(day(40)), "plan_soort": "plan"}
        ).status_code
        == 302
    )
    remove = reverse("verwijderen", args=[t.pk, "formeel", f.pk])
    assert remove in dossier(c, t)
    assert c.post(remove, {"wijzigingsreden": "Plan nog niet bezorgd"}).status_code == 302
    f.refresh_from_db()
    assert (f.plan_op, f.plan_soort, f.beoordeling_op) == (None, "", day(31))
    assert "Plan nog niet bezorgd" in history(c, t)


def test_closed_dossier_shows_deadlines_as_they_stood(c, entiteit_a, coach_a):
    d0 = TODAY - timedelta(days=300)
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
        d0=d0,
        coach=coach_a,
        status="afgesloten",
        afgesloten_op=d0 + timedelta(days=50),
        uitkomst="zelfde_functie",
    )
    GesprekFactory(traject=t, datum=d0 + timedelta(days=30))
    html = dossier(c, t)
    assert "Zoals ze stonden bij de afsluiting" in html
    assert "te laat" in html  # info arbeidsarts (4 weeks) was missed
    assert "voldaan" in html  # the conversation was on time
    assert "liep nog bij de afsluiting" in html  # the 4-month assessment term was still running


def test_stappenplan_measures_corrected_and_shown_with_dates(c, full):
    t, parts = full
    plan = parts["stappenplan"]
    url = reverse("wijzigen", args=[t.pk, "stappenplan", plan.pk])
    data = form_data(c.get(url).content.decode())
    assert data["maatregel-0-soort"] == "werkplek"
    data.update(
        {
            "maatregel-0-vanaf": d(day(75)),
            "maatregel-0-tot": d(day(100)),
            "maatregel-1-soort": "aangepaste_uren",
            "wijzigingsreden": "Maatregelen aangevuld",
        }
    )
    assert c.post(url, data).status_code == 302
    assert sorted(plan.maatregelen.values_list("soort", flat=True)) == ["aangepaste_uren", "werkplek"]
    html = dossier(c, t)
    assert f"(van {d(day(75))} tot {d(day(100))})" in html
    # removing a measure in the correction form
    data = form_data(c.get(url).content.decode())
    data.update({"maatregel-1-DELETE": "on", "wijzigingsreden": "Dubbel"})
    assert c.post(url, data).status_code == 302
    assert list(plan.maatregelen.values_list("soort", flat=True)) == ["werkplek"]
    assert "Dubbel" in history(c, t)
