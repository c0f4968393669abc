"""What `gdp-rdf build` with no arguments builds (issue 17 item 5): the profiles, the facility
pages and the archived generations as history; a facility page alone and with its country's
profile; VoID counts that are true of the files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import FACILITIES, PROFILES, ROOT

from gdp_rdf.cli import cli
from gdp_rdf.graph.cube_checks import check_files
from gdp_rdf.graph.terms import split_line
from gdp_rdf.history.build import default_sources
from gdp_rdf.pipeline import build
from gdp_rdf.vocab import DEFAULT_BASE, QB, RDF

GDP = DEFAULT_BASE + "def/"
VOID = "http://rdfs.org/ns/void#"
LEGACY = ROOT / "data" / "archive" / "legacy-layouts"
TAPACHULA = FACILITIES / "mexico_tapachula_estacion_migratoria_siglo_xxi.txt"
MEXICO_2013 = LEGACY / "mexico_2013_introduction_quick_facts.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def triples(path: Path) -> list[tuple[str, str, str]]:
    return [split_line(line) for line in path.read_text("utf-8").splitlines(keepends=True)]


def test_the_default_build_reads_profiles_facility_pages_and_the_archive() -> None:
    sources = default_sources(ROOT)
    assert sources.pages == [PROFILES, FACILITIES]
    assert [p.name for p in sources.history] == ["legacy-layouts", "profile-versions"]
    elsewhere = default_sources(ROOT / "tests")  # no data/ there: the profiles-only default
    assert sources.pages[0] != elsewhere.pages[0] and elsewhere.history == []


def test_the_built_fixture_holds_the_facilities_and_every_page_version(
    built: Path, built_history: Path
) -> None:
    facilities = {
        s
        for s, p, o in triples(built / "gdp.nt")
        if p == f"{RDF}type" and o == f"<{GDP}DetentionFacility>"
    }
    assert len(facilities) == 6
    versions = [
        t
        for t in triples(built_history / "history.nt")
        if t[1] == f"{RDF}type" and t[2] == f"<{GDP}PageVersion>"
    ]
    archived = len(list(LEGACY.glob("*.txt"))) + len(
        list((ROOT / "data" / "archive" / "profile-versions").glob("*.txt"))
    )
    assert len(versions) == len(list(PROFILES.glob("*.txt"))) + archived == 65


def test_a_country_only_in_archived_copies_is_in_history_only(
    built: Path, built_history: Path
) -> None:
    """Spain, France, Germany, ... are printed only in data/archive/: never in the current view."""
    current = {f"<{s}>" for s, _, _ in triples(built / "gdp.nt")} | {
        o for _, _, o in triples(built / "gdp.nt")
    }
    history = triples(built_history / "history.nt")
    for iso3 in ("ESP", "FRA", "DEU", "GBR", "AUS", "HUN", "ITA"):
        country = f"<{DEFAULT_BASE}id/country/{iso3}>"
        assert any(o == country for _, _, o in history), iso3
        assert country not in current, iso3
        assert not (built / "country" / f"{iso3}.ttl").exists()


def test_the_history_does_not_change_the_current_view(built: Path, built_history: Path) -> None:
    for name in ("gdp.nt", "gdp.ttl", "country/KAZ.ttl", "country/MEX.ttl", "quality.nt"):
        assert (built_history / name).read_bytes() == (built / name).read_bytes(), name
    assert not (built / "history.nt").exists() and (built_history / "history.nt").exists()


def test_a_hybrid_page_is_dated_by_its_headline_not_its_older_part(
    built: Path, built_history: Path
) -> None:
    """The hybrid pages' "Last updated: September 2012" belongs to the older profile under the
    headline; the headline's 2022-2023 figures are not dated 2012."""
    by_subject: dict[str, dict[str, str]] = {}
    for s, p, o in triples(built_history / "history.nt"):
        by_subject.setdefault(s, {})[f"<{p}>"] = o
    hybrids = {
        v[f"<{GDP}fileName>"]: v
        for v in by_subject.values()
        if "hybrid" in v.get(f"<{GDP}fileName>", "") or "_www_202" in v.get(f"<{GDP}fileName>", "")
    }
    iceland = hybrids['"iceland_www_2023data_apprehensions_2019.txt"']
    assert f"<{GDP}versionDate>" not in iceland
    assert iceland[f"<{GDP}dateBasis>"] == '"undated"'
    macedonia = hybrids['"macedonia_hybrid_2023data_with_2017_profile.txt"']
    assert macedonia[f"<{GDP}dateBasis>"] == '"undated"'
    # each part with its own date: the older profile's "Last updated" month is kept
    year_month = "<http://www.w3.org/2001/XMLSchema#gYearMonth>"
    assert macedonia[f"<{GDP}olderPartDate>"] == f'"2017-06"^^{year_month}'
    assert iceland[f"<{GDP}olderPartDate>"] == f'"2012-09"^^{year_month}'


def test_every_legacy_generation_maps_and_dates_its_figures(
    built: Path, built_history: Path
) -> None:
    store = ox.Store()
    for name in ("gdp.nt", "history.nt"):
        store.load(path=str(built_history / name), format=ox.RdfFormat.N_TRIPLES)
    rows = store.query(
        f"""PREFIX gdp: <{GDP}>
        SELECT ?file (COUNT(?value) AS ?values) WHERE {{
          ?version a gdp:PageVersion ; gdp:fileName ?file .
          OPTIONAL {{ ?value gdp:version ?version }}
        }} GROUP BY ?file"""
    )
    counts = {str(r[0].value): int(r[1].value) for r in rows}  # type: ignore[index]
    for path in LEGACY.glob("*.txt"):
        assert path.name in counts, path.name
    assert counts["spain_2013_introduction_quick_facts.txt"] >= 18
    assert counts["italy_quick_facts_empty_values_c2015.txt"] == 0  # labels with no values


