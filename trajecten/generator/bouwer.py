"""The builder: base data (entities, users, staff, the absence import), the parts of a dossier, the absence
periods, and writing. Trajectories come from two recipes on top of it: ``scenarios`` (every milestone in
every state: the demo) and ``verdeling`` (the VO-wide distribution: the benchmark). Objects are built in
memory with the factories (``trajecten.factories``, ``.build()``) and written per chunk with ``bulk_create``
(``bulk_create_with_history`` when the profile keeps history rows).
"""

from __future__ import annotations

import copy
import random
from bisect import bisect
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from itertools import accumulate
from operator import attrgetter

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from entiteiten.models import Entiteit, Gebruiker
from reintegratie.memory import collector_on_young_objects

from .. import deadlines as dl
from .. import factories as f
from ..audit import Bron
from ..models import (
    Aanmelding,
    Afwezigheid,
    AfwezigheidImport,
    Betrokkenheid,
    Evaluatie,
    FormeelVerloop,
    Gesprek,
    Herval,
    Inschatting,
    Maatregel,
    Onderzoek,
    Personeelslid,
    Stappenplan,
    Traject,
    Verlenging,
)
from .gegevens import (
    ACHTERNAMEN,
    BETROKKENHEID_TEKSTEN,
    CONTACT_TEKSTEN,
    EVALUATIE_TEKSTEN,
    FUNCTIES,
    GESPREK_TEKSTEN,
    HERVAL_TEKSTEN,
    INFO_TEKSTEN,
    MAATREGEL_TEKSTEN,
    MOGELIJK_TEKSTEN,
    NOG_NIET_TEKSTEN,
    STAPPENPLAN_TEKSTEN,
    UITKOMST_REDENEN,
    VERLENGING_REDENEN,
    VOORNAMEN,
    EntiteitSpec,
)

BATCH_SIZE = 5000
WIJZIGINGSREDEN = "Demodata (seed_demo)"

AFWEZIGHEID_GEREGISTREERD = 0.9  # share of the trajectories with D0 whose absence the personnel system has
AFWEZIGHEID_ANDERE_START = 0.04  # of those: the first day differs from D0 (the dossier says so)

_AUTO = object()  # "choose a date" (None means: no date)

# The date a registration timestamp follows, per model (auto_now/auto_now_add are switched off while loading).
STEMPEL_DATUM = {
    Gesprek: "datum",
    Inschatting: "datum",
    Stappenplan: "datum",
    Betrokkenheid: "vanaf",
    Verlenging: "toegekend_op",
    Herval: "datum",
    Evaluatie: "datum",
    Onderzoek: "datum",
}


# The models a chunk writes (``Bouwer.schrijf``): the staff members it added, its trajectories and their parts.
GESCHREVEN = (
    Personeelslid,
    Traject,
    Aanmelding,
    FormeelVerloop,
    Gesprek,
    Inschatting,
    Stappenplan,
    Maatregel,
    Betrokkenheid,
    Verlenging,
    Herval,
    Evaluatie,
    Onderzoek,
    Afwezigheid,
)


def dagen(n: int) -> timedelta:
    return timedelta(days=n)


