"""SPARQL 1.1 query results as text: JSON, XML, CSV and TSV (pure; imports only pyoxigraph,
so query workers start fast)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import pyoxigraph as ox

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
RESULT_TYPES = (JSON, XML, CSV, TSV)
BOOLEAN_TYPES = (JSON, XML)  # the result formats that can hold an ASK answer

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term | None]


class Kind(StrEnum):
    SELECT = "select"
    ASK = "ask"
    GRAPH = "graph"  # CONSTRUCT and DESCRIBE


@dataclass
class Result:
    """The answer to a query: rows, a boolean, or triples."""

    kind: Kind
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    row_limit: int | None = None  # the store's row limit, when it says it cut the rows there


def row_values(result: Result) -> list[list[str]]:
    """Rows as lists of lexical values ("" when unbound), as SPARQL CSV writes them."""
    return [[lexical(row[n]) for n in result.variables] for row in result.rows]


def lexical(term: object) -> str:
    """A term's lexical value or IRI, "" when unbound (what SPARQL CSV writes)."""
    return "" if term is None else str(getattr(term, "value", term))


def term_json(term: Term) -> dict[str, str]:
    """A term as SPARQL JSON results write it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _escape(text: str) -> str:
    # xml.sax.saxutils would do, but it imports urllib.request: 35 ms on every cold command.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return '"' + _escape(text).replace('"', "&quot;") + '"'


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={_attr(term.language)}>{_escape(term.value)}</literal>"
    return f"<literal datatype={_attr(term.datatype.value)}>{_escape(term.value)}</literal>"


def serialize_rows(
    variables: Sequence[str], rows: Sequence[Row], media_type: str, indent: int | None = None
) -> str:
    """SELECT results in a SPARQL 1.1 results format (JSON indented by ``indent``)."""
    if media_type == XML:
        head = "".join(f"<variable name={_attr(v)}/>" for v in variables)
        body = "".join(
            "<result>"
            + "".join(
                f"<binding name={_attr(v)}>{_term_xml(t)}</binding>"
                for v, t in row.items()
                if t is not None
            )
            + "</result>"
            for row in rows
        )
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>\n"
        )
    if media_type in (CSV, TSV):
        buffer = io.StringIO()
        if media_type == CSV:
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(variables)
            for row in rows:
                writer.writerow([lexical(row[v]) for v in variables])
        else:
            buffer.write("\t".join(f"?{v}" for v in variables) + "\n")
            for row in rows:
                buffer.write(
                    "\t".join("" if row[v] is None else str(row[v]) for v in variables) + "\n"
                )
        return buffer.getvalue()
    document = {
        "head": {"vars": list(variables)},
        "results": {
            "bindings": [{v: term_json(t) for v, t in row.items() if t is not None} for row in rows]
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def serialize_boolean(value: bool, media_type: str) -> tuple[str, bytes]:
    if media_type == XML:
        body = f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>{str(value).lower()}</boolean></sparql>\n'
        return media_type, body.encode()
    return JSON, json.dumps({"head": {}, "boolean": value}).encode()
