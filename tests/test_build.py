"""`gdp-rdf build` and `gdp-rdf validate`: files, determinism, round trips, failures."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from conftest import FACILITIES, PROFILES, ROOT
from pyld import jsonld

from gdp_rdf import pipeline
from gdp_rdf.cli import cli
from gdp_rdf.reader import codelists

DUMPS = ("gdp.ttl", "gdp.nt", "gdp.jsonld", "context.jsonld", "void.ttl")


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def triples_of(path: Path) -> set[str]:
    fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}[path.suffix]
    return {str(t) for t in ox.parse(path=str(path), format=fmt)}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_build_writes_every_file(built: Path) -> None:
    for name in DUMPS:
        assert (built / name).stat().st_size > 0
    countries = sorted(p.stem for p in (built / "country").glob("*.ttl"))
    # 34 profiles and the 6 facility pages' countries (issue 17), each a standalone dump
    assert len(countries) == 40 and "KAZ" in countries and "XKX" in countries
    assert {"CHE", "FIN", "HRV", "LBY", "MEX", "TUR"} <= set(countries)


def test_cli_build_and_validate(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = invoke("build", "--out", str(out), "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Built ") and "34 profiles" in result.stdout
    check = invoke("validate", str(out / "gdp.ttl"))
    assert check.exit_code == 0 and check.stdout.startswith("Conforms")


def test_every_dump_round_trips(built: Path) -> None:
    turtle = triples_of(built / "gdp.ttl")
    assert turtle == triples_of(built / "gdp.nt")
    graph = rdflib.Graph().parse(built / "gdp.ttl")
    reference = rdflib.Graph().parse(built / "gdp.nt")
    assert len(graph) == len(turtle) and graph.isomorphic(reference)
    document = json.loads((built / "gdp.jsonld").read_text(encoding="utf-8"))
    context = json.loads((built / "context.jsonld").read_text(encoding="utf-8"))

    def loader(url: str, options: object = None) -> dict[str, object]:
        assert url.endswith("/context.jsonld"), url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    nquads = jsonld.to_rdf(
        document,
        {
            "format": "application/n-quads",
            "base": (built / "gdp.jsonld").as_uri(),
            "documentLoader": loader,
        },
    )
    expanded = {str(q.triple) for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)}
    assert expanded == turtle
    assert rdflib.Graph().parse(data=nquads, format="nt").isomorphic(graph)  # default graph only


def test_ntriples_dump_is_sorted(built: Path) -> None:
    lines = (built / "gdp.nt").read_bytes().splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))


def test_void_describes_the_dumps(built: Path) -> None:
    void = rdflib.Graph().parse(built / "void.ttl")
    result = void.query(
        """PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
           PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX dcterms: <http://purl.org/dc/terms/>
           SELECT ?url ?size ?sha WHERE { ?url dcat:byteSize ?size ;
             spdx:checksum/spdx:checksumValue ?sha }"""
    )
    described = {str(r.url).rsplit("/dumps/", 1)[1]: (int(r.size), str(r.sha)) for r in result}
    bookkeeping = {"void.ttl", ".gdp-rdf-build.json", "warnings.json"}  # not dumps
    files = {name: data for name, data in tree(built).items() if name not in bookkeeping}
    assert set(described) == set(files)
    for name, data in files.items():
        assert described[name] == (len(data), hashlib.sha256(data).hexdigest()), name
    triples = int(
        void.value(
            rdflib.URIRef("https://w3id.org/gdp-rdf/id/dataset/gdp"),
            rdflib.URIRef("http://rdfs.org/ns/void#triples"),
        )
    )
    assert triples == len(triples_of(built / "gdp.nt"))
    modified = void.value(
        rdflib.URIRef("https://w3id.org/gdp-rdf/id/dataset/gdp"),
        rdflib.URIRef("http://purl.org/dc/terms/modified"),
    )
    assert str(modified) == "2024-07"  # the newest "Last updated" of the profiles, not the clock
    partitions = void.query(
        """PREFIX void: <http://rdfs.org/ns/void#> SELECT ?n WHERE { ?d void:classPartition ?p .
           ?p void:class <https://w3id.org/gdp-rdf/def/Country> ; void:entities ?n }"""
    )
    assert [int(r.n) for r in partitions] == [40]  # 34 profiles, 6 facility pages' countries


