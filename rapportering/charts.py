"""Server-side SVG charts: no JavaScript, no CDN; they print in the PDF as they show in the browser."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = "#0b5ea8"


def bar_chart(items: list[tuple[str, int | None]], title: str, unit: str = "") -> str:
    """Horizontal bars; a hidden (anonymised) value shows as 'verborgen' without a bar."""
    width, label_w, row_h = 640, 230, 26
    height = row_h * len(items) + 36
    top = max([v for _, v in items if v is not None] or [0]) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (full_label, value) in enumerate(items):
        label = full_label if len(full_label) <= 34 else full_label[:33] + "…"
        y = 20 + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="#1f2328">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 16}" font-size="12" fill="#4a5560">verborgen</text>'
            )
            continue
        w = round((width - label_w - 70) * value / top)
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 10}" fill="{BAR}"/>')
        parts.append(
            f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="12" fill="#1f2328">{value}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
