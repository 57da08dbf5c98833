"""Deterministic demo data for the re-integration tool (``manage.py seed_demo``).

Every date is an offset from a reference date and every choice comes from one ``random.Random(seed)``:
the same seed and reference date give the same data. The trajectories follow fixed scenarios, chosen
round-robin (and within a scenario its variants round-robin too), so that every state of every deadline
rule in ``trajecten.deadlines`` appears in the demo: see ``SCENARIOS``.

Registered events (conversations, assessments, plans, returns, ...) lie between D0 and the reference
date; only planned dates (next conversation, extended term, target return, end of a measure) may lie
after it. Free texts are short and work-oriented: never medical content.

Objects are built in memory first and then written with ``bulk_create_with_history`` (one insert per
model and batch, plus the history rows), so the whole load takes a few seconds.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from entiteiten.models import Entiteit, Gebruiker

from . import deadlines as dl
from . import monitoring
from .audit import Bron
from .models import (
    Aanmelding,
    Betrokkenheid,
    Evaluatie,
    FormeelVerloop,
    Gesprek,
    Herval,
    Inschatting,
    Maatregel,
    Onderzoek,
    Personeelslid,
    Signaal,
    Stappenplan,
    Traject,
    Verlenging,
)

WACHTWOORD = "demo-wachtwoord-2024"
STANDAARD_SEED = 2024
STANDAARD_AANTAL_TRAJECTEN = 300
PERSONEELSLEDEN_PER_ENTITEIT = 60
WIJZIGINGSREDEN = "Demodata (seed_demo)"

E = Entiteit.Soort


@dataclass(frozen=True)
class DemoEntiteit:
    code: str
    naam: str
    soort: str
    beleidsdomein: str
    gewicht: int  # relative share of the trajectories
    coaches: int  # number of terugkeercoaches; 0: HR registers the trajectories
    functies: tuple[str, ...] = ()  # functions typical for the entity, next to the generic ones


# code, naam, soort, beleidsdomein, gewicht, coaches, eigen functies
# fmt: off
ENTITEITEN = tuple(DemoEntiteit(*rij) for rij in (
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

FUNCTIES = (
    "Beleidsmedewerker",
    "Administratief medewerker",
    "Projectleider",
    "Dossierbehandelaar",
    "Teamleider",
    "Communicatiemedewerker",
    "ICT-medewerker",
    "Jurist",
    "Financieel medewerker",
    "Onthaalmedewerker",
)

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
    "Vermeulen", "Verstraete", "Willems", "Wouters",
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

# --- Scenarios ---------------------------------------------------------------------------------------------

# One round of the round-robin; "entiteitsoverschrijdend" joins every third round (about 5 % of the
# informal trajectories, together with the closed ones that ended in another entity).
SCENARIOS = (
    "vers",
    "info_arbeidsarts",
    "eerste_gesprek",
    "gesprek_2_maanden",
    "nog_niet_mogelijk",
    "stappenplan",
    "stappenplan_gemist",
    "verlenging",
    "niets_na_4_maanden",
    "werkhervatting",
    "herval",
    "afgesloten",
    "formeel",
    "preventief",
    "afgesloten",
    "formeel",
)
OVERSCHRIJDEND_ELKE = 3

FORMEEL_VARIANTEN = (
    "aanvraag",
    "tijdelijk",
    "plan_wacht",
    "akkoord",
    "definitief",
    "weigering",
    "verslag",
    "afgesloten",
    "andere",
)


def scenario_volgorde(n_rondes: int):
    for ronde in range(n_rondes):
        yield from SCENARIOS
        if ronde % OVERSCHRIJDEND_ELKE == 0:
            yield "entiteitsoverschrijdend"


@dataclass
class Resultaat:
    aantallen: dict[str, int] = field(default_factory=dict)
    signalen: int = 0
    per_soort_status: Counter = field(default_factory=Counter)
    per_scenario: Counter = field(default_factory=Counter)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


_AUTO = object()  # "choose a date" (None means: no date)


def _dag(n: int) -> timedelta:
    return timedelta(days=n)


class _Bouwer:
    """Builds the demo objects in memory, then writes them in bulk."""

    def __init__(self, rng: random.Random, ref: date):
        self.rng = rng
        # A second stream for choices added later (health surveillance), so the scenarios' dates stay as
        # they were: the first stream's sequence is unchanged.
        self.rng2 = random.Random(rng.random())
        self.ref = ref
        self.entiteiten: dict[str, Entiteit] = {}
        self.demo_entiteiten: dict[str, DemoEntiteit] = {}
        self.gebruikers: list[Gebruiker] = []
        self.coaches: dict[str, list[Gebruiker]] = {}
        self.hr: dict[str, Gebruiker] = {}
        self.ago: list[Gebruiker] = []
        self.aanmeldingen: list[Aanmelding] = []
        self.onderzoeken: list[Onderzoek] = []
        self.personeel: list[Personeelslid] = []
        self.pool: dict[str, list[Personeelslid]] = {}
        self.nummers: set[int] = set()
        self.trajecten: list[Traject] = []
        self.gesprekken: list[Gesprek] = []
        self.inschattingen: list[Inschatting] = []
        self.stappenplannen: list[Stappenplan] = []
        self.maatregelen: list[Maatregel] = []
        self.betrokkenheden: list[Betrokkenheid] = []
        self.verlengingen: list[Verlenging] = []
        self.hervallen: list[Herval] = []
        self.evaluaties: list[Evaluatie] = []
        self.formeel: list[FormeelVerloop] = []
        self.actoren: dict[int, set[str]] = {}  # id(traject) -> actors already involved
        self.teller: Counter = Counter()  # per scenario: which variant comes next
        self.actor_i = 0
        self.maatregel_i = 0
        self.scenario = ""
        self.per_scenario: Counter = Counter()

    # --- small helpers ------------------------------------------------------------------------------------

    def r(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def geleden(self, a: int, b: int) -> date:
        return self.ref - _dag(self.r(a, b))

    def tussen(self, a: date, b: date) -> date:
        b = min(b, self.ref)
        if b <= a:
            return a
        return a + _dag(self.r(0, (b - a).days))

    def naam(self) -> tuple[str, str]:
        return self.rng.choice(VOORNAMEN), self.rng.choice(ACHTERNAMEN)

    def datum_met_termijn(self, maanden: int, lo: int, hi: int) -> date:
        """A start date X such that X + ``maanden`` calendar months ends ``lo``..``hi`` days after the reference."""
        offsets = list(range(lo, hi + 1))
        self.rng.shuffle(offsets)
        for off in offsets:
            einde = self.ref + _dag(off)
            start = dl.add_months(einde, -maanden)
            if dl.add_months(start, maanden) == einde:
                return start
        raise AssertionError(f"geen startdatum met termijn {maanden} maanden in {lo}..{hi} dagen")

    def _op(self, t: Traject, datum: date) -> date:
        """Check a registered event date: on or after D0, on or before the reference date."""
        if datum > self.ref or (t.d0 is not None and datum < t.d0):
            raise AssertionError(f"demo-scenario {self.scenario}: {datum} buiten [{t.d0}, {self.ref}]")
        return datum

    def _door(self, t: Traject, door: str) -> str:
        return Gesprek.Door.HR if door == Gesprek.Door.COACH and t.coach is None else door

    # --- base objects -------------------------------------------------------------------------------------

    def basis(self, wachtwoord_hash: str) -> None:
        for de in ENTITEITEN:
            ent = Entiteit(code=de.code, naam=de.naam, soort=de.soort, beleidsdomein=de.beleidsdomein)
            self.entiteiten[de.code] = ent
            self.demo_entiteiten[de.code] = de
        self.gebruiker("beheerder", Gebruiker.Rol.BEHEERDER, None, wachtwoord_hash, staff=True)
        self.ago = [self.gebruiker(f"ago.{i}", Gebruiker.Rol.AGO, None, wachtwoord_hash) for i in (1, 2)]
        for de in ENTITEITEN:
            ent = self.entiteiten[de.code]
            code = de.code.lower()
            self.coaches[de.code] = [
                self.gebruiker(
                    f"coach{i + 1 if i else ''}.{code}", Gebruiker.Rol.TERUGKEERCOACH, ent, wachtwoord_hash
                )
                for i in range(de.coaches)
            ]
            self.hr[de.code] = self.gebruiker(f"hr.{code}", Gebruiker.Rol.HR, ent, wachtwoord_hash)
        for de in ENTITEITEN:
            self.pool[de.code] = [
                self.nieuw_personeelslid(de.code) for _ in range(PERSONEELSLEDEN_PER_ENTITEIT)
            ]
            self.rng.shuffle(self.pool[de.code])

    def gebruiker(self, username, rol, ent, wachtwoord_hash, staff=False) -> Gebruiker:
        voornaam, achternaam = self.naam()
        g = Gebruiker(
            username=username,
            first_name=voornaam,
            last_name=achternaam,
            email=f"{username}@example.org",
            rol=rol,
            entiteit=ent,
            is_staff=staff,
            is_superuser=staff,
            password=wachtwoord_hash,
        )
        self.gebruikers.append(g)
        return g

    def nieuw_personeelslid(self, code: str) -> Personeelslid:
        nummer = self.r(100000, 999999)
        while nummer in self.nummers:
            nummer = self.r(100000, 999999)
        self.nummers.add(nummer)
        voornaam, achternaam = self.naam()
        de = self.demo_entiteiten[code]
        functies = FUNCTIES + de.functies * 3  # the entity's own functions are more frequent
        statutair = self.rng.random() < 0.7
        p = Personeelslid(
            personeelsnummer=f"P{nummer:06d}",
            voornaam=voornaam,
            achternaam=achternaam,
            statuut=Personeelslid.Statuut.STATUTAIR if statutair else Personeelslid.Statuut.CONTRACTUEEL,
            entiteit=self.entiteiten[code],
            functie=self.rng.choice(functies),
        )
        self.personeel.append(p)
        return p

    def persoon(self, code: str) -> Personeelslid:
        return self.pool[code].pop() if self.pool[code] else self.nieuw_personeelslid(code)

    def traject(self, code: str, soort=dl.INFORMEEL, persoon: Personeelslid | None = None) -> Traject:
        coaches = self.coaches[code]
        t = Traject(
            soort=soort,
            status=Traject.Status.LOPEND,
            personeelslid=persoon or self.persoon(code),
            entiteit=self.entiteiten[code],
            coach=self.rng.choice(coaches) if coaches else None,
            leidinggevende=" ".join(self.naam()),
        )
        self.trajecten.append(t)
        self.actoren[id(t)] = set()
        return t

    # --- parts of a dossier -------------------------------------------------------------------------------

    def gesprek(self, t, datum, soort=Gesprek.Soort.GESPREK, door=None, vorm=None, tekst=None) -> Gesprek:
        if soort == Gesprek.Soort.INFO_ARBEIDSARTS:
            door = door or Gesprek.Door.ARBEIDSARTS
            vorm = vorm or self.rng.choice([Gesprek.Vorm.MAIL, Gesprek.Vorm.TELEFOON, Gesprek.Vorm.VIDEO])
            tekst = tekst or self.rng.choice(INFO_TEKSTEN)
        elif soort == Gesprek.Soort.CONTACT:
            door = door or self.rng.choice([Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.COACH])
            vorm = vorm or self.rng.choice(
                [Gesprek.Vorm.TELEFOON, Gesprek.Vorm.MAIL, Gesprek.Vorm.BEZOEK, Gesprek.Vorm.SMS_KAART]
            )
            tekst = tekst or self.rng.choice(CONTACT_TEKSTEN)
        else:
            door = door or self.rng.choice(
                [Gesprek.Door.COACH, Gesprek.Door.COACH, Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.NEUTRAAL]
            )
            vorm = vorm or self.rng.choice(
                [Gesprek.Vorm.BEZOEK, Gesprek.Vorm.VIDEO, Gesprek.Vorm.OP_HET_WERK, Gesprek.Vorm.TELEFOON]
            )
            tekst = tekst or self.rng.choice(GESPREK_TEKSTEN)
        g = Gesprek(
            traject=t,
            datum=self._op(t, datum),
            soort=soort,
            vorm=vorm,
            gevoerd_door=self._door(t, door),
            uitkomst=tekst,
        )
        self.gesprekken.append(g)
        return g

    def contacten(self, t, van: date, tot: date, n: int, door=None) -> None:
        """``n`` contacts between ``van`` and ``tot`` (capped at the reference date); none when empty."""
        tot = min(tot, self.ref)
        if t.d0 is not None:
            van = max(van, t.d0)
        if tot < van:
            return
        for datum in sorted(self.tussen(van, tot) for _ in range(n)):
            self.gesprek(t, datum, Gesprek.Soort.CONTACT, door=door)

    def info(self, t, lo=14, hi=27) -> None:
        """The arbeidsarts's information on the legal possibilities, when the date has come."""
        datum = t.d0 + _dag(self.r(lo, hi))
        if datum <= self.ref:
            self.gesprek(t, datum, Gesprek.Soort.INFO_ARBEIDSARTS)

    def inschatting(self, t, datum, mogelijk: bool, volgend: date | None = None, gesprek=True) -> Inschatting:
        if gesprek:
            self.gesprek(t, datum)
        i = Inschatting(
            traject=t,
            datum=self._op(t, datum),
            uitkomst=dl.STAPPEN_MOGELIJK if mogelijk else dl.NOG_NIET_MOGELIJK,
            volgend_gesprek_op=None if mogelijk else volgend or datum + _dag(self.r(14, 35)),
            specifieke_begeleiding=self.rng.random() < 0.25,
            toelichting=self.rng.choice(MOGELIJK_TEKSTEN if mogelijk else NOG_NIET_TEKSTEN),
        )
        self.inschattingen.append(i)
        return i

    def stappenplan(self, t, inschatting, datum, soorten=(), n=None, hervatting=_AUTO) -> Stappenplan:
        s = Stappenplan(
            traject=t,
            inschatting=inschatting,
            datum=self._op(t, datum),
            beoogde_hervatting_op=datum + _dag(self.r(7, 45)) if hervatting is _AUTO else hervatting,
            afspraken=self.rng.choice(STAPPENPLAN_TEKSTEN),
        )
        self.stappenplannen.append(s)
        gekozen = list(dict.fromkeys(soorten))
        n = max(n or self.r(1, 3), len(gekozen))
        alle = list(Maatregel.Soort)
        while len(gekozen) < n:
            soort = alle[self.maatregel_i % len(alle)]
            self.maatregel_i += 1
            if soort not in gekozen:
                gekozen.append(soort)
        for soort in gekozen:
            vanaf = self.tussen(datum, datum + _dag(14))
            tot = vanaf + _dag(self.r(30, 120)) if self.rng.random() < 0.7 else None
            self.maatregelen.append(
                Maatregel(
                    stappenplan=s,
                    soort=soort,
                    omschrijving=self.rng.choice(MAATREGEL_TEKSTEN[soort]),
                    vanaf=vanaf,
                    tot=tot,
                )
            )
        return s

    def betrokken(self, t, vanaf: date, actor: str | None = None) -> None:
        """A welzijnsactor; without ``actor`` the next one of a fixed cycle, so that every kind appears."""
        gehad = self.actoren[id(t)]
        if actor is None:
            alle = list(Betrokkenheid.Actor)
            for _ in alle:
                kandidaat = alle[self.actor_i % len(alle)]
                self.actor_i += 1
                if kandidaat not in gehad:
                    actor = kandidaat
                    break
            else:
                return
        if actor in gehad:
            return
        gehad.add(actor)
        self.betrokkenheden.append(
            Betrokkenheid(
                traject=t,
                actor=actor,
                vanaf=self._op(t, vanaf),
                toestemming_op=vanaf,  # involved with the staff member's consent (circular)
                toelichting=BETROKKENHEID_TEKSTEN[actor],
            )
        )

    def naar_ago(self, t, code: str, op: date) -> None:
        """Entity-crossing through AgO: requested, accepted with a trajectbegeleider, target entity found."""
        t.doel_entiteit = self.andere_entiteit(code)
        self.aanmeldingen.append(
            Aanmelding(
                traject=t,
                status=Aanmelding.Status.DOELENTITEIT_GEVONDEN,
                aangemeld_op=op,
                aangemeld_door=t.coach or self.hr[code],
                motivatie="Geen passende functie in de eigen entiteit; interne mobiliteit gevraagd",
                beslist_op=op,
                trajectbegeleider=self.rng.choice(self.ago),
                doelentiteit=t.doel_entiteit,
                doelentiteit_op=op,
            )
        )

    def verlenging(self, t, inschatting: Inschatting, toegekend: date, nieuw: date) -> None:
        assert inschatting.datum <= toegekend <= dl.add_months(inschatting.datum, 2) and nieuw > toegekend
        self.verlengingen.append(
            Verlenging(
                traject=t,
                toegekend_op=self._op(t, toegekend),
                nieuwe_datum=nieuw,
                reden=self.rng.choice(VERLENGING_REDENEN),
            )
        )

    def herval(self, t, hervat_op: date, datum: date) -> None:
        self._op(t, hervat_op)
        self.hervallen.append(
            Herval(
                traject=t,
                hervat_op=hervat_op,
                hervatting_vorm=self.rng.choice(
                    [Traject.HervattingVorm.VOLLEDIG, Traject.HervattingVorm.PROGRESSIEF]
                ),
                datum=self._op(t, datum),
                toelichting=self.rng.choice(HERVAL_TEKSTEN),
            )
        )

    def hervat(self, t, datum: date, vorm: str, tot: date | None = None) -> None:
        """Return to work on ``datum``, with one or two evaluations up to ``tot`` (default the reference)."""
        t.werkhervatting_op = self._op(t, datum)
        t.werkhervatting_vorm = vorm
        t.status = Traject.Status.OPVOLGING
        tot = min(tot or self.ref, self.ref)
        self.gezondheidstoezicht(t, datum, tot)
        eerste = datum + _dag(self.r(14, 30))
        if eerste > tot:
            eerste = tot if tot > datum else None
        if eerste is None:
            return
        self.evaluatie(t, eerste)
        tweede = eerste + _dag(self.r(30, 60))
        if tweede <= tot:
            self.evaluatie(t, tweede)

    def gezondheidstoezicht(self, t, terug: date, tot: date) -> None:
        """Some staff are under compulsory health surveillance; most of them get the examination at the
        return (within days), some not (the milestone is missed)."""
        if t.d0 is None or self.rng2.random() >= 0.3:
            return
        t.gezondheidstoezicht = True
        if (terug - t.d0).days >= 28 and self.rng2.random() < 0.7:
            op = min(terug + _dag(self.rng2.randint(0, 8)), tot)
            if op >= terug:
                self.onderzoeken.append(
                    Onderzoek(traject=t, soort=Onderzoek.Soort.ONDERZOEK_BIJ_WERKHERVATTING, datum=op)
                )
        if self.rng2.random() < 0.3:
            self.onderzoeken.append(
                Onderzoek(
                    traject=t,
                    soort=Onderzoek.Soort.BEZOEK_VOOR_WERKHERVATTING,
                    datum=max(t.d0, terug - _dag(self.rng2.randint(3, 14))),
                )
            )

    def evaluatie(self, t, datum: date, door: str | None = None) -> None:
        door = door or self.rng.choice(
            [Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.COACH]
        )
        self.evaluaties.append(
            Evaluatie(
                traject=t,
                datum=self._op(t, datum),
                gevoerd_door=self._door(t, door),
                bijgestuurd=self.rng.random() < 0.25,
                verslag=self.rng.choice(EVALUATIE_TEKSTEN),
            )
        )

    def sluit(self, t, datum: date, uitkomst: str, reden: str | None = None) -> None:
        t.status = Traject.Status.AFGESLOTEN
        t.afgesloten_op = self._op(t, datum)
        t.uitkomst = uitkomst
        t.uitkomst_reden = reden or self.rng.choice(UITKOMST_REDENEN[uitkomst])

    def andere_entiteit(self, code: str) -> Entiteit:
        return self.entiteiten[self.rng.choice([c for c in self.entiteiten if c != code])]

    # --- scenarios ----------------------------------------------------------------------------------------

    def variant(self, naam: str, aantal: int) -> int:
        v = self.teller[naam] % aantal
        self.teller[naam] += 1
        return v

    def bouw_trajecten(self, n: int) -> None:
        codes = [de.code for de in ENTITEITEN]
        gewichten = [de.gewicht for de in ENTITEITEN]
        volgorde = scenario_volgorde(n + 1)
        while len(self.trajecten) < n:
            self.scenario = next(volgorde)
            code = self.rng.choices(codes, gewichten)[0]
            voor = len(self.trajecten)
            getattr(self, "s_" + self.scenario)(code, ruimte=n - len(self.trajecten))
            self.per_scenario[self.scenario] += len(self.trajecten) - voor

    def s_vers(self, code, ruimte):
        """Just registered, nothing happened yet: every term still runs."""
        v = self.variant("vers", 3)
        t = self.traject(code)
        t.d0 = self.geleden(0, 20)
        if v >= 1:
            self.contacten(t, t.d0 + _dag(1), self.ref, 1, door=Gesprek.Door.LEIDINGGEVENDE)
        if v == 2:
            self.betrokken(t, self.tussen(t.d0, self.ref))

    def s_info_arbeidsarts(self, code, ruimte):
        """Around D0 + 4 weeks: the arbeidsarts's information due soon, missed, met or met late."""
        v = self.variant("info", 4)
        t = self.traject(code)
        if v == 0:
            t.d0 = self.geleden(22, 27)  # due within 7 days
        elif v == 1:
            t.d0 = self.geleden(29, 35)  # missed
        elif v == 2:
            leeftijd = self.r(24, 35)
            t.d0 = self.ref - _dag(leeftijd)
            self.info(t, 14, min(27, leeftijd))
        else:
            leeftijd = self.r(31, 35)
            t.d0 = self.ref - _dag(leeftijd)
            self.info(t, 29, leeftijd)  # late
        if self.rng.random() < 0.5:
            self.contacten(t, t.d0 + _dag(3), self.ref, 1)

    def s_eerste_gesprek(self, code, ruimte):
        """First conversation in the recommended window of 4 to 6 weeks."""
        v = self.variant("eerste_gesprek", 3)
        t = self.traject(code)
        dag = self.r(30, 40)
        t.d0 = self.ref - _dag(dag + self.r(0, 20))
        if v != 2:
            self.info(t)
        self.contacten(t, t.d0 + _dag(3), t.d0 + _dag(dag - 1), self.r(0, 2))
        self.gesprek(t, t.d0 + _dag(dag))

    def s_gesprek_2_maanden(self, code, ruimte):
        """The conversation of D0 + 2 months due soon or missed; or the assessment of D0 + 4 months due soon."""
        v = self.variant("gesprek_2_maanden", 3)
        t = self.traject(code)
        if v == 0:
            t.d0 = self.datum_met_termijn(2, 0, 6)
            self.info(t)
            self.contacten(t, t.d0 + _dag(7), self.ref, self.r(0, 2))
        elif v == 1:
            t.d0 = self.geleden(63, 110)
            if self.rng.random() < 0.6:
                self.info(t)
            self.contacten(t, t.d0 + _dag(7), self.ref, self.r(1, 3))
        else:
            t.d0 = self.datum_met_termijn(4, 0, 6)
            self.info(t)
            self.gesprek(t, t.d0 + _dag(self.r(35, 55)))
            self.contacten(t, t.d0 + _dag(60), self.ref, self.r(0, 2))

    def s_nog_niet_mogelijk(self, code, ruimte):
        """Steps not yet possible: the next conversation planned (not yet due, due soon), missed, or held."""
        v = self.variant("nog_niet_mogelijk", 4)
        t = self.traject(code)
        if v == 0:
            a, volgend = self.geleden(3, 30), self.ref + _dag(self.r(10, 40))
        elif v == 1:
            a, volgend = self.geleden(7, 35), self.ref + _dag(self.r(0, 6))
        elif v == 2:
            volgend = self.geleden(3, 25)
            a = volgend - _dag(self.r(14, 35))
        else:
            a = self.geleden(40, 70)
            volgend = a + _dag(self.r(14, 28))
        t.d0 = a - _dag(self.r(35, 60))
        self.info(t)
        self.contacten(t, t.d0 + _dag(5), a - _dag(1), self.r(0, 2))
        self.inschatting(t, a, False, volgend)
        if v == 3:  # the planned conversation took place; steps still not possible, next one planned
            tweede = volgend - _dag(self.r(0, 5))
            self.inschatting(t, tweede, False, self.ref + _dag(self.r(10, 35)))
        elif v != 2:
            self.contacten(t, a + _dag(1), self.ref, self.r(0, 1))
        if self.rng.random() < 0.5:
            self.betrokken(t, self.tussen(a, self.ref))

    def s_stappenplan(self, code, ruimte):
        """Steps possible: a stappenplan within 2 months, or still to be made (not yet due, due soon)."""
        v = self.variant("stappenplan", 3)
        t = self.traject(code)
        if v == 0:
            s = self.geleden(0, 60)
            a = s - _dag(self.r(7, 50))
        elif v == 1:
            a = self.geleden(5, 45)
        else:
            a = self.datum_met_termijn(2, 0, 6)
        t.d0 = a - _dag(self.r(30, 70))
        self.info(t)
        self.contacten(t, t.d0 + _dag(5), a - _dag(1), self.r(0, 2))
        i = self.inschatting(t, a, True)
        self.betrokken(t, self.tussen(a, self.ref))
        if v == 0:
            self.stappenplan(t, i, s)
        else:
            self.contacten(t, a + _dag(1), self.ref, self.r(0, 1), door=Gesprek.Door.COACH)

    def s_stappenplan_gemist(self, code, ruimte):
        """Steps possible more than 2 months ago and no stappenplan: the formal trajectory becomes mandatory."""
        t = self.traject(code)
        a = self.geleden(65, 130)
        t.d0 = a - _dag(self.r(30, 70))
        self.info(t)
        self.inschatting(t, a, True)
        self.contacten(t, a + _dag(7), self.ref, self.r(1, 3))
        if self.rng.random() < 0.4:
            self.betrokken(t, self.tussen(a, self.ref))

    def s_verlenging(self, code, ruimte):
        """As above, but the stappenplan term was extended (advice of SMT and ergonomist)."""
        v = self.variant("verlenging", 3)
        t = self.traject(code)
        if v in (0, 1):
            a = self.geleden(62, 110)
            toegekend = a + _dag(self.r(35, 55))
            nieuw = self.ref + _dag(self.r(10, 60) if v == 0 else self.r(0, 6))
        else:
            a = self.geleden(100, 140)
            toegekend = a + _dag(self.r(40, 55))
            nieuw = toegekend + _dag(self.r(40, 60))
        t.d0 = a - _dag(self.r(30, 70))
        self.info(t)
        i = self.inschatting(t, a, True)
        self.betrokken(t, a + _dag(self.r(5, 30)), Betrokkenheid.Actor.SMT)
        self.betrokken(t, a + _dag(self.r(5, 30)), Betrokkenheid.Actor.ERGONOMIE)
        self.verlenging(t, i, toegekend, nieuw)
        if v == 2:  # the plan came within the extended term
            plan = min(nieuw, self.ref) - _dag(self.r(0, 5))
            self.stappenplan(t, i, plan, soorten=[Maatregel.Soort.WERKPLEK])
        else:
            self.contacten(t, toegekend + _dag(1), self.ref, self.r(0, 2))

    def s_niets_na_4_maanden(self, code, ruimte):
        """Four months and more without an assessment (at most some contacts)."""
        v = self.variant("niets", 3)
        t = self.traject(code)
        t.d0 = self.geleden(125, 200)
        if v == 1:
            self.info(t)
        if v != 2:
            self.contacten(t, t.d0 + _dag(7), self.ref, self.r(1, 3), door=Gesprek.Door.LEIDINGGEVENDE)

    def s_werkhervatting(self, code, ruimte):
        """Back at work: status opvolging, with evaluations of the agreements."""
        v = self.variant("werkhervatting", 4)
        vorm, soorten = (
            (Traject.HervattingVorm.VOLLEDIG, [Maatregel.Soort.AANGEPASTE_TAKEN]),
            (Traject.HervattingVorm.PROGRESSIEF, [Maatregel.Soort.PROGRESSIEF]),
            (Traject.HervattingVorm.AANGEPAST, [Maatregel.Soort.WERKPLEK, Maatregel.Soort.AANGEPASTE_UREN]),
            (Traject.HervattingVorm.ANDERE_FUNCTIE, [Maatregel.Soort.ANDERE_FUNCTIE]),
        )[v]
        t = self.traject(code)
        w = self.geleden(14, 200)
        s = w - _dag(self.r(3, 40))
        a = s - _dag(self.r(7, 40))
        t.d0 = a - _dag(self.r(30, 70))
        self.info(t)
        self.contacten(t, t.d0 + _dag(5), a - _dag(1), self.r(0, 2))
        i = self.inschatting(t, a, True)
        if vorm == Traject.HervattingVorm.PROGRESSIEF:
            self.betrokken(t, a, Betrokkenheid.Actor.ARBEIDSARTS)
        else:
            self.betrokken(t, self.tussen(a, s))
        self.stappenplan(t, i, s, soorten=soorten, hervatting=w)
        self.hervat(t, w, vorm)

    def s_herval(self, code, ruimte):
        """Relapse after a return: within 14 days (not interrupting) or later (interrupting the 3 months)."""
        v = self.variant("herval", 2)
        t = self.traject(code)
        h = self.geleden(5, 90)
        hervat = h - _dag(self.r(5, 13) if v == 0 else self.r(20, 60))
        s = hervat - _dag(self.r(3, 30))
        a = s - _dag(self.r(7, 40))
        t.d0 = a - _dag(self.r(30, 70))
        self.info(t)
        i = self.inschatting(t, a, True)
        self.stappenplan(t, i, s, hervatting=hervat)
        self.herval(t, hervat, h)
        self.contacten(t, h + _dag(1), self.ref, 1, door=Gesprek.Door.COACH)
        if self.rng.random() < 0.5:
            self.betrokken(t, self.tussen(h, self.ref))

    def s_afgesloten(self, code, ruimte):
        """Closed, each of the four outcomes; closing dates spread over the last three years."""
        v = self.variant("afgesloten", 4)
        uitkomst = (
            Traject.Uitkomst.ZELFDE_FUNCTIE,
            Traject.Uitkomst.ANDERE_FUNCTIE,
            Traject.Uitkomst.ANDERE_ENTITEIT,
            Traject.Uitkomst.GEEN_TERUGKEER,
        )[v]
        t = self.traject(code)
        c = self.geleden(0, 1095)
        if uitkomst == Traject.Uitkomst.GEEN_TERUGKEER:
            a = c - _dag(self.r(20, 120))
            t.d0 = a - _dag(self.r(30, 70))
            self.info(t)
            self.contacten(t, t.d0 + _dag(5), a - _dag(1), self.r(1, 2))
            self.inschatting(t, a, False, a + _dag(self.r(14, 30)))
            self.contacten(t, a + _dag(1), c, self.r(0, 2))
            self.betrokken(t, self.tussen(a, c))
            self.sluit(t, c, uitkomst)
            return
        vorm, soorten = {
            Traject.Uitkomst.ZELFDE_FUNCTIE: (
                self.rng.choice([Traject.HervattingVorm.VOLLEDIG, Traject.HervattingVorm.PROGRESSIEF]),
                [],
            ),
            Traject.Uitkomst.ANDERE_FUNCTIE: (
                Traject.HervattingVorm.ANDERE_FUNCTIE,
                [Maatregel.Soort.ANDERE_FUNCTIE],
            ),
            Traject.Uitkomst.ANDERE_ENTITEIT: (
                Traject.HervattingVorm.ANDERE_ENTITEIT,
                [Maatregel.Soort.ANDERE_ENTITEIT],
            ),
        }[uitkomst]
        w = c - _dag(self.r(30, 150))
        s = w - _dag(self.r(3, 30))
        a = s - _dag(self.r(7, 40))
        t.d0 = a - _dag(self.r(30, 70))
        self.info(t)
        self.contacten(t, t.d0 + _dag(5), a - _dag(1), self.r(0, 2))
        i = self.inschatting(t, a, True)
        if uitkomst == Traject.Uitkomst.ANDERE_ENTITEIT:
            self.naar_ago(t, code, a)
            self.betrokken(t, a, Betrokkenheid.Actor.AGO)
        else:
            self.betrokken(t, self.tussen(a, s))
        self.stappenplan(t, i, s, soorten=soorten, hervatting=w)
        self.hervat(t, w, vorm, tot=c)
        self.sluit(t, c, uitkomst)

    def s_preventief(self, code, ruimte):
        """Still at work but at risk of dropping out: no D0, no clock; contacts and sometimes a plan."""
        v = self.variant("preventief", 3)
        t = self.traject(code, soort=dl.PREVENTIEF)
        if v == 2:
            start = self.geleden(60, 700)
        else:
            start = self.geleden(5, 200)
        self.gesprek(t, start, Gesprek.Soort.CONTACT, door=Gesprek.Door.LEIDINGGEVENDE)
        self.contacten(t, start + _dag(1), start + _dag(25 if v == 2 else 120), self.r(0, 2))
        if v >= 1:
            g = self.tussen(start, start + _dag(30))
            i = self.inschatting(t, g, True)
            self.betrokken(
                t,
                g,
                self.rng.choice(
                    [Betrokkenheid.Actor.VEERKRACHTCOACH, Betrokkenheid.Actor.VERTROUWENSPERSOON]
                ),
            )
            soort = self.rng.choice(
                [Maatregel.Soort.AANGEPASTE_UREN, Maatregel.Soort.AANGEPASTE_TAKEN, Maatregel.Soort.WERKPLEK]
            )
            s = self.tussen(g, g + _dag(30))
            self.stappenplan(t, i, s, soorten=[soort], n=1, hervatting=None)
            if v == 2:
                einde = min(s + _dag(self.r(30, 120)), self.ref)
                self.gesprek(
                    t, self.tussen(s, einde), Gesprek.Soort.CONTACT, door=Gesprek.Door.LEIDINGGEVENDE
                )
                self.sluit(
                    t,
                    einde,
                    Traject.Uitkomst.BLIJFT_WERKEN,
                    "Personeelslid blijft aan het werk met aangepaste afspraken",
                )

    def s_formeel(self, code, ruimte):
        """Formal trajectory at each stage of the KB procedure; some continue a closed informal one."""
        v = FORMEEL_VARIANTEN[self.variant("formeel", len(FORMEEL_VARIANTEN))]
        omzetten = ruimte >= 2 and self.teller["formeel"] % 2 == 1
        vr = FormeelVerloop(aanvrager=self.rng.choice(list(FormeelVerloop.Aanvrager)))
        tijdelijk_of_definitief = self.rng.choice([dl.BEOORDELING_TIJDELIJK, dl.BEOORDELING_DEFINITIEF])
        c = plan = antwoord = b = b_ontvangen = plan_ontvangen = None
        # the running term of the stage: 0 not yet due, 1 due within 7 days, 2 missed
        fase = self.variant("formeel_" + v, 3) if v in ("aanvraag", "tijdelijk", "plan_wacht") else 0
        if v == "aanvraag":  # assessment due 49 days after the request
            aanvraag = self.ref - _dag((self.r(0, 40), self.r(43, 49), self.r(50, 80))[fase])
        elif v in ("tijdelijk", "definitief", "andere"):
            if v == "tijdelijk":  # plan due 63 days after the assessment was received
                b_ontvangen = self.ref - _dag((self.r(0, 55), self.r(57, 63), self.r(64, 100))[fase])
            else:
                b_ontvangen = self.geleden(0, 120 if v == "definitief" else 75)
            b = b_ontvangen - _dag(self.r(0, 5))
            aanvraag = b - _dag(self.r(10, 49))
            vr.beoordeling = {
                "tijdelijk": dl.BEOORDELING_TIJDELIJK,
                "definitief": dl.BEOORDELING_DEFINITIEF,
            }.get(v, FormeelVerloop.Beoordeling.ANDERE)
        elif v in ("plan_wacht", "akkoord", "weigering", "verslag"):
            if v == "plan_wacht":  # answer due 14 days after the plan was received
                plan_ontvangen = self.ref - _dag((self.r(0, 6), self.r(7, 14), self.r(15, 30))[fase])
                plan = plan_ontvangen - _dag(self.r(0, 3))
            else:
                plan = self.geleden(16, 150)
            b = plan - _dag(self.r(20, 60))
            aanvraag = b - _dag(self.r(10, 45))
            vr.beoordeling = tijdelijk_of_definitief
        else:  # afgesloten
            c = self.geleden(30, 900)
            antwoord = c - _dag(self.r(10, 60))
            plan = antwoord - _dag(self.r(4, 16))
            b = plan - _dag(self.r(20, 60))
            aanvraag = b - _dag(self.r(10, 45))
            vr.beoordeling = tijdelijk_of_definitief

        persoon = self.persoon(code)
        voorganger = None
        if omzetten:
            voorganger = self.traject(code, persoon=persoon)
        t = self.traject(code, soort=dl.FORMEEL, persoon=persoon)
        if omzetten or vr.aanvrager == FormeelVerloop.Aanvrager.ENTITEIT:
            t.d0 = aanvraag - _dag(self.r(100, 240))  # the entity may ask after 3 months
        else:
            t.d0 = aanvraag - _dag(self.r(20, 240))
        if voorganger is not None:
            voorganger.d0 = t.d0
            voorganger.coach = t.coach
            voorganger.leidinggevende = t.leidinggevende
            self.scenario = "formeel (voorganger)"
            self.info(voorganger)
            a = t.d0 + _dag(self.r(30, 50))
            self.inschatting(voorganger, a, self.rng.random() < 0.5)
            self.contacten(voorganger, a + _dag(1), aanvraag, self.r(0, 2))
            # as the conversion in the app does it: closed on the day the request was received
            self.sluit(voorganger, aanvraag, Traject.Uitkomst.OMGEZET_FORMEEL, OMGEZET_REDEN)
            t.voortgezet_van = voorganger
            self.scenario = "formeel"

        vr.traject = t
        vr.aanvraag_ontvangen_op = self._op(t, aanvraag)
        self.betrokken(t, aanvraag, Betrokkenheid.Actor.ARBEIDSARTS)
        if v != "aanvraag":
            vr.beoordeling_op = self._op(t, b)
            vr.beoordeling_ontvangen_op = b_ontvangen or min(
                b + _dag(self.r(0, 5)), plan or self.ref, self.ref
            )
            if vr.beoordeling == dl.BEOORDELING_DEFINITIEF:
                t.definitieve_ongeschiktheid_op = b
        if plan is not None:
            vr.plan_op = self._op(t, plan)
            vr.plan_soort = dl.GEMOTIVEERD_VERSLAG if v == "verslag" else dl.PLAN
            self.betrokken(t, self.tussen(b, plan), Betrokkenheid.Actor.HR)
            if vr.plan_soort == dl.PLAN:
                vr.plan_ontvangen_op = plan_ontvangen or min(plan + _dag(self.r(0, 3)), self.ref)
        if v in ("akkoord", "weigering", "afgesloten"):
            antwoord = antwoord or min(vr.plan_ontvangen_op + _dag(self.r(1, 14)), self.ref)
            vr.antwoord_op = self._op(t, antwoord)
            vr.antwoord = (
                FormeelVerloop.Antwoord.WEIGERING if v == "weigering" else FormeelVerloop.Antwoord.AKKOORD
            )
            if v == "afgesloten" and self.rng.random() < 0.3:
                vr.antwoord = FormeelVerloop.Antwoord.WEIGERING
        self.formeel.append(vr)
        self.contacten(t, aanvraag - _dag(30), self.ref if c is None else c, self.r(0, 2))

        if v == "akkoord" and self.teller["formeel_akkoord"] % 2 == 0:
            w = antwoord + _dag(self.r(7, 30))
            if w <= self.ref:
                self.hervat(
                    t,
                    w,
                    self.rng.choice(
                        [Traject.HervattingVorm.AANGEPAST, Traject.HervattingVorm.ANDERE_FUNCTIE]
                    ),
                )
        if v == "akkoord":
            self.teller["formeel_akkoord"] += 1
        if v == "afgesloten":
            if vr.antwoord == FormeelVerloop.Antwoord.AKKOORD:
                w = self.tussen(antwoord, antwoord + _dag(10))
                self.hervat(t, w, Traject.HervattingVorm.ANDERE_FUNCTIE, tot=c)
                self.sluit(t, c, Traject.Uitkomst.ANDERE_FUNCTIE)
            else:
                self.sluit(
                    t, c, Traject.Uitkomst.GEEN_TERUGKEER, "Re-integratieplan geweigerd; einde traject"
                )

    def s_entiteitsoverschrijdend(self, code, ruimte):
        """Re-integration in another entity, followed by an AgO adviser."""
        v = self.variant("entiteitsoverschrijdend", 2)
        t = self.traject(code)
        if v == 0:
            a = self.geleden(20, 100)
            s = self.tussen(a + _dag(7), a + _dag(50))
            w = None
        else:
            w = self.geleden(14, 150)
            s = w - _dag(self.r(7, 40))
            a = s - _dag(self.r(7, 40))
        t.d0 = a - _dag(self.r(30, 70))
        self.naar_ago(t, code, a)
        self.info(t)
        i = self.inschatting(t, a, True)
        self.betrokken(t, a, Betrokkenheid.Actor.AGO)
        self.betrokken(t, a, Betrokkenheid.Actor.HR)
        self.stappenplan(t, i, s, soorten=[Maatregel.Soort.ANDERE_ENTITEIT], hervatting=w or _AUTO)
        self.gesprek(
            t,
            self.tussen(a, s),
            door=Gesprek.Door.AGO,
            vorm=Gesprek.Vorm.VIDEO,
            tekst="Kennismaking met de doelentiteit voorbereid",
        )
        if w is not None:
            self.hervat(t, w, Traject.HervattingVorm.ANDERE_ENTITEIT)

    # --- writing ------------------------------------------------------------------------------------------

    def schrijf(self) -> dict[str, int]:
        def bulk(model: type[Model], objs: list) -> int:
            if objs:
                history_fields = {f.name for f in model.history.model._meta.fields}
                bulk_create_with_history(
                    objs,
                    model,
                    default_change_reason=WIJZIGINGSREDEN,
                    custom_historical_attrs={"history_bron": Bron.DEMO}
                    if "history_bron" in history_fields
                    else None,
                )
            return len(objs)

        aantallen = {}
        aantallen["entiteiten"] = bulk(Entiteit, list(self.entiteiten.values()))
        bestaand = {
            g.username: g
            for g in Gebruiker.objects.filter(username__in=[g.username for g in self.gebruikers])
        }
        for g in self.gebruikers:  # a kept superuser with a demo name (after --reset) gets the demo state
            if g.username in bestaand:
                oud = bestaand[g.username]
                g.pk, g.date_joined = oud.pk, oud.date_joined
                g.save()
        aantallen["gebruikers"] = bulk(
            Gebruiker, [g for g in self.gebruikers if g.username not in bestaand]
        ) + len(bestaand)
        aantallen["personeelsleden"] = bulk(Personeelslid, self.personeel)
        eerst = [t for t in self.trajecten if t.voortgezet_van is None]
        daarna = [t for t in self.trajecten if t.voortgezet_van is not None]
        aantallen["trajecten"] = bulk(Traject, eerst) + bulk(Traject, daarna)
        aantallen["aanmeldingen bij AgO"] = bulk(Aanmelding, self.aanmeldingen)
        aantallen["formele verlopen"] = bulk(FormeelVerloop, self.formeel)
        aantallen["contacten en gesprekken"] = bulk(Gesprek, self.gesprekken)
        aantallen["inschattingen"] = bulk(Inschatting, self.inschattingen)
        aantallen["stappenplannen"] = bulk(Stappenplan, self.stappenplannen)
        aantallen["maatregelen"] = bulk(Maatregel, self.maatregelen)
        aantallen["betrokken welzijnsactoren"] = bulk(Betrokkenheid, self.betrokkenheden)
        aantallen["verlengingen"] = bulk(Verlenging, self.verlengingen)
        aantallen["hervallen"] = bulk(Herval, self.hervallen)
        aantallen["evaluaties"] = bulk(Evaluatie, self.evaluaties)
        aantallen["onderzoeken"] = bulk(Onderzoek, self.onderzoeken)
        return aantallen


