"""Small server-rendered SVG charts (no JavaScript, CSP-safe: attributes only, no style).

Every chart is accessible: ``role="img"``, a ``<title>`` and the numbers also shown
as a table next to it by the template. Functions return ``SafeString`` markup.
"""

import datetime
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1d4ed8", "#f59f00", "#0f9d58", "#c2410c", "#7c3aed", "#0891b2", "#be123c"]
FONT = 'font-family="sans-serif" font-size="12"'


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _nice_max(value: float) -> float:
    """A round axis maximum ≥ value (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _text_width(text: str) -> int:
    """About how many pixels ``text`` takes at the charts' 12 px font (CJK is wider)."""
    return sum(12 if ord(c) >= 0x2E80 else 7 for c in text)


def _value_texts(values: Sequence[float], value_labels: Sequence[str] | None) -> list[str]:
    """The text shown by each value: its label with the unit (e.g. "12 件", "69%"), else
    the bare number."""
    if value_labels is None:
        return [_fmt(v) for v in values]
    return [str(t) for t in value_labels]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    color: str = PALETTE[0],
    value_labels: Sequence[str] | None = None,
) -> SafeString:
    """Horizontal bars, one row per label (fits long unit names and phones).
    ``value_labels``: the text beside each bar, with its unit (default: the number)."""
    texts = _value_texts(values, value_labels)
    row, left, top = 26, 150, 10
    right = max([60, *(_text_width(t) + 10 for t in texts)])
    width = 640
    height = top * 2 + row * max(len(labels), 1)
    top_value = _nice_max(max(values, default=0))
    span = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        y = top + i * row
        bar = 0 if not value else max(1.0, span * value / top_value)
        parts.append(
            f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" {FONT} fill="#334">'
            f"{escape(label[:14])}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" '
            f'fill="{color}" rx="2">'
            f"<title>{escape(label)}: {escape(text)}</title></rect>"
            f'<text x="{left + bar + 4:.1f}" y="{y + 17}" {FONT} fill="#334">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def column_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    color: str = PALETTE[2],
    value_labels: Sequence[str] | None = None,
) -> SafeString:
    """Vertical columns (e.g. a score histogram with few buckets); ``value_labels`` as
    :func:`bar_chart`'s."""
    texts = _value_texts(values, value_labels)
    width, height, left, bottom, top = 640, 240, 40, 40, 16
    n = max(len(labels), 1)
    top_value = _nice_max(max(values, default=0))
    plot_h = height - top - bottom
    slot = (width - left - 10) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#889"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" {FONT} fill="#667">'
        f"{_fmt(top_value)}</text>",
    ]
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        h = plot_h * value / top_value if value else 0
        x = left + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{color}"><title>{escape(label)}: {escape(text)}</title></rect>'
            f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'{FONT} fill="#334">{escape(label)}</text>'
        )
        if value:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h - h - 4:.1f}" '
                f'text-anchor="middle" {FONT} fill="#334">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def line_chart(
    points: Sequence[tuple[datetime.date, float]],
    *,
    title: str,
    marker: tuple[datetime.date, str] | None = None,
) -> SafeString:
    """A daily curve; ``marker`` draws a dashed vertical line (the deadline) with a label."""
    width, height, left, bottom, top, right = 640, 260, 44, 36, 20, 16
    days = [d for d, _ in points] + ([marker[0]] if marker else [])
    first, last = min(days), max(days)
    span_days = max((last - first).days, 1)
    top_value = _nice_max(max((v for _, v in points), default=0))
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(day: datetime.date) -> float:
        return left + plot_w * (day - first).days / span_days

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / top_value

    coords = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="#889"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" '
        'stroke="#889"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" {FONT} fill="#667">'
        f"{_fmt(top_value)}</text>",
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" {FONT} fill="#667">0</text>',
        f'<text x="{left}" y="{height - 12}" {FONT} fill="#667">{first:%m-%d}</text>',
        f'<text x="{width - right}" y="{height - 12}" text-anchor="end" {FONT} fill="#667">'
        f"{last:%m-%d}</text>",
    ]
    if points:
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
        for day, value in points:
            parts.append(
                f'<circle cx="{x_of(day):.1f}" cy="{y_of(value):.1f}" r="3" fill="{PALETTE[0]}">'
                f"<title>{day:%Y-%m-%d}: {_fmt(value)}</title></circle>"
            )
    if marker:
        mx = x_of(marker[0])
        parts.append(
            f'<line x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{top + plot_h}" stroke="#c2410c" '
            f'stroke-dasharray="5 4" stroke-width="2" data-deadline="{marker[0]:%Y-%m-%d}"/>'
            f'<text x="{mx - 4:.1f}" y="{top + 10}" text-anchor="end" {FONT} fill="#c2410c">'
            f"{escape(marker[1])} {marker[0]:%m-%d}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
