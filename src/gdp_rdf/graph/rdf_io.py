"""RDF files in and out of the Python libraries: reading Turtle, N-Triples and JSON-LD
files, and converting Oxigraph triples for rdflib (which pySHACL needs)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from gdp_rdf.errors import RdfReadError
from gdp_rdf.vocab import XSD

if TYPE_CHECKING:
    import rdflib


def _node(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    import rdflib  # only rdflib users pay for importing it

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
    import rdflib

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
