"""Disclosure control (rapportering.disclosure), audited by a reader who attacks the published figures.

The reader knows every printed figure and every sum between them (rows, columns, subtotals, totals, the
same figure in two tables, a part subtracted from its whole), and what the markers say: "<5" holds 1..4
persons, "×" (hidden to protect another cell) at least 5, a printed 0 is 0, so every hidden cell is at
least 1. With ``scipy.optimize.linprog`` the reader computes the lowest and highest value of every
hidden cell (the linear relaxation, as statistical offices audit suppressed tables).

The protection criterion (rapportering.disclosure's docstring): for every small cell (1..4, printed or
derivable), the reader's interval reaches down to 1 and up to 4, except where the markers alone already
narrow it (the same reader who sees every non-zero figure hidden) — then as far as they allow; and no
hidden cell of a protected table is pinned to one value unless the markers alone pin it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest
from scipy.optimize import linprog

from benchmarks.generate import generate
from entiteiten.models import Entiteit
from rapportering import disclosure as dc
from rapportering import figures as fg
from rapportering import tables as tb

T = 5
LT = "<5"
X = dc.SECONDARY


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.REPORT_MIN_CELL = T


def reader_bounds(texts: dict, equations: list, unprinted=(), everything_hidden=False) -> dict:
    """What a reader can tell of each unknown cell: {key: (lo, hi)}. ``texts``: the printed text of each
    cell; ``equations``: (total, parts) over the keys; ``unprinted``: cells a reader can only derive.
    With ``everything_hidden``, every printed non-zero number counts as "×" (what the markers allow)."""

    def domain(k):
        if k in unprinted:
            return (0.0, None)
        s = texts[k]
        if s == LT:
            return (1.0, T - 1.0)
        if s == X or (everything_hidden and s != "0"):
            return (float(T), None)
        return None  # known

    unknown = [k for k in [*texts, *unprinted] if domain(k) is not None]
    # connected groups of unknown cells (shown cells are constants)
    parent = {k: k for k in unknown}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for total, parts in equations:
        ks = [k for k in (total, *parts) if k in parent]
        for k in ks[1:]:
            parent[root(k)] = root(ks[0])
    groups: dict = {}
    for k in unknown:
        groups.setdefault(root(k), []).append(k)
    out = {}
    for cells in groups.values():
        pos = {k: i for i, k in enumerate(cells)}
        a, b = [], []
        for total, parts in equations:
            if not any(k in pos for k in (total, *parts)):
                continue
            row, rhs = np.zeros(len(cells)), 0.0
            for k, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
                if k in pos:
                    row[pos[k]] += sign
                else:
                    rhs -= sign * float(texts[k])
            a.append(row)
            b.append(rhs)
        bounds = [domain(k) for k in cells]
        for k in cells:
            c = np.zeros(len(cells))
            c[pos[k]] = 1.0
            lo = linprog(c, A_eq=a or None, b_eq=b or None, bounds=bounds)
            hi = linprog(-c, A_eq=a or None, b_eq=b or None, bounds=bounds)
            assert lo.status in (0, 3) and hi.status in (0, 3), (k, lo.message, hi.message)
            out[k] = (lo.fun if lo.status == 0 else -np.inf, -hi.fun if hi.status == 0 else np.inf)
    return out


def audit(texts: dict, equations: list, raw: dict, unprinted=()) -> list[str]:
    """Every way the published figures give a small cell (or a hidden one) away; [] when protected."""
    problems = []
    for k, s in texts.items():
        v = raw[k]
        if s == LT and not 1 <= v <= T - 1:
            problems.append(f"{k}: {v} printed as {LT}")
        if s == X and v < T:
            problems.append(f"{k}: {v} printed as {X}")
        if s not in (LT, X) and s != str(v):
            problems.append(f"{k}: {v} printed as {s}")
        if s not in (LT, X) and 1 <= v <= T - 1:
            problems.append(f"{k}: small {v} printed")
    if problems:
        return problems
    bounds = reader_bounds(texts, equations, unprinted)
    best = reader_bounds(texts, equations, unprinted, everything_hidden=True)
    for k, (lo, hi) in bounds.items():
        v = raw[k]
        assert lo - 1e-6 <= v <= hi + 1e-6, (k, v, lo, hi)  # the reader's bounds are sound
        blo, bhi = best.get(k, (lo, hi))
        small = 1 <= v <= T - 1
        if small and (lo > max(1, blo) + 1e-6 or hi < min(T - 1, bhi) - 1e-6):
            problems.append(f"{k}: small cell {v} narrowed to [{lo:g}, {hi:g}]")
        if k not in unprinted and hi - lo < 1 - 1e-6 and bhi - blo >= 1 - 1e-6:
            problems.append(f"{k}: hidden cell pinned to {lo:g}")
    return problems


def audit_protection(p: dc.Protection) -> list[str]:
    p.solve(use_cache=False)
    printed = {k: p.text(k) for k, c in p.cells.items() if c.published}
    unprinted = {k for k, c in p.cells.items() if not c.published}
    raw = {k: c.value for k, c in p.cells.items()}
    return audit(printed, p.equations, raw, unprinted)


def table(rows: list[list[int]], totals=True) -> dc.Protection:
    """A hand-made table: the last column is each row's total, the last row each column's."""
    p = dc.Protection()
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            p.cell((r, c), v, total=totals and (r == len(rows) - 1 or c == len(row) - 1))
    for r, row in enumerate(rows):
        p.equation((r, len(row) - 1), [(r, c) for c in range(len(row) - 1)])
    for c in range(len(rows[0])):
        p.equation((len(rows) - 1, c), [(r, c) for r in range(len(rows) - 1)])
    return p


# --- the reader itself -----------------------------------------------------------------------------


def test_the_reader_finds_what_a_table_gives_away():
    eq = [("t", ["a", "b", "c"])]
    # one small cell next to a printed total: 22 - 9 - 10 = 3
    texts = {"a": LT, "b": "9", "c": "10", "t": "22"}
    assert reader_bounds(texts, eq) == {"a": (3, 3)}
    assert audit(texts, eq, {"a": 3, "b": 9, "c": 10, "t": 22}) == [
        "a: small cell 3 narrowed to [3, 3]",
        "a: hidden cell pinned to 3",
    ]
    # "×" is at least 5: "<5, ×, 10 | 16" gives 1 + 5
    texts = {"a": LT, "b": X, "c": "10", "t": "16"}
    assert reader_bounds(texts, eq) == {"a": (1, 1), "b": (5, 5)}
    # with more room, "<5, ×, 10 | 22": a in 1..4 and b in 8..11: protected
    texts = {"a": LT, "b": X, "c": "10", "t": "22"}
    assert reader_bounds(texts, eq) == {"a": (1, 4), "b": (8, 11)}
    assert audit(texts, eq, {"a": 3, "b": 9, "c": 10, "t": 22}) == []
    # a large number printed as "<5" is a lie a reader takes literally
    assert audit({"a": LT}, [], {"a": 237}) == ["a: 237 printed as <5"]


# --- hand-made tables --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        [[3, 7, 6, 16], [10, 10, 10, 30], [13, 17, 16, 46]],
        [[5, 1, 1, 7], [20, 30, 40, 90], [25, 31, 41, 97]],
        [[10, 1, 1, 12], [2, 4, 20, 26], [12, 5, 21, 38]],
        [[1, 1, 9, 11], [7, 30, 6, 43], [9, 20, 8, 37], [17, 51, 23, 91]],
        [[4, 0, 0, 4], [0, 2, 0, 2], [4, 2, 0, 6]],
        [[237, 3, 1, 241], [100, 50, 20, 170], [337, 53, 21, 411]],
    ],
    ids=["one small", "5 1 1 | 7", "two small", "four rows", "small totals", "<5 next to 241"],
)
def test_hand_made_tables_are_protected(rows):
    p = table(rows)
    assert audit_protection(p) == []


def test_a_total_is_hidden_only_when_nothing_else_protects():
    # 237 and 100 (row 0 and row 1 of the first column), then 50 and 20: the cheapest cells that let the
    # 3 and the 1 move over 1..4 with every sum unchanged; no total
    p = table([[237, 3, 1, 241], [100, 50, 20, 170], [337, 53, 21, 411]])
    assert p.solve(use_cache=False).secondary == {(0, 0), (1, 0), (1, 1), (1, 2)}
    # only small cells: 4 + 2 = 6 would narrow both "<5" totals of the columns (each at least 2); the
    # grand total is the only cell left to hide
    p = table([[4, 0, 0, 4], [0, 2, 0, 2], [4, 2, 0, 6]])
    assert p.solve(use_cache=False).secondary == {(2, 3)}


def test_less_than_five_next_to_241_is_not_printed_for_237():
    p = table([[237, 3, 1, 241], [100, 50, 20, 170], [337, 53, 21, 411]])
    assert p.text((0, 1)) == p.text((0, 2)) == LT
    assert p.text((0, 0)) == X  # never "<5"
    assert p.text((0, 3)) == "241"


def test_secondary_cells_hide_few_persons():
    # the small 2s protect each other through the 16 and the 17, not through the 90s
    p = table([[2, 16, 90, 108], [17, 2, 90, 109], [19, 18, 180, 217]])
    assert audit_protection(p) == []
    assert p.secondary == {(0, 1), (1, 0)}
    assert p.text((0, 1)) == p.text((1, 0)) == X


def test_a_lone_small_cell_in_no_sum_needs_no_protection():
    p = dc.Protection()
    p.cell("a", 3)
    p.cell("b", 40)
    assert p.solve(use_cache=False).secondary == set()
    assert (p.text("a"), p.text("b")) == (LT, "40")


def test_a_derivable_small_rest_is_protected():
    # 10 eligible, 7 on time: the 3 not on time is derivable (not printed) and small
    p = dc.Protection()
    p.cell("whole", 10, total=True)
    p.cell("part", 7)
    p.subset("whole", "part", "rest")
    assert audit_protection(p) == []
    assert p.text("part") == X and p.text("whole") == "10"
    assert p.share("part", "whole") == X


def test_zero_is_shown_and_shares_follow_their_counts():
    p = table([[0, 12, 12], [8, 9, 17], [8, 21, 29]])
    assert p.text((0, 0)) == "0" and p.secondary == set()
    assert p.share((0, 1), (2, 1)) == "57%"
    assert p.share((0, 0), (0, 0)) == "—"


def test_the_answer_is_cached_by_the_figures():
    p = table([[3, 7, 6, 16], [10, 10, 10, 30], [13, 17, 16, 46]])
    first = p.solve().secondary
    again = table([[3, 7, 6, 16], [10, 10, 10, 30], [13, 17, 16, 46]]).solve()
    assert again.secondary == first
    assert p.fingerprint() != table([[3, 7, 6, 16], [10, 10, 11, 31], [13, 17, 17, 47]]).fingerprint()


# --- the report's tables -----------------------------------------------------------------------------


def test_the_same_figure_is_hidden_alike_in_every_table():
    # The former leak: the EOC's "Gestart – Informeel" (28) was hidden in the counts table (to protect
    # formeel 2 next to the total 30) and printed as 28 in the timeliness table (its whole), giving
    # formeel = 30 - 28 = 2.
    started = Counter(informeel=28, formeel=2, totaal=30)
    f = fg.Figures(
        started=started,
        active=Counter(informeel=40, formeel=2, totaal=42),
        ongoing=Counter(informeel=12, totaal=12),
        closed=Counter(informeel=28, formeel=2, totaal=30),
        timeliness=Counter(eligible=28, gesprek_6w=20, gesprek_2m=25, positive=15, stappenplan_2m=10),
    )
    tables = tb.report_tables(f)
    counts, timeliness = tables[0], tables[1]
    started_informeel = counts.rows[0][1][0]
    eligible = timeliness.rows[0][1][0]
    assert started_informeel == eligible
    assert counts.rows[0][1][1] == LT  # the small formeel
    # and the whole report passes the reader's audit
    assert audit_protection(tb.figures_protection(f)) == []


def test_printed_tables_are_the_protections_texts(db):
    # every count a table prints is its cell's text (so auditing the Protection audits the tables)
    f = fg.Figures(
        started=Counter(informeel=28, formeel=2, totaal=30),
        active=Counter(informeel=40, formeel=2, totaal=42),
        ongoing=Counter(informeel=12, totaal=12),
        closed=Counter(informeel=28, formeel=2, totaal=30),
        relapse=Counter(returns=9, within_3m=1, within_12m=3),
    )
    p = tb.figures_protection(f)
    tables = tb.report_tables(f)
    assert [r[1] for r in tables[0].rows] == [
        [p.text((tb.EOC, kind, c)) for c in tb.COUNT_COLS] for kind in tb.KINDS
    ]
    assert [r[1][0] for r in tables[5].rows] == [
        p.text((tb.EOC, "herval", n)) for n in ("returns", "within_3m", "within_12m")
    ]
    # a "×" in a table is explained under it
    for t in tables:
        if any(c == X for _label, row in t.rows for c in row):
            assert "× verborgen om een kleine groep" in t.note, t.key


@pytest.mark.django_db
def test_generated_vo_data_passes_the_audit():
    """The benchmark generator at a modest size: the HOC (with the template and the extract) and every
    entity's EOC report pass the reader's audit; no VO-wide total is hidden."""
    ref = date(2026, 6, 30)
    generate(1000, seed=7, reference_date=ref, n_entiteiten=20, n_personeelsleden=600, analyze=False)
    report = fg.build(fg.Periode.year(2025))
    hoc = tb.vo_protection(report)
    assert audit_protection(hoc) == []
    assert not hoc.hidden((tb.VO, "active", "totaal"))
    c = hoc.counts()
    assert c["primary"] > 0  # the audit is not vacuous
    assert c["secondary"] < c["primary"]  # (at VO scale no VO total is hidden: benchmarks/suppression.py)
    for e in Entiteit.objects.all():
        assert audit_protection(tb.figures_protection(report.per_entity[e.pk])) == [], e.code
    # what the tables print is the protection's answer (HOC entity table, template)
    entity = tb.entity_table(report)
    first = report.entities[0]
    assert entity.rows[0][1] == [hoc.text((("e", first.pk), "active", col)) for col in tb.ENTITY_COLS]


@pytest.mark.parametrize("values", [(3, 2, 10, 15), (1, 1, 9, 11), (4, 4, 9, 17), (2, 3, 0, 5)])
def test_one_sum_bounds_match_the_linear_program(values):
    # a component of cells that meet in one sum only is bounded without a linear program (the extract's
    # columns): the same bounds as the reader's
    p = dc.Protection()
    for k, v in zip("abct", values, strict=True):
        p.cell(k, v, total=k == "t")
    p.equation("t", ["a", "b", "c"])
    solver = dc._Solver(p)
    texts = {k: LT if solver.hidden[solver.index[k]] else str(p.cells[k].value) for k in "abct"}
    expected = reader_bounds(texts, p.equations)
    for k, (lo, hi) in expected.items():
        assert solver.bounds(solver.index[k]) == pytest.approx((lo, hi)), k
