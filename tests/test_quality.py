"""`gdp-rdf check` on data/profiles/ and on dumps; the quality graph the build writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
import rdflib
from click.testing import CliRunner
from conftest import PROFILES, ROOT

from gdp_rdf.cli import cli
from gdp_rdf.graph.rdf_io import read_rdf
from gdp_rdf.quality.findings import FINDING_COLUMNS
from gdp_rdf.quality.tables import load_checks
from gdp_rdf.quality.validate import validate_quality

SCHEMA = json.loads((ROOT / "schemas" / "quality-findings.schema.json").read_text(encoding="utf-8"))
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # sources print as data/profiles/NAME.txt:LINE


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_findings_on_the_profiles_are_the_golden_file(in_root: None, golden) -> None:  # type: ignore[no-untyped-def]
    result = invoke("check", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(FINDING_COLUMNS)
    golden("quality-profiles.csv", result.stdout)


def test_the_examples_of_the_issue_are_found(in_root: None) -> None:
    found = {
        (r["country"], r["indicator"], r["period"], r["check"])
        for r in rows(invoke("check", "--format", "csv").stdout)
    }
    assert ("KAZ", "gdp-per-capita", "2018", "jump") in found  # 12,601 (2014) -> 25.15 (2018)
    assert ("SMR", "population", "2020", "jump") in found  # 320,000 -> 34,232
    assert ("FSM", "international-migrants", "2019", "jump") in found  # 2,800 -> 117,978
    assert ("FSM", "international-migrants", "2020", "jump") in found  # ... -> 2,832
    assert ("SMR", "migrants-percentage", "2015", "cross-indicator") in found  # 14.8 vs 1.47


def test_profiles_and_their_dumps_give_the_same_findings(in_root: None, built: Path) -> None:
    def key(r: dict[str, str]) -> tuple[str, ...]:
        return tuple(r[c] for c in FINDING_COLUMNS if c != "source") + (
            r["source"].rsplit("/", 1)[-1],
        )

    profiles = sorted(map(key, rows(invoke("check", "--format", "csv").stdout)))
    for dump in ("gdp.nt", "gdp.ttl", "gdp.jsonld"):
        result = invoke("check", "--data", str(built / dump), "--format", "csv")
        assert result.exit_code == 0, result.output
        assert sorted(map(key, rows(result.stdout))) == profiles, dump
    # each country dump alone: its period codes carry the years, its profile document the file
    country_dumps = [
        a for d in sorted((built / "country").glob("*.ttl")) for a in ("--data", str(d))
    ]
    result = invoke("check", *country_dumps, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert sorted(map(key, rows(result.stdout))) == profiles, "country/*.ttl"
    alone = invoke("check", "--data", str(built / "country" / "KAZ.ttl"), "--format", "csv")
    assert sorted(map(key, rows(alone.stdout))) == [k for k in profiles if k[0] == "KAZ"]


def test_json_output_follows_its_schema(in_root: None) -> None:
    result = invoke("check", "--format", "json")
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert [c["code"] for c in document["checks"]] == list(load_checks())
    assert sum(c["findings"] for c in document["checks"]) == len(document["findings"])
    assert len(document["countries"]) == len(list(PROFILES.glob("*.txt")))


def test_the_schema_names_every_check_and_column() -> None:
    assert SCHEMA["$defs"]["check"]["enum"] == list(load_checks())
    finding = SCHEMA["properties"]["findings"]["items"]
    assert finding["required"] == list(FINDING_COLUMNS)


def test_strict_fails_on_warnings_and_errors_only(tmp_path: Path) -> None:
    loose = invoke("check", str(PROFILES / "kazakhstan.txt"))
    assert loose.exit_code == 0
    strict = invoke("check", "--strict", str(PROFILES / "kazakhstan.txt"))
    assert strict.exit_code == 1
    assert strict.stderr.strip().splitlines() == [
        "Error: 1 error or warning finding(s); --strict fails on them"
    ]
    clean = invoke("check", "--strict", str(PROFILES / "andorra.txt"))
    assert clean.exit_code == 0, clean.output


def test_a_threshold_in_the_table_changes_the_findings(tmp_path: Path) -> None:
    table = tmp_path / "thresholds.csv"
    text = (ROOT / "data" / "quality" / "thresholds.csv").read_text(encoding="utf-8")
    table.write_text(text.replace("jump-factor,5,", "jump-factor,10,"), encoding="utf-8")
    profile = str(PROFILES / "san_marino.txt")
    default = {
        r["check"] + " " + r["indicator"]
        for r in rows(invoke("check", profile, "--format", "csv").stdout)
    }
    changed = invoke("check", profile, "--format", "csv", "--thresholds", str(table))
    assert "jump population" in default
    assert "jump population" not in {
        r["check"] + " " + r["indicator"] for r in rows(changed.stdout)
    }


def test_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    table = tmp_path / "thresholds.csv"
    table.write_text("name,value,reason\njump-factor,x,because\n", encoding="utf-8")
    result = invoke("check", str(PROFILES / "kazakhstan.txt"), "--thresholds", str(table))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {table}:2: threshold 'jump-factor' is not a number: 'x'\n"
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = invoke("check", str(empty))
    assert (
        result.exit_code == 1
        and len(result.stderr.splitlines()) == 1
        and str(empty) in result.stderr
    )
    assert invoke("check", "--format", "xml").exit_code == 2


def test_html_report_is_offline_and_links_every_finding(in_root: None, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke("check", "--format", "json", "--html", str(out))
    findings = json.loads(result.stdout)["findings"]
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    for f in findings:
        assert f["source"] in html
    assert "<b>  185  25.15</b>" in html  # the printed line of Kazakhstan's 2018 GDP per capita
    assert "<code>jump-factor</code></td><td>5</td><td>Adjacent points" in html  # and why 5


def test_the_build_writes_a_conforming_quality_graph(built: Path) -> None:
    block = (built / "quality.nt").read_bytes()
    conforms, report = validate_quality(block)
    assert conforms, report
    turtle = rdflib.Graph().parse(built / "quality.ttl")
    jsonld = {str(t) for t in read_rdf(built / "quality.jsonld")}
    assert {str(t) for t in read_rdf(built / "quality.nt")} == jsonld
    assert len(turtle) == block.count(b"\n")
    subjects = {
        line.split(b" ", 1)[0][1:-1].decode()
        for line in (built / "gdp.nt").read_bytes().splitlines()
    }
    targets = set(turtle.objects(None, OA.hasTarget))
    assert targets and all(
        str(t) in subjects for t in targets
    )  # the mapping's IRIs, never new ones
    annotations = set(turtle.subjects(rdflib.RDF.type, DQV.QualityAnnotation))
    total = turtle.value(
        rdflib.URIRef("https://w3id.org/gdp-rdf/id/quality/measurement/gdp/jump"), DQV.value
    )
    assert total is not None and int(total) == sum(
        1
        for a in annotations
        if (a, OA.hasBody, rdflib.URIRef("https://w3id.org/gdp-rdf/code/check/jump")) in turtle
    )
    datasets = "https://w3id.org/gdp-rdf/id/dataset/"
    cubes = {datasets + name for name in ("numbers", "answers", "ranks", "texts", "gaps")}
    assert {str(d) for d in turtle.objects(None, DQV.computedOn)} == cubes | {datasets + "gdp"}
    assert cubes <= subjects  # the data sets the mapping publishes, each measured
    on_numbers = turtle.value(
        rdflib.URIRef("https://w3id.org/gdp-rdf/id/quality/measurement/numbers/jump"), DQV.value
    )
    assert on_numbers == total  # every jump is between numbers
    void = rdflib.Graph().parse(built / "void.ttl")
    dataset = rdflib.URIRef("https://w3id.org/gdp-rdf/id/dataset/gdp")
    assert set(void.objects(dataset, DQV.hasQualityAnnotation)) == annotations
    assert (
        dataset,
        DQV.hasQualityMetadata,
        rdflib.URIRef("https://w3id.org/gdp-rdf/id/dataset/quality"),
    ) in void


def test_the_quality_graph_has_no_blank_nodes(built: Path) -> None:
    assert b"_:" not in (built / "quality.nt").read_bytes()


@pytest.mark.parametrize(
    ("needle", "replacement", "shape"),
    [
        (b"<http://www.w3.org/ns/oa#hasTarget>", b"<http://www.w3.org/ns/oa#hasTargetX>", "target"),
        (
            b"<https://w3id.org/gdp-rdf/code/severity/warning> .",
            b"<https://w3id.org/gdp-rdf/code/check/jump> .",
            "severity",
        ),
        (
            b'<http://www.w3.org/ns/dqv#value> "',
            b'<http://www.w3.org/ns/dqv#value> "-',
            "QualityMeasurementShape-value",
        ),
        (
            b"<http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.w3.org/2016/05/ldqd#",
            b"<http://www.w3.org/2004/02/skos/core#exactMatch> <http://example.org/#",
            "DimensionShape-match",
        ),
    ],
)
def test_each_quality_shape_catches_its_violation(
    built: Path, needle: bytes, replacement: bytes, shape: str
) -> None:
    block = (built / "quality.nt").read_bytes()
    assert needle in block
    conforms, report = validate_quality(block.replace(needle, replacement))
    assert not conforms and shape in report


def test_wikidata_disagreements_are_findings_too(wikidata, built: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "check",
        "--data",
        str(built / "gdp.nt"),
        "--wikidata-endpoint",
        wikidata.query_url,
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    found = [r for r in rows(result.stdout) if r["check"] == "wikidata"]
    assert [
        (r["country"], r["indicator"], r["period"], r["value"], r["source"]) for r in found
    ] == [("KAZ", "treaty-ratified", "1998", "1998", "kazakhstan.txt:268")]


def test_wikidata_check_on_profiles_too(wikidata) -> None:  # type: ignore[no-untyped-def]
    profile = PROFILES / "kazakhstan.txt"
    result = invoke(
        "check", str(profile), "--wikidata-endpoint", wikidata.query_url, "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    found = [r for r in rows(result.stdout) if r["check"] == "wikidata"]
    assert [(r["country"], r["source"]) for r in found] == [("KAZ", f"{profile}:268")]
