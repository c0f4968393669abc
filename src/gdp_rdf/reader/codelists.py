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

    @property
    def pref_label(self) -> str:
        return (self.labels + self.headline_labels)[0]

    @property
    def all_labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.labels + self.headline_labels))


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
    _by_label: dict[str, Indicator] = field(init=False, repr=False, compare=False)
    _headline: frozenset[str] = field(init=False, repr=False, compare=False)
    _by_heading: dict[str, Section] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Indicator] = field(init=False, repr=False, compare=False)

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
            frozenset(normalise_label(h) for i in self.indicators for h in i.headline_labels),
        )
        object.__setattr__(
            self, "_by_heading", {normalise_label(s.heading): s for s in self.sections}
        )
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})

    def indicator_for_label(self, label: str) -> Indicator | None:
        """The indicator printed with this label, or None if the label is unknown."""
        return self._by_label.get(normalise_label(label))

    def is_headline_label(self, label: str) -> bool:
        """True for labels printed in the headline block at the top of the page."""
        return normalise_label(label) in self._headline

    def indicator(self, code: str) -> Indicator | None:
        """The indicator with this code."""
        return self._by_code.get(code)

    def section_for_heading(self, heading: str) -> Section | None:
        """The section printed with this heading (ALL CAPS or "> " sub-heading)."""
        return self._by_heading.get(normalise_label(heading))

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
    return CodeLists(indicators, sections, instruments, bodies, units, traditions)


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
