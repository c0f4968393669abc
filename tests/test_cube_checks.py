"""The W3C Data Cube integrity constraints and the SKOS checks: each is shown to catch its
seeded violation, and the real build and a synthetic corpus pass them all."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from gdp_rdf.cli import cli
from gdp_rdf.graph.cube_checks import check_files, check_triples
from gdp_rdf.graph.terms import parse_block

CUBE = Path(__file__).resolve().parent / "data" / "cube"
IC_FIXTURES = sorted(CUBE.glob("ic-*.ttl"))
SKOS_FIXTURES = {
    "s13": "S13",
    "s14": "S14",
    "s27": "S27",
    "s46": "S46",
    "orphan-concepts": "qSKOS orphan concepts",
    "omitted-top-concepts": "qSKOS omitted top concepts",
}


def test_there_is_one_seeded_violation_per_ic() -> None:
    assert [p.stem for p in IC_FIXTURES] == [f"ic-{n:02d}" for n in range(1, 22)]


def test_the_valid_cubes_pass_every_check() -> None:
    for path in (CUBE / "valid.ttl", CUBE / "skos" / "valid.ttl"):
        report = check_files([path])
        assert report.conforms, report.text()


@pytest.mark.parametrize("path", IC_FIXTURES, ids=lambda p: p.stem)
def test_each_ic_catches_its_seeded_violation(path: Path) -> None:
    number = int(path.stem[3:])
    assert check_files([path]).failed().keys() == {f"IC-{number}"}


@pytest.mark.parametrize("name", sorted(SKOS_FIXTURES))
def test_each_skos_check_catches_its_seeded_violation(name: str) -> None:
    report = check_files([CUBE / "skos" / f"{name}.ttl"])
    assert report.failed().keys() == {SKOS_FIXTURES[name]}


def test_ic_12_is_linear_and_catches_a_duplicate() -> None:
    """A duplicate is caught by grouping, not by comparing every pair (no quadratic query)."""
    text = (ROOT / "shapes" / "cube" / "ic-12.rq").read_text(encoding="utf-8")
    assert "?obs2" not in text
    assert check_files([CUBE / "ic-12.ttl"]).failed() == {"IC-12": 2}


def test_the_real_build_passes_every_check(built: Path) -> None:
    report = check_files([built / "gdp.nt"])
    assert report.conforms, report.text()


def test_a_synthetic_corpus_passes_every_check(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "bench_build.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_build"] = bench
    spec.loader.exec_module(bench)
    from gdp_rdf.pipeline import read_and_map
    from gdp_rdf.reader.countries import Country
    from gdp_rdf.reader.facts import Profile

    corpus = bench.make_corpus(68, tmp_path)
    codes = {str(path): code for path, code in corpus}

    def synthetic(profile: Profile) -> Country:
        code = codes[profile.source]
        return Country(code[1:], code, f"Synthland {code}", None, None, None, None, "s", "none")

    kg = read_and_map([path for path, _ in corpus], country_for=synthetic).kg
    report = check_triples(t for _, block in kg.blocks() for t in parse_block(block))
    assert report.conforms, report.text()


def test_validate_cube_command(built: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", "--cube", str(built / "gdp.nt")])
    assert ok.exit_code == 0, ok.output
    assert re.search(r"^IC-17 +pass", ok.stdout, re.M)
    assert "Conforms: all 27 checks hold." in ok.stdout
    bad = runner.invoke(cli, ["validate", "--cube", str(CUBE / "ic-15.ttl")])
    assert bad.exit_code == 1
    assert re.search(r"^IC-15 +FAIL 1", bad.stdout, re.M)
    missing = runner.invoke(cli, ["validate", "--cube", str(CUBE / "nope.ttl")])
    assert missing.exit_code == 1 and "nope.ttl" in missing.stderr
    assert "Traceback" not in missing.output