def test_void_is_honest(built: Path) -> None:
    """Distributions of the whole graph are the whole graph; each country is a subset with
    its own dump; one class per partition; counts true for the declared URI space."""
    void = rdflib.Graph().parse(built / "void.ttl")
    prefix = """PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX dataset: <https://w3id.org/gdp-rdf/id/dataset/>
    """

    def ask(query: str) -> set[tuple[str, ...]]:
        return {tuple(str(v) for v in row) for row in void.query(prefix + query)}  # type: ignore[union-attr]

    whole = ask("SELECT ?url WHERE { dataset:gdp dcat:distribution ?url }")
    assert {u[0].rsplit("/", 1)[1] for u in whole} == {"gdp.ttl", "gdp.nt", "gdp.jsonld"}
    subsets = ask(
        """SELECT ?subset ?url WHERE { dataset:gdp void:subset ?subset .
           ?subset a dcat:Dataset ; dcat:distribution ?url }"""
    )
    assert len(subsets) == 40  # 34 profiles, 6 countries of facility pages
    assert all(url.endswith(f"/dumps/country/{s.rsplit('/', 1)[1]}.ttl") for s, url in subsets)
    assert not ask("SELECT ?p WHERE { ?p void:class ?a , ?b FILTER (?a != ?b) }")
    (formats,) = zip(*ask("SELECT DISTINCT ?f WHERE { ?d dcterms:format ?f }"), strict=True)
    assert all(f.startswith("http://publications.europa.eu/resource/authority/file-type/") for f in formats)
    assert ask(
        """SELECT ?s WHERE { dataset:gdp void:sparqlEndpoint ?e . ?s a dcat:DataService ;
           dcat:endpointURL ?e ; dcat:servesDataset dataset:gdp }"""
    )
    vocabularies = {v for (v,) in ask("SELECT ?v WHERE { dataset:gdp void:vocabulary ?v }")}
    assert {
        "http://purl.org/linked-data/sdmx/2009/dimension#",
        "http://purl.org/linked-data/sdmx/2009/attribute#",
        "http://www.w3.org/2002/07/owl#",
        "http://purl.org/dc/terms/",
    } <= vocabularies
    subjects = {line.split(" ", 1)[0] for line in (built / "gdp.nt").read_text("utf-8").splitlines()}
    in_space = sum(1 for s in subjects if s.startswith("<https://w3id.org/gdp-rdf/"))
    ((entities,),) = ask("SELECT ?n WHERE { dataset:gdp void:entities ?n ; void:uriSpace ?space }")
    assert int(entities) == in_space


def test_kazakhstan_golden(built: Path, golden_rdf) -> None:  # type: ignore[no-untyped-def]
    golden_rdf("KAZ.ttl", (built / "country" / "KAZ.ttl").read_bytes())


def test_rebuilds_are_byte_identical(tmp_path: Path, built: Path) -> None:
    second = tmp_path / "again"
    pipeline.build([PROFILES, FACILITIES], second, cache_dir=None, workers=1)
    assert tree(second) == tree(built)


def test_builds_under_different_hash_seeds_are_identical(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "4242"):
        out = tmp_path / f"seed-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [sys.executable, "-m", "gdp_rdf", "build", "--out", str(out), "--no-cache"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]


