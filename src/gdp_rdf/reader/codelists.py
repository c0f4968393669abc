"""The code lists under data/codelists/: indicators, sections, instruments, treaty bodies, units.

These CSV files are the single source of truth for what the reader recognises and for the SKOS
concept schemes the mapping publishes; both read them through `load_codelists()`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache

from gdp_rdf.errors import ResourceError
from gdp_rdf.resources import codelist_path, read_table


class ValueType(StrEnum):
    """The value an indicator is expected to carry (column ``value_type``)."""

    COUNT = "count"
    RATE = "rate"
    DECIMAL = "decimal"
    PERCENTAGE = "percentage"
    USD = "usd"
    USD_MILLIONS = "usd-millions"
    RANKING = "ranking"
    ANSWER = "answer"
    TEXT = "text"
    LIST = "list"
    DAYS = "days"
    RATIO = "ratio"
    INSTRUMENT = "instrument"
    RECOMMENDATION = "recommendation"
    LEGISLATION = "legislation"
    INSTITUTION = "institution"
    UNKNOWN = "unknown"  # a label the code list does not know: infer from the text


NUMERIC_TYPES = frozenset(
    {
        ValueType.COUNT,
        ValueType.RATE,
        ValueType.DECIMAL,
        ValueType.PERCENTAGE,
        ValueType.USD,
        ValueType.USD_MILLIONS,
        ValueType.RANKING,
        ValueType.DAYS,
    }
)
TEXT_TYPES = frozenset(
    {ValueType.TEXT, ValueType.LIST, ValueType.LEGISLATION, ValueType.INSTITUTION}
)


class Domain(StrEnum):
    """The range of values an indicator can take; a value outside it is out of range."""

    NON_NEGATIVE = "non-negative"  # counts, amounts, rates, days: >= 0
    PERCENT = "percent"  # 0-100
    RANK = "rank"  # >= 1
    PERCENTILE = "percentile"  # a percentile rank: 0-100
    RATIO = "ratio"  # numerator <= denominator
    ANY = "any"  # answers and text: no numeric range


_DOMAINS = {
    ValueType.COUNT: Domain.NON_NEGATIVE,
    ValueType.RATE: Domain.NON_NEGATIVE,
    ValueType.DECIMAL: Domain.NON_NEGATIVE,
    ValueType.USD: Domain.NON_NEGATIVE,
    ValueType.USD_MILLIONS: Domain.NON_NEGATIVE,
    ValueType.DAYS: Domain.NON_NEGATIVE,
    ValueType.PERCENTAGE: Domain.PERCENT,
    ValueType.RANKING: Domain.RANK,
    ValueType.RATIO: Domain.RATIO,
}


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """A reviewed line of page furniture that carries no data (data/codelists/boilerplate.csv)."""

    text: str
    generations: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator concept: a statistic or question printed on the profiles."""

    code: str
    group: str  # section code the indicator belongs to
    value_type: ValueType
    unit: str | None
    labels: tuple[str, ...]  # as printed in the sections; the first is the preferred label
    headline_labels: tuple[str, ...]  # as printed in the headline block at the top
    definition: str
    archive_labels: tuple[str, ...] = ()  # reviewed labels of older generations and crawls

    @property
    def domain(self) -> Domain:
        """The values this indicator can take (see `Domain`)."""
        if self.unit == "percentile":
            return Domain.PERCENTILE
        return _DOMAINS.get(self.value_type, Domain.ANY)

    @property
    def pref_label(self) -> str:
        return self.all_labels[0]

    @property
    def all_labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.labels + self.headline_labels + self.archive_labels))


@dataclass(frozen=True, slots=True)
class Section:
    """A section heading as printed in one page generation, and the group it belongs to."""

    heading: str
    code: str
    layout: str
    label: str


