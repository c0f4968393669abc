"""Value text -> typed value: numbers, answers, rankings, ratios, days, laws (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gdp_rdf.reader.codelists import NUMERIC_TYPES, ValueType
from gdp_rdf.reader.facts import Answer, Ranking, Ratio, Status, Value, ValueKind

# Counts of 1,000 or more are always printed with separators, so a bare four-digit number is a
# year. Plausible years only: a profile never talks about anything before 1800.
_YEAR = re.compile(r"(?a)^(1[89]\d\d|20\d\d)$")
_YEARS = re.compile(r"(?a)^(?:1[89]\d\d|20\d\d)(?: (?:1[89]\d\d|20\d\d))+$")
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER = re.compile(rf"(?a)^(?P<cur>\$\s?)?(?P<num>-?{_NUM})\s?(?P<pct>%)?$")
_NUMBERISH = re.compile(r"(?a)^\$?\s?-?\d[\d.,\s]*%?$")
_RANKING = re.compile(r"(?a)^(?P<rank>\d+)\s*\((?P<inner>[^()]+)\)$")
_DAYS = re.compile(r"(?a)^Number of Days:\s*(?P<days>\d+)$", re.IGNORECASE)
_RATIO = re.compile(r"(?a)^(?:Ratio:\s*)?(?P<num>\d+)\s*/\s*(?P<den>\d+)$", re.IGNORECASE)
# Old-site forms: "2.1 percent", "32 days", "max. 30 days", "unlimited" (a maximum length).
_PERCENT_WORD = re.compile(rf"(?a)^(?P<num>{_NUM})\s+percent$", re.IGNORECASE)
_DAYS_WORD = re.compile(r"(?a)^(?:(?P<max>max\.)\s*)?(?P<days>\d[\d,]*)\s+days?$", re.IGNORECASE)
_UNLIMITED = {"unlimited", "no limit"}
_LAW = re.compile(r"(?a)^(?P<name>.*?)\s*\((?P<adopted>\d{4})\)\s*(?P<amended>\d{4})?$")

_MISSING = {
    "not available": Status.NOT_AVAILABLE,
    "n/a": Status.NOT_AVAILABLE,
    "no data": Status.NO_DATA,
    "unknown": Status.UNKNOWN,
}
# Longest first, so "No Limit" is not read as "No" and "Yes but have restarted" not as "Yes".
_ANSWERS = (
    ("yes but have restarted", Answer.YES_BUT_RESTARTED),
    ("infrequently", Answer.INFREQUENTLY),
    ("no limit", Answer.NO_LIMIT),
    ("rarely", Answer.RARELY),
    ("unknown", Answer.UNKNOWN),
    ("yes", Answer.YES),
    ("no", Answer.NO),
)
_PART_WORDS = {word: answer for word, answer in _ANSWERS if " " not in word}
# Numbers as printed; ranks and days have readers of their own.
_NUMERIC = NUMERIC_TYPES - {ValueType.RANKING, ValueType.DAYS}


@dataclass(frozen=True, slots=True)
class Reading:
    """A value line read against the type its indicator expects."""

    kind: ValueKind
    value: Value | None
    status: Status
    note: str | None = None
    parts: tuple[Answer, ...] = ()
    years: tuple[int, ...] = ()  # years printed after the value on the same line
    adopted: int | None = None
    amended: int | None = None
    expected: bool = True  # False: the text does not fit the indicator's value type


def year(text: str) -> int | None:
    """The year a line holds, if the whole line is one plausible year."""
    return int(text) if _YEAR.match(text) else None


def years(text: str) -> tuple[int, ...] | None:
    """The years of a line holding two or more years ("1995 2018")."""
    return tuple(int(y) for y in text.split()) if _YEARS.match(text) else None


def missing_status(text: str) -> Status | None:
    """The status a missing-value word stands for ("Not Available", "No Data", "Unknown")."""
    return _MISSING.get(text.strip().casefold())


def looks_like_value(text: str) -> bool:
    """True when a line can only be a value or a year, never a label or heading."""
    return bool(
        year(text) is not None
        or years(text)
        or missing_status(text)
        or _NUMBERISH.match(text)
        or _RANKING.match(text)
        or _DAYS.match(text)
        or _RATIO.match(text)
        or _answer_prefix(text)
    )


def is_number_line(text: str) -> bool:
    """A plain number, as a ranking's score printed on its own line."""
    return bool(_NUMBER.match(text))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _answer_prefix(text: str) -> tuple[Answer, str] | None:
    folded = text.casefold()
    for word, answer in _ANSWERS:
        if folded.startswith(word):
            rest = text[len(word) :]
            if not rest or rest[0] in " (":
                return answer, rest.strip()
    return None


