"""SPARQL 1.1 results formats, shared by `gdp-rdf query` and the /sparql endpoint."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from gdp_rdf.sparql.results import CSV, JSON, TSV, XML, serialize_rows

EX = "http://example.org/"
ROWS = [
    {"a": ox.Literal("x,y"), "b": None},
    {"a": ox.NamedNode(EX), "b": ox.Literal("2", language="en")},
]


def test_csv_and_tsv_follow_the_spec() -> None:
    assert serialize_rows(["a", "b"], ROWS, CSV) == f'a,b\r\n"x,y",\r\n{EX},2\r\n'
    tsv = serialize_rows(["a", "b"], ROWS, TSV)
    assert tsv == f'?a\t?b\n"x,y"\t\n<{EX}>\t"2"@en\n'


def test_json_and_xml() -> None:
    document = json.loads(serialize_rows(["a", "b"], ROWS, JSON))
    assert document["head"]["vars"] == ["a", "b"]
    assert document["results"]["bindings"] == [
        {"a": {"type": "literal", "value": "x,y"}},
        {
            "a": {"type": "uri", "value": EX},
            "b": {"type": "literal", "value": "2", "xml:lang": "en"},
        },
    ]
    root = ET.fromstring(serialize_rows(["a", "b"], ROWS, XML))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in root.iter(f"{ns}variable")] == ["a", "b"]
    assert len(root.findall(f"{ns}results/{ns}result")) == 2
    assert root.find(f"{ns}results/{ns}result/{ns}binding/{ns}literal").text == "x,y"  # type: ignore[union-attr]


def test_an_endpoint_answer_makes_each_distinct_term_once_and_keeps_them_apart() -> None:
    """remote._rows makes a repeated term once; the same text as another kind of term, with
    another datatype or language, or Virtuoso's 1 for true, stays a term of its own."""
    from http.client import HTTPMessage

    import pyoxigraph as ox

    from gdp_rdf.sparql.remote import _rows

    xsd = "http://www.w3.org/2001/XMLSchema#"
    values = [
        {"type": "literal", "value": "1", "datatype": xsd + "integer"},
        {"type": "literal", "value": "1", "datatype": xsd + "string"},
        {"type": "literal", "value": "1", "xml:lang": "en"},
        {"type": "literal", "value": "1"},
        {"type": "typed-literal", "value": "1", "datatype": xsd + "boolean"},
        {"type": "uri", "value": "http://example.org/1"},
        {"type": "literal", "value": "1", "datatype": xsd + "integer"},
    ]
    document = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": v} for v in values]}}
    terms = [row["x"] for row in _rows(document, HTTPMessage()).rows]
    integer = ox.Literal("1", datatype=ox.NamedNode(xsd + "integer"))
    assert terms == [
        integer,
        ox.Literal("1"),
        ox.Literal("1", language="en"),
        ox.Literal("1"),
        ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean")),
        ox.NamedNode("http://example.org/1"),
        integer,
    ]
    assert terms[0] is terms[6]  # made once
