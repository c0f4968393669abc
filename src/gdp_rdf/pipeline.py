"""build(): read -> map -> validate -> write. Nothing is written unless the graph conforms."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.codelists import load_codelists
from gdp_rdf.errors import BuildError
from gdp_rdf.export import DumpFile, turtle_bytes, write_dumps, write_file
from gdp_rdf.facts import Profile
from gdp_rdf.graph import KnowledgeGraph
from gdp_rdf.mapping import facts_to_graph, map_profile
from gdp_rdf.parse import read_profile
from gdp_rdf.resources import resource_path
from gdp_rdf.schemes import shared_triples
from gdp_rdf.validate import ValidationReport, rebase, validate_knowledge_graph
from gdp_rdf.vocab import DEFAULT_BASE, Iris
from gdp_rdf.void import DatasetInfo, void_triples

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the report, and the files when the graph conformed."""

    report: ValidationReport
    triples: int
    profiles: int
    files: tuple[DumpFile, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


def profile_paths(inputs: Sequence[Path]) -> list[Path]:
    """Profile files from files and folders (a folder means its *.txt files)."""
    paths: list[Path] = []
    for item in inputs:
        paths += sorted(item.glob("*.txt")) if item.is_dir() else [item]
    return paths


def read_profiles(paths: Sequence[Path], progress: Progress | None = None) -> list[Profile]:
    """Read every profile (raises the first ParseError)."""
    profiles = []
    for done, path in enumerate(paths, start=1):
        profiles.append(read_profile(path))
        if progress:
            progress(done, len(paths))
    return profiles


def vocabulary_triples(base: str) -> list[ox.Triple]:
    """The ontology, shipped in every dump so the graph describes its own terms."""
    text = rebase(resource_path("ontology", "gdp.ttl").read_text(encoding="utf-8"), base)
    return list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))


def build_graph(profiles: Sequence[Profile], base: str = DEFAULT_BASE) -> KnowledgeGraph:
    """Map profiles to the knowledge graph (MappingError for unknown or repeated countries)."""
    iris, codes = Iris(base), load_codelists()
    blocks = [map_profile(profile, iris, codes) for profile in profiles]
    unreviewed = sorted(
        {u for block in blocks for u in block.unreviewed}, key=lambda u: (u.scheme, u.notation)
    )
    shared = shared_triples(iris, codes, unreviewed) + vocabulary_triples(base)
    return facts_to_graph(blocks, shared, base)


def latest_update(profiles: Sequence[Profile]) -> str | None:
    months = [p.last_updated for p in profiles if p.last_updated]
    return max(months) if months else None


def write_output(kg: KnowledgeGraph, out: Path, info: DatasetInfo) -> tuple[DumpFile, ...]:
    """Write every file into a fresh folder beside ``out``, then swap it in.

    A failure leaves ``out`` as it was: files are never written into it directly.

    Raises:
        BuildError: the output folder cannot be written.
    """
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as error:
        raise BuildError(f"cannot create the output folder: {error.strerror}", str(out)) from None
    try:
        files = write_dumps(kg, staging)
        void = void_triples(kg, files, info)
        files.append(
            write_file(staging, "void.ttl", turtle_bytes(void, kg.base), "text/turtle", len(void))
        )
        old = out.with_name(f".{out.name}-old")
        if old.exists():
            shutil.rmtree(old)
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"cannot write the dumps: {error.strerror or error}", str(out)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return tuple(files)


def build(
    inputs: Sequence[Path],
    out: Path,
    base: str = DEFAULT_BASE,
    issued: str | None = None,
    license: str | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the knowledge graph from profile files into ``out``.

    Returns the validation report; when the graph does not conform nothing is written.

    Raises:
        ParseError: a profile cannot be read.
        MappingError: a profile's country is unknown, or two profiles share a country.
        BuildError: the output cannot be written.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    paths = profile_paths(inputs)
    if not paths:
        raise BuildError("no profile files to build from", ", ".join(map(str, inputs)) or ".")
    profiles = read_profiles(paths, progress)
    timings["read"] = time.perf_counter() - clock

    clock = time.perf_counter()
    kg = build_graph(profiles, base)
    timings["map"] = time.perf_counter() - clock

    clock = time.perf_counter()
    report = validate_knowledge_graph(kg, cache_dir, workers)
    timings["validate"] = time.perf_counter() - clock
    if not report.conforms:
        return BuildResult(report, len(kg), len(profiles), timings=timings)

    clock = time.perf_counter()
    info = DatasetInfo(modified=latest_update(profiles), issued=issued, license=license)
    files = write_output(kg, out, info)
    timings["write"] = time.perf_counter() - clock
    return BuildResult(report, len(kg), len(profiles), files, timings)
