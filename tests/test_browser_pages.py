"""The pages a journalist uses, read in headless Chromium at 1280 px and 375 px: country,
indicator, treaty, observation, source and SPARQL pages. On each: no horizontal scroll, every
chart label inside its SVG, no serious or critical axe-core violation, every value linked to
its source line and that line's anchor present. Full-page screenshots land in
tests/artifacts/pages/.

axe-core is read from $GDP_RDF_AXE or node_modules/axe-core/axe.min.js at the repository
root (`npm install --no-save axe-core`; .ci/run installs it); it is injected by the test, never
committed.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, chromium
from live_server import LiveServer

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts" / "pages"
REQUIRED = os.environ.get("GDP_RDF_REQUIRE_BROWSER") == "1"
QUERY = """PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
PREFIX schema: <http://schema.org/>
SELECT ?country ?name (COUNT(?obs) AS ?observations) WHERE {
  ?country a gdp:Country ; schema:name ?name .
  ?obs gdp:refArea ?country .
} GROUP BY ?country ?name ORDER BY DESC(?observations) LIMIT 8"""
PAGES = {
    "country-KAZ": "/doc/id/country/KAZ.html",
    "indicator-prison-population-rate": "/doc/code/indicator/prison-population-rate.html",
    "treaty-CAT": "/doc/id/treaty/CAT.html",
    "observation-KAZ-prison-population-2017": "/doc/id/observation/KAZ/criminal-prison-population/2017.html",
    "source-kazakhstan": "/source/kazakhstan.txt?lines=71,88,89#L88",
    "sparql": "/sparql?query=" + urllib.parse.quote(QUERY),
}
WIDTHS = (1280, 375)

# Every text of every chart, with its box and the box of its SVG (page coordinates).
CHART_TEXTS = """[...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const s = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => { const b = t.getBoundingClientRect();
    return {chart: svg.id, text: t.textContent, left: b.left - s.left, right: s.right - b.right,
            top: b.top - s.top, bottom: s.bottom - b.bottom}; }); })"""
# Table rows showing a value (a number, an answer or a missing value) without a source link.
UNSOURCED = """[...document.querySelectorAll('tbody tr')].filter(r =>
  r.querySelector('td.num, td.missing-value') && !r.closest('#ranking-table') === false ? false :
  r.querySelector('td.num, td.missing-value') && !r.querySelector('a.source-line'))
  .map(r => r.innerText)"""
SOURCE_LINKS = "[...document.querySelectorAll('a.source-line')].map(a => a.getAttribute('href'))"


def axe_source() -> str | None:
    for candidate in (os.environ.get("GDP_RDF_AXE"), ROOT / "node_modules/axe-core/axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8")
    return None


@pytest.fixture(scope="module")
def axe() -> str:
    source = axe_source()
    if source is None:
        if REQUIRED:
            pytest.fail("GDP_RDF_REQUIRE_BROWSER=1 but axe-core is not installed (npm i axe-core)")
        pytest.skip("axe-core not installed (npm install --no-save axe-core)")
    return source


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if chromium() is None:
        if REQUIRED:
            pytest.fail("GDP_RDF_REQUIRE_BROWSER=1 but no chromium is installed")
        pytest.skip("no chromium installed (CI installs it and sets GDP_RDF_REQUIRE_BROWSER=1)")
    # Scripts on only so that the injected axe-core can run: the pages themselves have none.
    browser = Browser(width=1280, height=900, javascript=True)
    yield browser
    browser.close()


def audit(browser: Browser, axe: str) -> list[dict[str, object]]:
    """axe-core's serious and critical violations on the open page."""
    browser.evaluate(axe + ";true")
    found = browser.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>"
        " ({id: v.id, impact: v.impact, help: v.help,"
        "   nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))",
        await_promise=True,
        timeout=60,
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def anchors_exist(live: LiveServer, hrefs: list[str]) -> list[str]:
    """The source links whose line anchor is not on the source page."""
    pages: dict[str, str] = {}
    broken = []
    for href in sorted(set(hrefs)):
        path, _, fragment = href.partition("#")
        if path not in pages:
            status, body = live.get(path, accept="text/html")
            pages[path] = body.decode() if status == 200 else ""
        if not fragment or f'id="{fragment}"' not in pages[path]:
            broken.append(href)
    return broken


