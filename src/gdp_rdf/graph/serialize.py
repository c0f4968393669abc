"""Graph -> Turtle / N-Triples / JSON-LD files, deterministic byte for byte.

Oxigraph writes Turtle and N-Triples (rdflib is ~40x slower at it); JSON-LD is written here,
compacted against the context of `jsonld_context`, because Oxigraph only writes expanded
JSON-LD. Blocks are already sorted, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.graph.terms import KnowledgeGraph, canonical, ntriples_lines, parse_block
from gdp_rdf.parallel import fork_map
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


def _turtle_body(triples: Iterable[ox.Triple], names: dict[str, str]) -> bytes:
    """Turtle statements without the prefix lines (Oxigraph's header order is not stable)."""
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=names)
    assert body is not None
    lines = body.split(b"\n")
    start = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix")), len(lines))
    return b"\n".join(lines[start:])


def turtle_bytes(triples: Iterable[ox.Triple], base: str) -> bytes:
    """Turtle with the project's prefixes in a fixed order."""
    names = prefixes(base)
    return _prefix_header(names) + _turtle_body(triples, names)


def sorted_ntriples(kg: KnowledgeGraph) -> bytes:
    """Every triple as one canonical N-Triples line, in global sorted order."""
    lines = [line for _, block in kg.blocks() for line in block.splitlines(keepends=True)]
    lines.sort()  # one C-level sort beats merging the sorted blocks in Python
    return b"".join(lines)


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


class _Compactor:
    def __init__(self, base: str) -> None:
        self.by_namespace = {namespace: prefix for prefix, namespace in prefixes(base).items()}
        self.gdp = base + "def/"
        self.terms = _coercions()
        self.seen: dict[str, str] = {}
        self.keys: dict[str, tuple[str, str | None]] = {}

    def iri(self, value: str) -> str:
        """A compact IRI when a prefix covers the IRI up to its last '/' or '#'."""
        found = self.seen.get(value)
        if found is None:
            cut = max(value.rfind("/"), value.rfind("#")) + 1
            prefix = self.by_namespace.get(value[:cut])
            local = value[cut:]
            found = f"{prefix}:{local}" if prefix and local and ":" not in local else value
            self.seen[value] = found
        return found

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


def jsonld_nodes(block: bytes, compactor: _Compactor) -> Iterator[str]:
    """The JSON text of one node object per subject of a sorted block of N-Triples lines."""
    node: dict[str, list[str]] = {}
    subject = ""
    for line in block.decode("utf-8").splitlines():
        # "<s> <p> object ." : IRIs hold no spaces or '>', so the line splits without parsing.
        cut = line.index("> <")
        if line[1:cut] != subject:
            if node:
                yield _node_text(node)
            subject = line[1:cut]
            node = {"@id": [f'"{compactor.iri(subject)}"']}
        rest = line[cut + 3 : -2]
        split = rest.index("> ")
        predicate, obj = rest[:split], rest[split + 2 :]
        if predicate == _TYPE and obj.startswith("<"):
            key, value = "@type", f'"{compactor.iri(obj[1:-1])}"'
        else:
            key, coercion = compactor.key(predicate)
            value = compactor.value(obj, coercion)
        node.setdefault(key, []).append(value)
    if node:
        yield _node_text(node)


def jsonld_bytes(triples: Iterable[ox.Triple], base: str) -> bytes:
    """A small JSON-LD document (one resource's description) with the dumps' context."""
    block = canonical(ntriples_lines(triples))
    nodes = [json.loads(text) for text in jsonld_nodes(block, _Compactor(base))]
    document = {"@context": jsonld_context(base)["@context"], "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


class _Output:
    """A file written in pieces, hashed as it goes."""

    def __init__(self, folder: Path, name: str, media_type: str) -> None:
        self.name, self.media_type = name, media_type
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("wb")
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.hash.update(data)
        self.size += len(data)

    def close(self, triples: int) -> DumpFile:
        self.handle.close()
        return DumpFile(self.name, self.media_type, self.size, self.hash.hexdigest(), triples)


def write_file(folder: Path, name: str, data: bytes, media_type: str, triples: int) -> DumpFile:
    """Write one output file and describe it."""
    output = _Output(folder, name, media_type)
    output.write(data)
    return output.close(triples)


def _write_turtle(kg: KnowledgeGraph, folder: Path) -> list[DumpFile]:
    """gdp.ttl and country/<ISO3>.ttl: each block parsed and serialised once.

    A block's Turtle statements are complete (no subject spans two blocks), so the dump is
    the blocks' statements in order under one prefix header.
    """
    names = prefixes(kg.base)
    header = _prefix_header(names)
    turtle = _Output(folder, "gdp.ttl", Format.TURTLE.media_type)
    turtle.write(header)
    countries: list[DumpFile] = []
    for iso3, block in kg.blocks():
        body = _turtle_body(parse_block(block), names)
        turtle.write(body)
        if iso3:
            lines = block.count(b"\n")
            countries.append(
                write_file(
                    folder, f"country/{iso3}.ttl", header + body, Format.TURTLE.media_type, lines
                )
            )
    return [turtle.close(len(kg)), *countries]


def _write_jsonld(kg: KnowledgeGraph, folder: Path) -> list[DumpFile]:
    jsonld = _Output(folder, "gdp.jsonld", Format.JSONLD.media_type)
    jsonld.write(b'{\n  "@context": "context.jsonld",\n  "@graph": [\n')
    compactor = _Compactor(kg.base)
    first = True
    for _, block in kg.blocks():
        nodes = list(jsonld_nodes(block, compactor))
        if nodes:
            joined = ("    " if first else ",\n    ") + ",\n    ".join(nodes)
            jsonld.write(joined.encode("utf-8"))
            first = False
    jsonld.write(b"\n  ]\n}\n")
    context = (json.dumps(jsonld_context(kg.base), indent=2) + "\n").encode()
    return [
        write_file(folder, "context.jsonld", context, "application/ld+json", 0),
        jsonld.close(len(kg)),
    ]


def _write_ntriples(kg: KnowledgeGraph, folder: Path) -> list[DumpFile]:
    return [write_file(folder, "gdp.nt", sorted_ntriples(kg), Format.NTRIPLES.media_type, len(kg))]


_WRITERS = (_write_turtle, _write_jsonld, _write_ntriples)
_JOB: list[tuple[KnowledgeGraph, Path]] = []  # inherited by forked writers
PARALLEL_TRIPLES = 100_000  # below this, forking costs more than it saves


def _run_writer(index: int) -> list[DumpFile]:
    kg, folder = _JOB[0]
    return _WRITERS[index](kg, folder)


def write_dumps(kg: KnowledgeGraph, folder: Path, workers: int | None = None) -> list[DumpFile]:
    """gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld and country/<ISO3>.ttl into ``folder``.

    The three writers are independent; a large graph is written on every core.
    """
    _JOB[:] = [(kg, folder)]
    try:
        count = workers if len(kg) >= PARALLEL_TRIPLES else 1
        results = list(fork_map(_run_writer, range(len(_WRITERS)), count))
    finally:
        _JOB.clear()
    files = [dump for result in results for dump in result]
    order = {"gdp.ttl": 0, "gdp.nt": 1, "context.jsonld": 2, "gdp.jsonld": 3}
    return sorted(files, key=lambda f: (order.get(f.name, 4), f.name))
