"""observations.csv is read from the blocks' lines: it must give what the parsed triples give."""

from __future__ import annotations

import pyoxigraph as ox
from conftest import PROFILES

from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.tabular import block_rows, csv_bytes, graph_csv, graph_rows, observation_rows
from gdp_rdf.graph.terms import canonical, parse_block
from gdp_rdf.pipeline import read_and_map
from gdp_rdf.vocab import DEFAULT_BASE, PROV, QB, RDF, SCHEMA, Iris


def _parsed_rows(kg: KnowledgeGraph) -> list[dict[str, str]]:
    """The rows as `observation_rows` gives them on every block parsed by Oxigraph."""
    year = Iris(kg.base).term("year")
    years = [t for t in parse_block(kg.shared) if t.predicate.value == year]
    rows: list[dict[str, str]] = []
    for iso3, block in kg.blocks():
        if iso3:
            rows += observation_rows([*years, *parse_block(block)], kg.base)
    return sorted(rows, key=lambda row: row["observation"])


def test_rows_from_lines_are_the_rows_of_the_parsed_triples() -> None:
    kg = read_and_map(sorted(PROFILES.glob("*.txt"))).kg
    rows = graph_rows(kg)
    assert len(rows) > 500
    assert rows == _parsed_rows(kg)


def test_escaped_literals_are_unescaped_as_a_parser_would() -> None:
    g = Iris(DEFAULT_BASE).term
    obs, country, doc = "http://x.org/obs/1", "http://x.org/country/QQQ", "http://x.org/doc"
    name = 'Quote " back \\ tab \t newline \n bell \x07 é \U0001f600'
    triples = [
        ox.Triple(ox.NamedNode(obs), ox.NamedNode(RDF + "type"), ox.NamedNode(QB + "Observation")),
        ox.Triple(ox.NamedNode(obs), ox.NamedNode(g("refArea")), ox.NamedNode(country)),
        ox.Triple(ox.NamedNode(obs), ox.NamedNode(g("textValue")), ox.Literal(name, language="en")),
        ox.Triple(ox.NamedNode(obs), ox.NamedNode(PROV + "wasDerivedFrom"), ox.NamedNode(doc)),
        ox.Triple(ox.NamedNode(doc), ox.NamedNode(g("fileName")), ox.Literal("a b.txt")),
        ox.Triple(ox.NamedNode(country), ox.NamedNode(SCHEMA + "name"), ox.Literal(name)),
    ]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None and b"\\u0007" in data
    block = canonical(data.decode("utf-8").splitlines(keepends=True))
    (row,) = block_rows(block, {}, DEFAULT_BASE)
    assert row == observation_rows(parse_block(block), DEFAULT_BASE)[0]
    assert row["value"] == row["country_name"] == name


def test_the_csv_is_the_rows_in_observation_order() -> None:
    kg = read_and_map(sorted(PROFILES.glob("*.txt"))).kg
    assert graph_csv(kg) == csv_bytes(graph_rows(kg))
