"""Key findings: the main indicators of a report, compared with the previous year, and plain Dutch
sentences made from them (the first page of the HOC and EOC reports, the top of the dashboard).

Pure: figures in, indicators and sentences out (no ORM, no clock). A sentence states only what the
tables print: counts hidden in the counts table (``hidden``) and shares the anonymity rules hide
(rapportering.shown) give no sentence, and a difference is given only when both years are printed.
Every sentence carries the figure it rests on (``Finding.basis``).

Hook for the median time to return (Kaplan–Meier, rapportering.survival): pass the printed median and
what it rests on as ``median_return`` to ``key_findings``; without it there is no such sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import shown
from .figures import Figures

COUNT, SHARE = "count", "share"
# key -> what it counts; the counts table's cell that prints it is named in rapportering.sections
COUNT_KEYS = ("started", "ongoing", "closed", "formeel")
SHARE_KEYS = ("gesprek_2m", "stappenplan_2m")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    kind: str  # COUNT or SHARE
    now: str  # as printed
    before: str | None  # as printed for the previous period; None: no previous period given
    basis: str  # the table and row that print it

    @property
    def difference(self) -> str:
        """Now minus before, as printed ("+12", "-3", "0"; shares in percentage points), or "—" when
        either is not printed."""
        a, b = shown.number(self.now), shown.number(self.before or "")
        if a is None or b is None:
            return "—"
        d = a - b
        text = f"{d:+d}" if d else "0"
        return f"{text} {_('procentpunten')}" if self.kind == SHARE else text


def _raw(f: Figures, key: str) -> int | tuple[int, int]:
    t = f.timeliness
    return {
        "started": f.started["totaal"],
        "ongoing": f.ongoing["totaal"],
        "closed": f.closed["totaal"],
        "formeel": f.active["formeel"],
        "gesprek_2m": (t["gesprek_2m"], t["eligible"]),
        "stappenplan_2m": (t["stappenplan_2m"], t["positive"]),
    }[key]


def _printed(f: Figures, key: str, hidden: Mapping[str, bool]) -> str:
    value = _raw(f, key)
    if isinstance(value, tuple):  # a share, as the timeliness table prints it
        return shown.share_in(f, key, "eligible" if key == "gesprek_2m" else "positive")
    return shown.count(value, hidden.get(key, False))


def labels() -> dict[str, tuple[str, str]]:
    """key -> (label, basis: the table and row that print it)."""
    counts, timely = _("Trajecten per soort"), _("Tijdigheid")
    return {
        "started": (_("Gestarte trajecten"), f"{counts}, {_('gestart in de periode, totaal')}"),
        "ongoing": (
            _("Lopende trajecten op het einde van de periode"),
            f"{counts}, {_('lopend op het einde van de periode, totaal')}",
        ),
        "closed": (_("Afgesloten trajecten"), f"{counts}, {_('afgesloten in de periode, totaal')}"),
        "gesprek_2m": (
            _("Aandeel met een eerste gesprek binnen 2 maanden"),
            f"{timely}, {_('eerste gesprek binnen 2 maanden')}",
        ),
        "stappenplan_2m": (
            _("Aandeel met een stappenplan binnen de termijn"),
            f"{timely}, {_('stappenplan binnen 2 maanden na positieve inschatting')}",
        ),
        "formeel": (_("Actieve formele trajecten"), f"{counts}, {_('actief in de periode, formeel')}"),
    }


def indicators(
    now: Figures,
    before: Figures | None,
    hidden_now: Mapping[str, bool],
    hidden_before: Mapping[str, bool] | None = None,
) -> list[Indicator]:
    """The main indicators of a period and, when given, of the previous one. ``hidden_*``: counts the
    counts table hides to protect a small cell (secondary suppression), by key of COUNT_KEYS."""
    out = []
    for key, (label, basis) in labels().items():
        kind = SHARE if key in SHARE_KEYS else COUNT
        prev = None if before is None else _printed(before, key, hidden_before or {})
        out.append(Indicator(key, label, kind, _printed(now, key, hidden_now), prev, basis))
    return out


@dataclass(frozen=True)
class Finding:
    text: str
    basis: str  # the figure(s) the sentence rests on, as printed in the tables


def _trajecten(text: str) -> str:
    return _("geen") if text == "0" else text


def _compared(ind: Indicator, previous_label: str) -> str:
    """ " Dat is 12 meer dan in 2024 (103)." or "" when there is nothing to compare."""
    if ind.difference == "—":
        return ""
    d = shown.number(ind.now) - shown.number(ind.before)
    args = {"n": abs(d), "prev": previous_label, "b": ind.before}
    if ind.kind == SHARE:
        if d == 0:
            return " " + _("Dat is evenveel als in %(prev)s.") % args
        if d > 0:
            return " " + _("Dat is %(n)s procentpunten meer dan in %(prev)s (%(b)s).") % args
        return " " + _("Dat is %(n)s procentpunten minder dan in %(prev)s (%(b)s).") % args
    if d == 0:
        return " " + _("Dat zijn er evenveel als in %(prev)s.") % args
    if d > 0:
        return " " + _("Dat zijn er %(n)s meer dan in %(prev)s (%(b)s).") % args
    return " " + _("Dat zijn er %(n)s minder dan in %(prev)s (%(b)s).") % args


def _sentence(ind: Indicator, period: str, end: str) -> str:
    n, a = {"n": _trajecten(ind.now), "p": period, "end": end}, {"s": ind.now, "p": period}
    return {
        "started": _("In %(p)s startten %(n)s re-integratietrajecten.") % n,
        "ongoing": _("Op %(end)s liepen er nog %(n)s trajecten.") % n,
        "closed": _("In %(p)s werden %(n)s trajecten afgesloten.") % n,
        "gesprek_2m": _(
            "Bij %(s)s van de informele trajecten die in %(p)s startten, was er binnen 2 maanden na de eerste "
            "dag van de arbeidsongeschiktheid een eerste gesprek."
        )
        % a,
        "stappenplan_2m": _(
            "Na een positieve inschatting kwam er in %(s)s van de gevallen binnen 2 maanden een stappenplan."
        )
        % a,
        "formeel": _("In %(p)s waren er %(n)s formele re-integratietrajecten actief.") % n,
    }[ind.key]


def key_findings(
    inds: list[Indicator],
    period: str,
    previous: str | None,
    end: str,
    median_return: tuple[str, str, tuple[str, str] | None] | None = None,
) -> list[Finding]:
    """Sentences for the first page. ``period`` / ``previous``: the periods' labels ("2025", "2024");
    ``end``: the day "ongoing" refers to (dd/mm/jjjj): the period's last day, or the day the figures were
    computed while the period still runs. ``median_return``: (printed median in days, what it rests
    on, (printed medians with and without a first conversation within 6 weeks) or None), from the
    return-to-work curves, when they print one."""
    out: list[Finding] = []
    left_out = False
    for ind in inds:
        if not shown.is_stated(ind.now):
            left_out = left_out or ind.now in (shown.marker(), "×")
            continue
        text = _sentence(ind, period, end)
        basis = f"{ind.basis}: {ind.now}"
        if previous and ind.before is not None:
            text += _compared(ind, previous)
            basis += f"; {previous}: {ind.before}"
        out.append(Finding(text, basis))
    if median_return is not None and shown.is_stated(median_return[0]):
        median, basis, pair = median_return
        text = _(
            "Half van de afwezigen was na %(d)s dagen weer aan het werk (mediaan, met de lopende afwezigheden "
            "meegerekend)."
        ) % {"d": median}
        if pair is not None:
            text += " " + _(
                "Met een eerste gesprek binnen 6 weken was dat %(e)s dagen, met een later of geen gesprek "
                "%(l)s dagen: een samenhang, geen bewijs dat het gesprek de oorzaak is."
            ) % {"e": pair[0], "l": pair[1]}
        out.append(Finding(text, basis))
    if left_out:
        out.append(
            Finding(
                _(
                    "Sommige cijfers staan niet in deze samenvatting: ze zouden een groep van minder dan "
                    "%(n)s personen herkenbaar maken."
                )
                % {"n": shown.threshold()},
                _("De tabellen tonen die cijfers als %(m)s of ×.") % {"m": shown.marker()},
            )
        )
    return out
