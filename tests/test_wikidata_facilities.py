"""Wikidata candidates for detention facilities (`gdp-rdf link resolve --facilities`), against
the Wikidata-shaped fixture in a real Oxigraph server on loopback (issue 17, item 6)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from pyoxigraph import NamedNode

from gdp_rdf.cli import cli
from gdp_rdf.graph.facilities import map_facility
from gdp_rdf.graph.terms import parse_block
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.vocab import Iris
from gdp_rdf.wikidata.facilities import (
    DEFAULT_RADIUS_KM,
    find_facility_candidates,
    read_facilities,
)
from gdp_rdf.wikidata.geo import bounding_box, great_circle_km, point_of
from gdp_rdf.wikidata.names import facility_names, name_key

LINKS = ROOT / "data" / "links"
PAGES = ROOT / "data" / "detention-centres"
WD = "http://www.wikidata.org/entity/"
TOVARNIK = "https://w3id.org/gdp-rdf/id/facility/HRV/1949"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def resolve(endpoint: str, *args: str):  # type: ignore[no-untyped-def]
    return invoke("link", "resolve", "--facilities", "--endpoint", endpoint, *args)


def links_digest() -> dict[str, str]:
    return {
        str(p.relative_to(LINKS)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(LINKS.rglob("*"))
        if p.is_file()
    }


@pytest.mark.server
def test_candidates_by_name_country_and_distance(wikidata) -> None:  # type: ignore[no-untyped-def]
    before = links_digest()
    result = resolve(wikidata.query_url, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {(r["key"], r["qid"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert set(rows) == {
        ("HRV/1949", "Q999000100"),
        ("MEX/45", "Q999000104"),
        ("CHE/354", "Q999000105"),
        ("TUR/1655", "Q999000107"),
        ("FIN/1046", "Q999000106"),
    }
    # the near same-name item, with its distance, its page line and the facility's IRI
    near = rows[("HRV/1949", "Q999000100")]
    assert (near["facility"], near["name"], near["country_match"], near["distance_km"]) == (
        TOVARNIK,
        "Tovarnik Transit Detention Centre",
        "yes",
        "0.16",
    )
    assert near["reason"] == "label = name as printed; within 5 km"
    assert near["source"].endswith("croatia_tovarnik_transit_detention_centre.txt:5")
    # found by place, its label equal to the printed name but for case and accents
    mexico = rows[("MEX/45", "Q999000104")]
    assert mexico["matched_name"] == "TAPACHULA Estación Migratoria Siglo XXI"
    assert (mexico["distance_km"], mexico["reason"]) == (
        "2.27",
        "label ~ name as printed; within 5 km",
    )
    # no P625 on the item, or no coordinates on the page: by name only, and it says so
    sursee = rows[("CHE/354", "Q999000105")]
    assert sursee["distance_km"] == ""
    assert sursee["reason"] == "label = name in parentheses; item has no P625: name only"
    helsinki = rows[("FIN/1046", "Q999000106")]
    assert helsinki["reason"].endswith("page has no coordinates: name only")
    assert rows[("TUR/1655", "Q999000107")]["country_match"] == "no P17"
    # the same name in Serbia (4.3 km away), in Zagreb (~250 km) and a near item with another
    # name are not proposed
    assert not {"Q999000101", "Q999000102", "Q999000103"} & {qid for _, qid in rows}
    assert links_digest() == before  # nothing written to data/links/
    assert result.stderr == ""


@pytest.mark.server
def test_radius_option_and_formats(wikidata) -> None:  # type: ignore[no-untyped-def]
    tight = resolve(wikidata.query_url, "--facility-radius-km", "0.1", "--format", "json")
    assert tight.exit_code == 0, tight.output
    found = {(r["key"], r["qid"]): r for r in json.loads(tight.stdout)}
    assert ("HRV/1949", "Q999000100") not in found and ("MEX/45", "Q999000104") not in found
    assert found[("CHE/354", "Q999000105")]["distance_km"] is None  # name only: no radius
    wide = resolve(wikidata.query_url, "--facility-radius-km", "3", "--format", "json")
    distances = {(r["key"], r["qid"]): r["distance_km"] for r in json.loads(wide.stdout)}
    assert distances[("HRV/1949", "Q999000100")] == 0.16 and ("MEX/45", "Q999000104") in distances
    table = resolve(wikidata.query_url)
    header, rule, *lines = table.stdout.splitlines()
    assert header.split() == [
        "key",
        "name",
        "qid",
        "wikidata_label",
        "country_match",
        "distance_km",
        "reason",
    ]
    assert set(rule) == {"-", " "} and len(lines) == 5
    assert resolve(wikidata.query_url).stdout == table.stdout  # same input, same output


@pytest.mark.server
def test_core_asks_by_place_and_by_name(wikidata) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[int, int]] = []
    pages = read_facilities(PAGES)
    result = find_facility_candidates(
        wikidata.query_url, pages, progress=lambda *call: calls.append(call)
    )
    with_point = sum(p.latitude is not None for p in pages)
    assert len(calls) == len(pages) + with_point == 10
    assert calls == [(done, 10) for done in range(1, 11)]
    assert result.skipped == ()


@pytest.mark.parametrize("radius", ["0", "-1", "nan", "inf", "101", "five"])
def test_bad_radius_is_a_usage_error(radius: str) -> None:
    result = invoke("link", "resolve", "--facilities", "--facility-radius-km", radius)
    assert result.exit_code == 2 and result.stdout == ""
    assert "'--facility-radius-km'" in result.stderr


def test_usage_errors_name_the_option(tmp_path: Path) -> None:
    both = invoke("link", "resolve", "--facilities", "--accept")
    assert both.exit_code == 2 and "--accept and --facilities" in both.stderr
    missing = invoke(
        "link", "resolve", "--facilities", "--facility-pages", str(tmp_path / "missing")
    )
    assert missing.exit_code == 2 and "'--facility-pages'" in missing.stderr


def test_endpoint_down_is_one_line() -> None:
    from oxigraph_server import free_port

    before = links_digest()
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = invoke("link", "resolve", "--facilities", "--endpoint", url)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and f"{url}: cannot reach the endpoint" in result.stderr
    assert links_digest() == before


def test_help_states_the_default_radius() -> None:
    result = invoke("link", "resolve", "--help")
    assert result.exit_code == 0 and "--facility-radius-km" in result.stdout
    assert f"default: {DEFAULT_RADIUS_KM}" in result.stdout


def test_names_are_compared_without_case_accents_or_punctuation() -> None:
    assert name_key("Estación  Migratoria (Siglo XXI)") == "estacion migratoria siglo xxi"
    assert name_key("GROSSHOF Ausschaffungsgefängnis") == "grosshof ausschaffungsgefangnis"
    (sursee,) = [p for p in read_facilities(PAGES) if p.facility_id == "354"]
    names = {(n.text, n.kind) for n in facility_names(sursee)}
    assert names == {
        (
            'Sursee "Big Yard" Deportation Prison (Grosshof Ausschaffungsgefängnis Sursee)',
            "name as printed",
        ),
        ("Grosshof Ausschaffungsgefängnis Sursee", "name in parentheses"),
        ('Sursee "Big Yard" Deportation Prison', "name without parentheses"),
    }
    (tajura,) = [p for p in read_facilities(PAGES) if p.facility_id == "2026"]
    # a one-word part in parentheses is a spelling, not a name of its own
    assert "Tajoura" not in {n.text for n in facility_names(tajura)}


def test_distance_and_box() -> None:
    assert math.isclose(great_circle_km(0, 0, 0, 1), 111.195, rel_tol=1e-4)
    assert point_of("Point(19.146 45.195)") == (45.195, 19.146)
    assert point_of("<http://www.wikidata.org/entity/Q405> Point(1 2)") is None  # the Moon
    south, west, north, east = bounding_box(45.0, 19.0, 5.0)
    assert south < 45 < north and west < 19 < east
    for lat, lon in ((45.0 + 0.0449, 19.0), (45.0, 19.0 + 0.0635)):  # ~5 km north, east
        assert great_circle_km(45.0, 19.0, lat, lon) < 5.0 and south <= lat <= north
        assert west <= lon <= east
    west, east = bounding_box(0.0, 179.99, 5.0)[1::2]
    assert west > east  # across the antimeridian: the query ORs the two sides
    assert bounding_box(89.99, 0.0, 5.0)[1::2] == (-180.0, 180.0)


def test_no_facility_is_linked_to_wikidata() -> None:
    """Facility links stay empty: no verified facility QID exists, so no facility triple
    points at Wikidata (the page's country, described as its profile would, keeps its own
    verified country link)."""
    codes = load_codelists()
    countries = Iris().country("")
    for page in read_facilities(PAGES):
        block = map_facility(page, Iris(), codes)
        objects = [
            t.object
            for t in parse_block(block.ntriples)
            if not t.subject.value.startswith(countries)
        ]
        assert objects
        assert not [o for o in objects if isinstance(o, NamedNode) and o.value.startswith(WD)]


def test_link_status_counts_the_facilities() -> None:
    result = invoke("link", "status")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and "facilities: 0/6 linked" in lines
    assert "  unlinked HRV/1949: Tovarnik Transit Detention Centre (no verified QID)" in lines
    assert lines.index("facilities: 0/6 linked") > lines.index("countries: 34/34 linked")


def test_facility_options_need_facilities() -> None:
    result = invoke("link", "resolve", "--format", "json")
    assert result.exit_code == 2 and "--format goes with --facilities" in result.stderr


@pytest.mark.server
def test_a_country_without_verified_qid_is_skipped_and_said(wikidata, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "links"
    shutil.copytree(LINKS, folder)
    table = (folder / "countries.csv").read_text(encoding="utf-8")
    (folder / "countries.csv").write_text(table.replace(",Q224,", ",,"), encoding="utf-8")
    result = resolve(wikidata.query_url, "--links-dir", str(folder), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "HRV/1949" not in result.stdout and "CHE/354" in result.stdout
    assert result.stderr == "skipped HRV/1949: the country has no verified QID in countries.csv\n"
