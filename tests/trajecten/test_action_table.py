"""The table of allowed actions per kind and state (trajecten.actions): pure."""

import pytest

from trajecten import actions as a

KINDS = (a.INFORMEEL, a.FORMEEL, a.PREVENTIEF)


@pytest.mark.parametrize("kind", KINDS)
def test_a_closed_dossier_allows_nothing_but_reopening(kind):
    state = a.State(kind=kind, status=a.AFGESLOTEN)
    assert a.allowed(state) == [a.HEROPENEN]
    for action in a.ALL:
        if action != a.HEROPENEN:
            assert a.refusal(action, state) == str(a.CLOSED)


def test_open_dossiers_by_kind_and_state():
    def allowed(kind, status, **kw):
        return set(a.allowed(a.State(kind=kind, status=status, **kw)))

    common = {a.GESPREK, a.BETROKKENHEID, a.GEGEVENS, a.AFSLUITEN, a.WIJZIGEN, a.VERWIJDEREN}
    assert allowed(a.INFORMEEL, a.LOPEND) == common | {
        a.INSCHATTING,
        a.ONDERZOEK,
        a.WERKHERVATTING,
        a.OMZETTEN_FORMEEL,
        a.AANMELDEN_AGO,
    }
    assert allowed(
        a.INFORMEEL, a.LOPEND, positive_assessment=True, stappenplan_term_running=True
    ) == common | {
        a.INSCHATTING,
        a.STAPPENPLAN,
        a.VERLENGING,
        a.ONDERZOEK,
        a.WERKHERVATTING,
        a.OMZETTEN_FORMEEL,
        a.AANMELDEN_AGO,
    }
    assert allowed(a.INFORMEEL, a.OPVOLGING) == common | {a.HERVAL, a.EVALUATIE, a.ONDERZOEK, a.AANMELDEN_AGO}
    # asked at AgO once
    assert a.AANMELDEN_AGO not in allowed(a.INFORMEEL, a.LOPEND, intake="aangemeld")
    assert allowed(a.FORMEEL, a.LOPEND) == common | {a.FORMEEL_STAPPEN, a.WERKHERVATTING, a.ONDERZOEK}
    assert allowed(a.FORMEEL, a.OPVOLGING) == common | {a.FORMEEL_STAPPEN, a.HERVAL, a.EVALUATIE, a.ONDERZOEK}
    assert allowed(a.PREVENTIEF, a.LOPEND) == common | {a.INSCHATTING, a.OMZETTEN_INFORMEEL}


@pytest.mark.parametrize(
    "action,state,reason",
    [
        (a.STAPPENPLAN, a.State(a.INFORMEEL, a.LOPEND), "Registreer eerst een inschatting"),
        (a.VERLENGING, a.State(a.INFORMEEL, a.LOPEND, positive_assessment=True), "zolang de termijn"),
        (a.HERVAL, a.State(a.INFORMEEL, a.LOPEND), "Registreer eerst de werkhervatting"),
        (a.EVALUATIE, a.State(a.INFORMEEL, a.LOPEND), "registreer die eerst"),
        (a.WERKHERVATTING, a.State(a.PREVENTIEF, a.LOPEND), "preventief traject werkt het personeelslid"),
        (a.OMZETTEN_FORMEEL, a.State(a.INFORMEEL, a.OPVOLGING), "arbeidsongeschikt is"),
        (a.FORMEEL_STAPPEN, a.State(a.INFORMEEL, a.LOPEND), "Alleen een formeel traject"),
        (a.HEROPENEN, a.State(a.INFORMEEL, a.LOPEND), "Alleen een afgesloten traject"),
        (
            a.HEROPENEN,
            a.State(a.INFORMEEL, a.AFGESLOTEN, continued=True),
            "loopt verder als een ander traject",
        ),
        (a.HEROPENEN, a.State(a.INFORMEEL, a.AFGESLOTEN, other_open=True), "maar één traject tegelijk open"),
    ],
)
def test_refusals_say_why(action, state, reason):
    assert reason in a.refusal(action, state)


def test_every_milestone_links_to_an_action_of_the_table():
    every_action = set().union(*a.TABLE.values())
    for code, (action, _params) in a.MILESTONE_ACTIONS.items():
        assert action in every_action, code


def test_outcomes_fit_the_kind():
    assert "blijft_werken" in a.OUTCOMES[a.PREVENTIEF]
    assert "blijft_werken" not in a.OUTCOMES[a.INFORMEEL]
    assert "zelfde_functie" not in a.OUTCOMES[a.PREVENTIEF]
