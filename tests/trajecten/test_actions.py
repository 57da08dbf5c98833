"""Registering in a dossier: valid input is saved, bad input gets a Dutch message and changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D0 = TODAY - timedelta(days=100)


def d(day):
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def c(client, coach_a):
    client.force_login(coach_a)
    return client


@pytest.fixture
def t(entiteit_a, coach_a):
    return TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=D0, coach=coach_a)


def post(client, traject, kind, data):
    return client.post(reverse("actie", kwargs={"pk": traject.pk, "kind": kind}), data)


def refused(response, text):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "Er is niets opgeslagen" in html
    assert text in html, html[html.find("errorlist") - 200 : html.find("errorlist") + 400]


def not_allowed(response, text):
    """An action the dossier's state does not allow: a clear message instead of a form (409)."""
    assert response.status_code == 409, response.status_code
    html = response.content.decode()
    assert "Dit kan nu niet." in html and text in html
    assert '<form method="post" class="form"' not in html


def snapshot():
    return [
        model.objects.count()
        for model in (
            m.Traject,
            m.Gesprek,
            m.Inschatting,
            m.Stappenplan,
            m.Maatregel,
            m.Verlenging,
            m.Herval,
            m.Evaluatie,
        )
    ]


# --- registering a trajectory -------------------------------------------------------------------------


def registration(**kw):
    data = {
        "personeelsnummer": "p123456",
        "voornaam": "Els",
        "achternaam": "Wouters",
        "statuut": "contractueel",
        "functie": "Dossierbehandelaar",
        "soort": "informeel",
        "d0": d(D0),
        "leidinggevende": "Jan Maes",
    }
    return {**data, **kw}


def test_register_trajectory(c, coach_a):
    response = c.post(reverse("traject_nieuw"), registration(coach=coach_a.pk))
    t = m.Traject.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossier", args=[t.pk])
    assert (t.personeelslid.personeelsnummer, t.entiteit, t.coach, t.d0) == (
        "P123456",
        coach_a.entiteit,
        coach_a,
        D0,
    )
    assert t.eerstvolgende_termijn is not None  # deadline summary computed at once


@pytest.mark.parametrize(
    "data,message",
    [
        ({"d0": ""}, "Geef de eerste dag van de arbeidsongeschiktheid"),
        ({"soort": "preventief"}, "Een preventief traject heeft geen startdatum"),
        ({"d0": d(TODAY + timedelta(days=1))}, "ligt in de toekomst"),
        ({"d0": "31/02/2026"}, "Gebruik dd/mm/jjjj, bv. 05/03/2026."),
        ({"d0": "1999-12-31"}, "geen aannemelijke datum"),
        ({"achternaam": ""}, "Dit veld is verplicht"),
    ],
)
def test_register_refuses_bad_input(c, data, message):
    refused(c.post(reverse("traject_nieuw"), registration(**data)), message)
    assert m.Traject.objects.count() == 0 and m.Personeelslid.objects.count() == 0


def test_register_reveals_nothing_about_other_entities(c, coach_a, entiteit_b):
    """No oracle: a number known in another entity (even with an open dossier there) is registered as the
    own entity's staff member, exactly as an unknown number would be."""
    other = PersoneelslidFactory(entiteit=entiteit_b, personeelsnummer="P123456", achternaam="Anders")
    TrajectFactory(personeelslid=other)
    response = c.post(reverse("traject_nieuw"), registration())
    assert response.status_code == 302
    own = m.Personeelslid.objects.get(entiteit=coach_a.entiteit, personeelsnummer="P123456")
    assert own != other and own.achternaam == "Wouters"
    other.refresh_from_db()
    assert other.achternaam == "Anders"  # the other entity's record is untouched


def test_register_refuses_second_open_trajectory(c, t):
    response = c.post(
        reverse("traject_nieuw"), registration(personeelsnummer=t.personeelslid.personeelsnummer)
    )
    refused(response, "loopt al een open traject")
    assert reverse("dossier", args=[t.pk]) in response.content.decode()  # a link to the open dossier


