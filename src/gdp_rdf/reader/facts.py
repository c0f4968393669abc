"""Frozen dataclasses: the typed hand-off from page text to RDF.

A `Profile` is everything read from one page; each `Fact` is one value printed on it, typed,
with its place on the page (section, label, line numbers) so every triple can be traced back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


class ValueKind(StrEnum):
    """What sort of value a fact carries."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENTAGE = "percentage"
    AMOUNT = "amount"
    RANKING = "ranking"
    ANSWER = "answer"
    DAYS = "days"
    RATIO = "ratio"
    TEXT = "text"
    INSTRUMENT = "instrument"
    NONE = "none"


class Status(StrEnum):
    """Whether a value is present, and if not, how the page says it is missing.

    "Not Available", "No Data" and "Unknown" are kept apart: none of them is 0 or No.
    """

    PRESENT = "present"
    NOT_AVAILABLE = "not-available"
    NO_DATA = "no-data"
    UNKNOWN = "unknown"
    YEAR_ONLY = "year-without-value"
    MALFORMED = "malformed"
    OUT_OF_RANGE = "out-of-range"  # read as printed, but outside its indicator's domain


class Answer(StrEnum):
    """Coded answers to the profile's questions."""

    YES = "yes"
    NO = "no"
    RARELY = "rarely"
    UNKNOWN = "unknown"
    YES_BUT_RESTARTED = "yes-but-have-restarted"
    INFREQUENTLY = "infrequently"
    NO_LIMIT = "no-limit"


@dataclass(frozen=True, slots=True)
class Ranking:
    """A rank with its printed category ("56 (High)") or score ("90 (1.6)")."""

    rank: int
    category: str | None = None
    score: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Ratio:
    """A count out of a total, e.g. "Ratio: 13/19" treaties ratified."""

    numerator: int
    denominator: int


Value = int | Decimal | Answer | Ranking | Ratio | str


@dataclass(frozen=True, slots=True)
class Fact:
    """One value printed on a profile page, typed and traceable to its lines."""

    section: str | None  # section heading as printed; None in the headline block
    subsection: str | None  # "> " sub-heading as printed
    label: str  # indicator label as printed
    indicator: str  # normalised indicator key (code-list notation)
    reviewed: bool  # False when the label is not in the indicator code list
    kind: ValueKind
    value: Value | None
    raw: str  # the value text as printed (the whole row for tables)
    status: Status
    period: int | None = None  # the year the value refers to
    observed: int | None = None  # "Observation Date" column
    adopted: int | None = None  # year a law or instrument was adopted
    amended: int | None = None  # year a law was last amended
    subject: str | None = None  # instrument code, treaty body or institution named by the row
    note: str | None = None  # citation, qualifier, recommendation topic or institution type
    parts: tuple[Answer, ...] = ()  # further answers of multi-part COVID-19 questions
    line: int = 0  # the line the value is printed on (the year's line when there is no value)
    lines: tuple[int, ...] = ()  # every line the fact was read from, its label's included


@dataclass(frozen=True, slots=True)
class Teaser:
    """An update teaser: title, date when the title has one, text, photo caption."""

    title: str | None
    date: str | None  # ISO date from "12 August 2020 – Andorra" titles
    text: str | None
    caption: str | None
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading (level 1, ALL CAPS) or "> " sub-heading (level 2)."""

    line: int
    text: str
    level: int
    known: bool


class LineRole(StrEnum):
    """What each non-blank line of a page turned out to be."""

    HEADER = "header"  # "# source:" / "# partial:" lines of a saved copy
    COUNTRY = "country"
    HEADING = "heading"
    FACT = "fact"
    FURNITURE = "furniture"  # legends, "Read More…", column headers, "Overview"
    OVERVIEW = "overview"
    TEASER = "teaser"
    NARRATIVE = "narrative"  # free-text report blocks ("EXCERPT FROM:")
    METADATA = "metadata"  # "Last updated: July 2024"
    TITLE = "title"  # "Spain Immigration Detention", "Mexico Detention Profile*"
    EMPTY_FIELD = "empty-field"  # a label printed with no value: recognised, not a fact
    BOILERPLATE = "boilerplate"  # a line of data/codelists/boilerplate.csv
    UNRECOGNISED = "unrecognised"


class WarningKind(StrEnum):
    """Why the reader flagged a line for review."""

    UNRECOGNISED_LINE = "unrecognised-line"
    UNKNOWN_LABEL = "unknown-label"
    UNKNOWN_HEADING = "unknown-heading"
    UNEXPECTED_VALUE = "unexpected-value"
    UNKNOWN_CODE = "unknown-code"
    OUT_OF_RANGE = "out-of-range"


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the reader kept but could not fully place."""

    kind: WarningKind
    line: int
    message: str


