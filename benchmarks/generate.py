"""The benchmark data: the large case of the one data generator (``trajecten.generator``), from the command line.

``generate()`` loads ``trajecten.generator.vo(n)`` (120 entities in the 11 policy domains with skewed sizes,
30,000 staff members, ``n`` trajectories with D0 spread over 10 years, the absence periods of the personnel
system) deterministically for a seed and a reference date, then analyses the tables and returns what was
loaded and how long it took. ``benchmarks/run.py`` calls it; see benchmarks/README.md for the data.

CLI (from the project root)::

    python benchmarks/generate.py --trajecten 100000 --reset \\
        --database-url postgres://postgres@127.0.0.1:5432/reintegratie_bench
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/reintegratie_bench"

DEFAULT_SEED = 2024
DEFAULT_TRAJECTEN = 100_000
DEFAULT_ENTITEITEN = 120
# the Flemish government's staff (VO), whose ten years are about 100,000 trajectories
DEFAULT_PERSONEELSLEDEN = 30_000


def default_personeelsleden(n_trajecten: int) -> int:
    """Staff members for ``n_trajecten``: the VO's 30,000 up to 100,000 trajectories; beyond, the wider
    public sector (local governments included) with its staff in proportion, 300,000 at 1,000,000, so
    that a staff member has about as many trajectories in ten years at every size."""
    return max(DEFAULT_PERSONEELSLEDEN, n_trajecten * 3 // 10)


# Planned dates: the only dates that may lie after the reference date.
PLANNED_DATE_FIELDS = {
    "Inschatting": ("volgend_gesprek_op",),
    "Verlenging": ("nieuwe_datum",),
    "Stappenplan": ("beoogde_hervatting_op",),
    "Maatregel": ("vanaf", "tot"),
}

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


def wipe() -> None:
    """Empty every table of the entities and trajectories (``trajecten.generator.wipe``)."""
    from trajecten.generator import wipe as generator_wipe

    generator_wipe()


def __getattr__(name: str):
    if name == "BELEIDSDOMEINEN":  # needs Django's set-up: imported on first use
        from trajecten.generator import BELEIDSDOMEINEN

        return BELEIDSDOMEINEN
    raise AttributeError(name)


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
    n_personeelsleden: int | None = None,
    reset: bool = False,
    analyze: bool = True,
) -> dict:
    """Load the benchmark data set into the (empty) database; returns what was loaded and how long it took.

    The same seed and reference date give the same data. ``reset`` empties the tables first (``wipe``).
    """
    from django.utils import timezone

    from entiteiten.models import Entiteit
    from trajecten import generator
    from trajecten.models import Traject

    def say(msg: str) -> None:
        if stdout is not None:
            stdout.write(f"{msg} ({time.perf_counter() - t_start:.1f} s)\n")
            stdout.flush()

    ref = reference_date or timezone.localdate()
    if reset:
        wipe()
    elif Entiteit.objects.exists():
        raise RuntimeError("The database already holds entities: wipe() it first (or pass reset=True).")
    t_start = time.perf_counter()
    staff = n_personeelsleden or default_personeelsleden(n_trajecten)
    loaded = generator.laad(generator.vo(n_trajecten, n_entiteiten, staff), seed, ref, say)
    t_summaries = time.perf_counter()
    if analyze:
        _analyze()
    t_end = time.perf_counter()
    changed = loaded.summaries_changed
    rows = loaded.rows
    say(f"summaries of the open trajectories: {changed}")

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
        "rows": dict(sorted(loaded.counts.items())),
        "rows_total": rows,
        "parts": dict(sorted(loaded.stats.items())),
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
            "load": loaded.seconds["load"],
            "summaries": loaded.seconds["summaries"],
            "analyze": round(t_end - t_summaries, 2),
            "total": round(t_end - t_start, 2),
        },
        "rows_per_second": round(rows / max(loaded.seconds["load"], 1e-9)),
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
    parser.add_argument(
        "--personeelsleden",
        type=int,
        default=None,
        help="default: 30,000, or 30%% of --trajecten above 100,000",
    )
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
