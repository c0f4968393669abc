"""Several versions of each page -> the history graph: every version's values, dated, and
the changes between consecutive versions.

The current view (the latest version of each page) stays the main graph, built as before;
the history graph sits beside it in its own dump. Each value a version printed is a
`gdp:VersionedValue`, a `prov:specializationOf` its record, with the version it comes from
(its date, or its order when undated) and `gdp:stillPrinted` saying whether the latest
version prints the same value (absent when the latest version is a partial copy that does
not reach the value: unknown is not "no"), so a figure a later page dropped stays
queryable together with the versions that printed it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gdp_rdf.graph.terms import Triples, boolean, split_line, year
from gdp_rdf.history.changes import history_change_lines, version_lines
from gdp_rdf.history.diff import compare_versions, covers
from gdp_rdf.history.points import MEASURE_TERMS
from gdp_rdf.history.versions import PageVersion, by_generation, ordered, read_versions
from gdp_rdf.vocab import DEFAULT_BASE, PROV, HistoryIris

# Value triples copied from a record onto each of its versioned values, as the version printed them.
_COPIED = (*MEASURE_TERMS, "rawValue", "valueLine", "printedLabel", "partLastUpdated")
# A gap's status (its measure) and a status printed with a value, copied the same way.
_STATUS = ("missingStatus", "obsStatus")


@dataclass(frozen=True)
class History:
    """Every version of every page, oldest first per country."""

    by_country: dict[str, list[PageVersion]]

    def latest(self) -> list[PageVersion]:
        """The newest version of each country's page: what the current view is built from."""
        return [versions[-1] for _, versions in sorted(self.by_country.items())]

    def undated(self) -> list[str]:
        """Countries with undated versions among several (ordered as given)."""
        return sorted(
            iso3
            for iso3, versions in self.by_country.items()
            if len(versions) > 1 and any(v.date is None for v in versions)
        )


def collect_history(groups: Sequence[Sequence[PageVersion]]) -> History:
    """Versions grouped by country and ordered (dated by date, undated as given: earlier
    groups before later ones, files of a folder by name)."""
    by_country: dict[str, list[PageVersion]] = defaultdict(list)
    seen: set[str] = set()
    for group in groups:
        for version in group:
            if version.digest not in seen:  # the same text twice is one version
                seen.add(version.digest)
                by_country[version.iso3].append(version)
    return History({iso3: ordered(versions) for iso3, versions in sorted(by_country.items())})


def read_history(
    history_dirs: Path | Sequence[Path], current: Sequence[Path], base: str = DEFAULT_BASE
) -> History:
    """The versions in ``history_dirs`` (older copies, folder by folder, each folder's in the
    order of the site's generations), then the build's own profiles.

    Raises:
        ParseError, MappingError, VersionsError: a version cannot be read.
    """
    folders = [history_dirs] if isinstance(history_dirs, Path) else list(history_dirs)
    groups = [by_generation(read_versions(folder, base=base)) for folder in folders]
    groups += [read_versions(path, base=base) for path in current]
    return collect_history(groups)


def _value_lines(iris: HistoryIris, version: PageVersion, latest: PageVersion) -> list[str]:
    t, g = Triples(), iris.term
    by_subject: dict[str, list[tuple[str, str]]] = defaultdict(list)
    wanted = {g(name) for name in _COPIED + _STATUS}
    for line in version.ntriples.decode("utf-8").splitlines():
        subject, predicate, obj = split_line(line)
        if predicate in wanted:
            by_subject[subject].append((predicate, obj))
    page = iris.page_version(version.iso3, version.digest)
    for key, point in sorted(version.points.items()):
        record = iris.base + key
        node = iris.versioned_value(record, version.digest)
        t.type(node, g("VersionedValue"))
        t.link(node, PROV + "specializationOf", record)
        t.link(node, g("version"), page)
        t.link(node, g("country"), iris.country(version.iso3))
        t.link(node, g("indicator"), iris.indicator(point.indicator))
        if point.period is not None:
            t.add(node, g("period"), year(point.period))
        now = latest.points.get(key)
        if now is not None or covers(latest, point):  # a partial latest copy may not reach it
            still = now is not None and now.signature == point.signature
            t.add(node, g("stillPrinted"), boolean(still))
        for predicate, obj in by_subject.get(version.base + key, ()):
            t.add(node, predicate, obj)
    return t.lines


def history_lines(history: History, base: str = DEFAULT_BASE) -> list[str]:
    """The history graph: versions, their values, and the changes between consecutive ones."""
    iris = HistoryIris(base)
    lines: list[str] = []
    for iso3, versions in sorted(history.by_country.items()):
        latest = versions[-1]
        for position, version in enumerate(versions):
            lines += version_lines(iris, _numbered(version, position))
            lines += _value_lines(iris, version, latest)
        latest_link = Triples()
        latest_link.link(
            iris.profile(iso3), iris.term("latestVersion"), iris.page_version(iso3, latest.digest)
        )
        lines += latest_link.lines
        pairs = zip(versions, versions[1:], strict=False)
        lines += history_change_lines(
            iris, [compare_versions(a, b) for a, b in pairs if a.digest != b.digest]
        )
    return lines


def _numbered(version: PageVersion, position: int) -> PageVersion:
    return replace(version, order=position)
