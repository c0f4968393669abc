"""`build --history DIR` and `build --release VERSION`: versions in the graph, releases, feed."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from gdp_rdf.cli import cli
from gdp_rdf.history.release import read_release, release_file, releases
from gdp_rdf.sparql.catalogue import bindings, catalogue
from gdp_rdf.sparql.results import row_values
from gdp_rdf.sparql.store import run_embedded

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "data" / "profiles" / "andorra.txt"
NEW = ROOT / "data" / "profile-variants" / "andorra_newer.txt"
TUVALU = ROOT / "data" / "profiles" / "tuvalu.txt"
DCAT = "http://www.w3.org/ns/dcat#"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def dated(path: Path, when: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# retrieved: {when}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def releases_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Release 1 from the older Andorra page, release 2 from the newer one with --history."""
    root = tmp_path_factory.mktemp("releases")
    older = dated(OLD, "2024-03-01", root / "history" / "andorra_2024.txt")
    dated(NEW, "2025-06-01", root / "current" / "andorra.txt")
    (root / "current" / "tuvalu.txt").write_text(TUVALU.read_text(encoding="utf-8"))
    out = root / "dist"
    code, _, err = run(
        "build",
        str(older),
        str(TUVALU),
        "--out",
        str(out),
        "--release",
        "1",
        "--issued",
        "2024-04-01",
        "--no-cache",
    )
    assert code == 0, err
    code, _, err = run(
        "build",
        str(root / "current"),
        "--history",
        str(older.parent),
        "--out",
        str(out),
        "--release",
        "2",
        "--issued",
        "2025-07-01",
        "--no-cache",
    )
    assert code == 0, err
    return out


def void(folder: Path) -> set[tuple[str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in ox.parse(path=str(folder / "void.ttl"), format=ox.RdfFormat.TURTLE)
    }


def test_two_consecutive_releases_link_to_each_other(releases_dir: Path) -> None:
    base = "https://w3id.org/gdp-rdf/"
    dataset, first, second = (
        base + "id/dataset/gdp",
        base + "id/dataset/gdp/release/1",
        base + "id/dataset/gdp/release/2",
    )
    triples = void(releases_dir)
    assert (dataset, DCAT + "version", "2") in triples
    assert (dataset, DCAT + "previousVersion", first) in triples
    assert (second, DCAT + "previousVersion", first) in triples
    assert (dataset, DCAT + "hasVersion", first) in triples
    assert (second, DCAT + "distribution", base + "dumps/2/gdp.ttl") in triples
    notes = [o for s, p, o in triples if s == dataset and p.endswith("adms#versionNotes")]
    assert notes and "4 revised" in notes[0] and "countries changed: AND" in notes[0]
    assert [r.version for r in releases(releases_dir)] == ["2", "1"]
    first_release = read_release(releases_dir / "releases" / "1")
    assert first_release is not None and first_release.version == "1"
    assert (dataset, DCAT + "version", "1") in void(releases_dir / "releases" / "1")
    assert (
        release_file(releases_dir, "1", "gdp.ttl")
        == (releases_dir / "releases" / "1" / "gdp.ttl").resolve()
    )
    assert release_file(releases_dir, "1", "../../etc/passwd") is None


def test_the_feed_is_atom_1_0(releases_dir: Path) -> None:
    data = (releases_dir / "changes.atom").read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["AND, release 2: 18 added, 4 revised"]
    assert parsed.entries[0].link == "https://w3id.org/gdp-rdf/id/country/AND"
    assert "detained-children 2017: revised, 0 -> Not Available" in parsed.entries[0].summary


def test_a_value_only_the_older_version_prints_stays_queryable(releases_dir: Path) -> None:
    store = ox.Store()
    for name in ("gdp.nt", "history.nt"):
        store.load(path=str(releases_dir / name), format=ox.RdfFormat.N_TRIPLES)
    query = catalogue()["history-as-of"]
    params = {
        "indicator": "<https://w3id.org/gdp-rdf/code/indicator/total-migration-detainees>",
        "date": '"2024-12-31"^^<http://www.w3.org/2001/XMLSchema#date>',
    }
    result = run_embedded(store, query, bindings(query, params))
    found = [dict(zip(result.variables, row, strict=True)) for row in row_values(result)]
    assert [
        (r["iso3"], r["year"], r["value"], r["versionDate"], r["stillPrinted"]) for r in found
    ] == [("AND", "2019", "Not Available", "2024-03-01", "")]  # the newer copy does not reach it


def test_current_view_queries_match_a_build_of_the_latest_pages(
    releases_dir: Path, tmp_path: Path
) -> None:
    latest = tmp_path / "latest"
    code, _, err = run(
        "build", str(releases_dir.parent / "current"), "--out", str(latest), "--no-cache"
    )
    assert code == 0, err
    assert (latest / "gdp.nt").read_bytes() == (releases_dir / "gdp.nt").read_bytes()
    stores = []
    for folder in (latest, releases_dir):
        store = ox.Store()
        store.load(path=str(folder / "gdp.nt"), format=ox.RdfFormat.N_TRIPLES)
        stores.append(store)
    for name, query in sorted(catalogue().items()):
        if query.services or name.startswith("history-"):
            continue
        answers = [row_values(run_embedded(s, query, bindings(query, {}))) for s in stores]
        assert answers[0] == answers[1], name


def test_bad_releases_are_one_line_and_leave_the_folder(releases_dir: Path) -> None:
    before = (releases_dir / "void.ttl").read_bytes()
    code, out, err = run(
        "build", str(TUVALU), "--out", str(releases_dir), "--release", "2", "--no-cache"
    )
    assert code == 1 and "already holds release 2" in err and err.count("\n") == 1
    code, out, err = run(
        "build", str(TUVALU), "--out", str(releases_dir), "--release", "../x", "--no-cache"
    )
    # a name no release can have is a usage error, refused before anything is read
    assert code == 2 and err.splitlines()[-1].startswith("Error: Invalid value for '--release'")
    assert (releases_dir / "void.ttl").read_bytes() == before
