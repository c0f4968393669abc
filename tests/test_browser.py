"""A real browser (headless Chromium, JavaScript off) reads the Kazakhstan page from a running
server: the prison-population chart and the treaties table are laid out and visible, and
screenshots of them are kept in tests/artifacts/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, chromium
from live_server import LiveServer
from png import count_colour, read_png

pytestmark = pytest.mark.server
ARTIFACTS = Path(__file__).parent / "artifacts"
CHART_LINE = (0x23, 0x39, 0x5D)  # the series colour in pages.STYLE
TABLE_HEAD = (0xE8, 0xEC, 0xF3)
INK = (0x1B, 0x1B, 0x1B)

BOX = """(id => {{ const el = document.getElementById(id); if (!el) return null;
  const b = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {{x: b.left + scrollX, y: b.top + scrollY, width: b.width, height: b.height,
          display: s.display, visibility: s.visibility}}; }})({id!r})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if chromium() is None:
        if os.environ.get("GDP_RDF_REQUIRE_BROWSER") == "1":
            pytest.fail("GDP_RDF_REQUIRE_BROWSER=1 but no chromium is installed")
        pytest.skip("no chromium installed (CI installs it and sets GDP_RDF_REQUIRE_BROWSER=1)")
    browser = Browser(width=1280, height=900, javascript=False)
    yield browser
    browser.close()


def box(browser: Browser, element_id: str) -> dict[str, float | str]:
    found = browser.evaluate(BOX.format(id=element_id))
    assert found is not None, f"no #{element_id} on the page"
    assert found["display"] != "none" and found["visibility"] == "visible"
    return found  # type: ignore[no-any-return]


def clip(found: dict[str, float | str], margin: int = 8) -> dict[str, float]:
    return {
        "x": max(0.0, float(found["x"]) - margin),
        "y": max(0.0, float(found["y"]) - margin),
        "width": float(found["width"]) + 2 * margin,
        "height": float(found["height"]) + 2 * margin,
    }


def test_kazakhstan_page_in_a_real_browser(browser: Browser, live: LiveServer) -> None:
    browser.open(f"{live.base}/id/country/KAZ")  # the IRI itself: 303 to the HTML page
    assert browser.evaluate("location.pathname") == "/doc/id/country/KAZ.html"
    assert browser.evaluate("document.title").startswith("Kazakhstan")
    assert browser.evaluate("[...document.scripts].every(s => s.type === 'application/ld+json')")
    browser.screenshot(ARTIFACTS / "kazakhstan.png")

    chart = box(browser, "chart-criminal-prison-population")
    assert float(chart["width"]) > 300 and float(chart["height"]) > 150
    assert (
        browser.evaluate(
            "document.querySelectorAll('#chart-criminal-prison-population circle.point').length"
        )
        == 9
    )
    assert (
        browser.evaluate(
            "document.querySelector('#chart-criminal-prison-population polyline').getTotalLength()"
        )
        > 200
    )
    ticks = browser.evaluate(
        "[...document.querySelectorAll('#chart-criminal-prison-population text')].map(t => t.textContent)"
    )
    assert "1992" in ticks and "2017" in ticks and "100,000" in ticks
    picture = browser.screenshot(ARTIFACTS / "kazakhstan-prison-population-chart.png", clip(chart))
    width, height, _, _ = read_png(picture)
    assert width >= 300 and height >= 150
    assert count_colour(picture, CHART_LINE) > 400  # the drawn line and points

    table = box(browser, "treaties")
    rows = browser.evaluate(
        "[...document.querySelectorAll('#treaties tbody tr')].map(r => r.innerText)"
    )
    assert len(rows) == 13
    assert any("Convention against Torture" in row and "1998" in row for row in rows)
    assert any("Refugees" in row and "1999" in row for row in rows)
    picture = browser.screenshot(ARTIFACTS / "kazakhstan-treaties.png", clip(table))
    assert count_colour(picture, TABLE_HEAD, tolerance=4) > 2000  # the header row
    assert count_colour(picture, INK, tolerance=40) > 2000  # the treaty names


def test_pages_read_the_same_without_javascript(browser: Browser, live: LiveServer) -> None:
    """JavaScript is off in this browser: the home page still lists every country."""
    browser.open(f"{live.base}/")
    links = browser.evaluate("document.querySelectorAll('ul.countries a').length")
    assert links >= 30
    browser.open(f"{live.base}/sparql")
    assert browser.evaluate("document.querySelectorAll('form textarea').length") == 1
