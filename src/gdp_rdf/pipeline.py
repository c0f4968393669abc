"""build(): read -> map -> validate -> write. Nothing is written unless the graph conforms."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gdp_rdf.errors import BuildError
from gdp_rdf.graph.dumps import DumpFile, write_dumps, write_file
from gdp_rdf.graph.mapping import ProfileBlock, facts_to_graph, map_profile
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.serialize import turtle_bytes
from gdp_rdf.graph.shared import shared_triples
from gdp_rdf.graph.terms import parse_block
from gdp_rdf.graph.validate import ValidationReport, validate_knowledge_graph
from gdp_rdf.graph.void import DatasetInfo, void_triples
from gdp_rdf.history.build import BuildHook, prepare_build
from gdp_rdf.parallel import chunked, cores, fork_map
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.reader.countries import Country
from gdp_rdf.reader.facts import Profile
from gdp_rdf.reader.page import read_profile
from gdp_rdf.vocab import DEFAULT_BASE, Iris

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


@dataclass(frozen=True)
class Mapped:
    """The graph of a set of profiles, and what the build needs to know about them."""

    kg: KnowledgeGraph
    profiles: int
    latest_update: str | None  # newest "Last updated" month, for VoID
    timings: dict[str, float]


@dataclass(frozen=True)
class _Part:
    blocks: list[ProfileBlock]
    months: list[str]
    read: float
    mapped: float


def _read_map_part(
    country_for: Callable[[Profile], Country] | None, job: tuple[str, list[Path]]
) -> _Part:
    base, paths = job
    iris, codes = Iris(base), load_codelists()
    part = _Part([], [], 0.0, 0.0)
    read = mapped = 0.0
    for path in paths:
        clock = time.perf_counter()
        profile = read_profile(path)
        read += time.perf_counter() - clock
        clock = time.perf_counter()
        country = country_for(profile) if country_for else None
        part.blocks.append(map_profile(profile, iris, codes, country))
        if profile.last_updated:
            part.months.append(profile.last_updated)
        mapped += time.perf_counter() - clock
    return _Part(part.blocks, part.months, read, mapped)


PARALLEL_PROFILES = 100  # below this, forking costs more than it saves


def read_and_map(
    paths: Sequence[Path],
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
    country_for: Callable[[Profile], Country] | None = None,
    workers: int | None = None,
) -> Mapped:
    """Read each profile and map it straight away, keeping only its block of triples.

    Holding every profile's facts until all are read would leave millions of objects alive
    for Python's collector to scan again and again; a block is one bytes object. Many
    profiles are read on every core; the first error in path order is raised.

    Raises:
        ParseError: a profile cannot be read.
        MappingError: a profile's country is unknown, or two profiles share a country.
    """
    started = time.perf_counter()
    parts = chunked(paths, 4 * cores(workers)) if len(paths) >= PARALLEL_PROFILES else [list(paths)]
    blocks: list[ProfileBlock] = []
    months: list[str] = []
    read = mapped = 0.0
    jobs = [(base, p) for p in parts]
    for part in fork_map(
        _read_map_part, jobs, workers if len(parts) > 1 else 1, shared=country_for
    ):
        blocks += part.blocks
        months += part.months
        read, mapped = read + part.read, mapped + part.mapped
        if progress:
            progress(len(blocks), len(paths))
    clock = time.perf_counter()
    iris, codes = Iris(base), load_codelists()
    unreviewed = sorted(
        {u for block in blocks for u in block.unreviewed}, key=lambda u: (u.scheme, u.notation)
    )
    shared = shared_triples(iris, codes, unreviewed)
    kg = facts_to_graph(blocks, shared, base)
    timings = {
        "read": read,  # CPU seconds summed over workers
        "map": mapped + time.perf_counter() - clock,
        "read+map": time.perf_counter() - started,  # wall clock
    }
    return Mapped(kg, len(blocks), max(months, default=None), timings)


def write_output(
    kg: KnowledgeGraph,
    out: Path,
    info: DatasetInfo,
    workers: int | None = None,
    hook: BuildHook | None = None,
) -> tuple[DumpFile, ...]:
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
        files = write_dumps(kg, staging, workers)
        # history and release files (issue 15), and the release stamps for VoID
        extra = hook(staging, files, info.issued or info.modified) if hook else []
        void = void_triples(kg, files, info, extra)
        files.append(
            write_file(
                staging,
                "void.ttl",
                turtle_bytes(parse_block(void), kg.base),
                "text/turtle",
                void.count(b"\n"),
            )
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
    history: Path | None = None,
    release: str | None = None,
) -> BuildResult:
    """Build the knowledge graph from profile files into ``out``.

    Returns the validation report; when the graph does not conform nothing is written.

    Raises:
        ParseError: a profile cannot be read.
        MappingError: a profile's country is unknown, or two profiles share a country.
        BuildError: the output cannot be written.
    """
    paths = profile_paths(inputs)
    if not paths:
        raise BuildError("no profile files to build from", ", ".join(map(str, inputs)) or ".")
    hook = None
    if history is not None or release is not None:  # issue 15: versions and releases
        paths, hook = prepare_build(paths, out, base, history, release)
    mapped = read_and_map(paths, base, progress, workers=workers)
    kg, timings = mapped.kg, dict(mapped.timings)

    clock = time.perf_counter()
    report = validate_knowledge_graph(kg, cache_dir, workers)
    timings["validate"] = time.perf_counter() - clock
    if not report.conforms:
        return BuildResult(report, len(kg), mapped.profiles, timings=timings)

    clock = time.perf_counter()
    info = DatasetInfo(modified=mapped.latest_update, issued=issued, license=license)
    files = write_output(kg, out, info, workers, hook)
    timings["write"] = time.perf_counter() - clock
    return BuildResult(report, len(kg), mapped.profiles, files, timings)
