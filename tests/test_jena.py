"""Apache Jena reads every RDF file a build writes: no error, no warning, the same triples.

The reviewer's tool: `riot --validate` (Jena's parsers, with its IRI and literal checks) on
each Turtle and N-Triples file, and `riot --count` on the .nt, .ttl and .jsonld of gdp and of
quality (Jena's JSON-LD 1.0 reader; its 1.1 reader needs a Jakarta JSON implementation Debian
does not ship).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from jena import require_jena, riot

ARTIFACTS = ROOT / "tests" / "artifacts" / "jena"  # git-ignored


@pytest.fixture(scope="module")
def jena() -> str:
    return require_jena(ARTIFACTS)


def rdf_files(built: Path) -> list[Path]:
    files = sorted([*built.rglob("*.ttl"), *built.rglob("*.nt")])
    assert any(f.name == "gdp.ttl" for f in files) and any(
        f.parent.name == "country" for f in files
    )
    return files


def complaints(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " WARN " in line or " ERROR " in line]


def test_jena_accepts_every_turtle_and_ntriples_file(jena: str, built_history: Path) -> None:
    """Every file of a whole default build (history.nt / history.ttl included)."""
    files = rdf_files(built_history)
    assert {"history.nt", "history.ttl"} <= {f.name for f in files}
    done = riot(jena, "--validate", "--strict", *map(str, files))
    assert done.returncode == 0, done.stderr[-3000:]
    assert complaints(done.stderr) == []
    # riot names each file it read: none was skipped
    assert done.stderr.count("File: ") == len(files)


@pytest.mark.parametrize("stem", ["gdp", "quality"])
def test_jena_reads_the_same_triples_from_each_dump(jena: str, built: Path, stem: str) -> None:
    expected = (built / f"{stem}.nt").read_bytes().count(b"\n")
    plain, jsonld = [f"{stem}.nt", f"{stem}.ttl"], [f"{stem}.jsonld"]
    for names, syntax in ((plain, []), (jsonld, ["--syntax=jsonld10"])):
        done = riot(jena, *syntax, "--count", *(str(built / name) for name in names))
        assert done.returncode == 0 and complaints(done.stderr) == [], done.stderr[-3000:]
        for name in names:  # riot prints "file:///.../NAME : Triples = N" on stderr
            assert f"/{name} : Triples = {expected:,}" in done.stderr, (name, done.stderr)


def test_jena_rejects_what_it_should(jena: str, tmp_path: Path) -> None:
    """The check has teeth: a bad IRI and a bad integer are reported."""
    bad = tmp_path / "bad.nt"
    bad.write_text(
        '<http://example.org/a> <http://example.org/b> "x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "<http://example.org/a> <http://example.org/b> <not an iri> .\n",
        encoding="utf-8",
    )
    done = riot(jena, "--validate", "--strict", str(bad))
    assert done.returncode != 0
    assert any("integer" in line for line in complaints(done.stderr))
    assert any("IRI" in line for line in complaints(done.stderr))