def open_and_check(browser: Browser, axe: str, url: str, name: str, width: int) -> None:
    """Open ``url`` at ``width``; screenshots of the whole page and of what a reader sees
    first; no sideways scroll; no serious axe-core violation."""
    browser.resize(width, 900, mobile=width < 600)
    browser.open("about:blank")  # the same URL with a #fragment would not load again
    browser.open(url)
    assert browser.evaluate("document.title"), name
    browser.screenshot(ARTIFACTS / f"{name}-{width}.png")  # the whole page
    top = {"x": 0, "y": 0, "width": width, "height": 1200}
    browser.screenshot(ARTIFACTS / f"{name}-{width}-top.png", top)  # what a reader sees first
    overflow = browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
    violations = audit(browser, axe)
    assert not violations, json.dumps(violations, indent=1)


def unsourced_values(browser: Browser) -> list[str]:
    """The table rows holding a value (or a missing value) with no link to its source line."""
    rows: list[str] = browser.evaluate(
        "[...document.querySelectorAll('tbody tr')].filter(r =>"
        " r.querySelector('td.num, td.missing-value') && !r.querySelector('a.source-line'))"
        ".map(r => r.innerText)"
    )
    return rows


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_well(
    browser: Browser, axe: str, live: LiveServer, name: str, width: int
) -> None:
    open_and_check(browser, axe, live.base + PAGES[name], name, width)
    clipped = [
        t
        for t in browser.evaluate(CHART_TEXTS)
        if min(t["left"], t["right"], t["top"], t["bottom"]) < -0.5
    ]
    assert not clipped, f"chart text outside its SVG: {json.dumps(clipped[:5])}"
    unsourced = unsourced_values(browser)
    if name not in ("sparql",):  # query results are whatever the query selects
        assert not unsourced, f"values without a source link: {unsourced[:5]}"
    links = browser.evaluate(SOURCE_LINKS)
    if name in (
        "country-KAZ",
        "indicator-prison-population-rate",
        "treaty-CAT",
        "observation-KAZ-prison-population-2017",
    ):
        assert links, f"{name} links no source line"
    assert not anchors_exist(live, links)
    assert not re.search(
        r"\b(qb|sdmx-dimension|sdmx-attribute|prov|dcat|skos|dcterms):[A-Za-z]",
        browser.evaluate("document.body.innerText"),
    )


def test_country_page_summary_and_chart(browser: Browser, live: LiveServer) -> None:
    """The summary comes first; the population chart's ticks read in full; ratios read
    "13 of 19"; the citation line is there."""
    browser.resize(1280)
    browser.open(live.base + PAGES["country-KAZ"])
    text = browser.evaluate("document.body.innerText")
    assert text.index("Summary") < text.index("Headline figures")
    assert "13 of 19" in text and "4 of 8" in text
    assert "(Year)" not in text
    assert "(per 100,000 of National Population) (per 100,000" not in text
    assert "Source: Global Detention Project, Kazakhstan country profile" in text
    assert "last updated" in text
    ticks = browser.evaluate(
        "[...document.querySelectorAll('#chart-population text.tick')].map(t => t.textContent)"
    )
    assert "20,000,000" in ticks
    for kind in ("Turtle", "JSON-LD", "N-Triples", "CSV"):
        assert browser.evaluate(
            f"[...document.querySelectorAll('p.formats a')].some(a => a.textContent === {kind!r})"
        ), kind


def test_source_page_highlights_the_lines(browser: Browser, live: LiveServer) -> None:
    browser.resize(1280)
    browser.open("about:blank")
    browser.open(live.base + PAGES["source-kazakhstan"])
    marked = browser.evaluate("[...document.querySelectorAll('.src div.hl')].map(d => d.id)")
    assert marked == ["L71", "L88", "L89"]
    assert browser.evaluate("document.querySelector('#L88').getBoundingClientRect().top") < 900