def laad(
    reference_date: date, seed: int = STANDAARD_SEED, n_trajecten: int = STANDAARD_AANTAL_TRAJECTEN
) -> Resultaat:
    """Build and write the demo data. Call inside ``transaction.atomic()`` on an empty database (see ``wis``)."""
    rng = random.Random(seed)
    b = _Bouwer(rng, reference_date)
    b.basis(make_password(WACHTWOORD))
    b.bouw_trajecten(n_trajecten)
    resultaat = Resultaat(aantallen=b.schrijf(), per_scenario=b.per_scenario)
    # Signals and stored deadline summaries as the nightly job has them on the reference date (no e-mails).
    resultaat.signalen = monitoring.run(reference_date, notify=False).raised
    resultaat.per_soort_status = Counter((t.soort, t.status) for t in b.trajecten)
    resultaat.logins = logins()
    return resultaat


def wis() -> dict[str, int]:
    """Delete the demo rows: trajectories and their parts, staff, users except superusers, entities."""
    weg = {}
    for label, qs in (
        ("signalen", Signaal.objects.all()),
        ("maatregelen", Maatregel.objects.all()),
        ("stappenplannen", Stappenplan.objects.all()),
        ("inschattingen", Inschatting.objects.all()),
        ("contacten en gesprekken", Gesprek.objects.all()),
        ("betrokken welzijnsactoren", Betrokkenheid.objects.all()),
        ("verlengingen", Verlenging.objects.all()),
        ("hervallen", Herval.objects.all()),
        ("evaluaties", Evaluatie.objects.all()),
        ("onderzoeken", Onderzoek.objects.all()),
        ("formele verlopen", FormeelVerloop.objects.all()),
        ("trajecten", Traject.objects.filter(voortgezet_van__isnull=False)),
        ("trajecten", Traject.objects.all()),
        ("personeelsleden", Personeelslid.objects.all()),
        ("gebruikers", Gebruiker.objects.filter(is_superuser=False)),
        ("entiteiten", Entiteit.objects.all()),
    ):
        aantal, _ = qs.delete()
        weg[label] = weg.get(label, 0) + aantal
    return weg


def logins() -> list[tuple[str, str, str]]:
    """(username, rol, entiteit) of every active user, beheerder and AgO first, then per entity."""
    volgorde = {
        Gebruiker.Rol.BEHEERDER: 0,
        Gebruiker.Rol.AGO: 1,
        Gebruiker.Rol.TERUGKEERCOACH: 2,
        Gebruiker.Rol.HR: 3,
    }
    rijen = [
        (g.username, g.get_rol_display(), g.entiteit.code if g.entiteit else "—", volgorde.get(g.rol, 9))
        for g in Gebruiker.objects.filter(is_active=True).select_related("entiteit")
    ]
    rijen.sort(key=lambda r: (r[2] != "—", r[2], r[3], r[0]))
    return [r[:3] for r in rijen]
