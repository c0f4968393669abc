"""The sections of a profile page: indicator series and tables -> facts (pure; no rdflib).

A series is a label line followed by value/year pairs, newest first; a year printed alone is a
value the page does not give. A table is a label followed by column headers ("Ratification
Year", "Observation Date", ...) and rows of one text line plus one year per column.

Past the house style's ~400 lines on purpose: it is one pass over a page's lines (series and
tables share the cursor and the line roles); splitting it would split that pass.
"""

from __future__ import annotations

import re

from gdp_rdf.reader.codelists import TEXT_TYPES, CodeLists, Indicator, ValueType, normalise_label
from gdp_rdf.reader.facts import (
    Answer,
    EmptyField,
    Fact,
    Heading,
    LineRole,
    Ranking,
    Status,
    ValueKind,
    WarningKind,
)
from gdp_rdf.reader.lines import PageLines
from gdp_rdf.reader.quickfacts import (
    QuickFact,
    label_only,
    quick_fact,
    unknown_quick_fact,
    value_below,
)
from gdp_rdf.reader.values import Reading, is_number_line, looks_like_value, read_value, year, years

_COLUMNS = {
    "ratification year": "period",
    "acceptance year": "period",
    "recommendation year": "period",
    "observation date": "observed",
    "year adopted": "adopted",
    "last amended": "amended",
    "name": "name",
}
# Without printed column headers a table row is still: text, first year, observation year.
_DEFAULT_COLUMNS = {
    ValueType.INSTRUMENT: ("period", "observed"),
    ValueType.RECOMMENDATION: ("period", "observed"),
}
_TRAILING_YEAR = re.compile(r"^(?P<text>.*?)\s+(?P<year>1[89]\d\d|20\d\d)$", re.DOTALL)
# Treaty-body texts number their paragraphs: "35.While noting ...", "36. The State party ...".
_PARAGRAPH = re.compile(r"(?<![\w.])\d{1,3}\.\s?(?=[A-Z“\"(])")


def is_generic_heading(text: str) -> bool:
    """An ALL-CAPS line the code list does not know yet is still a section heading."""
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 6
        and all(c.isupper() for c in letters)
        and not looks_like_value(text)
        and not re.search(r"\d", text.replace("COVID-19", ""))
    )


def _strip_trailing_year(text: str) -> tuple[str, int | None]:
    match = _TRAILING_YEAR.match(text)
    return (match["text"].rstrip(" ,"), int(match["year"])) if match else (text, None)


