"""Which actions a dossier allows now: one table by kind and state, and the few conditions on its facts.

Pure: a ``State`` (plain facts about one dossier) goes in, the allowed actions (or, for each refused one,
the Dutch reason) come out. The services refuse an action that is not allowed (trajecten.services), the
dossier page offers only the allowed ones and a form of a refused action shows the reason instead of a form
that cannot be filled in (trajecten.views). README's "Actions per state" reproduces the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import deadlines as dl

INFORMEEL, FORMEEL, PREVENTIEF = dl.INFORMEEL, dl.FORMEEL, dl.PREVENTIEF
LOPEND, OPVOLGING, AFGESLOTEN = "lopend", "opvolging", "afgesloten"

# Register a part or take a step
GESPREK = "gesprek"
INSCHATTING = "inschatting"
STAPPENPLAN = "stappenplan"
BETROKKENHEID = "betrokkenheid"
VERLENGING = "verlenging"
WERKHERVATTING = "werkhervatting"
HERVAL = "herval"
EVALUATIE = "evaluatie"
ONDERZOEK = "onderzoek"  # the arbeidsarts's examination around the return (only that and when)
FORMEEL_STAPPEN = "formeel"
OMZETTEN_FORMEEL = "omzetten"
OMZETTEN_INFORMEEL = "omzetten_informeel"
AFSLUITEN = "afsluiten"
HEROPENEN = "heropenen"
GEGEVENS = "gegevens"  # correct the dossier's core data
AANMELDEN_AGO = "aanmelden_ago"  # ask AgO for an entity-crossing trajectory
# On a registered part (each timeline entry)
WIJZIGEN = "wijzigen"
VERWIJDEREN = "verwijderen"

LABELS = {
    GESPREK: _("Contact of gesprek"),
    INSCHATTING: _("Inschatting"),
    STAPPENPLAN: _("Stappenplan"),
    BETROKKENHEID: _("Welzijnsactor"),
    VERLENGING: _("Verlenging"),
    WERKHERVATTING: _("Werkhervatting"),
    HERVAL: _("Herval"),
    EVALUATIE: _("Evaluatie"),
    ONDERZOEK: _("Onderzoek arbeidsarts"),
    FORMEEL_STAPPEN: _("Verloop formeel traject"),
    OMZETTEN_FORMEEL: _("Omzetten naar formeel"),
    OMZETTEN_INFORMEEL: _("Toch uitgevallen: omzetten naar informeel"),
    AANMELDEN_AGO: _("Aanmelden bij AgO (entiteitsoverschrijdend)"),
    GEGEVENS: _("Gegevens wijzigen"),
    AFSLUITEN: _("Afsluiten"),
    HEROPENEN: _("Heropenen"),
}

_OPEN = {GESPREK, BETROKKENHEID, GEGEVENS, AFSLUITEN, WIJZIGEN, VERWIJDEREN}

# The table: (kind, status) -> allowed actions. Entity-crossing trajectories are informal ones.
TABLE: dict[tuple[str, str], frozenset[str]] = {
    (INFORMEEL, LOPEND): frozenset(
        _OPEN
        | {INSCHATTING, STAPPENPLAN, VERLENGING, WERKHERVATTING, ONDERZOEK, OMZETTEN_FORMEEL, AANMELDEN_AGO}
    ),
    (INFORMEEL, OPVOLGING): frozenset(_OPEN | {HERVAL, EVALUATIE, ONDERZOEK, AANMELDEN_AGO}),
    (FORMEEL, LOPEND): frozenset(_OPEN | {FORMEEL_STAPPEN, WERKHERVATTING, ONDERZOEK}),
    (FORMEEL, OPVOLGING): frozenset(_OPEN | {FORMEEL_STAPPEN, HERVAL, EVALUATIE, ONDERZOEK}),
    (PREVENTIEF, LOPEND): frozenset(_OPEN | {INSCHATTING, STAPPENPLAN, OMZETTEN_INFORMEEL}),
    (INFORMEEL, AFGESLOTEN): frozenset({HEROPENEN}),
    (FORMEEL, AFGESLOTEN): frozenset({HEROPENEN}),
    (PREVENTIEF, AFGESLOTEN): frozenset({HEROPENEN}),
}

# Why an action is not in the table for an open dossier of this kind and state.
NOT_IN_TABLE = {
    INSCHATTING: _("Een inschatting hoort bij een informeel of preventief traject dat nog loopt."),
    STAPPENPLAN: _("Een stappenplan hoort bij een informeel of preventief traject dat nog loopt."),
    VERLENGING: _(
        "Een verlenging geldt voor de termijn van het stappenplan van een lopend informeel traject."
    ),
    WERKHERVATTING: _(
        "Een werkhervatting kan alleen geregistreerd worden voor een personeelslid dat arbeidsongeschikt "
        "is; bij een preventief traject werkt het personeelslid, en een hervatting die al geregistreerd is "
        "wijzigt u in de tijdlijn."
    ),
    HERVAL: _("Registreer eerst de werkhervatting: een herval volgt op een hervatting."),
    EVALUATIE: _("Een evaluatie volgt op een werkhervatting: registreer die eerst."),
    FORMEEL_STAPPEN: _("Alleen een formeel traject heeft de stappen van de re-integratiebeoordeling."),
    ONDERZOEK: _("Een onderzoek bij werkhervatting hoort bij een personeelslid dat arbeidsongeschikt was."),
    OMZETTEN_FORMEEL: _(
        "Alleen een informeel traject van een personeelslid dat arbeidsongeschikt is, kan omgezet worden "
        "naar een formeel traject."
    ),
    OMZETTEN_INFORMEEL: _("Alleen een preventief traject kan omgezet worden naar een informeel traject."),
    HEROPENEN: _("Alleen een afgesloten traject kan heropend worden."),
    AANMELDEN_AGO: _(
        "Een informeel traject dat loopt, kan aangemeld worden bij AgO voor een entiteitsoverschrijdend traject."
    ),
}
CLOSED = _("Dit traject is afgesloten: heropen het eerst om iets te wijzigen of toe te voegen.")

# The action that meets an open milestone (the dossier's deadlines table links to it).
MILESTONE_ACTIONS: dict[str, tuple[str, dict[str, str]]] = {
    dl.INFO_ARBEIDSARTS: (GESPREK, {"soort": "info_arbeidsarts"}),
    dl.ADVIES_EERSTE_GESPREK: (GESPREK, {"soort": "gesprek"}),
    dl.GESPREK_2_MAANDEN: (GESPREK, {"soort": "gesprek"}),
    dl.VOLGEND_GESPREK: (GESPREK, {"soort": "gesprek"}),
    dl.INSCHATTING_4_MAANDEN: (INSCHATTING, {}),
    dl.STAPPENPLAN: (STAPPENPLAN, {}),
    dl.ONDERZOEK_WERKHERVATTING: (ONDERZOEK, {"soort": dl.ONDERZOEK_BIJ_WERKHERVATTING}),
    dl.FORMEEL_BEOORDELING: (FORMEEL_STAPPEN, {}),
    dl.FORMEEL_PLAN: (FORMEEL_STAPPEN, {}),
    dl.FORMEEL_ANTWOORD: (FORMEEL_STAPPEN, {}),
}


@dataclass(frozen=True)
class State:
    """What the table and its conditions need to know about one dossier."""

    kind: str
    status: str
    positive_assessment: bool = False  # an assessment found steps to work possible
    stappenplan_term_running: bool = False  # the stappenplan term runs and is not met yet
    continued: bool = False  # closed by a conversion: the dossier lives on as another trajectory
    other_open: bool = False  # the staff member has another open trajectory
    intake: str = ""  # status of the running request to AgO ("" none; a refused one does not run)


def refusal(action: str, state: State) -> str | None:
    """None when ``action`` is allowed in ``state``; otherwise the Dutch reason why not."""
    allowed = TABLE.get((state.kind, state.status), frozenset())
    if action not in allowed:
        if state.status == AFGESLOTEN:
            return str(CLOSED)
        return str(NOT_IN_TABLE.get(action, _("Deze actie is nu niet mogelijk.")))
    if action == STAPPENPLAN and not state.positive_assessment:
        return str(_("Registreer eerst een inschatting waaruit blijkt dat stappen naar werk mogelijk zijn."))
    if action == VERLENGING and not state.stappenplan_term_running:
        return str(
            _(
                "Een verlenging kan alleen zolang de termijn voor het stappenplan loopt: na een positieve "
                "inschatting en vóór er een stappenplan is."
            )
        )
    if action == AANMELDEN_AGO and state.intake:
        return str(_("Dit traject is al aangemeld bij AgO."))
    if action == HEROPENEN and state.continued:
        return str(_("Dit traject werd omgezet en loopt verder als een ander traject: open dat dossier."))
    if action == HEROPENEN and state.other_open:
        return str(
            _(
                "Voor dit personeelslid loopt al een ander traject; er kan maar één traject tegelijk open zijn."
            )
        )
    return None


ALL = (*LABELS, WIJZIGEN, VERWIJDEREN)


def allowed(state: State) -> list[str]:
    """The actions allowed now, in the order the dossier page shows them."""
    return [a for a in ALL if refusal(a, state) is None]


# The outcomes a trajectory of each kind can be closed with (conversions set their own).
OUTCOMES = {
    INFORMEEL: ("zelfde_functie", "andere_functie", "andere_entiteit", "geen_terugkeer"),
    FORMEEL: ("zelfde_functie", "andere_functie", "andere_entiteit", "geen_terugkeer"),
    PREVENTIEF: ("blijft_werken", "andere_functie", "andere_entiteit", "geen_terugkeer"),
}


# AgO's intake of an entity-crossing trajectory: the allowed decisions per status of the request.
AANVAARDEN, WEIGEREN, DOELENTITEIT = "aanvaarden", "weigeren", "doelentiteit"
INTAKE_TABLE = {
    "aangemeld": frozenset({AANVAARDEN, WEIGEREN}),
    "aanvaard": frozenset({WEIGEREN, DOELENTITEIT}),
    "doelentiteit_gevonden": frozenset({DOELENTITEIT}),  # AgO may correct the target entity
    "geweigerd": frozenset(),
}
INTAKE_REFUSALS = {
    AANVAARDEN: _("Alleen een aanmelding die nog niet beslist is, kan aanvaard worden."),
    WEIGEREN: _(
        "Een aanmelding waarvoor al een doelentiteit gevonden is, of die al geweigerd is, kan niet meer geweigerd worden."
    ),
    DOELENTITEIT: _("Een doelentiteit wordt vastgelegd voor een aanvaarde aanmelding."),
}


def intake_refusal(decision: str, status: str) -> str | None:
    if decision in INTAKE_TABLE.get(status, frozenset()):
        return None
    return str(INTAKE_REFUSALS[decision])
