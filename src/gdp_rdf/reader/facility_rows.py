"""The fields of a facility page's detail sections -> records of typed facts (pure).

A field label ("Center Status") is followed either by records of "Key value" lines, each closed
by its year (or date) line, or by a table: the column labels on lines of their own ("Status",
"Year"), then the values row by row. See `facility` for the page around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gdp_rdf.reader.codelists import CodeLists, ValueType, normalise_label
from gdp_rdf.reader.facility_codes import FacilityCodes, FacilityField
from gdp_rdf.reader.facility_model import FacilityRecord
from gdp_rdf.reader.facts import (
    EmptyField,
    Fact,
    Heading,
    LineRole,
    Status,
    ValueKind,
    WarningKind,
)
from gdp_rdf.reader.lines import PageLines
from gdp_rdf.reader.values import Reading, missing_status, read_answer, read_value, year

# The keys that start "Key value" lines, longest first so "Name of Owner" is not "Name".
_KEYS = (
    "Area of Authority of Operations",
    "State or Privately Owned",
    "Ministry Typology",
    "Official Typology",
    "Category Filter",
    "Number of Days",
    "Name of Owner",
    "Year of Entry",
    "Year ceased",
    "Management",
    "Provider",
    "Capacity",
    "Category",
    "Ministry",
    "Service",
    "Agency",
    "Length",
    "Number",
    "Status",
    "Name",
    "Type",
    "Date",
    "Year",
)
_KEY_ALIASES = {"category filter": "category"}
_PERIOD_COLUMNS = {"year", "date"}
_YEAR_KEYS = {"year-of-entry", "year-ceased"}
# Labels that are fields in the header block but keys (columns) in the detail sections.
_HEADER_ONLY = {"type", "status", "capacity"}
_DATE = re.compile(r"^(?:\d{1,2} )?(?P<month>[A-Z][a-z]+) (?P<year>\d{4})$")
_MONTHS = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
}  # fmt: skip
# The concept scheme of each coded value (data/codelists/facility-codes.csv).
_SCHEMES = {
    "facility-status": ("facility-status",),
    "facility-type.category": ("facility-category",),
    "management.type": ("organisation-type",),
    "custodial-authority.ministry-typology": ("ministry-type",),
    "detains": ("detainee-group", "detainee-category"),
    "detention-timeframe": ("detention-timeframe",),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One value line of a record: its line, its key code (None: the main value), its text."""

    line: int
    key: str | None
    text: str
    printed: str | None = None  # the key as printed ("Ministry Typology"), when there is one


def date_of(text: str) -> tuple[int, str | None] | None:
    """A year line ("2018") or a date line ("2 June 2009") -> (year, date as printed or None)."""
    found = year(text)
    if found is not None:
        return found, None
    match = _DATE.match(text)
    if match is None or match["month"] not in _MONTHS:
        return None
    return int(match["year"]), text


def _slug(text: str) -> str:
    key = normalise_label(text)
    return re.sub(r"[^a-z0-9]+", "-", _KEY_ALIASES.get(key, key)).strip("-")


def split_key(text: str) -> tuple[str | None, str]:
    """ "Status In use" -> ("Status", "In use"); a line without a key -> (None, text)."""
    folded = text.casefold()
    for key in _KEYS:
        if folded.startswith(key.casefold() + " "):
            return key, text[len(key) :].strip()
    return None, text


def bare_key(text: str) -> str | None:
    """The key a line holds on its own ("Status", "Year of entry"): a column label."""
    folded = normalise_label(text)
    return next((key for key in _KEYS if key.casefold() == folded), None)


