"""The reader on the other page generations and on the structures Kazakhstan does not show."""

from __future__ import annotations

from decimal import Decimal

from conftest import PROFILES, VARIANTS

from gdp_rdf.reader.facts import Answer, LineRole, Ranking, Status, ValueKind, WarningKind
from gdp_rdf.reader.page import parse_profile, read_profile

CURRENT_PAGE = """\
Testland

Detains migrants or asylum seekers?

Rarely

Refugees

12

2023

Overview

(June 2023) Testland detains few people.

Types of facilities used for migration-related detention
Administrative Ad Hoc Criminal Unknown

03 March 2021 – Testland

Testland reported its first case in March. […]

Read More…

A photo caption (Source,
Last updated: March 2021

PRISON DATA

Criminal Prison Population (Year)
1,234
2016
Widget Count Per Region (Year)
7
2019
8
2018

SOCIO-ECONOMIC DATA & POLLS

Unemployment Rate
2018
Human Development Index Ranking (UNDP)
120 (Medium)
2015
"""


def test_current_layout_snippet() -> None:
    page = parse_profile(CURRENT_PAGE)
    assert page.country == "Testland" and page.last_updated == "2021-03"
    assert page.overview == "(June 2023) Testland detains few people."
    (teaser,) = page.teasers
    assert (teaser.title, teaser.date, teaser.caption) == (
        "03 March 2021 – Testland",
        "2021-03-03",
        "A photo caption (Source,",
    )
    facts = {(f.indicator, f.period): f for f in page.facts}
    assert facts[("detains-migrants", None)].value is Answer.RARELY
    assert facts[("refugees", 2023)].value == 12
    assert facts[("criminal-prison-population", 2016)].value == 1234
    assert facts[("unemployment-rate", 2018)].status is Status.YEAR_ONLY
    assert facts[("human-development-index", 2015)].value == Ranking(120, "Medium")


def test_unknown_label_becomes_unreviewed_fact_with_warning() -> None:
    page = parse_profile(CURRENT_PAGE)
    unknown = [f for f in page.facts if not f.reviewed]
    assert [(f.indicator, f.value, f.period) for f in unknown] == [
        ("unreviewed-widget-count-per-region-year", 7, 2019),
        ("unreviewed-widget-count-per-region-year", 8, 2018),
    ]
    assert (
        unknown[0].label == "Widget Count Per Region (Year)" and unknown[0].section == "PRISON DATA"
    )
    warnings = [w for w in page.warnings if w.kind is WarningKind.UNKNOWN_LABEL]
    assert [w.line for w in warnings] == [34]
    assert page.unrecognised == ()


def test_unknown_headline_label() -> None:
    page = parse_profile("Testland\n\nAsylum Backlog\n\n4,000\n\n2022\n\nOverview\n")
    (fact,) = page.facts
    assert (fact.indicator, fact.value, fact.period, fact.reviewed) == (
        "unreviewed-asylum-backlog",
        4000,
        2022,
        False,
    )


def test_2020_layout_headline_value_before_label() -> None:
    page = read_profile(PROFILES / "andorra.txt")
    headline = [f for f in page.facts if f.section is None]
    assert [(f.label, f.value, f.status, f.period, f.lines) for f in headline] == [
        ("Immigration detainees", None, Status.NOT_AVAILABLE, 2019, (5, 7, 9)),
        ("Detained children", None, Status.NO_DATA, None, (11, 13)),
    ]
    assert page.source_url == "https://www.globaldetentionproject.org/countries/europe/andorra"
    assert page.partial and page.last_updated is None


def test_mid_era_sections() -> None:
    page = read_profile(PROFILES / "andorra.txt")
    sections = {f.indicator: f.section for f in page.facts}
    assert sections["detains-for-migration-reasons"] == "MIGRATION-RELATED DETENTION"
    assert sections["legal-tradition"] == "GOVERNANCE SYSTEM"
    (law_of_rule,) = [f for f in page.facts if f.indicator == "rule-of-law-index"]
    assert law_of_rule.value == Ranking(90, None, Decimal("1.6"))
    (limit,) = [f for f in page.facts if f.indicator == "maximum-detention-length"]
    assert (limit.value, limit.section) == (
        Answer.NO_LIMIT,
        "LENGTH OF MIGRATION-RELATED DETENTION",
    )
    flow = [f for f in page.facts if f.indicator == "total-migration-detainees"]
    assert [(f.label, f.status, f.period) for f in flow] == [
        ("Total Migration Detainees: Flow + Stock (year)", Status.NOT_AVAILABLE, 2019)
    ]


def test_value_without_year_is_kept_without_inventing_one() -> None:
    page = read_profile(PROFILES / "dominica.txt")
    refugees = [f for f in page.facts if f.indicator == "refugees" and f.section]
    assert [(f.value, f.status, f.period, f.lines) for f in refugees] == [
        (None, Status.NOT_AVAILABLE, 2022, (90, 91, 92)),
        (0, Status.PRESENT, None, (90, 93)),
    ]
    laws = [f for f in page.facts if f.indicator == "specific-detention-laws"]
    assert [(f.value, f.period) for f in laws] == [(Answer.YES, 2023), (Answer.YES, 1941)]
    (law,) = [f for f in page.facts if f.indicator == "detention-legislation"]
    assert (law.value, law.adopted, law.amended, law.period) == (
        "Immigration and Passport Act 1941",
        1941,
        1994,
        1941,
    )