def test_a_facility_page_builds_on_its_own(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    code, stdout, stderr = run("build", str(TAPACHULA), "--out", str(out), "--no-cache")
    assert code == 0, stderr
    assert "from 0 profiles and 1 facility page into" in stdout
    assert not (out / "history.nt").exists()  # explicit pages: no archive
    report = check_files([out / "gdp.nt"])
    assert report.conforms, report.text()
    code, stdout, _ = run("validate", "--cube", str(out / "gdp.nt"))
    assert code == 0, stdout


def test_a_facility_page_builds_with_its_countrys_profile(tmp_path: Path) -> None:
    """Mexico's profile (the 2013 page) and Tapachula: one block, every check passes, and the
    facility's country block (318,660 entries for 2022) changes none of Mexico's own values."""
    alone, joined = tmp_path / "alone", tmp_path / "joined"
    code, _, stderr = run("build", str(MEXICO_2013), "--out", str(alone), "--no-cache")
    assert code == 0, stderr
    code, stdout, stderr = run(
        "build", str(MEXICO_2013), str(TAPACHULA), "--out", str(joined), "--no-cache"
    )
    assert code == 0, stderr
    assert "from 1 profile and 1 facility page into" in stdout
    report = check_files([joined / "gdp.nt"])
    assert report.conforms, report.text()
    own = {t for t in triples(alone / "gdp.nt") if "/id/observation/MEX/" in t[0]}
    after = {t for t in triples(joined / "gdp.nt") if "/id/observation/MEX/" in t[0]}
    assert own and own == after
    country = f"<{DEFAULT_BASE}id/country/MEX>"
    facts = triples(joined / "gdp.nt")
    assert not any(p == f"{GDP}refArea" and o == country and "snapshot" in s for s, p, o in facts)
    assert any('"318660"' in o and "snapshot" in s for s, _, o in facts)


def test_the_country_block_never_becomes_a_countrys_value_in_the_default_build(
    built: Path,
) -> None:
    observed = [t for t in triples(built / "gdp.nt") if t[1] == f"{GDP}refArea"]
    assert observed and not any("snapshot" in s or "/facility/" in s for s, _, _ in observed)
    snapshots = [
        t
        for t in triples(built / "gdp.nt")
        if t[1] == f"{RDF}type" and t[2] == f"<{GDP}CountrySnapshot>"
    ]
    assert len(snapshots) == 5  # Finland's page prints no country block


def test_the_default_build_graph_passes_the_cube_and_skos_checks(built: Path) -> None:
    report = check_files([built / "gdp.nt", built / "void.ttl"])
    assert report.conforms, report.text()


def _void(built: Path) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for quad in ox.parse(path=str(built / "void.ttl"), format=ox.RdfFormat.TURTLE):
        if isinstance(quad.object, ox.Literal):
            found[(quad.subject.value, quad.predicate.value)] = quad.object.value  # type: ignore[union-attr]
    return found


def test_void_counts_are_true_of_the_files(built: Path, built_history: Path) -> None:
    void = _void(built_history)
    built = built_history  # the whole default build, history included
    dumps = DEFAULT_BASE + "dumps/"
    for name in ("gdp.nt", "history.nt", "quality.nt"):
        lines = (built / name).read_bytes().count(b"\n")
        assert int(void[(dumps + name, VOID + "triples")]) == lines, name
        assert int(void[(dumps + name, "http://www.w3.org/ns/dcat#byteSize")]) == (
            (built / name).stat().st_size
        )
    for name in ("history.ttl", "gdp.ttl"):
        parsed = len(list(ox.parse(path=str(built / name), format=ox.RdfFormat.TURTLE)))
        assert int(void[(dumps + name, VOID + "triples")]) == parsed, name
    whole = triples(built / "gdp.nt")
    assert int(void[(DEFAULT_BASE + "id/dataset/gdp", VOID + "triples")]) == len(whole)
    cube = f"<{DEFAULT_BASE}id/dataset/facility-numbers>"
    observations = {s for s, p, o in whole if p == f"{QB}dataSet" and o == cube}
    per_subject = Counter(s for s, _, _ in whole)
    facility_numbers = DEFAULT_BASE + "id/dataset/facility-numbers"
    assert int(void[(facility_numbers, VOID + "entities")]) == len(observations) == 18
    assert int(void[(facility_numbers, VOID + "triples")]) == sum(
        per_subject[s] for s in observations
    )
    typed = {s for s, p, o in whole if p == f"{RDF}type" and o == f"<{QB}Observation>"}
    assert observations <= typed


@pytest.mark.parametrize("name", sorted(p.name for p in FACILITIES.glob("*.txt")))
def test_every_facility_page_builds_alone_and_passes_the_cube_checks(
    name: str, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    result = build([FACILITIES / name], out, cache_dir=None, workers=1)
    assert result.report.conforms, result.report.text()
    assert result.profiles == 0 and result.facilities == 1
    report = check_files([out / "gdp.nt"])
    assert report.conforms, report.text()