def test_coach_cannot_register_for_other_entity(c, coach_a, entiteit_b):
    c.post(reverse("traject_nieuw"), registration(entiteit=entiteit_b.pk))
    assert m.Traject.objects.get().entiteit == coach_a.entiteit  # the field is fixed to the own entity


# --- conversations and assessments -----------------------------------------------------------------------


def test_conversation_saved_and_refreshes_worklist_summary(c, t):
    from trajecten.evaluation import refresh_one

    refresh_one(t.pk, TODAY)
    t.refresh_from_db()
    assert t.eerstvolgende_mijlpaal == "info_arbeidsarts"
    response = post(
        c,
        t,
        "gesprek",
        {
            "datum": d(D0 + timedelta(days=20)),
            "soort": "gesprek",
            "vorm": "telefoon",
            "gevoerd_door": "coach",
            "uitkomst": "Afspraak",
        },
    )
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.eerstvolgende_mijlpaal == "info_arbeidsarts"  # still missing
    post(
        c,
        t,
        "gesprek",
        {
            "datum": d(D0 + timedelta(days=21)),
            "soort": "info_arbeidsarts",
            "vorm": "mail",
            "gevoerd_door": "arbeidsarts",
        },
    )
    t.refresh_from_db()
    assert t.eerstvolgende_mijlpaal == "inschatting_4_maanden"


@pytest.mark.parametrize(
    "datum,message",
    [
        (D0 - timedelta(days=1), "vóór de start van de arbeidsongeschiktheid"),
        (TODAY + timedelta(days=1), "in de toekomst"),
    ],
)
def test_conversation_outside_d0_today_is_refused(c, t, datum, message):
    before = snapshot()
    refused(
        post(
            c,
            t,
            "gesprek",
            {"datum": d(datum), "soort": "gesprek", "vorm": "telefoon", "gevoerd_door": "coach"},
        ),
        message,
    )
    assert snapshot() == before


def test_assessment_not_yet_possible_needs_next_conversation(c, t):
    refused(
        post(c, t, "inschatting", {"datum": d(D0 + timedelta(days=30)), "uitkomst": "nog_niet_mogelijk"}),
        "Plan in samenspraak",
    )
    refused(
        post(
            c,
            t,
            "inschatting",
            {
                "datum": d(D0 + timedelta(days=30)),
                "uitkomst": "stappen_mogelijk",
                "volgend_gesprek_op": d(TODAY),
            },
        ),
        "Laat dit veld leeg",
    )
    assert m.Inschatting.objects.count() == 0
    assert (
        post(
            c,
            t,
            "inschatting",
            {
                "datum": d(D0 + timedelta(days=30)),
                "uitkomst": "nog_niet_mogelijk",
                "volgend_gesprek_op": d(TODAY + timedelta(days=14)),
            },
        ).status_code
        == 302
    )


# --- stappenplan, extension --------------------------------------------------------------------------


def plan_data(inschatting, **kw):
    data = {
        "inschatting": inschatting.pk if inschatting else "",
        "datum": d(D0 + timedelta(days=40)),
        "afspraken": "Halftijds starten",
        "maatregel-TOTAL_FORMS": "3",
        "maatregel-INITIAL_FORMS": "0",
        "maatregel-MIN_NUM_FORMS": "0",
        "maatregel-MAX_NUM_FORMS": "20",
        "maatregel-0-soort": "progressief",
        "maatregel-0-omschrijving": "50% gedurende 4 weken",
        "maatregel-1-soort": "werkplek",
        "maatregel-1-omschrijving": "Aangepaste stoel",
    }
    return {**data, **kw}


def test_stappenplan_needs_positive_assessment(c, t):
    not_allowed(post(c, t, "stappenplan", plan_data(None)), "Registreer eerst een inschatting")
    assert m.Stappenplan.objects.count() == 0


