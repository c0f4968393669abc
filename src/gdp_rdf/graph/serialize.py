"""Graph -> Turtle / N-Triples / JSON-LD files, deterministic byte for byte.

Oxigraph writes Turtle and N-Triples (rdflib is ~40x slower at it); JSON-LD is written here,
compacted against the context of `jsonld_context`, because Oxigraph only writes expanded
JSON-LD. Blocks are already sorted, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from enum import StrEnum

import pyoxigraph as ox

from gdp_rdf.graph.terms import IriCompactor, canonical, ntriples_lines, parse_block
from gdp_rdf.vocab import (
    DATATYPE_PROPERTIES,
    OBJECT_PROPERTIES,
    RDF,
    XSD,
    YEAR_PROPERTIES,
    prefixes,
)


class Format(StrEnum):
    """Dump formats, by file extension."""

    TURTLE = "ttl"
    NTRIPLES = "nt"
    JSONLD = "jsonld"

    @property
    def media_type(self) -> str:
        return {
            Format.TURTLE: "text/turtle",
            Format.NTRIPLES: "application/n-triples",
            Format.JSONLD: "application/ld+json",
        }[self]


def prefix_header(names: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(names.items())).encode()


def turtle_body(triples: Iterable[ox.Triple] | Iterable[ox.Quad], names: dict[str, str]) -> bytes:
    """Turtle statements without the prefix lines (Oxigraph's header order is not stable)."""
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=names)
    assert body is not None
    start = 0
    while body.startswith(b"@prefix", start):
        start = body.find(b"\n", start) + 1 or len(body)
    return body[start:]


def block_turtle(block: bytes, names: dict[str, str]) -> bytes:
    """Turtle statements of a block of N-Triples lines, streamed through Oxigraph (no list)."""
    return turtle_body(ox.parse(block, format=ox.RdfFormat.N_TRIPLES), names)


def turtle_bytes(triples: Iterable[ox.Triple] | Iterable[ox.Quad], base: str) -> bytes:
    """Turtle with the project's prefixes in a fixed order."""
    names = prefixes(base)
    return prefix_header(names) + turtle_body(triples, names)


# -- JSON-LD -------------------------------------------------------------------------------------


def _coercions() -> dict[str, str | None]:
    """gdp property -> the JSON-LD coercion of its term ("@id", "xsd:gYear" or none)."""
    terms: dict[str, str | None] = {name: "@id" for name in OBJECT_PROPERTIES}
    for name in DATATYPE_PROPERTIES:
        terms[name] = "xsd:gYear" if name in YEAR_PROPERTIES else None
    return terms


def jsonld_context(base: str) -> dict[str, object]:
    """The JSON-LD context: the prefixes, and the coercion of each gdp property.

    Properties stay compact IRIs ("gdp:answer"): short names would clash with prefixes
    such as "answer:" and "country:".
    """
    context: dict[str, object] = dict(sorted(prefixes(base).items()))
    for name, coercion in _coercions().items():
        if coercion:
            context[f"gdp:{name}"] = {"@type": coercion}
    return {"@context": context}


class Compactor:
    """Compacts N-Triples terms into JSON-LD values against `jsonld_context`."""

    def __init__(self, base: str) -> None:
        self.iri = IriCompactor(prefixes(base))
        self.gdp = base + "def/"
        self.terms = _coercions()
        self.keys: dict[str, tuple[str, str | None]] = {}
        # "<predicate> object ." -> (key, JSON text): types, codes, links and line numbers
        # repeat across the blocks one compactor writes
        self.tails: dict[str, tuple[str, str]] = {}

    def key(self, predicate: str) -> tuple[str, str | None]:
        """The JSON key of a property and the coercion its term definition applies."""
        found = self.keys.get(predicate)
        if found is None:
            name = predicate[len(self.gdp) :] if predicate.startswith(self.gdp) else None
            coercion = self.terms.get(name) if name is not None else None
            found = self.keys[predicate] = (self.iri(predicate), coercion)
        return found

    def value(self, obj: str, coercion: str | None) -> str:
        """The JSON text of an N-Triples object term.

        Canonical N-Triples escapes (quote, backslash, n r t b f, uXXXX) are JSON escapes
        too, so a literal's quoted text is already a valid JSON string.
        """
        if obj.startswith("<"):
            compact = self.iri(obj[1:-1])
            return f'"{compact}"' if coercion == "@id" else f'{{"@id": "{compact}"}}'
        if obj.startswith("_:"):
            return f'{{"@id": "{obj}"}}'
        end = obj.rindex('"')
        body, suffix = obj[1:end], obj[end + 1 :]
        if not suffix:
            return f'"{body}"'
        if suffix.startswith("@"):
            return f'{{"@language": "{suffix[1:]}", "@value": "{body}"}}'
        datatype = suffix[3:-1]
        compact = self.iri(datatype)
        if coercion == compact:
            return f'"{body}"'
        if datatype == _INTEGER and _CANONICAL_INTEGER.match(body):
            return body  # a JSON number expands to the same xsd:integer
        if datatype == _BOOLEAN and body in ("true", "false"):
            return body
        return f'{{"@type": "{compact}", "@value": "{body}"}}'


_INTEGER = XSD + "integer"
_BOOLEAN = XSD + "boolean"
_CANONICAL_INTEGER = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_TYPE = RDF + "type"


def _node_text(node: dict[str, list[str]]) -> str:
    fields = (
        f'"{key}": {values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"}'
        for key, values in sorted(node.items())
    )
    return "{" + ", ".join(fields) + "}"


def jsonld_nodes(block: bytes, compactor: Compactor) -> Iterator[str]:
    """The JSON text of one node object per subject of a sorted block of N-Triples lines."""
    node: dict[str, list[str]] = {}
    subject = ""
    iri, key_of, value_of, tails = compactor.iri, compactor.key, compactor.value, compactor.tails
    for line in block.decode("utf-8").splitlines():
        # "<s> <p> object ." (see terms.split_line): IRIs hold no space
        this, tail = line.split(" ", 1)
        if this != subject:
            if node:
                yield _node_text(node)
            subject = this
            node = {"@id": [f'"{iri(subject[1:-1])}"']}
        found = tails.get(tail)
        if found is None:
            predicate, obj = tail.split(" ", 1)
            predicate, obj = predicate[1:-1], obj[:-2]
            if obj[0] == "<" and predicate == _TYPE:
                found = ("@type", f'"{iri(obj[1:-1])}"')
            else:
                key, coercion = key_of(predicate)
                found = (key, value_of(obj, coercion))
            if len(tails) < _REPEATED and len(tail) < _SHORT:
                tails[tail] = found
        key, value = found
        values = node.get(key)
        if values is None:
            node[key] = [value]
        else:
            values.append(value)
    if node:
        yield _node_text(node)


_SHORT = 300  # long texts rarely repeat: not cached
_REPEATED = 200_000  # bounds the cache of repeated statement tails


def jsonld_bytes(triples: Iterable[ox.Triple], base: str) -> bytes:
    """A small JSON-LD document (one resource's description) with the dumps' context."""
    block = canonical(ntriples_lines(triples))
    nodes = [json.loads(text) for text in jsonld_nodes(block, Compactor(base))]
    document = {"@context": jsonld_context(base)["@context"], "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def lines_to_turtle(lines: Iterable[str], base: str) -> bytes:
    """Canonical Turtle for N-Triples lines (the shared block, an annotation set)."""
    return turtle_bytes(parse_block(canonical(lines)), base)
