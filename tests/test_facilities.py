"""Facility pages in the graph: the facility, its values with their lines, its own cube, and
a country block that never becomes the country's values (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from gdp_rdf.graph.cube_checks import check_triples
from gdp_rdf.graph.facilities import join_blocks, map_facility
from gdp_rdf.graph.mapping import map_profile
from gdp_rdf.graph.terms import parse_block, split_line
from gdp_rdf.pipeline import build
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.reader.facility_model import FacilityProfile
from gdp_rdf.reader.facts import Profile
from gdp_rdf.reader.page import parse_profile
from gdp_rdf.reader.pages import read_page
from gdp_rdf.vocab import DEFAULT_BASE, GEO, PROV, QB, RDF, RDFS, Iris

ROOT = Path(__file__).resolve().parent.parent
FACILITIES = ROOT / "data" / "detention-centres"
TAJURA = FACILITIES / "libya_tajura_tajoura_detention_centre.txt"
GDP = DEFAULT_BASE + "def/"
FACILITY = DEFAULT_BASE + "id/facility/LBY/2026"
PAGE = DEFAULT_BASE + "id/facility-page/LBY/2026"


def tajura() -> FacilityProfile:
    page = read_page(TAJURA)
    assert isinstance(page, FacilityProfile)
    return page


def lines_of(block: bytes) -> set[tuple[str, str, str]]:
    return {split_line(line) for line in block.decode("utf-8").splitlines(keepends=True)}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    block = map_facility(tajura(), Iris(), load_codelists())
    found = ox.Store()
    found.extend(ox.Quad(t.subject, t.predicate, t.object) for t in parse_block(block.ntriples))
    return found


def ask(store: ox.Store, where: str) -> list[tuple[str, ...]]:
    names = {"gdp": GDP, "rdfs": RDFS, "geo": GEO, "prov": PROV, "qb": QB}
    query = "".join(f"PREFIX {p}: <{n}> " for p, n in names.items()) + where
    return sorted(tuple(str(v.value) for v in row) for row in store.query(query))  # type: ignore[union-attr]


def test_the_facility_is_a_place_with_its_country_and_coordinates(store: ox.Store) -> None:
    rows = ask(
        store,
        f"SELECT ?lat ?lon ?wkt ?country WHERE {{ <{FACILITY}> a gdp:DetentionFacility ; "
        "gdp:latitude ?lat ; gdp:longitude ?lon ; gdp:country ?country ; "
        "geo:hasGeometry/geo:asWKT ?wkt }",
    )
    assert rows == [
        ("32.893565", "13.328017", "POINT(13.328017 32.893565)", DEFAULT_BASE + "id/country/LBY")
    ]


def test_status_history_keeps_every_printed_year_and_line(store: ox.Store) -> None:
    rows = ask(
        store,
        "SELECT ?year ?status ?line WHERE { ?s gdp:facilityField "
        "<https://w3id.org/gdp-rdf/code/facility-field/facility-status> ; gdp:period ?year ; "
        "gdp:codedValue ?status ; gdp:valueLine ?line }",
    )
    closed = DEFAULT_BASE + "code/facility-status/closed"
    assert ("2019", closed, "71") in rows  # closed and in use in 2019: both kept as printed
    assert ("2019", DEFAULT_BASE + "code/facility-status/in-use", "67") in rows
    assert len(rows) == 8


def test_who_it_detains_and_who_runs_it_are_codes_and_organisations(store: ox.Store) -> None:
    detains = ask(store, f"SELECT ?c WHERE {{ <{FACILITY}> gdp:detains ?c }}")
    assert (DEFAULT_BASE + "code/detainee-group/unaccompanied-minors",) in detains
    managers = ask(
        store,
        f"SELECT ?name ?type WHERE {{ <{FACILITY}> gdp:management ?o . "
        "?o rdfs:label ?name ; gdp:organisationType ?type }",
    )
    names = {name for name, _ in managers}
    assert names == {
        "Directorate for Combatting Illegal Migration (DCIM)",
        "Passport Investigations Department",
    }
    assert {t for _, t in managers} == {DEFAULT_BASE + "code/organisation-type/governmental"}


def test_not_available_is_a_status_not_a_value(store: ox.Store) -> None:
    rows = ask(
        store,
        "SELECT ?status WHERE { ?s gdp:facilityField "
        "<https://w3id.org/gdp-rdf/code/facility-field/custodial-authority> ; "
        "gdp:missingStatus ?status FILTER NOT EXISTS { ?s gdp:textValue ?v } }",
    )
    assert rows == [(DEFAULT_BASE + "code/status/not-available",)]


def test_capacity_and_population_are_observations_of_the_facility(store: ox.Store) -> None:
    rows = ask(
        store,
        "SELECT ?field ?period ?value WHERE { ?o qb:dataSet "
        "<https://w3id.org/gdp-rdf/id/dataset/facility-numbers> ; gdp:refFacility "
        f"<{FACILITY}> ; gdp:facilityField ?field ; gdp:refPeriod ?period ; "
        f"gdp:numericValue ?value ; prov:wasDerivedFrom <{PAGE}> }}",
    )
    short = {(f.rsplit("/", 1)[1], p.rsplit("/", 1)[1], v) for f, p, v in rows}
    assert short == {
        ("capacity", "unknown", "500"),
        ("capacity", "2017", "500"),
        ("reported-population-single-day", "2018", "1055"),
        ("reported-population-single-day", "2017", "90"),
    }


def test_every_facility_value_names_its_page_and_line(store: ox.Store) -> None:
    missing = ask(
        store,
        "SELECT ?s WHERE { ?s a gdp:FacilityStatement "
        f"FILTER NOT EXISTS {{ ?s prov:wasDerivedFrom <{PAGE}> ; gdp:sourceLine ?l }} }}",
    )
    assert missing == []
    assert len(ask(store, "SELECT ?s WHERE { ?s a gdp:FacilityStatement }")) == len(tajura().facts)


def _libya_profile() -> Profile:
    text = (ROOT / "data" / "profiles" / "turkmenistan.txt").read_text(encoding="utf-8")
    text = text.replace("asia-pacific/turkmenistan", "africa/libya").replace(
        "Turkmenistan", "Libya"
    )
    return parse_profile(text, "libya.txt")


def test_the_country_block_of_a_facility_page_never_changes_the_countrys_values() -> None:
    iris, codes = Iris(), load_codelists()
    country = map_profile(_libya_profile(), iris, codes)
    facility = map_facility(tajura(), iris, codes)
    (joined,) = join_blocks([country], [facility])
    own = lines_of(country.ntriples)
    added = lines_of(joined.ntriples) - own
    assert own <= lines_of(joined.ntriples)
    observation = DEFAULT_BASE + "id/observation/LBY/"
    assert not {s for s, _, _ in added if s.startswith(observation)}
    assert not {
        s for s, p, _ in added if p in (GDP + "refArea", QB + "dataSet") and "facility" not in s
    }
    snapshot = {o for s, p, o in added if p == GDP + "numericValue" and "country-snapshot" in s}
    assert snapshot == {
        '"8672"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"12000"^^<http://www.w3.org/2001/XMLSchema#integer>',
    }


def test_a_facility_page_builds_on_its_own_and_passes_the_cube_checks(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = build([TAJURA], out, cache_dir=None)
    assert result.report.conforms, result.report.text()
    assert (out / "country" / "LBY.ttl").exists()
    triples = parse_block((out / "gdp.nt").read_bytes())
    assert check_triples(triples).conforms
    assert any(
        t.predicate == ox.NamedNode(RDF + "type")
        and t.object == ox.NamedNode(GDP + "DetentionFacility")
        for t in triples
    )


def test_every_facility_page_builds_with_the_profiles_deterministically(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = build([ROOT / "data" / "profiles", FACILITIES], out, cache_dir=None)
        assert result.report.conforms, result.report.text()
    assert (first / "gdp.nt").read_bytes() == (second / "gdp.nt").read_bytes()
    assert check_triples(parse_block((first / "gdp.nt").read_bytes())).conforms