class PageGeneration(StrEnum):
    """The generation of the GDP site a page was saved from (see LAYOUTS.md)."""

    OLD_SITE = "2008-2014"  # "Quick Facts" with "Label: value (year)", "Last updated:"
    FIRST_REDESIGN = "c2015"  # "You are here", "<Country> Quick Facts" with labels only
    QUICK_FACTS = "2016-2020"  # "Label (year): value", "Profile Updated:"
    HEADLINE = "2020-2022"  # headline written value / label / year
    CURRENT = "current"  # headline questions, label / value / year, ALL-CAPS sections
    HYBRID = "hybrid"  # a current or 2020-22 headline over an older profile


@dataclass(frozen=True, slots=True)
class PagePart:
    """A run of page lines from one generation, with the date that part prints."""

    generation: PageGeneration
    first_line: int
    last_line: int
    updated: str | None  # "2017-06" from "Last updated: June 2017"; None if not printed

    def holds(self, line: int) -> bool:
        """True when the line belongs to this part."""
        return self.first_line <= line <= self.last_line


@dataclass(frozen=True, slots=True)
class EmptyField:
    """A label the page prints with no value: recognised, kept, and not a fact."""

    section: str | None
    label: str  # as printed, without bullet and colon
    indicator: str  # code-list notation (an "unreviewed-" key when not in the code list)
    reviewed: bool
    line: int


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything read from one country-profile page."""

    source: str  # file path or "<string>"
    digest: str  # SHA-256 of the page text: the cache key of later stages
    country: str | None  # country name as printed on the first line
    source_url: str | None  # from a "# source:" header line
    partial: bool  # a "# partial:" header line says the copy is cut short
    last_updated: str | None  # "2024-07" from "Last updated: July 2024"
    overview: str | None
    teasers: tuple[Teaser, ...]
    narrative: tuple[str, ...]
    headings: tuple[Heading, ...]
    facts: tuple[Fact, ...]
    warnings: tuple[ParseWarning, ...]
    line_roles: tuple[tuple[int, LineRole], ...] = field(default=())
    generation: PageGeneration | None = None
    parts: tuple[PagePart, ...] = ()  # two for a hybrid page, else one (none if unknown)
    empty_fields: tuple[EmptyField, ...] = ()

    def part_of(self, line: int) -> PagePart | None:
        """The page part a line belongs to (and so the date it was printed under)."""
        return next((part for part in self.parts if part.holds(line)), None)

    @property
    def unrecognised(self) -> tuple[int, ...]:
        """Line numbers the reader could not place."""
        return tuple(n for n, role in self.line_roles if role is LineRole.UNRECOGNISED)

    @property
    def printed_facts(self) -> tuple[Fact, ...]:
        """Every fact printed on the page (for a country profile: its facts)."""
        return self.facts


class PageFacts(Protocol):
    """A read page of any kind: country profile or detention facility."""

    @property
    def source(self) -> str: ...

    @property
    def country(self) -> str | None: ...

    @property
    def printed_facts(self) -> Sequence[Fact]: ...

    @property
    def warnings(self) -> tuple[ParseWarning, ...]: ...


FACT_COLUMNS = (
    "country",
    "section",
    "subsection",
    "label",
    "indicator",
    "reviewed",
    "kind",
    "value",
    "raw",
    "period",
    "observed",
    "adopted",
    "amended",
    "status",
    "subject",
    "note",
    "parts",
    "line",
    "lines",
    "source",
)


def _plain(value: Value | None) -> object:
    """A fact value as JSON-ready data (Decimals stay exact until rendered)."""
    if isinstance(value, Ranking):
        return {"rank": value.rank, "category": value.category, "score": value.score}
    if isinstance(value, Ratio):
        return {"numerator": value.numerator, "denominator": value.denominator}
    if isinstance(value, Answer):
        return value.value
    return value


def fact_records(profile: PageFacts) -> list[dict[str, object]]:
    """One flat record per fact printed on the page, with the keys of `FACT_COLUMNS`."""
    return [
        {
            "country": profile.country,
            "section": fact.section,
            "subsection": fact.subsection,
            "label": fact.label,
            "indicator": fact.indicator,
            "reviewed": fact.reviewed,
            "kind": fact.kind.value,
            "value": _plain(fact.value),
            "raw": fact.raw,
            "period": fact.period,
            "observed": fact.observed,
            "adopted": fact.adopted,
            "amended": fact.amended,
            "status": fact.status.value,
            "subject": fact.subject,
            "note": fact.note,
            "parts": [part.value for part in fact.parts],
            "line": fact.line,
            "lines": list(fact.lines),
            "source": profile.source,
        }
        for fact in profile.printed_facts
    ]
