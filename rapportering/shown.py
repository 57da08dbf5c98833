"""What a report may state: the one adapter through which issue 12's findings, comparison and new tables
reach the anonymity rules. Today it calls rapportering.figures (``show``, ``share``, ``marker``,
``suppress_groups``); when suppression moves to rapportering.disclosure, only this module changes."""

from __future__ import annotations

from . import figures as fg

Cell = fg.Cell


def count(n: int | None, hidden: bool = False) -> str:
    """A count as printed: the number, or the marker when it is small or hidden to protect a small one."""
    return fg.show(n, hidden)


def share(part: int, whole: int) -> str:
    """A percentage, or the marker when the part or the rest identifies fewer than the threshold."""
    return fg.share(part, whole)


def marker() -> str:
    return fg.marker()


def threshold() -> int:
    return fg.threshold()


def is_small(n: int | None) -> bool:
    return fg.is_small(n)


def hide_groups(values: list[list[int]], groups: list[list[Cell]]) -> list[list[bool]]:
    """Which cells to hide when the sums of ``groups`` are shown (primary and secondary suppression)."""
    return fg.suppress_groups(values, groups)


def is_stated(text: str) -> bool:
    """A printed figure that states a value (a number or a percentage), not a marker or "—"."""
    return text not in ("", "—", marker())


def number(text: str) -> int | None:
    """The value of a printed count or percentage ("42", "42%"), None when it states none."""
    return int(text.rstrip("%")) if is_stated(text) else None
