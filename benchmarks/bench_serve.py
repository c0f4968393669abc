"""Serving benchmark: `gdp-rdf serve` on loopback against raw pyoxigraph on the same store.

Run by hand (not part of the test suite):

    python benchmarks/bench_serve.py [--sizes 34,3400] [--runs 20] [--clients 50]

For each corpus (the real profiles, and synthetic ones as in bench_build.py) the dumps are
built and served. Measured, as medians over --runs:

- a country's Turtle document over HTTP vs the baseline: pyoxigraph walking the same store for
  the country's triples and serialising them (no HTTP);
- each local catalogue query through /sparql (JSON results) vs store.query on the same store,
  results read to the end;
- the country HTML page (no baseline: printed in ms);
- a load of --clients concurrent clients, 20 requests each, mixed pages, documents and
  catalogue queries: p50 / p95 latency and requests per second, and errors (must be 0);
- throughput of a SELECT with unique text (a comment of its own per request, so no answer
  cache helps): --clients keep-alive clients against /sparql and against
  `oxigraph serve-read-only` on the server's own on-disk store, measured in the same run, as
  requests per second, their ratio (target >= 0.67, within 1.5x) and the CPU seconds each
  server's processes spent per request. The server runs with --workers (2) and
  --query-store (auto: its query workers share the graph in memory; `disk` to compare on the
  same on-disk store as Oxigraph's).

Ratios are server / raw pyoxigraph; the target is within 3x for documents and within 1.5x
for queries, HTTP included; each target is printed beside its figure. The server's memory
is reported as the summed PSS of it and its query workers. Federated (SERVICE) queries are
not run: no benchmark reaches the network.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "benchmarks")]


def timed(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    """Median milliseconds of ``function()`` over ``runs`` calls (after one warm-up)."""
    times = []
    if runs == 0:  # one cold call, no warm-up
        clock = time.perf_counter()
        function()
        return (time.perf_counter() - clock) * 1000
    function()
    for _ in range(runs):
        clock = time.perf_counter()
        function()
        times.append((time.perf_counter() - clock) * 1000)
    return statistics.median(times)


def fetch(connection: http.client.HTTPConnection, path: str, accept: str) -> int:
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    response.read()
    return response.status


ACCEPT_RESULTS = "application/sparql-results+json"


def documents(connection: http.client.HTTPConnection, dist: Path, site, runs: int) -> None:  # type: ignore[no-untyped-def]
    """Country documents over HTTP, first and again, against pyoxigraph doing the same."""
    import pyoxigraph as ox

    from gdp_rdf.vocab import DEFAULT_BASE

    every = sorted(p.stem for p in (dist / "country").glob("*.ttl"))
    countries, fresh_ttl, fresh_html = every[:10], every[10:22], every[22:34]

    def raw_document(iso3: str) -> bytes:
        iri = f"{DEFAULT_BASE}id/country/{iso3}"
        return ox.serialize(site.country_block(iri, iso3), format=ox.RdfFormat.TURTLE) or b""

    def served(iso3: str, extension: str, runs: int) -> float:
        path = f"/doc/id/country/{iso3}.{extension}"
        return timed(lambda: fetch(connection, path, "*/*"), runs)

    raw = statistics.median(timed(lambda i=i: raw_document(i), runs) for i in countries)
    print(f"{'what':<34} {'served ms':>10} {'raw ms':>8} {'ratio':>6}")
    for what, extension, names, repeat in (
        ("country Turtle document, first", "ttl", fresh_ttl, 0),
        ("country Turtle document, again", "ttl", countries, runs),
        ("country HTML page, first", "html", fresh_html, 0),
        ("country HTML page, again", "html", countries, runs),
    ):
        median = statistics.median(served(i, extension, repeat) for i in names)
        ratio = f"{raw:>8.1f} {median / raw:>6.2f}   (target <= 3)" if extension == "ttl" else ""
        print(f"{what:<34} {median:>10.1f} {ratio}")


def queries(connection: http.client.HTTPConnection, store, runs: int) -> None:  # type: ignore[no-untyped-def]
    """Each catalogue query through /sparql, fresh and cached, against store.query."""
    from gdp_rdf.vocab import DEFAULT_BASE
    from gdp_rdf.web.app import runnable_catalogue

    counter = itertools.count()

    def fresh(text: str) -> int:  # a comment of its own each time: the answer cache can't help
        unique = f"{text}\n# run {next(counter)}"
        return fetch(
            connection, "/sparql?" + urllib.parse.urlencode({"query": unique}), ACCEPT_RESULTS
        )

    def cached(text: str) -> int:
        return fetch(
            connection, "/sparql?" + urllib.parse.urlencode({"query": text}), ACCEPT_RESULTS
        )

    ratios = []
    print(f"{'query':<34} {'served ms':>10} {'raw ms':>8} {'ratio':>6} {'cached ms':>10}")
    for name, _, text in runnable_catalogue(DEFAULT_BASE, allow_wikidata=False):
        connection.close()  # uvicorn drops keep-alive connections idle for 5 s
        over_http = timed(lambda t=text: fresh(t), runs)
        again = timed(lambda t=text: cached(t), runs)
        direct = timed(lambda t=text: list(store.query(t)), runs)
        ratios.append(over_http / direct)
        print(
            f"{'/sparql ' + name:<34} {over_http:>10.1f} {direct:>8.1f} {over_http / direct:>6.2f} {again:>10.1f}"
        )
    print(
        f"queries: median ratio {statistics.median(ratios):.2f}, worst {max(ratios):.2f}"
        "   (target: within 1.5x, HTTP included; federated queries are not run: no network)"
    )


def load(server, dist: Path, clients: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    """``clients`` concurrent clients, 20 requests each, the load test's mix."""
    from test_server_load import client, workload

    rng = random.Random(seed)
    mix = workload(dist)
    plans = [[rng.choice(mix) for _ in range(20)] for _ in range(clients)]
    clock = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for rs in pool.map(lambda plan: client(server, plan), plans) for r in rs]
    wall = time.perf_counter() - clock
    cuts = statistics.quantiles([seconds for _, _, seconds in results], n=100)
    errors = sum(1 for _, status, _ in results if status != 200)
    print(
        f"load {clients}x20: p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, "
        f"{len(results) / wall:.0f} requests/s, {errors} errors   (target: 0 errors)"
    )