@dataclass(frozen=True, slots=True)
class Instrument:
    """A treaty, protocol or declaration named in the treaties and complaints tables."""

    code: str
    kind: str
    abbreviation: str
    name: str
    procedure: bool  # establishes an individual complaints procedure
    core: bool  # one of the nine core UN human rights treaties
    printed: tuple[str, ...]
    parent: str | None
    link: str | None  # row code in data/links/treaties.csv


@dataclass(frozen=True, slots=True)
class Body:
    """A UN treaty body that issues recommendations."""

    code: str
    name: str
    aliases: tuple[str, ...]
    instrument: str | None
    link: str | None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Tradition:
    """A legal tradition (civil law, common law, ...)."""

    code: str
    label: str
    definition: str


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of measure for indicator values."""

    code: str
    label: str
    symbol: str | None
    qudt: str | None


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


_SPACES = re.compile(r"\s+")
_QUICK_FACTS_HEADING = re.compile(r"^(?:quick facts: .{2,60}|.{2,60} quick facts)$")


@lru_cache(maxsize=1 << 16)
def normalise_label(text: str) -> str:
    """Key for matching printed labels: case, quotes, accents and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip().casefold()


def _rows(name: str) -> list[dict[str, str]]:
    return read_table(codelist_path(name))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


@dataclass(frozen=True)
class CodeLists:
    """All code lists, with lookups by printed text."""

    indicators: tuple[Indicator, ...]
    sections: tuple[Section, ...]
    instruments: tuple[Instrument, ...]
    bodies: tuple[Body, ...]
    units: tuple[Unit, ...]
    traditions: tuple[Tradition, ...]
    boilerplate: tuple[Boilerplate, ...] = ()
    _by_label: dict[str, Indicator] = field(init=False, repr=False, compare=False)
    _headline: frozenset[str] = field(init=False, repr=False, compare=False)
    _by_heading: dict[str, Section] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Indicator] = field(init=False, repr=False, compare=False)
    _boilerplate: dict[str, Boilerplate] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_label: dict[str, Indicator] = {}
        for indicator in self.indicators:
            for label in indicator.all_labels:
                key = normalise_label(label)
                if key in by_label:
                    raise ResourceError(
                        f"label {label!r} belongs to both {by_label[key].code} and {indicator.code}",
                        str(codelist_path("indicators.csv")),
                    )
                by_label[key] = indicator
        object.__setattr__(self, "_by_label", by_label)
        object.__setattr__(
            self,
            "_headline",
            frozenset(
                normalise_label(h)
                for i in self.indicators
                for h in (*i.headline_labels, *i.archive_labels)
            ),
        )
        object.__setattr__(
            self, "_by_heading", {normalise_label(s.heading): s for s in self.sections}
        )
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})
        object.__setattr__(
            self, "_boilerplate", {normalise_label(b.text): b for b in self.boilerplate}
        )

    def boilerplate_for(self, line: str) -> Boilerplate | None:
        """The reviewed boilerplate entry a page line is, or None."""
        return self._boilerplate.get(normalise_label(line))

    def indicator_for_label(self, label: str) -> Indicator | None:
        """The indicator printed with this label, or None if the label is unknown."""
        return self._by_label.get(normalise_label(label))

    def is_headline_label(self, label: str) -> bool:
        """True for labels printed in the headline block at the top of the page.

        Archive labels count too: other crawls print them in the headline ("Detained Women"),
        and the older generations print them in the Quick Facts box at the top.
        """
        return normalise_label(label) in self._headline

    def indicator(self, code: str) -> Indicator | None:
        """The indicator with this code."""
        return self._by_code.get(code)

    def section_for_heading(self, heading: str) -> Section | None:
        """The section printed with this heading (ALL CAPS or "> " sub-heading).

        Older pages name the country in the Quick Facts heading ("Quick Facts: Mexico",
        "Italy Quick Facts"): those are the Quick Facts section.
        """
        key = normalise_label(heading)
        if key not in self._by_heading and _QUICK_FACTS_HEADING.match(key):
            key = "quick facts"
        return self._by_heading.get(key)

    def instrument_for_row(self, row: str) -> Instrument | None:
        """The instrument a treaties/complaints table row names, by full text or abbreviation."""
        key = normalise_label(row)
        for instrument in self.instruments:
            if any(normalise_label(p) == key for p in instrument.printed):
                return instrument
        abbreviation = normalise_label(row.split(",", 1)[0])
        for instrument in self.instruments:
            if (
                instrument.parent is None
                and normalise_label(instrument.abbreviation) == abbreviation
            ):
                return instrument
        return None

    def instrument(self, code: str) -> Instrument | None:
        """The instrument with this code."""
        return next((i for i in self.instruments if i.code == code), None)

    def body_for_name(self, name: str) -> Body | None:
        """The treaty body printed with this name."""
        key = normalise_label(name)
        return next((b for b in self.bodies if key in map(normalise_label, b.names)), None)

    def tradition_for_text(self, text: str) -> Tradition | None:
        """The legal tradition printed as this text ("Civil law")."""
        key = normalise_label(text)
        return next((t for t in self.traditions if normalise_label(t.label) == key), None)

    def body_for_text(self, text: str) -> tuple[Body, str] | None:
        """The treaty body a recommendation row starts with, and the name as printed."""
        folded = normalise_label(text)
        best: tuple[Body, str] | None = None
        for body in self.bodies:
            for name in body.names:
                if folded.startswith(normalise_label(name)) and (
                    best is None or len(name) > len(best[1])
                ):
                    best = (body, text[: len(name)])
        return best