def _balanced(text: str) -> tuple[str, str]:
    """Split "(inside (nested)) rest" into its parenthesised part and the rest."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[1:index].strip(), text[index + 1 :].strip()
    return text[1:].strip(), ""  # unbalanced: the page cut the citation short


def read_answer(text: str) -> Reading | None:
    """ "Yes", "No (Unknown) Unknown Unknown", "Yes (citation) 1995 2017", "No 2010"."""
    if missing_status(text) not in (None, Status.UNKNOWN):
        return None  # "No Data" is a missing value, not the answer No
    found = _answer_prefix(text)
    if found is None:
        return None
    answer, rest = found
    note: str | None = None
    if rest.startswith("("):
        note, rest = _balanced(rest)
    parts: list[Answer] = []
    trailing: list[int] = []
    leftover: list[str] = []
    for token in rest.split():
        if (y := year(token)) is not None and not leftover:
            trailing.append(y)
        elif token.casefold() in _PART_WORDS and not trailing and not leftover:
            parts.append(_PART_WORDS[token.casefold()])
        else:
            leftover.append(token)
    if leftover:
        note = " ".join(filter(None, [note, " ".join(leftover)]))
    status = Status.UNKNOWN if answer is Answer.UNKNOWN else Status.PRESENT
    return Reading(
        ValueKind.ANSWER,
        answer,
        status,
        note=note or None,
        parts=tuple(parts),
        years=tuple(trailing),
    )


def _read_number(text: str, value_type: ValueType) -> Reading | None:
    match = _NUMBER.match(text)
    if match is None:
        return None
    number = _decimal(match["num"])
    if number is None:
        return None
    if match["pct"] or value_type is ValueType.PERCENTAGE:
        return Reading(ValueKind.PERCENTAGE, number, Status.PRESENT)
    if match["cur"] or value_type in (ValueType.USD, ValueType.USD_MILLIONS):
        return Reading(ValueKind.AMOUNT, number, Status.PRESENT)
    if "." in match["num"]:
        expected = value_type not in (ValueType.COUNT, ValueType.RATE)
        return Reading(ValueKind.DECIMAL, number, Status.PRESENT, expected=expected)
    return Reading(ValueKind.INTEGER, _int(match["num"]), Status.PRESENT)


def _read_ranking(text: str) -> Reading | None:
    match = _RANKING.match(text)
    if match is None:
        return None
    inner = match["inner"].strip()
    score = _decimal(inner) if _NUMBER.match(inner) else None
    ranking = Ranking(int(match["rank"]), None if score is not None else inner, score)
    return Reading(ValueKind.RANKING, ranking, Status.PRESENT)


def _infer(text: str) -> Reading:
    """Read a value whose type is not known in advance."""
    for reader in (
        lambda t: _read_number(t, ValueType.UNKNOWN),
        _read_ranking,
        _read_days,
        _read_ratio,
        read_answer,
    ):
        reading = reader(text)
        if reading is not None:
            return reading
    if _NUMBERISH.match(text):
        return Reading(ValueKind.NONE, None, Status.MALFORMED, expected=False)
    return Reading(ValueKind.TEXT, text, Status.PRESENT)


def _read_days(text: str) -> Reading | None:
    match = _DAYS.match(text)
    return Reading(ValueKind.DAYS, int(match["days"]), Status.PRESENT) if match else None


def _read_ratio(text: str) -> Reading | None:
    match = _RATIO.match(text)
    if match is None:
        return None
    return Reading(ValueKind.RATIO, Ratio(int(match["num"]), int(match["den"])), Status.PRESENT)


def _unexpected(reading: Reading) -> Reading:
    return Reading(
        reading.kind,
        reading.value,
        reading.status,
        reading.note,
        reading.parts,
        reading.years,
        reading.adopted,
        reading.amended,
        expected=False,
    )


def _numeric(text: str, value_type: ValueType) -> Reading | None:
    if (percent := _PERCENT_WORD.match(text)) is not None:
        text = percent["num"] + "%"  # the old site wrote "2.1 percent"
    reading = _read_number(text, value_type) or _read_ranking(text)
    if reading is None and _NUMBERISH.match(text):
        return Reading(ValueKind.NONE, None, Status.MALFORMED, expected=False)
    return reading


def _ranking(text: str, value_type: ValueType) -> Reading | None:
    reading = _read_ranking(text)
    if reading is None and (match := _NUMBER.match(text)) and "." not in match["num"]:
        reading = Reading(ValueKind.RANKING, Ranking(_int(match["num"])), Status.PRESENT)
    return reading


def _days(text: str, value_type: ValueType) -> Reading | None:
    if normalise_word(text) in _UNLIMITED:
        return Reading(ValueKind.ANSWER, Answer.NO_LIMIT, Status.PRESENT)
    if (written := _DAYS_WORD.match(text)) is not None:
        return Reading(ValueKind.DAYS, _int(written["days"]), Status.PRESENT, note=written["max"])
    reading = _read_days(text) or read_answer(text)
    if reading is None and (match := _NUMBER.match(text)) and "." not in match["num"]:
        reading = Reading(ValueKind.DAYS, _int(match["num"]), Status.PRESENT)
    return reading


def _ratio(text: str, value_type: ValueType) -> Reading | None:
    return _read_ratio(text)


def _answer(text: str, value_type: ValueType) -> Reading | None:
    return read_answer(text)


def _legislation(text: str, value_type: ValueType) -> Reading:
    match = _LAW.match(text)
    if match and match["name"]:
        amended = int(match["amended"]) if match["amended"] else None
        return Reading(
            ValueKind.TEXT,
            match["name"],
            Status.PRESENT,
            adopted=int(match["adopted"]),
            amended=amended,
        )
    return Reading(ValueKind.TEXT, text, Status.PRESENT)


def _institution(text: str, value_type: ValueType) -> Reading:
    if text.endswith(")") and " (" in text:
        name, kind = _split_trailing_parenthesis(text)
        return Reading(ValueKind.TEXT, name, Status.PRESENT, note=kind)
    return Reading(ValueKind.TEXT, text, Status.PRESENT)


def _text(text: str, value_type: ValueType) -> Reading:
    return Reading(ValueKind.TEXT, text, Status.PRESENT)


def _unknown_type(text: str, value_type: ValueType) -> Reading:
    if (percent := _PERCENT_WORD.match(text)) is not None:
        return Reading(ValueKind.PERCENTAGE, _decimal(percent["num"]), Status.PRESENT)
    return _infer(text)


# One reader per expected value type; a reader returning None means "does not fit".
_READERS: dict[ValueType, Callable[[str, ValueType], Reading | None]] = {
    **{value_type: _numeric for value_type in _NUMERIC},
    ValueType.RANKING: _ranking,
    ValueType.ANSWER: _answer,
    ValueType.DAYS: _days,
    ValueType.RATIO: _ratio,
    ValueType.LEGISLATION: _legislation,
    ValueType.INSTITUTION: _institution,
    ValueType.TEXT: _text,
    ValueType.LIST: _text,
    ValueType.RECOMMENDATION: _text,
    ValueType.UNKNOWN: _unknown_type,
}


def normalise_word(text: str) -> str:
    """Case and spacing folded, for matching value words ("No  Limit")."""
    return " ".join(text.split()).casefold()


def read_value(text: str, value_type: ValueType) -> Reading:
    """Read one value line as the indicator's value type expects, never guessing a number.

    Text that does not fit the expected type is still read (as what it looks like) and
    comes back with ``expected=False`` so the caller can warn.
    """
    text = text.strip()
    status = missing_status(text)
    if status is not None:
        if value_type is ValueType.ANSWER and status is Status.UNKNOWN:
            return Reading(ValueKind.ANSWER, Answer.UNKNOWN, status)
        return Reading(ValueKind.NONE, None, status)
    reader = _READERS.get(value_type)
    reading = reader(text, value_type) if reader is not None else None
    if reading is not None:
        return reading
    return _unexpected(_infer(text))


def _split_trailing_parenthesis(text: str) -> tuple[str, str | None]:
    """ "Name (Type (NHRI))" -> ("Name", "Type (NHRI)")."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return text[:index].strip(), text[index + 1 : -1].strip() or None
    return text, None
