"""Detention facilities on the web server (issue 17 item 5): the facility page shows every value
its GDP page printed, each with its line, "No Data" / "Not Available" as statuses, the country
block as printed there; the country page lists its facilities; the facility IRI is negotiated
like every resource.

The build is the module's own: the six facility pages with the 2013 Mexico page (the only
given country page of a country with a facility page), so one country page has a facility.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MEXICO_2013 = DATA / "archive" / "legacy-layouts" / "mexico_2013_introduction_quick_facts.txt"
BASE = "https://w3id.org/gdp-rdf/"
GDP = BASE + "def/"
TAJURA = "/id/facility/LBY/2026"
SIGLO_XXI = "/id/facility/MEX/45"
TOVARNIK = "/id/facility/HRV/1949"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gdp_rdf.pipeline import build

    out = tmp_path_factory.mktemp("facility-build") / "dist"
    build([MEXICO_2013, DATA / "detention-centres"], out, cache_dir=None)
    return out


@pytest.fixture(scope="module")
def client(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from gdp_rdf.web.app import ServerConfig, create_app

    config = ServerConfig(
        data=built,
        cache_dir=tmp_path_factory.mktemp("facility-serve"),
        profiles=DATA / "profiles",  # facility texts are served from its sibling folder
    )
    with TestClient(create_app(config), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def graph(built: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built / "gdp.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def page(client: TestClient, path: str) -> str:
    response = client.get(f"/doc{path}.html")
    assert response.status_code == 200, path
    return response.text


class Links(HTMLParser):
    """Every link of a page, its href unescaped, with its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._open = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._href, "".join(self._open)))
            self._open = None