class SectionReader(PageLines):
    """State and steps shared by the page reader: the facts of the sections."""

    def __init__(self, codes: CodeLists) -> None:
        super().__init__()
        self.codes = codes
        self.facts: list[Fact] = []
        self.section: str | None = None
        self.subsection: str | None = None

    def empty_field(self, number: int, label: str, indicator: Indicator | None) -> None:
        """A label printed with no value: recognised, recorded, not a fact."""
        self.roles[number] = LineRole.EMPTY_FIELD
        self.empty_fields.append(
            EmptyField(
                self.section,
                label,
                indicator.code if indicator else _unreviewed_key(label),
                indicator is not None,
                number,
            )
        )

    def label_only_item(self, index: int) -> int | None:
        """ "Label:" alone: a value on the next line, or an empty field; None if not a label."""
        number, text = self.items[index]
        found = label_only(self.codes, text)
        if found is None:
            return None
        label, indicator = found
        if indicator is None:
            return None
        following = self.text_at(index + 1)
        below = value_below(self.codes, label, indicator, following) if following else None
        if below is not None:
            return self.quick_fact_item(index, below, value_at=index + 1)
        self.empty_field(number, label, indicator)
        return index + 1

    def heading(self, number: int, text: str, known: bool) -> None:
        self.roles[number] = LineRole.HEADING
        level = 2 if text.startswith(">") else 1
        clean = text.lstrip("> ").strip() if level == 2 else text
        self.headings.append(Heading(number, clean, level, known))
        if level == 1:
            self.section, self.subsection = text, None
        else:
            self.subsection = clean
        if not known:
            self.warn(
                WarningKind.UNKNOWN_HEADING, number, f"heading not in the code list: {text!r}"
            )

    def _boundary(self, index: int) -> bool:
        """Lines that end a series or table: labels, headings, markers."""
        text = self.items[index][1]
        return bool(
            self.codes.indicator_for_label(text)
            or self.codes.section_for_heading(text)
            or text.startswith("> ")
            or is_generic_heading(text)
            or normalise_label(text) in _COLUMNS
            or quick_fact(self.codes, text)
            or re.match(r"^(Last updated|Profile Updated)\s*:", text, re.IGNORECASE)
            or normalise_label(text) in ("overview", "read more…", "read more...")
        )

    # -- one item of a section -----------------------------------------------------------------

    def section_item(self, index: int) -> int:
        number, text = self.items[index]
        if text.startswith("> "):
            self.heading(number, text, known=self.codes.section_for_heading(text) is not None)
            return index + 1
        if normalise_label(text) in _COLUMNS:
            self.roles[number] = LineRole.FURNITURE  # a column header outside a table
            return index + 1
        if (inline := quick_fact(self.codes, text)) is not None:
            return self.quick_fact_item(index, inline)
        if (after := self.label_only_item(index)) is not None:
            return after
        if self._in_quick_facts() and (unknown := unknown_quick_fact(text)) is not None:
            self.warn(
                WarningKind.UNKNOWN_LABEL, number, f"label not in the code list: {unknown.label!r}"
            )
            return self.quick_fact_item(index, unknown)
        indicator = self.codes.indicator_for_label(text)
        if indicator is not None:
            return self._labelled(index, indicator)
        following = self.text_at(index + 1)
        if following is not None and looks_like_value(following) and not self._boundary(index + 1):
            return self._labelled(index, None)
        self.unrecognised(number, text)
        return index + 1

    def _in_quick_facts(self) -> bool:
        section = self.codes.section_for_heading(self.section) if self.section else None
        return section is not None and section.code == "quick-facts"

    def quick_fact_item(self, index: int, inline: QuickFact, value_at: int | None = None) -> int:
        number = self.items[index][0]
        value_line = self.items[value_at][0] if value_at is not None else number
        self.add_series_fact(
            inline.label,
            inline.indicator,
            inline.value,
            tuple(dict.fromkeys((number, value_line))),
            inline.period,
            value_line=value_line,
            raw=inline.raw,
            note=inline.note,
        )
        return (value_at if value_at is not None else index) + 1

    def _labelled(self, index: int, indicator: Indicator | None) -> int:
        number, label = self.items[index]
        if indicator is None:
            self.warn(WarningKind.UNKNOWN_LABEL, number, f"label not in the code list: {label!r}")
        value_type = indicator.value_type if indicator else ValueType.UNKNOWN
        columns: list[str] = []
        cursor = index + 1
        while (text := self.text_at(cursor)) is not None and normalise_label(text) in _COLUMNS:
            columns.append(_COLUMNS[normalise_label(text)])
            self.roles[self.items[cursor][0]] = LineRole.FURNITURE
            cursor += 1
        self.roles[number] = LineRole.FACT
        columns = (
            [c for c in columns if c != "name"]
            if columns
            else list(_DEFAULT_COLUMNS.get(value_type, ()))
        )
        if columns:
            end = self._table(cursor, label, indicator, value_type, tuple(columns), number)
        else:
            end = self._series(cursor, label, indicator, value_type, number)
        if end == cursor and not columns:
            self.empty_field(number, label, indicator)
        return end

    # -- series ------------------------------------------------------------------------------

    def _series_tokens(self, start: int, value_type: ValueType) -> int:
        """Index after the last line that belongs to the series starting at ``start``."""
        cursor = start
        textual = value_type in TEXT_TYPES
        while cursor < len(self.items) and not self._boundary(cursor):
            text = self.items[cursor][1]
            dated = year(text) is not None or years(text) is not None
            if textual and not dated:
                previous = self.text_at(cursor - 1) if cursor > start else None
                following = self.text_at(cursor + 1)
                after_row = previous is not None and (year(previous) or years(previous))
                next_is_year = following is not None and (year(following) or years(following))
                if cursor != start and not (after_row and next_is_year):
                    break
            elif not textual and not looks_like_value(text):
                break
            cursor += 1
        return cursor

    def _series(
        self,
        start: int,
        label: str,
        indicator: Indicator | None,
        value_type: ValueType,
        label_line: int,
    ) -> int:
        end = self._series_tokens(start, value_type)
        pending: tuple[str, list[int]] | None = None

        def flush(period_years: tuple[int, ...] = (), year_line: int | None = None) -> None:
            nonlocal pending
            assert pending is not None
            text, lines = pending
            if year_line is not None:
                lines.append(year_line)
            self.add_series_fact(label, indicator, text, (label_line, *lines), None, period_years)
            pending = None

        for number, text in self.items[start:end]:
            self.roles[number] = LineRole.FACT
            found = year(text)
            dated = (found,) if found is not None else years(text)
            if dated:
                if pending is not None:
                    flush(dated, number)
                else:
                    self.add_series_fact(label, indicator, None, (label_line, number), None, dated)
                continue
            if pending is not None:
                if self._is_score(pending[0], text, value_type):
                    pending = (f"{pending[0]} ({text})", [*pending[1], number])
                    continue
                flush()
            pending = (text, [number])
            reading = read_value(text, value_type)
            if reading.kind is ValueKind.ANSWER and len(reading.years) >= 2:
                flush()  # "Yes (citation) 1995 2017": the row carries its own years
        if pending is not None:
            flush()
        return end

    def _is_score(self, previous: str, text: str, value_type: ValueType) -> bool:
        """The newest pages split "90 (1.6)" into "90" and "1.6" lines."""
        if value_type is not ValueType.RANKING or not is_number_line(text):
            return False
        reading = read_value(previous, value_type)
        return (
            isinstance(reading.value, Ranking)
            and reading.value.category is None
            and (reading.value.score is None)
        )

    def add_series_fact(
        self,
        label: str,
        indicator: Indicator | None,
        text: str | None,
        lines: tuple[int, ...],
        period: int | None,
        dated: tuple[int, ...] = (),
        value_line: int | None = None,
        raw: str | None = None,
        note: str | None = None,
    ) -> None:
        """Record one value of a series (or a year printed without one).

        ``lines`` starts with the label's line; ``value_line`` defaults to the line after it;
        ``raw`` is the value as printed when it differs from the ``text`` read.
        """
        value_type = indicator.value_type if indicator else ValueType.UNKNOWN
        for number in lines:
            self.roles[number] = LineRole.FACT
        if text is None:
            reading = Reading(ValueKind.NONE, None, Status.YEAR_ONLY)
        else:
            reading = read_value(text, value_type)
            if not reading.expected:
                self.warn(
                    WarningKind.UNEXPECTED_VALUE,
                    value_line or lines[min(1, len(lines) - 1)],
                    f"{text[:60]!r} is not a {value_type.value} value for {label!r}",
                )
        own = reading.years
        adopted = reading.adopted
        if len(own) >= 2:
            adopted, period = own[0], own[-1]
        elif len(own) == 1:
            period = own[0]
        if len(dated) >= 2:
            adopted, period = dated[0], dated[-1]
        elif len(dated) == 1:
            period = dated[0]
        self._add(
            label,
            indicator,
            reading,
            raw or text,
            lines,
            value_line,
            period=period,
            adopted=adopted,
            amended=reading.amended,
            note="; ".join(filter(None, (reading.note, note))) or None,
        )

    def _add(
        self,
        label: str,
        indicator: Indicator | None,
        reading: Reading,
        text: str | None,
        lines: tuple[int, ...],
        value_line: int | None = None,
        *,
        period: int | None = None,
        observed: int | None = None,
        adopted: int | None = None,
        amended: int | None = None,
        subject: str | None = None,
        note: str | None = None,
    ) -> None:
        """One fact of the current section, from its label, reading and source lines."""
        self.facts.append(
            Fact(
                section=self.section,
                subsection=self.subsection,
                label=label,
                indicator=indicator.code if indicator else _unreviewed_key(label),
                reviewed=indicator is not None,
                kind=reading.kind,
                value=reading.value,
                raw=text or "",
                status=reading.status,
                parts=reading.parts,
                line=value_line or lines[min(1, len(lines) - 1)],
                lines=tuple(sorted(set(lines))),
                period=period,
                observed=observed,
                adopted=adopted,
                amended=amended,
                subject=subject,
                note=note,
            )
        )

    # -- tables ------------------------------------------------------------------------------

    def _table(
        self,
        start: int,
        label: str,
        indicator: Indicator | None,
        value_type: ValueType,
        columns: tuple[str, ...],
        label_line: int,
    ) -> int:
        cursor = start
        while cursor < len(self.items) and not self._boundary(cursor):
            number, text = self.items[cursor]
            row_text: str | None = None
            lines = [number]
            if year(text) is None:
                row_text = text
                cursor += 1
            else:
                lines = []
            dates: list[int] = []
            while (
                len(dates) < len(columns)
                and cursor < len(self.items)
                and (found := year(self.items[cursor][1])) is not None
            ):
                dates.append(found)
                lines.append(self.items[cursor][0])
                cursor += 1
            for line in lines:
                self.roles[line] = LineRole.FACT
            roles = dict(zip(columns, dates, strict=False))
            self._row(label, indicator, value_type, row_text, roles, (label_line, *lines))
        return cursor

    def _row(
        self,
        label: str,
        indicator: Indicator | None,
        value_type: ValueType,
        text: str | None,
        roles: dict[str, int],
        lines: tuple[int, ...],
    ) -> None:
        subject: str | None = None
        note: str | None = None
        embedded: int | None = None
        if text is None:
            reading = Reading(ValueKind.NONE, None, Status.YEAR_ONLY)
        elif value_type is ValueType.INSTRUMENT:
            name, embedded = _strip_trailing_year(text)
            instrument = self.codes.instrument_for_row(name)
            if instrument is None:
                self.warn(
                    WarningKind.UNKNOWN_CODE,
                    lines[1],
                    f"instrument not in the code list: {name[:80]!r}",
                )
                reading = Reading(ValueKind.TEXT, name, Status.PRESENT)
            else:
                subject = instrument.code
                note = name
                reading = Reading(ValueKind.INSTRUMENT, instrument.code, Status.PRESENT)
        elif value_type is ValueType.RECOMMENDATION:
            body, rest = self._body(text)
            rest, embedded = _strip_trailing_year(rest)
            paragraph = _PARAGRAPH.search(rest)
            if paragraph is not None and paragraph.start() > 0:
                note, rest = rest[: paragraph.start()].strip(), rest[paragraph.start() :]
            subject = body
            if body is None:
                self.warn(
                    WarningKind.UNKNOWN_CODE, lines[1], f"treaty body not recognised: {text[:60]!r}"
                )
            reading = Reading(ValueKind.TEXT, rest, Status.PRESENT)
        else:
            reading = read_value(text, value_type)
            if reading.years:
                embedded = reading.years[0]
            note = reading.note
        period = roles.get("period") or embedded or roles.get("observed")
        self._add(
            label,
            indicator,
            reading,
            text,
            lines,
            period=period,
            observed=roles.get("observed"),
            adopted=roles.get("adopted"),
            amended=roles.get("amended"),
            subject=subject,
            note=note,
        )

    def _body(self, text: str) -> tuple[str | None, str]:
        found = self.codes.body_for_text(text)
        if found is None:
            return None, text
        printed = found[1]
        return printed, text[len(printed) :].strip()


def _unreviewed_key(label: str) -> str:
    """Indicator key for a label the code list does not know: a slug of the label."""
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_label(label)).strip("-")
    return f"unreviewed-{slug[:60] or 'label'}"


__all__ = ["Answer", "QuickFact", "SectionReader", "is_generic_heading", "quick_fact"]
