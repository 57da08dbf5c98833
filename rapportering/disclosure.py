"""Disclosure control of the reports: which figures are hidden, and with which marker.

Entry point: a :class:`Protection`, made once per report. The report declares every figure it prints
(``cell``), every sum a reader can check (``equation``: a total with its parts, also across tables and
with figures a reader can derive but that are not printed, such as "eligible minus on time") and that is
all; ``solve`` decides. Every table, chart and export then asks ``text(key)`` / ``hidden(key)`` /
``value(key)`` / ``share(part, whole)`` of the same object, so one figure is shown or hidden the same way
everywhere in the report (a figure printed in two tables is one cell: the same key).

The rules (threshold T = ``settings.REPORT_MIN_CELL``):

- *Primary*: a printed count of 1 to T-1 persons shows as ``<T`` (e.g. "<5"). Zero shows as 0.
- *Secondary*: a count of T or more shows as ``×`` when it is hidden only to protect a small cell. A
  reader therefore knows a ``<T`` cell holds 1..T-1 and a ``×`` cell at least T.
- *Protected* means: with everything printed (the shown figures, the sums, the markers), the linear
  bounds a reader can derive for every small cell (printed or derivable) still contain both 1 and T-1:
  nothing narrows "<5" down to fewer values than the marker claims. Where the markers themselves already
  narrow a cell (a "<5" total of two "<5" parts: each part is at most 3), the cell is protected up to
  what the markers allow. ``tests/rapportering/test_disclosure.py`` plays that reader with ``scipy.optimize.linprog``.
- *Choice*: secondary cells are found one small cell at a time with a linear program (HiGHS) that looks
  for a way the table could change (all printed sums unchanged) that moves the small cell to 1 and to
  T-1, paying for each cell it must hide with the persons in it; a total or subtotal costs far more, so it
  is hidden only when nothing else protects. Hiding more cells never helps a reader, so one pass over the
  small cells suffices.

Shares and durations derived from a hidden count are hidden with it (``×``: no figure is claimed).

A new table in a report: declare its counts and sums in a function registered in
``rapportering.tables.FIGURES_DECLARATIONS`` (per group of trajectories) or ``VO_DECLARATIONS`` (VO-wide
only), and print ``figures_protection(f).text(key)`` / ``vo_protection(report).text(key)``. Use the same
key for a figure another table prints already; declare a count a reader can subtract from a printed
whole with ``subset`` (the difference is a cell too).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache

SECONDARY = "×"
CACHE_SECONDS = 7 * 24 * 3600

# Answers solved before and kept with the figures they protect (the stored year figures: see
# rapportering.services.store_year), given to ``solve`` by whoever read them (``known``): an emptied cache
# (Redis restarted, a deploy) must never make a dashboard request solve the VO-wide protection, which took
# 40 s at 1,000,000 trajectories, longer than a web worker may take.
_known: ContextVar[dict[str, list[str]] | None] = ContextVar("disclosure_known", default=None)
_recording: ContextVar[dict[str, list[str]] | None] = ContextVar("disclosure_recording", default=None)


@contextmanager
def known(answers: dict[str, list[str]]) -> Iterator[None]:
    """In the block, a protection whose fingerprint is in ``answers`` takes its secondary cells from there
    when the cache does not hold them."""
    token = _known.set(answers)
    try:
        yield
    finally:
        _known.reset(token)


def cache_key(fingerprint: str) -> str:
    return "disclosure:" + fingerprint


@contextmanager
def recording() -> Iterator[dict[str, list[str]]]:
    """Collect {fingerprint: secondary cells} of every protection solved (or found) in the block."""
    answers: dict[str, list[str]] = {}
    token = _recording.set(answers)
    try:
        yield answers
    finally:
        _recording.reset(token)


TOTAL_COST = (
    1000  # a total or subtotal costs this many times its persons: hidden only when nothing else helps
)
_EPS = 1e-6


def _linprog(*args, **kwargs):
    """``scipy.optimize.linprog``, imported on first use: SciPy's optimiser takes some 0.3 s to import, and
    every process that resolves a URL imports this module (the deadline job's mails, the web workers),
    while only the nightly figures job and a report being made solve a linear program."""
    from scipy.optimize import linprog

    return linprog(*args, **kwargs)


ALGORITHM = 2  # part of the cache key: raise it when the choice of cells changes

Key = Hashable


def threshold() -> int:
    return settings.REPORT_MIN_CELL


def is_small(n: int | None) -> bool:
    return n is not None and 0 < n < threshold()


def marker() -> str:
    """The marker of a primary cell: "<5" (1 to 4 persons)."""
    return f"<{threshold()}"


def show(n: int | None, hidden: bool = False) -> str:
    """A count on its own (not part of a Protection): 1..T-1 is always the primary marker, a count hidden
    by secondary suppression is "×", None is "—"."""
    if n is None:
        return "—"
    if is_small(n):
        return marker()
    return SECONDARY if hidden and n else str(n)


def days(d, attr: str, hidden: bool = False) -> str:
    """A quartile or median of a Duration (n days): "—" for no one, "×" when its group is hidden or small."""
    if d.n == 0:
        return "—"
    if hidden or d.n < threshold():
        return SECONDARY
    return f"{getattr(d, attr):.0f}"


def share(part: int, whole: int) -> str:
    """A percentage on its own (not part of a Protection): "×" when the part, the whole or the rest
    (whole - part) is 1..T-1, so that the share gives no small group away."""
    if whole == 0:
        return "—"
    if is_small(whole) or is_small(part) or is_small(whole - part):
        return SECONDARY
    return f"{round(100 * part / whole)}%"


@dataclass
class _Cell:
    value: int
    published: bool
    total: bool


class Protection:
    """The cells of one report and the sums between them; ``solve`` then says which ones to hide."""

    def __init__(self, t: int | None = None):
        self.t = t if t is not None else threshold()
        self.cells: dict[Key, _Cell] = {}
        self.equations: list[tuple[Key, tuple[Key, ...]]] = []
        self.secondary: set[Key] = set()
        self.solved = False

    # --- declaring ------------------------------------------------------------------------------------

    def cell(self, key: Key, value: int, *, total: bool = False, published: bool = True) -> Key:
        """A printed count (or, with ``published=False``, one a reader can derive but that is not printed).
        The same key twice is the same figure (it must have the same value)."""
        value = int(value)
        old = self.cells.get(key)
        if old is None:
            self.cells[key] = _Cell(value, published, total)
        else:
            if old.value != value:
                raise ValueError(f"cell {key!r} declared with {old.value} and {value}")
            old.published |= published
            old.total |= total
        return key

    def equation(self, total: Key, parts: Iterable[Key]) -> bool:
        """total = sum of parts, when it holds for the figures (only a sum that holds helps a reader).
        One part: the two keys show the same figure (a link between tables)."""
        parts = tuple(parts)
        if self.cells[total].value != sum(self.cells[p].value for p in parts):
            return False
        self.equations.append((total, parts))
        return True

    def subset(self, whole: Key, part: Key, rest_key: Key) -> None:
        """``part`` counts some of the persons of ``whole``: the rest (whole - part) is derivable, so it is
        an unprinted cell that must be protected too when it is small."""
        self.cell(rest_key, self.cells[whole].value - self.cells[part].value, published=False)
        self.equation(whole, [part, rest_key])

    # --- asking ---------------------------------------------------------------------------------------

    def _ensure(self) -> None:
        if not self.solved:
            self.solve()

    def is_primary(self, key: Key) -> bool:
        c = self.cells[key]
        return c.published and 0 < c.value < self.t

    def hidden(self, key: Key) -> bool:
        self._ensure()
        return self.is_primary(key) or key in self.secondary

    def marker(self, key: Key) -> str:
        """ "<5" (primary), "×" (secondary) or "" (shown)."""
        if self.is_primary(key):
            return f"<{self.t}"
        self._ensure()
        return SECONDARY if key in self.secondary else ""

    def text(self, key: Key) -> str:
        return self.marker(key) or str(self.cells[key].value)

    def value(self, key: Key) -> int | None:
        """The figure for a chart bar: None where the table hides it."""
        return None if self.hidden(key) else self.cells[key].value

    def share(self, part: Key, whole: Key) -> str:
        """part / whole as a percentage: "—" for an empty whole, "×" when either count is hidden."""
        w = self.cells[whole].value
        if w == 0:
            return "—"
        if self.hidden(part) or self.hidden(whole):
            return SECONDARY
        return f"{round(100 * self.cells[part].value / w)}%"

    # --- solving --------------------------------------------------------------------------------------

    def fingerprint(self) -> str:
        payload = [
            ALGORITHM,
            self.t,
            sorted((repr(k), c.value, c.published, c.total) for k, c in self.cells.items()),
            sorted((repr(t), sorted(map(repr, p))) for t, p in self.equations),
        ]
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()

    def solve(self, use_cache: bool = True) -> Protection:
        """Choose the secondary cells (once; the answer is cached by the figures' fingerprint, and taken from
        the ``known`` answers when the cache lost it)."""
        fingerprint = self.fingerprint()
        key = cache_key(fingerprint) if use_cache else None
        found = cache.get(key) if key else None
        if found is None and use_cache:
            found = (_known.get() or {}).get(fingerprint)
            if found is not None:
                cache.set(key, found, CACHE_SECONDS)
        if found is None:
            found = _Solver(self).run()
            if key:
                cache.set(key, found, CACHE_SECONDS)
        if (answers := _recording.get()) is not None:
            answers[fingerprint] = list(found)
        keys = {repr(k): k for k in self.cells}
        self.secondary = {keys[r] for r in found}
        self.solved = True
        return self

    def counts(self, only=None) -> dict[str, int]:
        """Printed cells shown / primary / secondary, and the persons in secondary cells (of the cells for
        which ``only(key)``, or all)."""
        self._ensure()
        printed = [k for k, c in self.cells.items() if c.published and (only is None or only(k))]
        primary = [k for k in printed if self.is_primary(k)]
        secondary = [k for k in printed if k in self.secondary]
        return {
            "cells": len(printed),
            "shown": len(printed) - len(primary) - len(secondary),
            "primary": len(primary),
            "secondary": len(secondary),
            "secondary_persons": sum(self.cells[k].value for k in secondary),
            "secondary_totals": sum(1 for k in secondary if self.cells[k].total),
        }


class _Solver:
    """Secondary suppression for one Protection (see the module's description)."""

    def __init__(self, p: Protection):
        self.p, self.t = p, p.t
        self.keys = list(p.cells)
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.value = np.array([p.cells[k].value for k in self.keys], dtype=float)
        self.published = np.array([p.cells[k].published for k in self.keys])
        self.total = np.array([p.cells[k].total for k in self.keys])
        self.rows = [(self.index[t], [self.index[x] for x in parts]) for t, parts in p.equations]
        self.eq_of: list[list[int]] = [[] for _ in self.keys]
        for e, (t, parts) in enumerate(self.rows):
            for i in (t, *parts):
                self.eq_of[i].append(e)
        self.primary = self.published & (self.value > 0) & (self.value < self.t)
        self.sensitive = (self.value > 0) & (self.value < self.t)
        self.hidden = self.primary.copy()

    def domain(self, i: int) -> tuple[float, float | None]:
        """What a reader knows of cell i when it is not shown."""
        if not self.published[i]:
            return 0.0, None
        if self.primary[i]:
            return 1.0, float(self.t - 1)
        return float(self.t), None

    def free(self, i: int) -> bool:
        """Unknown to a reader: hidden or not printed."""
        return bool(self.hidden[i] or not self.published[i])

    def component(self, start: int, through) -> list[int]:
        """The cells linked to ``start`` by equations, walking only through cells for which ``through``."""
        seen, todo, eqs = {start}, [start], set()
        while todo:
            i = todo.pop()
            for e in self.eq_of[i]:
                if e in eqs:
                    continue
                eqs.add(e)
                t, parts = self.rows[e]
                for j in (t, *parts):
                    if j not in seen and through(j):
                        seen.add(j)
                        todo.append(j)
        return sorted(seen)

    def _system(self, cells: list[int]):
        """Equations restricted to ``cells`` (the others are constants): sparse A, b with A x = b."""
        pos = {i: n for n, i in enumerate(cells)}
        data, ri, ci, b = [], [], [], []
        eqs = sorted({e for i in cells for e in self.eq_of[i]})
        for r, e in enumerate(eqs):
            t, parts = self.rows[e]
            rhs = 0.0
            for j, sign in ((t, 1.0), *((x, -1.0) for x in parts)):
                if j in pos:
                    data.append(sign), ri.append(r), ci.append(pos[j])
                else:
                    rhs -= sign * self.value[j]
            b.append(rhs)
        from scipy.sparse import coo_array  # (SciPy imported when a table is protected: see _linprog)

        return coo_array((data, (ri, ci)), shape=(len(eqs), len(cells))).tocsr(), np.array(b)

    def bounds(self, s: int, all_hidden: bool = False) -> tuple[float, float]:
        """A reader's linear bounds of cell s; with ``all_hidden`` as if every non-zero cell were hidden
        (what the markers alone allow)."""

        def unknown(j):
            return self.free(j) or (all_hidden and self.value[j] > 0)

        cells = self.component(s, unknown)
        if len(cells) == 1:  # alone: any sum it is in gives it away; in none, the reader knows its domain
            lo, hi = self.domain(s)
            pinned = bool(self.eq_of[s])
            return (self.value[s], self.value[s]) if pinned else (lo, np.inf if hi is None else hi)
        bnds = [
            self.domain(j) if self.free(j) or j == s else (float(self.t), None)
            for j in cells  # (with all_hidden, a shown non-zero cell would be "×": at least T)
        ]
        eqs = {e for j in cells for e in self.eq_of[j]}
        if len(eqs) == 1:  # one sum (e.g. a column of the extract): its bounds need no linear program
            return self._one_sum(s, cells, bnds, *self.rows[eqs.pop()])
        a, b = self._system(cells)
        c = np.zeros(len(cells))
        c[cells.index(s)] = 1.0
        out = []
        for sign in (1.0, -1.0):
            res = _linprog(
                sign * c, A_eq=a if a.shape[0] else None, b_eq=b if a.shape[0] else None, bounds=bnds
            )
            out.append(sign * res.fun if res.status == 0 else (np.inf * -sign if res.status == 3 else np.nan))
        return out[0], out[1]

    def _one_sum(self, s: int, cells: list[int], bnds, total: int, parts: list[int]) -> tuple[float, float]:
        """Bounds of cell s when the unknown ``cells`` meet in one sum only (total = sum of parts)."""
        sign = {total: 1.0, **{p: -1.0 for p in parts}}
        dom = dict(zip(cells, bnds, strict=True))
        rhs = -sum(sign[j] * self.value[j] for j in sign if j not in dom)
        low = high = 0.0  # the range of the other unknowns' signed sum
        for j in cells:
            if j == s:
                continue
            lo, hi = dom[j]
            hi = np.inf if hi is None else hi
            a, b = sign[j] * lo, sign[j] * hi
            low, high = low + min(a, b), high + max(a, b)
        lo_s, hi_s = dom[s]
        hi_s = np.inf if hi_s is None else hi_s
        if sign[s] > 0:  # x_s = rhs - others
            return max(lo_s, rhs - high), min(hi_s, rhs - low)
        return max(lo_s, low - rhs), min(hi_s, high - rhs)  # -x_s = rhs - others

    def protect(self, s: int, goal: float) -> bool:
        """Hide the cheapest cells that let cell s move to ``goal`` with every printed sum unchanged."""
        cells = self.component(s, lambda j: self.value[j] > 0 or not self.published[j])
        a, _b = self._system(cells)
        n = len(cells)
        lo, hi, cost = np.zeros(n), np.zeros(n), np.zeros(n)
        for k, j in enumerate(cells):
            dlo, dhi = self.domain(j)
            lo[k] = max(0.0, self.value[j] - dlo)  # how far it may go down (yn)
            hi[k] = np.inf if dhi is None else max(0.0, dhi - self.value[j])  # and up (yp)
            if self.free(j):
                cost[k] = _EPS
            else:
                cost[k] = self.value[j] * (TOTAL_COST if self.total[j] else 1)
        k = cells.index(s)
        # y = yp - yn; A y = 0; y_s = goal - value_s
        from scipy.sparse import coo_array, hstack, vstack

        a_eq = hstack([a, -a])
        row = np.zeros((1, 2 * n))
        row[0, k], row[0, n + k] = 1.0, -1.0
        a_eq = vstack([a_eq, coo_array(row)]).tocsr()
        b_eq = np.concatenate([np.zeros(a.shape[0]), [goal - self.value[s]]])
        res = _linprog(
            np.concatenate([cost, cost]),
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=list(zip(np.zeros(2 * n), np.concatenate([hi, lo]), strict=True)),
        )
        if res.status != 0:
            return False
        moved = res.x[:n] + res.x[n:]
        for k2, j in enumerate(cells):
            if moved[k2] > 1e-7 and not self.free(j):
                self.hidden[j] = True
        return True

    def run(self) -> list[str]:
        t = self.t
        for s in np.flatnonzero(self.sensitive):
            lo, hi = self.bounds(s)
            if hi < t - 1 - _EPS or lo > 1 + _EPS:
                best_lo, best_hi = self.bounds(s, all_hidden=True)
                up = min(t - 1.0, np.floor(best_hi + _EPS))
                down = max(1.0, np.ceil(best_lo - _EPS))
                if hi < up - _EPS:
                    self.protect(s, up)
                if lo > down + _EPS:
                    self.protect(s, down)
        return [repr(self.keys[i]) for i in np.flatnonzero(self.hidden & ~self.primary)]
