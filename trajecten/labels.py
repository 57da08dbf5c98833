"""Dutch labels of the deadline rules' codes (the codes themselves are stable English-free identifiers)."""

from django.utils.translation import gettext_lazy as _

from . import deadlines as dl

MIJLPALEN = {
    dl.INFO_ARBEIDSARTS: _("Info arbeidsarts over wettelijke mogelijkheden (4 weken)"),
    dl.ADVIES_EERSTE_GESPREK: _("Advies: eerste gesprek in week 4 tot 6"),
    dl.GESPREK_2_MAANDEN: _("Gesprek over eerste stappen naar werk (2 maanden)"),
    dl.VOLGEND_GESPREK: _("Gepland volgend gesprek"),
    dl.STAPPENPLAN: _("Concreet stappenplan (2 maanden na positieve inschatting)"),
    dl.INSCHATTING_4_MAANDEN: _("Inschatting wanneer re-integratie mogelijk is (4 maanden)"),
    dl.ONDERZOEK_WERKHERVATTING: _(
        "Onderzoek bij werkhervatting door de arbeidsarts (verplicht gezondheidstoezicht, na minstens 4 weken afwezigheid)"
    ),
    dl.FORMEEL_BEOORDELING: _("Re-integratiebeoordeling door arbeidsarts (49 dagen)"),
    dl.FORMEEL_PLAN: _("Re-integratieplan of gemotiveerd verslag"),
    dl.FORMEEL_ANTWOORD: _("Antwoord van het personeelslid op het plan (14 dagen)"),
}

STATES = {
    dl.NOT_YET_DUE: _("loopt"),
    dl.DUE: _("binnenkort"),
    dl.MET: _("voldaan"),
    dl.MISSED: _("te laat"),
}

WARNINGS = {
    dl.W_VERPLICHT_NOG_NIET_VAN_KRACHT: _(
        "Een formeel traject zou verplicht zijn, maar die verplichting is nog niet van kracht."
    ),
    dl.W_VERLENGING_NA_TERMIJN: _(
        "Een verlenging werd toegekend nadat de termijn al verstreken was; ze telt niet."
    ),
    dl.W_VERLENGING_ZONDER_INSCHATTING: _("Er is een verlenging zonder positieve inschatting."),
    dl.W_FORMEEL_UITKOMST_NIET_BEREKEND: _(
        "Voor deze uitkomst van de beoordeling berekent de tool geen termijn."
    ),
    dl.W_COACH_MOET_COORDINEREN: _(
        "Er zijn welzijnsactoren betrokken of het personeelslid hervat progressief (deeltijdse prestaties "
        "wegens ziekte): een terugkeercoach moet de coördinerende rol opnemen, maar er is er geen toegewezen."
    ),
}

# The arbeidsarts's examinations: only the kind and the date are registered, never their content.
ONDERZOEKEN = {
    dl.ONDERZOEK_BIJ_WERKHERVATTING: _("Onderzoek bij werkhervatting (verplicht gezondheidstoezicht)"),
    dl.BEZOEK_VOOR_WERKHERVATTING: _("Bezoek voorafgaand aan de werkhervatting"),
}

# Why a formal trajectory cannot be started (yet) on a day (deadlines.formal_start); a form adds
# "vanaf dd/mm/jjjj" when FormalStart.possible_from is known.
FORMEEL_START = {
    dl.R_GEEN_ARBEIDSONGESCHIKTHEID: _(
        "Een formeel traject is er voor een personeelslid dat arbeidsongeschikt is; hier is geen "
        "arbeidsongeschiktheid (preventief traject)."
    ),
    dl.R_VOOR_D0: _("Een formeel traject kan pas vanaf de eerste dag van arbeidsongeschiktheid (D0)."),
    dl.R_WERK_HERVAT: _(
        "Het personeelslid heeft het werk effectief hervat: een formeel traject kan pas bij een nieuwe "
        "arbeidsongeschiktheid."
    ),
    dl.R_NOG_GEEN_3_MAANDEN: _(
        "De entiteit kan een formeel traject pas opstarten na 3 maanden onafgebroken arbeidsongeschiktheid "
        "of met een attest van definitieve ongeschiktheid."
    ),
}
