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


def _value(value: int | None, unit: str) -> str:
    return _("verborgen") if value is None else f"{value}{unit}"


@dataclass(frozen=True)
class BarChart(Chart):
    """Horizontal bars; a hidden (anonymised) value shows as 'verborgen' without a bar.

    ``subject`` says what the bars measure and over what, e.g. "Actieve trajecten in de periode, per
    soort"; ``unit`` follows each value (e.g. " dagen"). Both are required to say what the chart shows.
    """

    subject: str
    items: tuple[tuple[str, int | None], ...]
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
        top = max([v for _, v in self.items if v is not None] or [0]) or 1
        parts = []
        for i, (full_label, value) in enumerate(self.items):
            label = full_label if len(full_label) <= 34 else full_label[:33] + "…"
            y = 20 + i * row_h
            parts.append(
                f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="#1f2328">'
                f"{escape(label)}</text>"
            )
            if value is None:
                parts.append(
                    f'<text x="{label_w + 4}" y="{y + 16}" font-size="12" fill="#4a5560">'
                    f"{escape(_('verborgen'))}</text>"
                )
                continue
            w = round((width - label_w - 90) * value / top)
            parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 10}" fill="{BAR}"/>')
            parts.append(
                f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="12" fill="#1f2328">'
                f"{escape(_value(value, self.unit))}</text>"
            )
        return width, height, parts
