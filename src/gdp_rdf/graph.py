"""The in-memory knowledge graph: Oxigraph triples grouped in blocks, and conversions.

Triples are pyoxigraph terms (fast to build, serialise and load); pyshacl needs rdflib, so
`to_rdflib` converts a block when it is validated. A graph is one shared block (ontology,
code lists, data structure) plus one block per country: every subject belongs to exactly one
block, so sorting each block gives a canonical order without sorting the whole graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import rdflib

from gdp_rdf.errors import RdfReadError
from gdp_rdf.vocab import RDF, XSD

Term = ox.NamedNode | ox.Literal


@cache
def iri(value: str) -> ox.NamedNode:
    """A named node, cached: the same IRIs recur thousands of times."""
    return ox.NamedNode(value)


@cache
def _datatype(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def typed(value: str, datatype: str) -> ox.Literal:
    """A literal of an XSD datatype given by local name ("integer", "gYear", ...)."""
    return ox.Literal(value, datatype=_datatype(datatype))


def text(value: str, language: str | None = "en") -> ox.Literal:
    """A language-tagged literal (English by default) or a plain xsd:string."""
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def year(value: int) -> ox.Literal:
    return typed(f"{value:04d}", "gYear")


def integer(value: int) -> ox.Literal:
    return typed(str(value), "integer")


def boolean(value: bool) -> ox.Literal:
    return typed("true" if value else "false", "boolean")


class Triples:
    """An append-only list of triples with short helpers."""

    def __init__(self) -> None:
        self.items: list[ox.Triple] = []

    def add(self, subject: str, predicate: str, obj: Term) -> None:
        self.items.append(ox.Triple(iri(subject), iri(predicate), obj))

    def link(self, subject: str, predicate: str, target: str) -> None:
        self.items.append(ox.Triple(iri(subject), iri(predicate), iri(target)))

    def type(self, subject: str, *classes: str) -> None:
        for cls in classes:
            self.link(subject, RDF + "type", cls)

    def extend(self, triples: Iterable[ox.Triple]) -> None:
        self.items.extend(triples)


def subject_iri(triple: ox.Triple) -> str:
    """The subject of a triple as a string (our subjects are always named nodes)."""
    return str(triple.subject.value)  # type: ignore[union-attr]


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """Triples as N-Triples bytes (Oxigraph's writer)."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return data


def _key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def canonical(triples: Iterable[ox.Triple]) -> tuple[ox.Triple, ...]:
    """Duplicates removed, sorted by subject, predicate, object (N-Triples form)."""
    return tuple(sorted(set(triples), key=_key))


@dataclass(frozen=True)
class KnowledgeGraph:
    """The built graph: a shared block and one block per country (ISO3 -> triples)."""

    base: str
    shared: tuple[ox.Triple, ...]
    countries: dict[str, tuple[ox.Triple, ...]] = field(default_factory=dict)

    def blocks(self) -> Iterator[tuple[str, tuple[ox.Triple, ...]]]:
        """("", shared) first, then the countries in ISO3 order."""
        yield "", self.shared
        for iso3 in sorted(self.countries):
            yield iso3, self.countries[iso3]

    def __iter__(self) -> Iterator[ox.Triple]:
        for _, block in self.blocks():
            yield from block

    def __len__(self) -> int:
        return len(self.shared) + sum(len(b) for b in self.countries.values())


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


def from_rdflib(graph: rdflib.Graph) -> list[ox.Triple]:
    """Copy an rdflib graph into Oxigraph triples."""

    def node(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, rdflib.URIRef):
            return iri(str(term))
        if isinstance(term, rdflib.BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, rdflib.Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype:
                return ox.Literal(str(term), datatype=iri(str(term.datatype)))
            return ox.Literal(str(term))
        raise TypeError(f"cannot convert {term!r}")

    return [ox.Triple(node(s), node(p), node(o)) for s, p, o in graph]  # type: ignore[arg-type]


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
