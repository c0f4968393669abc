"""Graph -> Turtle / N-Triples / JSON-LD files, deterministic byte for byte.

Oxigraph writes Turtle and N-Triples (rdflib is ~40x slower at it); JSON-LD is written here,
compacted against the context of `jsonld_context`, because Oxigraph only writes expanded
JSON-LD. Blocks are already sorted, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.graph import KnowledgeGraph, ntriples
from gdp_rdf.vocab import (
    DATATYPE_PROPERTIES,
    OBJECT_PROPERTIES,
    RDF,
    XSD,
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


@dataclass(frozen=True, slots=True)
class DumpFile:
    """A file written by the build, with what VoID says about it."""

    name: str  # path relative to the output folder, with "/" separators
    media_type: str
    size: int
    sha256: str
    triples: int


def _prefix_header(names: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(names.items())).encode()


def turtle_bytes(triples: Iterable[ox.Triple], base: str) -> bytes:
    """Turtle with prefixes in a fixed order (Oxigraph's own header order is not)."""
    names = prefixes(base)
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=names)
    assert body is not None
    lines = body.split(b"\n")
    start = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix")), len(lines))
    return _prefix_header(names) + b"\n".join(lines[start:])


def ntriples_lines(kg: KnowledgeGraph) -> Iterator[bytes]:
    """Every triple as one canonical N-Triples line, in global sorted order."""
    blocks = [ntriples(block).splitlines(keepends=True) for _, block in kg.blocks()]
    yield from heapq.merge(*(sorted(lines) for lines in blocks))


# -- JSON-LD -------------------------------------------------------------------------------------

_YEARS = {
    "observationDate",
    "yearAdopted",
    "yearAmended",
    "ratificationYear",
    "acceptanceYear",
    "recommendationYear",
    "period",
}


def _coercions() -> dict[str, str | None]:
    """gdp property -> the JSON-LD coercion of its term ("@id", "xsd:gYear" or none)."""
    terms: dict[str, str | None] = {name: "@id" for name in OBJECT_PROPERTIES}
    for name in DATATYPE_PROPERTIES:
        terms[name] = "xsd:gYear" if name in _YEARS else None
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


class _Compactor:
    def __init__(self, base: str) -> None:
        # Longest namespace first, so a narrower prefix wins over a broader one.
        self.prefixes = sorted(prefixes(base).items(), key=lambda item: -len(item[1]))
        self.gdp = base + "def/"
        self.terms = _coercions()

    def iri(self, value: str) -> str:
        for prefix, namespace in self.prefixes:
            if value.startswith(namespace):
                local = value[len(namespace) :]
                if local and "/" not in local and "#" not in local and ":" not in local:
                    return f"{prefix}:{local}"
        return value

    def key(self, predicate: str) -> tuple[str, str | None]:
        """The JSON key of a property and the coercion its term definition applies."""
        name = predicate[len(self.gdp) :] if predicate.startswith(self.gdp) else None
        coercion = self.terms.get(name) if name is not None else None
        return self.iri(predicate), coercion

    def value(self, term: object, coercion: str | None) -> object:
        if isinstance(term, ox.NamedNode):
            compact = self.iri(term.value)
            return compact if coercion == "@id" else {"@id": compact}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if not isinstance(term, ox.Literal):
            raise TypeError(f"RDF-star triples are not written: {term!r}")
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if coercion and coercion != "@id" and self.iri(datatype) == coercion:
            return term.value
        if datatype == XSD + "string":
            return term.value
        if datatype == XSD + "integer" and _canonical_integer(term.value):
            return int(term.value)  # a native JSON integer expands to the same xsd:integer
        if datatype == XSD + "boolean" and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": self.iri(datatype)}


def _canonical_integer(lexical: str) -> bool:
    try:
        return str(int(lexical)) == lexical
    except ValueError:
        return False


def jsonld_nodes(triples: Iterable[ox.Triple], base: str) -> Iterator[dict[str, object]]:
    """Node objects, one per subject, for sorted triples."""
    compactor = _Compactor(base)
    current: dict[str, object] | None = None
    subject = None
    for triple in triples:
        if triple.subject != subject:
            if current is not None:
                yield current
            subject = triple.subject
            current = {"@id": compactor.value(subject, "@id")}
        assert current is not None
        predicate = triple.predicate.value
        value: object
        if predicate == RDF + "type" and isinstance(triple.object, ox.NamedNode):
            key, value = "@type", compactor.iri(triple.object.value)
        else:
            key, coercion = compactor.key(predicate)
            value = compactor.value(triple.object, coercion)
        existing = current.get(key)
        if existing is None:
            current[key] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            current[key] = [existing, value]
    if current is not None:
        yield current


def jsonld_bytes(
    kg_blocks: Iterable[tuple[str, tuple[ox.Triple, ...]]], base: str, context: str
) -> bytes:
    """A JSON-LD document: the context reference and a @graph of node objects."""
    parts = [b'{\n  "@context": ', json.dumps(context).encode(), b',\n  "@graph": [\n']
    first = True
    for _, block in kg_blocks:
        for node in jsonld_nodes(block, base):
            if not first:
                parts.append(b",\n")
            parts.append(
                b"    " + json.dumps(node, ensure_ascii=False, sort_keys=True).encode("utf-8")
            )
            first = False
    parts.append(b"\n  ]\n}\n")
    return b"".join(parts)


def write_file(folder: Path, name: str, data: bytes, media_type: str, triples: int) -> DumpFile:
    """Write one output file and describe it."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return DumpFile(name, media_type, len(data), hashlib.sha256(data).hexdigest(), triples)


def write_dumps(kg: KnowledgeGraph, folder: Path) -> list[DumpFile]:
    """gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld and country/<ISO3>.ttl into ``folder``."""
    total = len(kg)
    files = [
        write_file(folder, "gdp.ttl", turtle_bytes(kg, kg.base), Format.TURTLE.media_type, total),
        write_file(
            folder, "gdp.nt", b"".join(ntriples_lines(kg)), Format.NTRIPLES.media_type, total
        ),
        write_file(
            folder,
            "context.jsonld",
            (json.dumps(jsonld_context(kg.base), indent=2) + "\n").encode(),
            "application/ld+json",
            0,
        ),
        write_file(
            folder,
            "gdp.jsonld",
            jsonld_bytes(kg.blocks(), kg.base, "context.jsonld"),
            Format.JSONLD.media_type,
            total,
        ),
    ]
    for iso3, block in sorted(kg.countries.items()):
        files.append(
            write_file(
                folder,
                f"country/{iso3}.ttl",
                turtle_bytes(block, kg.base),
                Format.TURTLE.media_type,
                len(block),
            )
        )
    return files
