"""Detention-facility pages -> typed, line-traceable facts (issue 17, reader side)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner
from conftest import ROOT

from gdp_rdf.errors import ParseError
from gdp_rdf.reader.facility import parse_facility
from gdp_rdf.reader.facility_model import FacilityProfile
from gdp_rdf.reader.facts import Answer, Status, WarningKind
from gdp_rdf.reader.page import read_profile
from gdp_rdf.reader.pages import is_facility_page, parse_page, read_page

FACILITIES = ROOT / "data" / "detention-centres"


def _page(name: str) -> FacilityProfile:
    page = read_page(FACILITIES / name)
    assert isinstance(page, FacilityProfile)
    return page


def test_header_location_and_coordinates() -> None:
    page = _page("mexico_tapachula_estacion_migratoria_siglo_xxi.txt")
    assert (page.name, page.place, page.country, page.country_iso3) == (
        "Tapachula Estacion Migratoria (Siglo XXI)",
        "Tapachula, Chiapas",
        "Mexico",
        "MEX",
    )
    assert (page.city, page.region, page.continent) == ("Tapachula", "Chiapas", "Americas")
    assert (page.latitude, page.longitude) == (Decimal("14.9201954792"), Decimal("-92.259106636"))
    assert page.facility_id == "45"
    (custody,) = [r for r in page.field("custodial-authority") if r.section]
    assert custody.value("ministry-typology").subject == "ministry-type/interior"  # type: ignore[union-attr]
    (service,) = page.field("outsourced-services")
    assert (service.value().value, service.value("service").value, service.period) == (  # type: ignore[union-attr]
        "Policía Auxiliar",
        "Security",
        2018,
    )


def test_status_history_is_kept_as_printed() -> None:
    page = _page("libya_tajura_tajoura_detention_centre.txt")
    history = [(r.value().value, r.period) for r in page.field("facility-status") if r.section]  # type: ignore[union-attr]
    assert history == [
        ("In use", 2020),
        ("In use", 2019),
        ("Closed/ceased migrant detention", 2019),
        ("In use", 2018),
        ("In use", 2017),
        ("In use", 2017),
        ("In use", 2016),
    ]
    tovarnik = _page("croatia_tovarnik_transit_detention_centre.txt")  # the table rendering
    assert [(r.value().subject, r.period) for r in tovarnik.field("facility-status")][-1] == (  # type: ignore[union-attr]
        "facility-status/pending-opening",
        2016,
    )


def test_who_it_detains_and_management_types() -> None:
    page = _page("libya_tajura_tajoura_detention_centre.txt")
    assert page.codes("detains") == (
        "detainee-group/adult-women",
        "detainee-group/adult-men",
        "detainee-group/accompanied-minors",
        "detainee-group/unaccompanied-minors",
    )
    (header, *_) = page.field("management")
    assert (header.value().value, header.value("type").subject) == (  # type: ignore[union-attr]
        "Directorate for Combatting Illegal Migration (DCIM)",
        "organisation-type/governmental",
    )


def test_statistics_box_missing_values_and_dates() -> None:
    helsinki = _page("finland_helsinki_custody_unit_for_aliens.txt")  # the compact rendering
    (population,) = helsinki.field("reported-population")
    assert (population.value().value, population.period, population.date) == (  # type: ignore[union-attr]
        242,
        2003,
        "September 2003",
    )
    (deaths,) = helsinki.field("deaths")
    assert deaths.value().status is Status.NO_DATA  # type: ignore[union-attr]
    tajura = _page("libya_tajura_tajoura_detention_centre.txt")
    (complaints,) = tajura.field("complaints")
    assert (complaints.value().value, complaints.period) == (Answer.YES, 2018)  # type: ignore[union-attr]
    assert tajura.field("custodial-authority")[0].value().status is Status.NOT_AVAILABLE  # type: ignore[union-attr]


def test_oddities_are_kept_and_flagged() -> None:
    sursee = _page("switzerland_sursee_big_yard_deportation_prison.txt")
    capacities = [(r.value().value, r.period) for r in sursee.field("capacity") if r.section]  # type: ignore[union-attr]
    assert capacities == [(14, 2011)]  # a capacity after its 2010 closure, as printed
    gaziantep = _page("turkey_gaziantep_removal_centre.txt")
    odd = [w for w in gaziantep.warnings if w.kind is WarningKind.UNKNOWN_CODE]
    assert [w.line for w in odd] == [19]  # "Removal centre (...)" inside the Detains list
    assert "Removal centre (Geri Gönderme Merkezi)" in [
        f.value for r in gaziantep.field("detains") for f in r.facts
    ]


def test_country_block_is_a_snapshot_not_the_country_values() -> None:
    page = _page("mexico_tapachula_estacion_migratoria_siglo_xxi.txt")
    assert page.snapshot is not None and page.snapshot.country == "Mexico"
    entries = {(f.indicator, f.period): f.value for f in page.snapshot.facts}
    assert entries == {
        ("migration-detainee-entries", 2022): 318660,
        ("detainee-population-single-day", 2020): 3759,
    }
    assert not {f.indicator for f in page.facts} & {i for i, _ in entries}  # not the facility's
    assert {f.line for f in page.snapshot.facts} <= {f.line for f in page.printed_facts}
    mexico = read_profile(
        ROOT / "data" / "archive" / "legacy-layouts" / "mexico_2013_introduction_quick_facts.txt"
    )
    detainees = [f.value for f in mexico.facts if f.indicator == "immigration-detainees"]
    assert detainees == [88501]  # reading a facility page never changes a country's own values


def test_every_fact_is_traceable_to_its_line() -> None:
    for path in sorted(FACILITIES.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        page = _page(path.name)
        for fact in page.printed_facts:
            assert fact.raw in lines[fact.line - 1], (path.name, fact.line, fact.raw)


def test_facility_pages_are_told_apart() -> None:
    text = (FACILITIES / "libya_tajura_tajoura_detention_centre.txt").read_text(encoding="utf-8")
    assert is_facility_page(text)
    assert is_facility_page("\n".join(text.split("\n")[1:]))  # without its source line
    country = (ROOT / "data" / "profiles" / "kazakhstan.txt").read_text(encoding="utf-8")
    assert not is_facility_page(country)
    assert not isinstance(parse_page(country), FacilityProfile)
    with pytest.raises(ParseError):
        parse_facility("# source: https://x.org/detention-centres/1/a\n")


def test_facts_command_reads_facility_pages() -> None:
    from gdp_rdf.cli import cli

    path = FACILITIES / "libya_tajura_tajoura_detention_centre.txt"
    result = CliRunner().invoke(cli, ["facts", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "facility-status,False" not in result.stdout
    assert ",facility-status,true,text,In use,In use,2020," in result.stdout
    assert "migration-detainee-entries" in result.stdout  # the snapshot, with its lines


def test_capacity_and_population_over_time() -> None:
    page = _page("croatia_tovarnik_transit_detention_centre.txt")
    capacity = [(year, fact.value) for year, fact in page.series("capacity")]
    assert capacity == [(None, 62), (2024, 62), (2023, 62), (2022, 62), (2018, 62), (2016, 60)]
    tajura = _page("libya_tajura_tajoura_detention_centre.txt")
    population = [(y, f.value) for y, f in tajura.series("reported-population-single-day")]
    assert population == [(2018, 1055), (2018, 1055), (2017, 90)]  # the box, then the section
