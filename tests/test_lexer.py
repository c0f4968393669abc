"""The one SPARQL lexer and the VALUES block it places (issue 12, issue 9)."""

from __future__ import annotations

import pyoxigraph as ox

from gdp_rdf.sparql import lexer
from gdp_rdf.sparql.catalogue import query_form, with_values
from gdp_rdf.web import sparql_guard

KAZ = ox.NamedNode("https://w3id.org/gdp-rdf/id/country/KAZ")


def test_the_catalogue_and_the_guard_share_one_lexer() -> None:
    assert not hasattr(sparql_guard, "_IRI_OR_TOKEN")
    text = 'SELECT * WHERE { ?s ?p "{ # not a comment" } # WHERE {'
    assert lexer.strip(text) == 'SELECT * WHERE { ?s ?p "" }  '
    assert len(lexer.blank(text)) == len(text)
    assert query_form("# CONSTRUCT\nASK { <urn:select> ?p 'DESCRIBE' }") == "ASK"


def test_values_open_the_where_group() -> None:
    text = 'PREFIX x: <urn:x>\nSELECT ?c (STR("{") AS ?b) WHERE { ?c ?p ?o BIND(1 AS ?one) }'
    bound = with_values(text, {"c": KAZ})
    assert bound == text.replace("WHERE {", f"WHERE {{ VALUES (?c) {{ ({KAZ}) }}")


def test_values_skip_a_construct_template_and_comments() -> None:
    text = "CONSTRUCT { ?c ?p ?o } # {\nWHERE { ?c ?p ?o }"
    bound = with_values(text, {"c": KAZ})
    assert bound.startswith("CONSTRUCT { ?c ?p ?o } # {\nWHERE { VALUES (?c)")
    assert with_values("SELECT * { ?c ?p ?o }", {"c": KAZ}).startswith("SELECT * { VALUES")


def test_a_query_without_a_group_gets_a_trailing_block() -> None:
    assert with_values(f"DESCRIBE {KAZ}", {"c": KAZ}).endswith(f"VALUES (?c) {{ ({KAZ}) }}\n")
    assert with_values("ASK {}", {}) == "ASK {}"
