"""VO-scale benchmarks: one command (see benchmarks/README.md).

    python benchmarks/run.py [--sizes 10000,100000] \\
        [--database-url postgres://postgres@127.0.0.1:5432/reintegratie_bench]

Runs the production settings (``reintegratie.settings``, DEBUG off) against a separate PostgreSQL database,
created when missing and migrated. For every size: empty the tables, load the data set of
``benchmarks/generate.py``, VACUUM ANALYZE, then measure

- the coach worklist (plain, ``?te_laat=on``, ``?pagina=2``) as the first coach of the largest entity, and
  the AgO worklist over all entities;
- the dossier pages of 30 open trajectories of that entity;
- the deadline job over all open trajectories: its first run (raises every signal) and a daily run (nothing
  to do but compare), with open trajectories per second and peak memory, twice: on one Celery worker as
  deployed (``celery -A reintegratie worker``, its default pool of one process per CPU, on the real Redis
  broker of ``BENCH_REDIS_URL``: from sending the task until the run has ended and every mail is sent), and
  in one process (the task in-process, eager: all its batches one after the other, then the absences and
  the notifications, mails to Django's in-memory backend; the tracemalloc peak too);
- the HR and AgO dashboards and the EOC/HOC PDFs, when they exist ("not available yet" otherwise);
- AgO's first VO-wide dashboard view and its CSV and PDF download in a fresh process with an empty cache
  (what the page rows' warm-up hides).

Server time is ``time.perf_counter()`` around ``django.test.Client.get``: the whole Django stack
(middleware, sessions, ORM, templates) in-process, without network. Queries are counted with
``connection.execute_wrapper``. Results: a table on stdout and ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import (  # noqa: E402 - the project root must be importable first
    DEFAULT_DATABASE_URL,
    DEFAULT_SEED,
    generate,
    setup_django,
    wipe,
)

RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_SIZES = "10000,100000"
REQUESTS = 30
WARMUP = 3
MB = 1024 * 1024

# Budgets: (what, limit). Request budgets apply to the p95 server time.
BUDGET_PAGE_MS = 100  # every page a user waits for, dashboards included
PAGE_SQL_MS = 5  # a worklist's own SQL: its count and page statements re-run bare (medians, summed)
SQL_RATIO = 3  # a page's p50 within this many times the p50 of its SQL alone (reported)
SQL_REPS = 10
SCALING = 1.3  # a page's p95 at 1,000,000 within this factor of its p95 at 100,000
BUDGET_FIRST_DASHBOARD_MS = 1000  # the first view of a year never computed: nobody waits longer
# a fresh web worker's first dashboard view and download, its cache empty (a web worker's timeout: 30 s)
BUDGET_COLD_MS = 5000
BUDGET_JOB_PER_S = 10_000  # open trajectories a second, end to end on one worker
BUDGET_JOB_MB = 500  # peak RSS of the job's process (the worker: of all its processes together)
BENCH_REDIS_URL = os.environ.get(
    "BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"
)  # the worker's broker; flushed
BUDGET_HOC_S = 30


class QueryCounter:
    """Counts the queries of the default connection (without keeping their SQL)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


# --- database and machine ---------------------------------------------------------------------------------


