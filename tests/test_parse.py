"""The reader on the complete Kazakhstan profile, fact by fact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import PROFILES

from gdp_rdf.reader.facts import Answer, Fact, LineRole, Profile, Ranking, Ratio, Status, ValueKind
from gdp_rdf.reader.page import read_profile


@pytest.fixture(scope="module")
def kaz() -> Profile:
    return read_profile(PROFILES / "kazakhstan.txt")


def series(profile: Profile, indicator: str, section: str | None = "any") -> list[Fact]:
    return [
        f
        for f in profile.facts
        if f.indicator == indicator and (section == "any" or f.section == section)
    ]


def pairs(facts: list[Fact]) -> list[tuple[object, int | None]]:
    return [(f.value, f.period) for f in facts]


def test_page_metadata(kaz: Profile) -> None:
    assert kaz.country == "Kazakhstan"
    assert kaz.source_url is None and not kaz.partial
    assert kaz.last_updated == "2024-07"
    assert kaz.overview is not None and kaz.overview.startswith("Kazakhstan: Kazakhstan can detain")
    assert [t.title for t in kaz.teasers] == ["Kazakhstan: Covid-19 and Detention"]
    assert (
        kaz.teasers[0].caption
        == "A Group of Tajik Migrants at the Silk Road Checkpoint, (Azattyq.org,"
    )
    assert kaz.teasers[0].text is not None and kaz.teasers[0].text.endswith("Meetings with […]")


def test_every_line_is_placed(kaz: Profile) -> None:
    assert kaz.unrecognised == ()
    assert kaz.warnings == ()
    text = (PROFILES / "kazakhstan.txt").read_text(encoding="utf-8").split("\n")
    content = {n for n, line in enumerate(text, start=1) if line.strip()}
    assert {n for n, _ in kaz.line_roles} == content


def test_headings_and_subheadings(kaz: Profile) -> None:
    top = [h.text for h in kaz.headings if h.level == 1]
    assert (top[0], top[-1], len(top)) == ("DETENTION STATISTICS", "COVID-19", 27)
    assert "ALTERNATIVES TO DETENTION" in top  # an empty section is still a heading
    subs = [h.text for h in kaz.headings if h.level == 2]
    assert subs == [
        "UN Special Procedures",
        "UN Universal Periodic Review",
        "Global Compact for Migration (GCM)",
        "Global Compact on Refugees (GCR)",
    ]
    assert all(h.known for h in kaz.headings)


def test_headline_block(kaz: Profile) -> None:
    headline = [f for f in kaz.facts if f.section is None]
    assert [(f.indicator, f.value, f.period) for f in headline] == [
        ("detains-migrants", Answer.YES, None),
        ("has-detention-laws", Answer.YES, None),
        ("refugees", 345, 2023),
        ("asylum-applications", 637, 2023),
        ("international-migrants", 3732073, 2020),
        ("population", 19600000, 2023),
    ]
    refugees = headline[2]
    assert refugees.label == "Refugees" and refugees.lines == (11, 13, 15)
    assert refugees.kind is ValueKind.INTEGER and refugees.raw == "345"


def test_criminal_prison_population(kaz: Profile) -> None:
    facts = series(kaz, "criminal-prison-population")
    assert pairs(facts) == [
        (36343, 2017), (49821, 2014), (62997, 2010), (51538, 2007), (58300, 2004),
        (88421, 2001), (84657, 1998), (85448, 1995), (58519, 1992),
    ]  # fmt: skip
    assert all(f.section == "PRISON DATA" and f.kind is ValueKind.INTEGER for f in facts)
    assert facts[-1].lines == (71, 88, 89) and facts[-1].raw == "58,519"


def test_prison_population_rate(kaz: Profile) -> None:
    assert pairs(series(kaz, "prison-population-rate")) == [
        (202, 2017), (290, 2014), (401, 2010), (336, 2007), (386, 2004),
        (590, 2001), (548, 1998), (534, 1995), (358, 1992),
    ]  # fmt: skip


def test_refugees_series(kaz: Profile) -> None:
    assert pairs(series(kaz, "refugees", "POPULATION DATA")) == [
        (345, 2023), (352, 2021), (440, 2020), (518, 2019), (574, 2018),
        (608, 2017), (647, 2016), (708, 2015), (633, 2014),
    ]  # fmt: skip


def test_percentages_decimals_and_amounts(kaz: Profile) -> None:
    (foreign,) = series(kaz, "foreign-prisoners-percentage")
    assert (foreign.kind, foreign.value, foreign.period) == (
        ValueKind.PERCENTAGE,
        Decimal("4.5"),
        2017,
    )
    gdp = series(kaz, "gdp-per-capita")
    assert [(f.kind, f.value, f.period) for f in gdp] == [
        (ValueKind.AMOUNT, Decimal("25.15"), 2018),
        (ValueKind.AMOUNT, Decimal(12601), 2014),
    ]
    assert gdp[1].raw == "12,601"
    ratio = series(kaz, "refugees-per-1000")
    assert pairs(ratio) == [(Decimal("0.04"), 2016), (Decimal("0.04"), 2014)]
    (oda,) = series(kaz, "official-development-assistance")
    assert (oda.value, oda.period) == (Decimal("88.4"), 2014)


def test_ranking_with_category(kaz: Profile) -> None:
    (hdi,) = series(kaz, "human-development-index")
    assert hdi.value == Ranking(56, "High") and hdi.period == 2015 and hdi.kind is ValueKind.RANKING


def test_years_without_values_stay_with_their_label(kaz: Profile) -> None:
    unemployment = series(kaz, "unemployment-rate")
    assert [(f.value, f.period, f.status) for f in unemployment] == [
        (None, 2018, Status.YEAR_ONLY),
        (None, 2014, Status.YEAR_ONLY),
    ]
    assert [f.lines for f in unemployment] == [(197, 198), (197, 199)]
    (oda,) = series(kaz, "official-development-assistance")
    assert oda.lines == (200, 201, 202)  # the value after the bare years is not Unemployment's


def test_not_available_is_not_zero(kaz: Profile) -> None:
    (entries,) = series(kaz, "migration-detainee-entries")
    assert (
        entries.value is None and entries.status is Status.NOT_AVAILABLE and entries.period == 2019
    )
    (children,) = series(kaz, "detained-children")
    assert children.value == 0 and children.status is Status.PRESENT


def test_length_of_detention(kaz: Profile) -> None:
    (days,) = series(kaz, "average-detention-length")
    assert (days.kind, days.value, days.period) == (ValueKind.DAYS, 10, None)
    assert days.raw == "Number of Days: 10"


def test_legal_framework(kaz: Profile) -> None:
    assert pairs(series(kaz, "detains-for-migration-reasons")) == [
        (Answer.YES, 2023),
        (Answer.YES, 2018),
    ]
    (law,) = series(kaz, "detention-legislation")
    assert law.value == "Code od Republic of Kazakhstan on administrative offences"
    assert (law.adopted, law.amended, law.period) == (2014, 2018, 2014)
    first, second = series(kaz, "constitutional-guarantees")
    assert first.value is Answer.YES and first.note is not None
    assert first.note.startswith("Constitution of Kazakhstan, Article 12(4)")
    assert first.note.endswith('freely return to the Republic."')
    assert (first.adopted, first.period) == (1995, 2017)
    assert (second.value, second.status, second.adopted, second.period) == (
        None,
        Status.YEAR_ONLY,
        1995,
        2018,
    )
    (tradition,) = series(kaz, "legal-tradition")
    assert (tradition.kind, tradition.value, tradition.period) == (
        ValueKind.TEXT,
        "Civil law",
        2017,
    )


def test_monitoring_institution(kaz: Profile) -> None:
    (institution,) = series(kaz, "monitoring-institutions")
    assert institution.value == "Kazakhstan Commissioner for Human Rights"
    assert institution.note == "National Human Rights Institution (or Ombudsperson) (NHRI)"
    assert institution.period == 2016


def test_treaties_ratified(kaz: Profile) -> None:
    treaties = series(kaz, "treaty-ratified")
    assert [(f.subject, f.period, f.observed) for f in treaties] == [
        ("VCCR", 1994, 2017), ("ICERD", 1998, 2017), ("ICESCR", 2006, 2017),
        ("ICCPR", 2006, 2017), ("CEDAW", 1998, 2017), ("CAT", 1998, 2017),
        ("CRC", 1994, 2017), ("CRPD", 2015, 2017), ("ICPED", 2009, 2017),
        ("CRSR", 1999, 2017), ("CTOCTP", 2008, 2017), ("CTOCSP", 2008, 2017),
        ("OPCAT", 2008, 2008),
    ]  # fmt: skip
    cat = treaties[5]
    assert cat.kind is ValueKind.INSTRUMENT and cat.value == "CAT"
    assert (
        cat.note
        == "CAT, Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"
    )
    assert cat.lines == (262, 280, 281, 282)
    (ratio,) = series(kaz, "treaties-ratio")
    assert ratio.value == Ratio(13, 19) and ratio.raw == "Ratio: 13/19"


def test_complaints_procedures(kaz: Profile) -> None:
    procedures = series(kaz, "complaints-procedure")
    assert [(f.subject, f.period) for f in procedures] == [
        ("CAT-ART22", 2008),
        ("ICERD-ART14", 2008),
        ("ICCPR-OP1", 2009),
        ("OP-CEDAW", 2001),
    ]
    (ratio,) = series(kaz, "complaints-ratio")
    assert (ratio.value, ratio.observed) == (Ratio(4, 8), 2017)


def test_treaty_body_recommendation(kaz: Profile) -> None:
    (rec,) = series(kaz, "treaty-body-recommendation")
    assert rec.subject == "Committee against Torture"
    assert rec.note == "Asylum system and non-refoulement"
    assert isinstance(rec.value, str) and rec.value.startswith("35.While noting the efforts")
    assert rec.value.endswith("1961 Convention on the Reduction of Statelessness.")
    assert (rec.period, rec.observed) == (2023, 2024)
    assert rec.lines == (320, 323, 324, 325)


def test_universal_periodic_review_and_compacts(kaz: Profile) -> None:
    upr = series(kaz, "upr-recommendation")
    assert [(f.value, f.period, f.observed) for f in upr] == [
        (Answer.NO, 2010, 2017),
        (Answer.NO, 2014, 2017),
        (Answer.YES, 2019, None),
    ]
    assert {f.subsection for f in upr} == {"UN Universal Periodic Review"}
    for code, subsection in (
        ("gcm-endorsement", "Global Compact for Migration (GCM)"),
        ("gcr-endorsement", "Global Compact on Refugees (GCR)"),
    ):
        (fact,) = series(kaz, code)
        assert (fact.status, fact.observed, fact.subsection) == (Status.YEAR_ONLY, 2018, subsection)


def test_covid_answers(kaz: Profile) -> None:
    covid = [f for f in kaz.facts if f.section == "COVID-19" and f.kind is ValueKind.ANSWER]
    assert len(covid) == 12
    assert [(f.value, f.period) for f in covid] == [
        (Answer.NO, 2020), (Answer.UNKNOWN, 2022), (Answer.YES_BUT_RESTARTED, 2020),
        (Answer.NO, 2020), (Answer.UNKNOWN, 2022), (Answer.YES, 2020), (Answer.NO, 2021),
        (Answer.UNKNOWN, 2022), (Answer.UNKNOWN, 2022), (Answer.UNKNOWN, 2022),
        (Answer.YES, 2021), (Answer.UNKNOWN, 2021),
    ]  # fmt: skip
    measures = covid[3]
    assert (measures.note, measures.parts) == ("Unknown", (Answer.UNKNOWN,) * 3)
    assert measures.raw == "No (Unknown) Unknown Unknown Unknown"
    inclusion = covid[-1]
    assert (inclusion.note, inclusion.status) == ("Included", Status.UNKNOWN)
    (updates,) = series(kaz, "covid-country-updates")
    assert isinstance(updates.value, str) and updates.value.startswith("According to information")


def test_unknown_answer_is_not_no(kaz: Profile) -> None:
    unknown = [f for f in kaz.facts if f.value is Answer.UNKNOWN]
    assert unknown and all(f.status is Status.UNKNOWN for f in unknown)
    assert all(f.status is Status.PRESENT for f in kaz.facts if f.value is Answer.NO)


def test_line_roles_cover_page_furniture(kaz: Profile) -> None:
    roles = dict(kaz.line_roles)
    assert roles[1] is LineRole.COUNTRY
    assert roles[35] is LineRole.FURNITURE and roles[37] is LineRole.OVERVIEW
    assert roles[46] is LineRole.FURNITURE  # Read More…
    assert roles[49] is LineRole.METADATA
    assert roles[263] is LineRole.FURNITURE  # "Ratification Year" column header
