"""What the public endpoint refuses before running a query."""

from __future__ import annotations

import pytest

from gdp_rdf.errors import QueryRefusedError
from gdp_rdf.sparql.catalogue import catalogue
from gdp_rdf.vocab import WIKIDATA_SPARQL
from gdp_rdf.web.sparql_guard import Policy, check

BASE = "https://w3id.org/gdp-rdf/"
CLOSED = Policy.default(BASE)
OPEN = Policy.default(BASE, allow_wikidata=True)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://a>",
        "# a comment\nCREATE GRAPH <http://a>",
        "WITH <http://a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_with_403(text: str) -> None:
    with pytest.raises(QueryRefusedError) as refused:
        check(text, OPEN)
    assert refused.value.status == 403
    assert "update" in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } } }",
        f"SELECT * WHERE {{ SERVICE <{WIKIDATA_SPARQL}> {{ ?s ?p ?o }} }}",  # off by default
    ],
)
def test_service_outside_the_allow_list_is_refused(text: str) -> None:
    with pytest.raises(QueryRefusedError) as refused:
        check(text, CLOSED)
    assert refused.value.status == 403


def test_wikidata_service_when_switched_on() -> None:
    check(f"SELECT * WHERE {{ SERVICE <{WIKIDATA_SPARQL}> {{ ?s ?p ?o }} }}", OPEN)
    for query in catalogue().values():
        if query.services:
            check(query.text, OPEN)
            with pytest.raises(QueryRefusedError):
                check(query.text, CLOSED)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://evil.example/graph> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://169.254.169.254/latest> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX e: <file:///etc/> SELECT * FROM e:passwd WHERE { ?s ?p ?o }",
        "BASE <http://evil.example/> SELECT * FROM <graph> WHERE { ?s ?p ?o }",
    ],
)
def test_from_other_hosts_is_refused(text: str) -> None:
    with pytest.raises(QueryRefusedError) as refused:
        check(text, OPEN)
    assert refused.value.status == 403


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * FROM <{BASE}graph/main> WHERE {{ ?s ?p ?o }}",
        "SELECT * WHERE { ?s ?p 'SERVICE <http://example.org/> and FROM <http://x/>' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/sparql>",
        "SELECT ?service ?from WHERE { ?service ?from ?o }",
        'SELECT * WHERE { ?s ?p """INSERT DATA { }""" }',
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o ; ex:from ?f }",
        "ASK { ?s ?p ?o }",
        "DESCRIBE <https://w3id.org/gdp-rdf/id/country/KAZ>",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
    ],
)
def test_harmless_queries_pass(text: str) -> None:
    check(text, CLOSED)


def test_every_local_catalogue_query_passes() -> None:
    for query in catalogue().values():
        if not query.services:
            check(query.text, CLOSED)


def test_not_a_query_is_400() -> None:
    with pytest.raises(QueryRefusedError) as refused:
        check("hello", CLOSED)
    assert refused.value.status == 400
