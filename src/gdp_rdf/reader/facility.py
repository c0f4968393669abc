"""Detention-facility page text -> `FacilityProfile` (pure; see FACILITIES.md).

A facility page is: the place and name (no labels), a "Status" / value / year block, labelled
header lines ("Type:", "Custodial Authority:", "Management:", "Detains:"), a statistics box (a
line of column labels, then one value per column, each with an optional year or date), the
country block (the country page's headline figures, ending "To country overview"), the names
and location ("FACILITY NAMES", "Location", "Country:", "City & Region:", "Latitude,
Longitude:", "Contact Information"), then ALL-CAPS sections of fields. A field is a label
("Center Status") followed by records, either "Key value" lines closed by a year line, or a
table: column labels ("Status" / "Year") then the values row by row.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation

from gdp_rdf.errors import ParseError
from gdp_rdf.reader.codelists import ValueType, load_codelists, normalise_label
from gdp_rdf.reader.countries import country_from_url, find_country
from gdp_rdf.reader.facility_codes import FacilityField, load_facility_codes
from gdp_rdf.reader.facility_model import CountrySnapshot, FacilityProfile
from gdp_rdf.reader.facility_rows import Entry, FacilityRows, date_of
from gdp_rdf.reader.facts import Fact, LineRole, ValueKind, WarningKind
from gdp_rdf.reader.quickfacts import split_when
from gdp_rdf.reader.sections import is_generic_heading
from gdp_rdf.reader.values import read_value, year

_HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z][\w-]*)\s*:\s*(?P<value>.*)$")
_LABELLED = re.compile(
    r"^(?P<label>Type|Custodial Authority|Management|Detains|Alternative Names|Country"
    r"|City & Region|Latitude, Longitude)\s*:\s*(?P<value>.*)$"
)
_FACILITY_ID = re.compile(r"/detention-centres/(?P<id>\d+)(?:/|$)")
_STATS_COLUMNS = (
    "Reported population (Single Day)",
    "Reported population",
    "Conditions complaints?",
    "Deaths at facility",
    "Capacity",
)
_STATS_HEADER = re.compile(
    r"^(?:(?:" + "|".join(re.escape(c) for c in _STATS_COLUMNS) + r")\s*){2,}$"
)
_PIPES = re.compile(r"^\|.*\|$")
_SEPARATOR = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+$")
_CELL = re.compile(r"^(?P<cell>[^|]*?)\s*\|$")
_VALUE_AND_DATE = re.compile(r"^(?P<value>\S+) (?P<date>(?:\d{1,2} )?[A-Z][a-z]+ \d{4})$")
_NAMES = "facility names"
_LOCATION = "location"
_CONTACT = "contact information"
_EMPTY_YEAR = "()"


def _columns(header: str) -> list[str]:
    """ "Capacity Reported population Deaths at facility" -> its three column labels."""
    found: list[str] = []
    rest = header.strip().strip("|").strip()
    while rest:
        rest = rest.lstrip(" |")
        column = next((c for c in _STATS_COLUMNS if rest.startswith(c)), None)
        if column is None:
            break
        found.append(column)
        rest = rest[len(column) :]
    return found


class _FacilityPage(FacilityRows):
    """One pass over a facility page's lines."""

    def __init__(self, text: str, source: str) -> None:
        super().__init__(load_facility_codes(), load_codelists())
        self.source = source
        self.source_url: str | None = None
        self.partial = False
        self.snapshot: CountrySnapshot | None = None
        self.attributes: dict[str, str | Decimal | None] = {}
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        started = False
        for number, raw in enumerate(lines, start=1):
            clean = " ".join(raw.split())
            if not clean:
                continue
            header = _HEADER.match(clean) if not started else None
            if header is not None:
                self.roles[number] = LineRole.HEADER
                key, value = header["key"].casefold(), header["value"].strip()
                if key == "source" and value.startswith(("http://", "https://")):
                    self.source_url = value
                self.partial |= key == "partial"
                continue
            started = True
            self.items.append((number, clean))

    # -- the page, top to bottom ---------------------------------------------------------------

    def read(self) -> None:
        index = 0
        unlabelled = 0
        while index < len(self.items):
            number, text = self.items[index]
            key = normalise_label(text)
            if self.codes.boilerplate_for(text) is not None:
                self.roles[number] = LineRole.BOILERPLATE
                index += 1
            elif key in (_NAMES, _LOCATION, _CONTACT) or self._is_heading(text):
                index = self._heading_item(index, key)
            elif self.section is not None:
                index = self.detail_item(index)
            elif text == "Status":
                index = self._status_block(index)
            elif (labelled := _LABELLED.match(text)) is not None:
                self._labelled(number, labelled["label"], labelled["value"])
                index += 1
            elif _STATS_HEADER.match(text) or _PIPES.match(text):
                index = self._stats(index)
            elif self.snapshot is None and find_country(text) is not None and unlabelled >= 2:
                index = self._country_block(index)
            elif self.mode == "contact":
                self.add_record("contact", None, "Contact Information", [Entry(number, None, text)])
                index += 1
            elif unlabelled < 2 and self.mode == "top":
                code = "place" if unlabelled == 0 else "facility-name"
                self._attribute(code, number, text)
                unlabelled += 1
                index += 1
            elif self.mode == "names" and "place" not in self.attributes:
                self._attribute("place", number, text)  # the compact page: name, then place
                index += 1
            else:
                self.unrecognised(number, text)
                index += 1

    def _is_heading(self, text: str) -> bool:
        short = len(text) >= 4 and text.isalpha() and text.isupper()  # "STAFF", "CELLS"
        generic = short or is_generic_heading(text)
        return generic and self.facility.field_for_label(text) is None

    def _heading_item(self, index: int, key: str) -> int:
        number, text = self.items[index]
        self.heading(number, text)
        if key == _NAMES:
            self.mode, self.section = "names", None
            following = self.text_at(index + 1)
            if following is not None and not self._structure(following):
                self._attribute("facility-name", self.items[index + 1][0], following)
                return index + 2
        elif key == _LOCATION:
            self.mode, self.section = "location", None
        elif key == _CONTACT:
            self.mode, self.section = "contact", None
        else:
            self.mode, self.section, self.field_label = "details", text, None
        return index + 1

    def _structure(self, text: str) -> bool:
        key = normalise_label(text)
        return bool(
            key in (_NAMES, _LOCATION, _CONTACT)
            or self._is_heading(text)
            or _LABELLED.match(text)
            or self.codes.boilerplate_for(text)
        )

    def _attribute(self, code: str, number: int, text: str) -> None:
        self.attributes.setdefault(code, text)
        label = {"place": "(place)", "facility-name": "(name)"}.get(code, code)
        self.add_record(code, None, label, [Entry(number, None, text)])

    # -- header block ------------------------------------------------------------------------

    def _status_block(self, index: int) -> int:
        """ "Status" / "In use" / "2020"."""
        label_line = self.items[index][0]
        value = self.text_at(index + 1)
        if value is None or year(value) is not None:
            self.empty_field(label_line, "Status", "facility-status")
            return index + 1
        entry = Entry(self.items[index + 1][0], None, value)
        end = index + 2
        period, date, date_line = self.period_at(end)
        if date_line is not None:
            end += 1
        self.add_record(
            "facility-status", None, "Status", [entry], period, date, (label_line, date_line)
        )
        return end

    def _labelled(self, number: int, label: str, value: str) -> None:
        if not value:
            self.empty_field(number, label, label.casefold())
            return
        if label == "Latitude, Longitude":
            self._coordinates(number, value)
            return
        field = self.facility.field_for_label(label)
        assert field is not None, label  # every label of _LABELLED is in facility-fields.csv
        if label in ("Detains", "Alternative Names"):
            entries = [Entry(number, None, part.strip()) for part in value.split(",")]
        elif label in ("Type", "Management"):
            entries = self._split_kind(number, field, value)
        else:
            entries = [Entry(number, None, value)]
        if label == "City & Region":
            self._city_region(value)
        if label == "Country":
            self.attributes.setdefault("country", value)
        self.add_record(field.code, None, label, entries)

    def _split_kind(self, number: int, field: FacilityField, value: str) -> list[Entry]:
        """ "Name (Governmental)" / "Type (Administrative)": the name and its coded kind."""
        match = re.match(r"^(?P<name>.+?)\s*\((?P<kind>[^()]+)\)$", value)
        scheme = "organisation-type" if field.code == "management" else "facility-category"
        if match is None or self.facility.concept_for(scheme, match["kind"]) is None:
            return [Entry(number, None, value)]
        key = "type" if field.code == "management" else "category"
        kind = Entry(number, key, match["kind"], key.capitalize())
        return [Entry(number, None, match["name"]), kind]

    def _city_region(self, value: str) -> None:
        parts = [part.strip() for part in value.split(",")]
        if len(parts) >= 3:
            self.attributes["city"] = parts[0]
            self.attributes["region"] = ", ".join(parts[1:-1])
            self.attributes["continent"] = parts[-1]

    def _coordinates(self, number: int, value: str) -> None:
        parts = [part.strip() for part in value.split(",")]
        try:
            latitude, longitude = (Decimal(part) for part in parts)
        except (ValueError, InvalidOperation):
            self.warn(WarningKind.UNEXPECTED_VALUE, number, f"coordinates {value!r} not read")
            self.add_record("latitude", None, "Latitude, Longitude", [Entry(number, None, value)])
            return
        self.attributes["latitude"], self.attributes["longitude"] = latitude, longitude
        for code, text, bound in (("latitude", parts[0], 90), ("longitude", parts[1], 180)):
            self.add_record(code, None, "Latitude, Longitude", [Entry(number, None, text)])
            if abs(Decimal(text)) > bound:
                self.warn(WarningKind.OUT_OF_RANGE, number, f"{code} {text} is out of range")

    # -- statistics box ----------------------------------------------------------------------

    def _stats(self, index: int) -> int:
        header_line, header = self.items[index]
        columns = _columns(header)
        self.roles[header_line] = LineRole.FACT
        cursor = index + 1
        if self.text_at(cursor) is not None and _SEPARATOR.match(self.text_at(cursor) or ""):
            self.roles[self.items[cursor][0]] = LineRole.FURNITURE  # the markdown rule "|---|"
            cursor += 1
        for column in columns:
            text = self.text_at(cursor)
            if text is None or self._structure(text):
                break
            number = self.items[cursor][0]
            cursor += 1
            period, date, date_line = self.period_at(cursor)
            if date_line is not None:
                cursor += 1
            cell = _CELL.match(text)
            if cell is not None:  # the compact page's markdown cells: "242 September 2003 |"
                text = cell["cell"]
                if (dated := _VALUE_AND_DATE.match(text)) is not None:
                    text, date = dated["value"], dated["date"]
                    period = int(date[-4:])
            field = self.facility.field_for_label(column)
            assert field is not None, column
            lines = (header_line, date_line)
            self.add_record(
                field.code, None, column, [Entry(number, None, text)], period, date, lines
            )
        return cursor

    # -- the country block -------------------------------------------------------------------

    def _country_block(self, index: int) -> int:
        """The country page's figures, value then label: a snapshot, not the country's values."""
        number, country = self.items[index]
        self.roles[number] = LineRole.COUNTRY
        facts: list[Fact] = []
        cursor = index + 1
        while (value := self.text_at(cursor)) is not None and not self._structure(value):
            label = self.text_at(cursor + 1)
            if label is None or self._structure(label):
                self.unrecognised(self.items[cursor][0], value)
                cursor += 1
                continue
            lines = [self.items[cursor][0], self.items[cursor + 1][0]]
            cursor += 2
            if self.text_at(cursor) == _EMPTY_YEAR:  # the year slot printed empty
                lines.append(self.items[cursor][0])
                cursor += 1
            facts.append(self._snapshot_fact(country, value, label, tuple(lines)))
        self.snapshot = CountrySnapshot(country, number, tuple(facts))
        return cursor

    def _snapshot_fact(
        self, country: str, value: str, printed: str, lines: tuple[int, ...]
    ) -> Fact:
        label, period, _ = split_when(printed)
        indicator = self.codes.indicator_for_label(label)
        for line in lines:
            self.roles[line] = LineRole.FACT
        if indicator is None:
            self.warn(WarningKind.UNKNOWN_LABEL, lines[1], f"label not in the code list: {label!r}")
        reading = read_value(value, indicator.value_type if indicator else ValueType.UNKNOWN)
        if not reading.expected:
            self.warn(
                WarningKind.UNEXPECTED_VALUE,
                lines[0],
                f"{value[:60]!r} is not a value for {label!r}; kept as printed",
            )
        return Fact(
            section=None,
            subsection=f"country block: {country}",
            label=label,
            indicator=indicator.code if indicator else _unreviewed(label),
            reviewed=indicator is not None,
            kind=reading.kind if reading.expected else ValueKind.TEXT,
            value=reading.value if reading.expected else value,
            raw=value,
            status=reading.status,
            period=period,
            line=lines[0],
            lines=lines,
        )


