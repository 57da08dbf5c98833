"""Disclosure control at VO scale: how much the reports hide, and how long choosing it takes.

    python benchmarks/suppression.py [--database-url postgres://…/reintegratie_bench] [--year 2025]

Reads the data already loaded by ``benchmarks/generate.py`` (or ``benchmarks/run.py``) and prints, for the
HOC report (with the interim template and the extract, which share its protection) and for the EOC report
of the largest, a middle and the smallest entity with trajectories: the printed cells, those shown, those
hidden as primary ("<5") and as secondary ("×"), the persons in secondary cells, the totals among them,
and the seconds ``rapportering.disclosure`` took (without its cache). Goal: no VO-wide total hidden and
fewer secondary than primary cells.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import DEFAULT_DATABASE_URL, setup_django  # noqa: E402

COLUMNS = ("report", "cells", "shown", "primary", "secondary", "persons in ×", "totals ×", "VO totals ×", "s")


def measure(year: int | None = None) -> list[dict]:
    """One row per report (Django must be set up)."""
    from django.utils import timezone

    from rapportering import disclosure as dc
    from rapportering import figures as fg
    from rapportering import tables as tb

    year = year or timezone.localdate().year - 1
    report = fg.build(fg.Periode.year(year))
    out = []

    def row(name: str, prot: dc.Protection, only=None) -> None:
        t0 = time.perf_counter()
        if not prot.solved:
            prot.solve(use_cache=False)
        seconds = time.perf_counter() - t0
        c = prot.counts(only)
        vo = sum(
            1 for k in prot.secondary if k[0] == tb.VO and prot.cells[k].total and (only is None or only(k))
        )
        out.append({"report": name, **c, "vo_totals": vo, "seconds": round(seconds, 2)})

    prot = dc.Protection()
    for declare in tb.FIGURES_DECLARATIONS:
        declare(prot, report.total, tb.VO)
    for declare in tb.VO_DECLARATIONS:
        declare(prot, report)
    row(f"HOC {year} ({len(report.entities)} entities), template, extract", prot)
    entity_keys = {(sk, "active", c) for sk in tb._entity_rows(report)[1] for c in tb.ENTITY_COLS}
    row("  of which the HOC table per entity", prot, entity_keys.__contains__)

    sized = sorted(
        (e for e in report.entities if report.per_entity[e.pk].active["totaal"]),
        key=lambda e: -report.per_entity[e.pk].active["totaal"],
    )
    if sized:
        for label, e in (("large", sized[0]), ("middle", sized[len(sized) // 2]), ("small", sized[-1])):
            f = report.per_entity[e.pk]
            prot = dc.Protection()
            for declare in tb.FIGURES_DECLARATIONS:
                declare(prot, f, tb.EOC)
            row(f"EOC {label} {e.code} ({f.active['totaal']} active)", prot)
    return out


def print_rows(rows: list[dict]) -> list[dict]:
    keys = ("report", "cells", "shown", "primary", "secondary", "secondary_persons", "secondary_totals")
    table = [COLUMNS] + [
        tuple(str(r[k]) for k in keys) + (str(r["vo_totals"]), f"{r['seconds']:.2f}") for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    for line in table:
        print(
            "  ".join(
                v.ljust(w) if i == 0 else v.rjust(w)
                for i, (v, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="How much the reports hide (see benchmarks/README.md).")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--year", type=int, default=None, help="default: the year before today")
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    print_rows(measure(args.year))


if __name__ == "__main__":
    main()
