"""Server-side SVG charts: no JavaScript, no CDN; they print in the PDF as they show in the browser.

Accessibility by construction: a chart is an object made from its figures, and its text alternative
(``alt``) is derived from the same figures, so it always says what the chart shows (subject, every bar
with its value, or that a value is hidden) and never drifts from the drawing. Both ways of showing a
chart carry that text: ``html()`` (the dashboard: an inline SVG with ``role="img"`` and the text as its
accessible name) and ``pdf()`` (the PDF: an ``<img>`` whose ``alt`` WeasyPrint writes as the ``/Alt`` of
the tagged ``/Figure``). A new kind of chart subclasses :class:`Chart` and must implement ``alt`` and
``draw`` (an abstract class cannot be instantiated without them); it then gets both renderings.
"""

from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .disclosure import threshold

BAR = "#0b5ea8"


class Chart(ABC):
    """A chart drawn from its figures, with a text alternative derived from the same figures."""

    @property
    @abstractmethod
    def alt(self) -> str:
        """What the chart shows, in words: its subject and every figure it draws."""

    @abstractmethod
    def draw(self) -> tuple[int, int, list[str]]:
        """The drawing: (width, height, SVG elements), without accessibility attributes."""

    def _svg(self, attrs: str, title: bool = False) -> str:
        width, height, parts = self.draw()
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" {attrs}>'
        )
        return head + (f"<title>{escape(self.alt)}</title>" if title else "") + "".join(parts) + "</svg>"

    def html(self) -> SafeString:
        """Inline SVG for the dashboard: an image whose accessible name is the text alternative."""
        attrs = f'width="100%" role="img" aria-label="{escape(self.alt)}"'
        return mark_safe(self._svg(attrs, title=True))  # noqa: S308 - every text part is escaped

    def pdf(self) -> SafeString:
        """An <img> for WeasyPrint: tagged as /Figure with the text alternative as its /Alt."""
        width, height, _parts = self.draw()
        data = base64.b64encode(self._svg(f'width="{width}" height="{height}"').encode()).decode("ascii")
        return mark_safe(  # noqa: S308 - base64 and an escaped text
            f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(self.alt)}">'
        )


EMPTY = "—"  # a bar with nothing to measure (a median of no one): no bar, "geen gegevens", never 0


def _value(value: int | str | None, unit: str) -> str:
    if value is None:
        return _("verborgen")
    if value == EMPTY:
        return _("geen gegevens")
    return f"{value}{unit}"


@dataclass(frozen=True)
class BarChart(Chart):
    """Horizontal bars; a hidden (anonymised) value shows as 'verborgen' without a bar.

    ``subject`` says what the bars measure and over what, e.g. "Actieve trajecten in de periode, per
    soort"; ``unit`` follows each value (e.g. " dagen"). Both are required to say what the chart shows.
    """

    subject: str
    items: tuple[tuple[str, int | str | None], ...]  # None: hidden; EMPTY: nothing to measure
    unit: str = ""

    def __post_init__(self):
        if not self.subject.strip():
            raise ValueError("a chart needs a subject: its text alternative says what it shows")
        object.__setattr__(self, "items", tuple((str(label), value) for label, value in self.items))

    @property
    def alt(self) -> str:
        bars = "; ".join(f"{label}: {_value(value, self.unit)}" for label, value in self.items)
        text = _("Staafdiagram. %(subject)s. %(bars)s.") % {"subject": self.subject, "bars": bars}
        if any(value is None for _label, value in self.items):
            text += " " + _(
                "Verborgen: minder dan %(n)s personen, of verborgen om zo'n kleine groep te beschermen."
            ) % {"n": threshold()}
        return text + " " + _("De tabel geeft dezelfde cijfers.")

    def draw(self) -> tuple[int, int, list[str]]:
        width, label_w, row_h = 640, 230, 26
        height = row_h * len(self.items) + 36
        top = max([v for _, v in self.items if v is not None and v != EMPTY] or [0]) or 1
        parts = []
        for i, (full_label, value) in enumerate(self.items):
            label = full_label if len(full_label) <= 34 else full_label[:33] + "…"
            y = 20 + i * row_h
            parts.append(
                f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="#1f2328">'
                f"{escape(label)}</text>"
            )
            if value is None or value == EMPTY:
                parts.append(
                    f'<text x="{label_w + 4}" y="{y + 16}" font-size="12" fill="#4a5560">'
                    f"{escape(_value(value, self.unit))}</text>"
                )
                continue
            w = round((width - label_w - 90) * value / top)
            parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 10}" fill="{BAR}"/>')
            parts.append(
                f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="12" fill="#1f2328">'
                f"{escape(_value(value, self.unit))}</text>"
            )
        return width, height, parts


