"""The large case built in lanes side by side, one per CPU the load can use.

The generator's time goes to building objects in Python (factory_boy and the recipes), which keeps one CPU
busy while PostgreSQL's COPY leaves the other mostly idle. So the large case (``vo``) is built in ``LANES``
lanes: the entities are split over them (balanced by their number of trajectories), and each lane builds the
trajectories of its own entities in D0 order, with random streams of its own (from the seed and the lane) and
primary keys of its own (``Sleutels``: lane ``w`` of ``n`` takes every n-th key). What the builder keeps per
entity (the staff given an open trajectory, the absence periods per staff member, new staff members) never
crosses lanes, so the rows do not depend on how the lanes run:

- side by side (PostgreSQL, outside a transaction, where ``os.fork`` exists): the base data (entities, users,
  staff, the absence import) is committed first; then every lane but the first is built and written by a
  forked process on a connection of its own, the first by this process. Each lane writes in a transaction of
  its own, its foreign keys checked as it writes (``SET CONSTRAINTS ALL IMMEDIATE``), and commits only when
  every lane has written everything; when one fails, the others roll back (or are stopped) and the base data
  is removed again, so a failed load leaves the database as it found it.
- one after the other, in this process and its transaction (inside a transaction, e.g. a test; SQLite): the
  same rows.

Afterwards the tables' sequences are set past the largest key, so that later inserts get fresh keys.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, connections, transaction

from entiteiten.models import Entiteit, Gebruiker

from ..models import AfwezigheidImport, Personeelslid
from .bouwer import GESCHREVEN, Bouwer
from .verdeling import Slot

log = logging.getLogger(__name__)

LANES = 2

LANE_MODELS = GESCHREVEN  # the models the lanes write (their keys come from ``Sleutels``)


@dataclass
class Lane:
    """What one lane builds: its entities, their trajectories in D0 order, and the entities of its staff
    absent without a trajectory."""

    number: int
    codes: set[str] = field(default_factory=set)
    slots: list[Slot] = field(default_factory=list)
    zonder_traject: list[str] = field(default_factory=list)


@dataclass
class LaneResult:
    pid: int  # the process that built the lane
    rows: int
    counts: Counter
    stats: Counter
    per_soort_status: Counter


def split(codes: list[str], slots: list[Slot], zonder_traject: list[str], lanes: int) -> list[Lane]:
    """The entities over ``lanes`` lanes, the largest first to the lane with the fewest trajectories so far;
    each lane gets the slots and absent staff of its entities, in their order."""
    per_code = Counter(slot.code for slot in slots)
    result = [Lane(i) for i in range(lanes)]
    load = [0] * lanes
    for code in sorted(codes, key=lambda c: (-per_code[c], c)):
        i = min(range(lanes), key=lambda j: (load[j], j))
        result[i].codes.add(code)
        load[i] += per_code[code]
    lane_of = {code: lane for lane in result for code in lane.codes}
    for slot in slots:
        lane_of[slot.code].slots.append(slot)
    for code in zonder_traject:
        lane_of[code].zonder_traject.append(code)
    return result


def load(b: Bouwer, slots: list[Slot], zonder_traject: list[str], seed: int, lanes: int, say=None) -> int:
    """Write the base data of ``b`` and build ``slots`` in ``lanes`` lanes; returns the rows the lanes wrote.
    The counters of ``b`` end up as if it had built everything itself."""
    plan = split(b.codes, slots, zonder_traject, lanes)
    postgres = connection.vendor == "postgresql"
    in_process = not postgres or connection.in_atomic_block or not hasattr(os, "fork")
    with transaction.atomic():
        b.schrijf_basis()
        start = (
            _key_starts() if postgres else None
        )  # elsewhere no COPY: bulk_create's keys, one lane after the other
        if in_process:
            results = [_run(b.baan(lane.number, lanes, seed, start), lane, say) for lane in plan]
    if not in_process:
        try:
            results = _side_by_side(b, plan, seed, start, say)
        except BaseException:
            _remove_base(b)
            raise
    if postgres:
        sequences_past_keys()
        analyse()
    return _merge(b, results)


def _run(lane_builder: Bouwer, lane: Lane, say=None) -> LaneResult:
    """Build and write one lane (in the caller's transaction)."""

    def say_lane(msg: str) -> None:
        say(f"lane {lane.number + 1}: {msg}")

    rows = lane_builder.bouw_en_schrijf(
        partial(lane_builder.bouw_slots, lane.slots, say=say_lane if say else None), lane.zonder_traject
    )
    return LaneResult(
        os.getpid(), rows, lane_builder.counts, lane_builder.stats, lane_builder.per_soort_status
    )


def _merge(b: Bouwer, results: list[LaneResult]) -> int:
    for r in results:
        b.counts.update(r.counts)
        b.stats.update(r.stats)
        b.per_soort_status.update(r.per_soort_status)
    return sum(r.rows for r in results)


def _key_starts() -> dict[str, int]:
    """Per lane table: its sequence's next value (taken, so that no other insert gets it)."""
    tables = [model._meta.db_table for model in LANE_MODELS]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT t, nextval(pg_get_serial_sequence(t, 'id')) FROM unnest(%s::text[]) AS t",
            [tables],
        )
        return dict(cur.fetchall())


