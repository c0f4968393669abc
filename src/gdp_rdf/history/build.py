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

from gdp_rdf.graph.dumps import DumpFile, write_file
from gdp_rdf.graph.serialize import lines_to_turtle
from gdp_rdf.graph.terms import canonical
from gdp_rdf.history.changes import version_lines
from gdp_rdf.history.feed import CHANGES_FILE, atom_feed, feed_entries, release_entries
from gdp_rdf.history.graph import History, history_lines, read_history
from gdp_rdf.history.release import (
    RELEASES,
    Release,
    carry_releases,
    check_release,
    plan_release,
    read_release,
)
from gdp_rdf.history.versions import PageVersion, VersionsError, read_versions
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


def prepare_build(
    paths: Sequence[Path],
    out: Path,
    base: str,
    history_dir: Path | None,
    release: str | None,
) -> tuple[list[Path], BuildHook]:
    """The profiles the current view is built from, and the hook that writes the rest.

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
    if history_dir is not None:
        history = read_history(history_dir, paths, base)
        current = history.latest()
        paths = [Path(v.source) for v in current]
    else:
        history = None
        current = [v for path in paths for v in read_versions(path, base=base)]
    return list(paths), HistoryBuild(out, base, history, release, current)
