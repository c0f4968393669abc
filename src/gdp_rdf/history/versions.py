"""Page versions: one saved copy of a country's page, its date and the points it prints.

A version is read from a profile file or from a built dist/ (through its gdp.nt). Its date
is, in this order: a date given on the command line, a ``# retrieved: YYYY-MM-DD`` header
line, the page's "Last updated" month; a version with none of them is undated, and undated
versions are ordered as given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from gdp_rdf.errors import LocatedError, ParseError
from gdp_rdf.graph.mapping import map_profile
from gdp_rdf.graph.terms import parse_block, split_line
from gdp_rdf.history.points import Point, block_points
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.reader.facts import PageGeneration, Profile
from gdp_rdf.reader.page import read_profile
from gdp_rdf.vocab import DEFAULT_BASE, RDF, Iris

_RETRIEVED = re.compile(r"^#\s*retrieved\s*:\s*(?P<date>\S*)\s*$", re.IGNORECASE)


class VersionsError(LocatedError):
    """Page versions cannot be read or compared: a bad date, a dist without gdp.nt, ..."""


class DateBasis(StrEnum):
    """Where a version's date comes from."""

    GIVEN = "given"  # the command line
    RETRIEVED = "retrieved"  # a "# retrieved: YYYY-MM-DD" header line
    LAST_UPDATED = "last-updated"  # the page's "Last updated" month
    UNDATED = "undated"  # none of them: ordered as given


@dataclass(frozen=True)
class PageVersion:
    """One copy of one country's page."""

    iso3: str
    source: str  # the file (or dist/gdp.nt) it was read from
    file_name: str  # the profile's file name
    digest: str  # SHA-256 of the page text
    partial: bool  # a "# partial:" line: the copy does not reach the end of the page
    country_line: bool  # the copy starts at the top of the page
    date: str | None  # "2025-03-01" or "2024-07"
    basis: DateBasis
    order: int  # position as given, for undated versions
    points: dict[str, Point]
    base: str  # the base IRI the block was minted under
    ntriples: bytes  # the country's block of triples as this version maps to (sorted lines)
    generation: PageGeneration | None = None  # of the part holding the values (issue 17)
    older_part_date: str | None = None  # a hybrid page's older profile: its own date

    @property
    def shown_date(self) -> str:
        return self.date if self.date else "undated"


def check_date(text: str, where: str, line: int | None = None) -> str:
    """A YYYY-MM-DD date, checked.

    Raises:
        VersionsError: not a real calendar date in that form.
    """
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise VersionsError(f"not a YYYY-MM-DD date: {text!r}", where, line) from None
    return text


