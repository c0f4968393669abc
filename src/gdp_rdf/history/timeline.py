"""A build folder's changes, by country: what the pages, the feed and the release list show.

Changes come from `history.nt` (between the page versions of `build --history`) and from
each release's `changes.nt` (against the release before it), read back from the triples.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.history.feed import CHANGES_FILE
from gdp_rdf.history.release import releases
from gdp_rdf.vocab import RDF, UNKNOWN_PERIOD

HISTORY_FILE = "history.nt"
_KINDS = {"ValueAdded": "added", "ValueRemoved": "removed", "ValueRevised": "revised"}


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change, ready to show."""

    iso3: str
    indicator: str
    period: str | None
    kind: str  # added / removed / revised
    old: str | None
    new: str | None
    old_file: str | None
    new_file: str | None
    old_date: str | None
    new_date: str | None
    release: str | None  # the release that recorded it, for release-to-release changes


def _read(path: Path, base: str, release: str | None) -> list[ChangeRow]:
    if not path.is_file():
        return []
    by_subject: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
        by_subject[quad.subject.value][quad.predicate.value].append(quad.object.value)
    g = base + "def/"

    def one(subject: str | None, predicate: str) -> str | None:
        if subject is None:
            return None
        values = sorted(by_subject.get(subject, {}).get(predicate, []))
        return values[0] if values else None

    rows = []
    for subject, properties in sorted(by_subject.items()):
        kinds = [
            _KINDS[t.rpartition("/")[2]]
            for t in properties.get(RDF + "type", [])
            if t.rpartition("/")[2] in _KINDS
        ]
        if not kinds:
            continue
        before, after = one(subject, g + "fromVersion"), one(subject, g + "toVersion")
        rows.append(
            ChangeRow(
                iso3=(one(subject, g + "country") or "").rpartition("/")[2],
                indicator=(one(subject, g + "indicator") or "").rpartition("/")[2],
                period=_year(one(subject, g + "refPeriod")),
                kind=kinds[0],
                old=one(subject, g + "oldValue"),
                new=one(subject, g + "newValue"),
                old_file=one(before, g + "fileName"),
                new_file=one(after, g + "fileName"),
                old_date=one(before, g + "versionDate"),
                new_date=one(after, g + "versionDate"),
                release=release,
            )
        )
    return rows


def _year(period: str | None) -> str | None:
    """A period code's year as printed ("2019"); None for code/period/unknown."""
    year = period.rpartition("/")[2] if period else None
    return None if year == UNKNOWN_PERIOD else year


def _undated(row: ChangeRow) -> int:
    return (row.old_date, row.new_date).count(None)


def country_changes(folder: Path, base: str) -> dict[str, list[ChangeRow]]:
    """Every change a build folder records, by country: newest first, then by indicator.

    Raises:
        SyntaxError, OSError: a changes file cannot be read.
    """
    rows = _read(folder / HISTORY_FILE, base, None)
    for release in releases(folder):
        rows += _read(release.folder / CHANGES_FILE, base, release.version)
    by_country: dict[str, list[ChangeRow]] = defaultdict(list)
    unique: dict[tuple[str | None, ...], ChangeRow] = {}
    for row in rows:  # a release's changes repeat those of its --history: keep the dated one
        key = (row.iso3, row.indicator, row.period, row.kind, row.old, row.new, row.old_file)
        known = unique.get(key)
        if known is None or _undated(known) > _undated(row):
            unique[key] = row
    for row in unique.values():
        by_country[row.iso3].append(row)
    for changes in by_country.values():
        changes.sort(key=lambda r: (r.indicator, r.period or ""))
        changes.sort(key=lambda r: (r.new_date or "", r.release or ""), reverse=True)  # stable
    return dict(by_country)
