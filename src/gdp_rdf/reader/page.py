"""Page text -> `Profile` (pure; no rdflib).

A GDP profile page, as saved text, is: optional "# source:" / "# partial:" header lines, the
country name, a headline block (questions with answers, and value/label/year statistics), an
overview, update teasers, "Last updated:", then ALL-CAPS sections holding indicator series (a
label, then value/year pairs) and tables (treaties, complaints, recommendations). Page
generations differ (see data/codelists/ and INDICATORS.md); the reader follows the markers
rather than fixed positions, so cut or re-ordered copies still yield what they hold.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gdp_rdf.errors import ParseError
from gdp_rdf.reader.codelists import Indicator, ValueType, load_codelists, normalise_label
from gdp_rdf.reader.countries import find_country
from gdp_rdf.reader.domains import check_domains
from gdp_rdf.reader.facts import (
    Fact,
    Heading,
    LineRole,
    PageGeneration,
    ParseWarning,
    Profile,
    Status,
    ValueKind,
    WarningKind,
)
from gdp_rdf.reader.files import read_text
from gdp_rdf.reader.generations import page_parts
from gdp_rdf.reader.sections import is_generic_heading, quick_fact
from gdp_rdf.reader.teasers import READ_MORE, TeaserReader, month
from gdp_rdf.reader.values import looks_like_value, read_answer, year
from gdp_rdf.vocab import safe_iri

_HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z][\w-]*)\s*:\s*(?P<value>.*)$")
_LAST_UPDATED = re.compile(r"^(?:Last updated|Profile Updated)\s*:\s*(?P<date>.*)$", re.IGNORECASE)

_EXCERPT = re.compile(r"^EXCERPT FROM\s*:", re.IGNORECASE)
_NARRATIVE_TITLE = re.compile(r"^.{2,60} Immigration Detention Profile$")
_OVERVIEW = "overview"
_LEGEND_TITLE = "types of facilities used for migration-related detention"
_LEGEND = "administrative ad hoc criminal unknown"
# Page titles: the c2015 / 2016-2020 title over the blurb, and the titles over the narrative
# profile of every older generation ("Mexico Detention Profile*", "Immigration Detention in Spain").
_TITLE = re.compile(
    r"^(?:(?P<country>.{2,70}?) (?P<kind>Immigration Detention Profile|Immigration Detention"
    r"|Detention Profile\*?|Country Profile)|Immigration Detention in (?P<country_in>.{2,60}))$"
)
_QUICK_FACTS_OF = re.compile(r"^(?:Quick Facts: (?P<a>.{2,60})|(?P<b>.{2,60}) Quick Facts)$")


_SPACES = re.compile(r"\s+")


def _clean(line: str) -> str:
    # Every character \s matches but the space is unprintable (checked over all of Unicode),
    # so a printable line without two spaces in a row has nothing to collapse: most lines.
    if line.isprintable() and "  " not in line:
        return line.strip(" ")
    return _SPACES.sub(" ", line).strip()  # \s covers the no-break space too


class _Page(TeaserReader):
    """One pass over the content lines, switching mode at the page's markers."""

    def __init__(self, text: str, source: str) -> None:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        super().__init__(load_codelists())
        self.source = source
        self.source_url: str | None = None
        self.partial = False
        self.country: str | None = None
        self.last_updated: str | None = None
        self.overview: list[str] = []
        self.narrative: list[str] = []
        self.date_line: int | None = None  # the first "Last updated:" / "Profile Updated:"
        self.profile_updated = False
        self.first_redesign = False
        self.value_first: bool | None = None  # headline printed value before label (2020-22)
        started = False
        for number, raw in enumerate(lines, start=1):
            text_line = _clean(raw)
            if not text_line:
                continue
            header = _HEADER.match(text_line) if not started else None
            if header:
                self._header(number, header["key"].casefold(), header["value"].strip())
                continue
            started = True
            self.items.append((number, text_line))

    def _header(self, number: int, key: str, value: str) -> None:
        self.roles[number] = LineRole.HEADER
        if key == "source" and value.startswith(("http://", "https://")) and safe_iri(value):
            self.source_url = value
        elif key == "source":
            self.warn(WarningKind.UNEXPECTED_VALUE, number, f"ignored source URL {value[:80]!r}")
        elif key == "partial":
            self.partial = True

    # -- page structure ----------------------------------------------------------------------

    def read(self) -> None:
        start = self._country()
        mode = "headline"
        index = start
        teaser_lines: list[tuple[int, str]] = []
        while index < len(self.items):
            number, text = self.items[index]
            key = normalise_label(text)
            if mode == "teasers" and not self._ends_teasers(index):
                teaser_lines.append((number, text))
                index += 1
                continue
            if teaser_lines:
                self._teasers(teaser_lines)
                teaser_lines = []
            marker = self._marker(index, key, mode)
            if marker is not None:
                mode, index = marker
                continue
            if mode == "overview":
                self.overview.append(text)
                self.roles[number] = LineRole.OVERVIEW
                index += 1
            elif mode == "narrative":
                self.narrative.append(text)
                self.roles[number] = LineRole.NARRATIVE
                index += 1
            elif mode == "headline":
                if text.endswith(("[…]", "[...]")):
                    mode = "teasers"  # a copy that starts in the teasers (no headline)
                    continue
                index = self._headline(index)
            else:
                index = self.section_item(index)
        if teaser_lines:
            self._teasers(teaser_lines)

    def _marker(self, index: int, key: str, mode: str) -> tuple[str, int] | None:
        """Handle a line that switches the reader's mode; None for ordinary lines."""
        number, text = self.items[index]
        if key == _OVERVIEW and mode in ("headline", "overview"):
            self.roles[number] = LineRole.FURNITURE
            return "overview", index + 1
        if key == _LEGEND_TITLE:
            self.roles[number] = LineRole.FURNITURE
            following = self.text_at(index + 1)
            if following is not None and normalise_label(following) == _LEGEND:
                self.roles[self.items[index + 1][0]] = LineRole.FURNITURE
                index += 1
            return "teasers", index + 1
        if (updated := _LAST_UPDATED.match(text)) is not None:
            self._page_date(number, text, updated["date"])
            return "sections", index + 1
        if key in READ_MORE or key == _LEGEND or self._is_boilerplate(number, text):
            self.roles.setdefault(number, LineRole.FURNITURE)
            return mode, index + 1
        if _EXCERPT.match(text):
            self.roles[number] = LineRole.FURNITURE
            return "narrative", index + 1
        if mode != "narrative" and (title := self._title_match(text)) is not None:
            return self._title(number, title, mode), index + 1
        section = self.codes.section_for_heading(text)
        if section is not None and (of := _QUICK_FACTS_OF.match(text)) is not None:
            self.country = self.country or of["a"] or of["b"]
        generic = mode == "sections" and section is None and is_generic_heading(text)
        if section is not None or generic:
            self.heading(number, text, known=section is not None)
            return "sections", index + 1
        if mode in ("headline", "overview", "teasers") and self._starts_series(index):
            return "sections", index
        return None

    def _page_date(self, number: int, text: str, date: str) -> None:
        self.roles[number] = LineRole.METADATA
        self.last_updated = month(date) or self.last_updated
        if self.date_line is None:
            self.date_line = number
            self.profile_updated = text.casefold().startswith("profile updated")

    def _is_boilerplate(self, number: int, text: str) -> bool:
        """A line of the reviewed boilerplate table (data/codelists/boilerplate.csv)."""
        boilerplate = self.codes.boilerplate_for(text)
        if boilerplate is None:
            return False
        self.roles[number] = LineRole.BOILERPLATE
        self.first_redesign |= PageGeneration.FIRST_REDESIGN in boilerplate.generations
        return True

    def _title_match(self, text: str) -> re.Match[str] | None:
        """A page title names a known country, or is a profile's title ("... Profile")."""
        title = _TITLE.match(text)
        if title is None or self.codes.indicator_for_label(text) is not None:
            return None
        printed = title["country"] or title["country_in"]
        profile = title["kind"] is None or title["kind"].startswith(("Detention", "Country"))
        known = find_country(printed) is not None
        return title if known or profile or title["kind"].endswith("Profile") else None

    def _title(self, number: int, title: re.Match[str], mode: str) -> str:
        """A page title: over the blurb before the page's date, over the narrative after it."""
        self.roles[number] = LineRole.TITLE
        printed = title["country"] or title["country_in"]
        if self.country is None and find_country(printed) is not None:
            self.country = printed
        dated = self.date_line is not None or mode == "sections"
        return "overview" if title["kind"] == "Immigration Detention" and not dated else "narrative"

    def _starts_series(self, index: int) -> bool:
        """A section label followed by a value: the copy jumped into the sections."""
        text = self.items[index][1]
        following = self.text_at(index + 1)
        return (
            self.codes.indicator_for_label(text) is not None
            and not self.codes.is_headline_label(text)
            and following is not None
            and looks_like_value(following)
        ) or quick_fact(self.codes, text) is not None

    def _ends_teasers(self, index: int) -> bool:
        text = self.items[index][1]
        return bool(
            _LAST_UPDATED.match(text)
            or self.codes.section_for_heading(text)
            or _EXCERPT.match(text)
            or _NARRATIVE_TITLE.match(text)
            or self._starts_series(index)
        )

    def _country(self) -> int:
        """Read the country line, if the copy has one; return where the headline starts."""
        if not self.items:
            return 0
        number, text = self.items[0]
        following = self.text_at(1)
        if self._is_structure(text) or text.endswith(("[…]", "[...]")):
            return 0
        known = find_country(text) is not None
        leads_into_page = following is not None and (
            self._is_structure(following) or looks_like_value(following)
        )
        if known or (leads_into_page and len(text) <= 60 and not looks_like_value(text)):
            self.country = text
            self.roles[number] = LineRole.COUNTRY
            return 1
        return 0

    def _is_structure(self, text: str) -> bool:
        key = normalise_label(text)
        return bool(
            key in (_OVERVIEW, _LEGEND_TITLE, _LEGEND)
            or key in READ_MORE
            or self.codes.boilerplate_for(text) is not None
            or self.codes.indicator_for_label(text)
            or self.codes.section_for_heading(text)
            or _LAST_UPDATED.match(text)
        )

    # -- headline block ----------------------------------------------------------------------

    def _headline(self, index: int) -> int:
        number, text = self.items[index]
        indicator = self.codes.indicator_for_label(text)
        following = self.text_at(index + 1)
        if (fact := quick_fact(self.codes, text)) is not None:
            return self.quick_fact_item(index, fact)
        if indicator is not None and indicator.value_type is ValueType.ANSWER:
            if following is not None and (read_answer(following) or looks_like_value(following)):
                return self._headline_stat(index, index, index + 1, indicator)
            self.empty_field(number, text, indicator)  # a question printed without its answer
            return index + 1
        label_first = (
            following is not None and looks_like_value(following) and year(following) is None
        )
        if indicator is not None and label_first:
            return self._headline_stat(index, index, index + 1, indicator)
        if looks_like_value(text) and year(text) is None and following is not None:
            label = self.codes.indicator_for_label(following)
            if label is not None or self._could_be_label(following):
                return self._headline_stat(index, index + 1, index, label)
        if indicator is None and label_first and self._could_be_label(text):
            return self._headline_stat(index, index, index + 1, None)
        if indicator is not None:
            self.empty_field(number, text, indicator)  # a label printed without a value
            return index + 1
        if (after := self.label_only_item(index)) is not None:
            return after
        self.unrecognised(number, text)
        return index + 1

    def _could_be_label(self, text: str) -> bool:
        return (
            len(text) <= 80
            and not looks_like_value(text)
            and not self._is_structure(text)
            and not text.endswith((".", "[…]", ":"))
        )

    def _headline_stat(
        self, start: int, label_at: int, value_at: int, indicator: Indicator | None
    ) -> int:
        """A headline statistic: label and value in either order, then an optional year."""
        label = self.items[label_at][1]
        value_number, value_text = self.items[value_at]
        if self.value_first is None:
            self.value_first = value_at < label_at
        after = max(label_at, value_at) + 1
        period_text = self.text_at(after)
        period = year(period_text) if period_text is not None else None
        lines = [self.items[start][0], self.items[start + 1][0]]
        if period is not None:
            lines.append(self.items[after][0])
            after += 1
        self.add_series_fact(
            label, indicator, value_text, tuple(lines), period, value_line=value_number
        )
        return after


