"""`manage.py evaluate_deadlines`: the stable JSON other work and outside checks rely on."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import EntiteitFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("evaluate_deadlines", *args, stdout=out)
    return out.getvalue()


def by_traject(output):
    return {item["traject"]: item for item in json.loads(output)}


@pytest.fixture
def dossiers():
    ent = EntiteitFactory(code="OMG")
    other = EntiteitFactory(code="AWV")

    def traject(**kw):
        return TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=kw.pop("entiteit", ent)), **kw)

    d = {}
    d["nothing"] = traject(d0=date(2026, 1, 31))
    d["conversation"] = traject(d0=date(2026, 1, 31))
    m.Gesprek.objects.create(
        traject=d["conversation"], datum=date(2026, 3, 10), vorm="bezoek", gevoerd_door="coach"
    )
    m.Gesprek.objects.create(
        traject=d["conversation"],
        datum=date(2026, 2, 20),
        soort="info_arbeidsarts",
        vorm="mail",
        gevoerd_door="arbeidsarts",
    )
    d["not_yet"] = traject(d0=date(2026, 1, 5))
    m.Inschatting.objects.create(
        traject=d["not_yet"],
        datum=date(2026, 2, 20),
        uitkomst="nog_niet_mogelijk",
        volgend_gesprek_op=date(2026, 4, 1),
    )
    d["positive"] = traject(d0=date(2025, 12, 31))
    m.Inschatting.objects.create(traject=d["positive"], datum=date(2026, 1, 31), uitkomst="stappen_mogelijk")
    d["extended"] = traject(d0=date(2025, 12, 31))
    m.Inschatting.objects.create(traject=d["extended"], datum=date(2026, 1, 31), uitkomst="stappen_mogelijk")
    m.Verlenging.objects.create(
        traject=d["extended"],
        toegekend_op=date(2026, 3, 20),
        nieuwe_datum=date(2026, 5, 15),
        reden="Advies SMT gevraagd",
    )
    d["formal"] = traject(soort="formeel", d0=date(2026, 1, 2))
    m.FormeelVerloop.objects.create(
        traject=d["formal"],
        aanvrager="personeelslid",
        aanvraag_ontvangen_op=date(2026, 2, 10),
        beoordeling_op=date(2026, 3, 1),
        beoordeling="definitief_ander_werk",
    )
    d["preventive"] = traject(soort="preventief", d0=None)
    d["closed"] = traject(status="afgesloten", afgesloten_op=date(2026, 3, 1), uitkomst="zelfde_functie")
    d["elsewhere"] = traject(entiteit=other)
    return d


def test_json_is_the_documented_shape_and_values(dossiers):
    result = by_traject(run("--as-of", "2026-04-02", "--json"))
    assert dossiers["closed"].pk not in result  # only open trajectories
    nothing = result[dossiers["nothing"].pk]
    assert set(nothing) >= {
        "traject",
        "entiteit",
        "milestones",
        "formal_possible_staff",
        "formal_possible_entity",
        "formal_mandatory",
        "warnings",
    }
    assert nothing["entiteit"] == "OMG"
    assert [(x["code"], x["due"], x["state"]) for x in nothing["milestones"]] == [
        ("info_arbeidsarts", "2026-02-28", "missed"),
        ("advies_eerste_gesprek", "2026-03-14", "missed"),
        ("gesprek_2_maanden", "2026-03-31", "missed"),
        ("inschatting_4_maanden", "2026-05-31", "not_yet_due"),
    ]
    assert nothing["formal_possible_staff"] is True
    assert nothing["formal_possible_entity"] is False  # 31/01 + 3 months = 30/04
    assert nothing["formal_mandatory"] is False

    conv = {x["code"]: x for x in result[dossiers["conversation"].pk]["milestones"]}
    assert conv["gesprek_2_maanden"]["state"] == "met" and conv["gesprek_2_maanden"]["met_on"] == "2026-03-10"
    assert conv["info_arbeidsarts"]["state"] == "met"

    not_yet = {x["code"]: x for x in result[dossiers["not_yet"].pk]["milestones"]}
    assert not_yet["volgend_gesprek"] == {
        "code": "volgend_gesprek",
        "due": "2026-04-01",
        "state": "missed",
        "met_on": None,
        "period": 1,
        "period_start": "2026-01-05",
        "history": False,
    }
    assert result[dossiers["not_yet"].pk]["formal_possible_entity"] is False  # 05/01 + 3 months = 05/04


def test_formal_possible_entity_from_three_months(dossiers):
    before = by_traject(run("--as-of", "2026-04-04", "--json"))[dossiers["not_yet"].pk]
    on = by_traject(run("--as-of", "2026-04-05", "--json"))[dossiers["not_yet"].pk]
    assert before["formal_possible_entity"] is False
    assert on["formal_possible_entity"] is True
    assert on["formal_possible_entity_from"] == "2026-04-05"


def test_stappenplan_missed_warns_while_obligation_not_in_force(dossiers, settings):
    settings.FORMEEL_VERPLICHT_VANAF = None
    item = by_traject(run("--as-of", "2026-04-01", "--json"))[dossiers["positive"].pk]
    stappenplan = next(x for x in item["milestones"] if x["code"] == "stappenplan")
    assert (stappenplan["due"], stappenplan["state"]) == ("2026-03-31", "missed")
    assert item["formal_mandatory"] is False
    assert "formeel_verplicht_nog_niet_van_kracht" in item["warnings"]

    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 1, 1)
    item = by_traject(run("--as-of", "2026-04-01", "--json"))[dossiers["positive"].pk]
    assert item["formal_mandatory"] is True
    assert item["formal_mandatory_reasons"] == ["stappenplan"]


def test_extension_moves_the_stappenplan_term(dossiers):
    item = by_traject(run("--as-of", "2026-05-10", "--json"))[dossiers["extended"].pk]
    stappenplan = next(x for x in item["milestones"] if x["code"] == "stappenplan")
    assert (stappenplan["due"], stappenplan["state"]) == ("2026-05-15", "due")


def test_formal_trajectory_terms(dossiers):
    item = by_traject(run("--as-of", "2026-04-02", "--json"))[dossiers["formal"].pk]
    codes = {x["code"]: x for x in item["milestones"]}
    assert codes["formeel_beoordeling"]["due"] == "2026-03-31"  # 10/02 + 49 days
    assert codes["formeel_beoordeling"]["state"] == "met"
    assert codes["formeel_plan"]["due"] == "2026-09-01"  # 01/03 + 6 months
    assert "gesprek_2_maanden" not in codes


def test_preventive_has_no_clock(dossiers):
    item = by_traject(run("--as-of", "2026-04-02", "--json"))[dossiers["preventive"].pk]
    assert item["milestones"] == [] and item["formal_possible_staff"] is False and item["warnings"] == []


def test_entity_filter_and_text_output(dossiers):
    only = by_traject(run("--as-of", "2026-04-02", "--json", "--entity", "AWV"))
    assert list(only) == [dossiers["elsewhere"].pk]
    text = run("--as-of", "2026-04-02", "--entity", "AWV")
    assert f"traject {dossiers['elsewhere'].pk} [AWV]" in text
    assert "gesprek_2_maanden" in text and "31/03/2026" in text


def test_bad_input_is_refused_in_dutch(dossiers):
    with pytest.raises(CommandError, match="Ongeldige datum"):
        run("--as-of", "31/03/2026")
    with pytest.raises(CommandError, match="Onbekende entiteitscode"):
        run("--entity", "NOPE")


def test_query_count_does_not_grow_with_rows(dossiers, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        run("--as-of", "2026-04-02", "--json")


def test_json_adds_periods_the_in_force_day_and_back_at_work(settings):
    """Issue 10: only keys are added (the shape stays); values computed by hand."""
    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 1, 1)
    ent = EntiteitFactory(code="OMG")

    def traject(**kw):
        return TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=ent), d0=date(2026, 1, 5), **kw)

    relapsed = traject()  # back at work 02/02, unable again 02/03 (28 days later): a new period from 02/03
    m.Herval.objects.create(traject=relapsed, hervat_op=date(2026, 2, 2), datum=date(2026, 3, 2))
    early = traject()  # positive assessment 12/01: stappenplan due 12/03; the entity may start from 05/04
    m.Inschatting.objects.create(traject=early, datum=date(2026, 1, 12), uitkomst="stappen_mogelijk")
    back = traject(status="opvolging", werkhervatting_op=date(2026, 3, 1), werkhervatting_vorm="volledig")

    result = by_traject(run("--as-of", "2026-03-20", "--json"))
    item = result[relapsed.pk]
    assert (item["period"], item["period_start"], item["at_work"]) == (2, "2026-03-02", False)
    assert [
        (x["code"], x["due"], x["state"], x["met_on"], x["period"], x["history"]) for x in item["milestones"]
    ] == [
        ("info_arbeidsarts", "2026-02-02", "met", "2026-02-02", 1, True),
        ("advies_eerste_gesprek", "2026-02-16", "met", "2026-02-02", 1, True),
        ("gesprek_2_maanden", "2026-03-05", "met", "2026-02-02", 1, True),
        ("inschatting_4_maanden", "2026-05-05", "met", "2026-02-02", 1, True),
        ("info_arbeidsarts", "2026-03-30", "not_yet_due", None, 2, False),
        ("advies_eerste_gesprek", "2026-04-13", "not_yet_due", None, 2, False),
        ("gesprek_2_maanden", "2026-05-02", "not_yet_due", None, 2, False),
        ("inschatting_4_maanden", "2026-07-02", "not_yet_due", None, 2, False),
    ]
    assert item["formal_possible_entity_from"] == "2026-06-02"  # 3 months from the new period

    item = result[early.pk]
    stappenplan = next(x for x in item["milestones"] if x["code"] == "stappenplan")
    assert (stappenplan["due"], stappenplan["state"]) == ("2026-03-12", "missed")
    assert (item["formal_mandatory"], item["formal_mandatory_from"], item["formal_mandatory_reasons"]) == (
        False,
        "2026-04-05",
        [],
    )
    assert (item["formal_warning_from"], item["formal_warning_reasons"]) == (None, [])
    on_the_day = by_traject(run("--as-of", "2026-04-05", "--json"))[early.pk]
    assert (on_the_day["formal_mandatory"], on_the_day["formal_mandatory_reasons"]) == (True, ["stappenplan"])

    item = result[back.pk]
    assert (item["at_work"], item["formal_possible_staff"], item["formal_mandatory_from"]) == (
        True,
        False,
        None,
    )


def test_text_output_marks_history_and_the_day_it_becomes_mandatory(settings):
    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 1, 1)
    ent = EntiteitFactory(code="OMG")
    relapsed = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=ent), d0=date(2026, 1, 5))
    m.Herval.objects.create(traject=relapsed, hervat_op=date(2026, 2, 2), datum=date(2026, 3, 2))
    m.Inschatting.objects.create(traject=relapsed, datum=date(2026, 3, 9), uitkomst="stappen_mogelijk")
    text = run("--as-of", "2026-05-10")
    # stappenplan due 09/05 (09/03 + 2 months); the entity may start from 02/06 (02/03 + 3 months)
    assert "formeel verplicht vanaf 02/06/2026" in text
    assert "info_arbeidsarts         02/02/2026  met op 02/02/2026  (periode 1, historiek)" in text
    assert "info_arbeidsarts         30/03/2026  missed\n" in text
