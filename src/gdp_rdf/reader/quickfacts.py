"""Quick Facts lines of the older page generations -> value text, year and note (pure).

2016-2020 pages print "Label (year): value"; the 2008-2014 old site prints "Label: value (year)",
the year sometimes with words ("(end of 2007)", "(as of June 2007)", "(March 2012)") or an
unfilled placeholder ("(YEAR)"), and sometimes the value on the line after "Label:". The c2015
redesign prints the labels alone ("• Immigration detainees:"): recognised empty fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gdp_rdf.reader.codelists import CodeLists, Indicator
from gdp_rdf.reader.values import looks_like_value

_BULLET = re.compile(r"^[•·▪]\s*")
_INLINE_YEAR = re.compile(r"^(?P<label>[^:]{3,90}?) \((?P<year>\d{4})\): (?P<value>.+)$")
_LABEL_VALUE = re.compile(r"^(?P<label>[^:]{3,100}?)\s*:\s+(?P<value>\S.*)$")
_LABEL_ONLY = re.compile(r"^(?P<label>[^:]{3,100}?)\s*:$")
_WHEN = re.compile(r"^(?P<value>.*?)\s*\((?P<when>[^()]*)\)$")
_A_YEAR = re.compile(r"(?a)\b(1[89]\d\d|20\d\d)\b")
_PLACEHOLDER = "year"  # "unknown (YEAR)": the old site's template left unfilled


@dataclass(frozen=True, slots=True)
class QuickFact:
    """One Quick Facts value: its label and indicator, the value text and its year."""

    indicator: Indicator | None  # None: a label the code list does not know (yet)
    label: str
    value: str  # the value to read ("unknown", "46,500", "32 days")
    raw: str  # the value as printed, with its parenthesis ("46,500 (as of June 2007)")
    period: int | None
    note: str | None  # the parenthesis when it says more than the year ("end of 2007", "YEAR")


def split_when(value: str) -> tuple[str, int | None, str | None]:
    """ "46,500 (as of June 2007)" -> ("46,500", 2007, "as of June 2007"); other text unchanged."""
    match = _WHEN.match(value)
    if match is None or not match["value"]:
        return value, None, None
    when = match["when"].strip()
    found = _A_YEAR.findall(when)
    if found:
        return match["value"].strip(), int(found[-1]), None if when == found[-1] else when
    if when.casefold() == _PLACEHOLDER:
        return match["value"].strip(), None, when
    return value, None, None  # a parenthesis that belongs to the value


def quick_fact(codes: CodeLists, text: str) -> QuickFact | None:
    """Read an inline Quick Facts line, if its label is a known indicator."""
    text = _BULLET.sub("", text)
    match = _INLINE_YEAR.match(text)
    if match is not None and (indicator := codes.indicator_for_label(match["label"])):
        value = match["value"]
        return QuickFact(indicator, match["label"], value, value, int(match["year"]), None)
    match = _LABEL_VALUE.match(text)
    if match is not None and (indicator := codes.indicator_for_label(match["label"])):
        value, period, note = split_when(match["value"])
        return QuickFact(indicator, match["label"], value, match["value"], period, note)
    return None


def unknown_quick_fact(text: str) -> QuickFact | None:
    """A Quick Facts line whose label the code list does not know: "Label: 12 (2010)".

    Only a value that reads as one (a number, a missing-value word, a year in parentheses)
    makes it a fact, so a sentence with a colon is never taken for one.
    """
    match = _LABEL_VALUE.match(_BULLET.sub("", text))
    if match is None:
        return None
    value, period, note = split_when(match["value"])
    if period is None and not looks_like_value(value):
        return None
    return QuickFact(None, match["label"].strip(), value, match["value"], period, note)


def label_only(codes: CodeLists, text: str) -> tuple[str, Indicator | None] | None:
    """ "• Immigration detainees:" / "Persons expelled :" -> the label and its indicator."""
    match = _LABEL_ONLY.match(_BULLET.sub("", text))
    if match is None:
        return None
    label = match["label"].strip()
    return label, codes.indicator_for_label(label)


def value_below(codes: CodeLists, label: str, indicator: Indicator, line: str) -> QuickFact | None:
    """ "Annual Number of Deportations:" then "6,768 (2007)": the value on the next line."""
    value, period, note = split_when(line)
    if period is None and note is None:
        return None
    return QuickFact(indicator, label, value, line, period, note)
