"""Inline SVG charts of a time series (pure): no scripts, readable by screen readers.

Years whose value is missing are drawn as hollow markers on the axis with the reason in a
tooltip, so a gap is never mistaken for zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from gdp_rdf.web.labels import heading


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


TICK_CHAR_WIDTH = 7.0  # px per character of an 11px tick label, digits and commas, rounded up


def line_chart(
    title: str,
    points: list[Point],
    unit: str | None = None,
    chart_id: str = "",
    source: str = "",
) -> str:
    """An SVG line chart with its unit and source inside; one value is a single point.

    The left margin grows with the widest tick label, so "20,000,000" is never clipped.
    """
    ordered = sorted(points, key=lambda p: p.year)
    known = [p for p in ordered if p.value is not None]
    years = [p.year for p in ordered]
    low_year, high_year = min(years), max(years)
    span_years = max(high_year - low_year, 1)
    values = [p.value for p in known if p.value is not None]
    ticks = nice_ticks(min([Decimal(0), *values]), max([Decimal(0), *values]))
    bottom_value, top_value = ticks[0], ticks[-1]
    widest = max(len(format_number(t)) for t in ticks)
    width, height, right, top = 560, 240, 24, 30
    left = int(widest * TICK_CHAR_WIDTH) + 14
    bottom = 56 if source else 36
    span_values = (top_value - bottom_value) or Decimal(1)

    def x(year: int) -> float:
        if high_year == low_year:
            return left + (width - left - right) / 2
        return left + (year - low_year) / span_years * (width - left - right)

    def y(value: Decimal) -> float:
        return top + float((top_value - value) / span_values) * (height - top - bottom)

    label = heading(title, unit)
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
    if unit:
        parts.append(f'<text x="4" y="16" class="unit">{escape(unit)}</text>')
    if source:
        parts.append(
            f'<text x="4" y="{height - 8}" class="chart-source">Source: {escape(source)}</text>'
        )
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


@dataclass(frozen=True, slots=True)
class Bar:
    """One country's bar: its name, value and the year of the value."""

    label: str
    value: Decimal
    year: str = ""


def bar_chart(
    title: str, bars: list[Bar], unit: str | None = None, chart_id: str = "", source: str = ""
) -> str:
    """A horizontal bar chart, highest first as given; only known values are drawn (gaps are
    listed beside the chart by the page, never drawn as zero)."""
    row, top = 22, 26
    widest = max((len(b.label) for b in bars), default=4)
    left = int(widest * TICK_CHAR_WIDTH) + 12
    width, right = max(560, left + 320), 130
    bottom = 40 if source else 20
    height = top + row * len(bars) + bottom
    values = [b.value for b in bars]
    ticks = nice_ticks(min([Decimal(0), *values]), max([Decimal(0), *values]))
    span = (ticks[-1] - ticks[0]) or Decimal(1)

    def x(value: Decimal) -> float:
        return left + float((value - ticks[0]) / span) * (width - left - right)

    label = heading(title, unit)
    summary = ", ".join(
        f"{b.label}: {format_number(b.value)}" + (f" ({b.year})" if b.year else "") for b in bars
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title><desc>{escape(summary)}</desc>",
    ]
    if unit:
        parts.append(f'<text x="4" y="16" class="unit">{escape(unit)}</text>')
    zero = x(Decimal(0)) if ticks[0] <= 0 else x(ticks[0])
    for index, bar in enumerate(bars):
        y = top + index * row
        start, end = sorted((zero, x(bar.value)))
        year = f" ({bar.year})" if bar.year else ""
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" class="tick">{escape(bar.label)}</text>'
            f'<rect x="{start:.1f}" y="{y + 3}" width="{max(end - start, 1):.1f}" height="{row - 6}" '
            f'class="bar"><title>{escape(bar.label)}: {format_number(bar.value)}{escape(year)}</title></rect>'
            f'<text x="{end + 4:.1f}" y="{y + 15}" class="tick">{format_number(bar.value)}{escape(year)}</text>'
        )
    parts.append(
        f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{top + row * len(bars)}" class="axis"/>'
    )
    if source:
        parts.append(
            f'<text x="4" y="{height - 8}" class="chart-source">Source: {escape(source)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
