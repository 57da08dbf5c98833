"""A bounded load run against gunicorn: simulated users browse and register, with think time (see
benchmarks/README.md, "Under load").

    python benchmarks/load.py [--users 50] [--duration 120] [--workers 3] \\
        [--database-url postgres://postgres@127.0.0.1:5432/reintegratie_bench]

Uses the data that ``benchmarks/run.py`` or ``benchmarks/generate.py`` loaded (it generates nothing), starts
gunicorn with the production settings on 127.0.0.1 (this process's child, stopped at the end), logs every
simulated user in as ``benchmarks/run.py`` does (``force_login``: a session in the database, its cookie sent
over HTTP), and runs one thread per user for ``--duration`` seconds. Only the standard library talks HTTP.

The mix (each user waits ``--think`` seconds, uniformly, between actions):

- 80 % terugkeercoaches of the 20 largest entities: their worklist (own, the entity's, with filters, a
  next page, a search), dossiers and histories of open trajectories of their entity, and registering a
  conversation (the form, then its POST, which must redirect: saved);
- 10 % HR of those entities: their dashboard, the worklist, the reports list;
- 10 % AgO: the VO-wide dashboard and an entity's, the worklist over all entities (filters, pages), the
  reports list.

Every response must be 200 (302 after a POST); anything else, or a connection error, is an error. Prints
per action and overall: requests, errors, p50/p95/p99/max latency (client side, through HTTP), and the
machine's load; writes ``benchmarks/results/load.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import DEFAULT_DATABASE_URL, setup_django  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
BUDGET_P95_MS = 300
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="formulier" value="([^"]+)"')
URLS: dict[str, str] = {}  # the reporting app's URLs, reversed once Django is set up


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)] if s else float("nan")


class Session:
    """One simulated user's HTTP conversation: its cookies, one connection per request (gunicorn's sync
    workers close the connection after each response)."""

    def __init__(self, host: str, port: int, cookies: dict[str, str], record):
        self.host, self.port, self.cookies, self.record = host, port, dict(cookies), record

    def request(self, action: str, method: str, path: str, form: dict | None = None, expect=(200,)) -> str:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        t0 = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            status = resp.status
            for value in resp.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            conn.close()
        except OSError as exc:
            self.record(action, (time.perf_counter() - t0) * 1000, f"{type(exc).__name__}: {exc}")
            return ""
        ms = (time.perf_counter() - t0) * 1000
        self.record(action, ms, None if status in expect else f"HTTP {status} {method} {path}")
        return text


def plan(seed: int, users: int) -> list[dict]:
    """Who the simulated users are, with what they may open (from the loaded data)."""
    from django.db.models import Count
    from django.test import Client

    from entiteiten.models import Gebruiker
    from trajecten.models import Traject

    rng = random.Random(seed)
    largest = list(
        Traject.objects.values_list("entiteit_id", flat=True)
        .annotate(n=Count("id"))
        .order_by("-n", "entiteit_id")[:20]
    )
    open_by_entity: dict[int, list[int]] = defaultdict(list)
    names: dict[int, list[str]] = defaultdict(list)
    for pk, ent, surname in (
        Traject.objects.filter(entiteit_id__in=largest)
        .exclude(status=Traject.Status.AFGESLOTEN)
        .values_list("pk", "entiteit_id", "personeelslid__achternaam")
    ):
        open_by_entity[ent].append(pk)
        names[ent].append(surname)
    coaches = list(
        Gebruiker.objects.filter(rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit_id__in=largest, is_active=True)
    )
    hrs = list(Gebruiker.objects.filter(rol=Gebruiker.Rol.HR, entiteit_id__in=largest, is_active=True))
    agos = list(Gebruiker.objects.filter(rol=Gebruiker.Rol.AGO, is_active=True))
    if not (coaches and hrs and agos):
        raise SystemExit("no benchmark data: run benchmarks/generate.py or benchmarks/run.py first")
    n_hr = n_ago = max(1, users // 10)
    roles = ["ago"] * n_ago + ["hr"] * n_hr + ["coach"] * (users - n_hr - n_ago)
    out = []
    pools = {"coach": coaches, "hr": hrs, "ago": agos}
    for i, role in enumerate(roles):
        user = pools[role][i % len(pools[role])]
        client = Client()
        client.force_login(user)  # as benchmarks/run.py: a session in the database
        ent = user.entiteit_id
        out.append(
            {
                "role": role,
                "username": user.username,
                "cookies": {"sessionid": client.cookies["sessionid"].value},
                "open": open_by_entity.get(ent, []) if role != "ago" else [],
                "names": names.get(ent, []) or ["a"],
                "entities": largest,
                "seed": rng.randrange(1 << 30),
            }
        )
    return out


def coach_action(s: Session, u: dict, rng: random.Random) -> None:
    r = rng.random()
    if r < 0.25 or not u["open"]:
        s.request("worklist (own)", "GET", "/trajecten/")
    elif r < 0.35:
        s.request("worklist (entity)", "GET", "/trajecten/?wie=alle")
    elif r < 0.45:
        query = rng.choice(
            [
                {"wie": "alle", "te_laat": "on"},
                {"wie": "alle", "pagina": 2},
                {"wie": "alle", "soort": "formeel"},
                {"wie": "alle", "q": rng.choice(u["names"])},
            ]
        )
        s.request("worklist (filters)", "GET", "/trajecten/?" + urlencode(query))
    elif r < 0.80:
        s.request("dossier", "GET", f"/trajecten/{rng.choice(u['open'])}/")
    elif r < 0.88:
        s.request("history", "GET", f"/trajecten/{rng.choice(u['open'])}/historiek/")
    else:
        pk = rng.choice(u["open"])
        html = s.request("register conversation (form)", "GET", f"/trajecten/{pk}/gesprek/")
        csrf, token = CSRF.search(html), TOKEN.search(html)
        if not (csrf and token):
            return  # the form's failure was recorded (or the action is not allowed: recorded as 200 anyway)
        form = {
            "csrfmiddlewaretoken": csrf.group(1),
            "formulier": token.group(1),
            "datum": date.today().strftime("%d/%m/%Y"),
            "soort": "gesprek",
            "vorm": "telefoon",
            "gevoerd_door": "coach",
            "uitkomst": "",
        }
        s.request("register conversation (POST)", "POST", f"/trajecten/{pk}/gesprek/", form, expect=(302,))


def hr_action(s: Session, u: dict, rng: random.Random) -> None:
    r = rng.random()
    if r < 0.6:
        s.request("dashboard HR", "GET", URLS["dashboard"])
    elif r < 0.8:
        s.request("worklist (HR)", "GET", "/trajecten/")
    else:
        s.request("reports list", "GET", URLS["rapporten"])


def ago_action(s: Session, u: dict, rng: random.Random) -> None:
    r = rng.random()
    if r < 0.25:
        s.request("dashboard AgO", "GET", URLS["dashboard"])
    elif r < 0.4:
        s.request(
            "dashboard AgO (entity)",
            "GET",
            URLS["dashboard"] + f"?{urlencode({'entiteit': rng.choice(u['entities'])})}",
        )
    elif r < 0.65:
        s.request("worklist AgO", "GET", "/trajecten/")
    elif r < 0.85:
        query = rng.choice([{"te_laat": "on"}, {"pagina": rng.randint(2, 40)}, {"q": rng.choice(u["names"])}])
        s.request("worklist AgO (filters, pages)", "GET", "/trajecten/?" + urlencode(query))
    else:
        s.request("reports list", "GET", URLS["rapporten"])


def run_user(u: dict, host: str, port: int, until: float, think: tuple[float, float], record) -> None:
    rng = random.Random(u["seed"])
    s = Session(host, port, u["cookies"], record)
    act = {"coach": coach_action, "hr": hr_action, "ago": ago_action}[u["role"]]
    time.sleep(rng.uniform(0, think[1]))  # users do not all start at the same moment
    while time.monotonic() < until:
        act(s, u, rng)
        time.sleep(rng.uniform(*think))


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "reintegratie.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore:No directory at"}  # WhiteNoise: no collectstatic here
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603 - our own command line
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/aanmelden/")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit {proc.returncode})") from None
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 20 s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="A bounded load run against gunicorn (benchmarks/README.md)."
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds")
    parser.add_argument(
        "--think",
        default="3,10",
        help="think time between a user's actions, min,max seconds (reading a page)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile's 3)")
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    think = tuple(float(x) for x in args.think.split(","))

    setup_django(args.database_url)
    from django.urls import reverse

    URLS.update(dashboard=reverse("dashboard"), rapporten=reverse("rapporten"))
    users = plan(args.seed, args.users)
    from django.db import connection

    connection.close()  # the threads only talk HTTP
    proc = start_gunicorn(args.port, args.workers)
    lock = threading.Lock()
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)

    def record(action: str, ms: float, error: str | None) -> None:
        with lock:
            samples[action].append(ms)
            if error:
                errors[action].append(error)

    load_before = os.getloadavg()
    mix = ", ".join(f"{r}: {sum(u['role'] == r for u in users)}" for r in ("coach", "hr", "ago"))
    print(
        f"{len(users)} users ({mix}), "
        f"{args.duration:.0f} s, think {think[0]}-{think[1]} s, gunicorn {args.workers} workers on 127.0.0.1:{args.port}; "
        f"load average before {load_before[0]:.2f}",
        flush=True,
    )
    t_start = time.monotonic()
    until = t_start + args.duration
    threads = [
        threading.Thread(target=run_user, args=(u, "127.0.0.1", args.port, until, think, record), daemon=True)
        for u in users
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        elapsed = time.monotonic() - t_start
        load_after = os.getloadavg()
        proc.terminate()
        proc.wait(timeout=30)

    everything = [ms for v in samples.values() for ms in v]
    n_errors = sum(len(v) for v in errors.values())
    rows = []
    for action in sorted(samples):
        v = samples[action]
        rows.append(
            {
                "action": action,
                "requests": len(v),
                "errors": len(errors[action]),
                "p50_ms": round(pct(v, 50), 1),
                "p95_ms": round(pct(v, 95), 1),
                "p99_ms": round(pct(v, 99), 1),
                "max_ms": round(max(v), 1),
            }
        )
    total = {
        "action": "all requests",
        "requests": len(everything),
        "errors": n_errors,
        "p50_ms": round(pct(everything, 50), 1),
        "p95_ms": round(pct(everything, 95), 1),
        "p99_ms": round(pct(everything, 99), 1),
        "max_ms": round(max(everything), 1) if everything else None,
    }
    width = max(len(r["action"]) for r in [*rows, total])
    print(f"\n{'action'.ljust(width)}  requests  errors   p50 ms   p95 ms   p99 ms   max ms")
    for r in [*rows, total]:
        print(
            f"{r['action'].ljust(width)}  {r['requests']:8d}  {r['errors']:6d}  {r['p50_ms']:7.1f}  {r['p95_ms']:7.1f}"
            f"  {r['p99_ms']:7.1f}  {r['max_ms']:7.1f}"
        )
    ok = n_errors == 0 and total["p95_ms"] < BUDGET_P95_MS
    print(
        f"\n{len(everything) / elapsed:.1f} requests/s over {elapsed:.0f} s; load average during the run "
        f"(1 min, at the end) {load_after[0]:.2f}, CPUs {os.cpu_count()}"
    )
    print(f"budget: no errors, p95 < {BUDGET_P95_MS} ms: {'OK' if ok else 'MISSED'}")
    for action, errs in errors.items():
        if errs:
            print(f"  errors in {action}: {len(errs)}, e.g. {errs[0]}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "load.json"
    out.write_text(
        json.dumps(
            {
                "users": args.users,
                "duration_s": args.duration,
                "think_s": think,
                "workers": args.workers,
                "elapsed_s": round(elapsed, 1),
                "requests_per_s": round(len(everything) / elapsed, 1),
                "load_before": load_before,
                "load_after": load_after,
                "actions": rows,
                "total": total,
                "ok": ok,
                "errors": {k: v[:20] for k, v in errors.items()},
            },
            indent=2,
        )
    )
    print(f"results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