def parse_profile(text: str, source: str = "<string>") -> Profile:
    """Read the text of one GDP country-profile page into a `Profile`.

    A copy cut short yields the facts it holds. Lines the reader cannot place are kept
    in ``line_roles`` as unrecognised and reported as warnings, never dropped silently.

    Raises:
        ParseError: the text is empty or is not a GDP country profile.
    """
    text = text.removeprefix("\ufeff")
    page = _Page(text, source)
    page.read_all(source, "empty profile: no text after the header lines")
    recognised = any(
        role not in (LineRole.UNRECOGNISED, LineRole.HEADER) for role in page.roles.values()
    )
    if not recognised or (not page.facts and not page.headings and page.country is None):
        raise ParseError(
            "not a GDP country profile: no country name, section heading or indicator label found",
            source,
            page.items[0][0],
        )
    generation, parts = page_parts(page)
    facts, out_of_range = check_domains(page.facts, page.codes, parts)
    page.warnings.extend(out_of_range)
    return Profile(
        source=source,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        country=page.country,
        source_url=page.source_url,
        partial=page.partial,
        last_updated=page.last_updated,
        overview=" ".join(page.overview) or None,
        teasers=tuple(page.teasers),
        narrative=tuple(page.narrative),
        headings=tuple(page.headings),
        facts=facts,
        warnings=tuple(sorted(page.warnings, key=lambda w: w.line)),
        line_roles=tuple(sorted(page.roles.items())),
        generation=generation,
        parts=parts,
        empty_fields=tuple(page.empty_fields),
    )


def read_profile(path: Path) -> Profile:
    """Read and parse one profile file.

    Raises:
        ParseError: the file is missing, unreadable, binary, not UTF-8, empty, or not a profile.
    """
    return parse_profile(read_text(path), source=str(path))


__all__ = [
    "Fact",
    "Heading",
    "ParseError",
    "ParseWarning",
    "Profile",
    "Status",
    "ValueKind",
    "WarningKind",
    "parse_profile",
    "read_profile",
]