def _retrieved(path: Path) -> str | None:
    """The date of a "# retrieved:" line among the header lines at the top of a file."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            stripped = line.strip()
            if not stripped:
                continue
            if not stripped.startswith("#"):
                return None
            if (match := _RETRIEVED.match(stripped)) is not None:
                return check_date(match["date"], str(path), number)
    return None


def page_date(profile: Profile) -> str | None:
    """The date the page prints for its values: its "Last updated" month, except on a
    hybrid page, whose date line belongs to the older profile under the headline (the
    headline part, where the values are, prints no date of its own)."""
    if profile.generation is PageGeneration.HYBRID and profile.parts:
        return profile.parts[0].updated
    return profile.last_updated


def _older_part_date(profile: Profile) -> str | None:
    if profile.generation is PageGeneration.HYBRID and len(profile.parts) > 1:
        return profile.parts[1].updated
    return None


def read_version(
    path: Path, order: int = 0, given: str | None = None, base: str = DEFAULT_BASE
) -> PageVersion:
    """One page version from a profile file.

    Raises:
        ParseError: the file is not a readable profile.
        MappingError: its country cannot be identified.
        VersionsError: its "# retrieved:" date is not a date.
    """
    profile = read_profile(path)
    block = map_profile(profile, Iris(base), load_codelists())
    document, points = block_points(parse_block(block.ntriples), base)
    assert document is not None  # map_profile always writes the profile document
    retrieved = _retrieved(path)
    if given:
        when, basis = given, DateBasis.GIVEN
    elif retrieved:
        when, basis = retrieved, DateBasis.RETRIEVED
    elif (printed := page_date(profile)) is not None:
        when, basis = printed, DateBasis.LAST_UPDATED
    else:
        when, basis = None, DateBasis.UNDATED
    return PageVersion(
        iso3=block.iso3,
        source=str(path),
        file_name=path.name,
        digest=profile.digest,
        partial=profile.partial,
        country_line=document.country_line,
        date=when,
        basis=basis,
        order=order,
        points=points,
        base=base,
        ntriples=block.ntriples,
        generation=profile.parts[0].generation if profile.parts else profile.generation,
        older_part_date=_older_part_date(profile),
    )


def _dist_base(lines: Sequence[bytes]) -> str:
    suffix = b"def/ProfileDocument"
    for line in lines:
        _, predicate, obj = split_line(line)
        if predicate == (RDF + "type").encode() and obj.endswith(suffix + b">"):
            return obj[1 : -len(suffix) - 1].decode()
    return DEFAULT_BASE


def read_dist(folder: Path, given: str | None = None) -> list[PageVersion]:
    """The page versions a built dist/ holds, one per country, read from its gdp.nt.

    Raises:
        VersionsError: the folder has no readable gdp.nt.
    """
    path = folder / "gdp.nt"
    try:
        lines = path.read_bytes().splitlines(keepends=True)
    except OSError as error:
        raise VersionsError(
            f"not a built dist/ folder: cannot read gdp.nt ({error.strerror or error})", str(path)
        ) from None
    base = _dist_base(lines)
    by_country: dict[str, list[bytes]] = defaultdict(list)
    prefix = (base + "id/").encode()
    try:
        for line in lines:
            subject = split_line(line)[0]
            if subject.startswith(prefix):
                parts = subject[len(prefix) :].split(b"/")
                if len(parts) >= 2:
                    by_country[parts[1].decode()].append(line)
    except ValueError:
        raise VersionsError("not N-Triples as gdp-rdf writes them", str(path)) from None
    versions = []
    codes = load_codelists()
    known = _known_dates(folder, base)
    for iso3 in sorted(by_country):
        block = b"".join(by_country[iso3])
        document, points = block_points(parse_block(block), base, codes)
        if document is None or document.digest is None:
            continue  # not a country block (a data set, a structure)
        basis = DateBasis.GIVEN if given else DateBasis.LAST_UPDATED
        when = given or document.last_updated
        if not given and document.digest in known:
            when, basis = known[document.digest]
        versions.append(
            PageVersion(
                iso3=iso3,
                source=str(path),
                file_name=document.file_name or str(path),
                digest=document.digest,
                partial=document.partial,
                country_line=document.country_line,
                date=when,
                basis=basis if when else DateBasis.UNDATED,
                order=0,
                points=points,
                base=base,
                ntriples=block,
            )
        )
    return versions


def _known_dates(folder: Path, base: str) -> dict[str, tuple[str | None, DateBasis]]:
    """Dates the build recorded for its page versions (history.nt, changes.nt), by digest."""
    g = base + "def/"
    found: dict[str, tuple[str | None, DateBasis]] = {}
    for name in ("changes.nt", "history.nt"):
        path = folder / name
        if not path.is_file():
            continue
        facts: dict[bytes, dict[bytes, bytes]] = defaultdict(dict)
        for line in path.read_bytes().splitlines():
            subject, predicate, obj = split_line(line)
            facts[subject][predicate] = obj
        for properties in facts.values():
            digest = properties.get((g + "sha256").encode())
            basis = properties.get((g + "dateBasis").encode())
            if digest is None or basis is None:
                continue
            date = properties.get((g + "versionDate").encode())
            when = date.split(b'"')[1].decode() if date else None
            found[digest.strip(b'"').decode()] = (when, DateBasis(basis.strip(b'"').decode()))
    return found


def read_versions(
    source: Path, given: str | None = None, base: str = DEFAULT_BASE
) -> list[PageVersion]:
    """Page versions from a profile file, a folder of profiles or a built dist/ folder,
    numbered in the order given (files of a folder by name).

    Raises:
        VersionsError: nothing to read, or a bad date.
        ParseError: a profile cannot be read.
        MappingError: a profile's country cannot be identified.
    """
    if given is not None:
        check_date(given, "--date")
    if source.is_dir() and (source / "gdp.nt").exists():
        return read_dist(source, given)
    if source.is_dir():
        paths = sorted(source.glob("*.txt"))
        if not paths:
            raise VersionsError(
                "no profile files (*.txt) and no gdp.nt in this folder", str(source)
            )
        return [read_version(path, n, given, base) for n, path in enumerate(paths)]
    if not source.exists():
        raise ParseError("no such file or folder", str(source))
    return [read_version(source, 0, given, base)]


GENERATIONS = (  # the site's generations, oldest first (LAYOUTS.md)
    PageGeneration.OLD_SITE,
    PageGeneration.FIRST_REDESIGN,
    PageGeneration.QUICK_FACTS,
    PageGeneration.HEADLINE,
    PageGeneration.CURRENT,
)


def by_generation(versions: Sequence[PageVersion]) -> list[PageVersion]:
    """Copies of a folder in the order the site's generations came (old site, c2015, Quick
    Facts, headline, current), keeping their order within one generation: the order undated
    copies are given in. Copies of one generation (a folder of crawls) keep their order."""
    unknown = len(GENERATIONS)

    def rank(version: PageVersion) -> int:
        if version.generation in GENERATIONS:
            return GENERATIONS.index(version.generation)
        return unknown

    return sorted(versions, key=rank)


def one_per_country(versions: Sequence[PageVersion], what: str) -> dict[str, PageVersion]:
    """Versions by country, when each country has one.

    Raises:
        VersionsError: two versions of one country.
    """
    found: dict[str, PageVersion] = {}
    for version in versions:
        if version.iso3 in found:
            raise VersionsError(
                f"two versions of {version.iso3} in {what}: {found[version.iso3].source} and "
                "this one; compare one version per country",
                version.source,
            )
        found[version.iso3] = version
    return found


def ordered(versions: Sequence[PageVersion]) -> list[PageVersion]:
    """Versions of one country oldest first: dated ones by date, undated ones as given.

    An undated version keeps its place relative to the versions given before it; dated
    versions are sorted among themselves. Dates of different precision compare by prefix
    ("2024-07" before "2024-07-15").
    """
    numbered = [replace(v, order=n) for n, v in enumerate(versions)]
    dated = sorted((v for v in numbered if v.date), key=lambda v: (v.date or "", v.order))
    result: list[PageVersion] = []
    for version in numbered:
        if version.date:
            result.append(dated.pop(0))
        else:
            result.append(version)
    return result


__all__ = [
    "DateBasis",
    "PageVersion",
    "VersionsError",
    "by_generation",
    "check_date",
    "one_per_country",
    "ordered",
    "read_dist",
    "read_version",
    "read_versions",
]
