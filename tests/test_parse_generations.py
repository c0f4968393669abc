"""Every generation of the country page: values, empty fields, dates, parts (issue 17)."""

from __future__ import annotations

from decimal import Decimal

from conftest import ROOT

from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.reader.facts import Answer, LineRole, PageGeneration, Status, ValueKind, WarningKind
from gdp_rdf.reader.page import parse_profile, read_profile

LEGACY = ROOT / "data" / "archive" / "legacy-layouts"
VERSIONS = ROOT / "data" / "archive" / "profile-versions"


def _facts(name: str, folder=LEGACY):  # type: ignore[no-untyped-def]
    return {(f.indicator, f.period): f for f in read_profile(folder / name).facts}


def test_spain_figures_no_current_page_prints() -> None:
    old = _facts("spain_2013_introduction_quick_facts.txt")
    assert old[("immigration-detainees", 2011)].value == 13241
    newer = _facts("spain_quick_facts_2020.txt")
    assert newer[("immigration-detainees", 2018)].value == 7855


def test_old_site_value_forms() -> None:
    mexico = _facts("mexico_2013_introduction_quick_facts.txt")
    asylum = mexico[("detained-asylum-seekers", None)]
    assert (asylum.value, asylum.status, asylum.raw, asylum.note) == (
        None,
        Status.UNKNOWN,
        "unknown (YEAR)",
        "YEAR",
    )
    assert mexico[("maximum-detention-length", 2012)].value is Answer.NO_LIMIT
    assert mexico[("detainees-percentage-of-migrants", 2012)].value == Decimal(8)
    hungary = _facts("hungary_2014_de_introduction_quick_facts.txt")
    assert hungary[("immigration-detainees", 2012)].value == 1424  # no thousands separator
    assert hungary[("detained-children", 2013)].status is Status.NOT_AVAILABLE  # "N/A"
    assert hungary[("migrants-percentage", 2012)].kind is ValueKind.PERCENTAGE
    assert hungary[("migrants-percentage", 2012)].value == Decimal("2.1")  # "2.1 percent"
    spain = _facts("spain_2013_introduction_quick_facts.txt")
    assert spain[("maximum-detention-length", 2012)].value == 60  # "60 days"
    assert spain[("detention-capacity", 2012)].note == "March 2012"


def test_value_on_the_line_after_its_label() -> None:
    australia = _facts("australia_2008_detention_infrastructure_a.txt")
    deportations = australia[("deportations", 2007)]
    assert (deportations.value, deportations.lines) == (6768, (9, 10))
    assert australia[("undocumented-migrants", 2007)].note == "as of June 2007"


def test_ranges_and_words_are_kept_as_printed_and_flagged() -> None:
    profile = read_profile(LEGACY / "france_2009_introduction_quick_facts.txt")
    (undocumented,) = [f for f in profile.facts if f.indicator == "undocumented-migrants"]
    assert (undocumented.kind, undocumented.value) == (ValueKind.TEXT, "200-400,000")
    assert [w.line for w in profile.warnings if w.kind is WarningKind.UNEXPECTED_VALUE] == [11]


def test_labels_without_values_are_recognised_empty_fields() -> None:
    profile = read_profile(LEGACY / "italy_quick_facts_empty_values_c2015.txt")
    assert profile.facts == () and profile.warnings == ()
    assert [(e.label, e.indicator, e.line) for e in profile.empty_fields] == [
        ("Immigration detainees", "immigration-detainees", 10),
        ("Detained asylum seekers", "detained-asylum-seekers", 11),
        ("Persons expelled", "persons-expelled", 12),
        ("International migrants", "international-migrants", 13),
        ("New asylum applications", "asylum-applications", 14),
    ]
    assert profile.generation is PageGeneration.FIRST_REDESIGN
    assert dict(profile.line_roles)[2] is LineRole.BOILERPLATE  # "You are here"


def test_page_dates_and_generations() -> None:
    expected = {
        "france_2009_introduction_quick_facts.txt": (PageGeneration.OLD_SITE, "2009-04"),
        "spain_quick_facts_2020.txt": (PageGeneration.QUICK_FACTS, "2020-05"),
        "costa_rica_2020_headline_no_data.txt": (PageGeneration.HEADLINE, None),
        "south_africa_quick_facts_empty_values_c2015.txt": (PageGeneration.FIRST_REDESIGN, None),
    }
    for name, (generation, updated) in expected.items():
        profile = read_profile(LEGACY / name)
        assert (profile.generation, profile.last_updated) == (generation, updated), name
        assert [p.updated for p in profile.parts] == [updated]


