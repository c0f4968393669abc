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
