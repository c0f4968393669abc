"""Graph -> ValidationReport (wraps pySHACL; returns a report, never raises for bad data).

pySHACL is the reference validator and runs on rdflib's in-memory graph. A whole build is
validated profile by profile: each chunk of country blocks is checked together with the
shared block (ontology, code lists, data structure) as context, only the chunk's own nodes
are focus nodes, chunks run on every core, and a profile whose triples, context and shapes
are unchanged since its last conforming run is not checked again.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import SH

from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.rdf_io import read_rdf, to_rdflib
from gdp_rdf.graph.terms import IriCompactor, parse_block, split_line
from gdp_rdf.parallel import cores, fork_map
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import DEFAULT_BASE, QB, RDF, RDFS, prefixes, rebase

CHUNK_TRIPLES = 50_000  # triples per pySHACL call: big enough to amortise the shared context


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    path: str | None
    value: str | None
    source_shape: str
    constraint: str | None  # the SPARQL constraint, for sh:sparql results
    component: str
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    """Whether data conforms to the shapes, and every result if it does not."""

    conforms: bool
    violations: tuple[Violation, ...] = ()
    checked: int = 0  # triples checked in this run
    cached: int = 0  # profiles skipped because an identical one conformed before
    profiles: dict[str, list[Violation]] = field(default_factory=dict)  # ISO3 -> its results

    def text(self, limit: int = 50, base: str = DEFAULT_BASE) -> str:
        """A human-readable report: one line per result, IRIs shortened under ``base``."""
        if self.conforms:
            return f"Conforms: {self.checked} triples checked.\n"
        short = IriCompactor(prefixes(base))
        lines = [f"Does not conform: {len(self.violations)} result(s)."]
        for v in self.violations[:limit]:
            where = f" {short(v.path)}" if v.path else ""
            value = f" = {v.value}" if v.value is not None else ""
            shape = short(v.constraint or v.source_shape)
            lines.append(f"- {short(v.focus)}{where}{value}: {v.message} [{shape}]")
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines) + "\n"


def shapes_text(base: str = DEFAULT_BASE) -> str:
    """The SHACL shapes (shapes/gdp.ttl) under ``base``."""
    return rebase(resource_path("shapes", "gdp.ttl").read_text(encoding="utf-8"), base)


@cache
def load_shapes(base: str = DEFAULT_BASE) -> rdflib.Graph:
    """The shapes graph, parsed once per process."""
    _speed_up_pyshacl()
    return rdflib.Graph().parse(data=shapes_text(base), format="turtle")


class _ListWithSetLookup(list):  # type: ignore[type-arg]
    """A list whose `in` is a set lookup; everything else behaves as the list."""

    def __init__(self, items: Iterable[object]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _speed_up_pyshacl() -> None:
    """Give pySHACL's constraint-parameter list a set lookup.

    For every shape and focus node pySHACL tests each predicate of the shape against a list
    of ~40 constraint parameters, comparing rdflib terms in Python; on our graphs that was a
    quarter of validation time. The answers are the same. pySHACL reads the list from the
    module attribute it caches it in, so this only takes effect where that cache exists.
    """
    import pyshacl.shape as shape_module
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    current = getattr(shape_module, "CONSTRAINT_PARAMS", (None, None))
    if isinstance(current, tuple) and not isinstance(current[0], _ListWithSetLookup):
        shape_module.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
            _ListWithSetLookup(ALL_CONSTRAINT_PARAMETERS),
            CONSTRAINT_PARAMETERS_MAP,
        )


def _results(report: rdflib.Graph) -> list[Violation]:
    out = []
    for result in report.subjects(RDF_TYPE, SH.ValidationResult):

        def one(p: rdflib.URIRef, r: rdflib.term.Node = result) -> str | None:
            value = report.value(r, p)
            return None if value is None else str(value)

        out.append(
            Violation(
                focus=one(SH.focusNode) or "",
                path=one(SH.resultPath),
                value=one(SH.value),
                source_shape=one(SH.sourceShape) or "",
                constraint=one(SH.sourceConstraint),
                component=one(SH.sourceConstraintComponent) or "",
                message=one(SH.resultMessage) or "",
                severity=one(SH.resultSeverity) or "",
            )
        )
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.source_shape, v.value or ""))


RDF_TYPE = rdflib.URIRef(RDF + "type")


def validate_graph(
    graph: rdflib.Graph,
    base: str = DEFAULT_BASE,
    focus: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate an rdflib graph against the shapes (only ``focus`` nodes, when given)."""
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


def validate_files(paths: Sequence[Path], base: str = DEFAULT_BASE) -> ValidationReport:
    """Validate RDF files (Turtle, N-Triples, JSON-LD) together as one graph.

    Raises:
        RdfReadError: a file cannot be read as RDF.
    """
    graph = rdflib.Graph()
    for path in paths:
        to_rdflib(read_rdf(path), graph)
    return validate_graph(graph, base)


