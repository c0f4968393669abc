"""What readers and machine clients get beyond the linked-data core (issue 13): the summary,
ratios, labels instead of prefixed names, clickable sources, CSV downloads, the observations
CSV with its CSVW metadata, SPARQL for `Accept: */*`, the access log."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import PROFILES
from starlette.testclient import TestClient

from gdp_rdf.graph.tabular import FIELDS
from gdp_rdf.reader.codelists import plain_label
from gdp_rdf.sparql.results import lexical
from gdp_rdf.web.labels import heading

KAZ = "/doc/id/country/KAZ.html"
OBSERVATION = "/doc/id/observation/KAZ/criminal-prison-population/2017.html"
RAW_NAME = re.compile(r"\b(?:qb|sdmx-dimension|sdmx-attribute|prov|dcat|skos|dcterms|rdfs|owl):\w")
SELECT = "SELECT ?n WHERE { BIND(1 AS ?n) }"
CONSTRUCT = "CONSTRUCT { <urn:a> <urn:b> 1 } WHERE {}"


@pytest.fixture(scope="module")
def site(built_history: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The server over a whole default build (history.nt included), with the profile
    texts, in-process."""
    from gdp_rdf.web.app import ServerConfig, create_app

    config = ServerConfig(
        data=built_history, cache_dir=tmp_path_factory.mktemp("reader-cache"), profiles=PROFILES
    )
    with TestClient(create_app(config), follow_redirects=False) as client:
        yield client