def test_stappenplan_with_measures(c, t):
    ins = m.Inschatting.objects.create(traject=t, datum=D0 + timedelta(days=35), uitkomst="stappen_mogelijk")
    assert post(c, t, "stappenplan", plan_data(ins)).status_code == 302
    plan = m.Stappenplan.objects.get()
    assert sorted(plan.maatregelen.values_list("soort", flat=True)) == ["progressief", "werkplek"]


def test_stappenplan_before_assessment_refused(c, t):
    ins = m.Inschatting.objects.create(traject=t, datum=D0 + timedelta(days=45), uitkomst="stappen_mogelijk")
    refused(post(c, t, "stappenplan", plan_data(ins)), "niet vóór de inschatting")
    assert m.Maatregel.objects.count() == 0


def test_extension_rules(c, t):
    not_allowed(
        post(
            c,
            t,
            "verlenging",
            {"toegekend_op": d(TODAY), "nieuwe_datum": d(TODAY + timedelta(days=30)), "reden": "SMT"},
        ),
        "zolang de termijn voor het stappenplan loopt",
    )
    assessed = TODAY - timedelta(days=20)
    m.Inschatting.objects.create(traject=t, datum=assessed, uitkomst="stappen_mogelijk")
    refused(
        post(
            c,
            t,
            "verlenging",
            {"toegekend_op": d(TODAY), "nieuwe_datum": d(TODAY + timedelta(days=90)), "reden": "  "},
        ),
        "Dit veld is verplicht",
    )
    refused(
        post(
            c,
            t,
            "verlenging",
            {"toegekend_op": d(TODAY), "nieuwe_datum": d(TODAY + timedelta(days=5)), "reden": "SMT"},
        ),
        "moet na de huidige uiterste datum",
    )
    assert m.Verlenging.objects.count() == 0
    assert (
        post(
            c,
            t,
            "verlenging",
            {"toegekend_op": d(TODAY), "nieuwe_datum": d(TODAY + timedelta(days=90)), "reden": "Advies SMT"},
        ).status_code
        == 302
    )
    t.refresh_from_db()
    assert t.eerstvolgende_termijn <= TODAY + timedelta(days=90)


def test_extension_after_term_expired_refused(c, t):
    m.Inschatting.objects.create(traject=t, datum=D0 + timedelta(days=1), uitkomst="stappen_mogelijk")
    refused(
        post(
            c,
            t,
            "verlenging",
            {"toegekend_op": d(TODAY), "nieuwe_datum": d(TODAY + timedelta(days=30)), "reden": "SMT"},
        ),
        "een verlenging kan niet meer",
    )


# --- return, relapse, evaluation, closure ---------------------------------------------------------------


def test_return_relapse_evaluation(c, t):
    not_allowed(post(c, t, "evaluatie", {"datum": d(TODAY), "gevoerd_door": "coach"}), "registreer die eerst")
    not_allowed(post(c, t, "herval", {"datum": d(TODAY)}), "Registreer eerst de werkhervatting")
    back = TODAY - timedelta(days=20)
    assert (
        post(
            c, t, "werkhervatting", {"werkhervatting_op": d(back), "werkhervatting_vorm": "progressief"}
        ).status_code
        == 302
    )
    t.refresh_from_db()
    assert (t.status, t.werkhervatting_op) == ("opvolging", back)
    assert (
        post(
            c,
            t,
            "evaluatie",
            {"datum": d(back + timedelta(days=7)), "gevoerd_door": "leidinggevende", "bijgestuurd": "on"},
        ).status_code
        == 302
    )
    refused(post(c, t, "herval", {"datum": d(back)}), "moet na de werkhervatting")
    assert post(c, t, "herval", {"datum": d(back + timedelta(days=10))}).status_code == 302
    t.refresh_from_db()
    herval = m.Herval.objects.get()
    assert (t.status, t.werkhervatting_op, herval.hervat_op, herval.hervatting_vorm) == (
        "lopend",
        None,
        back,
        "progressief",
    )


