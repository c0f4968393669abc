"""Issue 11 item 2: `gdp-rdf serve` answers 50 concurrent loopback clients (pages, dumps,
SPARQL) while `gdp-rdf build` replaces its build folder three times. No answer is a 5xx or
a missing file, and every dump served has the bytes its ETag and Repr-Digest promise: the
server serves the snapshot it started with."""

from __future__ import annotations

import base64
import hashlib
import http.client
import subprocess
import sys
import threading
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import PROFILES
from live_server import LiveServer

pytestmark = pytest.mark.server
CLIENTS = 50
MIN_REQUESTS = 8  # per client, however fast the builds are


def build(out: Path, cache: Path, profiles: list[Path]) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "gdp_rdf", "build", *map(str, profiles)]
    command += ["--out", str(out), "--cache-dir", str(cache), "--workers", "1"]
    return subprocess.run(command, capture_output=True, timeout=600)


def plan(countries: list[str]) -> list[tuple[str, str, str]]:
    """(kind, path, Accept): the requests each client cycles through."""
    query = "SELECT ?c WHERE { ?c a <https://w3id.org/gdp-rdf/def/Country> } ORDER BY ?c"
    requests = [
        ("page", "/", "text/html"),
        ("page", "/dumps/", "text/html"),
        ("page", "/.well-known/void", "text/turtle"),
        ("dump", "/dumps/country/AND.ttl", "text/turtle"),  # gone from the second build
        ("sparql", "/sparql?" + urllib.parse.urlencode({"query": query}), "text/csv"),
        ("page", "/doc/id/country/AND.html", "text/html"),
        ("dump", "/dumps/context.jsonld", "application/ld+json"),
    ]
    for iso3 in countries[::6]:
        requests.append(("dump", f"/dumps/country/{iso3}.ttl", "text/turtle"))
        requests.append(("page", f"/doc/id/country/{iso3}.ttl", "text/turtle"))
    requests.append(("dump", "/dumps/gdp.nt", "application/n-triples"))
    return requests


def check_digest(path: str, headers: http.client.HTTPMessage, body: bytes) -> str | None:
    digest = hashlib.sha256(body)
    expected_digest = f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    if headers.get("ETag") != f'"{digest.hexdigest()}"':
        return f"{path}: ETag {headers.get('ETag')} does not match the bytes"
    if headers.get("Repr-Digest") != expected_digest:
        return f"{path}: Repr-Digest {headers.get('Repr-Digest')} does not match the bytes"
    return None


def client(
    port: int, requests: list[tuple[str, str, str]], offset: int, done: threading.Event
) -> tuple[Counter[int], list[str]]:
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    sent = 0
    try:
        while sent < MIN_REQUESTS or not done.is_set():
            kind, path, accept = requests[(offset + sent) % len(requests)]
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            body = response.read()
            statuses[response.status] += 1
            if response.status != 200:
                problems.append(f"{path}: {response.status} {body[:200]!r}")
            elif kind == "dump" and (problem := check_digest(path, response.headers, body)):
                problems.append(problem)
            sent += 1
    finally:
        connection.close()
    return statuses, problems


def test_serving_survives_three_rebuilds(tmp_path: Path) -> None:
    out, build_cache = tmp_path / "dist", tmp_path / "build-cache"
    everything = sorted(PROFILES.glob("*.txt"))
    without_andorra = [p for p in everything if p.stem != "andorra"]
    first = build(out, build_cache, everything)
    assert first.returncode == 0, first.stderr.decode()
    countries = sorted(p.stem for p in (out / "country").glob("*.ttl"))
    server = LiveServer(out, tmp_path / "serve-cache", "--workers", "2").start()
    done = threading.Event()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            requests = plan(countries)
            futures = [pool.submit(client, server.port, requests, i, done) for i in range(CLIENTS)]
            rebuilds = []
            try:
                for inputs in (without_andorra, everything, without_andorra):
                    rebuilds.append(build(out, build_cache, inputs))
            finally:
                done.set()
            results = [f.result() for f in futures]
        log = server.log.read_text(errors="replace")
    finally:
        server.stop()
    for rebuild in rebuilds:
        assert rebuild.returncode == 0, rebuild.stderr.decode()
    assert not (out / "country" / "AND.ttl").exists()  # the folder did change under it
    statuses = sum((s for s, _ in results), Counter())
    problems = [p for _, found in results for p in found]
    assert sum(statuses.values()) >= CLIENTS * MIN_REQUESTS
    assert not [s for s in statuses if s >= 500], (statuses, problems[:5])
    assert problems == [], problems[:5]
    assert "Traceback" not in log
