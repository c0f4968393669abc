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


@pytest.mark.parametrize(
    ("text", "value_type", "kind", "value", "note"),
    [
        ("2.1 percent", ValueType.PERCENTAGE, ValueKind.PERCENTAGE, Decimal("2.1"), None),
        ("8 percent", ValueType.PERCENTAGE, ValueKind.PERCENTAGE, Decimal(8), None),
        ("1424", ValueType.COUNT, ValueKind.INTEGER, 1424, None),
        ("32 days", ValueType.DAYS, ValueKind.DAYS, 32, None),
        ("max. 30 days", ValueType.DAYS, ValueKind.DAYS, 30, "max."),
        ("unlimited", ValueType.DAYS, ValueKind.ANSWER, Answer.NO_LIMIT, None),
        ("no limit", ValueType.DAYS, ValueKind.ANSWER, Answer.NO_LIMIT, None),
        ("2.1 percent", ValueType.UNKNOWN, ValueKind.PERCENTAGE, Decimal("2.1"), None),
    ],
)
def test_older_value_forms(
    text: str, value_type: ValueType, kind: ValueKind, value: object, note: str | None
) -> None:
    reading = read_value(text, value_type)
    assert (reading.kind, reading.value, reading.note, reading.expected) == (
        kind,
        value,
        note,
        True,
    )


def test_na_is_not_available() -> None:
    assert read_value("N/A", ValueType.COUNT).status is Status.NOT_AVAILABLE


def test_every_value_type_has_a_reader() -> None:
    from gdp_rdf.reader.values import _READERS

    # Treaty rows are read by the table reader (sections._row), never by read_value.
    assert set(_READERS) == set(ValueType) - {ValueType.INSTRUMENT}


# -- values checked against their indicator (issue 11) ----------------------------------------


@pytest.mark.parametrize(
    ("label", "value", "problem"),
    [
        ("International Migrants (Year)", "-3", "is negative"),
        ("Unemployment Rate", "120%", "between 0 and 100"),
        ("Human Development Index Ranking (UNDP)", "0 (High)", "rank"),
        ("Ratio of relevant international treaties ratified", "Ratio: 20/19", "numerator"),
        ("World Bank Rule of Law Index", "101 (1.6)", "between 0 and 100"),
    ],
)
def test_out_of_range_values_are_kept_flagged_and_never_valid(
    label: str, value: str, problem: str
) -> None:
    from gdp_rdf.reader.facts import WarningKind
    from gdp_rdf.reader.page import parse_profile

    page = parse_profile(f"Testland\n\nPOPULATION DATA\n\n{label}\n{value}\n2020\n")
    (fact,) = page.facts
    assert (fact.status, fact.raw) == (Status.OUT_OF_RANGE, value)
    assert fact.value is not None  # the value as printed is kept
    (warning,) = [w for w in page.warnings if w.kind is WarningKind.OUT_OF_RANGE]
    assert problem in warning.message and warning.line == fact.line


def test_values_in_range_stay_present() -> None:
    from gdp_rdf.reader.page import parse_profile

    page = parse_profile(
        "Testland\n\nPOPULATION DATA\n\nInternational Migrants (Year)\n0\n2020\n"
        "Unemployment Rate\n100%\n2020\nRatio of relevant international treaties ratified\n"
        "Ratio: 19/19\n"
    )
    assert {f.status for f in page.facts} == {Status.PRESENT}


def test_years_after_the_page_date_are_out_of_range_whatever_today_is() -> None:
    from gdp_rdf.reader.page import parse_profile

    text = "Testland\n\nOverview\n\nLast updated: July 2019\n\nPOPULATION DATA\n\nRefugees (Year)\n{}\n2021\n"
    later = parse_profile(text.format("12"))
    assert [f.status for f in later.facts] == [Status.OUT_OF_RANGE]
    undated = parse_profile(text.replace("Last updated: July 2019\n\n", "").format("12"))
    assert [f.status for f in undated.facts] == [Status.PRESENT]  # no page date: nothing to check


def test_every_indicator_knows_its_domain() -> None:
    from gdp_rdf.reader.codelists import Domain, load_codelists

    domains = {i.code: i.domain for i in load_codelists().indicators}
    assert domains["population"] is Domain.NON_NEGATIVE
    assert domains["migrants-percentage"] is Domain.PERCENT
    assert domains["human-development-index"] is Domain.RANK
    assert domains["rule-of-law-index"] is Domain.PERCENTILE
    assert domains["treaties-ratio"] is Domain.RATIO
    assert domains["detains-migrants"] is Domain.ANY