def test_close_requires_outcome_and_reason(c, t):
    refused(post(c, t, "afsluiten", {"afgesloten_op": d(TODAY)}), "vraagt een uitkomst")
    refused(
        post(c, t, "afsluiten", {"afgesloten_op": d(TODAY), "uitkomst": "geen_terugkeer"}), "Geef de reden"
    )
    t.refresh_from_db()
    assert t.status == "lopend"
    # the first valid submit asks a confirmation that shows the outcome chosen, and saves nothing
    ask = post(c, t, "afsluiten", {"afgesloten_op": d(TODAY), "uitkomst": "andere_functie"})
    assert ask.status_code == 200 and "Afsluiten bevestigen" in ask.content.decode()
    assert "Terugkeer in een andere functie" in ask.content.decode()
    t.refresh_from_db()
    assert t.status == "lopend"
    confirm = {"afgesloten_op": d(TODAY), "uitkomst": "andere_functie", "bevestigd": "True"}
    assert post(c, t, "afsluiten", confirm).status_code == 302
    t.refresh_from_db()
    assert (t.status, t.uitkomst, t.eerstvolgende_termijn) == ("afgesloten", "andere_functie", None)
    not_allowed(
        post(
            c,
            t,
            "gesprek",
            {"datum": d(TODAY), "soort": "contact", "vorm": "telefoon", "gevoerd_door": "coach"},
        ),
        "Dit traject is afgesloten",
    )


# --- informal -> formal ------------------------------------------------------------------------------


def test_convert_to_formal_keeps_link_and_history(c, entiteit_a, coach_a):
    young = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=TODAY - timedelta(days=30)
    )
    refused(
        post(c, young, "omzetten", {"aanvrager": "entiteit", "aanvraag_ontvangen_op": d(TODAY)}),
        "pas opstarten na 3 maanden",
    )
    response = post(c, young, "omzetten", {"aanvrager": "personeelslid", "aanvraag_ontvangen_op": d(TODAY)})
    young.refresh_from_db()
    formal = young.voortgezet_als
    assert response["Location"] == reverse("dossier", args=[formal.pk])
    assert (young.status, young.uitkomst) == ("afgesloten", "omgezet_formeel")
    assert (formal.soort, formal.d0, formal.formeel_verloop.aanvrager) == (
        "formeel",
        young.d0,
        "personeelslid",
    )
    html = c.get(reverse("dossier", args=[formal.pk])).content.decode()
    assert "Re-integratiebeoordeling door arbeidsarts (49 dagen)" in html
    assert reverse("dossier", args=[young.pk]) in html


def test_formal_steps_in_order(c, entiteit_a):
    f = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), soort="formeel", d0=D0)
    url = reverse("actie", args=[f.pk, "formeel"])
    base = {"aanvrager": "personeelslid", "aanvraag_ontvangen_op": d(D0 + timedelta(days=10))}
    refused(
        c.post(
            url, {**base, "beoordeling_op": d(D0 + timedelta(days=5)), "beoordeling": "tijdelijk_ander_werk"}
        ),
        "niet vóór de aanvraag",
    )
    refused(c.post(url, {**base, "beoordeling_op": d(D0 + timedelta(days=20))}), "Kies de uitkomst")
    refused(
        c.post(url, {**base, "plan_op": d(D0 + timedelta(days=20)), "plan_soort": "plan"}),
        "Vul eerst de vorige stap in",
    )
    assert not m.FormeelVerloop.objects.exists()
    ok = {**base, "beoordeling_op": d(D0 + timedelta(days=20)), "beoordeling": "tijdelijk_ander_werk"}
    assert c.post(url, ok).status_code == 302
    f.refresh_from_db()
    assert f.eerstvolgende_mijlpaal == "formeel_plan"


# --- history ----------------------------------------------------------------------------------------


