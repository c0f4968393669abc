"""Remote SPARQL and publishing, against a real Oxigraph server on loopback."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROFILES, ROOT
from fault_proxy import FaultProxy

from gdp_rdf import pipeline
from gdp_rdf.cli import cli
from gdp_rdf.errors import PublishError
from gdp_rdf.sparql.catalogue import bindings, catalogue
from gdp_rdf.sparql.publish import Endpoints, Upload, endpoints_for, publish
from gdp_rdf.sparql.remote import USER_AGENT, Client, run_remote
from gdp_rdf.sparql.results import row_values

pytestmark = pytest.mark.server
GRAPH = "https://w3id.org/gdp-rdf/id/dataset/gdp"
EXPECTED = ROOT / "queries" / "expected"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def count(server, graph: str = GRAPH) -> int:  # type: ignore[no-untyped-def]
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        server.query_url,
        data=query.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return int(json.load(answer)["results"]["bindings"][0]["n"]["value"])


def graphs(server) -> list[str]:  # type: ignore[no-untyped-def]
    request = urllib.request.Request(
        server.query_url,
        data=b"SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return sorted(b["g"]["value"] for b in json.load(answer)["results"]["bindings"])


def triples_in(folder: Path, quality: bool = False, history: Path | None = None) -> int:
    lines = set((folder / "gdp.nt").read_bytes().splitlines())
    if quality:  # issue 14: the published fixture also loads the quality graph
        lines |= set((folder / "quality.nt").read_bytes().splitlines())
    if history is not None:  # issue 17: and the default build's history
        lines |= set(history.read_bytes().splitlines())
    import pyoxigraph as ox

    void = {
        str(t).encode() + b" ."
        for t in (
            q.triple for q in ox.parse(path=str(folder / "void.ttl"), format=ox.RdfFormat.TURTLE)
        )
    }
    return len(lines | void)


@pytest.fixture(scope="module")
def published(oxigraph, built: Path, built_history: Path):  # type: ignore[no-untyped-def]
    result = invoke(
        "publish",
        "--endpoint",
        oxigraph.query_url,
        "--data",
        str(built / "gdp.nt"),
        "--data",
        str(built / "void.ttl"),
        "--data",
        str(built / "quality.nt"),
        "--data",
        str(built_history / "history.nt"),  # issue 17: the default build's history
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Published ") and f"<{GRAPH}>" in result.stdout
    return oxigraph


@pytest.mark.parametrize("name", sorted(n for n, q in catalogue().items() if not q.services))
def test_catalogue_query_on_the_server(published, name: str) -> None:  # type: ignore[no-untyped-def]
    query = catalogue()[name]
    result = run_remote(published.query_url, query, bindings(query, {}), default_graph=GRAPH)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows(row_values(result))
    assert buffer.getvalue() == (EXPECTED / f"{name}.csv").read_text(encoding="utf-8")


def test_published_graph_holds_every_triple(published, built: Path, built_history: Path) -> None:  # type: ignore[no-untyped-def]
    history = built_history / "history.nt"
    assert count(published) == triples_in(built, quality=True, history=history)
    assert graphs(published) == [GRAPH]  # no staging graph left behind


def test_cli_query_on_an_endpoint(published) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "query",
        "indicator-series",
        "--endpoint",
        published.query_url,
        "--graph",
        GRAPH,
        "--param",
        "indicator=indicator:refugees",
        "--format",
        "csv",
    )
    assert result.exit_code == 0
    assert [r[3] for r in csv.reader(io.StringIO(result.stdout))][-1] == "345"
    ask = invoke(
        "query",
        "ASK { ?c a <https://w3id.org/gdp-rdf/def/Nothing> }",
        "--endpoint",
        published.query_url,
        "--graph",
        GRAPH,
    )
    assert (ask.exit_code, ask.stdout) == (1, "false\n")
    describe = invoke(
        "query",
        "DESCRIBE <https://w3id.org/gdp-rdf/id/country/KAZ>",
        "--endpoint",
        published.query_url,
        "--graph",
        GRAPH,
    )
    assert describe.exit_code == 0 and 'gdp:iso3 "KAZ"' in describe.stdout


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return str(result.stderr)


def test_unreachable_endpoint() -> None:
    from oxigraph_server import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    error = one_line_error(invoke("query", "data-gaps", "--endpoint", url))
    assert error.startswith(f"Error: {url}: cannot reach the endpoint")


def test_malformed_query_on_the_server(oxigraph) -> None:  # type: ignore[no-untyped-def]
    error = one_line_error(
        invoke("query", "SELECT * WHERE {\n ?s ?p\n}", "--endpoint", oxigraph.query_url)
    )
    assert "endpoint rejected the query" in error and "error at 3:" in error


def test_server_error_500(oxigraph) -> None:  # type: ignore[no-untyped-def]
    def fault(n: int):  # type: ignore[no-untyped-def]
        return 500, {"Content-Type": "text/plain"}, b"storage is on fire"

    with FaultProxy(oxigraph.base, fault) as proxy:
        error = one_line_error(invoke("query", "data-gaps", "--endpoint", proxy.url + "/query"))
    assert "HTTP 500" in error and "storage is on fire" in error


def test_rate_limit_honours_retry_after(oxigraph) -> None:  # type: ignore[no-untyped-def]
    def fault(n: int):  # type: ignore[no-untyped-def]
        return (429, {"Retry-After": "1"}, b"slow down") if n <= 2 else None

    with FaultProxy(oxigraph.base, fault) as proxy:
        started = time.monotonic()
        result = invoke("query", "ASK { }", "--endpoint", proxy.url + "/query")
        waited = time.monotonic() - started
        assert (result.exit_code, result.stdout) == (0, "true\n")
        assert proxy.requests == 3 and waited >= 2.0
        assert all(h.get("User-Agent") == USER_AGENT for h in proxy.seen_headers)


def test_rate_limit_gives_up_after_bounded_retries(oxigraph) -> None:  # type: ignore[no-untyped-def]
    def fault(n: int):  # type: ignore[no-untyped-def]
        return 429, {"Retry-After": "0"}, b"slow down"

    with FaultProxy(oxigraph.base, fault) as proxy:
        error = one_line_error(invoke("query", "ASK { }", "--endpoint", proxy.url + "/query"))
        assert "still rate limited (HTTP 429) after 4 attempts" in error and proxy.requests == 4
        client = Client(retries=1, sleep=lambda seconds: None)
        query = catalogue()["data-gaps"]
        with pytest.raises(Exception, match="after 2 attempts"):
            run_remote(proxy.url + "/query", query, {}, client=client)


def test_endpoint_urls_are_derived() -> None:
    assert endpoints_for("http://h:7878/query") == Endpoints(
        "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"
    )
    assert endpoints_for("http://h/ds/sparql").store == "http://h/ds/data"
    assert (
        endpoints_for("http://h/repositories/gdp").update == "http://h/repositories/gdp/statements"
    )
    with pytest.raises(PublishError, match="--update-url"):
        endpoints_for("http://h/endpoint")


def build_into(folder: Path, *profiles: Path) -> Path:
    result = pipeline.build(list(profiles) or [PROFILES], folder, cache_dir=None, workers=1)
    assert result.report.conforms
    return folder


def test_readers_see_the_old_graph_or_the_new_one(
    fresh_oxigraph, built: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    endpoints = endpoints_for(fresh_oxigraph.query_url)
    first = publish([built / "gdp.nt", built / "void.ttl"], endpoints, GRAPH)
    second_dist = build_into(tmp_path / "v2", PROFILES / "kazakhstan.txt", PROFILES / "tuvalu.txt")
    expected = {first.triples, triples_in(second_dist)}
    seen: list[int] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            seen.append(count(fresh_oxigraph))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        second = publish(
            [second_dist / "gdp.nt", second_dist / "void.ttl"], endpoints, GRAPH, batch_triples=500
        )
    finally:
        done.set()
        thread.join()
    assert second.batches > 5 and len(seen) > 5
    assert set(seen) <= expected, (
        f"a reader saw a half-loaded graph: {sorted(set(seen) - expected)}"
    )
    assert count(fresh_oxigraph) == second.triples and graphs(fresh_oxigraph) == [GRAPH]


def test_invalid_data_part_way_leaves_the_old_graph(
    fresh_oxigraph, built: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    endpoints = endpoints_for(fresh_oxigraph.query_url)
    first = publish([built / "gdp.nt"], endpoints, GRAPH)
    lines = (built / "gdp.nt").read_bytes().splitlines(keepends=True)
    broken = tmp_path / "broken.nt"
    broken.write_bytes(b"".join(lines[:5000]) + b"<not a triple\n" + b"".join(lines[5000:]))
    result = invoke(
        "publish", "--endpoint", fresh_oxigraph.query_url, "--data", str(broken), "--batch", "1000"
    )
    error = one_line_error(result)
    assert "HTTP 400" in error
    assert count(fresh_oxigraph) == first.triples and graphs(fresh_oxigraph) == [GRAPH]


def test_server_stopped_part_way_leaves_the_old_graph(fresh_oxigraph, built: Path) -> None:  # type: ignore[no-untyped-def]
    endpoints = endpoints_for(fresh_oxigraph.query_url)
    first = publish([built / "gdp.nt"], endpoints, GRAPH)

    def stop_after_first_batch(sent: Upload) -> None:
        fresh_oxigraph.stop()

    with pytest.raises(PublishError, match="cannot reach the server|connection failed"):
        publish(
            [built / "gdp.nt", built / "void.ttl"],
            endpoints,
            GRAPH,
            progress=stop_after_first_batch,
            batch_triples=2000,
        )
    fresh_oxigraph.start()
    assert count(fresh_oxigraph) == first.triples


def test_publish_errors_are_one_line(tmp_path: Path) -> None:
    from oxigraph_server import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    nt = tmp_path / "x.nt"
    nt.write_text("<http://a> <http://b> <http://c> .\n")
    error = one_line_error(invoke("publish", "--endpoint", url, "--data", str(nt)))
    assert "cannot reach the server" in error
    error = one_line_error(invoke("publish", "--endpoint", "http://h/elsewhere", "--data", str(nt)))
    assert "--update-url" in error


def test_progress_reports_batches_bytes_and_rate(fresh_oxigraph, built: Path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from itertools import pairwise

    seen: list[Upload] = []
    done = publish(
        [built / "gdp.nt", built / "void.ttl"],
        endpoints_for(fresh_oxigraph.query_url),
        GRAPH,
        progress=lambda sent: seen.append(replace(sent)),
        batch_triples=5000,
    )
    assert [s.batches for s in seen] == list(range(1, done.batches + 1))
    assert seen[-1].triples == seen[-1].total == done.triples == count(fresh_oxigraph)
    assert seen[-1].bytes >= (built / "gdp.nt").stat().st_size
    assert all(a.triples < b.triples and a.seconds <= b.seconds for a, b in pairwise(seen))


def test_publish_puts_the_quality_graph_in_a_named_graph_of_its_own(
    fresh_oxigraph, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: with the build's own files, the data goes to the dataset graph and
    dist/quality.nt to {base}id/dataset/quality, each swapped in atomically."""
    monkeypatch.chdir(built.parent)
    if built.name != "dist":
        (built.parent / "dist").symlink_to(built)
    result = invoke("publish", "--endpoint", fresh_oxigraph.query_url)
    assert result.exit_code == 0, result.output
    quality = "https://w3id.org/gdp-rdf/id/dataset/quality"
    assert graphs(fresh_oxigraph) == [GRAPH, quality]
    assert count(fresh_oxigraph) == triples_in(built)
    assert count(fresh_oxigraph, quality) == len((built / "quality.nt").read_bytes().splitlines())
    assert result.stdout.count("Published ") == 2 and f"<{quality}>" in result.stdout
