"""build(): read -> map -> validate -> write. Nothing is written unless the graph conforms."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from gdp_rdf.errors import BuildError, ParseError
from gdp_rdf.graph.dumps import DumpFile, write_dumps, write_file
from gdp_rdf.graph.facilities import join_blocks, map_facility
from gdp_rdf.graph.mapping import ProfileBlock, facts_to_graph, map_profile, resolve_country
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.serialize import block_turtle, prefix_header
from gdp_rdf.graph.shared import shared_triples
from gdp_rdf.graph.tabular import write_tables
from gdp_rdf.graph.validate import Engine, ValidationReport, validate_knowledge_graph
from gdp_rdf.graph.void import DatasetInfo, scan_graph, void_triples
from gdp_rdf.history.build import BuildHook, prepare_build
from gdp_rdf.parallel import chunked, cores, fork_map
from gdp_rdf.quality.output import QualityOutput, build_quality
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.reader.countries import Country
from gdp_rdf.reader.facility_model import FacilityProfile
from gdp_rdf.reader.facts import ParseWarning, Profile
from gdp_rdf.reader.pages import read_page
from gdp_rdf.vocab import DEFAULT_BASE, Iris, prefixes

if TYPE_CHECKING:
    from gdp_rdf.graph.validate import ValidationReport  # loads rdflib and pySHACL

Progress = Callable[[int, int], None]  # (done, total)

MANIFEST = ".gdp-rdf-build.json"  # marks a folder as a build: the files it wrote, checksummed
WARNINGS = "warnings.json"  # everything the reader flagged, next to the dumps


@dataclass(frozen=True, slots=True)
class Warned:
    """A reader warning and the profile file it is about."""

    source: str
    warning: ParseWarning

    def __str__(self) -> str:
        return f"{self.source}:{self.warning.line}: {self.warning.kind}: {self.warning.message}"


def read_checked(path: Path) -> Profile:
    """Read a country profile and insist it holds a profile's content: at least one fact.

    Raises:
        ParseError: the file cannot be read, or holds nothing a profile page would.
    """
    page = read_page(path)
    if not isinstance(page, Profile):
        raise ParseError("a detention-facility page, not a country profile", str(path))
    return check_content(page, path)


def check_content(profile: Profile, path: Path) -> Profile:
    """``profile`` when the reader recognised at least one fact in it.

    Raises:
        ParseError: the file holds nothing a profile page would.
    """
    if not profile.facts:
        raise ParseError(
            "no profile content (no fact the reader recognises); is this a GDP country "
            "profile page?",
            str(path),
        )
    return profile


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the report, and the files when the graph conformed."""

    report: ValidationReport
    triples: int
    profiles: int
    files: tuple[DumpFile, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[Warned, ...] = ()
    facilities: int = 0  # facility pages (issue 17)


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
    warnings: tuple[Warned, ...] = ()
    facilities: int = 0  # facility pages (issue 17)


@dataclass(frozen=True)
class _Part:
    blocks: list[ProfileBlock]
    months: list[str]
    read: float
    mapped: float
    warnings: list[Warned]
    facilities: list[ProfileBlock] = field(default_factory=list)  # issue 17


def _read_map_part(
    country_for: Callable[[Profile], Country] | None, job: tuple[str, list[Path]]
) -> _Part:
    base, paths = job
    iris, codes = Iris(base), load_codelists()
    part = _Part([], [], 0.0, 0.0, [])
    read = mapped = 0.0
    for path in paths:
        clock = time.perf_counter()
        page = read_page(path)
        if isinstance(page, FacilityProfile):  # issue 17: a facility joins its country's block
            part.warnings.extend(Warned(str(path), w) for w in page.warnings)
            part.facilities.append(map_facility(page, iris, codes))
            continue
        profile = check_content(page, path)
        part.warnings.extend(Warned(str(path), w) for w in profile.warnings)
        read += time.perf_counter() - clock
        clock = time.perf_counter()
        country = country_for(profile) if country_for else resolve_country(profile)
        part.blocks.append(map_profile(profile, iris, codes, country))
        if profile.last_updated:
            part.months.append(profile.last_updated)
        mapped += time.perf_counter() - clock
    return _Part(part.blocks, part.months, read, mapped, part.warnings, part.facilities)


PARALLEL_PROFILES = 100  # below this, forking costs more than it saves
# A part's blocks come back pickled through a pipe, which multiprocessing reads 64 KiB at a
# time, asking each read for all that is left: the receiver's system time grows faster than
# the part (2.2 GB in 8 parts: 4.4 s, in 80 parts: 2.3 s; 0.22 GB in 8 parts: 0.3 s).
# Parts of a fixed number of profiles keep it linear.
PART_PROFILES = 100


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
    count = max(4 * cores(workers), -(-len(paths) // PART_PROFILES))
    parts = chunked(paths, count) if len(paths) >= PARALLEL_PROFILES else [list(paths)]
    blocks: list[ProfileBlock] = []
    facilities: list[ProfileBlock] = []
    months: list[str] = []
    warnings: list[Warned] = []
    read = mapped = 0.0
    jobs = [(base, p) for p in parts]
    for part in fork_map(
        _read_map_part, jobs, workers if len(parts) > 1 else 1, shared=country_for
    ):
        blocks += part.blocks
        facilities += part.facilities
        months += part.months
        warnings += part.warnings
        read, mapped = read + part.read, mapped + part.mapped
        if progress:
            progress(len(blocks) + len(facilities), len(paths))
    clock = time.perf_counter()
    iris, codes = Iris(base), load_codelists()
    profiles = len(blocks)
    blocks = join_blocks(blocks, facilities)
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
    latest = max(months, default=None)
    return Mapped(kg, profiles, latest, timings, tuple(warnings), len(facilities))


def check_output(out: Path) -> None:
    """Refuse an ``--out`` the build does not own: only an absent or empty folder, or a
    previous build whose every file the build wrote, may be replaced.

    Raises:
        BuildError: ``out`` is a file, or a folder holding anything else.
    """
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir() or out.is_symlink():
        raise BuildError("is not a folder; --out must name a new or empty folder", str(out))
    try:
        present = {p.relative_to(out).as_posix() for p in out.rglob("*") if not p.is_dir()}
    except OSError as error:
        raise BuildError(f"cannot read the output folder: {error.strerror}", str(out)) from None
    if not present and not any(out.iterdir()):
        return
    if MANIFEST not in present:
        raise BuildError(
            "is not empty and holds no previous build (no " + MANIFEST + "); nothing was "
            "touched: choose a new or empty folder for --out",
            str(out),
        )
    try:
        owned = set(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        raise BuildError(f"{MANIFEST} is unreadable; nothing was touched", str(out)) from None
    strangers = sorted(present - owned - {MANIFEST})
    if strangers:
        raise BuildError(
            f"holds {len(strangers)} file(s) the last build did not write (e.g. "
            f"{strangers[0]}); nothing was touched: move them or choose another --out",
            str(out),
        )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _tree(folder: Path) -> tuple[list[str], list[str]]:
    """The folders and the other entries under ``folder``, as sorted "/"-separated relative
    names: strings, not Paths (34,000 country files: sorting Paths alone took 1.5 s)."""
    folders, files = [], []
    for top, names, entries in os.walk(folder):
        here = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if here == "." else here + "/"
        folders += [prefix + name for name in names]
        files += [prefix + name for name in entries]
    return sorted(folders), sorted(files)


def _follow_umask(folder: Path) -> None:
    """Temporary folders are created 0700: give the build the modes of any new file."""
    mask = _umask()
    folder.chmod(0o777 & ~mask)
    folders, files = _tree(folder)
    for name in folders:
        os.chmod(folder / name, 0o777 & ~mask)
    for name in files:
        os.chmod(folder / name, 0o666 & ~mask)


def _warnings_json(warnings: Sequence[Warned]) -> bytes:
    counts: dict[str, int] = {}
    for item in warnings:
        counts[item.warning.kind.value] = counts.get(item.warning.kind.value, 0) + 1
    rows = [
        {
            "file": w.source,
            "line": w.warning.line,
            "kind": w.warning.kind.value,
            "message": w.warning.message,
        }
        for w in sorted(warnings, key=lambda w: (w.source, w.warning.line, w.warning.message))
    ]
    report = {"warnings": len(rows), "by_kind": dict(sorted(counts.items())), "items": rows}
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()


def _write_manifest(staging: Path, files: Sequence[DumpFile], extra: Sequence[Path]) -> None:
    import hashlib

    checksums = {f.name: f.sha256 for f in files}
    for path in extra:
        checksums[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    # Everything else the build put in the folder (history, releases kept from before, ...):
    # the manifest names every file, so the next build knows the folder is all its own.
    for name in _tree(staging)[1]:
        path = staging / name
        if name != MANIFEST and name not in checksums and path.is_file():
            checksums[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = {"gdp-rdf-build": 1, "files": dict(sorted(checksums.items()))}
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def write_output(
    kg: KnowledgeGraph,
    out: Path,
    info: DatasetInfo,
    workers: int | None = None,
    warnings: Sequence[Warned] = (),
    hook: BuildHook | None = None,
) -> tuple[DumpFile, ...]:
    """Write every file into a fresh folder beside ``out``, then swap it in.

    A failure leaves ``out`` as it was: files are never written into it directly. The
    folder gets the reader's warnings (warnings.json) and a manifest marking it as a build.

    Raises:
        BuildError: the output folder is not the build's to replace, or cannot be written.
    """
    check_output(out)
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as error:
        raise BuildError(f"cannot create the output folder: {error.strerror}", str(out)) from None
    try:
        # the CSV, the quality graph (issue 14: quality.{ttl,nt,jsonld}) and VoID's counts
        # are made by the dumps' pool of workers, beside the dumps, longest first
        beside = (
            partial(build_quality, kg, staging),
            partial(scan_graph, kg),
            partial(write_tables, kg, staging),
        )
        files, (quality, scanned, tables) = write_dumps(kg, staging, workers, beside)
        assert isinstance(quality, QualityOutput) and isinstance(tables, list)
        files += tables + quality.files
        # history and release files (issue 15), and the release stamps for VoID
        extra = hook(staging, files, info.issued or info.modified) if hook else []
        void = void_triples(kg, files, info, [*quality.void_lines, *extra], scanned)
        # streamed through Oxigraph's parser, no Triple objects: VoID describes every
        # country's dump (340,000 lines at 34,000 profiles)
        names = prefixes(kg.base)
        turtle = prefix_header(names) + block_turtle(void, names)
        files.append(write_file(staging, "void.ttl", turtle, "text/turtle", void.count(b"\n")))
        report = staging / WARNINGS
        report.write_bytes(_warnings_json(warnings))
        _write_manifest(staging, files, [report])
        _follow_umask(staging)
        check_output(out)  # still ours: nothing appeared in it while the build ran
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
    engine: Engine = Engine.FAST,
    strict: bool = False,
    warned: Callable[[Sequence[Warned]], None] | None = None,
    history: Path | Sequence[Path] | None = None,
    release: str | None = None,
) -> BuildResult:
    """Build the knowledge graph from profile files into ``out``.

    Returns the validation report; when the graph does not conform nothing is written.
    ``warned`` is told the reader's warnings as soon as every profile is read; with
    ``strict`` any warning stops the build before anything is written.

    Raises:
        ParseError: a profile cannot be read or holds no profile content.
        MappingError: a profile's country is unknown, or two profiles share a country.
        BuildError: ``out`` is not the build's to replace or cannot be written; a warning
            under ``strict``.
    """

    paths = profile_paths(inputs)
    if not paths:
        raise BuildError("no profile files to build from", ", ".join(map(str, inputs)) or ".")
    check_output(out)
    hook = None
    if history is not None or release is not None:  # issue 15: versions and releases
        paths, hook = prepare_build(paths, out, base, history, release)
    mapped = read_and_map(paths, base, progress, workers=workers)
    kg, timings = mapped.kg, dict(mapped.timings)
    if warned is not None:
        warned(mapped.warnings)
    if strict and mapped.warnings:
        raise BuildError(
            f"{len(mapped.warnings)} reader warning(s) and --strict; nothing was written",
            str(out),
        )

    clock = time.perf_counter()
    report = validate_knowledge_graph(kg, cache_dir, workers, engine)
    timings["validate"] = time.perf_counter() - clock
    if not report.conforms:
        return BuildResult(report, len(kg), mapped.profiles, timings=timings)

    clock = time.perf_counter()
    info = DatasetInfo(modified=mapped.latest_update, issued=issued, license=license)
    files = write_output(kg, out, info, workers, mapped.warnings, hook)
    timings["write"] = time.perf_counter() - clock
    return BuildResult(
        report, len(kg), mapped.profiles, files, timings, mapped.warnings, mapped.facilities
    )