def _unreviewed(label: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_label(label)).strip("-")
    return f"unreviewed-{slug[:60] or 'label'}"


def parse_facility(text: str, source: str = "<string>") -> FacilityProfile:
    """Read the text of one GDP detention-facility page into a `FacilityProfile`.

    Raises:
        ParseError: the text is empty or is not a facility page.
    """
    text = text.removeprefix("\ufeff")
    page = _FacilityPage(text, source)
    page.read_all(source, "empty facility page: no text after the header lines")
    if not page.records:
        raise ParseError("not a GDP facility page: no field found", source, page.items[0][0])
    found = _FACILITY_ID.search(page.source_url or "")
    attributes = page.attributes

    def text_of(key: str) -> str | None:
        value = attributes.get(key)
        return value if isinstance(value, str) else None

    def number_of(key: str) -> Decimal | None:
        value = attributes.get(key)
        return value if isinstance(value, Decimal) else None

    printed_country = text_of("country")
    country = find_country(printed_country) if printed_country else None
    country = country or (country_from_url(page.source_url) if page.source_url else None)
    return FacilityProfile(
        source=source,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source_url=page.source_url,
        partial=page.partial,
        facility_id=found["id"] if found else None,
        name=text_of("facility-name"),
        place=text_of("place"),
        country=printed_country,
        country_iso3=country.iso3 if country else None,
        city=text_of("city"),
        region=text_of("region"),
        continent=text_of("continent"),
        latitude=number_of("latitude"),
        longitude=number_of("longitude"),
        records=tuple(page.records),
        snapshot=page.snapshot,
        headings=tuple(page.headings),
        empty_fields=tuple(page.empty_fields),
        warnings=tuple(sorted(page.warnings, key=lambda w: w.line)),
        line_roles=tuple(sorted(page.roles.items())),
    )


__all__ = ["FacilityProfile", "date_of", "parse_facility"]