def test_history_shows_who_what_when(c, t, coach_a):
    post(
        c,
        t,
        "gesprek",
        {"datum": d(D0 + timedelta(days=3)), "soort": "contact", "vorm": "telefoon", "gevoerd_door": "coach"},
    )
    post(c, t, "werkhervatting", {"werkhervatting_op": d(TODAY), "werkhervatting_vorm": "volledig"})
    html = c.get(reverse("historiek", args=[t.pk])).content.decode()
    assert str(coach_a) in html
    assert "Contact of gesprek aangemaakt" in html
    assert "Traject gewijzigd" in html and "Werk hervat – opvolging" in html
    assert "Lopend → Werk hervat – opvolging" in html


# --- dates as people type them, and only plausible ones ----------------------------------------------


@pytest.mark.parametrize(
    "typed", ["{d:02d}/{m:02d}/{y}", "{d}/{m}/{y}", "{d:02d}-{m:02d}-{y}", "{d:02d}.{m:02d}.{y}"]
)
def test_dates_as_people_type_them(c, t, typed):
    day = D0 + timedelta(days=3)
    text = typed.format(d=day.day, m=day.month, y=day.year)
    data = {"datum": text, "soort": "contact", "vorm": "telefoon", "gevoerd_door": "coach"}
    assert post(c, t, "gesprek", data).status_code == 302
    assert m.Gesprek.objects.get().datum == day


@pytest.mark.parametrize("typed", ["5/3/26", "2026/03/05", "31/02/2026", "morgen", "05/13/2026"])
def test_a_date_that_is_not_one_gets_the_expected_form(c, t, typed):
    data = {"datum": typed, "soort": "contact", "vorm": "telefoon", "gevoerd_door": "coach"}
    response = post(c, t, "gesprek", data)
    refused(response, "Gebruik dd/mm/jjjj, bv. 05/03/2026.")
    html = response.content.decode()
    errors = html[html.find('id="id_datum_error"') :]
    assert errors[: errors.find("</ul>")].count("<li>") == 1  # one error per field


FAR = TODAY + timedelta(days=800)
OLD = "31/12/1999"

# (action, valid data, field, implausible value, message)
IMPLAUSIBLE = [
    (
        "gesprek",
        {"soort": "gesprek", "vorm": "telefoon", "gevoerd_door": "coach"},
        "datum",
        d(TODAY + timedelta(days=1)),
        "in de toekomst",
    ),
    (
        "gesprek",
        {"soort": "gesprek", "vorm": "telefoon", "gevoerd_door": "coach"},
        "datum",
        OLD,
        "geen aannemelijke datum",
    ),
    (
        "inschatting",
        {"uitkomst": "nog_niet_mogelijk", "volgend_gesprek_op": d(TODAY + timedelta(days=9))},
        "datum",
        d(TODAY + timedelta(days=1)),
        "in de toekomst",
    ),
    (
        "inschatting",
        {"uitkomst": "nog_niet_mogelijk", "datum": d(TODAY)},
        "volgend_gesprek_op",
        d(FAR),
        "meer dan twee jaar",
    ),
    (
        "betrokkenheid",
        {"actor": "smt", "toestemming_op": d(D0 - timedelta(days=1))},
        "vanaf",
        d(D0 - timedelta(days=1)),
        "vóór de start van de arbeidsongeschiktheid",
    ),
    (
        "werkhervatting",
        {"werkhervatting_vorm": "volledig"},
        "werkhervatting_op",
        d(TODAY + timedelta(days=1)),
        "in de toekomst",
    ),
    (
        "werkhervatting",
        {"werkhervatting_vorm": "volledig"},
        "werkhervatting_op",
        "01/01/1900",
        "geen aannemelijke datum",
    ),
    (
        "afsluiten",
        {"uitkomst": "zelfde_functie"},
        "afgesloten_op",
        d(TODAY + timedelta(days=1)),
        "in de toekomst",
    ),
    (
        "omzetten",
        {"aanvrager": "personeelslid"},
        "aanvraag_ontvangen_op",
        d(TODAY + timedelta(days=1)),
        "in de toekomst",
    ),
    (
        "gegevens",
        {"voornaam": "An", "achternaam": "Peeters", "statuut": "statutair", "wijzigingsreden": "x"},
        "d0",
        d(TODAY + timedelta(days=1)),
        "ligt in de toekomst",
    ),
    (
        "gegevens",
        {
            "voornaam": "An",
            "achternaam": "Peeters",
            "statuut": "statutair",
            "wijzigingsreden": "x",
            "d0": d(D0),
        },
        "definitieve_ongeschiktheid_op",
        d(TODAY + timedelta(days=1)),
        "in de toekomst",
    ),
]


