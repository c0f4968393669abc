"""A bounded load test on loopback: 50 concurrent clients, 20 requests each, mixed pages,
documents and catalogue queries, against a running `gdp-rdf serve`. Zero errors allowed;
p50 / p95 latencies are printed and kept in tests/artifacts/load.json."""

from __future__ import annotations

import http.client
import json
import random
import statistics
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from live_server import LiveServer

from gdp_rdf.sparql.catalogue import catalogue

pytestmark = pytest.mark.server
CLIENTS, REQUESTS = 50, 20
ARTIFACTS = Path(__file__).parent / "artifacts"


def workload(built: Path) -> list[tuple[str, str, str]]:
    """(kind, path, Accept) requests a mixed audience makes."""
    countries = sorted(p.stem for p in (built / "country").glob("*.ttl"))
    requests = [
        ("page", "/", "text/html"),
        ("page", "/dumps/", "text/html"),
        ("page", "/sparql", "text/html"),
        ("page", "/def/", "text/html"),
    ]
    for iso3 in countries:
        requests.append(("page", f"/doc/id/country/{iso3}.html", "text/html"))
        requests.append(("data", f"/doc/id/country/{iso3}.ttl", "text/turtle"))
    requests += [
        ("page", "/doc/id/treaty/CAT.html", "text/html"),
        ("page", "/doc/code/indicator/prison-population-rate.html", "text/html"),
        ("page", "/doc/id/observation/KAZ/prison-population-rate/2017.html", "text/html"),
        (
            "data",
            "/doc/id/observation/KAZ/prison-population-rate/2017.jsonld",
            "application/ld+json",
        ),
        ("iri", "/id/country/KAZ", "text/turtle"),
    ]
    for query in catalogue().values():
        if not query.services:
            path = "/sparql?" + urllib.parse.urlencode({"query": query.text})
            requests.append(("query", path, "application/sparql-results+json"))
    return requests


def client(live: LiveServer, plan: list[tuple[str, str, str]]) -> list[tuple[str, int, float]]:
    """One client on one keep-alive connection: (kind, status, seconds) per request."""
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=60)
    out = []
    try:
        for kind, path, accept in plan:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            expected = 303 if kind == "iri" else 200
            out.append(
                (
                    kind,
                    response.status if response.status != expected else 200,
                    time.perf_counter() - started,
                )
            )
    finally:
        connection.close()
    return out


@pytest.fixture(scope="module")
def served(built: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A server of the load test's own, with the default query time limit: this test counts
    errors under load, not speed (the session's `live` server has a 3 s limit for the
    security tests, which a loaded machine can hit on its own)."""
    server = LiveServer(built, tmp_path_factory.mktemp("load"), "--workers", "2").start()
    yield server
    server.stop()


def test_fifty_clients_twenty_requests_each(served: LiveServer, built: Path) -> None:
    live = served
    requests = workload(built)
    rng = random.Random(20261126)
    plans = [[rng.choice(requests) for _ in range(REQUESTS)] for _ in range(CLIENTS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for rs in pool.map(lambda plan: client(live, plan), plans) for r in rs]
    wall = time.perf_counter() - started
    errors = [(kind, status) for kind, status, _ in results if status != 200]
    assert len(results) == CLIENTS * REQUESTS
    assert not errors, errors[:10]

    def percentiles(values: list[float]) -> dict[str, float]:
        cuts = statistics.quantiles(values, n=100)
        return {
            "p50_ms": round(cuts[49] * 1000, 1),
            "p95_ms": round(cuts[94] * 1000, 1),
            "max_ms": round(max(values) * 1000, 1),
            "n": len(values),
        }

    report = {"all": percentiles([s for _, _, s in results])}
    for kind in sorted({k for k, _, _ in results}):
        report[kind] = percentiles([s for k, _, s in results if k == kind])
    report["wall_s"] = round(wall, 2)  # type: ignore[assignment]
    report["requests_per_s"] = round(len(results) / wall, 1)  # type: ignore[assignment]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=1) + "\n")
    print("\nload:", json.dumps(report))
