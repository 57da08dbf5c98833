"""The large case loaded in lanes (trajecten.generator.lanes): side by side in forked processes it writes
exactly the rows it writes one lane after the other in one transaction, the sequences continue after its
keys, and a lane that fails leaves the database as it was."""

import asyncio
from datetime import date

import pytest
from django.db import connection, transaction

from benchmarks.generate import generate, wipe
from entiteiten.models import Entiteit, Gebruiker
from trajecten import factories as f
from trajecten import models as m
from trajecten.generator import lanes
from trajecten.generator.bouwer import Bouwer

REF = date(2026, 3, 31)
N = 400


def load(**kwargs):
    return generate(N, seed=7, reference_date=REF, n_personeelsleden=1500, analyze=False, **kwargs)


def rows() -> dict[str, list[tuple]]:
    """Every row the lanes wrote, with its key, per table."""
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in lanes.LANE_MODELS}


def spy_lanes(monkeypatch) -> list:
    """The results of the lanes of every load (``LaneResult``: the process that built it, its rows)."""
    seen = []
    real = lanes._merge

    def merge(b, results):
        seen.append(results)
        return real(b, results)

    monkeypatch.setattr(lanes, "_merge", merge)
    return seen


@pytest.mark.django_db(transaction=True)
def test_side_by_side_writes_the_same_rows_as_one_lane_after_the_other(monkeypatch):
    seen = spy_lanes(monkeypatch)
    wipe()
    loaded = load()
    side_by_side = rows()
    # two lanes, the second built by another process, both with trajectories
    assert [len(results) for results in seen] == [2]
    assert len({r.pid for r in seen[0]}) == 2
    assert all(r.counts["Traject"] > 0 for r in seen[0])
    assert sum(r.counts["Traject"] for r in seen[0]) == N == loaded["trajecten"]
    assert len(side_by_side["Traject"]) == N

    with transaction.atomic():  # in a transaction: one lane after the other, in this process
        load(reset=True)
        one_after_the_other = rows()
    assert len(seen) == 2 and {r.pid for r in seen[1]} == {seen[0][0].pid}
    for model in lanes.LANE_MODELS:
        assert one_after_the_other[model.__name__] == side_by_side[model.__name__], model.__name__


@pytest.mark.django_db(transaction=True)
def test_the_lanes_open_connections_of_their_own_whatever_they_inherit(monkeypatch):
    """While an event loop runs in this thread (Playwright's sync API leaves one in the browser tests), Django
    keeps its connections per context, and a forked child, where that loop does not run, sees the thread's
    own wrapper, still connected: the lane must not talk over that socket."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    wipe()
    connection.ensure_connection()  # this thread's connection, open
    loop = asyncio.new_event_loop()
    asyncio._set_running_loop(loop)  # from here on another connection (per context) for this process
    try:
        load()
        assert m.Traject.objects.count() == N
    finally:
        connection.close()
        asyncio._set_running_loop(None)
        loop.close()
    assert m.Traject.objects.count() == N  # the thread's own connection still works


@pytest.mark.django_db(transaction=True)
def test_sequences_continue_after_the_lanes_keys():
    wipe()
    load()
    highest = {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first()
        for model in lanes.LANE_MODELS
    }
    # the lanes interleave their keys: both lanes' rows appear among the last ones
    assert {pk % 2 for pk in m.Traject.objects.order_by("-pk").values_list("pk", flat=True)[:50]} == {0, 1}
    t = f.TrajectFactory.create(
        entiteit=Entiteit.objects.first(), personeelslid=f.PersoneelslidFactory.create()
    )
    g = f.GesprekFactory.create(traject=t)
    assert t.pk == highest[m.Traject] + 1
    assert t.personeelslid.pk == highest[m.Personeelslid] + 1
    assert g.pk == highest[m.Gesprek] + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failing_lane", [0, 1], ids=["this process", "the forked process"])
def test_a_failing_lane_leaves_the_database_as_it_was(monkeypatch, failing_lane):
    wipe()
    existing = Gebruiker.objects.create_user("beheerder.x", password="x")  # noqa: S106 - a test user
    real = Bouwer.schrijf

    def schrijf(self):
        written = real(self)  # the failing lane has written rows before it fails
        if self.lane == failing_lane:
            raise RuntimeError("disk full")
        return written

    monkeypatch.setattr(Bouwer, "schrijf", schrijf)
    with pytest.raises(RuntimeError, match="disk full"):
        load()
    assert list(Gebruiker.objects.all()) == [existing]
    assert not Entiteit.objects.exists()
    for model in (*lanes.LANE_MODELS, m.AfwezigheidImport):
        assert not model.objects.exists(), model.__name__
    assert not connection.in_atomic_block


def test_split_balances_the_lanes_by_trajectories():
    from trajecten.generator.verdeling import Slot

    slots = [Slot(REF, "informeel", code, None) for code in ["A"] * 6 + ["B"] * 4 + ["C"] * 3 + ["D"]]
    plan = lanes.split(["A", "B", "C", "D", "E"], slots, ["E", "B", "E"], 2)
    assert [sorted(lane.codes) for lane in plan] == [["A", "D", "E"], ["B", "C"]]
    assert [len(lane.slots) for lane in plan] == [7, 7]
    assert [lane.zonder_traject for lane in plan] == [["E", "E"], ["B"]]
    assert [s.code for s in plan[0].slots] == ["A"] * 6 + ["D"]  # in their order