@pytest.mark.parametrize(
    "kind,data,field,value,message", IMPLAUSIBLE, ids=[f"{k}-{f}-{v}" for k, _, f, v, _ in IMPLAUSIBLE]
)
def test_implausible_dates_are_refused_in_every_form(c, t, kind, data, field, value, message):
    before = snapshot(), m.Traject.objects.values_list("d0", "werkhervatting_op", "status").get()
    response = post(c, t, kind, {**data, field: value})
    refused(response, message)
    assert (snapshot(), m.Traject.objects.values_list("d0", "werkhervatting_op", "status").get()) == before


def test_implausible_planned_dates_in_stappenplan_and_extension(c, t):
    ins = m.Inschatting.objects.create(
        traject=t, datum=TODAY - timedelta(days=5), uitkomst="stappen_mogelijk"
    )
    refused(
        post(c, t, "stappenplan", plan_data(ins, datum=d(TODAY), beoogde_hervatting_op=d(FAR))),
        "meer dan twee jaar",
    )
    refused(
        post(c, t, "stappenplan", plan_data(ins, datum=d(TODAY), **{"maatregel-0-tot": d(FAR)})),
        "meer dan twee jaar",
    )
    refused(
        post(c, t, "verlenging", {"toegekend_op": d(TODAY), "nieuwe_datum": d(FAR), "reden": "SMT"}),
        "meer dan twee jaar",
    )
    assert m.Stappenplan.objects.count() == m.Verlenging.objects.count() == 0


def test_measures_respect_their_maximum(c, t):
    ins = m.Inschatting.objects.create(
        traject=t, datum=TODAY - timedelta(days=5), uitkomst="stappen_mogelijk"
    )
    data = plan_data(ins, datum=d(TODAY), **{"maatregel-TOTAL_FORMS": "21"})
    for i in range(21):
        data[f"maatregel-{i}-soort"] = "andere"
    refused(post(c, t, "stappenplan", data), "Verstuur maximaal 20 formulieren")
    assert m.Maatregel.objects.count() == 0


# --- actions follow the state; milestones link to the action that meets them --------------------------


def test_overdue_milestone_links_to_the_action_that_meets_it(c, t):
    from trajecten.evaluation import refresh_one

    refresh_one(t.pk, TODAY)
    html = c.get(reverse("dossier", args=[t.pk])).content.decode()
    link = reverse("actie", args=[t.pk, "gesprek"]) + "?soort=info_arbeidsarts"
    assert f'href="{link}" aria-label="Registreren: Info arbeidsarts' in html
    form = c.get(link).content.decode()
    assert '<option value="info_arbeidsarts" selected>' in form
    # no action the state does not allow: no stappenplan before a positive assessment, no relapse without return
    assert reverse("actie", args=[t.pk, "stappenplan"]) + '"' not in html
    assert reverse("actie", args=[t.pk, "herval"]) not in html