def ensure_database(url: str) -> bool:
    """Create the benchmark database when missing (connecting to the server's "postgres" database)."""
    import psycopg
    from psycopg import sql

    u = urlsplit(url)
    name = unquote(u.path.lstrip("/"))
    params = {
        "host": u.hostname or "localhost",
        "port": u.port or 5432,
        "user": unquote(u.username) if u.username else None,
        "password": unquote(u.password) if u.password else None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def machine() -> dict:
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        pg = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
        cur.execute("SHOW work_mem")
        work_mem = cur.fetchone()[0]
    import django

    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    return {
        "nproc": nproc,
        "cpu": cpu,
        "memory_gb": mem_gb,
        "postgresql": pg,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
    }


# --- measurements -----------------------------------------------------------------------------------------


def row(measurement, size, *, times=None, queries=None, budget="", ok=None, note="", **extra) -> dict:
    r = {
        "measurement": measurement,
        "size": size,
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(pct(times, 95), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "samples": len(times) if times else 0,
        "queries": (max(queries) if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}")
        if queries
        else None,
        "budget": budget,
        "result": "n/a" if ok is None else "OK" if ok else "MISSED",
        "note": note,
    }
    r.update(extra)
    return r


def get_many(client, urls: list[str], warmup_urls: list[str], reps: int) -> tuple[list[float], list[int]]:
    from django.db import connection

    for url in warmup_urls:
        client.get(url)
    times, queries = [], []
    for i in range(reps):
        url = urls[i % len(urls)]
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            t0 = time.perf_counter()
            resp = client.get(url)
            dt = time.perf_counter() - t0
        if resp.status_code != 200:
            raise RuntimeError(f"GET {url}: HTTP {resp.status_code}")
        times.append(dt * 1000)
        queries.append(counter.count)
    return times, queries


def capture_sql(client, url: str) -> list[str]:
    """The SQL of one request, as sent (the values filled in), in order, without transaction control."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    if resp.status_code != 200:
        raise RuntimeError(f"GET {url}: HTTP {resp.status_code}")
    # Transaction control (the request's atomic block) is not the page's SQL, and would end the re-run's.
    control = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "COMMIT", "BEGIN")
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(control)]


def time_sql(statements: list[str], reps: int) -> tuple[list[float], list[float]]:
    """Re-run a request's statements bare with a cursor, ``reps`` times, each time in a transaction that is
    rolled back (a page's writes: session, read log). Returns the total per run and each statement's
    median time (ms)."""
    from django.db import connection, transaction

    totals, each = [], [[] for _ in statements]
    for _ in range(reps):
        total = 0.0
        with transaction.atomic(), connection.cursor() as cur:
            raw = cur.cursor  # the driver's cursor: no Django wrapper in the measurement
            for i, sql in enumerate(statements):
                t0 = time.perf_counter()
                raw.execute(sql)
                if raw.description is not None:
                    raw.fetchall()
                dt = (time.perf_counter() - t0) * 1000
                each[i].append(dt)
                total += dt
            transaction.set_rollback(True)
        totals.append(total)
    return totals, [statistics.median(t) for t in each]


def worklist_statements(sql: str) -> bool:
    """The worklist's own SQL: its bounded count and its page (not session, user, filter choices)."""
    head = ("SELECT COUNT(*) FROM (SELECT", 'SELECT "trajecten_traject"."id"')
    return sql.startswith(head) and 'FROM "trajecten_traject"' in sql


def page_row(name, size, client, urls, warmup, reps, budget_ms, sql_budget_ms=None) -> dict:
    """A page's server time over ``reps`` requests, and the time of its SQL alone: the queries of one
    request (the first URL), re-run bare. Budget: p95 < ``budget_ms`` and (worklists) the worklist's own
    statements (count and page, medians) under ``sql_budget_ms``; the page's p50 against its SQL's p50 is
    reported (target ``SQL_RATIO``)."""
    print(f"  {name} ...", flush=True)
    budget = f"p95 < {budget_ms} ms" + (f", its SQL < {sql_budget_ms} ms" if sql_budget_ms else "")
    try:
        times, queries = get_many(client, urls, warmup, reps)
        statements = capture_sql(client, urls[0])
        sql_times, per_statement = time_sql(statements, SQL_REPS)
    except Exception as exc:  # a broken page is a result too: report it, go on
        return row(name, size, budget=budget, ok=False, note=f"error: {exc}")
    sql_p50 = statistics.median(sql_times)
    ratio = statistics.median(times) / sql_p50 if sql_p50 else None
    slowest = max(range(len(statements)), key=per_statement.__getitem__)
    own = [t for t, q in zip(per_statement, statements, strict=True) if worklist_statements(q)]
    worklist_sql = sum(own) if own else None
    checks = {
        "p95": pct(times, 95) < budget_ms,
        "sql": sql_budget_ms is None or (worklist_sql is not None and worklist_sql < sql_budget_ms),
    }
    return row(
        name,
        size,
        times=times,
        queries=queries,
        budget=budget,
        ok=all(checks.values()),
        note=(
            (f"worklist SQL (count + page) {worklist_sql:.2f} ms; " if sql_budget_ms else "")
            + f"page/SQL {ratio:.1f}x (target <= {SQL_RATIO}x); slowest query {per_statement[slowest]:.2f} ms: "
            f"{' '.join(statements[slowest].split())[:140]}"
        ),
        url=urls[0],
        sql_p50_ms=round(sql_p50, 2),
        sql_ratio=round(ratio, 1) if ratio else None,
        worklist_sql_ms=round(worklist_sql, 2) if sql_budget_ms and worklist_sql is not None else None,
        checks=checks,
        statements=[{"ms": round(t, 3), "sql": q} for t, q in zip(per_statement, statements, strict=True)],
    )


def first_url(*names: str) -> tuple[str | None, str | None]:
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return name, reverse(name)
        except NoReverseMatch:
            continue
    return None, None


def measure_pages(size: int, info: dict, reps: int) -> list[dict]:
    """Every page a user waits for, as its user; names without sizes, so that sizes compare."""
    from django.test import Client
    from django.urls import reverse

    from entiteiten.models import Entiteit, Gebruiker
    from trajecten.models import Traject

    ent = Entiteit.objects.get(pk=info["largest_entity"]["id"])
    coach = (
        Gebruiker.objects.filter(rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=ent).order_by("username").first()
    )
    hr = Gebruiker.objects.filter(rol=Gebruiker.Rol.HR, entiteit=ent).order_by("username").first()
    ago = Gebruiker.objects.filter(rol=Gebruiker.Rol.AGO).order_by("username").first()
    clients = {}
    for who, user in (("coach", coach), ("hr", hr), ("ago", ago)):
        clients[who] = Client()
        clients[who].force_login(user)
    open_qs = Traject.objects.filter(entiteit=ent).exclude(status=Traject.Status.AFGESLOTEN)
    # A search term that finds a few: the surname of an open trajectory's staff member.
    term = open_qs.order_by("pk").values_list("personeelslid__achternaam", flat=True).first() or "a"
    base = reverse("worklist")
    pages = [
        ("worklist coach, own (default)", "coach", base, PAGE_SQL_MS),
        ("worklist coach, entity", "coach", base + "?wie=alle", PAGE_SQL_MS),
        ("worklist coach, entity ?te_laat=on", "coach", base + "?wie=alle&te_laat=on", PAGE_SQL_MS),
        ("worklist coach, entity ?soort=formeel", "coach", base + "?wie=alle&soort=formeel", PAGE_SQL_MS),
        ("worklist coach, entity ?pagina=2", "coach", base + "?wie=alle&pagina=2", PAGE_SQL_MS),
        ("worklist coach, entity ?q=<surname>", "coach", base + f"?wie=alle&q={term}", PAGE_SQL_MS),
        ("worklist AgO (all entities)", "ago", base, PAGE_SQL_MS),
        ("worklist AgO ?pagina=2", "ago", base + "?pagina=2", PAGE_SQL_MS),
        ("worklist AgO ?pagina=40 (last)", "ago", base + "?pagina=40", PAGE_SQL_MS),
        ("worklist AgO ?te_laat=on", "ago", base + "?te_laat=on", PAGE_SQL_MS),
        ("worklist AgO ?q=<surname>", "ago", base + f"?q={term}", PAGE_SQL_MS),
    ]
    rows = [
        page_row(name, size, clients[who], [url], [url] * WARMUP, reps, BUDGET_PAGE_MS, sql_ms)
        for name, who, url, sql_ms in pages
    ]

    open_ids = list(open_qs.order_by("pk").values_list("pk", flat=True))
    n = reps + WARMUP
    step = max(1, len(open_ids) // n)
    chosen = open_ids[::step][:n]
    for name, view in (("dossier", "dossier"), ("history", "historiek")):
        urls = [reverse(view, args=[pk]) for pk in chosen]
        r = page_row(
            f"{name}, open trajectories",
            size,
            clients["coach"],
            urls[WARMUP:] or urls,
            urls[:WARMUP],
            reps,
            BUDGET_PAGE_MS,
        )
        r["note"] = f"{len(urls[WARMUP:] or urls)} trajectories; SQL of the first. " + r["note"]
        rows.append(r)

    for title, who, url in (
        ("HR dashboard (year)", "hr", reverse("dashboard")),
        ("AgO dashboard (year, all entities)", "ago", reverse("dashboard")),
        ("reports list AgO", "ago", reverse("rapporten")),
    ):
        rows.append(page_row(title, size, clients[who], [url], [url] * WARMUP, reps, BUDGET_PAGE_MS))
    rows.append(measure_first_dashboard(size, clients["ago"]))
    rows.append(measure_first_period(size, clients["ago"]))
    rows.append(measure_first_period(size, clients["hr"], ent))
    rows += measure_cold(size)
    return rows


def measure_first_dashboard(size: int, client) -> dict:
    """The first view of a year whose figures nobody computed before: queued for a worker (never computed
    in the request), the page says so; then the computation as the worker does it, and the next view."""
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import timezone

    from rapportering.models import Cijferset
    from rapportering.services import refresh_year_figures as compute_year

    year = timezone.localdate().year - 3
    Cijferset.objects.filter(periode_start__year=year, periode_eind__year=year).delete()
    cache.delete(f"rapportering:cijfers-in-wachtrij:{year}")
    return first_view_row(
        "dashboard, first view of a year never computed",
        size,
        client,
        reverse("dashboard") + f"?jaar={year}",
        f"year {year}",
        # what the worker's task does: the figures, then the dashboard's content
        lambda: compute_year([year]),
        queued_only=True,
    )


def measure_first_period(size: int, client, entiteit=None) -> dict:
    """The first view of a date range (a half year) nobody looked at before, VO-wide (AgO) or for the largest
    entity (its HR): computed in the request up to REPORT_INLINE_UP_TO trajectories, else queued for a worker
    while the page says so; then the computation as the worker does it, and the next view."""
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import timezone

    from rapportering import figures as fg
    from rapportering import services

    year = timezone.localdate().year - 1
    periode = fg.Periode(date(year, 1, 1), date(year, 6, 30))
    key = services.period_key(periode, entiteit.pk if entiteit else None)
    cache.delete_many([key, services.period_mark(key)])
    url = reverse("dashboard") + f"?van=01/01/{year}&tot=30/06/{year}"
    return first_view_row(
        f"dashboard, first view of a half year, {'the largest entity (HR)' if entiteit else 'VO-wide (AgO)'}",
        size,
        client,
        url + (f"&entiteit={entiteit.pk}" if entiteit else ""),
        f"01/01–30/06/{year}",
        lambda: services.store_period(periode, entiteit),
    )


def first_view_row(title, size, client, url, what, compute, queued_only=False) -> dict:
    """Time the first view of ``url`` with tasks not in-process (as in production, where a worker computes):
    it must answer within BUDGET_FIRST_DASHBOARD_MS, showing the figures or saying "worden berekend" (a year:
    always the latter); then ``compute`` as the worker would (timed) and the next view must show them."""
    from rapportering.tasks import refresh_year_figures

    budget = f"< {BUDGET_FIRST_DASHBOARD_MS} ms"
    conf = refresh_year_figures.app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False  # as in production: a worker computes what the page queues
    try:
        t0 = time.perf_counter()
        first = client.get(url)
        first_ms = (time.perf_counter() - t0) * 1000
        said = "worden berekend" in first.content.decode()
        compute_s = None
        if said:
            t0 = time.perf_counter()
            compute()
            compute_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        after = client.get(url)
        after_ms = (time.perf_counter() - t0) * 1000
    finally:
        conf.task_always_eager = eager
    shown = after.status_code == 200 and "worden berekend" not in after.content.decode()
    how = (
        f"the page says 'worden berekend' and queues the computation; the worker's computation took "
        f"{compute_s:.1f} s"
        if said
        else "computed in the request"
    )
    return row(
        title,
        size,
        times=[first_ms],
        budget=budget,
        ok=first.status_code == 200
        and (said or not queued_only)
        and shown
        and first_ms < BUDGET_FIRST_DASHBOARD_MS,
        note=f"{what}: {how}; the next view {after_ms:.0f} ms{'' if shown else ' (figures NOT shown)'}",
        compute_s=round(compute_s, 2) if compute_s is not None else None,
        next_view_ms=round(after_ms, 1),
    )


def cold_child(database_url: str) -> None:
    """In this fresh process (its cache empty, nothing decoded yet, as a web worker just started or after
    Redis was emptied): AgO's first view of this year's VO-wide dashboard and its first CSV and PDF download.
    Prints the times (ms) as JSON."""
    setup_django(database_url)
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from entiteiten.models import Gebruiker

    client = Client()
    client.force_login(Gebruiker.objects.filter(rol=Gebruiker.Rol.AGO).order_by("username").first())
    year = {"jaar": timezone.localdate().year}
    out = {}
    for name, url in (
        ("dashboard", reverse("dashboard")),
        ("csv", reverse("export", args=["csv"])),
        ("pdf", reverse("export", args=["pdf"])),
    ):
        t0 = time.perf_counter()
        response = client.get(url, year)
        out[name] = {"ms": (time.perf_counter() - t0) * 1000, "status": response.status_code}
    print(json.dumps(out))


def measure_cold(size: int) -> list[dict]:
    """``cold_child`` in a fresh process: the first request a web worker answers must not come near its
    timeout (the VO-wide disclosure control once took 38 s there, hidden by the warm-up of the page rows)."""
    # (setup_django set DATABASE_URL: the benchmark database)
    proc = run_child("--cold-child", os.environ["DATABASE_URL"])
    budget = f"< {BUDGET_COLD_MS} ms"
    title = "AgO dashboard, first view in a fresh process (empty cache), and its CSV and PDF download"
    if proc.returncode != 0:
        return [row(title, size, budget=budget, ok=False, note=f"error: {proc.stderr.strip()[-300:]}")]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    times = [v["ms"] for v in out.values()]
    ok = all(v["status"] == 200 for v in out.values()) and max(times) < BUDGET_COLD_MS
    note = "; ".join(f"{k} {v['ms']:.0f} ms (HTTP {v['status']})" for k, v in out.items())
    print(f"  {title}: {note}", flush=True)
    return [row(title, size, times=[out["dashboard"]["ms"]], budget=budget, ok=ok, note=note, cold=out)]


def measure_pdfs(size: int, info: dict, year: int, reps: int) -> list[dict]:
    from django.db import connection

    from entiteiten.models import Entiteit

    try:
        from rapportering import pdf as rpdf
    except ImportError:
        rpdf = None
    ent = Entiteit.objects.get(pk=info["largest_entity"]["id"])
    rows = []
    for title, fname, args, budget_s in (
        (f"EOC PDF {year} of the largest entity ({ent.code})", "render_eoc_pdf", (ent, year), None),
        (f"HOC PDF {year}", "render_hoc_pdf", (year,), BUDGET_HOC_S),
    ):
        budget = f"< {budget_s} s" if budget_s else ""
        fn = getattr(rpdf, fname, None) if rpdf is not None else None
        print(f"  {title} ...", flush=True)
        if fn is None:
            rows.append(row(title, size, budget=budget, note="not available yet"))
            continue
        times, queries, out = [], [], None
        try:
            for _ in range(reps):
                counter = QueryCounter()
                with connection.execute_wrapper(counter):
                    t0 = time.perf_counter()
                    out = fn(*args)
                    times.append((time.perf_counter() - t0) * 1000)
                queries.append(counter.count)
        except Exception as exc:  # report, go on
            rows.append(row(title, size, budget=budget, ok=False, note=f"error: {exc!r}"[:200]))
            continue
        length = len(out) if isinstance(out, bytes | bytearray) else None
        rows.append(
            row(
                title,
                size,
                times=times,
                queries=queries,
                budget=budget,
                ok=None if budget_s is None else pct(times, 95) < budget_s * 1000,
                note=f"{length:,} bytes" if length else "",
            )
        )
    return rows


# --- the deadline job, in a fresh process ------------------------------------------------------------------


def _proc_status_mb(key: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def job_child(database_url: str, as_of: date, trace: bool) -> None:
    """Run the deadline job once in this (fresh) process; print its figures as JSON on the last line.

    The job is the Celery task, run in-process (eager, as on one worker): its batches one after the other,
    then the absences and the notifications (sent to Django's in-memory mail backend).

    Memory: the peak resident set size of the process (VmHWM, reset just before the job with
    ``/proc/self/clear_refs``, since Linux carries ``ru_maxrss`` over from the parent across fork/exec), and
    its growth during the job; ``getrusage`` is the fallback.
    """
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.pop("REDIS_URL", None)  # tasks in-process
    setup_django(database_url)
    import gc

    from django.db import connection

    from trajecten.models import Signaal, Traject
    from trajecten.tasks import run_deadline_job

    Traject.objects.exists()  # connect before measuring
    # A worker readies each process once at its start (reintegratie.celery.prepare_process: the URL
    # configuration loaded, the loaded modules frozen for the garbage collector); timed apart.
    from reintegratie.celery import prepare_process

    t_start = time.perf_counter()
    prepare_process()
    worker_start = time.perf_counter() - t_start
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS (VmHWM) to the current RSS
        hwm_reset = True
    except OSError:
        hwm_reset = False
    rss_before = _proc_status_mb("VmRSS")
    ru_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    counter = QueryCounter()
    if trace:
        tracemalloc.start()
    with connection.execute_wrapper(counter):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run_deadline_job(as_of.isoformat())
        seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    ru_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hwm = _proc_status_mb("VmHWM")
    if hwm_reset and hwm is not None and rss_before is not None:
        rss_delta, rss_peak = hwm - rss_before, hwm
    else:
        rss_delta, rss_peak = ru_after - ru_before, ru_after
    out = {
        "seconds": seconds,
        "worker_start_seconds": worker_start,
        "per_second": result["evaluated"] / seconds,
        # the job process's own CPU time (not PostgreSQL's): what a busy machine does not inflate
        "cpu_seconds": cpu_seconds,
        "os_load_1min": os.getloadavg()[0],
        "queries": counter.count,
        "tracemalloc_peak_mb": peak / MB if peak is not None else None,
        "rss_delta_mb": rss_delta,
        "rss_max_mb": rss_peak,
        "rss_before_mb": rss_before,
        "ru_maxrss_delta_mb": ru_after - ru_before,
        "result": result,
        "open_signals": Signaal.objects.filter(opgelost_op__isnull=True).count(),
    }
    print(json.dumps(out))


def _tree_rss_mb(pid: int) -> float:
    """The resident set size of a process and its children (a Celery worker and its pool), in MB (Linux).
    Pages the pool processes share with their parent after fork count once per process: an upper bound."""
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    total = 0.0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except (OSError, ValueError):
            continue
    return total


def worker_child(database_url: str, as_of: date) -> None:
    """Start one Celery worker as deployed (docker-compose: ``celery -A reintegratie worker``, default pool),
    send the deadline job twice (first run on emptied signals, then again), and print the figures as JSON.

    The time runs from sending the task until the run has ended (``JobRun.finished_at``) and no mail is left
    unsent: the worker's own time of the later of its run's end and its last mail marked sent (this loop
    polls every 50 ms and notices it later; ``polled_seconds``). The worker's memory is sampled with each
    poll over all its processes."""
    import signal

    os.environ["REDIS_URL"] = BENCH_REDIS_URL
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    setup_django(database_url)
    import redis
    from django.db import connection
    from django.db.models import Max

    from operations.models import JobRun
    from trajecten.models import Notificatie
    from trajecten.tasks import run_deadline_job

    redis.Redis.from_url(BENCH_REDIS_URL).flushdb()
    cmd = [sys.executable, "-m", "celery", "-A", "reintegratie", "worker", "-l", "WARNING", "-n", "bench@%h"]
    worker = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ), start_new_session=True)  # noqa: S603
    out = {"runs": {}}
    try:
        from reintegratie.celery import app

        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        # This process's first message imports Celery's sending machinery (60 ms measured), which beat, as it
        # sends the nightly task, has long done: a harmless built-in task first, before the clock starts.
        app.send_task("celery.accumulate", args=[0])
        time.sleep(0.5)
        out["processes"] = 1 + len(Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split())
        for name in ("first", "daily"):
            if name == "first":
                with connection.cursor() as cur:
                    cur.execute("TRUNCATE trajecten_signaal, trajecten_notificatie")
            last = JobRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            peak = 0.0
            t0, sent_at = time.perf_counter(), time.time()  # (the worker's clock is this machine's)
            run_deadline_job.delay(as_of.isoformat())
            while True:
                peak = max(peak, _tree_rss_mb(worker.pid))
                run = JobRun.objects.filter(pk__gt=last, job=JobRun.Job.DEADLINES).order_by("-pk").first()
                if run is not None and run.finished_at is not None:
                    if not Notificatie.objects.filter(verzonden_op__isnull=True).exists():
                        break
                if time.perf_counter() - t0 > 1800:
                    raise RuntimeError("the deadline job did not end within 30 minutes")
                time.sleep(0.05)
            polled = time.perf_counter() - t0
            # The end: the worker's own time of its last commit (the run's end, or its last mail marked sent),
            # not when this loop noticed it (up to 50 ms and two queries later).
            since = datetime.fromtimestamp(sent_at, tz=UTC)
            mails = Notificatie.objects.filter(verzonden_op__gte=since)
            last_mail = mails.aggregate(t=Max("verzonden_op"))["t"]
            ended = max(run.finished_at, last_mail or run.finished_at).timestamp()
            seconds = ended - sent_at
            out["runs"][name] = {
                "seconds": seconds,
                "per_second": run.counts["evaluated"] / seconds,
                "rss_tree_max_mb": peak,
                "result": run.counts,
                "polled_seconds": polled,  # the same, as this loop noticed it
                "start_ms": (run.started_at.timestamp() - sent_at) * 1000,  # the worker recorded the run
                "run_ended_ms": (run.finished_at.timestamp() - sent_at) * 1000,  # before the mails
            }
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    print(json.dumps(out))


def measure_job_worker(size: int, database_url: str, as_of: date) -> list[dict]:
    """The deadline job on one Celery worker as deployed (``worker_child``, in a fresh process)."""
    budget = f">= {BUDGET_JOB_PER_S:,} open trajectories/s, peak RSS of the worker < {BUDGET_JOB_MB} MB"
    proc = run_child("--worker-child", database_url, "--reference-date", as_of.isoformat())
    if proc.returncode != 0:
        note = f"error (Redis at {BENCH_REDIS_URL}?): {proc.stderr.strip().splitlines()[-1:]}"
        return [row("deadline job, one Celery worker as deployed", size, budget=budget, ok=False, note=note)]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    rows = []
    for name, title in (("first", "first run (raises all signals)"), ("daily", "daily run")):
        r = out["runs"][name]
        job = r["result"]
        line = (
            f"{job['evaluated']:,} open trajectories in {r['seconds']:.2f} s: {r['per_second']:,.0f}/s "
            f"(budget >= {BUDGET_JOB_PER_S:,}/s), from sending the task until the run ended and every mail "
            f"was sent; peak RSS of the worker's {out['processes']} processes together {r['rss_tree_max_mb']:.0f} MB "
            f"(budget < {BUDGET_JOB_MB} MB); {job['batches']} batches, {job['raised']:,} raised, "
            f"{job['notifications_recorded']:,} notifications"
        )
        print(f"  deadline job, one Celery worker as deployed, {title}: {line}", flush=True)
        rows.append(
            row(
                f"deadline job, one Celery worker as deployed, {title}",
                size,
                times=[r["seconds"] * 1000],
                budget=budget,
                ok=r["per_second"] >= BUDGET_JOB_PER_S and r["rss_tree_max_mb"] < BUDGET_JOB_MB,
                note=line,
                seconds=round(r["seconds"], 2),
                per_second=round(r["per_second"]),
                rss_tree_max_mb=round(r["rss_tree_max_mb"], 1),
                worker_processes=out["processes"],
                job=job,
            )
        )
    return rows


def run_child(flag: str, database_url: str, *args: str) -> subprocess.CompletedProcess:
    """This script again in a fresh process, as one of its children (``flag``: ``--job-child``, ...)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), flag, "--database-url", database_url, *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603


def run_job(database_url: str, as_of: date, trace: bool) -> dict:
    extra = ["--trace"] if trace else []
    proc = run_child("--job-child", database_url, "--reference-date", as_of.isoformat(), *extra)
    if proc.returncode != 0:
        raise RuntimeError(f"deadline job failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_job(size: int, database_url: str, as_of: date) -> list[dict]:
    from django.db import connection

    from trajecten.models import Notificatie, Signaal

    def truncate():
        with connection.cursor() as cur:
            for model in (Signaal, Notificatie):
                cur.execute(f"TRUNCATE {connection.ops.quote_name(model._meta.db_table)}")

    truncate()
    first = run_job(database_url, as_of, trace=False)
    daily = run_job(database_url, as_of, trace=False)
    # Peak Python memory with tracemalloc (which slows the run down, so in separate runs).
    truncate()
    first_traced = run_job(database_url, as_of, trace=True)
    daily_traced = run_job(database_url, as_of, trace=True)
    # The budget is the worker's (measure_job_worker); one process is the reference it is made of.
    budget = "reference (one process); the budget applies to the worker"
    rows = []
    for title, plain, traced in (
        ("deadline job in one process, first run (raises all signals)", first, first_traced),
        ("deadline job in one process, daily run", daily, daily_traced),
    ):
        r = plain["result"]
        line = (
            f"{r['evaluated']:,} open trajectories in {plain['seconds']:.2f} s: "
            f"{plain['per_second']:,.0f} open trajectories/s; "
            f"peak RSS {plain['rss_max_mb']:.0f} MB, "
            f"+{plain['rss_delta_mb']:.0f} MB during the job; "
            f"CPU of the job's process {plain['cpu_seconds']:.2f} s "
            f"({r['evaluated'] / max(plain['cpu_seconds'], 1e-9):,.0f}/CPU-s), "
            f"load average {plain['os_load_1min']:.1f} on {os.cpu_count()} CPUs; "
            f"the worker's start before it (once per process) {plain['worker_start_seconds']:.2f} s"
        )
        print(f"  {title}: {line}", flush=True)
        rows.append(
            row(
                title,
                size,
                times=[plain["seconds"] * 1000],
                queries=[plain["queries"]],
                budget=budget,
                ok=None,
                note=(
                    f"{line}; tracemalloc peak {traced['tracemalloc_peak_mb']:.0f} MB; "
                    f"{r['batches']} batches, {r['raised']:,} raised, {r['resolved']:,} resolved, "
                    f"{r['summaries_changed']:,} summaries changed, {r['notifications_recorded']:,} notifications"
                ),
                seconds=round(plain["seconds"], 2),
                per_second=round(plain["per_second"]),
                tracemalloc_peak_mb=round(traced["tracemalloc_peak_mb"], 1),
                rss_delta_mb=round(plain["rss_delta_mb"], 1),
                rss_max_mb=round(plain["rss_max_mb"], 1),
                job=r,
            )
        )
    return rows


# --- output -----------------------------------------------------------------------------------------------


def fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.1f}"
    return str(v)


def print_table(rows: list[dict]) -> None:
    cols = [
        ("measurement", "measurement"),
        ("size", "size"),
        ("p50_ms", "p50 ms"),
        ("p95_ms", "p95 ms"),
        ("queries", "queries"),
        ("sql_p50_ms", "SQL ms"),
        ("sql_ratio", "page/SQL"),
        ("budget", "budget"),
        ("result", "result"),
    ]
    cells = [[fmt(r.get(k)) if k != "size" else f"{r[k]:,}" for k, _ in cols] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (_, h) in enumerate(cols)]
    right = {"size", "p50_ms", "p95_ms", "queries", "sql_p50_ms", "sql_ratio"}

    def line(values):
        return "  ".join(
            v.rjust(w) if cols[i][0] in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    print(line([h for _, h in cols]))
    print("  ".join("-" * w for w in widths))
    for r, c in zip(rows, cells, strict=True):
        print(line(c))
        if r["note"]:
            print(" " * 4 + r["note"])


def print_scaling(rows: list[dict]) -> None:
    """Pages at the largest size against the smallest: p95 ratio, target <= SCALING (1.3x)."""
    by_name: dict[str, dict[int, dict]] = {}
    for r in rows:
        if "sql_p50_ms" in r and r.get("p95_ms") is not None:
            by_name.setdefault(r["measurement"], {})[r["size"]] = r
    pairs = {k: v for k, v in by_name.items() if len(v) > 1}
    if not pairs:
        return
    print(f"\n=== pages: largest size against smallest (p95; target <= {SCALING}x) ===")
    for name, sizes in pairs.items():
        lo, hi = sizes[min(sizes)], sizes[max(sizes)]
        ratio = hi["p95_ms"] / lo["p95_ms"]
        print(
            f"{name}: {lo['p95_ms']:.1f} ms at {min(sizes):,}, {hi['p95_ms']:.1f} ms at {max(sizes):,}: "
            f"{ratio:.2f}x {'OK' if ratio <= SCALING else 'MISSED'}"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="VO-scale benchmarks (see benchmarks/README.md).")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated numbers of trajectories")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per page measurement")
    parser.add_argument("--pdf-reps", type=int, default=3, help="renderings per PDF measurement")
    parser.add_argument("--report-year", type=int, default=None, help="default: the year before today")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the loaded data when it already has the requested size"
    )
    parser.add_argument("--job-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reference-date", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.job_child:
        job_child(args.database_url, args.reference_date, args.trace)
        return
    if args.worker_child:
        worker_child(args.database_url, args.reference_date)
        return
    if args.cold_child:
        cold_child(args.database_url)
        return

    created = ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from trajecten.models import Traject

    print(f"database {args.database_url} ({'created' if created else 'exists'}); migrating ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    ref = timezone.localdate()  # the views evaluate against today: the data is generated relative to it
    year = args.report_year or ref.year - 1
    info_machine = machine()
    print(
        f"machine: {info_machine['nproc']} CPU ({info_machine['cpu']}), {info_machine['memory_gb']} GB RAM; "
        f"{info_machine['postgresql'].split(' on ')[0]} (shared_buffers {info_machine['shared_buffers']}, "
        f"work_mem {info_machine['work_mem']}); Python {info_machine['python']}, Django {info_machine['django']}"
    )
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    report = {
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "reference_date": ref.isoformat(),
        "seed": args.seed,
        "report_year": year,
        "machine": info_machine,
        "budgets": {
            "pages_p95_ms": BUDGET_PAGE_MS,
            "worklist_sql_ms": PAGE_SQL_MS,
            "page_to_sql_ratio": SQL_RATIO,
            "deadline_job_open_trajectories_per_s": BUDGET_JOB_PER_S,
            "deadline_job_peak_rss_mb": BUDGET_JOB_MB,
            "hoc_pdf_s": BUDGET_HOC_S,
        },
        "sizes": {},
    }
    all_rows: list[dict] = []
    for size in sizes:
        print(f"\n=== {size:,} trajectories ===", flush=True)
        if args.reuse and Traject.objects.count() == size:
            info = _describe_existing(ref)
            print("reusing the loaded data", flush=True)
        else:
            wipe()
            with connection.cursor() as cur:
                cur.execute("TRUNCATE django_session")
            info = generate(size, args.seed, ref, sys.stdout)
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        info["seconds"]["vacuum_analyze"] = round(time.perf_counter() - t0, 2)
        rows = [
            row(
                "load (generate + summaries)",
                size,
                times=[info["seconds"]["total"] * 1000] if "total" in info["seconds"] else None,
                note=f"{info.get('rows_total', 0):,} rows, {info['open']:,} open trajectories",
            )
        ]
        print("deadline job ...", flush=True)
        rows += measure_job_worker(size, args.database_url, ref)
        rows += measure_job(size, args.database_url, ref)
        print("pages ...", flush=True)
        rows += measure_pages(size, info, args.requests)
        print("PDFs ...", flush=True)
        rows += measure_pdfs(size, info, year, args.pdf_reps)
        report["sizes"][str(size)] = {"data": info, "measurements": rows}
        from benchmarks import suppression  # what the reports hide (benchmarks/suppression.py)

        report["sizes"][str(size)]["suppression"] = suppression.print_rows(suppression.measure(year))
        all_rows += rows
        print()
        print_table(rows)

    print("\n=== summary ===")
    print(
        f"machine: nproc {info_machine['nproc']}, {info_machine['cpu']}, {info_machine['memory_gb']} GB; "
        f"{info_machine['postgresql'].split(',')[0]}"
    )
    print_table(all_rows)
    print_scaling(all_rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "latest.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print(f"\nresults: {out.relative_to(ROOT)}")


def _describe_existing(ref: date) -> dict:
    """What ``generate`` would report, for data that is already loaded (``--reuse``)."""
    from django.db.models import Count

    from trajecten.models import Traject

    total = Traject.objects.count()
    open_qs = Traject.objects.exclude(status=Traject.Status.AFGESLOTEN)
    largest = (
        Traject.objects.values("entiteit_id", "entiteit__code")
        .annotate(n=Count("id"))
        .order_by("-n", "entiteit_id")
        .first()
    )
    return {
        "reference_date": ref.isoformat(),
        "trajecten": total,
        "open": open_qs.count(),
        "largest_entity": {
            "id": largest["entiteit_id"],
            "code": largest["entiteit__code"],
            "trajecten": largest["n"],
            "open": open_qs.filter(entiteit_id=largest["entiteit_id"]).count(),
        },
        "seconds": {},
        "reused": True,
    }


if __name__ == "__main__":
    main()
