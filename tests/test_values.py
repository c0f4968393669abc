"""Value text -> typed value, for every value form the pages print."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gdp_rdf.reader.codelists import ValueType
from gdp_rdf.reader.facts import Answer, Ranking, Ratio, Status, ValueKind
from gdp_rdf.reader.values import looks_like_value, read_answer, read_value, year, years


@pytest.mark.parametrize(
    ("text", "value_type", "kind", "value"),
    [
        ("3,732,073", ValueType.COUNT, ValueKind.INTEGER, 3732073),
        ("0", ValueType.COUNT, ValueKind.INTEGER, 0),
        ("0.04", ValueType.DECIMAL, ValueKind.DECIMAL, Decimal("0.04")),
        ("4.5", ValueType.PERCENTAGE, ValueKind.PERCENTAGE, Decimal("4.5")),
        ("12.13%", ValueType.PERCENTAGE, ValueKind.PERCENTAGE, Decimal("12.13")),
        ("0%", ValueType.PERCENTAGE, ValueKind.PERCENTAGE, Decimal(0)),
        ("39,146.55", ValueType.USD, ValueKind.AMOUNT, Decimal("39146.55")),
        ("$ 42,806,000", ValueType.USD, ValueKind.AMOUNT, Decimal(42806000)),
        ("88.4", ValueType.USD_MILLIONS, ValueKind.AMOUNT, Decimal("88.4")),
        ("202", ValueType.RATE, ValueKind.INTEGER, 202),
        ("56 (High)", ValueType.RANKING, ValueKind.RANKING, Ranking(56, "High")),
        ("35 (Very high)", ValueType.RANKING, ValueKind.RANKING, Ranking(35, "Very high")),
        ("90 (1.6)", ValueType.RANKING, ValueKind.RANKING, Ranking(90, None, Decimal("1.6"))),
        ("90", ValueType.RANKING, ValueKind.RANKING, Ranking(90)),
        ("Number of Days: 10", ValueType.DAYS, ValueKind.DAYS, 10),
        ("No Limit", ValueType.DAYS, ValueKind.ANSWER, Answer.NO_LIMIT),
        ("Ratio: 13/19", ValueType.RATIO, ValueKind.RATIO, Ratio(13, 19)),
        ("4/8", ValueType.RATIO, ValueKind.RATIO, Ratio(4, 8)),
        ("Yes", ValueType.ANSWER, ValueKind.ANSWER, Answer.YES),
        ("No", ValueType.ANSWER, ValueKind.ANSWER, Answer.NO),
        ("Rarely", ValueType.ANSWER, ValueKind.ANSWER, Answer.RARELY),
        ("Yes but have restarted", ValueType.ANSWER, ValueKind.ANSWER, Answer.YES_BUT_RESTARTED),
        ("infrequently", ValueType.ANSWER, ValueKind.ANSWER, Answer.INFREQUENTLY),
        ("Civil law", ValueType.TEXT, ValueKind.TEXT, "Civil law"),
    ],
)
def test_values(text: str, value_type: ValueType, kind: ValueKind, value: object) -> None:
    reading = read_value(text, value_type)
    assert (reading.kind, reading.value, reading.status) == (kind, value, Status.PRESENT)
    assert reading.expected


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Not Available", Status.NOT_AVAILABLE),
        ("No Data", Status.NO_DATA),
        ("Unknown", Status.UNKNOWN),
        ("not available", Status.NOT_AVAILABLE),
    ],
)
@pytest.mark.parametrize("value_type", [ValueType.COUNT, ValueType.PERCENTAGE, ValueType.TEXT])
def test_missing_values_are_never_zero(text: str, status: Status, value_type: ValueType) -> None:
    reading = read_value(text, value_type)
    assert (reading.value, reading.status, reading.kind) == (None, status, ValueKind.NONE)


def test_unknown_answer_keeps_its_code() -> None:
    reading = read_value("Unknown", ValueType.ANSWER)
    assert (reading.value, reading.status) == (Answer.UNKNOWN, Status.UNKNOWN)


def test_answer_with_citation_and_years() -> None:
    reading = read_answer('Yes (Constitution, Article 12(4): "4.Foreigners (x)") 1995 2017')
    assert reading is not None
    assert reading.value is Answer.YES
    assert reading.note == 'Constitution, Article 12(4): "4.Foreigners (x)"'
    assert reading.years == (1995, 2017)


def test_multi_part_answer() -> None:
    reading = read_answer("No (Unknown) Unknown Yes No")
    assert reading is not None
    assert (reading.value, reading.note, reading.parts) == (
        Answer.NO,
        "Unknown",
        (Answer.UNKNOWN, Answer.YES, Answer.NO),
    )


def test_answer_with_year() -> None:
    reading = read_answer("No 2010")
    assert reading is not None and (reading.value, reading.years) == (Answer.NO, (2010,))


def test_not_available_is_not_no() -> None:
    assert read_answer("Not Available") is None
    assert read_answer("No Data") is None
    assert read_answer("Nothing") is None


def test_malformed_number_is_flagged_not_guessed() -> None:
    reading = read_value("$ 39,146.55,000", ValueType.USD)
    assert (reading.value, reading.status, reading.expected) == (None, Status.MALFORMED, False)


def test_unexpected_text_is_kept_and_flagged() -> None:
    reading = read_value("about forty", ValueType.COUNT)
    assert (reading.kind, reading.value, reading.expected) == (ValueKind.TEXT, "about forty", False)


def test_decimal_count_is_flagged() -> None:
    reading = read_value("12.5", ValueType.COUNT)
    assert (reading.value, reading.expected) == (Decimal("12.5"), False)


def test_legislation_and_institution() -> None:
    law = read_value("Immigration and Passport Act 1941 (1941) 1994", ValueType.LEGISLATION)
    assert (law.value, law.adopted, law.amended) == (
        "Immigration and Passport Act 1941",
        1941,
        1994,
    )
    place = read_value(
        "Ombudsman (National Human Rights Institution (NHRI))", ValueType.INSTITUTION
    )
    assert (place.value, place.note) == ("Ombudsman", "National Human Rights Institution (NHRI)")


def test_years() -> None:
    assert year("2019") == 2019 and year("1,000") is None and year("2,019") is None
    assert year("999") is None and year("3000") is None
    assert years("1995 2018") == (1995, 2018) and years("1995") is None


@pytest.mark.parametrize(
    "text", ["345", "Not Available", "Yes", "56 (High)", "2019", "1995 2018", "$ 42,806,000"]
)
def test_value_lines(text: str) -> None:
    assert looks_like_value(text)


@pytest.mark.parametrize(
    "text", ["Refugees", "Population (Year)", "Country Updates", "Nothing to see"]
)
def test_label_lines(text: str) -> None:
    assert not looks_like_value(text)