def test_a_correction_that_misses_a_term_raises_its_signal_at_once(c, t):
    from trajecten.evaluation import refresh_one

    g = m.Gesprek.objects.create(
        traject=t,
        datum=D0 + timedelta(days=10),
        soort="info_arbeidsarts",
        vorm="mail",
        gevoerd_door="arbeidsarts",
    )
    refresh_one(t.pk, TODAY)
    assert not m.Signaal.objects.filter(mijlpaal="info_arbeidsarts", opgelost_op__isnull=True).exists()
    url = reverse("wijzigen", args=[t.pk, "gesprek", g.pk])
    data = {
        "datum": d(D0 + timedelta(days=40)),
        "soort": "info_arbeidsarts",
        "vorm": "mail",
        "gevoerd_door": "arbeidsarts",
    }
    assert c.post(url, {**data, "wijzigingsreden": "Datum van het verslag"}).status_code == 302
    # met late: no open signal, but the conversation term is now missed -> raised at once
    late = m.Signaal.objects.filter(soort="te_laat", opgelost_op__isnull=True).values_list(
        "mijlpaal", flat=True
    )
    assert "gesprek_2_maanden" in set(late)


# --- preventive trajectories --------------------------------------------------------------------------


def test_preventive_lifecycle_close_and_convert(c, entiteit_a, coach_a):
    p = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a), soort="preventief", d0=None, coach=coach_a
    )
    html = c.get(reverse("actie", args=[p.pk, "afsluiten"])).content.decode()
    assert "Blijft aan het werk" in html and "Terugkeer in dezelfde functie" not in html
    not_allowed(
        post(c, p, "werkhervatting", {"werkhervatting_op": d(TODAY), "werkhervatting_vorm": "volledig"}),
        "preventief",
    )
    not_allowed(
        post(c, p, "omzetten", {"aanvrager": "personeelslid", "aanvraag_ontvangen_op": d(TODAY)}),
        "informeel traject",
    )
    m.Gesprek.objects.create(
        traject=p, datum=TODAY - timedelta(days=20), soort="contact", vorm="telefoon", gevoerd_door="coach"
    )
    # dropped out after all: continue as an informal trajectory from D0
    refused(post(c, p, "omzetten_informeel", {"d0": ""}), "Dit veld is verplicht")
    response = post(c, p, "omzetten_informeel", {"d0": d(TODAY - timedelta(days=3))})
    p.refresh_from_db()
    informal = p.voortgezet_als
    assert response["Location"] == reverse("dossier", args=[informal.pk])
    assert (p.status, p.uitkomst, p.afgesloten_op) == (
        "afgesloten",
        "omgezet_informeel",
        TODAY - timedelta(days=3),
    )
    assert (informal.soort, informal.d0, informal.coach) == ("informeel", TODAY - timedelta(days=3), coach_a)
    assert informal.eerstvolgende_mijlpaal == "info_arbeidsarts"  # the clock runs
    html = c.get(reverse("dossier", args=[informal.pk])).content.decode()
    assert reverse("dossier", args=[p.pk]) in html  # linked both ways
    assert reverse("dossier", args=[informal.pk]) in c.get(reverse("dossier", args=[p.pk])).content.decode()


def test_preventive_closes_with_its_own_outcomes(c, entiteit_a, coach_a):
    p = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a), soort="preventief", d0=None, coach=coach_a
    )
    refused(
        post(
            c, p, "afsluiten", {"afgesloten_op": d(TODAY), "uitkomst": "zelfde_functie", "bevestigd": "True"}
        ),
        "Selecteer een geldige keuze",
    )
    assert (
        post(
            c, p, "afsluiten", {"afgesloten_op": d(TODAY), "uitkomst": "blijft_werken", "bevestigd": "True"}
        ).status_code
        == 302
    )
    p.refresh_from_db()
    assert (p.status, p.uitkomst) == ("afgesloten", "blijft_werken")


def test_formal_request_by_the_entity_follows_the_3_month_rule(c, entiteit_a):
    f = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
        soort="formeel",
        d0=TODAY - timedelta(days=20),
    )
    url = reverse("actie", args=[f.pk, "formeel"])
    refused(
        c.post(url, {"aanvrager": "entiteit", "aanvraag_ontvangen_op": d(TODAY)}),
        "pas opstarten na 3 maanden",
    )
    assert c.post(url, {"aanvrager": "personeelslid", "aanvraag_ontvangen_op": d(TODAY)}).status_code == 302
