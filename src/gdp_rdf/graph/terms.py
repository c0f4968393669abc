"""The in-memory knowledge graph: blocks of sorted N-Triples lines, and conversions.

Mapping writes each triple as one canonical N-Triples line (a Python string costs ~0.1 us;
a pyoxigraph Triple object ~3 us). A graph is one shared block (ontology, code lists, data
structure) plus one block per country: every subject belongs to exactly one block, so
sorting each block's lines gives a canonical order without sorting the whole graph.
Oxigraph parses a block back into triples when a writer or validator needs them; pyshacl
needs rdflib, so `to_rdflib` converts what is validated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib

from gdp_rdf.errors import RdfReadError
from gdp_rdf.vocab import RDF, XSD

Term = str  # an N-Triples term: "<iri>" or a literal such as "345"^^<...#integer>

# Oxigraph's canonical N-Triples escaping: ECHARs for these, \uXXXX for other controls.
_ESCAPES = {
    **{code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord("\b"): "\\b",
    ord("\f"): "\\f",
}
def iri(value: str) -> Term:
    return f"<{value}>"


def typed(value: str, datatype: str) -> Term:
    """A literal of an XSD datatype given by local name ("integer", "gYear", ...)."""
    return f'"{value.translate(_ESCAPES)}"^^<{XSD}{datatype}>'


def text(value: str, language: str | None = "en") -> Term:
    """A language-tagged literal (English by default) or a plain xsd:string."""
    quoted = f'"{value.translate(_ESCAPES)}"'
    return f"{quoted}@{language}" if language else quoted


def year(value: int) -> Term:
    return typed(f"{value:04d}", "gYear")


def integer(value: int) -> Term:
    return typed(str(value), "integer")


def boolean(value: bool) -> Term:
    return typed("true" if value else "false", "boolean")


class Triples:
    """An append-only list of N-Triples lines, with short helpers."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, subject: str, predicate: str, obj: Term) -> None:
        self.lines.append(f"<{subject}> <{predicate}> {obj} .\n")

    def link(self, subject: str, predicate: str, target: str) -> None:
        self.lines.append(f"<{subject}> <{predicate}> <{target}> .\n")

    def type(self, subject: str, *classes: str) -> None:
        for cls in classes:
            self.lines.append(f"<{subject}> <{RDF}type> <{cls}> .\n")

    def extend(self, lines: Iterable[str]) -> None:
        self.lines.extend(lines)


def canonical(lines: Iterable[str]) -> bytes:
    """A block: the lines deduplicated and sorted (the order of `gdp.nt`)."""
    return "".join(sorted(set(lines))).encode("utf-8")


def parse_block(block: bytes) -> list[ox.Triple]:
    """The triples of a block of N-Triples lines."""
    return [quad.triple for quad in ox.parse(block, format=ox.RdfFormat.N_TRIPLES)]


def ntriples_lines(triples: Iterable[ox.Triple]) -> list[str]:
    """Triples as canonical N-Triples lines (Oxigraph's writer)."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return data.decode("utf-8").splitlines(keepends=True)


@dataclass(frozen=True)
class KnowledgeGraph:
    """The built graph: a shared block and one block per country (ISO3 -> N-Triples)."""

    base: str
    shared: bytes
    countries: dict[str, bytes] = field(default_factory=dict)

    def blocks(self) -> Iterator[tuple[str, bytes]]:
        """("", shared) first, then the countries in ISO3 order."""
        yield "", self.shared
        for iso3 in sorted(self.countries):
            yield iso3, self.countries[iso3]

    def __iter__(self) -> Iterator[ox.Triple]:
        for _, block in self.blocks():
            yield from parse_block(block)

    def __len__(self) -> int:
        return sum(block.count(b"\n") for _, block in self.blocks())


def _node(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD + "string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    raise TypeError(f"cannot convert {term!r}")


def to_rdflib(triples: Iterable[ox.Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Copy Oxigraph triples into an rdflib graph (for pyshacl and rdflib users)."""
    graph = graph if graph is not None else rdflib.Graph()
    add = graph.add
    for t in triples:
        add((_node(t.subject), _node(t.predicate), _node(t.object)))
    return graph


_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


def read_rdf(path: Path) -> list[ox.Triple]:
    """Read a Turtle, N-Triples or JSON-LD file (local JSON-LD contexts are resolved).

    Raises:
        RdfReadError: the file is missing, of an unknown format, or not valid RDF.
    """
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RdfReadError(
            f"unknown RDF format {path.suffix!r}; use .ttl, .nt or .jsonld", str(path)
        )
    try:
        if fmt is ox.RdfFormat.JSON_LD:
            return _read_jsonld(path)
        return [q.triple for q in ox.parse(path=str(path), format=fmt)]
    except FileNotFoundError:
        raise RdfReadError("no such file", str(path)) from None
    except IsADirectoryError:
        raise RdfReadError("is a directory, not an RDF file", str(path)) from None
    except SyntaxError as error:
        line = getattr(error, "lineno", None)
        message = str(error).split("\n")[0]
        raise RdfReadError(f"not valid {fmt.name}: {message}", str(path), line) from None
    except (OSError, ValueError) as error:
        raise RdfReadError(f"cannot read: {error}", str(path)) from None


def _read_jsonld(path: Path) -> list[ox.Triple]:
    from pyld import jsonld  # type: ignore[import-untyped]  # only JSON-LD input needs it

    folder = path.resolve().parent

    def loader(url: str, options: object = None) -> dict[str, object]:
        if not url.startswith("file://"):
            raise RdfReadError(
                f"remote JSON-LD context {url} is not fetched; save it locally", str(path)
            )
        local = Path(url[len("file://") :])
        if folder not in local.resolve().parents:
            raise RdfReadError(f"JSON-LD context {url} is outside {folder}", str(path))
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(local.read_text("utf-8")),
        }

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        nquads = jsonld.to_rdf(
            document,
            {
                "format": "application/n-quads",
                "base": path.resolve().as_uri(),
                "documentLoader": loader,
            },
        )
    except json.JSONDecodeError as error:
        raise RdfReadError(f"not valid JSON: {error.msg}", str(path), error.lineno) from None
    except jsonld.JsonLdError as error:
        cause = error
        while isinstance(getattr(cause, "cause", None), Exception):
            cause = cause.cause
        if isinstance(cause, RdfReadError):
            raise cause from None
        raise RdfReadError(
            f"not valid JSON-LD: {error.message if hasattr(error, 'message') else error}", str(path)
        ) from None
    return [q.triple for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)]
