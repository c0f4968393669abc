"""The facility pages in headless Chromium at 1280 px and 375 px (issue 17 item 5): a facility
page, a country page listing its facility, a facility page's text. On each: no horizontal
scroll, no serious or critical axe-core violation, every value linked to its source line and
that line's anchor present, nothing requested from anywhere but the server (the map is a link
to OpenStreetMap). Full-page screenshots land in tests/artifacts/pages/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser
from live_server import LiveServer
from test_browser_pages import anchors_exist, axe, browser, open_and_check, unsourced_values

__all__ = ["axe", "browser"]  # the fixtures, shared with the other page tests

pytestmark = pytest.mark.server
DATA = Path(__file__).resolve().parent.parent / "data"
MEXICO_2013 = DATA / "archive" / "legacy-layouts" / "mexico_2013_introduction_quick_facts.txt"
PAGES = {
    "facility-LBY-tajura": "/doc/id/facility/LBY/2026.html",
    "facility-MEX-siglo-xxi": "/doc/id/facility/MEX/45.html",
    "facility-HRV-tovarnik": "/doc/id/facility/HRV/1949.html",
    "country-MEX-facilities": "/doc/id/country/MEX.html",
    "country-LBY-facilities-only": "/doc/id/country/LBY.html",
    "source-tajura": "/source/libya_tajura_tajoura_detention_centre.txt?lines=63,65#L63",
}
WIDTHS = (1280, 375)
# Everything the page loaded besides itself (images, styles, scripts, fonts, fetches).
LOADED = "performance.getEntriesByType('resource').map(e => e.name)"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from gdp_rdf.pipeline import build

    folder = tmp_path_factory.mktemp("facility-pages")
    # the texts as `serve` finds them: the profiles, the facility pages in the folder beside
    profiles, facilities = folder / "profiles", folder / "detention-centres"
    profiles.mkdir()
    shutil.copy(MEXICO_2013, profiles)
    shutil.copytree(DATA / "detention-centres", facilities)
    out = folder / "dist"
    build([profiles, facilities], out, cache_dir=None)
    server = LiveServer(
        out, tmp_path_factory.mktemp("facility-live"), "--profiles", str(profiles)
    ).start()
    yield server
    server.stop()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_facility_page_reads_well(
    browser: Browser, axe: str, live: LiveServer, name: str, width: int
) -> None:
    open_and_check(browser, axe, live.base + PAGES[name], name, width)
    loaded = browser.evaluate(LOADED)
    assert all(url.startswith(live.base + "/") for url in loaded), loaded
    unsourced = unsourced_values(browser)
    assert not unsourced, f"values without a source link: {unsourced[:5]}"
    links = browser.evaluate(
        "[...document.querySelectorAll('a.source-line')].map(a => a.getAttribute('href'))"
    )
    if name != "source-tajura":
        assert links, f"{name} links no source line"
    assert not anchors_exist(live, links)
    if name.startswith("facility-"):
        osm = browser.evaluate("[...document.querySelectorAll('a.osm')].map(a => a.href)")
        expected = {
            "facility-LBY-tajura": "mlat=32.893565&mlon=13.328017#map=14/32.893565/13.328017",
            "facility-MEX-siglo-xxi": "mlat=14.9201954792&mlon=-92.259106636"
            "#map=14/14.9201954792/-92.259106636",
            "facility-HRV-tovarnik": "mlat=45.1938&mlon=19.1448#map=14/45.1938/19.1448",
        }[name]
        assert osm == ["https://www.openstreetmap.org/?" + expected]
