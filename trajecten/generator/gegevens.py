"""What the generated data is made of: entity catalogues, names, functions and short work-oriented texts
(never medical content)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from entiteiten.models import Entiteit

from ..models import Betrokkenheid, Maatregel, Traject

E = Entiteit.Soort


@dataclass(frozen=True)
class EntiteitSpec:
    code: str
    naam: str
    soort: str
    beleidsdomein: str
    gewicht: float  # relative share of the trajectories and the staff
    coaches: int  # number of terugkeercoaches; 0: HR registers the trajectories
    functies: tuple[str, ...] = ()  # functions typical for the entity, next to the generic ones


# --- The demo's 12 entities (codes as in the README's demo logins: coach.omg, hr.omg, ...) ---------------

# code, naam, soort, beleidsdomein, gewicht, coaches, eigen functies
# fmt: off
DEMO_ENTITEITEN = tuple(EntiteitSpec(*rij) for rij in (
    ("KBZ", "Departement Kanselarij en Buitenlandse Zaken", E.DEPARTEMENT,
     "Kanselarij en Buitenlandse Zaken", 6, 1, ("Attaché internationale relaties",)),
    ("AGO", "Agentschap Overheidspersoneel", E.IVA,
     "Kanselarij en Buitenlandse Zaken", 5, 1, ("HR-consultant", "Loopbaanbegeleider")),
    ("OMG", "Departement Omgeving", E.DEPARTEMENT,
     "Omgeving", 9, 2, ("Vergunningverlener", "Ruimtelijk planner")),
    ("AWV", "Agentschap Wegen en Verkeer", E.IVA,
     "Mobiliteit en Openbare Werken", 14, 2, ("Wegenwachter", "Werftoezichter", "Verkeerskundige")),
    ("DVW", "De Vlaamse Waterweg", E.EVA,
     "Mobiliteit en Openbare Werken", 8, 1, ("Sluis- en brugwachter", "Technicus waterbouw")),
    ("OV", "Departement Onderwijs en Vorming", E.DEPARTEMENT,
     "Onderwijs en Vorming", 10, 2, ("Dossierbehandelaar onderwijspersoneel",)),
    ("ANB", "Agentschap voor Natuur en Bos", E.IVA,
     "Omgeving", 8, 2, ("Boswachter", "Natuurwachter", "Medewerker groenonderhoud")),
    ("DZ", "Departement Zorg", E.DEPARTEMENT,
     "Zorg", 7, 1, ("Inspecteur", "Dossierbehandelaar erkenningen")),
    ("OPG", "Agentschap Opgroeien", E.IVA,
     "Welzijn, Volksgezondheid en Gezin", 9, 2, ("Regioverantwoordelijke kinderopvang", "Klantenbeheerder")),
    ("VMM", "Vlaamse Milieumaatschappij", E.IVA,
     "Omgeving", 7, 1, ("Labotechnicus", "Technicus meetnetten")),
    ("SARC", "SARC – Strategische Adviesraad Cultuur, Jeugd, Sport en Media", E.ADVIESRAAD,
     "Cultuur, Jeugd en Media", 2, 0, ("Secretaris adviesraad",)),
    ("EWI", "Departement Economie, Wetenschap en Innovatie", E.DEPARTEMENT,
     "Economie, Wetenschap en Innovatie", 6, 1, ("Economisch analist", "Programmabeheerder onderzoek")),
))
# fmt: on


# --- The VO catalogue: about 120 entities in the 11 policy domains -------------------------------------

# The 11 policy domains of the Flemish government (2017 structure).
BELEIDSDOMEINEN = (
    "Kanselarij en Bestuur",
    "Buitenlandse Zaken",
    "Financiën en Begroting",
    "Economie, Wetenschap en Innovatie",
    "Onderwijs en Vorming",
    "Welzijn, Volksgezondheid en Gezin",
    "Cultuur, Jeugd en Media",
    "Werk en Sociale Economie",
    "Landbouw en Visserij",
    "Mobiliteit en Openbare Werken",
    "Omgeving",
)
KB, BZ, FB, EWI, OV, WVG, CJM, WSE, LV, MOW, OMG = BELEIDSDOMEINEN

# (name, soort, domain), largest first where the size is known; the rest is ranked at random.
# fmt: off
ECHTE_ENTITEITEN = (
    ("Agentschap Wegen en Verkeer", "iva", MOW),
    ("Vlaamse Belastingdienst", "iva", FB),
    ("Agentschap voor Natuur en Bos", "iva", OMG),
    ("Agentschap Opgroeien", "eva", WVG),
    ("Agentschap Facilitair Bedrijf", "iva", KB),
    ("De Vlaamse Waterweg", "eva", MOW),
    ("Digitaal Vlaanderen", "iva", KB),
    ("Departement Omgeving", "departement", OMG),
    ("Vlaamse Milieumaatschappij", "iva", OMG),
    ("Agentschap Maritieme Dienstverlening en Kust", "iva", MOW),
    ("Departement Onderwijs en Vorming", "departement", OV),
    ("Agentschap voor Onderwijsdiensten", "iva", OV),
    ("Sport Vlaanderen", "iva", CJM),
    ("Departement Mobiliteit en Openbare Werken", "departement", MOW),
    ("Departement Welzijn, Volksgezondheid en Gezin", "departement", WVG),
    ("Vlaamse Landmaatschappij", "iva", OMG),
    ("Openbare Vlaamse Afvalstoffenmaatschappij", "iva", OMG),
    ("Agentschap Zorg en Gezondheid", "iva", WVG),
    ("Vlaams Agentschap voor Personen met een Handicap", "eva", WVG),
    ("Agentschap Onroerend Erfgoed", "iva", OMG),
    ("Departement Kanselarij en Bestuur", "departement", KB),
    ("Agentschap Overheidspersoneel", "iva", KB),
    ("Agentschap Binnenlands Bestuur", "iva", KB),
    ("Agentschap Justitie en Handhaving", "iva", KB),
    ("Audit Vlaanderen", "iva", KB),
    ("Statistiek Vlaanderen", "iva", KB),
    ("Agentschap Integratie en Inburgering", "eva", KB),
    ("Departement Buitenlandse Zaken", "departement", BZ),
    ("Toerisme Vlaanderen", "iva", BZ),
    ("Flanders Investment & Trade", "eva", BZ),
    ("Departement Financiën en Begroting", "departement", FB),
    ("Departement Economie, Wetenschap en Innovatie", "departement", EWI),
    ("Agentschap Innoveren en Ondernemen", "iva", EWI),
    ("Fonds Wetenschappelijk Onderzoek – Vlaanderen", "eva", EWI),
    ("Vlaams Instituut voor de Zee", "andere", EWI),
    ("Agentschap voor Hoger Onderwijs, Volwassenenonderwijs, Kwalificaties en Studietoelagen", "iva", OV),
    ("Onderwijsinspectie", "andere", OV),
    ("Syntra Vlaanderen", "eva", OV),
    ("Agentschap Uitbetaling Groeipakket", "iva", WVG),
    ("Zorginspectie", "andere", WVG),
    ("Departement Cultuur, Jeugd en Media", "departement", CJM),
    ("Literatuur Vlaanderen", "eva", CJM),
    ("Vlaamse Regulator voor de Media", "eva", CJM),
    ("Departement Werk en Sociale Economie", "departement", WSE),
    ("Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding", "eva", WSE),
    ("Departement Landbouw en Visserij", "departement", LV),
    ("Agentschap Landbouw en Zeevisserij", "iva", LV),
    ("Instituut voor Landbouw-, Visserij- en Voedingsonderzoek", "iva", LV),
    ("Vlaams Energie- en Klimaatagentschap", "iva", OMG),
    ("Wonen in Vlaanderen", "iva", OMG),
    ("Instituut voor Natuur- en Bosonderzoek", "iva", OMG),
    ("Vlaamse Toezichtcommissie voor de verwerking van persoonsgegevens", "andere", KB),
    ("SARC – Strategische Adviesraad Cultuur, Jeugd, Sport en Media", "adviesraad", CJM),
    ("Vlaamse Onderwijsraad", "adviesraad", OV),
    ("Sociaal-Economische Raad van Vlaanderen", "adviesraad", WSE),
    ("Minaraad", "adviesraad", OMG),
    ("Mobiliteitsraad van Vlaanderen", "adviesraad", MOW),
    ("Strategische Adviesraad voor Landbouw en Visserij", "adviesraad", LV),
    ("Vlaamse Raad voor Wetenschap en Innovatie", "adviesraad", EWI),
    ("Strategische Adviesraad Welzijn, Gezondheid, Gezin", "adviesraad", WVG),
)
# fmt: on
KNOWN_LARGE = 10  # the first entries above are the largest entities, in this order
SYNTHETIC_SOORTEN = (("iva", 50), ("eva", 30), ("andere", 15), ("adviesraad", 5))
SYNTHETIC_PREFIX = {
    "iva": "Agentschap",
    "eva": "Extern verzelfstandigd agentschap",
    "andere": "Instelling",
    "adviesraad": "Strategische adviesraad",
}

ZIPF = 0.8  # entity size skew: weight of the entity of rank r is 1 / r ** ZIPF


def vo_entiteiten(n: int, rng: random.Random) -> tuple[EntiteitSpec, ...]:
    """``n`` entities, codes E001..: the real ones first, then numbered ones. Sizes are skewed: the known large
    entities in their order, the others ranked at random, the advisory councils last."""
    rows = list(ECHTE_ENTITEITEN[:n])
    for i in range(len(rows), n):
        soort = _weighted(SYNTHETIC_SOORTEN, rng)
        domein = BELEIDSDOMEINEN[i % len(BELEIDSDOMEINEN)]
        rows.append((f"{SYNTHETIC_PREFIX[soort]} {i + 1:03d} ({domein})", soort, domein))
    idx = list(range(len(rows)))
    large = idx[:KNOWN_LARGE]
    rest = [i for i in idx[KNOWN_LARGE:] if rows[i][1] != "adviesraad"]
    councils = [i for i in idx[KNOWN_LARGE:] if rows[i][1] == "adviesraad"]
    rng.shuffle(rest)
    rng.shuffle(councils)
    rank = {e: r for r, e in enumerate(large + rest + councils, start=1)}
    specs = []
    for i, (naam, soort, domein) in enumerate(rows):
        r = rank[i]
        coaches = 0 if soort == "adviesraad" else 4 if r <= 5 else 3 if r <= 20 else 2
        specs.append(EntiteitSpec(f"E{i + 1:03d}", naam, soort, domein, 1 / r**ZIPF, coaches))
    return tuple(specs)


def _weighted(pairs, rng: random.Random):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


# --- People ---------------------------------------------------------------------------------------------

FUNCTIES = (
    "Beleidsmedewerker", "Administratief medewerker", "Projectleider", "Dossierbehandelaar", "Teamleider",
    "Communicatiemedewerker", "ICT-medewerker", "Jurist", "Financieel medewerker", "Onthaalmedewerker",
    "Technicus", "Afdelingshoofd",
)  # fmt: skip

VOORNAMEN = (
    "An", "Ann", "Annelies", "Ayse", "Bart", "Bram", "Dirk", "Elke", "Els", "Emma", "Evelien", "Fatima",
    "Filip", "Geert", "Griet", "Hilde", "Inge", "Jan", "Jef", "Jonas", "Joris", "Karen", "Katrien", "Koen",
    "Kristof", "Liesbeth", "Lies", "Lotte", "Lucas", "Marie", "Mehmet", "Mieke", "Nele", "Pieter", "Ruben",
    "Sarah", "Sofie", "Steven", "Stijn", "Thomas", "Tom", "Veerle", "Wim", "Wouter", "Youssef", "Zoë",
)  # fmt: skip
ACHTERNAMEN = (
    "Aerts", "Baert", "Bogaert", "Claes", "Claeys", "Cools", "Coppens", "De Backer", "De Clercq", "De Smet",
    "Declercq", "Desmet", "Dubois", "Geerts", "Goossens", "Hendrickx", "Hermans", "Jacobs", "Janssens",
    "Lambrechts", "Maes", "Martens", "Mertens", "Michiels", "Pauwels", "Peeters", "Segers", "Smets", "Stevens",
    "Van Acker", "Van Damme", "Van den Bossche", "Van Dyck", "Vandenberghe", "Verbeke", "Verhoeven",
    "Vermeulen", "Verstraete", "Willems", "Wouters", "El Amrani", "Yilmaz", "Nguyen",
)  # fmt: skip

# --- Work-oriented texts (never medical content) ----------------------------------------------------------

CONTACT_TEKSTEN = (
    "Afspraak om tweewekelijks te bellen",
    "Nieuws van de afdeling gedeeld; personeelslid houdt graag contact met het team",
    "Kaartje namens het team verstuurd",
    "Afspraak gemaakt voor een gesprek over de werkhervatting",
    "Personeelslid vroeg informatie over de verlofregeling",
    "Stand van zaken besproken; volgend contact over twee weken",
    "Uitnodiging voor de teamdag doorgestuurd",
)
GESPREK_TEKSTEN = (
    "Bespreking takenpakket en werkuren",
    "Verkenning van mogelijke aanpassingen aan de werkplek",
    "Personeelslid wil stap voor stap terug aan de slag",
    "Mogelijkheid van een deeltijdse hervatting besproken",
    "Afspraken over contact met het team en de leidinggevende",
    "Verwachtingen over bereikbaarheid en werkverdeling besproken",
)
INFO_TEKSTEN = (
    "Personeelslid geïnformeerd over de wettelijke mogelijkheden bij werkhervatting",
    "Info gegeven over het bezoek voorafgaand aan de werkhervatting",
)
NOG_NIET_TEKSTEN = (
    "Nog te vroeg om concrete stappen te plannen; opnieuw bekijken in het volgende gesprek",
    "Personeelslid is nog niet klaar om over de werkhervatting te praten; contact blijft behouden",
    "Eerst de praktische organisatie thuis regelen; volgend gesprek ingepland",
)
MOGELIJK_TEKSTEN = (
    "Stappen naar werk zijn mogelijk: start met een aangepast takenpakket",
    "Progressieve hervatting is bespreekbaar; stappenplan wordt opgemaakt",
    "Terugkeer naar de eigen functie met tijdelijke aanpassingen lijkt haalbaar",
)
STAPPENPLAN_TEKSTEN = (
    "Hervatting halftijds gedurende vier weken, daarna evaluatie",
    "Eerst administratieve taken, geen terreinwerk in de eerste maand",
    "Telewerk twee dagen per week; wekelijks overleg met de leidinggevende",
    "Opbouw van de werkuren in drie stappen; evaluatie na elke stap",
)
MAATREGEL_TEKSTEN = {
    Maatregel.Soort.AANGEPASTE_TAKEN: (
        "Tijdelijk geen terreinwerk; focus op dossierwerk",
        "Geen piekopdrachten in de eerste weken",
        "Geen loketdienst; ondersteuning van het team",
    ),
    Maatregel.Soort.AANGEPASTE_UREN: (
        "Werkuren van 9 tot 15 uur",
        "Vier dagen per week",
        "Geen vroege diensten",
    ),
    Maatregel.Soort.PROGRESSIEF: (
        "Halftijdse hervatting gedurende acht weken",
        "Start met 60 % en opbouw naar voltijds",
    ),
    Maatregel.Soort.WERKPLEK: (
        "Aangepaste bureaustoel en tweede scherm",
        "Werkplek dichter bij de ingang",
        "Rustige werkplek in een kleiner kantoor",
    ),
    Maatregel.Soort.ANDERE_FUNCTIE: (
        "Overstap naar een functie als dossierbehandelaar in dezelfde afdeling",
        "Tijdelijke opdracht in het projectteam",
    ),
    Maatregel.Soort.ANDERE_ENTITEIT: (
        "Opdracht in een andere entiteit via interne mobiliteit (AgO)",
        "Terugkeer via een vacature in een andere entiteit",
    ),
    Maatregel.Soort.VERLOFVORM: (
        "Verminderde prestaties via een verlofstelsel",
        "Resterende verlofdagen gespreid over de opbouwperiode",
    ),
    Maatregel.Soort.REDELIJKE_AANPASSING: (
        "Flexibele pauzes en telewerk na afspraak",
        "Schriftelijke samenvatting van werkafspraken",
    ),
    Maatregel.Soort.ANDERE: (
        "Buddy in het team voor de eerste weken",
        "Opfrissingsopleiding voor de nieuwe software",
    ),
}
BETROKKENHEID_TEKSTEN = {
    Betrokkenheid.Actor.HR: "HR-businesspartner volgt de administratieve afspraken op",
    Betrokkenheid.Actor.VERTROUWENSPERSOON: "Personeelslid wenst een vertrouwenspersoon bij de gesprekken",
    Betrokkenheid.Actor.ARBEIDSARTS: "Bezoek voorafgaand aan de werkhervatting aangevraagd",
    Betrokkenheid.Actor.PSYCHOSOCIAAL: "Advies over de werkorganisatie in het team gevraagd",
    Betrokkenheid.Actor.ERGONOMIE: "Werkpostonderzoek en advies over de inrichting van de werkplek",
    Betrokkenheid.Actor.DIVERSITEIT: "Advies over redelijke aanpassingen gevraagd",
    Betrokkenheid.Actor.SOCIALE_DIENST: "Info over de dienstverlening van de vzw Sociale Dienst gegeven",
    Betrokkenheid.Actor.VEERKRACHTCOACH: "Coaching rond werkbelasting en planning",
    Betrokkenheid.Actor.AGO: "AgO-trajectbegeleider zoekt mee naar een opdracht in een andere entiteit",
    Betrokkenheid.Actor.SMT: "Advies van het Sociaal Medisch Team gevraagd over de mogelijkheden tot hervatting",
}
VERLENGING_REDENEN = (
    "Advies SMT en ergonoom gevraagd; proces loopt",
    "Werkpostonderzoek door de ergonoom gepland; afspraken in voorbereiding",
    "Advies van meerdere welzijnsactoren nodig; overleg met het SMT loopt",
)
EVALUATIE_TEKSTEN = (
    "Hervatting verloopt goed; werkuren blijven zoals afgesproken",
    "Takenpakket licht bijgestuurd na overleg met het team",
    "Opbouw naar voltijds werk volgens plan",
    "Personeelslid en leidinggevende tevreden over de afspraken",
)
HERVAL_TEKSTEN = (
    "Personeelslid is opnieuw afwezig; coach neemt contact op",
    "Werkhervatting onderbroken; afspraken worden herbekeken",
)
UITKOMST_REDENEN = {
    Traject.Uitkomst.ZELFDE_FUNCTIE: (
        "Terug aan het werk in de eigen functie; afspraken geëvalueerd en afgerond",
        "Voltijds hervat na de opbouwperiode",
    ),
    Traject.Uitkomst.ANDERE_FUNCTIE: (
        "Nieuwe functie binnen de entiteit sluit beter aan bij de afspraken",
        "Vaste overstap naar een functie zonder terreinwerk",
    ),
    Traject.Uitkomst.ANDERE_ENTITEIT: ("Vaste opdracht in de doelentiteit via interne mobiliteit",),
    Traject.Uitkomst.GEEN_TERUGKEER: (
        "Personeelslid nam ontslag op eigen verzoek",
        "Pensionering",
        "Einde van de arbeidsovereenkomst",
        "Geen passende functie gevonden; einde traject in onderling overleg",
    ),
}
OMGEZET_REDEN = "Omgezet naar formeel re-integratietraject"