class FacilityRows(PageLines):
    """State and steps of the facility reader: records, warnings, headings, line roles."""

    def __init__(self, facility: FacilityCodes, codes: CodeLists) -> None:
        super().__init__()
        self.facility = facility
        self.codes = codes
        self.records: list[FacilityRecord] = []
        self.section: str | None = None
        self.field_label: str | None = None
        self.mode = "top"

    def heading(self, number: int, text: str) -> None:
        self.roles[number] = LineRole.HEADING
        self.headings.append(Heading(number, text, 1, True))

    def empty_field(self, number: int, label: str, code: str) -> None:
        self.roles[number] = LineRole.EMPTY_FIELD
        self.empty_fields.append(EmptyField(self.section, label, code, True, number))

    def period_at(self, index: int) -> tuple[int | None, str | None, int | None]:
        """The year (and date) printed at ``index``, with its line; Nones when there is none."""
        text = self.text_at(index)
        found = date_of(text) if text is not None else None
        if found is None:
            return None, None, None
        return found[0], found[1], self.items[index][0]

    # -- records -----------------------------------------------------------------------------

    def add_record(
        self,
        code: str,
        section: str | None,
        label: str,
        entries: list[Entry],
        period: int | None = None,
        date: str | None = None,
        extra_lines: tuple[int | None, ...] = (),
    ) -> None:
        """One record of a field: a fact per entry, all with the record's year."""
        field = self.facility.field(code)
        shared = tuple(line for line in extra_lines if line is not None)
        facts = tuple(
            self._fact(field, section, label, entry, period, date, shared) for entry in entries
        )
        for fact in facts:
            for line in fact.lines:
                self.roles[line] = LineRole.FACT
        self.records.append(FacilityRecord(code, section, label, period, date, facts))

    def _fact(
        self,
        field: FacilityField,
        section: str | None,
        label: str,
        entry: Entry,
        period: int | None,
        date: str | None,
        shared: tuple[int, ...],
    ) -> Fact:
        main = {_slug(k) for k in field.main_keys}
        key = entry.key if entry.key is not None and entry.key not in main else None
        indicator = field.code if key is None else f"{field.code}.{key}"
        reading = self._reading(field, entry.key, entry.text)
        if reading.kind is ValueKind.TEXT and field.value_type is ValueType.ANSWER and key is None:
            indicator = f"{field.code}.name"  # "International Organization for Migration"
        subject = self._subject(indicator, entry)
        return Fact(
            section=section,
            subsection=label if section is not None else None,
            label=label if entry.key is None else f"{label}: {entry.printed or entry.key}",
            indicator=indicator,
            reviewed=True,
            kind=reading.kind,
            value=reading.value,
            raw=entry.text,
            status=reading.status,
            period=period,
            subject=subject,
            note=date,
            line=entry.line,
            lines=tuple(sorted({entry.line, *shared})),
        )

    def _reading(self, field: FacilityField, key: str | None, text: str) -> Reading:
        status = missing_status(text)
        if status is not None:
            return Reading(ValueKind.NONE, None, status)
        if key in _YEAR_KEYS and (found := year(text)) is not None:
            return Reading(ValueKind.INTEGER, found, Status.PRESENT)
        main = key is None or key in {_slug(k) for k in field.main_keys}
        if main and field.value_type is ValueType.ANSWER:
            return read_answer(text) or Reading(ValueKind.TEXT, text, Status.PRESENT)
        if main and field.value_type in (ValueType.COUNT, ValueType.DAYS, ValueType.DECIMAL):
            reading = read_value(text, field.value_type)
            if not reading.expected:
                return Reading(ValueKind.TEXT, text, Status.PRESENT, expected=False)
            return reading
        if key in ("capacity", "number", "number-of-days"):
            return read_value(text, ValueType.DAYS if key == "number-of-days" else ValueType.COUNT)
        return Reading(ValueKind.TEXT, text, Status.PRESENT)

    def _subject(self, indicator: str, entry: Entry) -> str | None:
        schemes = _SCHEMES.get(indicator)
        if schemes is None or missing_status(entry.text) is not None:
            return None
        for scheme in schemes:
            if (concept := self.facility.concept_for(scheme, entry.text)) is not None:
                return concept
        self.warn(
            WarningKind.UNKNOWN_CODE,
            entry.line,
            f"{entry.text[:60]!r} is not in the {'/'.join(schemes)} code list; kept as printed",
        )
        return None

    # -- detail sections ---------------------------------------------------------------------

    def detail_field(self, text: str) -> FacilityField | None:
        """The field a detail-section label starts, or None."""
        if normalise_label(text) in _HEADER_ONLY:
            return None
        return self.facility.field_for_label(text)

    def detail_item(self, index: int) -> int:
        number, text = self.items[index]
        field = self.detail_field(text)
        if field is None:
            self.unrecognised(number, text)
            return index + 1
        self.roles[number] = LineRole.FACT
        cursor = index + 1
        columns: list[tuple[str, str]] = []
        while (label := self.text_at(cursor)) is not None and (key := bare_key(label)):
            columns.append((_slug(key), label))
            self.roles[self.items[cursor][0]] = LineRole.FURNITURE  # a column label
            cursor += 1
        if columns:
            end = self._table(cursor, field, text, number, columns)
        else:
            end = self._key_values(cursor, field, text, number)
        if end == index + 1:
            self.empty_field(number, text, field.code)  # a field printed with nothing under it
        return end

    def _ends_field(self, index: int) -> bool:
        text = self.items[index][1]
        return bool(
            self.detail_field(text) is not None
            or self.codes.boilerplate_for(text)
            or normalise_label(text) in ("facility names", "location", "contact information")
            or (text.isupper() and len(text) > 3)
        )

    def _key_values(self, cursor: int, field: FacilityField, label: str, label_line: int) -> int:
        entries: list[Entry] = []
        while cursor < len(self.items) and not self._ends_field(cursor):
            number, text = self.items[cursor]
            cursor += 1
            if (dated := date_of(text)) is not None and entries:
                self.add_record(
                    field.code, self.section, label, entries, *dated, (label_line, number)
                )
                entries = []
                continue
            key, value = split_key(text)
            if key is None and (alone := bare_key(text)) is not None:
                self.empty_field(number, f"{label}: {alone}", f"{field.code}.{_slug(alone)}")
                continue
            entries.append(Entry(number, _slug(key) if key else None, value, key))
        if entries:
            self.add_record(field.code, self.section, label, entries, None, None, (label_line,))
        return cursor

    def _table(
        self,
        cursor: int,
        field: FacilityField,
        label: str,
        label_line: int,
        columns: list[tuple[str, str]],
    ) -> int:
        while cursor < len(self.items) and not self._ends_field(cursor):
            row = self.items[cursor : cursor + len(columns)]
            row = row[
                : next((i for i in range(len(row)) if self._ends_field(cursor + i)), len(row))
            ]
            cursor += len(row)
            if len(row) < len(columns):
                self.warn(
                    WarningKind.UNEXPECTED_VALUE,
                    row[0][0],
                    f"row of {len(row)} value(s) under {len(columns)} columns of {label!r}; "
                    "read in column order",
                )
            entries: list[Entry] = []
            period: tuple[int, str | None] | None = None
            lines = [label_line]
            for (column, printed), (number, text) in zip(columns, row, strict=False):
                if column in _PERIOD_COLUMNS and (found := date_of(text)) is not None:
                    period = found
                    lines.append(number)
                else:
                    entries.append(Entry(number, column, text, printed))
            year_, date = period if period is not None else (None, None)
            self.add_record(field.code, self.section, label, entries, year_, date, tuple(lines))
        return cursor
