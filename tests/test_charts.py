"""Inline SVG charts: valid SVG, round ticks, missing years never drawn as zero."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from gdp_rdf.web.charts import Point, format_number, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_svg_with_a_point_per_known_year() -> None:
    points = [
        Point(2015, Decimal(100)),
        Point(2016, None, "Not available"),
        Point(2017, Decimal(250)),
    ]
    svg = ET.fromstring(line_chart("Detainees", points, "persons", "chart-detainees"))
    assert svg.get("id") == "chart-detainees"
    assert svg.find(f"{SVG}title").text == "Detainees (persons)"  # type: ignore[union-attr]
    circles = svg.findall(f"{SVG}circle")
    assert [c.get("class") for c in circles] == ["point", "missing", "point"]
    missing = circles[1].find(f"{SVG}title").text  # type: ignore[union-attr]
    assert missing == "2016: Not available"
    line = svg.find(f"{SVG}polyline")
    assert line is not None and len(line.get("points", "").split()) == 2  # the gap is not a 0
    desc = svg.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert desc == "2015: 100, 2016: Not available, 2017: 250"


def test_ticks_are_round_and_cover_the_data() -> None:
    assert nice_ticks(Decimal(0), Decimal(88421)) == [Decimal(v) for v in range(0, 100001, 20000)]
    ticks = nice_ticks(Decimal(0), Decimal("0.04"))
    assert ticks[0] == 0 and ticks[-1] >= Decimal("0.04")
    assert nice_ticks(Decimal(-3), Decimal(7))[0] <= -3
    assert len(nice_ticks(Decimal(0), Decimal(0))) >= 2


def test_numbers_are_printed_for_people() -> None:
    assert format_number(Decimal(58519)) == "58,519"
    assert format_number(Decimal("4.50")) == "4.5"
    assert format_number(Decimal("0.04")) == "0.04"


def test_escapes_titles() -> None:
    svg = line_chart('A <b> & "c"', [Point(2000, Decimal(1)), Point(2001, Decimal(2))])
    ET.fromstring(svg)
    assert "<b>" not in svg


def test_tick_labels_fit_left_of_the_axis_at_any_magnitude() -> None:
    """The margin grows with the widest label: 20,000,000 is not cut to "0,000,000"."""
    from gdp_rdf.web.charts import TICK_CHAR_WIDTH

    for top in (Decimal(9), Decimal(58519), Decimal(19_600_000), Decimal("0.04")):
        svg = ET.fromstring(
            line_chart("Population", [Point(2015, top / 2), Point(2023, top)], "persons")
        )
        for text in svg.findall(f"{SVG}text"):
            if text.get("text-anchor") == "end":
                width = len(text.text or "") * TICK_CHAR_WIDTH
                assert float(text.get("x", 0)) - width >= 0, (top, text.text)


def test_chart_carries_its_unit_and_source() -> None:
    svg = line_chart(
        "Refugees",
        [Point(2015, Decimal(1)), Point(2016, Decimal(2))],
        "persons",
        "c",
        "GDP profile",
    )
    texts = [t.text for t in ET.fromstring(svg).findall(f"{SVG}text")]
    assert "persons" in texts and "Source: GDP profile" in texts


def test_bar_chart_draws_only_known_values() -> None:
    from gdp_rdf.web.charts import Bar, bar_chart

    svg = ET.fromstring(
        bar_chart(
            "Rate",
            [Bar("Turkmenistan", Decimal(583), "2013"), Bar("San Marino", Decimal(0), "2012")],
        )
    )
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 2
    assert float(bars[0].get("width", 0)) > float(bars[1].get("width", 0))
    assert svg.find(f"{SVG}desc").text == "Turkmenistan: 583 (2013), San Marino: 0 (2012)"  # type: ignore[union-attr]
