"""Each quality check: a seeded case that fires and a near miss that does not."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from gdp_rdf.errors import ResourceError
from gdp_rdf.quality.checks import CHECKS
from gdp_rdf.quality.points import CountryData, Point
from gdp_rdf.quality.run import check_countries, with_wikidata
from gdp_rdf.quality.tables import Thresholds, load_checks, load_thresholds
from gdp_rdf.wikidata.check import Disagreement

TH = load_thresholds()
N = 0


def point(
    indicator: str,
    period: int | None,
    number: str | None = None,
    *,
    answer: str | None = None,
    denominator: int | None = None,
    raw: str | None = None,
) -> Point:
    global N
    N += 1
    return Point(
        iri=f"https://w3id.org/gdp-rdf/id/observation/XXX/{indicator}/{period or 'undated'}",
        indicator=indicator,
        period=period,
        number=Decimal(number) if number is not None else None,
        denominator=denominator,
        answer=answer,
        raw=raw if raw is not None else (number or answer or ""),
        line=N,
        dataset="answers" if answer is not None else "numbers",
    )


def country(*points: Point, **more: object) -> CountryData:
    data = CountryData("XXX", source="xxx.txt", observations=list(points))
    for key, value in more.items():
        setattr(data, key, value)
    return data


def run(check: str, data: CountryData, th: Thresholds = TH) -> list[str]:
    return [f"{f.indicator} {f.period}" for f in CHECKS[check](data, th)]


def test_every_check_of_the_code_list_runs_or_is_wikidata() -> None:
    assert [*CHECKS, "wikidata"] == list(load_checks())


def test_jump_fires_past_the_factor_and_not_at_it() -> None:
    fires = country(point("population", 2015, "320000"), point("population", 2020, "34232"))
    assert run("jump", fires) == ["population 2020"]
    near = country(point("population", 2015, "500000"), point("population", 2020, "100000"))
    assert run("jump", near) == []  # exactly 5x: not more than the factor


def test_jump_ignores_small_counts_and_zeros() -> None:
    small = country(point("refugees", 2014, "1"), point("refugees", 2023, "10"))
    assert run("jump", small) == []
    zero = country(point("detained-children", 2016, "0"), point("detained-children", 2017, "500"))
    assert run("jump", zero) == []


def test_outlier_fires_far_from_the_median_only_in_long_series() -> None:
    values = ["100", "110", "105", "98", "102", "900"]
    long = country(*(point("refugees", 2010 + i, v) for i, v in enumerate(values)))
    assert run("outlier", long) == ["refugees 2015"]
    near = ["100", "110", "105", "98", "102", "125"]
    assert (
        run("outlier", country(*(point("refugees", 2010 + i, v) for i, v in enumerate(near)))) == []
    )
    short = country(*(point("refugees", 2010 + i, v) for i, v in enumerate(values[2:])))
    assert run("outlier", short) == []  # four points: too short to say


def test_cross_indicator_share_against_its_own_figures() -> None:
    base = [point("population", 2015, "320000"), point("international-migrants", 2015, "4700")]
    assert run("cross-indicator", country(*base, point("migrants-percentage", 2015, "14.8"))) == [
        "migrants-percentage 2015"
    ]
    # 1.47 computed; 2.2 printed is 1.5x: within the tolerance
    assert run("cross-indicator", country(*base, point("migrants-percentage", 2015, "2.2"))) == []
    other_year = country(*base, point("migrants-percentage", 2016, "14.8"))
    assert run("cross-indicator", other_year) == []


def test_cross_indicator_rates_and_rounding() -> None:
    prison = [
        point("population", 2017, "18000000"),
        point("criminal-prison-population", 2017, "36343"),
    ]
    assert run(
        "cross-indicator", country(*prison, point("prison-population-rate", 2017, "2020"))
    ) == ["prison-population-rate 2017"]
    assert (
        run("cross-indicator", country(*prison, point("prison-population-rate", 2017, "202"))) == []
    )
    refugees = [point("population", 2016, "17900000"), point("refugees", 2016, "647")]
    # 0.036 per 1,000 printed as 0.04: rounding, not a disagreement
    assert (
        run("cross-indicator", country(*refugees, point("refugees-per-1000", 2016, "0.04"))) == []
    )
    assert run("cross-indicator", country(*refugees, point("refugees-per-1000", 2016, "0.4"))) == [
        "refugees-per-1000 2016"
    ]


def test_cross_indicator_ratio_against_the_list() -> None:
    listed = [point("treaty-ratified", 1990 + i) for i in range(12)]
    ratio = point("treaties-ratio", None, "13", denominator=19, raw="Ratio: 13/19")
    assert run("cross-indicator", country(ratio, ratifications=listed)) == ["treaties-ratio None"]
    full = listed + [point("treaty-ratified", 2010)]
    assert run("cross-indicator", country(ratio, ratifications=full)) == []
    assert run("cross-indicator", country(ratio)) == []  # no list printed: nothing to compare


def test_domain_negative_percentages_ratios_and_future_years() -> None:
    assert run("domain", country(point("refugees", 2020, "-5"))) == ["refugees 2020"]
    assert run("domain", country(point("unemployment-rate", 2020, "100.5"))) == [
        "unemployment-rate 2020"
    ]
    assert run("domain", country(point("unemployment-rate", 2020, "100"))) == []
    over = point("complaints-ratio", 2017, "9", denominator=8)
    assert run("domain", country(over)) == ["complaints-ratio 2017"]
    assert run("domain", country(point("complaints-ratio", 2017, "8", denominator=8))) == []
    assert run("domain", country(point("refugees", 2026, "5"))) == ["refugees 2026"]
    assert run("domain", country(point("refugees", 2025, "5"))) == []


def test_answer_vs_data_detains_no_with_detainees() -> None:
    no = point("detains-for-migration-reasons", 2019, answer="no", raw="No")
    counted = point("migration-detainees", 2019, "35")
    assert run("answer-vs-data", country(no, counted)) == ["detains-for-migration-reasons 2019"]
    other_year = point("migration-detainees", 2018, "35")
    assert run("answer-vs-data", country(no, other_year)) == []
    zero = point("migration-detainees", 2019, "0")
    assert run("answer-vs-data", country(no, zero)) == []
    headline = point("detains-migrants", None, answer="no", raw="No")
    assert run("answer-vs-data", country(headline, counted)) == ["detains-migrants None"]


def test_answer_vs_data_no_laws_with_legislation() -> None:
    no = point("specific-detention-laws", 2024, answer="no", raw="No")
    law = point("detention-legislation", 2019, raw="Aliens Act (2019)")
    assert run("answer-vs-data", country(no, legislation=[law])) == ["specific-detention-laws 2024"]
    assert run("answer-vs-data", country(no)) == []
    yes = replace(no, answer="yes", raw="Yes")
    assert run("answer-vs-data", country(yes, legislation=[law])) == []


def test_stale_key_series_against_last_updated() -> None:
    old = country(point("criminal-prison-population", 2017, "36343"), last_updated="2024-07")
    assert run("stale", old) == ["criminal-prison-population 2017"]
    recent = country(point("criminal-prison-population", 2019, "36343"), last_updated="2024-07")
    assert run("stale", recent) == []  # five years: not more than stale-years
    assert run("stale", country(point("criminal-prison-population", 2010, "1"))) == []  # no date
    other = country(point("gdp-per-capita", 2010, "100"), last_updated="2024-07")
    assert run("stale", other) == []  # not a key series


def test_conflict_reports_each_conflicting_value() -> None:
    main, other = point("refugees", 2015, "3"), point("refugees", 2015, "0")
    assert run("conflict", country(main, conflicts=[(main, other)])) == ["refugees 2015"]
    assert run("conflict", country(main, other)) == []


def test_wikidata_disagreements_join_the_report() -> None:
    report = check_countries([country(point("population", 2020, "1000"))])
    d = Disagreement(
        "ratification",
        "KAZ",
        "ICERD",
        "1998",
        "1998",
        "1999",
        "https://w3id.org/gdp-rdf/id/ratification/KAZ/ICERD",
        "http://www.wikidata.org/entity/Q1",
        "268",
    )
    (finding,) = with_wikidata(report, [d], {"KAZ": "kazakhstan.txt"}).findings
    assert (finding.check, finding.source, finding.period) == (
        "wikidata",
        "kazakhstan.txt:268",
        1998,
    )
    assert finding.target.endswith("/ratification/KAZ/ICERD")


def test_a_threshold_changes_the_findings(tmp_path: Path) -> None:
    data = country(point("population", 2015, "320000"), point("population", 2020, "34232"))
    assert run("jump", data) == ["population 2020"]
    table = tmp_path / "thresholds.csv"
    text = Path(TH.source).read_text(encoding="utf-8").replace("jump-factor,5,", "jump-factor,10,")
    table.write_text(text, encoding="utf-8")
    assert run("jump", data, load_thresholds(table)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("jump-factor,5,", "jump-factor,five,"),
            "thresholds.csv:2: threshold 'jump-factor' is not a number",
        ),
        (("jump-factor,5,", "jump-fact,5,"), "thresholds.csv:2: unknown threshold 'jump-fact'"),
        (
            ("stale-years,5,", 'stale-years,5,""\n#'),
            "thresholds.csv:7: threshold 'stale-years' has no reason",
        ),
    ],
)
def test_a_broken_thresholds_table_names_file_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    table = tmp_path / "thresholds.csv"
    table.write_text(
        Path(TH.source).read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8"
    )
    with pytest.raises(ResourceError) as error:
        load_thresholds(table)
    assert expected in str(error.value)
