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
}
