"""Realistic data at the scale of the whole Flemish government, for the benchmarks (``benchmarks/run.py``).

``generate()`` loads, deterministically for a seed and a reference date:

- ~120 entities (11 real policy domains; one departement per domain, IVAs, EVAs, advisory councils and
  other VPS bodies; codes ``E001``..), skewed in size: a few large entities carry most trajectories;
- ~2 terugkeercoaches and 1 HR user per entity (none in the advisory councils: HR registers there),
  3 AgO users and 1 operator; all with one password hash of ``bench-wachtwoord-2024``;
- 30,000 staff members;
- N trajectories (default 100,000) with D0 (or start) spread over the 10 years before the reference date:
  85 % informal, 5 % informal entity-crossing, 4 % formal (40 % of them continue an informal trajectory,
  which is part of the 85 %), 6 % preventive. Durations follow a long-tailed distribution, so nearly
  everything older than a year is closed and about 9 % is open (``lopend`` or ``opvolging``); 2 % of
  the dossiers is "forgotten" and stays open. Each trajectory has its parts: 1-4 conversations, 0-2
  assessments, a stappenplan with 1-3 measures after most positive assessments, welzijnsactoren (the SMT
  now and then), a rare extension, relapses (~8 %, some within 14 days of the return), evaluations after
  a return, and for formal trajectories the formal course at every stage.

Every registered fact (a conversation, an assessment, a return, a closure, ...) lies between D0 and the
reference date. Only *planned* dates may lie after it, as in real open dossiers: the next conversation
after an assessment "nog niet mogelijk", the new date of an extension, the target return of a
stappenplan and the end of a measure (``PLANNED_DATE_FIELDS``). Every database constraint holds.

Loading: objects are built in memory per chunk of 5,000 trajectories and written with ``bulk_create``
(batch size 5,000) in one transaction. ``bulk_create`` skips django-simple-history: the benchmark data
has no history rows. Then the stored deadline summaries of the open trajectories are computed with
``trajecten.evaluation.refresh_summaries`` and the tables are analysed.

CLI (from the project root)::

    python benchmarks/generate.py --trajecten 100000 --reset \\
        --database-url postgres://postgres@127.0.0.1:5432/reintegratie_bench
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from bisect import bisect
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/reintegratie_bench"

DEFAULT_SEED = 2024
DEFAULT_TRAJECTEN = 100_000
DEFAULT_ENTITEITEN = 120
DEFAULT_PERSONEELSLEDEN = 30_000
YEARS = 10
BATCH_SIZE = 5000
CHUNK = 5000  # trajectories built in memory before they are written
PASSWORD = "bench-wachtwoord-2024"  # noqa: S105 - benchmark users only

# Share of the trajectories per kind. "voortgezet" formal trajectories continue an informal one, which is
# generated too and counts in "informeel" (so the informal share stays 85 %).
MIX = {"informeel": 0.85, "overschrijdend": 0.05, "formeel": 0.04, "preventief": 0.06}
VOORTGEZET_SHARE = 0.40  # of the formal trajectories
FORGOTTEN = 0.02  # dossiers that are never closed
RELAPSE = 0.09  # of the trajectories with a long enough absence (about 8 % of all)
ZIPF = 0.8  # entity size skew: weight of the entity of rank r is 1 / r ** ZIPF

# Planned dates: the only dates that may lie after the reference date.
PLANNED_DATE_FIELDS = {
    "Inschatting": ("volgend_gesprek_op",),
    "Verlenging": ("nieuwe_datum",),
    "Stappenplan": ("beoogde_hervatting_op",),
    "Maatregel": ("vanaf", "tot"),
}

# --- Entities ----------------------------------------------------------------------------------------------

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

VOORNAMEN = (
    "An", "Ann", "Annelies", "Ayse", "Bart", "Bram", "Dirk", "Elke", "Els", "Emma", "Evelien", "Fatima",
    "Filip", "Geert", "Griet", "Hilde", "Inge", "Jan", "Jef", "Jonas", "Joris", "Karen", "Katrien", "Koen",
    "Kristof", "Liesbeth", "Lotte", "Lucas", "Marie", "Mehmet", "Mieke", "Nele", "Pieter", "Ruben",
    "Sarah", "Sofie", "Steven", "Stijn", "Thomas", "Tom", "Veerle", "Wim", "Wouter", "Youssef", "Zoë",
)  # fmt: skip
ACHTERNAMEN = (
    "Aerts", "Baert", "Bogaert", "Claes", "Claeys", "Cools", "Coppens", "De Backer", "De Clercq", "De Smet",
    "Declercq", "Desmet", "Dubois", "Geerts", "Goossens", "Hendrickx", "Hermans", "Jacobs", "Janssens",
    "Lambrechts", "Maes", "Martens", "Mertens", "Michiels", "Pauwels", "Peeters", "Segers", "Smets",
    "Stevens", "Van Acker", "Van Damme", "Van den Bossche", "Van Dyck", "Vandenberghe", "Verbeke",
    "Verhoeven", "Vermeulen", "Verstraete", "Willems", "Wouters", "El Amrani", "Yilmaz", "Nguyen",
)  # fmt: skip
FUNCTIES = (
    "Beleidsmedewerker", "Administratief medewerker", "Projectleider", "Dossierbehandelaar", "Teamleider",
    "Communicatiemedewerker", "ICT-medewerker", "Jurist", "Financieel medewerker", "Onthaalmedewerker",
    "Technicus", "Inspecteur", "Wegenwachter", "Boswachter", "Labotechnicus", "Afdelingshoofd",
)  # fmt: skip

# Short, work-oriented texts: never medical content.
GESPREK_TEKSTEN = (
    "",
    "",
    "Stand van zaken besproken; volgend contact over twee weken",
    "Bespreking takenpakket en werkuren",
    "Mogelijkheid van een deeltijdse hervatting besproken",
    "Afspraken over contact met het team en de leidinggevende",
    "Personeelslid houdt graag contact met het team",
)
INSCHATTING_TEKSTEN = (
    "",
    "Nog te vroeg om concrete stappen te plannen",
    "Start met een aangepast takenpakket lijkt haalbaar",
    "Progressieve hervatting is bespreekbaar",
)
AFSPRAKEN = (
    "Hervatting halftijds gedurende vier weken, daarna evaluatie",
    "Eerst administratieve taken, geen terreinwerk in de eerste maand",
    "Telewerk twee dagen per week; wekelijks overleg met de leidinggevende",
    "Opbouw van de werkuren in drie stappen; evaluatie na elke stap",
)
VERLENGING_REDENEN = (
    "Advies SMT en ergonoom gevraagd; proces loopt",
    "Werkpostonderzoek gepland; afspraken in voorbereiding",
    "Advies van meerdere welzijnsactoren nodig; overleg met het SMT loopt",
)
GEEN_TERUGKEER_REDENEN = (
    "Personeelslid nam ontslag op eigen verzoek",
    "Pensionering",
    "Einde van de arbeidsovereenkomst",
    "Geen passende functie gevonden; einde traject in onderling overleg",
    "Geen re-integratieplan mogelijk; einde van het traject",
)
OMGEZET_REDEN = "Omgezet naar een formeel re-integratietraject"

N_TEXT = 3  # a quarter of the free-text fields is filled, from these short lists


class _Choice:
    """A fast weighted choice from fixed (value, weight) pairs."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cum, rng.random() * self.total)]