UNIQUE_ROUNDS = 5
UNIQUE_QUERY = "treaties-ratified"  # a small SELECT with a parameter, bound by VALUES


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (Linux /proc)."""
    import os

    def tree(pid: int) -> list[int]:
        found = [pid]
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                children = (task / "children").read_text().split()
            except OSError:  # a thread that ended while we looked
                continue
            found += [p for child in children for p in tree(int(child))]
        return found

    total = 0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def unique_throughput(port: int, path: str, text: str, pid: int, clients: int, each: int):  # type: ignore[no-untyped-def]
    """Requests/s and server CPU ms per request of ``clients`` keep-alive clients each sending
    ``each`` GETs of ``text`` made unique by a comment; raises on any non-200 answer."""
    counter = itertools.count()
    run = time.time_ns()  # no text repeats an earlier call's: each answer must be computed

    def one_client(_: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            for _ in range(each):
                query = f"{text}\n# run {run} request {next(counter)}"
                status = fetch(
                    connection,
                    f"{path}?" + urllib.parse.urlencode({"query": query}),
                    ACCEPT_RESULTS,
                )
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
        finally:
            connection.close()

    one_client(0)  # warm-up
    before, clock = cpu_seconds(pid), time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one_client, range(clients)))
    wall = time.perf_counter() - clock
    requests = clients * each
    return requests / wall, (cpu_seconds(pid) - before) * 1000 / requests


def unique_queries(server, location: Path, clients: int, size: int) -> None:  # type: ignore[no-untyped-def]
    """/sparql against `oxigraph serve-read-only` on the same store, unique query text.

    At a synthetic size the query asks about the copy of the page its default country comes
    from (as bench_query does), so it finds the same rows as on the real corpus, not none.
    """
    import subprocess

    from bench_query import synthetic_values
    from oxigraph_server import binary, free_port, wait_until_up

    from gdp_rdf.sparql.catalogue import bindings, catalogue, with_values

    query = catalogue()[UNIQUE_QUERY]
    text = with_values(query.text, bindings(query, synthetic_values(query, size)))
    port = free_port()
    oxigraph = subprocess.Popen(
        [binary(), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(
            oxigraph,
            f"http://127.0.0.1:{port}/query?query=ASK%7B%7D",
            "oxigraph",
            30,
            oxigraph.kill,
        )
        each = 40
        rounds = []
        for _ in range(UNIQUE_ROUNDS):  # alternating, so a disturbance hits both sides
            ours, our_cpu = unique_throughput(
                server.port, "/sparql", text, server.process.pid, clients, each
            )
            theirs, their_cpu = unique_throughput(port, "/query", text, oxigraph.pid, clients, each)
            rounds.append((ours, our_cpu, theirs, their_cpu))
            print(
                f"  round: /sparql {ours:.0f}/s ({our_cpu:.2f} CPU ms each), "
                f"oxigraph {theirs:.0f}/s ({their_cpu:.2f}); ratio {ours / theirs:.2f}"
            )
    finally:
        oxigraph.terminate()
        oxigraph.wait(10)
    ratios = [ours / theirs for ours, _, theirs, _ in rounds]
    ours, our_cpu, theirs, their_cpu = (statistics.median(r[i] for r in rounds) for i in range(4))
    print(
        f"unique-text SELECT ({UNIQUE_QUERY}), {clients} keep-alive clients x {each}, medians of "
        f"{len(rounds)} alternating rounds: /sparql {ours:.0f} requests/s ({our_cpu:.2f} CPU ms "
        f"each), oxigraph serve-read-only {theirs:.0f}/s ({their_cpu:.2f} CPU ms each); ratio "
        f"{statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]"
        "   (target >= 0.67, within 1.5x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="34,3400")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--only-unique", action="store_true", help="only the unique-text throughput"
    )
    parser.add_argument("--workers", type=int, default=2, help="the server's query workers")
    parser.add_argument(
        "--query-store",
        choices=["auto", "memory", "disk"],
        default="auto",
        help="where the server's query workers read (gdp-rdf serve --query-store)",
    )
    args = parser.parse_args()

    import pyoxigraph as ox
    from bench_query import corpus_dist
    from live_server import LiveServer
    from pss import tree_pss_mb

    from gdp_rdf.vocab import DEFAULT_BASE
    from gdp_rdf.web.read_model import Site

    with tempfile.TemporaryDirectory(prefix="gdp-bench-serve-") as folder:
        work = Path(folder)
        for size in [int(s) for s in args.sizes.split(",")]:
            (work / f"profiles-{size}").mkdir(parents=True, exist_ok=True)
            dist = corpus_dist(size, work)
            cache = work / f"cache-{size}"
            started = time.perf_counter()
            server = LiveServer(
                dist,
                cache,
                "--query-timeout",
                "60",
                "--max-results",
                "1000000",
                "--workers",
                str(args.workers),
                "--query-store",
                args.query_store,
            )
            server.start()
            startup = time.perf_counter() - started
            try:
                # The server's own on-disk store (of its snapshot of the build; it keeps one).
                (location,) = (cache / "serve").glob("store-*")
                store = ox.Store.read_only(str(location))
                triples = sum(1 for _ in store.quads_for_pattern(None, None, None))
                print(f"\n{size} profiles, {triples} triples; server up in {startup:.1f} s")
                if not args.only_unique:
                    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                    documents(connection, dist, Site(store, DEFAULT_BASE), args.runs)
                    queries(connection, store, args.runs)
                    connection.close()
                    load(server, dist, args.clients, size)
                unique_queries(server, location, args.clients, size)
                pss = tree_pss_mb(server.process.pid)
                print(
                    f"server memory after the load, summed PSS of it and its workers: {pss:.0f} MB"
                )
            finally:
                server.stop()


if __name__ == "__main__":
    main()
