"""Graph -> ValidationReport (never raises for bad data), by the fast engine or pySHACL.

pySHACL is the reference validator and runs on rdflib's in-memory graph; the fast engine
(graph/fast_shacl.py) gives the same results from an index of N-Triples lines and is the
default, with pySHACL selectable (``Engine.PYSHACL``) and used whenever the shapes need a
feature the fast engine lacks. A whole build is validated profile by profile: each chunk of
country blocks is checked together with the shared block (ontology, code lists, data
structure) as context, only the chunk's own nodes are focus nodes, chunks run on every core,
and a profile whose triples, context, shapes and engine are unchanged since its last run is
not checked again (it conformed then, or its results are kept).
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from gdp_rdf.graph.fast_shacl import DataGraph, validate_data
from gdp_rdf.graph.fast_shapes import SH, Shape, UnsupportedShapesError, compile_shapes
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.rdf_io import read_rdf, to_rdflib
from gdp_rdf.graph.report import ValidationReport, Violation
from gdp_rdf.graph.terms import parse_block, split_line
from gdp_rdf.parallel import chunked_by_size, cores, fork_map
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import DEFAULT_BASE, QB, RDF, RDFS, rebase

if TYPE_CHECKING:
    import rdflib

__all__ = ["Engine", "ValidationReport", "Violation", "validate_files", "validate_knowledge_graph"]

CHUNK_TRIPLES = 50_000  # triples per engine call: big enough to amortise the shared context
FAST_ENGINE_VERSION = "1"  # part of the cache key: bump when the fast engine's answers change


class Engine(StrEnum):
    """SHACL engines: the fast one (default) and pySHACL, the reference."""

    FAST = "fast"
    PYSHACL = "pyshacl"


def shapes_text(base: str = DEFAULT_BASE) -> str:
    """The SHACL shapes (shapes/gdp.ttl) under ``base``."""
    return rebase(resource_path("shapes", "gdp.ttl").read_text(encoding="utf-8"), base)


@cache
def load_shapes(base: str = DEFAULT_BASE) -> rdflib.Graph:
    """The shapes graph for pySHACL, parsed once per process."""
    import rdflib

    from gdp_rdf.graph.pyshacl_patch import speed_up_pyshacl

    speed_up_pyshacl()
    return rdflib.Graph().parse(data=shapes_text(base), format="turtle")


def fast_shapes(base: str = DEFAULT_BASE) -> tuple[Shape, ...] | None:
    """The shapes compiled for the fast engine, or None when they need pySHACL."""
    try:
        return compile_shapes(shapes_text(base))
    except UnsupportedShapesError:
        return None


def _results(report: rdflib.Graph) -> list[Violation]:
    import rdflib
    from rdflib.namespace import SH as SH_

    out = []
    for result in report.subjects(rdflib.URIRef(RDF + "type"), SH_.ValidationResult):

        def one(p: rdflib.URIRef, r: rdflib.term.Node = result) -> str | None:
            value = report.value(r, p)
            return None if value is None else str(value)

        out.append(
            Violation(
                focus=one(SH_.focusNode) or "",
                path=one(SH_.resultPath),
                value=one(SH_.value),
                source_shape=one(SH_.sourceShape) or "",
                constraint=one(SH_.sourceConstraint),
                component=one(SH_.sourceConstraintComponent) or "",
                message=one(SH_.resultMessage) or "",
                severity=one(SH_.resultSeverity) or "",
            )
        )
    return sorted(out, key=Violation.sort_key)


def validate_graph(
    graph: rdflib.Graph,
    base: str = DEFAULT_BASE,
    focus: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate an rdflib graph with pySHACL (only ``focus`` nodes, when given)."""
    import pyshacl
    import rdflib

    # pySHACL allocates millions of short-lived objects; the cyclic collector scanning them
    # costs ~15%. Everything it leaves behind is collected when the collector is back on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        conforms, report, _ = pyshacl.validate(
            graph,
            shacl_graph=load_shapes(base),
            inference="none",
            inplace=True,
            allow_infos=True,
            allow_warnings=True,
            focus_nodes=[rdflib.URIRef(f) for f in focus] if focus is not None else None,
        )
    finally:
        if collecting:
            gc.enable()
    violations = tuple(_results(report))
    return ValidationReport(bool(conforms), violations, checked=len(graph))


def _conforms(violations: Sequence[Violation]) -> bool:
    """pySHACL's verdict with warnings and infos allowed: no sh:Violation result."""
    return not any(v.severity == SH + "Violation" for v in violations)


def validate_triples(
    triples: Sequence[ox.Triple], base: str = DEFAULT_BASE, engine: Engine = Engine.FAST
) -> ValidationReport:
    """Validate triples as one graph with the chosen engine."""
    shapes = fast_shapes(base) if engine is Engine.FAST else None
    if shapes is None:
        return validate_graph(to_rdflib(triples), base)
    graph = DataGraph()
    graph.add_triples(triples)
    violations = tuple(validate_data(graph, shapes))
    return ValidationReport(_conforms(violations), violations, checked=graph.size)


