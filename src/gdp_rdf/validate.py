"""Graph -> ValidationReport (wraps pySHACL; returns a report, never raises for bad data).

pySHACL is the reference validator and runs on rdflib's in-memory graph. A whole build is
validated profile by profile: each chunk of country blocks is checked together with the
shared block (ontology, code lists, data structure) as context, only the chunk's own nodes
are focus nodes, chunks run on every core, and a profile whose triples, context and shapes
are unchanged since its last conforming run is not checked again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import SH

from gdp_rdf.graph import KnowledgeGraph, ntriples, read_rdf, subject_iri, to_rdflib
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import DEFAULT_BASE, QB, RDF

CHUNK_TRIPLES = 20_000  # profiles per pySHACL call: big enough to amortise its overhead


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

    def text(self, limit: int = 50) -> str:
        """A human-readable report: one line per result."""
        if self.conforms:
            return f"Conforms: {self.checked} triples checked.\n"
        lines = [f"Does not conform: {len(self.violations)} result(s)."]
        for v in self.violations[:limit]:
            where = f" {_short(v.path)}" if v.path else ""
            value = f" = {v.value}" if v.value is not None else ""
            shape = _short(v.constraint or v.source_shape)
            lines.append(f"- {_short(v.focus)}{where}{value}: {v.message} [{shape}]")
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines) + "\n"


def _short(iri: str) -> str:
    for prefix, name in (
        (DEFAULT_BASE + "shapes/", "gdpsh:"),
        (DEFAULT_BASE + "def/", "gdp:"),
        (DEFAULT_BASE + "id/", ""),
    ):
        if iri.startswith(prefix):
            return name + iri[len(prefix) :]
    return iri


def rebase(text: str, base: str) -> str:
    """Ontology and shapes files are written with the default base; move them to ``base``."""
    return text if base == DEFAULT_BASE else text.replace(DEFAULT_BASE, base)


def shapes_text(base: str = DEFAULT_BASE) -> str:
    """The SHACL shapes (shapes/gdp.ttl) under ``base``."""
    return rebase(resource_path("shapes", "gdp.ttl").read_text(encoding="utf-8"), base)


@cache
def load_shapes(base: str = DEFAULT_BASE) -> rdflib.Graph:
    """The shapes graph, parsed once per process."""
    return rdflib.Graph().parse(data=shapes_text(base), format="turtle")


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
    conforms, report, _ = pyshacl.validate(
        graph,
        shacl_graph=load_shapes(base),
        inference="none",
        inplace=True,
        allow_infos=True,
        allow_warnings=True,
        focus_nodes=[rdflib.URIRef(f) for f in focus] if focus is not None else None,
    )
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


def _digest(triples: Iterable[ox.Triple]) -> str:
    return hashlib.sha256(ntriples(triples)).hexdigest()


_CONTEXT: list[ox.Triple] = []  # the shared block, parsed once per worker process


def _init_worker(context: bytes, base: str) -> None:
    _CONTEXT[:] = list(ox.parse(context, format=ox.RdfFormat.N_TRIPLES))
    load_shapes(base)


def _check_chunk(payload: bytes, base: str, datasets: Sequence[str]) -> ValidationReport:
    chunk = list(ox.parse(payload, format=ox.RdfFormat.N_TRIPLES))
    graph = to_rdflib(_CONTEXT)
    to_rdflib(chunk, graph)
    # The shared block is only context here (it is validated once on its own): keep the
    # results about the chunk's nodes and the data sets, whose checks read the chunk's
    # observations. pySHACL's focus_nodes option would do this with a list scan per node.
    mine = {subject_iri(t) for t in chunk} | set(datasets)
    report = validate_graph(graph, base)
    kept = tuple(v for v in report.violations if v.focus in mine)
    return ValidationReport(not kept, kept, checked=len(chunk))


def _chunks(kg: KnowledgeGraph, todo: Sequence[str]) -> list[list[str]]:
    """Countries grouped so each pySHACL call checks about CHUNK_TRIPLES triples."""
    chunks: list[list[str]] = []
    size = 0
    for iso3 in todo:
        if not chunks or size >= CHUNK_TRIPLES:
            chunks.append([])
            size = 0
        chunks[-1].append(iso3)
        size += len(kg.countries[iso3])
    return chunks


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
        (_digest(kg.shared) + shapes_text(base) + pyshacl.__version__).encode()
    ).hexdigest()
    keys = {
        iso3: hashlib.sha256((context_key + _digest(block)).encode()).hexdigest()
        for iso3, block in kg.countries.items()
    }
    todo = [iso3 for iso3 in sorted(kg.countries) if keys[iso3] not in cache.keys]

    reports: list[ValidationReport] = []
    if "shared:" + context_key not in cache.keys:
        reports.append(validate_graph(to_rdflib(kg.shared), base))
        if reports[-1].conforms:
            cache.keys.add("shared:" + context_key)

    chunks = _chunks(kg, todo)
    context = ntriples(kg.shared)
    payloads = [ntriples(t for iso3 in chunk for t in kg.countries[iso3]) for chunk in chunks]
    datasets = sorted(
        subject_iri(t)
        for t in kg.shared
        if t.predicate.value == RDF + "type" and t.object == ox.NamedNode(QB + "DataSet")
    )
    workers = min(workers or os.cpu_count() or 1, len(chunks))
    if workers > 1:
        with ProcessPoolExecutor(
            workers, initializer=_init_worker, initargs=(context, base)
        ) as pool:
            chunk_reports = list(pool.map(_check_chunk, payloads, repeat(base), repeat(datasets)))
    else:
        _init_worker(context, base)
        chunk_reports = [_check_chunk(payload, base, datasets) for payload in payloads]
    reports += chunk_reports

    owner = {subject_iri(t): iso3 for iso3 in todo for t in kg.countries[iso3]}
    by_profile: dict[str, list[Violation]] = {}
    for violation in (v for report in chunk_reports for v in report.violations):
        iso3 = owner.get(violation.focus) or owner.get(violation.value or "", "")
        by_profile.setdefault(iso3, []).append(violation)
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
