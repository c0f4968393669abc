"""The graph as the checks see it: per country, its series, answers, lists and conflicts.

Profiles and dumps reach the checks the same way: a profile is mapped to its block of
triples (the IRIs the graph publishes), a dump is read back; both become `CountryData`.
An observation's year is the `gdp:year` of its period code; a profile's block does not carry
the period code list (the shared block does), so there it is the code's notation
(`period:2017`; `period:unknown`, a value printed without a year, has none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from gdp_rdf.graph.terms import lexical, split_line
from gdp_rdf.vocab import QB, RDF


@dataclass(frozen=True, slots=True)
class Point:
    """One value of the graph: an observation, a conflicting value or a record."""

    iri: str
    indicator: str  # code-list notation
    period: int | None
    number: Decimal | None  # gdp:numericValue (a ratio's numerator)
    denominator: int | None
    answer: str | None  # answer code notation
    raw: str  # gdp:rawValue, the value as printed
    line: int  # gdp:valueLine
    dataset: str  # local name of the qb:DataSet ("numbers", "answers", ...) or "gdp"

    @property
    def shown(self) -> str:
        """The value as the page prints it (the number when no raw text was kept)."""
        if self.raw:
            return self.raw
        return "" if self.number is None else format(self.number, "f")


@dataclass(slots=True)
class CountryData:
    """What the checks need to know about one country."""

    iso3: str
    source: str = ""  # the profile's file (path for profiles, file name for dumps)
    last_updated: str | None = None  # "2024-07"
    observations: list[Point] = field(default_factory=list)
    conflicts: list[tuple[Point, Point]] = field(default_factory=list)  # (observation, other)
    ratifications: list[Point] = field(default_factory=list)
    acceptances: list[Point] = field(default_factory=list)
    legislation: list[Point] = field(default_factory=list)

    def series(self, indicator: str) -> dict[int, Point]:
        """The dated numeric points of one indicator, by year."""
        return {
            p.period: p
            for p in self.observations
            if p.indicator == indicator and p.period is not None and p.number is not None
        }

    def source_of(self, point: Point) -> str:
        return f"{self.source}:{point.line}"


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _year(text: str) -> int | None:
    return int(text[:4]) if text[:4].isdigit() else None


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _base_of(subjects: dict[str, dict[str, list[str]]]) -> str | None:
    for props in subjects.values():
        for predicate in props:
            if predicate.endswith("/def/valueLine"):
                return predicate[: -len("def/valueLine")]
    return None


Props = dict[str, list[str]]  # predicate IRI -> object values


class _GraphReader:
    """Reads the points out of a graph's subjects, under the base its predicates use."""

    def __init__(self, subjects: dict[str, Props], base: str) -> None:
        self.subjects, self.g = subjects, base + "def/"
        self.iso3_of = {s: self.one(p, "iso3") for s, p in subjects.items() if self.g + "iso3" in p}

    def one(self, props: Props, name: str) -> str:
        values = props.get(name if ":" in name else self.g + name)
        return min(values) if values else ""

    def ref_year(self, props: Props) -> str:
        """The year of an observation's period code: its `gdp:year` where the graph describes
        the code, else its notation ("unknown" for a value printed without a year)."""
        code = self.one(props, "refPeriod")
        return self.one(self.subjects.get(code, {}), "year") or _local(code)

    def point(self, iri: str, props: Props, indicator: str, dataset: str) -> Point:
        period = self.ref_year(props) or self.one(props, "period")
        for name in ("ratificationYear", "acceptanceYear"):
            period = period or self.one(props, name)
        denominator, answer = self.one(props, "denominator"), self.one(props, "answer")
        number = self.one(props, "numericValue")
        if self.one(props, "missingStatus") or self.one(props, "obsStatus"):
            # a gap is never a number or an answer, and neither is a value printed with a
            # status (the answer "Unknown", a value outside its indicator's domain)
            number = answer = denominator = ""
        return Point(
            iri,
            indicator,
            _year(period) if period else None,
            _number(number) if number else None,
            int(denominator) if denominator else None,
            _local(answer) if answer else None,
            self.one(props, "rawValue"),
            int(self.one(props, "valueLine") or 0),
            dataset,
        )

    def countries(self) -> dict[str, CountryData]:
        countries = {iso3: CountryData(iso3) for iso3 in sorted(self.iso3_of.values())}
        for iri, props in sorted(self.subjects.items()):
            types = props.get(RDF + "type", [])
            if self.g + "Observation" in types:
                self._observation(countries, iri, props)
                continue
            data = countries.get(self.iso3_of.get(self.one(props, "country"), ""))
            if data is None:
                continue
            if self.g + "ProfileDocument" in types:
                data.source = self.one(props, "fileName")
                data.last_updated = self.one(props, "lastUpdated") or None
            elif self.g + "Ratification" in types:
                data.ratifications.append(self.point(iri, props, "treaty-ratified", "gdp"))
            elif self.g + "ComplaintsAcceptance" in types:
                data.acceptances.append(self.point(iri, props, "complaints-procedure", "gdp"))
            elif self.g + "Legislation" in types:
                indicator = _local(self.one(props, "indicator"))
                data.legislation.append(self.point(iri, props, indicator, "gdp"))
        return countries

    def _observation(self, countries: dict[str, CountryData], iri: str, props: Props) -> None:
        data = countries.get(self.iso3_of.get(self.one(props, "refArea"), ""))
        if data is None:
            return
        indicator = _local(self.one(props, "indicator"))
        observation = self.point(iri, props, indicator, _local(self.one(props, QB + "dataSet")))
        data.observations.append(observation)
        for other in sorted(props.get(self.g + "conflictingValue", [])):
            conflict = self.point(
                other, self.subjects.get(other, {}), indicator, observation.dataset
            )
            data.conflicts.append((observation, conflict))


def countries_from_triples(triples: Iterable[ox.Triple]) -> dict[str, CountryData]:
    """Every country of a graph with its points, by ISO3 (the graph's base is detected)."""
    subjects: dict[str, Props] = {}
    for triple in triples:
        if isinstance(triple.subject, ox.NamedNode) and not isinstance(triple.object, ox.Triple):
            props = subjects.setdefault(triple.subject.value, {})
            props.setdefault(triple.predicate.value, []).append(triple.object.value)
    base = _base_of(subjects)
    return _GraphReader(subjects, base).countries() if base else {}


def countries_from_block(block: bytes) -> dict[str, CountryData]:
    """`countries_from_triples` of a block of canonical N-Triples lines, read without a
    parser (terms.split_line, terms.lexical): a parsed triple costs ~3 us a line."""
    subjects: dict[str, Props] = {}
    for line in block.decode("utf-8").splitlines():
        subject, predicate, obj = split_line(line)
        props = subjects.setdefault(subject, {})
        props.setdefault(predicate, []).append(lexical(obj))
    base = _base_of(subjects)
    return _GraphReader(subjects, base).countries() if base else {}
