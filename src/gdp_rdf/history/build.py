"""What `build --history DIR` and `build --release VERSION` add to a build.

`prepare_build` runs before the build reads its profiles: with --history it reads every
version, keeps the latest of each country for the current view and returns a hook; the
build calls the hook once the dumps are in the staging folder, and the hook writes the
history and release files beside them and returns the triples VoID adds (release stamps).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gdp_rdf.errors import ParseError
from gdp_rdf.graph.dumps import DumpFile, write_file
from gdp_rdf.graph.serialize import lines_to_turtle
from gdp_rdf.graph.terms import canonical
from gdp_rdf.history.changes import version_lines
from gdp_rdf.history.feed import CHANGES_FILE, atom_feed, feed_entries, release_entries
from gdp_rdf.history.graph import History, collect_history, history_lines
from gdp_rdf.history.release import (
    RELEASES,
    Release,
    carry_releases,
    check_release,
    plan_release,
    read_release,
)
from gdp_rdf.history.versions import PageVersion, VersionsError, by_generation, read_versions
from gdp_rdf.reader.files import read_text
from gdp_rdf.reader.pages import is_facility_page
from gdp_rdf.vocab import HistoryIris

HISTORY_FILES = ("history.nt", "history.ttl")
FEED_FILE = "changes.atom"

# (staging folder, dumps written so far, release date) -> extra VoID triples
BuildHook = Callable[[Path, list[DumpFile], str | None], list[str]]


@dataclass(frozen=True)
class HistoryBuild:
    """The options of a history / release build."""

    out: Path
    base: str
    history: History | None
    release: str | None
    current: Sequence[PageVersion]

    def __call__(self, staging: Path, files: list[DumpFile], issued: str | None) -> list[str]:
        extra: list[str] = []
        if self.history is not None:
            lines = canonical(history_lines(self.history, self.base))
            count = lines.count(b"\n")
            files.append(write_file(staging, "history.nt", lines, "application/n-triples", count))
            turtle = lines_to_turtle(lines.decode("utf-8").splitlines(keepends=True), self.base)
            files.append(write_file(staging, "history.ttl", turtle, "text/turtle", count))
        if self.release is not None:
            names = sorted(f.name for f in files)
            plan = plan_release(self.release, self.out, self.current, self.base, issued, names)
            extra += plan.void_lines
            iris = HistoryIris(self.base)  # the versions built from: the next release's dates
            described = [line for v in self.current for line in version_lines(iris, v)]
            changes = canonical(plan.change_lines + described)
            files.append(
                write_file(
                    staging, CHANGES_FILE, changes, "application/n-triples", changes.count(b"\n")
                )
            )
            carry_releases(self.out, staging)
            current = Release(self.release, issued, None, None, staging)
            entries = release_entries(current, self.base)
            for folder in sorted((staging / RELEASES).glob("*")):
                entries += feed_entries(folder, self.base)
            feed = atom_feed(entries, self.base)
            files.append(write_file(staging, FEED_FILE, feed, "application/atom+xml", 0))
        return extra


ARCHIVE_FOLDERS = ("legacy-layouts", "profile-versions")  # older generations, other crawls


@dataclass(frozen=True)
class DefaultSources:
    """What `gdp-rdf build` with no PROFILES reads, relative to a checkout's root."""

    pages: list[Path]  # data/profiles/ and the facility pages of data/detention-centres/
    history: list[Path]  # the archived copies: older page generations, other crawls


def default_sources(root: Path = Path(".")) -> DefaultSources:
    """The default build's folders under ``root`` (the facility and archive folders only
    when present, so a build from elsewhere keeps the profiles-only default)."""
    data = root / "data"
    facilities = data / "detention-centres"
    archive = [data / "archive" / name for name in ARCHIVE_FOLDERS]
    return DefaultSources(
        [data / "profiles", *([facilities] if facilities.is_dir() else [])],
        [folder for folder in archive if folder.is_dir()],
    )


def _split_facilities(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Country-profile files and facility pages: only profiles have page versions."""
    profiles: list[Path] = []
    facilities: list[Path] = []
    for path in paths:
        try:
            facility = is_facility_page(read_text(path))
        except ParseError:
            facility = False  # read_versions reports the file as the build would
        (facilities if facility else profiles).append(path)
    return profiles, facilities


def prepare_build(
    paths: Sequence[Path],
    out: Path,
    base: str,
    history_dirs: Path | Sequence[Path] | None,
    release: str | None,
) -> tuple[list[Path], BuildHook]:
    """The pages the current view is built from, and the hook that writes the rest.

    With history folders, the current view holds the countries of the build's own profiles,
    each from its latest version; a country printed only in the history folders is in the
    history graph only. Facility pages are not page versions: they go to the current view
    as given.

    Raises:
        ParseError, MappingError, VersionsError: a version cannot be read.
    """
    if release is not None:
        check_release(release)
        previous = read_release(out)
        if previous is not None and previous.version == release:
            raise VersionsError(
                f"{out} already holds release {release}; give the new release another name",
                "--release",
            )
    profiles, facilities = _split_facilities(paths)
    if history_dirs is not None:
        folders = [history_dirs] if isinstance(history_dirs, Path) else list(history_dirs)
        own_versions = [read_versions(path, base=base) for path in profiles]
        history = collect_history(
            [*(by_generation(read_versions(f, base=base)) for f in folders), *own_versions]
        )
        own = {v.iso3 for group in own_versions for v in group}
        current = [v for v in history.latest() if v.iso3 in own]
        profiles = [Path(v.source) for v in current]
    else:
        history = None
        current = [v for path in profiles for v in read_versions(path, base=base)]
    return [*profiles, *facilities], HistoryBuild(out, base, history, release, current)