def test_copy_without_country_line() -> None:
    page = read_profile(VARIANTS / "andorra_newer.txt")
    assert page.country is None
    assert page.source_url == "https://www.globaldetentionproject.org/countries/europe/andorra"
    assert page.teasers[0].text is not None and page.teasers[0].title is None
    (first,) = [f for f in page.facts if f.indicator == "detained-children"]
    assert (first.status, first.period, first.section) == (Status.NOT_AVAILABLE, 2017, None)
    gdp = [f for f in page.facts if f.indicator == "gdp-per-capita"]
    assert [(f.value, f.status, f.raw) for f in gdp] == [
        (None, Status.MALFORMED, "$ 39,146.55,000"),
        (Decimal(42806000), Status.PRESENT, "$ 42,806,000"),
    ]
    (split,) = [f for f in page.facts if f.indicator == "rule-of-law-index"]
    assert (split.value, split.lines, split.period) == (
        Ranking(90, None, Decimal("1.6")),
        (96, 97, 98, 99),
        2017,
    )
    assert [w.kind for w in page.warnings] == [WarningKind.UNEXPECTED_VALUE]


def test_label_with_blank_lines_then_year() -> None:
    page = read_profile(VARIANTS / "tuvalu_2025.txt")
    (origin,) = [f for f in page.facts if f.indicator == "countries-of-origin"]
    assert (origin.value, origin.status, origin.period, origin.lines) == (
        None,
        Status.YEAR_ONLY,
        2023,
        (59, 65),
    )
    deaths = [f for f in page.facts if f.indicator == "deaths-in-custody"]
    assert [(f.status, f.period) for f in deaths] == [(Status.NOT_AVAILABLE, 2023)]


def test_teasers_cut_off_and_captions() -> None:
    page = read_profile(PROFILES / "malaysia.txt")
    assert [
        (t.title is not None, t.text is not None, t.caption is not None) for t in page.teasers
    ] == [
        (True, True, True),
        (True, False, False),
    ]
    kyrgyz = read_profile(PROFILES / "kyrgyzstan.txt")
    assert [t.date for t in kyrgyz.teasers] == [None, "2020-12-17"]
    assert all(t.caption for t in kyrgyz.teasers)


def test_empty_related_reading_is_boilerplate() -> None:
    page = read_profile(PROFILES / "guinea_bissau.txt")
    roles = dict(page.line_roles)
    assert roles[44] is LineRole.BOILERPLATE and roles[46] is LineRole.BOILERPLATE
    assert page.teasers == ()
    laws = [f for f in page.facts if f.indicator == "specific-detention-laws"]
    assert [(f.value, f.period) for f in laws] == [(Answer.NO, None)]
    traditions = [f.value for f in page.facts if f.indicator == "legal-tradition"]
    assert traditions == ["Civil law", "Customary law"]


def test_narrative_blocks() -> None:
    page = read_profile(PROFILES / "azerbaijan.txt")
    assert page.narrative == ("1. INTRODUCTION",) and page.last_updated == "2020-10"
    iceland = read_profile(PROFILES / "iceland.txt")
    assert dict(iceland.line_roles)[53] is LineRole.FURNITURE  # "EXCERPT FROM :"


def test_repeated_and_conflicting_values_are_all_kept() -> None:
    kosovo = read_profile(PROFILES / "kosovo.txt")
    apprehensions = [f for f in kosovo.facts if f.indicator == "apprehensions"]
    assert [(f.value, f.period, f.line) for f in apprehensions] == [
        (2027, 2019, 15),
        (2027, 2019, 21),
    ]
    micronesia = read_profile(PROFILES / "micronesia.txt")
    refugees = [
        (f.value, f.period) for f in micronesia.facts if f.indicator == "refugees" and f.section
    ]
    assert refugees == [(3, 2015), (0, 2015)]


def test_quick_facts_inline_lines() -> None:
    page = parse_profile(
        "Testland\n\nQuick Facts\n\nImmigration detainees (2016): 1,234\n"
        "Dedicated immigration detention centres: 2 (2017)\nLength of detention: No limit\n"
        "Pending asylum claims: 55 (end 2015)\n"
    )
    assert [(f.indicator, f.value, f.period) for f in page.facts] == [
        ("immigration-detainees", 1234, 2016),
        ("dedicated-detention-centres", 2, 2017),
        ("maximum-detention-length", Answer.NO_LIMIT, None),
        ("pending-asylum-claims", 55, 2015),
    ]
    assert page.unrecognised == ()


def test_recommendation_and_tables_without_column_headers() -> None:
    page = parse_profile(
        "Testland\n\nINTERNATIONAL TREATIES\n\nInternational Treaties Ratified\n"
        "CAT, Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment\n"
        "1998\n2017\nXYZ, Some Treaty Nobody Lists\n2001\n2017\n"
        "Relevant Recommendations Issued by Treaty Bodies\n"
        "Human Rights Committee Detention 12. The Committee is concerned. 2015\n2015\n2016\n"
    )
    treaties = [f for f in page.facts if f.indicator == "treaty-ratified"]
    assert [(f.kind, f.value, f.period, f.observed) for f in treaties] == [
        (ValueKind.INSTRUMENT, "CAT", 1998, 2017),
        (ValueKind.TEXT, "XYZ, Some Treaty Nobody Lists", 2001, 2017),
    ]
    (rec,) = [f for f in page.facts if f.indicator == "treaty-body-recommendation"]
    assert (rec.subject, rec.note, rec.value, rec.period, rec.observed) == (
        "Human Rights Committee",
        "Detention",
        "12. The Committee is concerned.",
        2015,
        2016,
    )
    assert [w.kind for w in page.warnings] == [WarningKind.UNKNOWN_CODE]


def test_unrecognised_lines_are_reported() -> None:
    page = parse_profile("Testland\n\nPRISON DATA\n\nsome stray words\n")
    assert page.unrecognised == (5,)
    (warning,) = page.warnings
    assert (warning.kind, warning.line) == (WarningKind.UNRECOGNISED_LINE, 5)
