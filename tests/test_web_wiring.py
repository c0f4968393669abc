"""`gdp-rdf serve` wires in the other stages' outputs: the header links the quality and releases
pages, and the SPARQL store holds the history graph of `build --history` when there is one, so
the history catalogue queries answer over /sparql (in-process, Starlette's TestClient)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from gdp_rdf.cli import cli
from gdp_rdf.web.app import ServerConfig, create_app, runnable_catalogue

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "data" / "profiles" / "andorra.txt"
NEW = ROOT / "data" / "profile-variants" / "andorra_newer.txt"
BASE = "https://w3id.org/gdp-rdf/"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def history_web(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The server over a build of Andorra's current page with its 2024 version as history."""
    root = tmp_path_factory.mktemp("wiring")
    (root / "history").mkdir()
    (root / "current").mkdir()
    older = root / "history" / "andorra_2024.txt"
    older.write_text("# retrieved: 2024-03-01\n" + OLD.read_text("utf-8"), encoding="utf-8")
    current = root / "current" / "andorra.txt"
    current.write_text("# retrieved: 2025-06-01\n" + NEW.read_text("utf-8"), encoding="utf-8")
    out = root / "dist"
    result = CliRunner().invoke(
        cli,
        ["build", str(current), "--history", str(root / "history"), "--out", str(out)]
        + ["--no-cache"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert (out / "history.nt").is_file()
    config = ServerConfig(data=out, cache_dir=root / "cache")
    with TestClient(create_app(config), follow_redirects=False) as client:
        yield client


def select(client: TestClient, name: str) -> list[dict[str, str]]:
    """The rows of a catalogue query, its parameters bound to their defaults, over /sparql."""
    text = {n: t for n, _, t in runnable_catalogue(BASE, allow_wikidata=False)}[name]
    response = client.get("/sparql", params={"query": text}, headers=JSON_RESULTS)
    assert response.status_code == 200, response.text
    return [
        {k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]
    ]


def test_history_changes_answer_over_sparql(history_web: TestClient) -> None:
    rows = select(history_web, "history-changes")
    assert rows, "the history graph is not in the served store"
    assert {r["country"] for r in rows} == {BASE + "id/country/AND"}
    assert {(r["fromFile"], r["toFile"]) for r in rows} == {("andorra_2024.txt", "andorra.txt")}
    assert {(r["fromDate"], r["toDate"]) for r in rows} == {("2024-03-01", "2025-06-01")}
    assert "ValueRevised" in {r["change"] for r in rows}


def test_history_as_of_answers_over_sparql(history_web: TestClient) -> None:
    rows = select(history_web, "history-as-of")  # the population as of 2024-12-31
    assert rows, "the history graph is not in the served store"
    assert {(r["iso3"], r["file"], r["versionDate"]) for r in rows} == {
        ("AND", "andorra_2024.txt", "2024-03-01")  # the newer version came out in 2025
    }


def test_a_build_without_history_serves_no_history(web: TestClient) -> None:
    assert select(web, "history-changes") == []


@pytest.mark.parametrize("path", ["/", "/quality", "/releases", "/sparql", "/dumps/"])
def test_the_header_links_every_site_page(web: TestClient, path: str) -> None:
    page = web.get(path, headers={"Accept": "text/html"}).text
    header = page.split("<header>", 1)[1].split("</header>", 1)[0]
    for href, text in [
        ("/sparql", "SPARQL"),
        ("/dumps/", "Dumps"),
        ("/def/", "Ontology"),
        ("/quality", "Quality"),
        ("/releases", "Releases"),
    ]:
        assert f'<a href="{href}">{text}</a>' in header, (path, href)


def test_the_linked_pages_answer_on_a_build_that_is_no_release(web: TestClient) -> None:
    releases = web.get("/releases")
    assert releases.status_code == 200
    assert "This build is not a release" in releases.text  # says why, not a dead link
    assert web.get("/quality").status_code == 200
