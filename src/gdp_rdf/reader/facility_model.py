"""Typed results of reading a detention-facility page (pure; see FACILITIES.md).

Every value on the page is a `Fact` (the same type the country profiles use), traceable to its
lines. A `FacilityProfile` keeps them in page order and groups the values printed together with
one year into `FacilityRecord`s (a status and its year; a management's name, type and year). The
country figures printed on every facility page are a `CountrySnapshot` with the facility page as
its source: a copy of the country page as the facility page showed it, never the country's values.

Indicator keys of facility facts come from data/codelists/facility-fields.csv: the field code
("facility-status", "capacity", "detains") for the field's main value, "<field>.<key>" for the
other values of a record ("management.type", "custodial-authority.ministry-typology"). Coded
values name their concept in ``Fact.subject`` as "<scheme>/<code>" from
data/codelists/facility-codes.csv ("facility-status/in-use", "detainee-group/adult-men").
``Fact.label`` is the field's label as printed, then ": <key>" for a record's other values;
"(place)" and "(name)" stand for the two unlabelled lines at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gdp_rdf.reader.facts import EmptyField, Fact, Heading, LineRole, ParseWarning


@dataclass(frozen=True, slots=True)
class FacilityRecord:
    """Values printed together under one field, closed by their year (or date) line."""

    field: str  # field code ("facility-status", "management", ...)
    section: str | None  # heading as printed; None in the header block
    label: str  # the field's label as printed ("Center Status", "Type:")
    period: int | None
    date: str | None  # the date as printed when more than a year ("2 June 2009")
    facts: tuple[Fact, ...]

    def value(self, key: str | None = None) -> Fact | None:
        """The record's main value, or the value of ``key`` ("type", "ministry-typology")."""
        wanted = self.field if key is None else f"{self.field}.{key}"
        return next((f for f in self.facts if f.indicator == wanted), None)


@dataclass(frozen=True, slots=True)
class CountrySnapshot:
    """The country block of a facility page: the country's figures as that page printed them."""

    country: str  # as printed
    line: int
    facts: tuple[Fact, ...]  # headline facts of the country, with their lines on the facility page


@dataclass(frozen=True, slots=True)
class FacilityProfile:
    """Everything read from one detention-facility page."""

    source: str
    digest: str
    source_url: str | None
    partial: bool
    facility_id: str | None  # the number in .../detention-centres/<id>/<name>
    name: str | None  # as printed
    place: str | None  # the unlabelled city / region line at the top, as printed
    country: str | None  # from "Country:", as printed
    country_iso3: str | None  # the country of "Country:" or, failing that, of the source URL
    city: str | None
    region: str | None
    continent: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    records: tuple[FacilityRecord, ...]
    snapshot: CountrySnapshot | None
    headings: tuple[Heading, ...]
    empty_fields: tuple[EmptyField, ...]
    warnings: tuple[ParseWarning, ...]
    line_roles: tuple[tuple[int, LineRole], ...] = field(default=())

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The facility's own facts in page order (the country snapshot's are not among them)."""
        return tuple(sorted((f for r in self.records for f in r.facts), key=lambda f: f.line))

    @property
    def printed_facts(self) -> tuple[Fact, ...]:
        """The facility's facts and the country snapshot's, in page order."""
        snapshot = self.snapshot.facts if self.snapshot is not None else ()
        return tuple(sorted((*self.facts, *snapshot), key=lambda f: f.line))

    @property
    def unrecognised(self) -> tuple[int, ...]:
        """Line numbers the reader could not place."""
        return tuple(n for n, role in self.line_roles if role is LineRole.UNRECOGNISED)

    def field(self, code: str) -> tuple[FacilityRecord, ...]:
        """Every record of one field, in page order ("facility-status": the status history)."""
        return tuple(r for r in self.records if r.field == code)

    def series(self, code: str) -> tuple[tuple[int | None, Fact], ...]:
        """A field's main values with their years, in page order ("capacity", "reported-
        population-single-day": the facility's capacity and population over time)."""
        return tuple(
            (record.period, fact)
            for record in self.field(code)
            for fact in record.facts
            if fact.indicator == code
        )

    def codes(self, code: str) -> tuple[str, ...]:
        """The concepts a coded field names, in page order, once each ("detains")."""
        found = (f.subject for r in self.field(code) for f in r.facts if f.indicator == code)
        return tuple(dict.fromkeys(s for s in found if s))
