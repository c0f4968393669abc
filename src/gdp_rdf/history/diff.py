"""Two page versions -> what changed: points added, removed, revised, unchanged, not compared.

Points are compared by key (country, indicator, year; treaty; ...), so a value is "revised"
only for the same period. A label or section heading printed differently for the same
indicator (the code list maps both to one concept) is a rename, not a removal plus an
addition. A partial copy says nothing past its end (nor before its start when it does not
begin at the top of the page): a point the other version prints there is "not compared".
The coverage is counted in whole sections, so a point in the section where a copy stops is
not compared either, since the copy may stop in the middle of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from gdp_rdf.history.points import Point
from gdp_rdf.history.versions import PageVersion, one_per_country


class ChangeKind(StrEnum):
    """What happened to a point between two versions."""

    ADDED = "added"
    REMOVED = "removed"
    REVISED = "revised"
    UNCHANGED = "unchanged"
    NOT_COMPARED = "not-compared"


class RenameKind(StrEnum):
    LABEL = "label-renamed"
    SECTION = "section-renamed"


@dataclass(frozen=True, slots=True)
class PointChange:
    """One point compared across two versions of a country's page."""

    iso3: str
    indicator: str
    period: int | None
    kind: ChangeKind
    old: Point | None
    new: Point | None
    note: str = ""

    @property
    def key(self) -> str:
        point = self.new or self.old
        assert point is not None
        return point.key

    @property
    def path(self) -> str:
        point = self.new or self.old
        assert point is not None
        return point.path


@dataclass(frozen=True, slots=True)
class Rename:
    """A label or heading printed differently for the same indicator."""

    iso3: str
    indicator: str
    kind: RenameKind
    old: str
    new: str


@dataclass(frozen=True)
class CountryDiff:
    """Everything compared between two versions of one country's page."""

    iso3: str
    old: PageVersion
    new: PageVersion
    changes: tuple[PointChange, ...]
    renames: tuple[Rename, ...]


@dataclass(frozen=True)
class Diff:
    """A comparison of two sets of page versions, country by country."""

    countries: tuple[CountryDiff, ...]
    only_old: tuple[PageVersion, ...]  # countries NEW has no version of: not compared
    only_new: tuple[PageVersion, ...]

    def summary(self) -> list[dict[str, object]]:
        """Per indicator, how many points were added, removed, ... (a differ's counts)."""
        counts: dict[str, Counter[ChangeKind]] = {}
        for country in self.countries:
            for change in country.changes:
                counts.setdefault(change.indicator, Counter())[change.kind] += 1
        return [
            {"indicator": indicator, **{kind.value: counts[indicator][kind] for kind in ChangeKind}}
            for indicator in sorted(counts)
        ]

    def totals(self) -> dict[str, int]:
        counts = Counter(c.kind for country in self.countries for c in country.changes)
        renames = sum(len(country.renames) for country in self.countries)
        return {**{kind.value: counts[kind] for kind in ChangeKind}, "renamed": renames}


def _span(version: PageVersion) -> tuple[int, int] | None:
    """The section positions a partial copy is known to cover wholly (exclusive bounds)."""
    places = [place for point in version.points.values() for place in point.places]
    if not places:
        return (0, 0)
    low = -1 if version.country_line else min(places)
    return (low, max(places))


def covers(version: PageVersion, point: Point) -> bool:
    """Whether ``version`` shows all the places ``point`` was printed at."""
    if not version.partial:
        return True
    span = _span(version)
    assert span is not None
    low, high = span
    return all(low < place < high for place in point.places)


def _uncovered_note(version: PageVersion, point: Point, side: str) -> str:
    span = _span(version)
    assert span is not None
    if any(place >= span[1] for place in point.places):
        return f"past the end of the partial {side} copy"
    return f"before the start of the partial {side} copy (it does not begin at the top)"


def _renames(iso3: str, pairs: Iterable[tuple[Point, Point]]) -> list[Rename]:
    by_indicator: dict[tuple[str, RenameKind], tuple[set[str], set[str]]] = {}
    for old, new in pairs:
        for kind, before, after in (
            (RenameKind.LABEL, old.labels, new.labels),
            (RenameKind.SECTION, old.sections, new.sections),
        ):
            olds, news = by_indicator.setdefault((old.indicator, kind), (set(), set()))
            olds.update(before)
            news.update(after)
    renames = []
    for (indicator, kind), (olds, news) in sorted(by_indicator.items()):
        gone, came = olds - news, news - olds
        if gone and came:
            renames.append(
                Rename(iso3, indicator, kind, " | ".join(sorted(gone)), " | ".join(sorted(came)))
            )
    return renames


def compare_versions(old: PageVersion, new: PageVersion) -> CountryDiff:
    """Compare two versions of one country's page, point by point."""
    changes: list[PointChange] = []
    common: list[tuple[Point, Point]] = []
    for key in sorted(old.points.keys() | new.points.keys()):
        before, after = old.points.get(key), new.points.get(key)
        point = after or before
        assert point is not None
        if before is not None and after is not None:
            same = before.signature == after.signature
            kind = ChangeKind.UNCHANGED if same else ChangeKind.REVISED
            common.append((before, after))
            note = ""
        elif after is not None:
            kind = ChangeKind.ADDED if covers(old, after) else ChangeKind.NOT_COMPARED
            note = "" if kind is ChangeKind.ADDED else _uncovered_note(old, after, "OLD")
        else:
            kind = ChangeKind.REMOVED if covers(new, point) else ChangeKind.NOT_COMPARED
            note = "" if kind is ChangeKind.REMOVED else _uncovered_note(new, point, "NEW")
        changes.append(
            PointChange(point.iso3, point.indicator, point.period, kind, before, after, note)
        )
    changes.sort(key=lambda c: (c.indicator, c.period or 0, c.key))
    return CountryDiff(old.iso3, old, new, tuple(changes), tuple(_renames(old.iso3, common)))


def diff_versions(old: Sequence[PageVersion], new: Sequence[PageVersion]) -> Diff:
    """Compare the versions of every country OLD and NEW both hold.

    Raises:
        VersionsError: OLD or NEW holds two versions of one country.
    """
    before, after = one_per_country(old, "OLD"), one_per_country(new, "NEW")
    countries = tuple(
        compare_versions(before[i], after[i]) for i in sorted(before.keys() & after.keys())
    )
    return Diff(
        countries,
        tuple(before[i] for i in sorted(before.keys() - after.keys())),
        tuple(after[i] for i in sorted(after.keys() - before.keys())),
    )
