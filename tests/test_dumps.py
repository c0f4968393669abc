"""The dumps stand alone: gdp.jsonld without its context file, each country file on its own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT
from pyld import jsonld

from gdp_rdf.graph.validate import Engine, validate_files
from gdp_rdf.sparql.catalogue import bindings, catalogue
from gdp_rdf.sparql.results import row_values
from gdp_rdf.sparql.store import run_embedded

NODE_DIR = ROOT / "tests" / "artifacts" / "jsonld-js"  # git-ignored


def triples(path: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=str(path))}


def test_jsonld_carries_its_context_and_gives_the_triples_of_gdp_nt(built: Path) -> None:
    document = json.loads((built / "gdp.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)
    assert document["@context"] == json.loads((built / "context.jsonld").read_text())["@context"]

    def no_loader(url: str, options: object = None) -> None:
        raise AssertionError(f"pyld tried to load {url}")

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": no_loader})
    read = {q.triple for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)}
    assert read == triples(built / "gdp.nt")


JSONLD_JS = """
const jsonld = require('jsonld');
const fs = require('fs');
const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const noLoader = async (url) => { throw new Error('tried to load ' + url); };
jsonld.toRDF(doc, {format: 'application/n-quads', documentLoader: noLoader})
  .then((nq) => process.stdout.write(nq))
  .catch((e) => { console.error(String(e)); process.exit(1); });
"""


@pytest.fixture(scope="module")
def jsonld_js() -> Path:
    """jsonld.js (npm `jsonld`, the reference processor), installed once into a git-ignored folder."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        if os.environ.get("GDP_RDF_REQUIRE_NODE") == "1":
            pytest.fail("node and npm are required (GDP_RDF_REQUIRE_NODE=1)")
        pytest.skip("node/npm not installed")
    if not (NODE_DIR / "node_modules" / "jsonld").is_dir():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), "jsonld@8"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            if os.environ.get("GDP_RDF_REQUIRE_NODE") == "1":
                pytest.fail(f"npm install jsonld failed: {done.stderr[-500:]}")
            pytest.skip("npm install jsonld failed (no registry?)")
    script = NODE_DIR / "to_rdf.js"
    script.write_text(JSONLD_JS, encoding="utf-8")
    return script


@pytest.mark.parametrize("name", ["gdp", "quality"])
def test_json_ld_processors_read_each_jsonld_dump_alone(
    built: Path, jsonld_js: Path, tmp_path: Path, name: str
) -> None:
    # jsonld.js and Oxigraph's reader, given the file alone: no context.jsonld beside it, no
    # base IRI, no network.
    alone = tmp_path / f"{name}.jsonld"
    shutil.copy(built / f"{name}.jsonld", alone)
    expected = triples(built / f"{name}.nt")
    assert {q.triple for q in ox.parse(alone.read_bytes(), format=ox.RdfFormat.JSON_LD)} == expected
    done = subprocess.run(
        ["node", str(jsonld_js), str(alone)],
        capture_output=True,
        timeout=300,
        cwd=NODE_DIR,
    )
    assert done.returncode == 0, done.stderr.decode()
    read = {q.triple for q in ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS)}
    assert read == expected


def test_a_country_dump_is_the_shared_block_and_its_own_block(built: Path) -> None:
    everything = triples(built / "gdp.nt")
    files = sorted((built / "country").glob("*.ttl"))
    per_country = {path.stem: triples(path) for path in files}
    shared = set.intersection(*per_country.values())
    assert shared
    owned = [dump - shared for dump in per_country.values()]
    assert set().union(*owned) | shared == everything
    assert sum(map(len, owned)) + len(shared) == len(everything)  # no triple in two countries


@pytest.mark.parametrize("engine", list(Engine))
def test_a_country_dump_validates_alone(built: Path, engine: Engine) -> None:
    report = validate_files([built / "country" / "KAZ.ttl"], engine=engine)
    assert report.conforms, report.text()


COUNTRY_QUERIES = sorted(
    name
    for name, query in catalogue().items()
    if not query.services
    and any(p.name == "country" for p in query.params)
    and not name.startswith("history-")  # they read history.nt, written by build --history
)


@pytest.mark.parametrize("name", COUNTRY_QUERIES)
def test_queries_about_a_country_answer_on_its_dump(built: Path, name: str) -> None:
    query = catalogue()[name]
    params = bindings(query, {})
    iso3 = str(params["country"]).rsplit("/", 1)[1][:3]  # KAZ; LBY for a facility query
    whole, alone = ox.Store(), ox.Store()
    whole.load(path=str(built / "gdp.nt"))
    alone.load(path=str(built / "country" / f"{iso3}.ttl"))
    for store in (whole, alone):  # the quality graph is published beside every dump
        store.load(path=str(built / "quality.nt"))
    expected = row_values(run_embedded(whole, query, params))
    assert expected, f"{name} has no rows for {iso3} on the whole graph"
    assert row_values(run_embedded(alone, query, params)) == expected
