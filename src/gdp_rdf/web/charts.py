"""Inline SVG charts of a time series (pure): no scripts, readable by screen readers.

Years whose value is missing are drawn as hollow markers on the axis with the reason in a
tooltip, so a gap is never mistaken for zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape


@dataclass(frozen=True, slots=True)
class Point:
    """One year of a series: its value, or None with the reason it is missing."""

    year: int
    value: Decimal | None
    status: str | None = None


def format_number(value: Decimal) -> str:
    """58519 -> '58,519'; 4.50 -> '4.5'."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():f}"


def nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    """Round axis ticks (steps of 1, 2 or 5 times a power of ten) covering low..high."""
    span = high - low
    if span <= 0:
        span = abs(high) or Decimal(1)
    raw = span / count
    power = Decimal(10) ** raw.adjusted()
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [start]
    while ticks[-1] < high or len(ticks) < 2:
        ticks.append(ticks[-1] + step)
    return ticks


def line_chart(title: str, points: list[Point], unit: str | None = None, chart_id: str = "") -> str:
    """An SVG line chart; with one value it is a single labelled point."""
    width, height, left, right, top, bottom = 560, 220, 64, 24, 28, 36
    ordered = sorted(points, key=lambda p: p.year)
    known = [p for p in ordered if p.value is not None]
    years = [p.year for p in ordered]
    low_year, high_year = min(years), max(years)
    span_years = max(high_year - low_year, 1)
    values = [p.value for p in known if p.value is not None]
    ticks = nice_ticks(min([Decimal(0), *values]), max([Decimal(0), *values]))
    bottom_value, top_value = ticks[0], ticks[-1]
    span_values = (top_value - bottom_value) or Decimal(1)

    def x(year: int) -> float:
        if high_year == low_year:
            return left + (width - left - right) / 2
        return left + (year - low_year) / span_years * (width - left - right)

    def y(value: Decimal) -> float:
        return top + float((top_value - value) / span_values) * (height - top - bottom)

    label = f"{title}" + (f" ({unit})" if unit else "")
    summary = ", ".join(
        f"{p.year}: {format_number(p.value) if p.value is not None else p.status or 'no value'}"
        for p in ordered
    )
    svg_open = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}">'
    )
    parts = [
        svg_open,
        f"<title>{escape(label)}</title><desc>{escape(summary)}</desc>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" class="axis"/>',
    ]
    for tick in ticks:
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">{format_number(tick)}</text>'
        )
    labelled = ordered if len(ordered) <= 12 else ordered[:: max(1, len(ordered) // 8)]
    for p in labelled:
        parts.append(
            f'<text x="{x(p.year):.1f}" y="{height - bottom + 16}" text-anchor="middle" class="tick">{p.year}</text>'
        )
    if len(known) > 1:
        path = " ".join(f"{x(p.year):.1f},{y(p.value):.1f}" for p in known if p.value is not None)
        parts.append(f'<polyline points="{path}" class="series"/>')
    for p in ordered:
        if p.value is None:
            parts.append(
                f'<circle cx="{x(p.year):.1f}" cy="{height - bottom:.1f}" r="4" class="missing">'
                f"<title>{p.year}: {escape(p.status or 'no value')}</title></circle>"
            )
        else:
            parts.append(
                f'<circle cx="{x(p.year):.1f}" cy="{y(p.value):.1f}" r="4" class="point">'
                f"<title>{p.year}: {format_number(p.value)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