def validate_files(
    paths: Sequence[Path], base: str = DEFAULT_BASE, engine: Engine = Engine.FAST
) -> ValidationReport:
    """Validate RDF files (Turtle, N-Triples, JSON-LD) together as one graph.

    Raises:
        RdfReadError: a file cannot be read as RDF.
    """
    triples: list[ox.Triple] = []
    for path in paths:
        triples += read_rdf(path)
    return validate_triples(triples, base, engine)


# -- whole builds: chunks, cores, cache ----------------------------------------------------------


def _subjects(block: bytes) -> set[str]:
    """Subject IRIs of a block of N-Triples lines (ours are always named nodes)."""
    return {split_line(line)[0].decode() for line in block.splitlines() if line}


@cache
def touched_predicates(base: str = DEFAULT_BASE) -> frozenset[bytes]:
    """Predicates the shapes look at (paths, SPARQL constraints, types), as IRI bytes.

    Triples with any other predicate cannot change a result, so chunks leave them out.
    """
    shapes = [q.triple for q in ox.parse(shapes_text(base), format=ox.RdfFormat.TURTLE)]
    found = {t.object.value for t in shapes if t.predicate.value == SH + "path"}
    for t in shapes:
        if t.predicate.value == SH + "select":
            found |= set(re.findall(r"<([^>]+)>", t.object.value))
    found |= {RDF + "type", RDFS + "subClassOf"}
    return frozenset(iri.encode() for iri in found)


def prune(block: bytes, base: str) -> bytes:
    """The lines of a block whose predicate some shape looks at."""
    keep = touched_predicates(base)
    kept = []
    for line in block.splitlines(keepends=True):
        if split_line(line)[1] in keep:
            kept.append(line)
    return b"".join(kept)


@dataclass(frozen=True)
class _Context:
    """What every validation worker reads: the base, the shared block and the data sets."""

    base: str
    shared: bytes
    datasets: frozenset[str]
    shapes: tuple[Shape, ...] | None  # compiled for the fast engine; None: pySHACL
    countries: dict[str, bytes]  # read by the workers, never copied: each joins its own chunk


def _check_pyshacl(state: _Context, payload: bytes | None) -> ValidationReport:
    import rdflib

    base = state.base
    graph = rdflib.Graph()
    to_rdflib(parse_block(state.shared), graph)
    if payload is None:
        return validate_graph(graph, base)
    to_rdflib(parse_block(prune(payload, base)), graph)
    # The shared block is only context here (it is validated once on its own): keep the
    # results about the chunk's nodes and the data sets, whose checks read the chunk's
    # observations. pySHACL's focus_nodes option would do this with a list scan per node.
    mine = _subjects(payload) | state.datasets
    report = validate_graph(graph, base)
    kept = tuple(v for v in report.violations if v.focus in mine)
    return ValidationReport(not kept, kept, checked=payload.count(b"\n"))


def _check_fast(
    state: _Context, shapes: tuple[Shape, ...], payload: bytes | None
) -> ValidationReport:
    graph = DataGraph()
    graph.add_block(state.shared)
    if payload is None:
        violations = tuple(validate_data(graph, shapes))
        return ValidationReport(_conforms(violations), violations, checked=graph.size)
    before = set(graph.out)
    graph.add_block(payload)
    mine = {s for s in graph.out if s not in before} | state.datasets
    kept = tuple(v for v in validate_data(graph, shapes, mine) if v.focus in mine)
    return ValidationReport(not kept, kept, checked=payload.count(b"\n"))


def _check(state: _Context, chunk: list[str] | None) -> ValidationReport:
    """Validate the shared block (``None``) or a chunk of countries with it as context."""
    payload = None if chunk is None else b"".join(state.countries[iso3] for iso3 in chunk)
    # Building the graph and validating allocate millions of short-lived objects; the cyclic
    # collector scanning them cost ~25%. One collection per chunk frees them, and it scans
    # only the chunk's: what was alive before (in a worker, the whole forked build) is frozen,
    # or every chunk's collection would walk, and so copy, the parent's pages.
    gc.disable()
    gc.freeze()
    try:
        shapes = state.shapes
        report = (
            _check_pyshacl(state, payload)
            if shapes is None
            else _check_fast(state, shapes, payload)
        )
    finally:
        gc.enable()
        gc.collect()
        gc.unfreeze()
    if chunk is None or not report.violations:
        return report
    return ValidationReport(
        report.conforms,
        report.violations,
        report.checked,
        profiles=_owners(state.countries, chunk, report.violations),
    )


_LINE_SUBJECT = re.compile(rb"^<([^>]*)> ", re.MULTILINE)


def _owners(
    countries: dict[str, bytes], chunk: Sequence[str], violations: Sequence[Violation]
) -> dict[str, list[Violation]]:
    """Results by the country of the chunk whose block holds their focus (else value) node."""
    owner: dict[str, str] = {}
    for iso3 in chunk:
        for match in _LINE_SUBJECT.finditer(countries[iso3]):
            owner.setdefault(match.group(1).decode(), iso3)
    found: dict[str, list[Violation]] = {}
    for violation in violations:
        iso3 = owner.get(violation.focus) or owner.get(violation.value or "") or ""
        found.setdefault(iso3, []).append(violation)
    return found