def _load() -> CodeLists:
    indicators = tuple(
        Indicator(
            code=row["code"],
            group=row["group"],
            value_type=ValueType(row["value_type"]),
            unit=row["unit"] or None,
            labels=_split(row["labels"]),
            headline_labels=_split(row["headline_labels"]),
            definition=row["definition"],
            archive_labels=_split(row.get("archive_labels") or ""),
        )
        for row in _rows("indicators.csv")
    )
    sections = tuple(
        Section(heading=r["heading"], code=r["code"], layout=r["layout"], label=r["label"])
        for r in _rows("sections.csv")
    )
    instruments = tuple(
        Instrument(
            code=r["code"],
            kind=r["kind"],
            procedure=r["procedure"] == "yes",
            core=r["core"] == "yes",
            abbreviation=r["abbreviation"],
            name=r["name"],
            printed=_split(r["printed"]),
            parent=r["parent"] or None,
            link=r["link"] or None,
        )
        for r in _rows("instruments.csv")
    )
    bodies = tuple(
        Body(
            code=r["code"],
            name=r["name"],
            aliases=_split(r["aliases"]),
            instrument=r["instrument"] or None,
            link=r["link"] or None,
        )
        for r in _rows("bodies.csv")
    )
    units = tuple(
        Unit(code=r["code"], label=r["label"], symbol=r["symbol"] or None, qudt=r["qudt"] or None)
        for r in _rows("units.csv")
    )
    traditions = tuple(
        Tradition(code=r["code"], label=r["label"], definition=r["definition"])
        for r in _rows("legal-traditions.csv")
    )
    boilerplate = tuple(
        Boilerplate(text=r["text"], generations=_split(r["generation"]), reason=r["reason"])
        for r in _rows("boilerplate.csv")
    )
    return CodeLists(indicators, sections, instruments, bodies, units, traditions, boilerplate)


@cache
def load_codelists() -> CodeLists:
    """Read every code list once per process.

    Raises:
        ResourceError: a code-list file is missing, unreadable or inconsistent.
    """
    try:
        return _load()
    except (KeyError, ValueError) as error:
        raise ResourceError(f"malformed code list: {error}", "data/codelists") from error


_YEAR_MARK = re.compile(r"\s*\((?:year|years)\)", re.IGNORECASE)


def plain_label(label: str) -> str:
    """A label without the page's "(Year)" marker, for sentences, headings and charts: the
    year is a column of its own there."""
    return _YEAR_MARK.sub("", label).strip()