def test_issued_and_license_options(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = invoke(
        "build",
        str(PROFILES / "kazakhstan.txt"),
        "--out",
        str(out),
        "--no-cache",
        "--issued",
        "2026-11-01",
        "--license",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert result.exit_code == 0, result.output
    void = (out / "void.ttl").read_text(encoding="utf-8")
    assert (
        '"2026-11-01"^^xsd:date' in void
        and "<https://creativecommons.org/licenses/by/4.0/>" in void
    )
    bad = invoke("build", "--out", str(out), "--issued", "next week")
    assert bad.exit_code == 2


def test_base_iri_moves_every_iri(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    base = "http://data.example.org/gdp/"
    result = invoke(
        "build",
        str(PROFILES / "kazakhstan.txt"),
        "--out",
        str(out),
        "--no-cache",
        "--base-iri",
        base,
    )
    assert result.exit_code == 0, result.output
    iris = {t.split(" ")[0] for t in triples_of(out / "gdp.nt")}
    ours = {i for i in iris if "w3id.org/gdp-rdf" in i}
    assert not ours and "<http://data.example.org/gdp/id/country/KAZ>" in iris
    assert invoke("validate", str(out / "gdp.ttl"), "--base-iri", base).exit_code == 0
    assert invoke("build", "--base-iri", "ftp://x/").exit_code == 2


def test_non_conforming_graph_leaves_dist_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "gdp.ttl").write_text("previous release\n")
    (out / ".gdp-rdf-build.json").write_text('{"files": {"gdp.ttl": ""}}\n')  # a build's mark
    real = codelists.load_codelists()
    broken = tuple(
        dataclasses.replace(i, definition="") if i.code == "refugees" else i
        for i in real.indicators
    )
    monkeypatch.setattr(
        pipeline, "load_codelists", lambda: dataclasses.replace(real, indicators=broken)
    )
    result = invoke("build", str(PROFILES / "kazakhstan.txt"), "--out", str(out), "--no-cache")
    assert result.exit_code == 1
    assert "IndicatorScheme-definitions" in result.stdout and "indicator/refugees" in result.stdout
    assert result.stderr.strip().endswith("was left unchanged")
    assert tree(out) == {
        "gdp.ttl": b"previous release\n",
        ".gdp-rdf-build.json": b'{"files": {"gdp.ttl": ""}}\n',
    }


def test_bad_profiles_fail_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    narnia = tmp_path / "narnia.txt"
    narnia.write_text("Narnia\n\nRefugees\n\n3\n\n2020\n", encoding="utf-8")
    for args, message in (
        ([str(narnia)], "cannot tell which country"),
        (
            [str(PROFILES / "kazakhstan.txt"), str(PROFILES / "kazakhstan.txt")],
            "two profiles of KAZ",
        ),
        ([str(tmp_path / "missing.txt")], "no such file"),
        ([str(tmp_path / "empty-folder")], "no profile files"),
    ):
        (tmp_path / "empty-folder").mkdir(exist_ok=True)
        result = invoke("build", *args, "--out", str(out), "--no-cache")
        assert result.exit_code == 1 and message in result.stderr, result.output
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert not out.exists()


def test_validate_reports_on_stdout(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    shutil.copy(ROOT / "tests" / "data" / "valid-base.ttl", bad)
    with bad.open("a", encoding="utf-8") as handle:
        handle.write(
            (ROOT / "tests" / "data" / "invalid" / "Country-iso3.ttl").read_text(encoding="utf-8")
        )
    result = invoke("validate", str(bad))
    assert (
        result.exit_code == 1
        and "Does not conform" in result.stdout
        and "Country-iso3" in result.stdout
    )
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("<a> <b> .\n")
    result = invoke("validate", str(garbage))
    assert (
        result.exit_code == 1
        and result.stderr.startswith(f"Error: {garbage}")
        and result.stdout == ""
    )
    assert invoke("validate", str(tmp_path / "x.csv")).exit_code == 1


def test_validation_cache_rechecks_only_changed_profiles(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    shutil.copytree(PROFILES, folder)
    cache, out = tmp_path / "cache", tmp_path / "dist"
    first = pipeline.build([folder], out, cache_dir=cache, workers=1)
    assert first.report.cached == 0
    again = pipeline.build([folder], out, cache_dir=cache, workers=1)
    assert again.report.cached == 34
    page = folder / "tuvalu.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("11,396", "11,397"), encoding="utf-8")
    changed = pipeline.build([folder], out, cache_dir=cache, workers=1)
    assert changed.report.cached == 33 and changed.report.conforms


def _broken(kg, isos: list[str]):  # type: ignore[no-untyped-def]
    """The graph with every third line of these countries' blocks dropped (results follow)."""
    countries = dict(kg.countries)
    for iso3 in isos:
        countries[iso3] = b"".join(countries[iso3].splitlines(keepends=True)[::3])
    return type(kg)(kg.base, kg.shared, countries)


def test_validation_cache_keeps_the_results_of_profiles_that_failed(tmp_path: Path) -> None:
    """A build whose profiles fail re-checks only what changed, with the same results, in
    the same order, whatever the cores and chunks (issue 16: 16,424 failing profiles were
    all re-checked after a one-profile change)."""
    from gdp_rdf.graph.validate import validate_knowledge_graph

    kg = pipeline.read_and_map(sorted(PROFILES.glob("*.txt"))).kg
    isos = sorted(kg.countries)
    broken = _broken(kg, isos[:3])
    cache = tmp_path / "cache"
    first = validate_knowledge_graph(broken, cache, workers=2)
    assert not first.conforms and first.cached == 0 and set(first.profiles) == set(isos[:3])
    assert list(first.violations) == sorted(first.violations, key=lambda v: v.sort_key())
    again = validate_knowledge_graph(broken, cache, workers=1)
    assert again.cached == 34 and again.checked == 0
    assert again.violations == first.violations and again.profiles == first.profiles
    # one failing profile fixed, another broken: only those two are checked again
    fixed = dict(broken.countries)
    fixed[isos[0]] = kg.countries[isos[0]]
    fixed[isos[5]] = _broken(kg, [isos[5]]).countries[isos[5]]
    changed = validate_knowledge_graph(type(kg)(kg.base, kg.shared, fixed), cache, workers=1)
    assert changed.cached == 32 and set(changed.profiles) == {isos[1], isos[2], isos[5]}
    fresh = validate_knowledge_graph(type(kg)(kg.base, kg.shared, fixed), None, workers=2)
    assert changed.violations == fresh.violations
    # a cache from before this change (a list of conforming keys) is still read
    (cache / "validation.json").write_text(json.dumps([]), encoding="utf-8")
    assert validate_knowledge_graph(broken, cache, workers=1).violations == first.violations