def _chunks(kg: KnowledgeGraph, todo: Sequence[str], workers: int) -> list[list[str]]:
    """Countries grouped into chunks of about CHUNK_TRIPLES triples, a multiple of workers."""
    sizes = {iso3: kg.countries[iso3].count(b"\n") for iso3 in todo}
    total = sum(sizes.values())
    count = max(1, -(-total // CHUNK_TRIPLES))
    count = -(-count // workers) * workers if count > 1 or workers > 1 else 1
    return chunked_by_size(sizes, count)


def _engine_id(shapes: tuple[Shape, ...] | None) -> str:
    if shapes is not None:
        return "fast " + FAST_ENGINE_VERSION
    from importlib.metadata import version

    return "pyshacl " + version("pyshacl")


class _Cache:
    """What earlier runs found, in the cache folder (validation.json): the keys of blocks
    that conformed, and the results of blocks that did not, so a build whose profiles fail
    re-checks only what changed too."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "validation.json" if folder else None
        self.keys: set[str] = set()
        self.results: dict[str, list[Violation]] = {}
        if self.path is None or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, list):  # written by an earlier gdp-rdf: conforming keys only
                data = {"conforming": data}
            self.keys = {str(k) for k in data.get("conforming", [])}
            self.results = {
                str(key): [Violation(*fields) for fields in found]
                for key, found in data.get("results", {}).items()
            }
        except (OSError, ValueError, TypeError, AttributeError):
            self.keys, self.results = set(), {}  # a damaged cache only costs a full validation

    def save(self) -> None:
        if self.path is None:
            return
        results = {
            key: [list(astuple(v)) for v in found] for key, found in sorted(self.results.items())
        }
        data = {"conforming": sorted(self.keys), "results": results}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass  # the cache is an optimisation; a read-only disk must not fail a build


def validate_knowledge_graph(
    kg: KnowledgeGraph,
    cache_dir: Path | None = None,
    workers: int | None = None,
    engine: Engine = Engine.FAST,
) -> ValidationReport:
    """Validate a built graph: the shared block once, then the country blocks in chunks.

    A country block is skipped when the same triples were checked before with the same shared
    block, shapes and engine (the cache key is a hash of all four): it conformed, or its
    results are the ones found then. Results come sorted (Violation.sort_key), whatever the
    chunks, the cores and the cache.
    """
    base, cache = kg.base, _Cache(cache_dir)
    shapes = fast_shapes(base) if engine is Engine.FAST else None
    context_key = hashlib.sha256(
        kg.shared + shapes_text(base).encode() + _engine_id(shapes).encode()
    ).hexdigest()
    keys = {
        iso3: hashlib.sha256(context_key.encode() + block).hexdigest()
        for iso3, block in kg.countries.items()
    }
    known = cache.keys | cache.results.keys()
    todo = [iso3 for iso3 in sorted(kg.countries) if keys[iso3] not in known]

    workers = cores(workers)
    check_shared = "shared:" + context_key not in cache.keys
    chunks = _chunks(kg, todo, workers)
    is_dataset = f"> <{RDF}type> <{QB}DataSet> .".encode()
    state = _Context(
        base,
        kg.shared,
        frozenset(
            split_line(line)[0].decode()
            for line in kg.shared.splitlines()
            if line.endswith(is_dataset)
        ),
        shapes,
        kg.countries,
    )
    tasks: list[list[str] | None] = ([None] if check_shared else []) + list(chunks)
    reports = list(fork_map(_check, tasks, workers, shared=state))
    if check_shared and reports[0].conforms:
        cache.keys.add("shared:" + context_key)
    chunk_reports = reports[1:] if check_shared else reports

    by_profile: dict[str, list[Violation]] = {}
    for report in chunk_reports:
        for iso3, found in report.profiles.items():
            by_profile.setdefault(iso3, []).extend(found)
    # A result no profile of its chunk owns could be about any of them: none is remembered.
    unsure = {
        iso3
        for chunk, r in zip(chunks, chunk_reports, strict=True)
        if "" in r.profiles
        for iso3 in chunk
    }
    checked = set(todo)
    sure = checked - unsure
    cache.keys |= {keys[iso3] for iso3 in sure if iso3 not in by_profile}
    # results are kept for this build's profiles only: they are bigger than a key
    results = {keys[iso3]: found for iso3, found in by_profile.items() if iso3 in sure}
    remembered: list[Violation] = []
    for iso3 in sorted(kg.countries):
        if iso3 not in checked and keys[iso3] in cache.results:
            found = by_profile[iso3] = results[keys[iso3]] = cache.results[keys[iso3]]
            remembered += found
    cache.results = results
    cache.save()

    fresh = [v for report in reports for v in report.violations]
    violations = tuple(sorted(fresh + remembered, key=Violation.sort_key))
    return ValidationReport(
        conforms=not violations,
        violations=violations,
        checked=sum(report.checked for report in reports),
        cached=len(kg.countries) - len(todo),
        profiles=by_profile,
    )
