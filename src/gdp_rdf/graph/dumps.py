"""The build's dump files: gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld, country/ISO3.ttl.

Each file is hashed while it is written, so VoID and the server can state its checksum.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.serialize import (
    Compactor,
    Format,
    jsonld_context,
    jsonld_nodes,
    prefix_header,
    sorted_ntriples,
    turtle_body,
)
from gdp_rdf.graph.terms import parse_block
from gdp_rdf.parallel import fork_map
from gdp_rdf.vocab import prefixes


@dataclass(frozen=True, slots=True)
class DumpFile:
    """A file written by the build, with what VoID says about it."""

    name: str  # path relative to the output folder, with "/" separators
    media_type: str
    size: int
    sha256: str
    triples: int


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
    header = prefix_header(names)
    turtle = _Output(folder, "gdp.ttl", Format.TURTLE.media_type)
    turtle.write(header)
    countries: list[DumpFile] = []
    for iso3, block in kg.blocks():
        body = turtle_body(parse_block(block), names)
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
    compactor = Compactor(kg.base)
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
PARALLEL_TRIPLES = 100_000  # below this, forking costs more than it saves


def _run_writer(job: tuple[KnowledgeGraph, Path], index: int) -> list[DumpFile]:
    return _WRITERS[index](*job)


def write_dumps(kg: KnowledgeGraph, folder: Path, workers: int | None = None) -> list[DumpFile]:
    """gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld and country/<ISO3>.ttl into ``folder``.

    The three writers are independent; a large graph is written on every core.
    """
    count = workers if len(kg) >= PARALLEL_TRIPLES else 1
    results = list(fork_map(_run_writer, range(len(_WRITERS)), count, shared=(kg, folder)))
    files = [dump for result in results for dump in result]
    order = {"gdp.ttl": 0, "gdp.nt": 1, "context.jsonld": 2, "gdp.jsonld": 3}
    return sorted(files, key=lambda f: (order.get(f.name, 4), f.name))
