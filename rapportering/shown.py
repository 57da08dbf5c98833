"""What a report may state: the one adapter through which issue 12's findings, comparison and new tables
reach the anonymity rules of rapportering.disclosure ("<5" for 1..4, "×" for a figure hidden to protect
one)."""

from __future__ import annotations

from . import disclosure as dc


def count(n: int | None, hidden: bool = False) -> str:
    """A count as printed: the number, "<5" when it is small, "×" when hidden to protect a small one."""
    return dc.show(n, hidden)


def share_in(f, part: str, whole: str) -> str:
    """A timeliness share of a report's figures exactly as its tables print it (the report's Protection)."""
    from .tables import protection_of

    prot, sc = protection_of(f)
    return prot.share((sc, "tijdig", part), (sc, "tijdig", whole))


def marker() -> str:
    return dc.marker()


def threshold() -> int:
    return dc.threshold()


def is_stated(text: str) -> bool:
    """A printed figure that states a value (a number or a percentage), not a marker or "—"."""
    return text not in ("", "—", marker(), dc.SECONDARY)


def number(text: str) -> int | None:
    """The value of a printed count or percentage ("42", "42%"), None when it states none."""
    return int(text.rstrip("%")) if is_stated(text) else None
