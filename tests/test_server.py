"""`gdp-rdf serve` in-process: dereferencing, negotiation, headers, every page type, dumps,
the SPARQL protocol. (Security, a real browser and load run against a live server.)"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from gdp_rdf.sparql.catalogue import catalogue
from gdp_rdf.web.app import runnable_catalogue

BASE = "https://w3id.org/gdp-rdf/"
KAZ = "/id/country/KAZ"
TURTLE = {"Accept": "text/turtle"}
JSON_RESULTS = {"Accept": "application/sparql-results+json"}
FORMATS = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


def triples(response: object) -> set[ox.Triple]:
    kind = response.headers["content-type"].split(";")[0]  # type: ignore[attr-defined]
    return set(ox.parse(response.content, format=RDF_FORMATS[kind]))  # type: ignore[attr-defined]


def minted_iris(built: Path) -> set[str]:
    """Every IRI under the base that the build published, without fragments."""
    found: set[str] = set()
    for name in ("gdp.nt", "void.ttl"):
        for triple in ox.parse(path=str(built / name)):
            for term in (triple.subject, triple.predicate, triple.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                    found.add(term.value.split("#")[0])
    return found


# -- dereferencing -----------------------------------------------------------------------------


def test_country_iri_gives_its_triples_to_a_turtle_client(web: TestClient, built: Path) -> None:
    response = web.get(KAZ, headers=TURTLE)
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/id/country/KAZ.ttl"
    assert response.headers["vary"] == "Accept"
    document = web.get(response.headers["location"])
    assert document.status_code == 200
    assert document.headers["content-type"].startswith("text/turtle")
    # the country's triples: exactly Kazakhstan's own block of its dump (a country dump also
    # carries the shared block, which every country dump repeats)
    dump = set(ox.parse(path=str(built / "country" / "KAZ.ttl")))
    shared = dump & set(ox.parse(path=str(built / "country" / "AND.ttl")))
    assert triples(document) == dump - shared


def test_browser_gets_the_html_page(web: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = web.get(KAZ, headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/id/country/KAZ.html"
    page = web.get(response.headers["location"])
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Kazakhstan" in page.text


@pytest.mark.parametrize(
    ("accept", "extension"),
    [
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("text/turtle;q=0.4, application/ld+json;q=0.8", "jsonld"),
        ("text/html;q=0.1, application/n-triples", "nt"),
        ("text/html;q=0, */*;q=0.5", "ttl"),
        ("*/*", "html"),
    ],
)
def test_negotiation_by_accept_with_q_values(web: TestClient, accept: str, extension: str) -> None:
    response = web.get("/id/treaty/CAT", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["location"] == f"/doc/id/treaty/CAT.{extension}"


def test_all_formats_carry_the_same_triples(web: TestClient) -> None:
    graphs = [triples(web.get(f"/doc/id/country/KAZ.{ext}")) for ext in ("ttl", "jsonld", "nt")]
    assert graphs[0] == graphs[1] == graphs[2]
    assert len(graphs[0]) > 1000


def test_link_headers_list_every_format(web: TestClient) -> None:
    for response in (web.get(KAZ, headers=TURTLE), web.get("/doc/id/country/KAZ")):
        links = re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', response.headers["link"])
        expected = [(f"/doc/id/country/KAZ.{ext}", kind) for ext, kind in FORMATS.items()]
        expected.append(("/doc/id/country/KAZ.csv", "text/csv"))  # a country's observations
        assert sorted(links) == sorted(expected)


@pytest.mark.parametrize(("extension", "kind"), FORMATS.items())
def test_extension_chooses_the_format(web: TestClient, extension: str, kind: str) -> None:
    response = web.get(f"/doc/id/country/KAZ.{extension}", headers={"Accept": "image/png"})
    assert response.status_code == 200  # the extension wins over Accept
    assert response.headers["content-type"].split(";")[0] == kind
    assert "vary" not in response.headers


def test_extension_on_the_thing_iri_redirects_to_the_document(web: TestClient) -> None:
    response = web.get("/id/country/KAZ.ttl")
    assert response.status_code == 301
    assert response.headers["location"] == "/doc/id/country/KAZ.ttl"


def test_documents_carry_an_etag_and_answer_304(web: TestClient) -> None:
    first = web.get("/doc/id/country/KAZ.ttl")
    etag = first.headers["etag"]
    assert web.get("/doc/id/country/KAZ.ttl").content == first.content  # cached, the same bytes
    again = web.get("/doc/id/country/KAZ.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    assert web.get("/doc/id/country/KAZ.nt").headers["etag"] != etag


def test_document_without_extension_is_negotiated(web: TestClient) -> None:
    response = web.get("/doc/id/country/KAZ", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-location"] == "/doc/id/country/KAZ.nt"
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    "path", [KAZ, "/doc/id/country/KAZ", "/id/treaty/CAT", "/def/", "/.well-known/void"]
)
def test_406_when_nothing_acceptable(web: TestClient, path: str) -> None:
    response = web.get(path, headers={"Accept": "image/png, application/pdf"})
    assert response.status_code == 406
    assert response.headers["vary"] == "Accept"
    assert "text/turtle" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/id/country/XXX",
        "/doc/id/country/XXX.ttl",
        "/id/observation/KAZ/nothing/2020",
        "/code/indicator/no-such-indicator",
        "/def/NoSuchClass",
        "/shapes/NoSuchShape",
        "/shapes/CountryShape",
        "/doc/elsewhere.html",
        "/dumps/no-such-file.ttl",
        "/nothing-here",
        # paths no IRI can end with (RFC 3987, as Oxigraph reads it): a stray %ff decodes to
        # U+FFFD, %EE%80%80 to a private-use character
        "/id/country/%ff",
        "/doc/code/indicator/%ff.html",
        "/doc/id/country/%ff.csv",
        "/id/observation/%ff/x/1",
        "/def/%EE%80%80",
        "/id/country/a%20b",  # a space, '<', a lone '%' once decoded
        "/id/country/%3Cx",
        "/id/country/%25",
    ],
)
def test_404_for_unknown_iris(web: TestClient, path: str) -> None:
    assert web.get(path, headers=TURTLE).status_code == 404
    assert web.get(path, headers={"Accept": "text/html"}).status_code == 404


def test_every_minted_iri_resolves(web: TestClient, built: Path) -> None:
    """Each IRI of the dumps answers: 303 to a document that exists, or the file itself."""
    iris = minted_iris(built)
    assert len(iris) > 1000
    failures = []
    for iri in sorted(iris):
        path = "/" + iri[len(BASE) :]
        if path == "/sparql":  # the endpoint VoID advertises: it answers queries
            path += "?query=ASK%7B%7D"
        response = web.get(path, headers=TURTLE)
        if response.status_code == 303:
            target = web.head(response.headers["location"])
            if target.status_code != 200:
                failures.append(f"{iri} -> {response.headers['location']}: {target.status_code}")
        elif response.status_code != 200:
            failures.append(f"{iri}: {response.status_code}")
    assert not failures, failures[:20]


def test_ontology_and_shapes_at_their_namespaces(web: TestClient) -> None:
    for path, kind in (("/def/", "owl:Ontology"), ("/shapes/", "sh:NodeShape")):
        turtle = web.get(path, headers=TURTLE)
        assert turtle.status_code == 200 and kind in turtle.text
        assert len(set(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))) > 100
        assert turtle.headers["vary"] == "Accept"
    ontology = web.get("/def/", headers={"Accept": "text/html"}).text
    assert '<tr id="Country"><td><strong>Country</strong>' in ontology  # labels, anchors
    assert "<h2>Classes (" in ontology and "<h2>Datatype properties (" in ontology
    shapes = web.get("/shapes/", headers={"Accept": "text/html"}).text
    assert '<tr id="Country">' in shapes and "<h2>Node shapes (" in shapes
    term = web.get("/def/Country", headers=TURTLE)
    assert term.status_code == 303
    assert (BASE + "def/Country") in {
        str(t.subject.value) for t in triples(web.get(term.headers["location"]))
    }
    shape = web.get("/shapes/Country", headers=TURTLE)
    assert shape.status_code == 303 and shape.headers["location"] == "/shapes/#Country"


# -- HTML pages --------------------------------------------------------------------------------


def page(web: TestClient, path: str) -> str:
    response = web.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200, path
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def embedded_jsonld(html: str) -> dict[str, object]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(found) == 1
    return json.loads(found[0].replace("<\\/", "</"))  # type: ignore[no-any-return]


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.DOTALL).group(1)  # type: ignore[union-attr]


PAGES = {
    "country": KAZ,
    "indicator": "/code/indicator/prison-population-rate",
    "observation": "/id/observation/KAZ/prison-population-rate/2017",
    "treaty": "/id/treaty/CAT",
    "ratification": "/id/ratification/KAZ/CAT",
    "recommendation": None,  # found from the country page
    "dataset": "/id/dataset/gdp",
    "ontology": "/def/",
    "shapes": "/shapes/",
    "home": "/",
    "dumps": "/dumps/",
    "sparql": "/sparql",
}


def recommendation_path(web: TestClient) -> str:
    found = re.search(r'href="/doc/(id/recommendation/KAZ/[^"]+)\.html"', page(web, KAZ))
    assert found
    return "/" + found.group(1)


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_type_is_plain_html_with_schema_org(web: TestClient, kind: str) -> None:
    html = page(web, PAGES[kind] or recommendation_path(web))
    assert html.startswith("<!DOCTYPE html>")
    # readable with JavaScript off: no scripts but the JSON-LD data island, nothing external
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all(attrs == ' type="application/ld+json"' for attrs in scripts)
    assert not re.search(
        r'<(?:link|img|iframe)[^>]+(?:href|src)="(?:https?:)?//',
        html.replace('rel="alternate"', ""),
    )
    assert "stylesheet" not in html
    if kind not in ("sparql", "dumps"):
        data = embedded_jsonld(html)
        assert data["@context"] == "https://schema.org"
    assert "https://w3id.org" not in h1(html)  # a label, not a raw IRI


def test_country_page(web: TestClient) -> None:
    html = page(web, KAZ)
    assert "<h1>Kazakhstan <small>(KAZ)</small></h1>" in html
    data = embedded_jsonld(html)
    assert data["@type"] == "Country" and data["identifier"] == "KAZ"
    assert data["sameAs"] == ["http://www.wikidata.org/entity/Q232"]
    assert '<a href="http://www.wikidata.org/entity/Q232">Q232</a>' in html
    # facts grouped by section, in the page's order
    sections = re.findall(r"<h2 id=\"([a-z0-9-]+)\">", html)
    assert sections.index("prison-data") < sections.index("covid-19")
    # a chart per time series, inline SVG
    chart = re.search(r'<svg[^>]*id="chart-criminal-prison-population".*?</svg>', html, re.DOTALL)
    assert chart is not None
    svg = ET.fromstring(chart.group(0))
    points = svg.findall("{http://www.w3.org/2000/svg}circle")
    assert len(points) == 9  # 1992 ... 2017
    assert "1992: 58,519" in chart.group(0)
    # each value with its source line, numbers for people
    assert '<td class="num">58,519</td>' in html
    assert re.search(r'href="/source/kazakhstan\.txt\?lines=[0-9,]*#L88"', html)
    # "Not available" is shown as missing, never as 0
    assert '<td class="missing-value">Not available</td>' in html
    # treaties with years and Wikidata links, recommendation text
    treaties = re.search(r'<table id="treaties">.*?</table>', html, re.DOTALL).group(0)  # type: ignore[union-attr]
    assert "Convention against Torture and Other Cruel" in treaties and "<td>1998</td>" in treaties
    assert treaties.count("<tr>") == 14  # the header and 13 ratifications
    assert 'href="http://www.wikidata.org/entity/' in treaties
    assert "The State party should ensure that no one may be expelled" in html


def test_country_page_says_how_the_profile_printed_the_name(web: TestClient) -> None:
    assert "Printed on the profile as “Micronesia”." in page(web, "/id/country/FSM")
    assert "Printed on the profile as" not in page(web, KAZ)  # printed as named


def test_observation_page(web: TestClient) -> None:
    html = page(web, PAGES["observation"])
    assert (
        h1(html) == "Prison Population Rate (per 100,000 of National Population), Kazakhstan, 2017"
    )
    assert "Read from kazakhstan.txt, value on" in html
    assert re.search(r'href="/source/kazakhstan\.txt\?lines=[0-9,]*#L94"[^>]*>line 94</a>', html)
    assert '<a href="/doc/id/country/KAZ.html">Kazakhstan</a>' in html


def test_recommendation_page_shows_the_text(web: TestClient) -> None:
    html = page(web, recommendation_path(web))
    assert h1(html) == "Recommendation: Committee against Torture, Kazakhstan, 2023"
    assert "<blockquote>35.While noting the efforts" in html


def test_treaty_page(web: TestClient) -> None:
    html = page(web, PAGES["treaty"])
    assert (
        h1(html)
        == "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"
    )
    assert "Linked from" in html and "Ratification: Convention against Torture" in html


def test_indicator_page_lists_values_by_country(web: TestClient) -> None:
    html = page(web, PAGES["indicator"])
    assert '<h2 id="ranking">Countries by latest value (' in html
    assert '<a href="/doc/id/country/KAZ.html">Kazakhstan</a>' in html


def test_home_lists_countries_and_dumps(web: TestClient, built: Path) -> None:
    html = page(web, "/")
    countries = re.findall(r'<li><a href="/doc/id/country/([A-Z]{3})\.html">', html)
    assert len(countries) == len(list((built / "country").glob("*.ttl")))
    assert 'href="/dumps/"' in html and 'href="/sparql"' in html
    for name in ("gdp.ttl", "gdp.nt", "gdp.jsonld"):
        assert f'<a href="/dumps/{name}">{name}</a>' in html


# -- dumps and VoID ----------------------------------------------------------------------------


def test_dumps_with_checksums(web: TestClient, built: Path) -> None:
    html = page(web, "/dumps/")
    listed = re.findall(r'<a href="/dumps/([^"]+)">.*?<code>([0-9a-f]{64})</code>', html)
    assert {name for name, _ in listed} >= {"gdp.ttl", "gdp.nt", "gdp.jsonld", "country/KAZ.ttl"}
    for name, sha in listed:
        response = web.get(f"/dumps/{name}")
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == sha
        assert response.headers["etag"] == f'"{sha}"'
        assert response.content == (built / name).read_bytes()
        again = web.get(f"/dumps/{name}", headers={"If-None-Match": f'"{sha}"'})
        assert again.status_code == 304 and not again.content


def test_only_listed_dumps_are_served(web: TestClient) -> None:
    for name in ("../pyproject.toml", "%2e%2e/void.ttl", "facts.json"):
        assert web.get(f"/dumps/{name}").status_code == 404


def test_well_known_void(web: TestClient, built: Path) -> None:
    response = web.get("/.well-known/void", headers=TURTLE)
    assert response.status_code == 200 and response.content == (built / "void.ttl").read_bytes()
    assert "void:Dataset" in response.text
    people = web.get("/.well-known/void", headers={"Accept": "text/html"})
    assert people.status_code == 303 and people.headers["location"] == "/doc/id/dataset/gdp.html"


# -- the SPARQL protocol -----------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/gdp-rdf/def/Country> }"


def test_select_in_every_results_format(web: TestClient, built: Path) -> None:
    countries = len(list((built / "country").glob("*.ttl")))
    answer = web.get("/sparql", params={"query": COUNT}, headers=JSON_RESULTS)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+json"
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == str(countries)
    xml = web.get(
        "/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+xml"}
    )
    root = ET.fromstring(xml.content)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.find(f"{ns}results/{ns}result/{ns}binding/{ns}literal").text == str(countries)  # type: ignore[union-attr]
    rows = list(
        csv.reader(
            io.StringIO(
                web.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).text
            )
        )
    )
    assert rows == [["n"], [str(countries)]]
    tsv = web.get(
        "/sparql", params={"query": COUNT}, headers={"Accept": "text/tab-separated-values"}
    )
    assert tsv.text.splitlines()[0] == "?n" and str(countries) in tsv.text.splitlines()[1]


def test_post_forms_of_the_protocol(web: TestClient) -> None:
    direct = web.post(
        "/sparql",
        content=COUNT,
        headers={"Content-Type": "application/sparql-query", **JSON_RESULTS},
    )
    form = web.post("/sparql", data={"query": COUNT}, headers=JSON_RESULTS)
    assert direct.status_code == form.status_code == 200
    assert direct.json() == form.json()
    odd = web.post("/sparql", content=COUNT, headers={"Content-Type": "text/plain"})
    assert odd.status_code == 415


@pytest.mark.parametrize("kind", ["text/turtle", "application/n-triples", "application/ld+json"])
def test_construct_in_rdf_formats(web: TestClient, kind: str) -> None:
    query = f"CONSTRUCT {{ <{BASE}id/country/KAZ> ?p ?o }} WHERE {{ <{BASE}id/country/KAZ> ?p ?o }}"
    response = web.get("/sparql", params={"query": query}, headers={"Accept": kind})
    assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
    assert triples(response) == triples(web.get("/doc/id/country/KAZ.nt")) & triples(response)
    assert len(triples(response)) >= 5


def test_ask_and_errors(web: TestClient) -> None:
    ask = web.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON_RESULTS)
    assert ask.json() == {"head": {}, "boolean": True}
    # a default graph that is no IRI is the request's fault, and kills no query worker
    for _ in range(3):
        graph = web.get(
            "/sparql?query=ASK%7B%7D&default-graph-uri=%ff", headers=JSON_RESULTS
        )
        assert graph.status_code == 400 and "default-graph-uri '\ufffd' is not an IRI" in graph.text
    assert web.get("/sparql", params={"query": "ASK {}"}, headers=JSON_RESULTS).status_code == 200
    two = web.get("/sparql?query=ASK%7B%7D&query=SELECT", headers=JSON_RESULTS)
    assert two.status_code == 400 and two.text == "2 queries in one request: send one\n"
    posted = web.post(
        "/sparql?query=ASK%7B%7D",
        content=b"ASK {}",
        headers={"Content-Type": "application/sparql-query", **JSON_RESULTS},
    )
    assert posted.status_code == 400  # one in the URL, one in the body
    blank = web.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D&default-graph-uri=", headers=JSON_RESULTS)
    assert blank.json() == {"head": {}, "boolean": True}  # a blank field names no graph
    bad = web.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, headers=JSON_RESULTS)
    assert bad.status_code == 400 and "malformed query" in bad.text
    assert web.get("/sparql", headers=JSON_RESULTS).status_code == 400



@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv, application/sparql-results+xml;q=0.5", "application/sparql-results+xml"),
        ("text/tab-separated-values, application/sparql-results+json;q=0.1", JSON_RESULTS["Accept"]),
        ("text/csv", JSON_RESULTS["Accept"]),  # neither boolean format accepted: the default
    ],
)
def test_ask_in_the_preferred_format_that_holds_a_boolean(
    web: TestClient, accept: str, expected: str
) -> None:
    # CSV and TSV have no form for a boolean: the client's next choice answers an ASK
    ask = web.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": accept})
    assert ask.status_code == 200 and ask.headers["content-type"].startswith(expected)
    assert "true" in ask.text
    rows = web.get(
        "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"}, headers={"Accept": accept}
    )
    assert rows.headers["content-type"].startswith(accept.split(",")[0])

def test_query_page_runs_every_catalogue_query(web: TestClient) -> None:
    """Each local catalogue query is offered with its parameters bound to their defaults."""
    html = page(web, "/sparql")
    assert "<form" in html and "<textarea" in html
    offered = runnable_catalogue(BASE, allow_wikidata=False)
    assert {name for name, _, _ in offered} == {n for n, q in catalogue().items() if not q.services}
    for name, _, text in offered:
        assert f"<small>({name})</small>" in html
        assert f'href="/sparql?query={quote(text)}"' in html
        result = page(web, "/sparql?query=" + quote(text))
        assert "<h2>Results (" in result or "<h2>Answer</h2>" in result, name
    provenance = {n: t for n, _, t in offered}["value-provenance"]
    # issue 12: the VALUES block opens the WHERE group (every store joins it there)
    assert provenance.split("WHERE {", 1)[1].startswith(
        f" VALUES (?country ?indicator ?year) {{ (<{BASE}id/country/KAZ> "
        f"<{BASE}code/indicator/criminal-prison-population> "
        '"1992"^^<http://www.w3.org/2001/XMLSchema#gYear>) }'
    )
    rows = web.get("/sparql", params={"query": provenance}, headers=JSON_RESULTS).json()
    assert [b["line"]["value"] for b in rows["results"]["bindings"]] == ["88"]
    for name, query in catalogue().items():
        if query.services:  # federated queries are offered only with --allow-wikidata
            assert f"<small>({name})</small>" not in html
    federated = {n for n, _, _ in runnable_catalogue(BASE, allow_wikidata=True)} - {
        n for n, _, _ in offered
    }
    assert federated == {n for n, q in catalogue().items() if q.services}


def test_an_empty_answer_on_the_query_page_names_the_terms_the_graph_never_uses(
    web: TestClient,
) -> None:
    """The query page's empty answers get the note `gdp-rdf query` prints (sparql.usage):
    a server serving a build older than a query answers it with nothing, and says why."""
    query = (
        "PREFIX gdp: <https://w3id.org/gdp-rdf/def/>\n"
        'SELECT ?c WHERE {{ ?c a gdp:Country ; gdp:iso3 "ZZZ" {extra}}} # gdp:inAComment\n'
    )
    stale = page(web, "/sparql?query=" + quote(query.format(extra="; gdp:noSuchTerm 1 ")))
    assert "<h2>Results (0)</h2>" in stale
    note = re.findall(r'<p class="missing-value">([^<]*)</p>', stale)
    assert note == [
        "note: nothing in the graph this server serves uses gdp:noSuchTerm, which this query "
        "names: a build by an older gdp-rdf, or one without that data, has none (rebuild with "
        "`gdp-rdf build`)"
    ]
    ask = page(web, "/sparql?query=" + quote("ASK { ?c <https://w3id.org/gdp-rdf/def/Nope> 1 }"))
    assert "<p>no</p>" in ask and "uses gdp:Nope, which this query names" in ask
    for answered in (query.format(extra=""), "SELECT ?c WHERE { ?c a <https://w3id.org/gdp-rdf/def/Country> }"):
        assert "which this query names" not in page(web, "/sparql?query=" + quote(answered))


def test_the_query_page_links_only_what_a_browser_may_follow(web: TestClient) -> None:
    """An answer can hold any IRI: javascript: or data: is shown as text, never as a link
    someone sharing a /sparql URL could make a reader click; http(s) IRIs stay links."""
    query = (
        "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <data:text/html,x> "
        "<JavaScript:alert(2)> <https://www.wikidata.org/entity/Q232> } }"
    )
    html = page(web, "/sparql?query=" + quote(query))
    assert "<td>javascript:alert(1)</td>" in html and "<td>JavaScript:alert(2)</td>" in html
    assert 'href="javascript:' not in html.lower() and 'href="data:' not in html
    assert 'href="https://www.wikidata.org/entity/Q232"' in html


def test_public_read_only_headers(web: TestClient) -> None:
    """Any web page may query the endpoint and read the data (CORS, with the preflight a
    POST of a query asks first); no response is sniffed; a page may run no script."""
    html = web.get("/doc/id/country/KAZ.html")
    assert html.headers["access-control-allow-origin"] == "*"
    assert html.headers["x-content-type-options"] == "nosniff"
    policy = html.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    data = web.get("/sparql", params={"query": "ASK {}"}, headers=JSON_RESULTS)
    assert data.headers["access-control-allow-origin"] == "*"
    assert "content-security-policy" not in data.headers  # a policy is for pages
    assert "Link" in web.get("/doc/id/country/KAZ.ttl").headers["access-control-expose-headers"]
    preflight = web.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]
    assert web.options("/sparql").status_code == 405  # not a preflight: still no OPTIONS
    refused = web.get("/id/country/%ff")  # answered before any route: it carries them too
    assert refused.status_code == 404 and refused.headers["access-control-allow-origin"] == "*"


# -- another base IRI, and the CLI -------------------------------------------------------------


def test_serves_a_build_under_another_base_iri(tmp_path: Path) -> None:
    from conftest import PROFILES

    from gdp_rdf.pipeline import build
    from gdp_rdf.web.app import ServerConfig, create_app

    base = "http://data.example.org/gdp/"
    out = tmp_path / "dist"
    assert build([PROFILES / "kazakhstan.txt"], out, base=base).report.conforms
    config = ServerConfig(data=out, base=base, cache_dir=tmp_path / "cache")
    with TestClient(create_app(config), follow_redirects=False) as client:
        response = client.get(KAZ, headers=TURTLE)
        assert response.status_code == 303
        data = triples(client.get(response.headers["location"]))
        assert ox.NamedNode(base + "id/country/KAZ") in {t.subject for t in data}
        assert "https://w3id.org" not in client.get("/def/", headers=TURTLE).text
        html = client.get("/doc/id/country/KAZ.html").text
        assert '<a href="/doc/id/treaty/CAT.html">' in html  # links stay on this server
        offered = runnable_catalogue(base, allow_wikidata=False)
        provenance = {n: t for n, _, t in offered}["value-provenance"]
        rows = client.get("/sparql", params={"query": provenance}, headers=JSON_RESULTS).json()
        assert [b["line"]["value"] for b in rows["results"]["bindings"]] == ["88"]
        assert (
            client.get(
                f"/sparql?query={quote(f'SELECT * FROM <{base}g> {{ ?s ?p ?o }} LIMIT 1')}",
                headers=JSON_RESULTS,
            ).status_code
            == 200
        )


def test_serve_without_a_build_is_a_one_line_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from gdp_rdf.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no built graph to serve" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
