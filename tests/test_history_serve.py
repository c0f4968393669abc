"""`gdp-rdf serve` on a build with two releases and a history: /releases, /changes.atom, the
dumps of every release, the history on a country page (a real server on a free port)."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from live_server import LiveServer

from gdp_rdf.cli import cli

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "data" / "profiles" / "andorra.txt"
NEW = ROOT / "data" / "profile-variants" / "andorra_newer.txt"


def build(*args: str) -> None:
    result = CliRunner().invoke(cli, ["build", *args, "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("serve-history")
    (root / "history").mkdir()
    (root / "current").mkdir()
    older = root / "history" / "andorra_2024.txt"
    older.write_text(
        "# retrieved: 2024-03-01\n" + OLD.read_text(encoding="utf-8"), encoding="utf-8"
    )
    current = root / "current" / "andorra.txt"
    current.write_text(
        "# retrieved: 2025-06-01\n" + NEW.read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = root / "dist"
    build(str(older), "--out", str(out), "--release", "2024.1", "--issued", "2024-04-01")
    build(
        str(current),
        "--history",
        str(root / "history"),
        "--out",
        str(out),
        "--release",
        "2025.1",
        "--issued",
        "2025-07-01",
    )
    live = LiveServer(out, root / "cache").start()
    yield live, out
    live.stop()


def test_releases_page_lists_both_releases_with_downloads(server) -> None:  # type: ignore[no-untyped-def]
    live, _ = server
    status, body = live.get("/releases", "text/html")
    html = body.decode()
    assert status == 200
    assert "Release 2025.1 (latest)" in html and "Release 2024.1" in html
    assert 'href="/dumps/2024.1/gdp.ttl"' in html and 'href="/dumps/2025.1/gdp.ttl"' in html
    assert "previous release 2024.1" in html and "4 revised" in html


def test_every_release_is_served_at_its_versioned_address(server) -> None:  # type: ignore[no-untyped-def]
    live, out = server
    assert live.get("/dumps/2024.1/gdp.nt") == (
        200,
        (out / "releases" / "2024.1" / "gdp.nt").read_bytes(),
    )
    assert live.get("/dumps/2025.1/gdp.nt") == (200, (out / "gdp.nt").read_bytes())
    assert live.get("/dumps/gdp.nt") == (200, (out / "gdp.nt").read_bytes())  # the latest
    assert live.get("/dumps/country/AND.ttl")[0] == 200
    assert live.get("/dumps/2025.1/releases/2024.1/gdp.nt")[0] == 404
    assert live.get("/dumps/2024.1/../../gdp.nt")[0] == 404
    assert live.get("/dumps/2023.9/gdp.nt")[0] == 404


def test_the_served_feed_is_atom_1_0(server) -> None:  # type: ignore[no-untyped-def]
    live, _ = server
    status, body = live.get("/changes.atom", "application/atom+xml")
    assert status == 200
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.title for entry in parsed.entries] == ["AND, release 2025.1: 18 added, 4 revised"]
    assert parsed.entries[0].updated == "2025-07-01T00:00:00Z"


def test_a_country_page_shows_its_history(server) -> None:  # type: ignore[no-untyped-def]
    live, _ = server
    status, body = live.get("/doc/id/country/AND.html", "text/html")
    html = body.decode()
    assert status == 200 and '<h2 id="history">History</h2>' in html
    assert (
        "<td>detained-children</td><td>2017</td><td>revised</td><td>0</td><td>Not Available</td>"
        in html
    )
    assert "andorra_2024.txt (2024-03-01) → andorra.txt (2025-06-01)" in html
    rows = html.split('<h2 id="history">')[1].split("</tr>")
    assert "<td>asylum-applications</td><td>2020</td><td>added</td>" in rows[1]
