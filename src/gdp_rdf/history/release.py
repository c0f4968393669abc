"""Releases users can cite: `build --release VERSION` stamps the data set and keeps the
releases before it.

The data set `{base}id/dataset/gdp` always means the latest release; each release is also a
data set of its own, `{base}id/dataset/gdp/release/VERSION`, `dcterms:isVersionOf` it, with
`dcat:version`, `dcat:previousVersion` (the release before), `adms:versionNotes` (the diff
summary against that release) and its dumps at `{base}dumps/VERSION/...`. The files of the
previous releases are carried along in `releases/VERSION/` of the output folder, so a server
given the folder serves every release.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.graph.terms import Triples, text, typed
from gdp_rdf.history.changes import diff_lines
from gdp_rdf.history.diff import Diff, diff_versions
from gdp_rdf.history.versions import PageVersion, VersionsError, read_dist
from gdp_rdf.vocab import ADMS, DCAT, DCTERMS, HistoryIris, valid_release

RELEASES = "releases"  # the folder of earlier releases inside a build's output folder


@dataclass(frozen=True)
class Release:
    """A release found in a build's output folder."""

    version: str
    issued: str | None
    previous: str | None
    notes: str | None
    folder: Path  # where its files are


def check_release(version: str) -> str:
    """A release name, checked.

    Raises:
        VersionsError: it cannot be an IRI segment and a folder name.
    """
    if not valid_release(version):
        raise VersionsError(
            "a release name is 1-40 letters, digits, '.', '_' or '-', starting with a letter "
            f"or digit: {version!r}",
            "--release",
        )
    return version


def read_release(folder: Path) -> Release | None:
    """The release a build folder holds (from its void.ttl), or None if it is not one."""
    path = folder / "void.ttl"
    if not path.is_file():
        return None
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError, ValueError):
        return None
    found: dict[str, str] = {}
    for quad in triples:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        if not isinstance(subject, ox.NamedNode) or not subject.value.endswith("id/dataset/gdp"):
            continue
        if predicate == DCAT + "version":
            found["version"] = obj.value
        elif predicate == DCAT + "previousVersion":
            found["previous"] = obj.value.rpartition("/")[2]
        elif predicate == ADMS + "versionNotes":
            found["notes"] = obj.value
        elif predicate == DCTERMS + "issued":
            found["issued"] = obj.value
    if "version" not in found:
        return None
    return Release(
        found["version"], found.get("issued"), found.get("previous"), found.get("notes"), folder
    )


def releases(folder: Path) -> list[Release]:
    """Every release a build folder holds, newest first: its own, then those it carries."""
    current = read_release(folder)
    older = [
        found
        for sub in sorted((folder / RELEASES).glob("*"))
        if sub.is_dir()
        if (found := read_release(sub)) is not None
    ]
    older.sort(key=lambda r: (r.issued or "", r.version), reverse=True)
    return ([current] if current else []) + older


def release_notes(version: str, diff: Diff | None) -> str:
    """The diff summary a release is stamped with."""
    if diff is None:
        return f"Release {version}: the first release."
    totals = diff.totals()
    changed = sorted(
        c.iso3
        for c in diff.countries
        if any(ch.kind.value in ("added", "removed", "revised") for ch in c.changes)
    )
    parts = ", ".join(
        f"{totals[k]} {k.replace('-', ' ')}"
        for k in ("added", "removed", "revised", "unchanged", "not-compared", "renamed")
    )
    added = ", ".join(v.iso3 for v in diff.only_new) or "none"
    dropped = ", ".join(v.iso3 for v in diff.only_old) or "none"
    return (
        f"Release {version}: {parts}; countries changed: {', '.join(changed) or 'none'}; "
        f"countries new: {added}; countries no longer built: {dropped}."
    )


@dataclass(frozen=True)
class ReleasePlan:
    """What a release build needs: the previous release, its diff, the triples to add."""

    version: str
    previous: Release | None
    diff: Diff | None
    void_lines: list[str]  # stamps for void.ttl
    change_lines: list[str]  # the changes since the previous release


def plan_release(
    version: str,
    out: Path,
    current: Sequence[PageVersion],
    base: str,
    issued: str | None,
    dump_names: Sequence[str],
) -> ReleasePlan:
    """Stamp a release: compare the new versions with the release in ``out`` (if any).

    Raises:
        VersionsError: a bad release name, or the same name as the previous release.
    """
    check_release(version)
    previous = read_release(out)
    if previous is not None and previous.version == version:
        raise VersionsError(
            f"{out} already holds release {version}; give the new release another name",
            "--release",
        )
    diff = diff_versions(read_dist(out), current) if previous is not None else None
    iris = HistoryIris(base)
    t = Triples()
    dataset, release = iris.dataset("gdp"), iris.release(version)
    notes = release_notes(version, diff)
    carried = releases(out)
    for node in (dataset, release):
        t.add(node, DCAT + "version", text(version, None))
        t.add(node, ADMS + "versionNotes", text(notes))
        if previous is not None:
            t.link(node, DCAT + "previousVersion", iris.release(previous.version))
    t.type(release, DCAT + "Dataset")
    t.link(release, DCTERMS + "isVersionOf", dataset)
    if issued:
        t.add(
            release,
            DCTERMS + "issued",
            typed(issued, "date" if len(issued) == 10 else "gYearMonth"),
        )
    t.link(dataset, DCAT + "hasCurrentVersion", release)
    t.link(dataset, DCAT + "hasVersion", release)
    for older in carried:
        t.link(dataset, DCAT + "hasVersion", iris.release(older.version))
    for name in dump_names:
        dump = iris.release_dump(version, name)
        t.link(release, DCAT + "distribution", dump)
        t.type(dump, DCAT + "Distribution")
        t.link(dump, DCAT + "downloadURL", dump)
        t.add(dump, DCTERMS + "title", text(f"{name}, release {version}"))
    lines = diff_lines(diff, base) if diff is not None else []
    return ReleasePlan(version, previous, diff, t.lines, lines)


def carry_releases(out: Path, staging: Path) -> None:
    """Copy the release in ``out`` and those it carries into ``staging/releases/``.

    Raises:
        OSError: the files cannot be copied.
    """
    previous = read_release(out)
    if previous is None:
        return
    target = staging / RELEASES
    target.mkdir(exist_ok=True)
    if (out / RELEASES).is_dir():
        for sub in sorted((out / RELEASES).iterdir()):
            if sub.is_dir():
                shutil.copytree(sub, target / sub.name)
    ignore = shutil.ignore_patterns(RELEASES)
    shutil.copytree(out, target / previous.version, ignore=ignore)


def release_file(folder: Path, version: str, name: str) -> Path | None:
    """The file ``name`` of release ``version`` in a build folder (for `{base}dumps/VERSION/NAME`)."""
    if name.split("/")[0] == RELEASES:
        return None  # an older release's files only under their own version
    for release in releases(folder):
        if release.version == version:
            path = (release.folder / name).resolve()
            if path.is_file() and release.folder.resolve() in path.parents:
                return path
    return None