# Line styles of a step chart's series: colour and dash pattern, so no series is told by colour alone.
MAX_CURVES = 5
STEP_MARKS = ((3, 91), (6, 182), (12, 364))  # months, read at 13, 26 and 52 weeks
STEP_STYLES = (
    ("#0b5ea8", ""),
    ("#b34700", "6 3"),
    ("#2e7d32", "2 3"),
    ("#6a1b9a", "8 3 2 3"),
    ("#4a5560", "1 2"),
)


@dataclass(frozen=True)
class StepChart(Chart):
    """Step curves of a share over time (Kaplan–Meier: the share returned to work since the first day of
    absence). ``series`` holds each curve's label and its values (0 to 1) at every ``step_days`` days from
    day 0; ``not_drawn`` the groups that are not drawn, each with why. At most ``MAX_CURVES`` curves (each
    its own colour and dash pattern); the caller chooses which. The text alternative
    gives, per curve, the share at 3, 6 and 12 months and when it passes half, read from the same values.
    """

    subject: str
    series: tuple[tuple[str, tuple[float, ...]], ...]
    step_days: int
    not_drawn: tuple[tuple[str, str], ...] = ()  # (label, why)

    def __post_init__(self):
        if not self.subject.strip():
            raise ValueError("a chart needs a subject: its text alternative says what it shows")
        if len(self.series) > MAX_CURVES:
            raise ValueError("too many curves to tell apart")

    def value_at(self, values: tuple[float, ...], day: int) -> float | None:
        i = day // self.step_days
        return values[i] if i < len(values) else None

    def _describe(self, label: str, values: tuple[float, ...]) -> str:
        parts = []
        for months, day in STEP_MARKS:
            v = self.value_at(values, day)
            if v is not None:
                parts.append(_("na %(m)s maanden %(p)s%%") % {"m": months, "p": round(100 * v)})
        half = next((i for i, v in enumerate(values) if v >= 0.5), None)
        if half is None:
            parts.append(_("de helft is niet bereikt"))
        else:
            parts.append(_("de helft na %(w)s weken") % {"w": half * self.step_days // 7})
        return f"{label}: " + ", ".join(parts)

    @property
    def alt(self) -> str:
        curves = "; ".join(self._describe(label, values) for label, values in self.series)
        text = _("Stapgrafiek. %(subject)s. Aandeel teruggekeerd: %(curves)s.") % {
            "subject": self.subject,
            "curves": curves,
        }
        if self.not_drawn:
            text += " " + _("Niet getekend: %(g)s.") % {
                "g": "; ".join(f"{label} ({why})" for label, why in self.not_drawn)
            }
        return text + " " + _("De tabel geeft de mediaan, het betrouwbaarheidsinterval en de aantallen.")

    def draw(self) -> tuple[int, int, list[str]]:
        width, left, right, top, plot_h = 640, 48, 20, 12, 200
        legend_h = 20 * len(self.series)
        height = top + plot_h + 40 + legend_h
        longest = max((len(v) - 1) * self.step_days for _label, v in self.series) or 1
        x_max = max(91, -(-longest // 91) * 91)  # whole quarters
        plot_w = width - left - right

        def x(day: float) -> float:
            return round(left + plot_w * day / x_max, 1)

        def y(share: float) -> float:
            return round(top + plot_h * (1 - share), 1)

        ink = 'font-size="11" fill="#1f2328"'
        parts = []
        for pct in (0, 25, 50, 75, 100):
            parts.append(
                f'<line x1="{left}" y1="{y(pct / 100)}" x2="{width - right}" y2="{y(pct / 100)}" '
                f'stroke="#d0d7de" stroke-width="1"/>'
            )
            parts.append(f'<text x="{left - 6}" y="{y(pct / 100) + 4}" text-anchor="end" {ink}>{pct}%</text>')
        for q in range(0, x_max + 1, 91):
            parts.append(
                f'<text x="{x(q)}" y="{top + plot_h + 16}" text-anchor="middle" {ink}>{round(q / 30.4)}</text>'
            )
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h + 32}" text-anchor="middle" {ink}>'
            f"{escape(_('maanden sinds de eerste afwezigheidsdag'))}</text>"
        )
        for i, (label, values) in enumerate(self.series):
            colour, dash = STEP_STYLES[i]
            points = [f"{x(0)},{y(values[0])}"]
            for j in range(1, len(values)):
                points.append(f"{x(j * self.step_days)},{y(values[j - 1])}")
                points.append(f"{x(j * self.step_days)},{y(values[j])}")
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
            ly = top + plot_h + 44 + 20 * i
            parts.append(
                f'<line x1="{left}" y1="{ly}" x2="{left + 36}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
            parts.append(f'<text x="{left + 44}" y="{ly + 4}" {ink}>{escape(label)}</text>')
        return width, height, parts