class Keuze:
    """A fast weighted choice from fixed (value, weight) pairs."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cum, rng.random() * self.total)]


@contextmanager
def eigen_tijdstempels():
    """Let bulk_create keep the registration timestamps we set (auto_now/auto_now_add would overwrite them)."""
    fields = [
        field
        for model in (Traject, AfwezigheidImport, *STEMPEL_DATUM)
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    try:
        for field in fields:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


# Field types whose Python values PostgreSQL's COPY takes as they are (psycopg adapts them).
COPY_AS_IS = {
    "AutoField", "BigAutoField", "CharField", "TextField", "DateField", "DateTimeField", "BooleanField",
    "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "BigIntegerField",
    "EmailField",
}  # fmt: skip


class Sleutels:
    """Primary keys of one lane of several (``lanes``) without asking the database: lane ``w`` of ``n`` gives
    the keys ``start + w``, ``start + w + n``, ... per model, so that lanes that load side by side never give
    the same key and the keys do not depend on which lane wrote first (the same seed gives the same rows).
    ``start`` per model is the sequence's next value when the lanes begin; afterwards the sequences are set past
    the largest key (``lanes.sequences_past_keys``)."""

    def __init__(self, start: dict[str, int], lane: int, lanes: int):
        self.start, self.lane, self.lanes = start, lane, lanes
        self.used: Counter = Counter()

    def __call__(self, model: type[Model], n: int) -> range:
        table = model._meta.db_table
        first = self.used[table]
        self.used[table] = first + n
        begin = self.start[table] + self.lane + first * self.lanes
        return range(begin, begin + n * self.lanes, self.lanes)


def kopieer(model: type[Model], objs: list, sleutels: Sleutels | None = None) -> None:
    """``bulk_create`` for PostgreSQL through COPY, several times faster for large loads: primary keys come from
    the table's sequence first (or from ``sleutels``; so the objects refer to each other as after
    ``bulk_create``), then the rows are streamed. Without signals or history rows, as ``bulk_create``."""
    meta = model._meta
    fields = meta.concrete_fields
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        if sleutels is not None:
            keys = sleutels(model, len(objs))
        else:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            keys = [pk for (pk,) in cur.fetchall()]
        for obj, pk in zip(objs, keys, strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias

        # One C-level getter for every column's attribute (a relation's ``<name>_id``), then the relations whose
        # related object got its key after the assignment, and the few values that need converting.
        names = [field.attname for field in fields]
        values = attrgetter(*names) if len(names) > 1 else lambda obj: (getattr(obj, names[0]),)
        relations = [(i, field.cache_name) for i, field in enumerate(fields) if field.is_relation]
        converted = [
            (i, field)
            for i, field in enumerate(fields)
            if not field.is_relation and field.get_internal_type() not in COPY_AS_IS
        ]
        columns = ", ".join(qn(field.column) for field in fields)
        with cur.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                row = list(values(obj))
                cache = obj._state.fields_cache
                for i, name in relations:
                    rel = cache.get(name)
                    if rel is not None:
                        row[i] = rel.pk
                for i, field in converted:
                    row[i] = field.get_db_prep_save(row[i], connection)
                copy.write_row(row)


class Bouwer:
    """Builds the objects in memory from one ``random.Random`` and writes them chunk by chunk."""

    def __init__(self, rng: random.Random, ref: date, historiek: bool):
        self.rng = rng
        # A second stream for health surveillance, so the scenarios' dates do not depend on it.
        self.rng2 = random.Random(rng.random())
        self.ref = ref
        self.historiek = historiek
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.entiteiten: dict[str, Entiteit] = {}
        self.specs: dict[str, EntiteitSpec] = {}
        self.coaches: dict[str, list[Gebruiker]] = {}
        self.hr: dict[str, Gebruiker] = {}
        self.ago: list[Gebruiker] = []
        self.pool: dict[str, list[Personeelslid]] = {}
        self.volgende: Counter = Counter()  # per entity: the next staff member not yet given a trajectory
        self.nummer = 100000
        self.counts: Counter = Counter()
        self.stats: Counter = Counter()
        self.per_soort_status: Counter = Counter()
        self.per_scenario: Counter = Counter()
        self.teller: Counter = Counter()  # per scenario: which variant comes next
        self.perioden: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
        self.actor_i = 0
        self.maatregel_i = 0
        self.scenario = ""
        self.lane = 0  # of ``lanes``
        self.stap = 1  # new staff numbers: ``nummer + stap``, ... (lanes interleave theirs)
        self.sleutels: Sleutels | None = None  # primary keys of a lane (None: from the sequences)
        self.nieuw_deel()

    def baan(self, lane: int, lanes: int, seed: int, start: dict[str, int] | None) -> Bouwer:
        """A builder for lane ``lane`` of ``lanes`` (``lanes``): the base data shared, its own random streams
        (from the seed and the lane), staff numbers, keys (``Sleutels`` from ``start``; None: the database
        gives them), counters and what it has given out per entity.
        Lanes take disjoint sets of entities, so what is kept per entity (the staff given a trajectory, the
        absence periods per staff member) never crosses lanes."""
        b = copy.copy(self)
        b.rng = random.Random(f"{seed}/{lane}/{lanes}")
        b.rng2 = random.Random(b.rng.random())
        b.pool = {code: list(staff) for code, staff in self.pool.items()}
        b.volgende, b.perioden = Counter(self.volgende), defaultdict(list)
        b.counts, b.stats, b.per_soort_status = Counter(), Counter(), Counter()
        b.per_scenario, b.teller = Counter(), Counter()
        b.actor_i = b.maatregel_i = 0
        b.lane, b.nummer, b.stap = lane, self.nummer + lane + 1 - lanes, lanes
        b.sleutels = Sleutels(start, lane, lanes) if start is not None else None
        b.nieuw_deel()
        return b

    def nieuw_deel(self) -> None:
        self.personeel: list = []
        self.trajecten: list = []
        self.gesprekken: list = []
        self.inschattingen: list = []
        self.stappenplannen: list = []
        self.maatregelen: list = []
        self.betrokkenheden: list = []
        self.verlengingen: list = []
        self.hervallen: list = []
        self.evaluaties: list = []
        self.onderzoeken: list = []
        self.formeel: list = []
        self.aanmeldingen: list = []
        self.afwezigheden: list = []
        self.actoren: dict[int, set[str]] = {}  # id(traject) -> actors already involved

    # --- small helpers ------------------------------------------------------------------------------------

    @staticmethod
    def bouw(factory, lijst: list | None = None, **velden):
        obj = factory.build(**velden)
        if lijst is not None:
            lijst.append(obj)
        return obj

    def r(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def p(self, kans: float) -> bool:
        return self.rng.random() < kans

    def geleden(self, a: int, b: int) -> date:
        return self.ref - dagen(self.r(a, b))

    def tussen(self, a: date, b: date) -> date:
        """A day from ``a`` to ``b``, capped at the reference date."""
        b = min(b, self.ref)
        if b <= a:
            return a
        return a + dagen(self.r(0, (b - a).days))

    def naam(self) -> tuple[str, str]:
        return self.rng.choice(VOORNAMEN), self.rng.choice(ACHTERNAMEN)

    def stempel(self, d: date, uur: int = 10) -> datetime:
        """A registration timestamp on day ``d`` (local time), never in the future."""
        return min(datetime(d.year, d.month, d.day, uur, tzinfo=self.tz), self.now)

    def _op(self, t: Traject, datum: date) -> date:
        """Check a registered event date: on or after D0, on or before the reference date."""
        if datum > self.ref or (t.d0 is not None and datum < t.d0):
            raise AssertionError(f"scenario {self.scenario}: {datum} buiten [{t.d0}, {self.ref}]")
        return datum

    def _door(self, t: Traject, door: str) -> str:
        return Gesprek.Door.HR if door == Gesprek.Door.COACH and t.coach is None else door

    # --- base data ----------------------------------------------------------------------------------------

    def basis(self, specs, n_personeel: int, min_per_entiteit: int, n_ago: int, wachtwoord_hash: str) -> None:
        for spec in specs:
            self.specs[spec.code] = spec
            self.entiteiten[spec.code] = self.bouw(
                f.EntiteitFactory,
                code=spec.code,
                naam=spec.naam,
                soort=spec.soort,
                beleidsdomein=spec.beleidsdomein,
            )
        self.codes = [s.code for s in specs]
        self.kies = Keuze([(s.code, s.gewicht) for s in specs])
        gebruikers = [self.gebruiker("beheerder", Gebruiker.Rol.BEHEERDER, None, wachtwoord_hash, staff=True)]
        self.ago = [
            self.gebruiker(f"ago.{i}", Gebruiker.Rol.AGO, None, wachtwoord_hash) for i in range(1, n_ago + 1)
        ]
        gebruikers += self.ago
        for spec in specs:
            ent, code = self.entiteiten[spec.code], spec.code.lower()
            self.coaches[spec.code] = [
                self.gebruiker(
                    f"coach{i + 1 if i else ''}.{code}", Gebruiker.Rol.TERUGKEERCOACH, ent, wachtwoord_hash
                )
                for i in range(spec.coaches)
            ]
            self.hr[spec.code] = self.gebruiker(f"hr.{code}", Gebruiker.Rol.HR, ent, wachtwoord_hash)
            gebruikers += [*self.coaches[spec.code], self.hr[spec.code]]
        self.gebruikers = gebruikers
        # Staff: proportional to the entity weights, at least ``min_per_entiteit`` per entity.
        totaal = sum(s.gewicht for s in specs)
        for spec in specs:
            grootte = max(min_per_entiteit, round(n_personeel * spec.gewicht / totaal))
            self.pool[spec.code] = [self.nieuw_personeelslid(spec.code) for _ in range(grootte)]
            self.rng.shuffle(self.pool[spec.code])

    def gebruiker(self, username, rol, ent, wachtwoord_hash, staff=False) -> Gebruiker:
        voornaam, achternaam = self.naam()
        return self.bouw(
            f.GebruikerMetHashFactory,
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

    def nieuw_personeelslid(self, code: str) -> Personeelslid:
        self.nummer += self.stap
        voornaam, achternaam = self.naam()
        spec = self.specs[code]
        return self.bouw(
            f.PersoneelslidFactory,
            self.personeel,
            personeelsnummer=f"P{self.nummer:06d}",
            voornaam=voornaam,
            achternaam=achternaam,
            statuut=Personeelslid.Statuut.STATUTAIR if self.p(0.68) else Personeelslid.Statuut.CONTRACTUEEL,
            entiteit=self.entiteiten[code],
            functie=self.rng.choice(FUNCTIES + spec.functies * 3),  # the entity's own functions more often
        )

    def persoon(self, code: str, uniek: bool = True) -> Personeelslid:
        """The next staff member without a trajectory (a new one when the pool is used up), or with
        ``uniek=False`` anyone of the entity (closed trajectories)."""
        pool = self.pool[code]
        if not uniek:
            return self.rng.choice(pool)
        k = self.volgende[code]
        self.volgende[code] = k + 1
        if k < len(pool):
            return pool[k]
        p = self.nieuw_personeelslid(code)
        pool.append(p)
        return p

    def andere_entiteit(self, code: str) -> str:
        ander = code
        while ander == code:
            ander = self.kies(self.rng)
        return ander

    def traject(
        self, code: str, soort=dl.INFORMEEL, persoon: Personeelslid | None = None, **velden
    ) -> Traject:
        coaches = self.coaches[code]
        velden.setdefault("d0", None)
        velden.setdefault("status", Traject.Status.LOPEND)
        t = self.bouw(
            f.TrajectFactory,
            self.trajecten,
            soort=soort,
            personeelslid=persoon or self.persoon(code),
            entiteit=self.entiteiten[code],
            coach=self.rng.choice(coaches) if coaches else None,
            leidinggevende=" ".join(self.naam()),
            **velden,
        )
        self.actoren[id(t)] = set()
        return t

    # --- parts of a dossier -------------------------------------------------------------------------------

    def gesprek(self, t, datum, soort=Gesprek.Soort.GESPREK, door=None, vorm=None, tekst=None) -> Gesprek:
        ch = self.rng.choice
        if soort == Gesprek.Soort.INFO_ARBEIDSARTS:
            door = door or Gesprek.Door.ARBEIDSARTS
            vorm = vorm or ch([Gesprek.Vorm.MAIL, Gesprek.Vorm.TELEFOON, Gesprek.Vorm.VIDEO])
            tekst = tekst or ch(INFO_TEKSTEN)
        elif soort == Gesprek.Soort.CONTACT:
            door = door or ch([Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.COACH])
            vorm = vorm or ch(
                [Gesprek.Vorm.TELEFOON, Gesprek.Vorm.MAIL, Gesprek.Vorm.BEZOEK, Gesprek.Vorm.SMS_KAART]
            )
            tekst = tekst or ch(CONTACT_TEKSTEN)
        else:
            door = door or ch(
                [Gesprek.Door.COACH, Gesprek.Door.COACH, Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.NEUTRAAL]
            )
            vorm = vorm or ch(
                [Gesprek.Vorm.BEZOEK, Gesprek.Vorm.VIDEO, Gesprek.Vorm.OP_HET_WERK, Gesprek.Vorm.TELEFOON]
            )
            tekst = tekst or ch(GESPREK_TEKSTEN)
        return self.bouw(
            f.GesprekFactory,
            self.gesprekken,
            traject=t,
            datum=self._op(t, datum),
            soort=soort,
            vorm=vorm,
            gevoerd_door=self._door(t, door),
            uitkomst=tekst,
        )

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
        datum = t.d0 + dagen(self.r(lo, hi))
        if datum <= self.ref:
            self.gesprek(t, datum, Gesprek.Soort.INFO_ARBEIDSARTS)

    def inschatting(self, t, datum, mogelijk: bool, volgend: date | None = None, gesprek=True) -> Inschatting:
        if gesprek:
            self.gesprek(t, datum)
        return self.bouw(
            f.InschattingFactory,
            self.inschattingen,
            traject=t,
            datum=self._op(t, datum),
            uitkomst=dl.STAPPEN_MOGELIJK if mogelijk else dl.NOG_NIET_MOGELIJK,
            volgend_gesprek_op=None if mogelijk else volgend or datum + dagen(self.r(14, 35)),
            specifieke_begeleiding=self.p(0.25),
            toelichting=self.rng.choice(MOGELIJK_TEKSTEN if mogelijk else NOG_NIET_TEKSTEN),
        )

    def stappenplan(self, t, inschatting, datum, soorten=(), n=None, hervatting=_AUTO) -> Stappenplan:
        s = self.bouw(
            f.StappenplanFactory,
            self.stappenplannen,
            traject=t,
            inschatting=inschatting,
            datum=self._op(t, datum),
            beoogde_hervatting_op=datum + dagen(self.r(7, 45)) if hervatting is _AUTO else hervatting,
            afspraken=self.rng.choice(STAPPENPLAN_TEKSTEN),
        )
        gekozen = list(dict.fromkeys(soorten))
        n = max(n or self.r(1, 3), len(gekozen))
        alle = list(Maatregel.Soort)
        while len(gekozen) < n:  # a fixed cycle, so that every kind of measure appears
            soort = alle[self.maatregel_i % len(alle)]
            self.maatregel_i += 1
            if soort not in gekozen:
                gekozen.append(soort)
        for soort in gekozen:
            vanaf = self.tussen(datum, datum + dagen(14))
            self.bouw(
                f.MaatregelFactory,
                self.maatregelen,
                stappenplan=s,
                soort=soort,
                omschrijving=self.rng.choice(MAATREGEL_TEKSTEN[soort]),
                vanaf=vanaf,
                tot=vanaf + dagen(self.r(30, 120)) if self.p(0.7) else None,
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
        self.bouw(
            f.BetrokkenheidFactory,
            self.betrokkenheden,
            traject=t,
            actor=actor,
            vanaf=self._op(t, vanaf),
            toestemming_op=vanaf,  # involved with the staff member's consent (circular)
            toelichting=BETROKKENHEID_TEKSTEN[actor],
        )

    def naar_ago(self, t, code: str, op: date) -> None:
        """Entity-crossing through AgO: requested, accepted with a trajectbegeleider, target entity found."""
        if t.doel_entiteit is None:
            t.doel_entiteit = self.entiteiten[self.andere_entiteit(code)]
        self.bouw(
            f.AanmeldingFactory,
            self.aanmeldingen,
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

    def verlenging(self, t, inschatting: Inschatting, toegekend: date, nieuw: date) -> None:
        assert inschatting.datum <= toegekend <= dl.add_months(inschatting.datum, 2) and nieuw > toegekend
        self.bouw(
            f.VerlengingFactory,
            self.verlengingen,
            traject=t,
            toegekend_op=self._op(t, toegekend),
            nieuwe_datum=nieuw,
            reden=self.rng.choice(VERLENGING_REDENEN),
        )

    def herval(self, t, hervat_op: date, datum: date) -> None:
        self._op(t, hervat_op)
        self.bouw(
            f.HervalFactory,
            self.hervallen,
            traject=t,
            hervat_op=hervat_op,
            hervatting_vorm=self.rng.choice(
                [Traject.HervattingVorm.VOLLEDIG, Traject.HervattingVorm.PROGRESSIEF]
            ),
            datum=self._op(t, datum),
            toelichting=self.rng.choice(HERVAL_TEKSTEN),
        )

    def hervat(self, t, datum: date, vorm: str, tot: date | None = None) -> None:
        """Return to work on ``datum``, with one or two evaluations up to ``tot`` (default the reference)."""
        t.werkhervatting_op = self._op(t, datum)
        t.werkhervatting_vorm = vorm
        t.status = Traject.Status.OPVOLGING
        tot = min(tot or self.ref, self.ref)
        self.gezondheidstoezicht(t, datum, tot)
        eerste = datum + dagen(self.r(14, 30))
        if eerste > tot:
            eerste = tot if tot > datum else None
        if eerste is None:
            return
        self.evaluatie(t, eerste)
        tweede = eerste + dagen(self.r(30, 60))
        if tweede <= tot:
            self.evaluatie(t, tweede)

    def gezondheidstoezicht(self, t, terug: date, tot: date) -> None:
        """Some staff are under compulsory health surveillance; most of them get the examination at the
        return (within days), some not (the milestone is missed)."""
        if t.d0 is None or self.rng2.random() >= 0.3:
            return
        t.gezondheidstoezicht = True
        if (terug - t.d0).days >= 28 and self.rng2.random() < 0.7:
            op = min(terug + dagen(self.rng2.randint(0, 8)), tot)
            if op >= terug:
                self.bouw(
                    f.OnderzoekFactory,
                    self.onderzoeken,
                    traject=t,
                    soort=Onderzoek.Soort.ONDERZOEK_BIJ_WERKHERVATTING,
                    datum=op,
                )
        if self.rng2.random() < 0.3:
            self.bouw(
                f.OnderzoekFactory,
                self.onderzoeken,
                traject=t,
                soort=Onderzoek.Soort.BEZOEK_VOOR_WERKHERVATTING,
                datum=max(t.d0, terug - dagen(self.rng2.randint(3, 14))),
            )

    def evaluatie(self, t, datum: date, door: str | None = None) -> None:
        door = door or self.rng.choice(
            [Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.LEIDINGGEVENDE, Gesprek.Door.COACH]
        )
        self.bouw(
            f.EvaluatieFactory,
            self.evaluaties,
            traject=t,
            datum=self._op(t, datum),
            gevoerd_door=self._door(t, door),
            bijgestuurd=self.p(0.25),
            verslag=self.rng.choice(EVALUATIE_TEKSTEN),
        )

    def sluit(self, t, datum: date, uitkomst: str, reden: str | None = None) -> None:
        t.status = Traject.Status.AFGESLOTEN
        t.afgesloten_op = self._op(t, datum)
        t.uitkomst = uitkomst
        t.uitkomst_reden = reden or self.rng.choice(UITKOMST_REDENEN[uitkomst])

    # --- absence periods from the personnel system --------------------------------------------------------

    def afwezigheid(self, p: Personeelslid, eerste: date, laatste: date | None) -> bool:
        """Record a period for ``p`` unless it overlaps one of theirs (the personnel system has none)."""
        sleutel = (p.entiteit.code, p.personeelsnummer)
        einde = laatste or date.max
        if any(eerste <= b and a <= einde for a, b in self.perioden[sleutel]):
            return False
        self.perioden[sleutel].append((eerste, einde))
        self.bouw(
            f.AfwezigheidFactory,
            self.afwezigheden,
            entiteit=p.entiteit,
            personeelsnummer=p.personeelsnummer,
            eerste_dag=eerste,
            laatste_dag=laatste,
            bron=self.afwezigheid_import,
        )
        return True

    def afwezigheden_van_trajecten(self) -> None:
        """Most staff with a trajectory are absent in the personnel system from D0 to the return (or the
        end), a few from another first day: their dossier mentions the difference."""
        for t in self.trajecten:
            if (
                t.d0 is None
                or t.uitkomst == Traject.Uitkomst.OMGEZET_FORMEEL
                or not self.p(AFWEZIGHEID_GEREGISTREERD)
            ):
                continue  # a converted trajectory's absence is its formal successor's
            eerste = t.d0
            if self.p(AFWEZIGHEID_ANDERE_START):
                eerste = t.d0 - dagen(self.r(1, 10))
                self.stats["afwezigheid_andere_start"] += 1
            if t.werkhervatting_op is not None:
                laatste = t.werkhervatting_op - dagen(1)
            else:
                laatste = t.afgesloten_op  # None: still absent
            if laatste is not None and laatste < eerste:
                continue
            if self.afwezigheid(t.personeelslid, eerste, laatste):
                self.stats["afwezigheid_met_traject"] += 1

    def zonder_traject_codes(self, n: int) -> list[str]:
        """The entities of ``n`` staff members absent without a trajectory: every entity once while ``n`` is
        at most their number, else drawn by weight."""
        if n <= len(self.codes):
            return [self.codes[i % len(self.codes)] for i in range(n)]
        return [self.kies(self.rng) for _ in range(n)]

    def afwezig_zonder_traject(self, codes: list[str]) -> None:
        """A staff member per code absent four weeks or more without a trajectory (the worklist's "Afwezig
        zonder traject"), and one absent for a shorter time (not yet shown there)."""
        for code in codes:
            for sleutel, (lo, hi) in (("afwezig_zonder_traject", (28, 180)), ("afwezig_korter", (1, 20))):
                if self.afwezigheid(
                    self.persoon(code), self.geleden(lo, hi), None
                ):  # never given a trajectory
                    self.stats[sleutel] += 1

    # --- writing ------------------------------------------------------------------------------------------

    def _bulk(self, model: type[Model], objs: list) -> int:
        if not objs:
            return 0
        if self.historiek and hasattr(model, "history"):
            history_fields = {fld.name for fld in model.history.model._meta.fields}
            bulk_create_with_history(
                objs,
                model,
                batch_size=BATCH_SIZE,
                default_change_reason=WIJZIGINGSREDEN,
                custom_historical_attrs={"history_bron": Bron.DEMO}
                if "history_bron" in history_fields
                else None,
            )
        elif connection.vendor == "postgresql":
            kopieer(model, objs, self.sleutels)
        else:
            model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        self.counts[model.__name__] += len(objs)
        return len(objs)

    def _stempels(self) -> None:
        for t in self.trajecten:
            if t.aangemaakt_op is None:
                t.aangemaakt_op = self.stempel(min(t.d0 or self.ref, self.ref), 9)
            t.gewijzigd_op = self.stempel(t.afgesloten_op or self.ref, 16)
            self.per_soort_status[(t.soort, t.status)] += 1
        for model, lijst in (
            (Gesprek, self.gesprekken),
            (Inschatting, self.inschattingen),
            (Stappenplan, self.stappenplannen),
            (Betrokkenheid, self.betrokkenheden),
            (Verlenging, self.verlengingen),
            (Herval, self.hervallen),
            (Evaluatie, self.evaluaties),
            (Onderzoek, self.onderzoeken),
        ):
            veld = STEMPEL_DATUM[model]
            for obj in lijst:
                obj.geregistreerd_op = self.stempel(getattr(obj, veld), 12)

    def schrijf_basis(self) -> None:
        """Entities, users (a kept superuser with a demo name gets the demo state), staff, the absence import."""
        self._bulk(Entiteit, list(self.entiteiten.values()))
        self.counts["entiteiten"] = len(self.entiteiten)
        bestaand = {
            g.username: g
            for g in Gebruiker.objects.filter(username__in=[g.username for g in self.gebruikers])
        }
        for g in self.gebruikers:
            if g.username in bestaand:
                oud = bestaand[g.username]
                g.pk, g.date_joined = oud.pk, oud.date_joined
                g.save()
        self.nieuwe_gebruikers = [g for g in self.gebruikers if g.username not in bestaand]
        self._bulk(Gebruiker, self.nieuwe_gebruikers)
        self.counts["gebruikers"] = len(self.gebruikers)
        # The staff known so far (every entity's pool), before the trajectories that refer to them.
        self.basis_personeel = self._bulk(Personeelslid, self.personeel)
        self.counts["personeelsleden"] += len(self.personeel)
        self.personeel = []
        # One full export of the personnel system, read by AgO on the reference date without refused lines.
        self.afwezigheid_import = f.AfwezigheidImportFactory.create(
            status=AfwezigheidImport.Status.KLAAR,
            bestandsnaam=f"personeelssysteem-afwezigheden-{self.ref.isoformat()}.csv",
            inhoud="",
            aangevraagd_door=self.ago[0] if self.ago else None,
            aangemaakt_op=self.stempel(self.ref, 7),
            klaar_op=self.stempel(self.ref, 7),
        )

    def bouw_en_schrijf(self, bouw, zonder_traject: list[str]) -> int:
        """Build with ``bouw(schrijf)`` (a recipe that calls ``schrijf`` after every chunk), then the staff
        absent without a trajectory of ``zonder_traject``, writing as it goes; returns the rows written. The
        collector runs over the young objects only (``collector_on_young_objects``)."""
        rows = 0

        def schrijf():
            nonlocal rows
            rows += self.schrijf()

        with collector_on_young_objects():
            bouw(schrijf)
            self.afwezig_zonder_traject(zonder_traject)
            schrijf()
        return rows

    def schrijf(self) -> int:
        """Write the chunk built so far; returns the number of rows written."""
        self.afwezigheden_van_trajecten()
        self._stempels()
        rows = self._bulk(Personeelslid, self.personeel)
        self.counts["personeelsleden"] += len(self.personeel)
        rows += self._bulk(Traject, [t for t in self.trajecten if t.voortgezet_van is None])
        rows += self._bulk(Traject, [t for t in self.trajecten if t.voortgezet_van is not None])
        for model, objs in (
            (Aanmelding, self.aanmeldingen),
            (FormeelVerloop, self.formeel),
            (Gesprek, self.gesprekken),
            (Inschatting, self.inschattingen),
            (Stappenplan, self.stappenplannen),
            (Maatregel, self.maatregelen),
            (Betrokkenheid, self.betrokkenheden),
            (Verlenging, self.verlengingen),
            (Herval, self.hervallen),
            (Evaluatie, self.evaluaties),
            (Onderzoek, self.onderzoeken),
            (Afwezigheid, self.afwezigheden),
        ):
            rows += self._bulk(model, objs)
        self.nieuw_deel()
        return rows

    def sluit_import(self) -> None:
        n = self.counts["Afwezigheid"]
        AfwezigheidImport.objects.filter(pk=self.afwezigheid_import.pk).update(totaal=n, verwerkt=n, nieuw=n)
