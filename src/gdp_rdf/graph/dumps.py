"""The build's dump files: gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld, country/ISO3.ttl.

The country blocks are cut into runs of consecutive countries written on every core: each run
becomes its countries' Turtle files and a part of gdp.ttl and gdp.jsonld, kept on disk; one
task of the same pool merges the sorted blocks into gdp.nt, and other writers (the CSV, the
quality graph) can join the pool. The parts are then joined in order. Nothing holds every
line at once, nothing is parsed twice, and each file is hashed while it is written, so VoID
and the server can state its checksum.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.serialize import (
    Compactor,
    Format,
    block_turtle,
    jsonld_context,
    jsonld_nodes,
    prefix_header,
)
from gdp_rdf.parallel import chunked_by_size, cores, fork_map
from gdp_rdf.vocab import prefixes

BUFFER = 1 << 20  # bytes gathered before a write (and a hash update)


@dataclass(frozen=True, slots=True)
class DumpFile:
    """A file written by the build, with what VoID says about it."""

    name: str  # path relative to the output folder, with "/" separators
    media_type: str
    size: int
    sha256: str
    triples: int


class _Output:
    """A file written in pieces, buffered and hashed as it goes."""

    def __init__(self, folder: Path, name: str, media_type: str) -> None:
        self.name, self.media_type = name, media_type
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("wb")
        self.hash = hashlib.sha256()
        self.size = 0
        self.buffer = bytearray()

    def write(self, data: bytes | memoryview) -> None:
        self.buffer += data
        if len(self.buffer) >= BUFFER:
            self.flush()

    def flush(self) -> None:
        self.handle.write(self.buffer)
        self.hash.update(self.buffer)
        self.size += len(self.buffer)
        self.buffer.clear()

    def append_file(self, path: Path) -> None:
        self.flush()
        with path.open("rb") as part:  # whole pieces: no copy into the buffer
            while piece := part.read(BUFFER):
                self.handle.write(piece)
                self.hash.update(piece)
                self.size += len(piece)

    def close(self, triples: int) -> DumpFile:
        self.flush()
        self.handle.close()
        return DumpFile(self.name, self.media_type, self.size, self.hash.hexdigest(), triples)


def write_file(folder: Path, name: str, data: bytes, media_type: str, triples: int) -> DumpFile:
    """Write one output file and describe it."""
    return write_pieces(folder, name, [data], media_type, triples)


def write_pieces(
    folder: Path, name: str, pieces: Iterable[bytes], media_type: str, triples: int
) -> DumpFile:
    """Write one output file from pieces, never joined in memory, and describe it."""
    output = _Output(folder, name, media_type)
    for piece in pieces:
        output.write(piece)
    return output.close(triples)


# -- N-Triples: the sorted blocks merged, a stretch of lines at a time --------------------------

# A subject lives in one block (model.KnowledgeGraph), so the sorted blocks merge into the
# sorted lines of the whole graph. Countries interleave by kind of subject (every country's
# acceptances, then every country's observations, ...), but each block's lines come in long
# stretches that sort before the other blocks' next line: the heap holds one line per
# block, and the stretch below the next block's line is found by bisection and written as
# one slice. Heap operations per stretch, not per line or subject, and no line is copied.


def _line_at(block: bytes, start: int) -> bytes:
    return block[start : block.index(b"\n", start) + 1]


def _stretch_end(block: bytes, start: int, bound: bytes) -> int:
    """Where the lines of ``block`` from ``start`` (the first is written whatever it is)
    reach one that sorts at or after ``bound`` (a whole line), else the block's end."""
    low = block.index(b"\n", start) + 1  # lines before ``low`` sort before ``bound``
    high = len(block)  # the line at ``high`` (if any) sorts at or after it
    while low < high:
        line = block.rfind(b"\n", low - 1, (low + high) // 2) + 1  # the line around mid
        if _line_at(block, line) < bound:
            low = block.index(b"\n", line) + 1
        else:
            high = line
    return low


def _write_ntriples(kg: KnowledgeGraph, folder: Path) -> DumpFile:
    blocks = [block for _, block in kg.blocks() if block]
    views = [memoryview(block) for block in blocks]
    output = _Output(folder, "gdp.nt", Format.NTRIPLES.media_type)
    heap = [(_line_at(block, 0), index, 0) for index, block in enumerate(blocks)]
    heapq.heapify(heap)
    while heap:
        _, index, start = heapq.heappop(heap)
        block = blocks[index]
        end = _stretch_end(block, start, heap[0][0]) if heap else len(block)
        output.write(views[index][start:end])
        if end < len(block):
            heapq.heappush(heap, (_line_at(block, end), index, end))
    return output.close(len(kg))


# -- Turtle and JSON-LD: runs of countries on every core -----------------------------------------


@dataclass(frozen=True)
class _Job:
    kg: KnowledgeGraph
    folder: Path
    parts: Path
    head: bytes  # the prefixes and the shared block's statements, heading every country file
    head_hash: Any  # hashlib state after ``head``: copied, not recomputed, for each country
    runs: list[list[str]]
    beside: Sequence[Callable[[], object]]


@dataclass(frozen=True)
class _Part:
    turtle: Path
    jsonld: Path
    empty: bool  # no JSON-LD node in this part
    countries: list[DumpFile]


def _country_file(job: _Job, iso3: str, body: bytes, triples: int) -> DumpFile:
    """country/<ISO3>.ttl: the shared block it refers to, then the country's statements, so
    the file stands alone."""
    name = f"country/{iso3}.ttl"
    with (job.folder / name).open("wb") as handle:
        handle.write(job.head)
        handle.write(body)
    digest = job.head_hash.copy()
    digest.update(body)
    size = len(job.head) + len(body)
    return DumpFile(name, Format.TURTLE.media_type, size, digest.hexdigest(), triples)


def _write_part(job: _Job, number: int) -> _Part:
    """Country files for a run of countries, and its parts of gdp.ttl and gdp.jsonld."""
    kg, names = job.kg, prefixes(job.kg.base)
    compactor = Compactor(kg.base)
    turtle_path, jsonld_path = job.parts / f"{number:06d}.ttl", job.parts / f"{number:06d}.jsonld"
    countries: list[DumpFile] = []
    shared_lines = kg.shared.count(b"\n")
    empty = True
    with turtle_path.open("wb") as turtle, jsonld_path.open("wb") as jsonld:
        for iso3 in job.runs[number]:
            block = kg.countries[iso3]
            body = block_turtle(block, names)
            turtle.write(body)
            countries.append(_country_file(job, iso3, body, shared_lines + block.count(b"\n")))
            nodes = list(jsonld_nodes(block, compactor))
            if nodes:
                jsonld.write((("" if empty else ",\n    ") + ",\n    ".join(nodes)).encode())
                empty = False
    return _Part(turtle_path, jsonld_path, empty, countries)


def _task(job: _Job, number: int) -> object:
    """Task ``number`` of the pool: the work run beside the dumps, gdp.nt, then the parts."""
    if number < len(job.beside):
        return job.beside[number]()
    number -= len(job.beside)
    if number == 0:
        return _write_ntriples(job.kg, job.folder)
    return _write_part(job, number - 1)


def _runs_of_countries(kg: KnowledgeGraph, count: int) -> list[list[str]]:
    """Consecutive countries in about ``count`` runs of similar size (in triples)."""
    return chunked_by_size({iso3: len(kg.countries[iso3]) for iso3 in sorted(kg.countries)}, count)


def inline_context(base: str) -> bytes:
    """The JSON-LD context as the value of "@context", indented to sit inside the document."""
    text = json.dumps(jsonld_context(base)["@context"], indent=2)
    return text.replace("\n", "\n  ").encode()


PARALLEL_TRIPLES = 100_000  # below this, forking costs more than it saves
RUNS_PER_CORE = 8  # small enough parts to even out the cores' loads


def write_dumps(
    kg: KnowledgeGraph,
    folder: Path,
    workers: int | None = None,
    beside: Sequence[Callable[[], object]] = (),
) -> tuple[list[DumpFile], list[object]]:
    """gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld and country/<ISO3>.ttl into ``folder``,
    and the results of ``beside``: other writers, run in the same pool of forked workers
    (first, as they are the longest tasks), so every core stays busy.

    Raises:
        OSError: a file cannot be written.
    """
    names = prefixes(kg.base)
    head = prefix_header(names) + block_turtle(kg.shared, names)
    count = cores(workers) if len(kg) >= PARALLEL_TRIPLES else 1
    parts = Path(tempfile.mkdtemp(prefix=".parts-", dir=folder))
    try:
        (folder / "country").mkdir(parents=True, exist_ok=True)
        runs = _runs_of_countries(kg, RUNS_PER_CORE * count if count > 1 else 1)
        job = _Job(kg, folder, parts, head, hashlib.sha256(head), runs, beside)
        tasks = range(len(beside) + 1 + len(runs))
        results = list(fork_map(_task, tasks, count, shared=job))
        others, ntriples = results[: len(beside)], results[len(beside)]
        done = [part for part in results[len(beside) + 1 :] if isinstance(part, _Part)]
        assert isinstance(ntriples, DumpFile) and len(done) == len(runs)
        # the two joins side by side: reading, writing and hashing release the GIL
        with ThreadPoolExecutor(2) as threads:
            turtle = threads.submit(_join_turtle, kg, folder, head, done)
            jsonld = threads.submit(_join_jsonld, kg, folder, done)
            files = [turtle.result(), ntriples, *jsonld.result()]
        files += sorted((c for part in done for c in part.countries), key=lambda f: f.name)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    return files, others


def _join_turtle(kg: KnowledgeGraph, folder: Path, head: bytes, done: Sequence[_Part]) -> DumpFile:
    turtle = _Output(folder, "gdp.ttl", Format.TURTLE.media_type)
    turtle.write(head)
    for part in done:
        turtle.append_file(part.turtle)
    return turtle.close(len(kg))


def _join_jsonld(kg: KnowledgeGraph, folder: Path, done: Sequence[_Part]) -> list[DumpFile]:
    """gdp.jsonld with its context inline (readable alone), and context.jsonld for reuse."""
    jsonld = _Output(folder, "gdp.jsonld", Format.JSONLD.media_type)
    jsonld.write(b'{\n  "@context": ' + inline_context(kg.base) + b',\n  "@graph": [\n')
    shared = list(jsonld_nodes(kg.shared, Compactor(kg.base)))
    first = True
    if shared:
        jsonld.write(("    " + ",\n    ".join(shared)).encode())
        first = False
    for part in done:
        if not part.empty:
            jsonld.write(b"    " if first else b",\n    ")
            jsonld.append_file(part.jsonld)
            first = False
    jsonld.write(b"\n  ]\n}\n")
    context = (json.dumps(jsonld_context(kg.base), indent=2) + "\n").encode()
    return [
        write_file(folder, "context.jsonld", context, "application/ld+json", 0),
        jsonld.close(len(kg)),
    ]