def test_hybrid_page_gives_both_parts_with_their_own_dates() -> None:
    profile = read_profile(LEGACY / "macedonia_hybrid_2023data_with_2017_profile.txt")
    assert profile.generation is PageGeneration.HYBRID
    headline, older = profile.parts
    assert (headline.generation, headline.updated) == (PageGeneration.CURRENT, None)
    assert (older.generation, older.first_line, older.updated) == (
        PageGeneration.QUICK_FACTS,
        51,
        "2017-06",
    )
    refugees = next(f for f in profile.facts if f.indicator == "refugees")
    assert profile.part_of(refugees.line) is headline  # 2023 data, not "of June 2017"
    assert profile.warnings == ()  # so its 2023 years are not after the older part's date


def test_label_drift_is_mapped_by_reviewed_labels() -> None:
    codes = load_codelists()
    drift = {
        "Immigration detainees": "immigration-detainees",
        "Migration Detainee Entries": "migration-detainee-entries",
        "New asylum applications": "asylum-applications",
        "Asylum Applications": "asylum-applications",
        "Long-term centres": "long-term-centres",
        "Dedicated Detention Centres": "dedicated-detention-centres",
        "Detained Women": "detained-women",
        "Deportations/ Forced Removals": "deportations",
        "Number of asylum claims": "asylum-applications",
        "Max. length of detention": "maximum-detention-length",
    }
    assert {label: codes.indicator_for_label(label).code for label in drift} == drift  # type: ignore[union-attr]
    women = _facts("germany_www_2023data_detained_women.txt", VERSIONS)
    assert women[("detained-women", 2020)].reviewed


def test_every_archive_label_keeps_the_preferred_label() -> None:
    for indicator in load_codelists().indicators:
        if indicator.labels or indicator.headline_labels:
            assert indicator.pref_label in (*indicator.labels, *indicator.headline_labels)


def test_quick_facts_heading_names_the_country() -> None:
    page = parse_profile("Quick Facts: Freedonia\n\nDetention centres: 3 (2010)\n")
    assert page.country == "Freedonia"
    (fact,) = page.facts
    assert (fact.indicator, fact.value, fact.period, fact.section) == (
        "detention-centres",
        3,
        2010,
        "Quick Facts: Freedonia",
    )


def test_headline_labels_with_blank_values_are_empty_fields() -> None:
    page = parse_profile(
        "Testland\n\nImmigration detainees\n\nRefugees\n\n12\n\n2019\n\nOverview\n\nText.\n"
    )
    assert [(e.label, e.indicator) for e in page.empty_fields] == [
        ("Immigration detainees", "immigration-detainees")
    ]
    assert [(f.indicator, f.value, f.period) for f in page.facts] == [("refugees", 12, 2019)]
    assert page.warnings == ()


def test_unknown_quick_facts_label_is_an_unreviewed_fact_with_a_warning() -> None:
    page = parse_profile(
        "Quick Facts: Freedonia\n\nWidgets seized: 1,200 (2011)\n\nSee also: the full report.\n"
    )
    (fact,) = page.facts
    assert (fact.indicator, fact.value, fact.period, fact.reviewed) == (
        "unreviewed-widgets-seized",
        1200,
        2011,
        False,
    )
    assert [(w.kind, w.line) for w in page.warnings] == [
        (WarningKind.UNKNOWN_LABEL, 3),
        (WarningKind.UNRECOGNISED_LINE, 5),  # a sentence with a colon is not a fact
    ]


def test_a_value_of_a_hybrid_page_has_the_date_of_its_own_part() -> None:
    """Each part of a hybrid page dates its own values (gdp:partLastUpdated); the headline
    part prints no date, so its values have none. The given hybrids print every value in
    the headline, so the older part is stretched here over the last three values."""
    import dataclasses

    from gdp_rdf.graph.mapping import map_profile
    from gdp_rdf.reader.codelists import load_codelists
    from gdp_rdf.vocab import DEFAULT_BASE, Iris

    page = read_profile(
        ROOT / "data/archive/legacy-layouts/macedonia_hybrid_2023data_with_2017_profile.txt"
    )
    headline, older = page.parts
    assert (headline.updated, older.updated) == (None, "2017-06")
    parts = (dataclasses.replace(headline, last_line=20), dataclasses.replace(older, first_line=21))
    block = map_profile(
        dataclasses.replace(page, parts=parts), Iris(DEFAULT_BASE), load_codelists()
    )
    lines = block.ntriples.decode().splitlines()
    value_lines = {
        s: o for s, p, o in (line.split(" ", 2) for line in lines) if p.endswith("/def/valueLine>")
    }
    dated = {
        s
        for s, p, o in (line.split(" ", 2) for line in lines)
        if p.endswith("/def/partLastUpdated>")
    }
    assert all(
        '"2017-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' in line
        for line in lines
        if "partLastUpdated" in line
    )
    printed = {int(v.split('"')[1]) for s, v in value_lines.items() if s in dated}
    assert printed == {21, 27, 33}
    # the page as it is: every value in the headline, none dated by the older part
    block = map_profile(page, Iris(DEFAULT_BASE), load_codelists())
    assert b"partLastUpdated" not in block.ntriples