@dataclass(frozen=True)
class _Slot:
    start: date  # D0, or the start of a preventive trajectory
    kind: str  # informeel, overschrijdend, formeel, voortgezet, preventief
    ent: int
    doel: int | None


def _days(n: int) -> timedelta:
    return timedelta(days=n)


# --- Django set-up for the command line ------------------------------------------------------------------


def setup_django(database_url: str | None = None) -> None:
    """Configure the production settings for a benchmark process and call ``django.setup()``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "reintegratie.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["DJANGO_HTTPS"] = "0"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")  # no log line per login or job run
    os.environ["DJANGO_DEBUG"] = "0"
    hosts = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
    os.environ["DJANGO_ALLOWED_HOSTS"] = ",".join(
        dict.fromkeys([*hosts, "testserver", "127.0.0.1", "localhost"])
    )
    import warnings

    import django

    # WhiteNoise warns once per client that collectstatic has not run: irrelevant for the measurements.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


# --- Wiping -------------------------------------------------------------------------------------------------


def wipe() -> None:
    """Empty every table of the entities and trajectories (and what refers to them)."""
    from django.apps import apps
    from django.db import connection

    models = [
        m
        for label in ("entiteiten", "trajecten")
        for m in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cur:
            if connection.in_atomic_block:  # e.g. in a test: check the deferred foreign keys first
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            if connection.in_atomic_block:
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    # Other databases (not used by the benchmarks): delete children first.
    for m in reversed(models):
        m._base_manager.all()._raw_delete(m._base_manager.db)


# --- The builder --------------------------------------------------------------------------------------------


@contextmanager
def _own_timestamps():
    """Let bulk_create keep the registration timestamps we set (auto_now/auto_now_add would overwrite them)."""
    from trajecten import models as tm

    fields = [tm.Traject._meta.get_field("aangemaakt_op"), tm.Traject._meta.get_field("gewijzigd_op")]
    for model in (tm.Gesprek, tm.Inschatting, tm.Stappenplan, tm.Betrokkenheid, tm.Verlenging):
        fields.append(model._meta.get_field("geregistreerd_op"))
    for model in (tm.Herval, tm.Evaluatie):
        fields.append(model._meta.get_field("geregistreerd_op"))
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Builder:
    """Builds trajectories and their parts in memory, chunk by chunk, from one random generator."""

    def __init__(self, rng: random.Random, ref: date, out):
        from django.utils import timezone

        from entiteiten.models import Entiteit, Gebruiker
        from trajecten import models as tm
        from trajecten.deadlines import add_months

        self.rng = rng
        self.ref = ref
        self.out = out
        self.tm = tm
        self.Entiteit = Entiteit
        self.Gebruiker = Gebruiker
        self.add_months = add_months
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.window = (ref - add_months(ref, -12 * YEARS)).days
        self.counts: Counter = Counter()
        self.stats: Counter = Counter()
        T, G, B, M = tm.Traject, tm.Gesprek, tm.Betrokkenheid, tm.Maatregel
        self.uitkomst_informeel = _Choice(
            [
                (T.Uitkomst.ZELFDE_FUNCTIE, 60),
                (T.Uitkomst.ANDERE_FUNCTIE, 14),
                (T.Uitkomst.ANDERE_ENTITEIT, 2),
                (T.Uitkomst.GEEN_TERUGKEER, 24),
            ]
        )
        self.uitkomst_overschrijdend = _Choice(
            [
                (T.Uitkomst.ANDERE_ENTITEIT, 50),
                (T.Uitkomst.ZELFDE_FUNCTIE, 20),
                (T.Uitkomst.ANDERE_FUNCTIE, 10),
                (T.Uitkomst.GEEN_TERUGKEER, 20),
            ]
        )
        self.uitkomst_preventief = _Choice(
            [(T.Uitkomst.ZELFDE_FUNCTIE, 82), (T.Uitkomst.ANDERE_FUNCTIE, 13), (T.Uitkomst.GEEN_TERUGKEER, 5)]
        )
        self.vorm_zelfde = _Choice(
            [
                (T.HervattingVorm.VOLLEDIG, 45),
                (T.HervattingVorm.PROGRESSIEF, 40),
                (T.HervattingVorm.AANGEPAST, 15),
            ]
        )
        self.gesprek_vorm = _Choice(
            [
                (G.Vorm.TELEFOON, 35),
                (G.Vorm.VIDEO, 15),
                (G.Vorm.BEZOEK, 12),
                (G.Vorm.OP_HET_WERK, 10),
                (G.Vorm.MAIL, 18),
                (G.Vorm.SMS_KAART, 5),
                (G.Vorm.ANDERE, 5),
            ]
        )
        self.gesprek_door = _Choice(
            [(G.Door.COACH, 55), (G.Door.LEIDINGGEVENDE, 30), (G.Door.HR, 10), (G.Door.NEUTRAAL, 5)]
        )
        self.aantal_gesprekken = _Choice([(1, 25), (2, 35), (3, 25), (4, 15)])
        self.actor = _Choice(
            [
                (B.Actor.HR, 25),
                (B.Actor.ARBEIDSARTS, 25),
                (B.Actor.PSYCHOSOCIAAL, 12),
                (B.Actor.VERTROUWENSPERSOON, 8),
                (B.Actor.ERGONOMIE, 8),
                (B.Actor.VEERKRACHTCOACH, 8),
                (B.Actor.SOCIALE_DIENST, 5),
                (B.Actor.DIVERSITEIT, 3),
                (B.Actor.SMT, 4),
                (B.Actor.AGO, 2),
            ]
        )
        self.maatregel = _Choice(
            [
                (M.Soort.PROGRESSIEF, 25),
                (M.Soort.AANGEPASTE_UREN, 18),
                (M.Soort.AANGEPASTE_TAKEN, 22),
                (M.Soort.WERKPLEK, 12),
                (M.Soort.REDELIJKE_AANPASSING, 6),
                (M.Soort.VERLOFVORM, 5),
                (M.Soort.ANDERE_FUNCTIE, 5),
                (M.Soort.ANDERE_ENTITEIT, 2),
                (M.Soort.ANDERE, 5),
            ]
        )
        self.aanvrager = _Choice(
            [
                (tm.FormeelVerloop.Aanvrager.PERSONEELSLID, 55),
                (tm.FormeelVerloop.Aanvrager.ENTITEIT, 35),
                (tm.FormeelVerloop.Aanvrager.BEHANDELEND_ARTS, 10),
            ]
        )
        self.beoordeling = _Choice(
            [
                (tm.FormeelVerloop.Beoordeling.TIJDELIJK, 50),
                (tm.FormeelVerloop.Beoordeling.DEFINITIEF, 35),
                (tm.FormeelVerloop.Beoordeling.ANDERE, 15),
            ]
        )
        self.new_chunk()

    # --- helpers ---------------------------------------------------------------------------------------

    def r(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def p(self, chance: float) -> bool:
        return self.rng.random() < chance

    def lognormal_days(self, median: float, sigma: float, lo: int = 1) -> int:
        return max(lo, int(self.rng.lognormvariate(math.log(median), sigma)))

    def text(self, texts) -> str:
        return self.rng.choice(texts) if self.p(0.25) else ""

    def stamp(self, d: date, hour: int = 10) -> datetime:
        """A registration timestamp on day ``d`` (local time), never in the future."""
        return min(datetime(d.year, d.month, d.day, hour, tzinfo=self.tz), self.now)

    def between(self, a: date, b: date) -> date:
        return a if b <= a else a + _days(self.r(0, (b - a).days))

    def new_chunk(self) -> None:
        self.bronnen: list = []  # informal trajectories continued as formal ones: written first
        self.trajecten: list = []
        self.gesprekken: list = []
        self.inschattingen: list = []
        self.stappenplannen: list = []
        self.maatregelen: list = []
        self.betrokkenheden: list = []
        self.verlengingen: list = []
        self.hervallen: list = []
        self.evaluaties: list = []
        self.formeel: list = []

    # --- base data -------------------------------------------------------------------------------------

    def base(self, n_entiteiten: int, n_personeelsleden: int, password_hash: str) -> None:
        rng, Entiteit, Gebruiker = self.rng, self.Entiteit, self.Gebruiker
        real = list(ECHTE_ENTITEITEN[:n_entiteiten])
        synthetic_soort = _Choice(SYNTHETIC_SOORTEN)
        for i in range(len(real), n_entiteiten):
            soort = synthetic_soort(rng)
            domein = BELEIDSDOMEINEN[i % len(BELEIDSDOMEINEN)]
            real.append((f"{SYNTHETIC_PREFIX[soort]} {i + 1:03d} ({domein})", soort, domein))
        self.entiteiten = [
            Entiteit(code=f"E{i + 1:03d}", naam=naam, soort=soort, beleidsdomein=domein)
            for i, (naam, soort, domein) in enumerate(real)
        ]
        # Size ranks: the known large ones first, then the others at random, the advisory councils last.
        idx = list(range(len(self.entiteiten)))
        large = idx[:KNOWN_LARGE]
        rest = [i for i in idx[KNOWN_LARGE:] if self.entiteiten[i].soort != "adviesraad"]
        councils = [i for i in idx[KNOWN_LARGE:] if self.entiteiten[i].soort == "adviesraad"]
        rng.shuffle(rest)
        rng.shuffle(councils)
        self.rank = {e: r for r, e in enumerate(large + rest + councils, start=1)}
        self.weights = [1 / self.rank[i] ** ZIPF for i in idx]
        self.pick_entiteit = _Choice([(i, w) for i, w in enumerate(self.weights)])
        Entiteit.objects.bulk_create(self.entiteiten, batch_size=BATCH_SIZE)

        users = [
            Gebruiker(
                username="beheerder", rol=Gebruiker.Rol.BEHEERDER, is_staff=True, password=password_hash
            )
        ]
        users += [
            Gebruiker(username=f"ago.{k}", rol=Gebruiker.Rol.AGO, password=password_hash) for k in (1, 2, 3)
        ]
        self.coaches: list[list] = []
        self.hr: list = []
        for i, ent in enumerate(self.entiteiten):
            code = ent.code.lower()
            rank = self.rank[i]
            n_coaches = 0 if ent.soort == "adviesraad" else 4 if rank <= 5 else 3 if rank <= 20 else 2
            coaches = [
                Gebruiker(username=f"coach{k}.{code}", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=ent)
                for k in range(1, n_coaches + 1)
            ]
            hr = Gebruiker(username=f"hr.{code}", rol=Gebruiker.Rol.HR, entiteit=ent)
            self.coaches.append(coaches)
            self.hr.append(hr)
            users += [*coaches, hr]
        for u in users:
            u.first_name, u.last_name = rng.choice(VOORNAMEN), rng.choice(ACHTERNAMEN)
            u.email = f"{u.username}@example.org"
            u.password = password_hash
        Gebruiker.objects.bulk_create(users, batch_size=BATCH_SIZE)
        self.counts["gebruikers"] = len(users)
        self.counts["entiteiten"] = len(self.entiteiten)

        # Staff: proportional to the entity weights, at least 15 per entity.
        total_w = sum(self.weights)
        sizes = [max(15, round(n_personeelsleden * w / total_w)) for w in self.weights]
        Personeelslid = self.tm.Personeelslid
        statuut = _Choice([(Personeelslid.Statuut.STATUTAIR, 65), (Personeelslid.Statuut.CONTRACTUEEL, 35)])
        self.pool: list[list] = []
        nummer = 100000
        staff = []
        for i, size in enumerate(sizes):
            pool = []
            for _ in range(size):
                nummer += 1
                pool.append(
                    Personeelslid(
                        personeelsnummer=f"VO{nummer}",
                        voornaam=rng.choice(VOORNAMEN),
                        achternaam=rng.choice(ACHTERNAMEN),
                        statuut=statuut(rng),
                        entiteit=self.entiteiten[i],
                        functie=rng.choice(FUNCTIES),
                    )
                )
            staff += pool
            rng.shuffle(pool)
            self.pool.append(pool)
        Personeelslid.objects.bulk_create(staff, batch_size=BATCH_SIZE)
        self.counts["personeelsleden"] = len(staff)
        self.open_next = [0] * len(self.entiteiten)

    def slots(self, n: int) -> list[_Slot]:
        """What to generate, in D0 order (so primary keys grow with time, as in production)."""
        rng = self.rng
        n_formeel = round(n * MIX["formeel"])
        n_voortgezet = round(n_formeel * VOORTGEZET_SHARE)
        n_preventief = round(n * MIX["preventief"])
        n_overschrijdend = round(n * MIX["overschrijdend"])
        n_informeel = n - n_formeel - n_preventief - n_overschrijdend - n_voortgezet
        kinds = (
            ["informeel"] * n_informeel
            + ["overschrijdend"] * n_overschrijdend
            + ["formeel"] * (n_formeel - n_voortgezet)
            + ["voortgezet"] * n_voortgezet
            + ["preventief"] * n_preventief
        )
        rng.shuffle(kinds)
        out = []
        for kind in kinds:
            ent = self.pick_entiteit(rng)
            doel = None
            if kind == "overschrijdend" and len(self.entiteiten) > 1:
                doel = ent
                while doel == ent:
                    doel = self.pick_entiteit(rng)
            out.append(_Slot(self.ref - _days(self.r(0, self.window)), kind, ent, doel))
        order = sorted(range(len(out)), key=lambda i: (out[i].start, i))
        return [out[i] for i in order]

    def person(self, ent: int, open_: bool):
        pool = self.pool[ent]
        if open_:  # open trajectories go to distinct staff members while the pool lasts
            k = self.open_next[ent]
            self.open_next[ent] = k + 1
            return pool[k % len(pool)]
        return self.rng.choice(pool)

    # --- parts -----------------------------------------------------------------------------------------

    def gesprek(self, t, datum: date, soort=None, door=None, vorm=None) -> None:
        G = self.tm.Gesprek
        assert t.d0 is None or t.d0 <= datum <= self.ref, (t.d0, datum)
        door = door or self.gesprek_door(self.rng)
        if door == G.Door.COACH and t.coach is None:
            door = G.Door.HR
        self.gesprekken.append(
            G(
                traject=t,
                datum=datum,
                soort=soort or G.Soort.GESPREK,
                vorm=vorm or self.gesprek_vorm(self.rng),
                gevoerd_door=door,
                uitkomst=self.text(GESPREK_TEKSTEN),
                geregistreerd_op=self.stamp(datum, 11),
            )
        )

    def conversations(self, t, start: date, end: date, n: int, info: bool) -> list[date]:
        """Up to ``n`` conversations between ``start`` and ``end`` (at least one); returns their dates."""
        G = self.tm.Gesprek
        dates = []
        if info and (start + _days(10)) <= end:  # one of the n, or a second one when n is 1
            self.gesprek(
                t,
                self.between(start + _days(10), min(end, start + _days(35))),
                G.Soort.INFO_ARBEIDSARTS,
                G.Door.ARBEIDSARTS,
            )
            n = max(1, n - 1)
        x = self.r(0, 99)
        first = start + _days(self.r(21, 45) if x < 70 else self.r(46, 62) if x < 90 else self.r(63, 120))
        if first > end:
            first = self.between(start, end)
        d = first
        for k in range(n):
            if d > end:
                break
            soort = G.Soort.CONTACT if self.p(0.35 if k == 0 else 0.4) else G.Soort.GESPREK
            self.gesprek(t, d, soort)
            dates.append(d)
            d = d + _days(self.r(10, 45))
        return dates

    def assessments(self, t, d0: date, end: date) -> date | None:
        """0-2 assessments between D0 and ``end``; returns the date of the first positive one."""
        Ins = self.tm.Inschatting
        x = self.r(0, 99)
        a = d0 + _days(self.r(30, 110) if x < 75 else self.r(111, 125) if x < 90 else self.r(126, 220))
        if a > end or self.p(0.08):
            return None
        for k in range(2):
            positive = self.p(0.6 if k == 0 else 0.65)
            volgend = None if positive else a + _days(self.r(14, 45))
            self.inschattingen.append(
                Ins(
                    traject=t,
                    datum=a,
                    uitkomst=Ins.Uitkomst.MOGELIJK if positive else Ins.Uitkomst.NOG_NIET,
                    volgend_gesprek_op=volgend,
                    specifieke_begeleiding=self.p(0.2),
                    toelichting=self.text(INSCHATTING_TEKSTEN),
                    geregistreerd_op=self.stamp(a, 12),
                )
            )
            self.stats["inschatting_positief" if positive else "inschatting_nog_niet"] += 1
            if positive:
                return a
            nxt = volgend + _days(self.r(-3, 20))
            if nxt <= a or nxt > end:
                return None
            a = nxt
        return None

    def plan(self, t, inschatting, a: date, end: date, ret: date | None, crossing: bool) -> date | None:
        """A stappenplan after the positive assessment on ``a``, before the return; returns its date."""
        tm = self.tm
        s = a + _days(self.r(7, 55) if self.p(0.85) else self.r(62, 110))
        if ret is not None and s > ret:
            s = self.between(a, ret)
        if s > end:
            return None
        target = ret if ret is not None and ret >= s else s + _days(self.r(0, 45))
        plan = tm.Stappenplan(
            traject=t,
            inschatting=inschatting,
            datum=s,
            beoogde_hervatting_op=target,
            afspraken=self.rng.choice(AFSPRAKEN),
            geregistreerd_op=self.stamp(s, 13),
        )
        self.stappenplannen.append(plan)
        soorten = []
        if crossing:
            soorten.append(tm.Maatregel.Soort.ANDERE_ENTITEIT)
        for _ in range(self.r(1, 3) - len(soorten)):
            soort = self.maatregel(self.rng)
            if soort not in soorten:
                soorten.append(soort)
        for soort in soorten:
            tot = target + _days(self.r(30, 180)) if self.p(0.5) else None
            self.maatregelen.append(tm.Maatregel(stappenplan=plan, soort=soort, vanaf=target, tot=tot))
        return s

    def actors(self, t, start: date, end: date, forced=()) -> None:
        """Welzijnsactoren: ``forced`` ones ((actor, from, to) each), and in a third of the dossiers 1-2 more."""
        B = self.tm.Betrokkenheid
        chosen = [(a, lo, hi) for a, lo, hi in forced]
        if self.p(0.35):
            for _ in range(self.r(1, 2)):
                a = self.actor(self.rng)
                if all(a != c[0] for c in chosen):
                    chosen.append((a, start, end))
        for a, lo, hi in chosen:  # distinct actors, so (traject, actor, vanaf) stays unique
            vanaf = self.between(lo, hi)
            self.betrokkenheden.append(
                B(traject=t, actor=a, vanaf=vanaf, geregistreerd_op=self.stamp(vanaf, 14))
            )

    def relapse(self, t, d0: date, end: date) -> None:
        """A relapse within the incapacity ``d0``..``end``: some within the 14 days after the resumption."""
        span = (end - d0).days
        if span < 30 or not self.p(RELAPSE):
            return
        hervat = d0 + _days(self.r(14, span - 16))
        room = (end - hervat).days - 1
        gap = self.r(1, 13) if self.p(0.4) else self.r(14, 150)
        gap = min(gap, room)
        if gap < 1:
            return
        datum = hervat + _days(gap)
        self.hervallen.append(
            self.tm.Herval(traject=t, hervat_op=hervat, datum=datum, geregistreerd_op=self.stamp(datum, 15))
        )
        self.stats["herval_binnen_14_dagen" if gap < 14 else "herval_later"] += 1

    def evaluations(self, t, ret: date, end: date) -> None:
        E = self.tm.Evaluatie
        if not self.p(0.8):
            return
        d = ret + _days(self.r(14, 45))
        for _ in range(self.r(1, 3)):
            if d > end:
                break
            self.evaluaties.append(
                E(
                    traject=t,
                    datum=d,
                    gevoerd_door=self.tm.Gesprek.Door.COACH
                    if t.coach is not None and self.p(0.5)
                    else self.tm.Gesprek.Door.LEIDINGGEVENDE,
                    bijgestuurd=self.p(0.2),
                    geregistreerd_op=self.stamp(d, 15),
                )
            )
            d = d + _days(self.r(21, 60))

    # --- trajectories ----------------------------------------------------------------------------------

    def traject(self, slot: _Slot, soort: str, *, d0, closure, uitkomst, reden, ret, vorm, reg, **extra):
        """The Traject row. ``closure`` on or before the reference date closes it; ``ret`` is the return."""
        T = self.tm.Traject
        ref = self.ref
        closed = closure is not None and closure <= ref
        returned = ret is not None and ret <= ref
        status = T.Status.AFGESLOTEN if closed else T.Status.OPVOLGING if returned else T.Status.LOPEND
        coaches = self.coaches[slot.ent]
        last = closure if closed else ref
        t = T(
            soort=soort,
            status=status,
            personeelslid=self.person(slot.ent, not closed),
            entiteit=self.entiteiten[slot.ent],
            doel_entiteit=self.entiteiten[slot.doel] if slot.doel is not None else None,
            d0=d0,
            coach=self.rng.choice(coaches) if coaches else None,
            leidinggevende=f"{self.rng.choice(VOORNAMEN)} {self.rng.choice(ACHTERNAMEN)}",
            werkhervatting_op=ret if returned else None,
            werkhervatting_vorm=vorm if returned else "",
            afgesloten_op=closure if closed else None,
            uitkomst=uitkomst if closed else "",
            uitkomst_reden=reden if closed else "",
            aangemaakt_op=self.stamp(min(reg, ref), 9),
            gewijzigd_op=self.stamp(last, 16),
            **extra,
        )
        self.counts[f"{soort}/{status}"] += 1
        return t

    def reden(self, uitkomst: str) -> str:
        T = self.tm.Traject
        if uitkomst == T.Uitkomst.GEEN_TERUGKEER:
            return self.rng.choice(GEEN_TERUGKEER_REDENEN)
        if uitkomst == T.Uitkomst.OMGEZET_FORMEEL:
            return OMGEZET_REDEN
        return ""

    def return_form(self, uitkomst: str) -> str:
        T = self.tm.Traject
        if uitkomst == T.Uitkomst.ANDERE_ENTITEIT:
            return T.HervattingVorm.ANDERE_ENTITEIT
        if uitkomst == T.Uitkomst.ANDERE_FUNCTIE:
            return T.HervattingVorm.ANDERE_FUNCTIE
        return self.vorm_zelfde(self.rng)

    def informal(self, slot: _Slot, omgezet_op: date | None = None):
        """An informal trajectory; with ``omgezet_op`` the source of a formal one, closed that day."""
        T = self.tm.Traject
        rng, ref, d0 = self.rng, self.ref, slot.start
        crossing = slot.doel is not None
        ret = None
        if omgezet_op is not None:
            uitkomst, closure = T.Uitkomst.OMGEZET_FORMEEL, omgezet_op
        else:
            uitkomst = (self.uitkomst_overschrijdend if crossing else self.uitkomst_informeel)(rng)
            if uitkomst == T.Uitkomst.GEEN_TERUGKEER:
                closure = d0 + _days(self.lognormal_days(220, 0.8, lo=14))
            else:
                ret = d0 + _days(self.lognormal_days(90, 0.9))
                closure = ret + _days(int(rng.triangular(14, 240, 60)))
            if closure <= ref and self.p(FORGOTTEN):
                closure = None  # a forgotten dossier: never closed
                self.stats["vergeten"] += 1
        t = self.traject(
            slot,
            T.Soort.INFORMEEL,
            d0=d0,
            closure=closure,
            uitkomst=uitkomst,
            reden=self.reden(uitkomst),
            ret=ret,
            vorm=self.return_form(uitkomst),
            reg=d0 + _days(self.r(0, 14)),
        )
        last = t.afgesloten_op or ref
        # The absence runs from D0 to the return (or to the end of the trajectory).
        absent_until = min(t.werkhervatting_op or last, last)
        self.conversations(t, d0, absent_until, self.aantal_gesprekken(rng), info=self.p(0.8))
        positive = self.assessments(t, d0, absent_until)
        B = self.tm.Betrokkenheid.Actor
        forced = [(B.AGO, d0, absent_until)] if crossing else []
        if positive is not None:
            inschatting = self.inschattingen[-1]
            if self.p(0.8):
                self.plan(t, inschatting, positive, absent_until, t.werkhervatting_op, crossing)
            if self.p(0.05):
                granted = positive + _days(self.r(35, 60))
                if granted <= absent_until:
                    self.verlengingen.append(
                        self.tm.Verlenging(
                            traject=t,
                            toegekend_op=granted,
                            nieuwe_datum=self.add_months(positive, 2) + _days(self.r(21, 60)),
                            reden=rng.choice(VERLENGING_REDENEN),
                            geregistreerd_op=self.stamp(granted, 14),
                        )
                    )
                    # A complex dossier: the SMT advises.
                    forced.append((B.SMT, positive, granted))
        self.actors(t, d0, absent_until, forced)
        self.relapse(t, d0, absent_until)
        if t.werkhervatting_op is not None:
            self.evaluations(t, t.werkhervatting_op, last)
        (self.bronnen if omgezet_op is not None else self.trajecten).append(t)
        return t

    def preventive(self, slot: _Slot) -> None:
        T = self.tm.Traject
        rng, ref, start = self.rng, self.ref, slot.start
        uitkomst = self.uitkomst_preventief(rng)
        closure = start + _days(self.lognormal_days(70, 0.8, lo=7))
        if closure <= ref and self.p(FORGOTTEN):
            closure = None
            self.stats["vergeten"] += 1
        t = self.traject(
            slot,
            T.Soort.PREVENTIEF,
            d0=None,
            closure=closure,
            uitkomst=uitkomst,
            reden=self.reden(uitkomst),
            ret=None,
            vorm="",
            reg=start,
        )
        last = t.afgesloten_op or ref
        n = self.aantal_gesprekken(rng)
        d = start
        for _ in range(n):
            if d > last:
                break
            self.gesprek(t, d)
            d = d + _days(self.r(14, 45))
        if self.p(0.25):
            a = start + _days(self.r(7, 60))
            if a <= last:
                Ins = self.tm.Inschatting
                self.inschattingen.append(
                    Ins(
                        traject=t, datum=a, uitkomst=Ins.Uitkomst.MOGELIJK, geregistreerd_op=self.stamp(a, 12)
                    )
                )
                if self.p(0.6):
                    self.plan(t, self.inschattingen[-1], a, last, None, False)
        if self.p(0.4):
            B = self.tm.Betrokkenheid.Actor
            actor = rng.choice((B.PSYCHOSOCIAAL, B.VERTROUWENSPERSOON, B.VEERKRACHTCOACH, B.ARBEIDSARTS))
            vanaf = self.between(start, last)
            self.betrokkenheden.append(
                self.tm.Betrokkenheid(traject=t, actor=actor, vanaf=vanaf, geregistreerd_op=self.stamp(vanaf))
            )
        self.trajecten.append(t)

    def formal(self, slot: _Slot, continued: bool) -> None:
        tm = self.tm
        T, F = tm.Traject, tm.FormeelVerloop
        rng, ref, d0 = self.rng, self.ref, slot.start
        room = (ref - d0).days
        aanvrager = self.aanvrager(rng)
        three_months = (self.add_months(d0, 3) - d0).days
        if aanvrager == F.Aanvrager.ENTITEIT:
            lag = three_months + self.r(0, 120)  # the entity: after 3 months of uninterrupted incapacity
        else:
            lag = int(rng.triangular(7, 300, 90))
        if lag > room:
            lag = self.r(0, room)
            if aanvrager == F.Aanvrager.ENTITEIT and lag < three_months:
                aanvrager = F.Aanvrager.PERSONEELSLID
        request = d0 + _days(lag)

        # The course as it will go; only what happened by the reference date is recorded.
        b = request + _days(self.r(10, 49) if self.p(0.85) else self.r(50, 90))
        b_rec = b + _days(self.r(0, 7))
        beoordeling = self.beoordeling(rng)
        plan = plan_rec = answer = None
        plan_soort = antwoord = ""
        ret = None
        if beoordeling == F.Beoordeling.ANDERE:
            closure = b_rec + _days(self.r(14, 90))
            uitkomst = T.Uitkomst.GEEN_TERUGKEER if self.p(0.6) else T.Uitkomst.ZELFDE_FUNCTIE
        else:
            if beoordeling == F.Beoordeling.TIJDELIJK:
                plan = b_rec + _days(self.r(20, 63) if self.p(0.8) else self.r(64, 110))
                plan_soort = F.PlanSoort.PLAN if self.p(0.8) else F.PlanSoort.VERSLAG
            else:
                plan = b_rec + _days(self.r(30, 183) if self.p(0.85) else self.r(184, 260))
                plan_soort = F.PlanSoort.PLAN if self.p(0.55) else F.PlanSoort.VERSLAG
            plan_rec = plan + _days(self.r(0, 5))
            if plan_soort == F.PlanSoort.VERSLAG:
                closure = plan_rec + _days(self.r(14, 90))
                uitkomst = T.Uitkomst.GEEN_TERUGKEER if self.p(0.8) else T.Uitkomst.ANDERE_FUNCTIE
            else:
                answer = plan_rec + _days(self.r(2, 14) if self.p(0.85) else self.r(15, 30))
                antwoord = F.Antwoord.AKKOORD if self.p(0.75) else F.Antwoord.WEIGERING
                if antwoord == F.Antwoord.WEIGERING:
                    closure = answer + _days(self.r(14, 60))
                    uitkomst = T.Uitkomst.GEEN_TERUGKEER
                else:
                    x = self.r(0, 99)
                    uitkomst = (
                        T.Uitkomst.ZELFDE_FUNCTIE
                        if x < 45
                        else T.Uitkomst.ANDERE_FUNCTIE
                        if x < 92
                        else T.Uitkomst.ANDERE_ENTITEIT
                    )
                    ret = answer + _days(self.r(7, 45))
                    closure = ret + _days(self.r(30, 200))
        if uitkomst != T.Uitkomst.GEEN_TERUGKEER and ret is None:
            ret = closure - _days(self.r(1, 14))
        if closure <= ref and self.p(FORGOTTEN * 2):
            closure = None
            self.stats["vergeten"] += 1

        vorm = self.return_form(uitkomst)
        if uitkomst == T.Uitkomst.ZELFDE_FUNCTIE:
            vorm = T.HervattingVorm.AANGEPAST if self.p(0.7) else T.HervattingVorm.PROGRESSIEF
        definitief = (
            b_rec if beoordeling == F.Beoordeling.DEFINITIEF and b_rec <= ref and self.p(0.5) else None
        )
        t = self.traject(
            slot,
            T.Soort.FORMEEL,
            d0=d0,
            closure=closure,
            uitkomst=uitkomst,
            reden=self.reden(uitkomst),
            ret=ret,
            vorm=vorm,
            reg=request,
            definitieve_ongeschiktheid_op=definitief,
        )
        if continued:  # the informal trajectory of the same staff member, closed when this one started
            bron = self.informal(slot, omgezet_op=max(d0, request - _days(self.r(0, 10))))
            bron.personeelslid = t.personeelslid
            t.voortgezet_van = bron

        def happened(d):
            return d if d is not None and d <= ref else None

        beoordeling_op = happened(b)
        plan_op = happened(plan)
        antwoord_op = happened(answer)
        self.formeel.append(
            F(
                traject=t,
                aanvrager=aanvrager,
                aanvraag_ontvangen_op=request,
                beoordeling_op=beoordeling_op,
                beoordeling_ontvangen_op=happened(b_rec) if beoordeling_op else None,
                beoordeling=beoordeling if beoordeling_op else "",
                plan_op=plan_op,
                plan_soort=plan_soort if plan_op else "",
                plan_ontvangen_op=happened(plan_rec) if plan_op else None,
                antwoord_op=antwoord_op,
                antwoord=antwoord if antwoord_op else "",
            )
        )
        self.stats[
            "formeel_stadium_"
            + (
                "antwoord"
                if antwoord_op
                else "plan"
                if plan_op
                else "beoordeling"
                if beoordeling_op
                else "aanvraag"
            )
        ] += 1
        last = t.afgesloten_op or ref
        absent_until = min(t.werkhervatting_op or last, last)
        G = tm.Gesprek
        d = self.between(d0, min(absent_until, d0 + _days(60)))
        for _ in range(self.r(1, 3)):
            if d > absent_until:
                break
            self.gesprek(t, d, G.Soort.CONTACT if self.p(0.6) else G.Soort.GESPREK)
            d = d + _days(self.r(14, 60))
        arts = (tm.Betrokkenheid.Actor.ARBEIDSARTS, request, min(absent_until, request + _days(30)))
        self.actors(t, d0, absent_until, forced=[arts])
        if t.werkhervatting_op is not None:
            self.evaluations(t, t.werkhervatting_op, last)
        self.trajecten.append(t)

    def build(self, slot: _Slot) -> None:
        if slot.kind in ("informeel", "overschrijdend"):
            self.informal(slot)
        elif slot.kind == "preventief":
            self.preventive(slot)
        else:
            self.formal(slot, continued=slot.kind == "voortgezet")

    def flush(self) -> int:
        """Write the chunk; returns the number of rows written."""
        tm = self.tm
        rows = 0
        for model, objs in (
            (tm.Traject, self.bronnen),  # first: the formal trajectories refer to them
            (tm.Traject, self.trajecten),
            (tm.Gesprek, self.gesprekken),
            (tm.Inschatting, self.inschattingen),
            (tm.Stappenplan, self.stappenplannen),
            (tm.Maatregel, self.maatregelen),
            (tm.Betrokkenheid, self.betrokkenheden),
            (tm.Verlenging, self.verlengingen),
            (tm.Herval, self.hervallen),
            (tm.Evaluatie, self.evaluaties),
            (tm.FormeelVerloop, self.formeel),
        ):
            if objs:
                model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
                self.counts[model.__name__] += len(objs)
                rows += len(objs)
        self.new_chunk()
        return rows


def _analyze() -> None:
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for label in ("entiteiten", "trajecten"):
            for m in apps.get_app_config(label).get_models(include_auto_created=True):
                cur.execute(f"ANALYZE {connection.ops.quote_name(m._meta.db_table)}")


def generate(
    n_trajecten: int = DEFAULT_TRAJECTEN,
    seed: int = DEFAULT_SEED,
    reference_date: date | None = None,
    stdout=None,
    *,
    n_entiteiten: int = DEFAULT_ENTITEITEN,
    n_personeelsleden: int = DEFAULT_PERSONEELSLEDEN,
    reset: bool = False,
    analyze: bool = True,
) -> dict:
    """Load the benchmark data set into the (empty) database; returns what was loaded and how long it took.

    The same seed and reference date give the same data. ``reset`` empties the tables first (``wipe``).
    """
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from entiteiten.models import Entiteit
    from trajecten.evaluation import refresh_summaries
    from trajecten.models import Traject

    def say(msg: str) -> None:
        if stdout is not None:
            stdout.write(msg + "\n")
            stdout.flush()

    ref = reference_date or timezone.localdate()
    if reset:
        wipe()
    elif Entiteit.objects.exists():
        raise RuntimeError("The database already holds entities: wipe() it first (or pass reset=True).")
    rng = random.Random(seed)
    t_start = time.perf_counter()
    rows = 0
    with transaction.atomic(), _own_timestamps():
        b = _Builder(rng, ref, stdout)
        b.base(n_entiteiten, n_personeelsleden, make_password(PASSWORD))
        rows += b.counts["entiteiten"] + b.counts["gebruikers"] + b.counts["personeelsleden"]
        say(f"base data: {b.counts['entiteiten']} entities, {b.counts['gebruikers']} users, "
            f"{b.counts['personeelsleden']} staff ({time.perf_counter() - t_start:.1f} s)")  # fmt: skip
        slots = b.slots(n_trajecten)
        for i, slot in enumerate(slots, start=1):
            b.build(slot)
            if i % CHUNK == 0 or i == len(slots):
                rows += b.flush()
                if i % (CHUNK * 4) == 0 or i == len(slots):
                    say(f"{i:>9,} / {len(slots):,} trajectories ({time.perf_counter() - t_start:.1f} s)")
    t_loaded = time.perf_counter()
    with transaction.atomic():
        changed = refresh_summaries(Traject.objects.exclude(status=Traject.Status.AFGESLOTEN), ref)
    t_summaries = time.perf_counter()
    if analyze:
        _analyze()
    t_end = time.perf_counter()
    say(f"summaries of the open trajectories: {changed} ({t_summaries - t_loaded:.1f} s)")

    status_counts = Counter(dict(Traject.objects.values_list("status").annotate(n=_count()).order_by()))
    soort_counts = Counter(dict(Traject.objects.values_list("soort").annotate(n=_count()).order_by()))
    n_total = sum(status_counts.values())
    n_open = n_total - status_counts.get(Traject.Status.AFGESLOTEN, 0)
    year_ago = ref - timedelta(days=365)
    old = Traject.objects.filter(_start_before(year_ago))
    old_open = old.exclude(status=Traject.Status.AFGESLOTEN).count()
    per_entity = Counter(dict(Traject.objects.values_list("entiteit__code").annotate(n=_count()).order_by()))
    largest_code, largest_n = per_entity.most_common(1)[0] if per_entity else ("", 0)
    largest = Entiteit.objects.filter(code=largest_code).first()
    result = {
        "seed": seed,
        "reference_date": ref.isoformat(),
        "trajecten": n_total,
        "open": n_open,
        "open_share": round(n_open / n_total, 4) if n_total else 0,
        "open_share_older_than_1_year": round(old_open / max(1, old.count()), 4),
        "per_soort": dict(sorted(soort_counts.items())),
        "per_status": dict(sorted(status_counts.items())),
        "entiteitsoverschrijdend": Traject.objects.filter(doel_entiteit__isnull=False).count(),
        "rows": {k: v for k, v in sorted(b.counts.items()) if "/" not in k},
        "rows_total": rows,
        "parts": dict(sorted(b.stats.items())),
        "largest_entity": {
            "id": largest.pk if largest else None,
            "code": largest_code,
            "trajecten": largest_n,
            "open": Traject.objects.filter(entiteit__code=largest_code)
            .exclude(status=Traject.Status.AFGESLOTEN)
            .count(),
        },
        "summaries_changed": changed,
        "seconds": {
            "load": round(t_loaded - t_start, 2),
            "summaries": round(t_summaries - t_loaded, 2),
            "analyze": round(t_end - t_summaries, 2),
            "total": round(t_end - t_start, 2),
        },
        "rows_per_second": round(rows / max(t_loaded - t_start, 1e-9)),
    }
    say(
        f"loaded {n_total:,} trajectories ({n_open:,} open, {result['open_share']:.1%}) and {rows:,} rows "
        f"in {result['seconds']['load']:.1f} s; total {result['seconds']['total']:.1f} s"
    )
    return result


def _count():
    from django.db.models import Count

    return Count("id")


def _start_before(day: date):
    from django.db.models import Q

    return Q(d0__lt=day) | Q(d0__isnull=True, aangemaakt_op__date__lt=day)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Load VO-scale benchmark data (see benchmarks/README.md).")
    parser.add_argument("--trajecten", type=int, default=DEFAULT_TRAJECTEN)
    parser.add_argument("--personeelsleden", type=int, default=DEFAULT_PERSONEELSLEDEN)
    parser.add_argument("--entiteiten", type=int, default=DEFAULT_ENTITEITEN)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--reference-date", type=date.fromisoformat, default=None, help="JJJJ-MM-DD; default today"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reset", action="store_true", help="empty the tables first")
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    import json

    result = generate(
        args.trajecten,
        args.seed,
        args.reference_date,
        sys.stdout,
        n_entiteiten=args.entiteiten,
        n_personeelsleden=args.personeelsleden,
        reset=args.reset,
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