# -- whole builds: chunks, cores, cache ----------------------------------------------------------


def _subjects(block: bytes) -> set[str]:
    """Subject IRIs of a block of N-Triples lines (ours are always named nodes)."""
    return {split_line(line)[0].decode() for line in block.splitlines() if line}


@cache
def touched_predicates(base: str = DEFAULT_BASE) -> frozenset[bytes]:
    """Predicates the shapes look at (paths, SPARQL constraints, types), as IRI bytes.

    Triples with any other predicate cannot change a result, so chunks leave them out.
    """
    shapes = load_shapes(base)
    found = {str(path) for path in shapes.objects(None, SH.path)}
    for select in shapes.objects(None, SH.select):
        found |= set(re.findall(r"<([^>]+)>", str(select)))
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
    shared: list[ox.Triple]
    datasets: frozenset[str]


def _check(state: _Context, payload: bytes | None) -> ValidationReport:
    """Validate the shared block (``None``) or a chunk of country blocks with it as context."""
    base, context = state.base, state.shared
    # Building the rdflib graph and running pySHACL allocate millions of short-lived objects;
    # the cyclic collector scanning them cost ~25%. One collection per chunk frees them.
    gc.disable()
    graph = rdflib.Graph()
    try:
        to_rdflib(context, graph)
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
    finally:
        del graph
        gc.enable()
        gc.collect()


def _owner(kg: KnowledgeGraph, todo: Sequence[str], violation: Violation) -> str:
    """The country whose block holds the node a result is about (its focus or value)."""
    for node in (violation.focus, violation.value):
        if node:
            subject = f"<{node}> ".encode()
            for iso3 in todo:
                if subject in kg.countries[iso3]:
                    return iso3
    return ""


def _chunks(kg: KnowledgeGraph, todo: Sequence[str], workers: int) -> list[list[str]]:
    """Countries grouped into chunks of about CHUNK_TRIPLES triples, a multiple of workers."""
    sizes = {iso3: kg.countries[iso3].count(b"\n") for iso3 in todo}
    total = sum(sizes.values())
    count = max(1, -(-total // CHUNK_TRIPLES))
    count = -(-count // workers) * workers if count > 1 or workers > 1 else 1
    target = max(1, -(-total // count))
    chunks: list[list[str]] = [[]]
    size = 0
    for iso3 in todo:
        if size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(iso3)
        size += sizes[iso3]
    return [chunk for chunk in chunks if chunk]


class _Cache:
    """Keys of blocks that conformed: a JSON list in the cache folder."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "validation.json" if folder else None
        self.keys: set[str] = set()
        if self.path is not None and self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.keys = {str(k) for k in data} if isinstance(data, list) else set()
            except (OSError, ValueError):
                pass  # a damaged cache only costs a full validation

    def save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(sorted(self.keys)), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass  # the cache is an optimisation; a read-only disk must not fail a build


def validate_knowledge_graph(
    kg: KnowledgeGraph,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> ValidationReport:
    """Validate a built graph: the shared block once, then the country blocks in chunks.

    A country block is skipped when the same triples conformed before with the same shared
    block, shapes and pySHACL version (the cache key is a hash of all four).
    """
    base, cache = kg.base, _Cache(cache_dir)
    context_key = hashlib.sha256(
        kg.shared + shapes_text(base).encode() + pyshacl.__version__.encode()
    ).hexdigest()
    keys = {
        iso3: hashlib.sha256(context_key.encode() + block).hexdigest()
        for iso3, block in kg.countries.items()
    }
    todo = [iso3 for iso3 in sorted(kg.countries) if keys[iso3] not in cache.keys]

    workers = cores(workers)
    check_shared = "shared:" + context_key not in cache.keys
    payloads = [
        b"".join(kg.countries[iso3] for iso3 in chunk) for chunk in _chunks(kg, todo, workers)
    ]
    is_dataset = f"> <{RDF}type> <{QB}DataSet> .".encode()
    state = _Context(
        base,
        parse_block(kg.shared),
        frozenset(
            split_line(line)[0].decode()
            for line in kg.shared.splitlines()
            if line.endswith(is_dataset)
        ),
    )
    tasks: list[bytes | None] = ([None] if check_shared else []) + payloads
    reports = list(fork_map(_check, tasks, workers, shared=state))
    if check_shared and reports[0].conforms:
        cache.keys.add("shared:" + context_key)
    chunk_reports = reports[1:] if check_shared else reports

    by_profile: dict[str, list[Violation]] = {}
    for violation in (v for report in chunk_reports for v in report.violations):
        by_profile.setdefault(_owner(kg, todo, violation), []).append(violation)
    cache.keys |= {keys[iso3] for iso3 in todo if iso3 not in by_profile}
    cache.save()

    violations = tuple(v for report in reports for v in report.violations)
    return ValidationReport(
        conforms=not violations,
        violations=violations,
        checked=sum(report.checked for report in reports),
        cached=len(kg.countries) - len(todo),
        profiles=by_profile,
    )