def text_of(html: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_labels_lose_the_year_and_the_doubled_unit() -> None:
    assert plain_label("Refugees (Year)") == "Refugees"
    assert heading("Refugees (Year)", "persons") == "Refugees (persons)"
    assert (
        heading(
            "Prison Population Rate (per 100,000 of National Population)",
            "per 100,000 of the national population",
        )
        == "Prison Population Rate (per 100,000 of National Population)"
    )


def test_country_page_opens_with_a_summary(site: TestClient) -> None:
    html = site.get(KAZ).text
    text = text_of(html)
    assert text.index("Summary") < text.index("Headline figures")
    summary = re.search(r'<table id="key-figures">.*?</table>', html, re.DOTALL)
    assert summary is not None
    assert "19,600,000" in summary.group(0) and "2023" in summary.group(0)
    assert "13 of 19" in text and "4 of 8" in text  # ratios with their denominators
    assert re.search(r"\d+ values? on this profile (?:are|is) missing", text)
    assert "(Year)" not in text
    assert "(per 100,000 of the national population)" not in text.split("Summary", 1)[1]
    assert "Source: Global Detention Project, Kazakhstan country profile" in text
    assert "last updated 2024-07" in text


def test_every_page_links_its_formats_and_cites_its_source(site: TestClient) -> None:
    for path in (KAZ, OBSERVATION, "/doc/id/treaty/CAT.html", "/sparql", "/dumps/", "/"):
        html = site.get(path, headers={"Accept": "text/html"}).text
        assert "no licence for them has been confirmed" in html, path
        assert "Source: Global Detention Project" in html, path
    html = site.get(KAZ).text
    for kind, href in (
        ("Turtle", "/doc/id/country/KAZ.ttl"),
        ("JSON-LD", "/doc/id/country/KAZ.jsonld"),
        ("N-Triples", "/doc/id/country/KAZ.nt"),
        ("CSV", "/doc/id/country/KAZ.csv"),
    ):
        assert f'<a href="{href}">{kind}</a>' in html


def test_observation_page_speaks_plainly(site: TestClient) -> None:
    html = site.get(OBSERVATION).text
    text = text_of(html)
    assert not RAW_NAME.search(text), RAW_NAME.search(text)
    assert "statistical observation" in text and "36,343" in text
    assert "source line" not in text and "value line" not in text
    for line in (71, 72, 73):
        assert f"#L{line}" in html
    html = site.get("/doc/id/treaty/CAT.html").text
    assert "reviewed" not in text_of(html)
    assert not RAW_NAME.search(text_of(html))


def test_source_is_served_with_line_anchors(site: TestClient) -> None:
    html = site.get("/source/kazakhstan.txt", params={"lines": "71,88"}).text
    assert '<div id="L88" class="hl">' in html and '<div id="L71" class="hl">' in html
    assert '<div id="L87">' in html
    assert (
        site.get("/source/kazakhstan.txt?plain").text == (PROFILES / "kazakhstan.txt").read_text()
    )
    assert site.get("/source/nothing.txt").status_code == 404
    assert site.get("/source/..%2Fpyproject.toml").status_code == 404
    # a profile that names its GDP page links it
    page = site.get("/source/kyrgyzstan.txt").text
    assert (
        '<a href="http://www.globaldetentionproject.org/countries/asia-pacific/kyrgyzstan">' in page
    )


def test_country_and_indicator_csv(site: TestClient) -> None:
    answer = site.get("/doc/id/country/KAZ.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert tuple(rows[0]) == FIELDS
    assert {r["country"] for r in rows} == {"KAZ"}
    ratio = next(r for r in rows if r["indicator"] == "treaties-ratio")
    assert (ratio["value"], ratio["denominator"]) == ("13", "19")
    missing = [r for r in rows if r["status"]]
    # a gap is not a 0: a missing value has a status and no number ("Unknown" is an answer)
    assert missing and all(r["value_type"] in ("", "answer") for r in missing)
    assert any(r["value"] == "" for r in missing)
    # a gap's status is the measure, a status printed with a value an attribute
    assert all(
        r["status_type"] == ("obsStatus" if r["value"] else "missingStatus") for r in missing
    )
    # the year of the period code; none for a value printed without one (period:unknown)
    assert {r["observation"].endswith("/undated") for r in rows if not r["period"]} == {True}
    assert any(r["period"] == "2017" for r in rows)
    rows = list(
        csv.DictReader(io.StringIO(site.get("/doc/code/indicator/prison-population-rate.csv").text))
    )
    assert len({r["country"] for r in rows}) > 10
    assert site.get("/doc/id/treaty/CAT.csv").status_code == 404


def test_indicator_ranking_lists_gaps_apart(site: TestClient) -> None:
    html = site.get("/doc/code/indicator/prison-population-rate.html").text
    assert 'id="ranking-chart"' in html and '<h2 id="gaps">No value (' in html
    chart = re.search(r'<svg[^>]*id="ranking-chart".*?</svg>', html, re.DOTALL)
    assert (
        chart is not None
        and chart.group(0).count('class="bar"')
        == html.count('<td class="num">', html.index('id="ranking-table"')) // 2
    )


def test_treaty_page_lists_parties(site: TestClient) -> None:
    html = site.get("/doc/id/treaty/CAT.html").text
    parties = re.search(r'<table id="parties-table">.*?</table>', html, re.DOTALL)
    assert parties is not None and "Kazakhstan" in parties.group(0) and "1998" in parties.group(0)
    assert "Not known (" in html  # profiles without a treaties table are not non-parties


def test_dumps_are_named_by_country(site: TestClient) -> None:
    html = site.get("/dumps/").text
    assert "Everything about Andorra, in Turtle" in html
    assert "observations.csv" in html


@pytest.mark.parametrize("accept", [None, "*/*"])
def test_sparql_gives_machines_data(site: TestClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    if accept is None:
        headers = {"Accept": ""}
    answer = site.get("/sparql", params={"query": SELECT}, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/sparql-results+json")
    graph = site.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert graph.headers["content-type"].startswith("text/turtle")


def test_sparql_in_a_browser_offers_downloads(site: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    html = site.get("/sparql", params={"query": SELECT}, headers={"Accept": accept}).text
    assert "<h2>Results (1)</h2>" in html
    query = urllib.parse.quote(SELECT)
    assert f'href="/sparql?query={query}&amp;format=csv"' in html
    answer = site.get(
        "/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": accept}
    )
    assert (
        answer.headers["content-type"].startswith("text/csv")
        and "attachment" in answer.headers["content-disposition"]
    )


def test_observations_csv_round_trips_through_csvw(built: Path, store: ox.Store) -> None:
    """Read with its CSVW metadata by a CSVW processor, the CSV gives the graph's observations,
    and every triple its metadata makes of a cell is in the graph, in the gdp: terms."""
    from csvw import Table

    def cell(value: object) -> str:
        if value is None:
            return ""
        unsplit = getattr(value, "unsplit", None)  # an anyURI cell is an rfc3986 reference
        return str(unsplit() if unsplit else value)

    table = Table.from_file(built / "observations.csv-metadata.json")
    rows = [{name: cell(value) for name, value in row.items()} for row in table.iterdicts()]
    columns = ("observation", "country", "indicator", "period", "value", "denominator")
    columns += ("unit", "status", "source_line")
    from_csv = {tuple(row[c] for c in columns) for row in rows}
    query = """PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
      PREFIX qb: <http://purl.org/linked-data/cube#>
      SELECT ?obs ?iso3 ?code ?period ?value ?denominator ?unit ?status ?line WHERE {
        ?obs a qb:Observation ; gdp:refArea/gdp:iso3 ?iso3 ;
             gdp:indicator/<http://www.w3.org/2004/02/skos/core#notation> ?code ; gdp:valueLine ?line .
        OPTIONAL { ?obs gdp:refPeriod/gdp:year ?period }
        OPTIONAL { ?obs gdp:numericValue|gdp:rank|gdp:answer|gdp:textValue ?value }
        OPTIONAL { ?obs gdp:denominator ?denominator }
        OPTIONAL { ?obs gdp:unitMeasure ?unit }
        OPTIONAL { ?obs gdp:missingStatus|gdp:obsStatus ?status } }"""
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    from_graph = {
        tuple(
            "" if row[name] is None else row[name].value  # type: ignore[union-attr]
            for name in (
                "obs",
                "iso3",
                "code",
                "period",
                "value",
                "denominator",
                "unit",
                "status",
                "line",
            )
        )
        for row in result
    }
    assert len(from_graph) > 500
    assert from_csv == from_graph
    assert any(row["period"] == "" for row in rows)  # period:unknown: printed without a year

    # csv2rdf (W3C CSVW, section 4.6): one triple per non-empty cell of an output column
    schema = table.tableSchema
    made: set[tuple[str, str, str]] = set()
    for row in rows:
        for column in schema.columns:
            if column.suppressOutput or not row[column.name]:
                continue
            about = (column.aboutUrl or schema.aboutUrl).expand(**row)
            value = column.valueUrl.expand(**row) if column.valueUrl else row[column.name]
            made.add((about, column.propertyUrl.expand(**row), value))
    properties = {p for _, p, _ in made}
    gdp = "https://w3id.org/gdp-rdf/def/"
    assert properties >= {gdp + "refArea", gdp + "refPeriod", gdp + "missingStatus"}
    assert all(p.startswith(gdp) for p in properties), properties

    def in_graph(subject: str, predicate: str, value: str) -> bool:
        found = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
        return value in {lexical(quad.object) for quad in found}

    missing = [triple for triple in made if not in_graph(*triple)]
    assert not missing, missing[:5]
    void = (built / "void.ttl").read_text(encoding="utf-8")
    assert "observations.csv-metadata.json" in void and "text/csv" in void


def test_access_log(built: Path, tmp_path: Path) -> None:
    """--access-log FILE writes one Combined Log Format line per request; --no-access-log none."""
    from live_server import LiveServer

    log = tmp_path / "access.log"
    server = LiveServer(built, tmp_path / "on", "--access-log", str(log)).start()
    try:
        server.get("/sparql?query=" + urllib.parse.quote(SELECT))
        # refused by the HTTP parser before the app sees them, and logged all the same
        long_url = f"GET /sparql?query={'x' * 70_000} HTTP/1.1\r\nHost: a\r\n\r\n"
        filler = "".join(f"X-Filler-{i}: {'y' * 1000}\r\n" for i in range(140))
        garbage = "NOT HTTP AT ALL\r\n\r\n"  # a bad request, not a refusal: uvicorn's warning
        for head in (long_url, f"GET /big HTTP/1.1\r\nHost: a\r\n{filler}\r\n", garbage):
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    connection.sendall(head.encode())
                while connection.recv(65536):
                    pass
    finally:
        server.stop()
    lines = log.read_text().splitlines()
    pattern = re.compile(
        r'^127\.0\.0\.1 - - \[[^\]]+\] "GET /sparql\?query=\S+ HTTP/1\.1" 200 \d+ "-" "[^"]*"$'
    )
    assert any(pattern.match(line) for line in lines), lines
    refused = [line for line in lines if '" 414 ' in line or '" 431 ' in line]
    assert len(refused) == 2, lines
    assert re.search(r'"GET /sparql\?query=x{2034}\.\.\. HTTP/-" 414 \d+ "-" "-"$', refused[0])
    assert re.search(r'"GET /big HTTP/1\.1" 431 \d+ "-" "-"$', refused[1])
    # the refusals are not reported as invalid requests too; the garbage is, once
    assert server.log.read_text().count("Invalid HTTP request received.") == 1
    quiet = LiveServer(built, tmp_path / "off", "--no-access-log").start()
    try:
        quiet.get("/")
    finally:
        quiet.stop()
    assert '"GET / HTTP' not in quiet.log.read_text()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/def/",
        "/shapes/",
        "/dumps/",
        "/doc/id/dataset/gdp.html",
        "/doc/code/indicator.html",
        "/doc/id/ratification/KAZ/CAT.html",
        "/doc/id/profile/KAZ.html",
        "/doc/code/indicator/refugees.html",
        KAZ,
        OBSERVATION,
        "/sparql",
    ],
)
def test_no_raw_prefixed_names(site: TestClient, path: str) -> None:
    html = site.get(path, headers={"Accept": "text/html"}).text
    html = re.sub(r"<textarea[^>]*>.*?</textarea>", "", html, flags=re.DOTALL)
    raw = re.compile(
        r"\b(?:qb|sdmx-dimension|sdmx-attribute|prov|dcat|skos|dcterms|rdfs|rdf|owl|xsd|void|"
        r"schema|foaf|spdx):[A-Za-z]"
    )
    assert not raw.search(text_of(html)), raw.findall(text_of(html))[:5]


def test_a_fact_page_cites_its_profile(site: TestClient) -> None:
    text = text_of(site.get(OBSERVATION).text)
    assert (
        "Source: Global Detention Project, Kazakhstan country profile, last updated 2024-07."
        in text
    )


def test_source_refuses_another_version_of_the_text(built: Path, tmp_path: Path) -> None:
    """Line anchors into an edited copy would point at the wrong lines: 404, said plainly."""
    from gdp_rdf.web.app import ServerConfig, create_app

    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "kazakhstan.txt").write_text("Kazakhstan\n\nedited\n", encoding="utf-8")
    config = ServerConfig(data=built, cache_dir=tmp_path / "cache", profiles=folder)
    with TestClient(create_app(config)) as client:
        answer = client.get("/source/kazakhstan.txt", headers={"Accept": "text/plain"})
    assert answer.status_code == 404
    assert "not the text the graph was built from" in answer.text


def test_gaps_are_listed_never_drawn(site: TestClient) -> None:
    """Migration detainee entries: 2 profiles print a number, 10 print "Not available"."""
    html = site.get("/doc/code/indicator/migration-detainee-entries.html").text
    chart = re.search(r'<svg[^>]*id="ranking-chart".*?</svg>', html, re.DOTALL)
    assert chart is not None and chart.group(0).count('class="bar"') == 2
    gaps = html.split('<h2 id="gaps">', 1)[1].split("</ul>", 1)[0]
    assert gaps.startswith("No value (10)") and gaps.count("Not available") == 10
    assert "Kazakhstan" not in chart.group(0)


def test_every_external_term_of_a_default_build_has_a_plain_label(built_history: Path) -> None:
    """What a default build (history, quality, facilities included) says with terms the
    project does not own, the pages can name in plain words: no raw prefixed name."""
    from gdp_rdf.vocab import DEFAULT_BASE
    from gdp_rdf.web.labels import external_label

    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    terms: set[str] = set()
    for dump in sorted(built_history.glob("*.nt")):
        for line in dump.read_text(encoding="utf-8").splitlines():
            _, predicate, rest = line.split(" ", 2)
            terms.add(predicate[1:-1])
            if predicate == rdf_type:
                terms.add(rest[1 : rest.index(">")])
    external = {t for t in terms if not t.startswith(DEFAULT_BASE)}
    assert len(external) > 50
    assert sorted(t for t in external if external_label(t) is None) == []