def links(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


def text(html: str) -> str:
    """The page's text, one space between pieces."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&amp;", "&")
    return re.sub(r" ([;,)])", r"\1", flat.replace("( ", "("))


def section(html: str, anchor: str) -> str:
    """The HTML from the heading with this id to the next h2."""
    start = html.index(f'<h2 id="{anchor}"')
    end = html.find("<h2", start + 1)
    return html[start : end if end != -1 else len(html)]


def rows(html: str) -> list[str]:
    return [text(r).strip() for r in re.findall(r"<tr>.*?</tr>", html, flags=re.S)]


# -- the facility page --------------------------------------------------------------------------


def test_tajura_shows_every_field(client: TestClient) -> None:
    html = page(client, TAJURA)
    shown = text(html)
    assert "<h1>Tajura (Tajoura) Detention Centre</h1>" in html
    summary = html[html.index('class="summary facility-summary"') : html.index("</table>")]
    summary_rows = rows(summary)
    assert "City Tajura (Tajoura)" in summary_rows
    assert "Region North West/ Mediterranean Coast" in summary_rows
    assert "Country Libya (no country profile in this build)" in summary_rows
    # the status history as printed: the conflicting 2019 records and 2017 twice, each sourced
    statuses = re.findall(r"([A-Z][a-z/ ]+) \((\d{4})\) <a class=\"source source-line\"", summary)
    assert statuses == [
        ("In use", "2020"),
        ("In use", "2020"),
        ("In use", "2019"),
        ("Closed/ceased migrant detention", "2019"),
        ("In use", "2018"),
        ("In use", "2017"),
        ("In use", "2017"),
        ("In use", "2016"),
    ]
    assert "Type Immigration detention centre line 13; category: Administrative line 13" in (
        summary_rows
    )
    assert '<span class="missing-value">Not Available</span>' in summary  # custodial authority
    assert "Directorate for Combatting Illegal Migration (DCIM) (Governmental)" in shown
    assert "Passport Investigations Department (Governmental)" in shown
    assert "Detains Accompanied minors, Adult men, Adult women, Unaccompanied minors" in (
        summary_rows
    )
    figures = rows(section(html, "numbers"))
    assert "Capacity 2017 500 line 130" in figures
    assert "Reported population (Single Day) 2018 1,055 line 23" in figures
    assert "Reported population (Single Day) 2017 90 line 139" in figures
    assert 'id="chart-reported-population-single-day"' in html  # two dated values: a chart
    assert "Conditions complaints? YES 2018 details line 27" in rows(
        section(html, "deaths-complaints")
    )
    conditions = rows(section(html, "conditions"))
    for item in ("Official registry of detainees", "Access to telephones", "Medical care"):
        assert any(item in r for r in conditions), item
    segregation = rows(section(html, "segregation"))
    assert "Gender Segregation Yes 2018 details line 171" in segregation
    assert "Age Segregation No 2018 details line 176" in segregation
    monitoring = rows(section(html, "monitoring"))
    assert "Monitors & Civil Society Access International Organization for Migration 2018 " in (
        " ".join(monitoring)
    )
    snapshot = section(html, "country-snapshot")
    assert "not the country&#x27;s own values" in snapshot or "not the country's own" in snapshot
    assert rows(snapshot)[-2:] == [
        "Migration Detainee Entries 8,672 2018 line 33",
        "Reported Population (Single Day) 12,000 2022 line 37",
    ]


def test_osm_link_is_exact_and_nothing_is_fetched(client: TestClient) -> None:
    html = page(client, TAJURA)
    osm = [href for href, label in links(html) if label == "Show on OpenStreetMap"]
    assert osm == [
        "https://www.openstreetmap.org/?mlat=32.893565&mlon=13.328017#map=14/32.893565/13.328017"
    ]
    mexico = page(client, SIGLO_XXI)
    assert (
        "https://www.openstreetmap.org/?mlat=14.9201954792&mlon=-92.259106636"
        "#map=14/14.9201954792/-92.259106636"
    ) in [href for href, _ in links(mexico)]
    for body in (html, mexico):  # no tile, image, script or style from anywhere
        assert not re.search(r"<(img|iframe|script src|link rel=\"stylesheet\")", body)
        assert not re.search(r"\bsrc=\"https?:", body)


def test_siglo_xxi_authority_services_and_country(client: TestClient) -> None:
    html = page(client, SIGLO_XXI)
    shown = text(html)
    assert ("/doc/id/country/MEX.html", "Mexico") in links(html)
    assert "Instituto Nacional de Migracion (Interior or Home Affairs, Governmental)" in shown
    services = rows(section(html, "services"))
    assert any("Provider Policía Auxiliar 2018" in r for r in services)
    assert any("Service Security 2018" in r for r in services)
    assert "Deaths at facility Yes no year details line 23" in rows(
        section(html, "deaths-complaints")
    )
    detainees = " ".join(rows(section(html, "detainees")))
    for group in ("LGBTI persons", "Families", "Disabled persons", "Asylum seekers"):
        assert group in detainees
    assert "Trafficke" in detainees  # kept as printed, though not in the code list
    assert "Estación Migratoria" in rows(section(html, "type"))[-1]
    snapshot = rows(section(html, "country-snapshot"))
    assert "Migration Detainee Entries 318,660 2022 line 30" in snapshot


def test_statuses_are_never_zero(client: TestClient, graph: ox.Store) -> None:
    html = page(client, TOVARNIK)
    assert "Reported population no year No Data line 23" in rows(section(html, "numbers"))
    assert "Reported population No Data no year details line 23" in rows(
        section(html, "numbers-printed")
    )
    cells = re.findall(r'<td class="missing-value">([^<]*)', html)
    assert "No Data" in cells and "Not Available" in cells
    assert "Pending opening (2016)" in text(html)
    assert any("Detention Timeframe" in r for r in rows(section(html, "length")))
    # every missing value of every facility: its printed status in a marked cell, never 0
    found = graph.query(
        f"""SELECT ?f ?s ?raw WHERE {{ ?s <{GDP}facility> ?f ; <{GDP}missingStatus> ?status ;
            <{GDP}rawValue> ?raw }}"""
    )
    assert isinstance(found, ox.QuerySolutions)
    checked = 0
    for row in found:
        assert isinstance(row["f"], ox.NamedNode) and isinstance(row["s"], ox.NamedNode)
        assert isinstance(row["raw"], ox.Literal)
        body = page(client, "/" + row["f"].value.removeprefix(BASE))
        link = "/doc/" + row["s"].value.removeprefix(BASE) + ".html"
        line = next(r for r in re.findall(r"<tr>.*?</tr>", body) if f'href="{link}"' in r)
        assert f'<td class="missing-value">{row["raw"].value}' in line, line
        assert '<td class="num">0' not in line
        checked += 1
    assert checked >= 9


def test_every_printed_value_is_on_its_page_with_its_line(
    client: TestClient, graph: ox.Store
) -> None:
    found = graph.query(
        f"""SELECT ?f ?s ?line WHERE {{
          {{ ?s <{GDP}facility> ?f }} UNION {{ ?s <{GDP}refFacility> ?f }}
          ?s <{GDP}valueLine> ?line }}"""
    )
    assert isinstance(found, ox.QuerySolutions)
    pages: dict[str, list[str]] = {}
    count = 0
    for row in found:
        assert isinstance(row["f"], ox.NamedNode) and isinstance(row["s"], ox.NamedNode)
        assert isinstance(row["line"], ox.Literal)
        path = "/" + row["f"].value.removeprefix(BASE)
        if path not in pages:
            pages[path] = re.findall(r"<tr>.*?</tr>", page(client, path))
        link = "/doc/" + row["s"].value.removeprefix(BASE) + ".html"
        matching = [r for r in pages[path] if f'href="{link}"' in r]
        assert matching, f"{link} not on {path}"
        assert any(f'#L{row["line"].value}"' in r for r in matching), link
        count += 1
    assert len(pages) == 6 and count > 250


# -- the country page ---------------------------------------------------------------------------


def test_country_page_lists_its_facilities(client: TestClient) -> None:
    html = page(client, "/id/country/MEX")
    listed = section(html, "facilities")
    assert "Detention facilities (1)" in listed
    assert ("/doc/id/facility/MEX/45.html", "Tapachula Estacion Migratoria (Siglo XXI)") in links(
        listed
    )
    (row,) = rows(listed)[1:]
    assert row.startswith(
        "Tapachula Estacion Migratoria (Siglo XXI) In use (2023) "
        "Immigration detention centre (Administrative) 960 line 22 not printed "
        "Accompanied minors, Adult men, Adult women, Asylum seekers (administrative)"
    ), row
    # the facility page's country block is not among the country's values
    assert "318,660" not in html


def test_a_country_with_facilities_and_no_profile_has_a_page(client: TestClient) -> None:
    assert ("/doc/id/country/LBY.html", "Libya") in links(page(client, TAJURA))
    html = page(client, "/id/country/LBY")
    assert "<h1>Libya <small>(LBY)</small></h1>" in html
    assert "The build has no country profile of this country" in html  # not an empty profile
    (row,) = rows(section(html, "facilities"))[1:]
    assert row == (
        "Tajura (Tajoura) Detention Centre In use (2020) Immigration detention centre "
        "(Administrative) 500 (2017) line 130 1,055 (2018) line 23 Accompanied minors, "
        "Adult men, Adult women, Unaccompanied minors line 3"
    )
    response = client.get("/id/country/LBY", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    data = rdflib.Graph().parse(data=client.get(response.headers["location"]).content)
    facility = rdflib.URIRef(BASE + TAJURA.lstrip("/"))
    assert (facility, rdflib.URIRef(GDP + "country"), rdflib.URIRef(BASE + "id/country/LBY")) in (
        data
    )
    assert len(data) > 500  # the facility, its values, its page, its organisations
    assert client.get("/id/country/ZZZ").status_code == 404


def test_latest_population_and_no_data_in_the_list() -> None:
    from decimal import Decimal

    from gdp_rdf.web.facility_model import FacilityRow, Figure, Printed
    from gdp_rdf.web.facility_page import facility_list

    status = Printed("s", "facility-status", "Status", "", "In use", False, None, "2020", 9, (9,))
    no_data = Printed(
        "p", "reported-population", "Reported population", "", "No Data", True, None, "", 22, (22,)
    )
    capacity = Figure("o", "capacity", "Capacity", 2018, Decimal(1000), 21, (21,))
    row = FacilityRow(
        "f", "A centre", status, "Prison (Criminal)", capacity, no_data, [], "a.txt", 5
    )
    html = facility_list([row], lambda iri: "/" + iri)
    assert '<td class="num">1,000 (2018)' in html
    assert '<td class="missing-value">No Data <a class="source source-line"' in html
    assert ">0<" not in html


# -- negotiation and the page text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "extension"),
    [
        ("text/html", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
    ],
)
def test_facility_iri_is_negotiated(client: TestClient, accept: str, extension: str) -> None:
    response = client.get(TAJURA, headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["location"] == f"/doc{TAJURA}.{extension}"
    assert response.headers["vary"] == "Accept"
    assert f'</doc{TAJURA}.ttl>; rel="alternate"; type="text/turtle"' in response.headers["link"]
    document = client.get(response.headers["location"])
    assert document.status_code == 200
    if extension == "html":
        assert "<h1>Tajura (Tajoura) Detention Centre</h1>" in document.text
        return
    kinds = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}
    data = rdflib.Graph().parse(data=document.content, format=kinds[extension])
    facility = rdflib.URIRef(BASE + TAJURA.lstrip("/"))
    gdp = rdflib.Namespace(GDP)
    assert (facility, rdflib.RDF.type, gdp.DetentionFacility) in data
    statements = set(data.subjects(gdp.facility, facility))
    observations = set(data.subjects(gdp.refFacility, facility))
    assert len(statements) > 40 and len(observations) == 4
    wkt = rdflib.URIRef("http://www.opengis.net/ont/geosparql#asWKT")
    assert any(str(o) == "POINT(13.328017 32.893565)" for o in data.objects(None, wkt))
    assert not any(isinstance(t, rdflib.BNode) for triple in data for t in triple)


def test_facility_page_text_is_served_with_line_anchors(client: TestClient) -> None:
    response = client.get("/source/libya_tajura_tajoura_detention_centre.txt?lines=9,63")
    assert response.status_code == 200
    assert '<div id="L63" class="hl">' in response.text
    assert "detention-facility page" in response.text
    assert ("/doc/id/facility/LBY/2026.html", "Tajura (Tajoura) Detention Centre") in links(
        response.text
    )
    plain = client.get("/source/libya_tajura_tajoura_detention_centre.txt?plain")
    assert plain.text == (
        DATA / "detention-centres" / "libya_tajura_tajoura_detention_centre.txt"
    ).read_text(encoding="utf-8")
    assert client.get("/source/not-a-page.txt").status_code == 404