def sequences_past_keys() -> None:
    """Set every lane table's sequence to its largest key, so that the next insert gets the key after it."""
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for model in LANE_MODELS:
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), MAX(id)) FROM {qn(table)} "  # noqa: S608
                "HAVING MAX(id) IS NOT NULL",
                [table],
            )


def analyse() -> None:
    """Statistics of the tables just loaded, so that what reads them next (the stored summaries, the first
    pages) is planned for their size: measured at 1,000,000, the summaries took 31 s without it and 18 s
    with it."""
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for model in LANE_MODELS:
            cur.execute(f"ANALYZE {qn(model._meta.db_table)}")


def _side_by_side(b: Bouwer, plan: list[Lane], seed: int, start: dict[str, int], say) -> list[LaneResult]:
    """Lanes 2.. in forked processes, lane 1 here; every lane commits only when all have written."""
    lanes = len(plan)
    context = multiprocessing.get_context("fork")
    connection.close()  # the children must not share this process's connection; each opens its own
    children = []
    for lane in plan[1:]:
        here, there = context.Pipe()
        builder = b.baan(lane.number, lanes, seed, start)
        process = context.Process(target=_child, args=(there, builder, lane, say), daemon=True)
        process.start()
        there.close()
        children.append((process, here))
    try:
        with transaction.atomic():
            _check_foreign_keys_at_once()
            results = [_run(b.baan(0, lanes, seed, start), plan[0], say)]
            for process, here in children:
                status, value = _receive(here, process)
                if status != "klaar":
                    raise RuntimeError(f"lane in process {process.pid} failed:\n{value}")
                results.append(value)
            for _process, here in children:
                here.send("commit")
            for process, here in children:
                status, value = _receive(here, process)
                if status != "gecommit":
                    raise RuntimeError(f"lane in process {process.pid} did not commit:\n{value}")
        return results
    except BaseException:
        for process, _here in children:
            if process.is_alive():
                process.terminate()  # its connection closes and its transaction is rolled back
        raise
    finally:
        for process, here in children:
            process.join()
            here.close()


def _receive(here, process) -> tuple[str, object]:
    try:
        return here.recv()
    except EOFError:
        process.join()
        return "fout", f"the process ended without an answer (exit code {process.exitcode})"


def _child(there, builder: Bouwer, lane: Lane, say) -> None:
    """A forked lane: build and write in a transaction of its own, report, commit when told to."""

    class RolledBack(Exception):
        pass

    try:
        try:
            _own_connections()
            with transaction.atomic():
                _check_foreign_keys_at_once()
                there.send(("klaar", _run(builder, lane, say)))
                if there.recv() != "commit":
                    raise RolledBack
            there.send(("gecommit", None))
        except RolledBack:
            pass
        except BaseException:  # noqa: BLE001 - every failure goes to the parent, which stops the load
            there.send(("fout", traceback.format_exc()))
    finally:
        connection.close()
        there.close()


def _own_connections() -> None:
    """In a forked lane: fresh connection wrappers, so that it opens connections of its own. The parent closed
    its connection before forking, but the wrappers this process sees need not be the ones the parent used:
    Django keeps them per thread, or per context while an event loop runs (as Playwright's sync API leaves one
    in the tests), and the loop does not run in a child. A wrapper inherited open would share the parent's
    socket; it is dropped unused (psycopg never closes a connection that another process opened)."""
    for alias in connections:
        connections[alias] = connections.create_connection(alias)


def _check_foreign_keys_at_once() -> None:
    """Check the foreign keys as rows are written, not all at the commit: a lane that commits cannot fail
    there (which would leave the other lanes committed), and the checks run in the lanes side by side."""
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _remove_base(b: Bouwer) -> None:
    """Remove the committed base data of a failed load (the lanes rolled back): the database as before."""
    with transaction.atomic():
        for model, pks in (
            (AfwezigheidImport, [b.afwezigheid_import.pk]),
            (Personeelslid, [p.pk for staff in b.pool.values() for p in staff]),
            (Gebruiker, [g.pk for g in b.nieuwe_gebruikers]),
            (Entiteit, [e.pk for e in b.entiteiten.values()]),
        ):
            if pks:
                model._base_manager.filter(pk__in=pks)._raw_delete(connection.alias)
    log.warning("generator: a lane failed; the base data written before the lanes was removed again")
