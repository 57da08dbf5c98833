"""One data generator for the demo (``manage.py seed_demo``) and the benchmarks (``benchmarks/generate.py``).

``laad(omvang, seed, reference_date)`` loads the data deterministically: the same size, seed and reference
date give the same rows. The size (``Omvang``) says what to make:

- ``demo()``: the small, fully covered case. The demo's 12 entities with their users (``coach.omg``,
  ``hr.omg``, ``ago.1``, ``beheerder``; password ``demo-wachtwoord-2024``), 720 staff members and 300
  trajectories from fixed scenarios, so that every milestone appears in every state (see ``scenarios``);
  history rows marked "demodata (seed_demo)"; afterwards the deadline job runs once (signals, no e-mails).
- ``vo(n)``: the large case at the scale of the Flemish government. 120 entities in the 11 policy domains
  with skewed sizes, 30,000 staff members and ``n`` trajectories drawn from the VO-wide distribution
  (``verdeling``); no history rows; afterwards the stored deadline summaries of the open trajectories. Built
  in two lanes side by side (``lanes``: the entities split over two processes, each with random streams and
  primary keys of its own), so the same seed gives the same rows however the lanes run.

Both go through the same builder (``bouwer.Bouwer``): objects are built with the factories
(``trajecten.factories``, ``.build()``) and written per chunk with ``bulk_create`` (PostgreSQL: ``COPY``). Both also get absence
periods from the personnel system (one ``AfwezigheidImport``): most staff members with a trajectory are
absent from D0 to their return, a few from another first day (their dossier notes the difference), and some
staff are absent four weeks or more without a trajectory (the worklist's "Afwezig zonder traject").
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.contrib.auth.hashers import make_password
from django.db import transaction

from entiteiten.models import Entiteit, Gebruiker
from reintegratie.memory import collector_paused

from .. import absences, monitoring
from ..evaluation import refresh_summaries
from ..models import (
    Afwezigheid,
    AfwezigheidImport,
    Betrokkenheid,
    Evaluatie,
    FormeelVerloop,
    Gesprek,
    Herval,
    Inschatting,
    Maatregel,
    Notificatie,
    Onderzoek,
    Personeelslid,
    Signaal,
    Stappenplan,
    Traject,
    Verlenging,
)
from . import lanes
from .bouwer import Bouwer, eigen_tijdstempels
from .gegevens import BELEIDSDOMEINEN, DEMO_ENTITEITEN, vo_entiteiten
from .scenarios import Scenarios
from .verdeling import Verdeling

DEMO_WACHTWOORD = "demo-wachtwoord-2024"
VO_WACHTWOORD = "bench-wachtwoord-2024"  # noqa: S105 - benchmark users only
STANDAARD_SEED = 2024

__all__ = ["BELEIDSDOMEINEN", "Omvang", "Resultaat", "demo", "laad", "logins", "vo", "wipe", "wis"]


@dataclass(frozen=True)
class Omvang:
    """What to generate."""

    trajecten: int
    entiteiten: int | None  # None: the demo's 12 entities; else that many VO entities (E001, ...)
    personeelsleden: int  # spread over the entities by weight, at least ``min_per_entiteit`` each
    min_per_entiteit: int
    ago: int  # AgO users
    dekkend: bool  # True: every milestone in every state (scenarios); False: the VO-wide distribution
    historiek: bool  # write history rows (django-simple-history), marked as demo data
    termijnbewaking: bool  # run the deadline job afterwards (signals); else only the stored summaries
    wachtwoord: str  # of every user (hashed once)
    afwezig_zonder_traject: int  # staff absent 4+ weeks without a trajectory (and as many shorter)
    banen: int = 1  # lanes built side by side (``lanes``; the recipe of the distribution only)


def demo(trajecten: int = 300) -> Omvang:
    return Omvang(trajecten, None, 720, 40, 2, True, True, True, DEMO_WACHTWOORD, len(DEMO_ENTITEITEN))


def vo(trajecten: int = 100_000, entiteiten: int = 120, personeelsleden: int = 30_000) -> Omvang:
    return Omvang(
        trajecten,
        entiteiten,
        personeelsleden,
        15,
        3,
        False,
        False,
        False,
        VO_WACHTWOORD,
        max(1, personeelsleden // 300),
        lanes.LANES,
    )


class Generator(Scenarios, Verdeling, Bouwer):
    pass


LABELS = {  # Dutch labels of the row counts (seed_demo prints them)
    "entiteiten": "entiteiten",
    "gebruikers": "gebruikers",
    "Personeelslid": "personeelsleden",
    "Traject": "trajecten",
    "Aanmelding": "aanmeldingen bij AgO",
    "FormeelVerloop": "formele verlopen",
    "Gesprek": "contacten en gesprekken",
    "Inschatting": "inschattingen",
    "Stappenplan": "stappenplannen",
    "Maatregel": "maatregelen",
    "Betrokkenheid": "betrokken welzijnsactoren",
    "Verlenging": "verlengingen",
    "Herval": "hervallen",
    "Evaluatie": "evaluaties",
    "Onderzoek": "onderzoeken",
    "Afwezigheid": "afwezigheden (personeelssysteem)",
}


@dataclass
class Resultaat:
    counts: Counter = field(default_factory=Counter)  # rows per model name (and entiteiten, gebruikers)
    stats: Counter = field(default_factory=Counter)
    per_soort_status: Counter = field(default_factory=Counter)
    per_scenario: Counter = field(default_factory=Counter)
    rows: int = 0
    signalen: int = 0
    summaries_changed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def aantallen(self) -> dict[str, int]:
        return {label: self.counts[key] for key, label in LABELS.items()}


def laad(
    omvang: Omvang, seed: int = STANDAARD_SEED, reference_date: date | None = None, say=None
) -> Resultaat:
    """Build and write the data into a database without entities (see ``wis``/``wipe``)."""
    from django.utils import timezone

    ref = reference_date or timezone.localdate()
    rng = random.Random(seed)
    specs = DEMO_ENTITEITEN if omvang.entiteiten is None else vo_entiteiten(omvang.entiteiten, rng)
    t_start = time.perf_counter()
    b = Generator(rng, ref, omvang.historiek)
    with eigen_tijdstempels(), collector_paused():
        b.basis(
            specs,
            omvang.personeelsleden,
            omvang.min_per_entiteit,
            omvang.ago,
            make_password(omvang.wachtwoord),
        )
        if say:
            say(
                f"base data: {len(b.entiteiten)} entities, {len(b.gebruikers)} users, {len(b.personeel)} staff"
            )
        if omvang.banen > 1:
            slots = b.slots(omvang.trajecten)
            zonder = b.zonder_traject_codes(omvang.afwezig_zonder_traject)
            rows = lanes.load(b, slots, zonder, seed, omvang.banen, say)
        else:
            with transaction.atomic():
                b.schrijf_basis()
                if omvang.dekkend:
                    recept = partial(b.scenario_trajecten, omvang.trajecten)
                else:
                    recept = partial(b.verdeelde_trajecten, omvang.trajecten, say=say)
                rows = b.bouw_en_schrijf(recept, b.zonder_traject_codes(omvang.afwezig_zonder_traject))
        b.sluit_import()
    t_loaded = time.perf_counter()
    result = Resultaat(
        counts=b.counts,
        stats=b.stats,
        per_soort_status=b.per_soort_status,
        per_scenario=b.per_scenario,
        rows=rows + b.counts["entiteiten"] + b.counts["gebruikers"] + b.basis_personeel,
    )
    with transaction.atomic():
        if omvang.termijnbewaking:
            # Signals and stored deadline summaries as the nightly job has them on the reference date (no e-mails).
            result.signalen = monitoring.run(ref, notify=False).raised
            absences.sync_signals(ref)
        else:
            result.summaries_changed = refresh_summaries(
                Traject.objects.exclude(status=Traject.Status.AFGESLOTEN), ref
            )
    t_end = time.perf_counter()
    result.seconds = {"load": round(t_loaded - t_start, 2), "summaries": round(t_end - t_loaded, 2)}
    return result


def wis() -> dict[str, int]:
    """Delete the generated rows one model after another (history kept), except superusers; returns the
    numbers deleted per Dutch label."""
    weg: dict[str, int] = {}
    for label, qs in (
        ("afwezigheden (personeelssysteem)", Afwezigheid.objects.all()),
        ("imports van afwezigheden", AfwezigheidImport.objects.all()),
        ("notificaties", Notificatie.objects.all()),
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


def wipe() -> None:
    """Empty every table of the entities and trajectories (and what refers to them): fast, for the benchmarks."""
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
    for m in reversed(models):  # other databases (the demo on SQLite): children first
        m._base_manager.all()._raw_delete(m._base_manager.db)


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
