"""Query benchmark: every catalogue query on the embedded store, an Oxigraph server and our /sparql.

Run by hand (not part of the test suite):

    python benchmarks/bench_query.py [--sizes 34,3400] [--runs 5] [--work DIR] [--only a,b]
                                     [--embedded-only]

For each corpus (the real profiles, and synthetic ones as in bench_build.py) the dumps are
built, loaded into the embedded store, bulk-loaded (`oxigraph load`, into the dataset's named
graph: publishing over HTTP timed out at 3,400 profiles on a busy machine) into the store of an
Oxigraph server on loopback, and served by `gdp-rdf serve` on a free loopback port; each query
then runs --runs times on all three, and the medians are printed with the target (<= 500 ms at
every size) beside them. All sides include turning results into rows or reading the answer to
its end (over HTTP, parsing the JSON: about 140 ms of latest-values' 8 MB at 3,400 profiles).
The embedded side also prints its CPU milliseconds, and /sparql the median milliseconds to the
answer's last byte, before the parse ("answer"), and the mean CPU milliseconds of the server
and its query workers per query: figures other work on the machine inflates far less than
wall time.

"CLI disk" is run_embedded on the on-disk store `gdp-rdf query` keeps of the default data
(open_store with a cache folder, opened read-only as every query after the first opens it):
what the command answers from, where "embedded" is the in-memory store the server's query
workers and `gdp-rdf query --data` load. Oxigraph's on-disk store answers the same lookups
several times slower, which shows from thousands of profiles on.

`--embedded-only` measures the embedded column alone: no server store is loaded and no server
started (minutes at 3,400 profiles), for work on the queries themselves.

Parameters are bound the way each path binds them, by a VALUES block: on the embedded store
(run_embedded), on the Oxigraph server (as `gdp-rdf query --endpoint` sends) and on /sparql (as
its query page offers them). /sparql gets unique text on every run (a comment of its own), so
its answer cache cannot help: the figure is the cost of running the query.

Federated queries (SERVICE to Wikidata) run against the Wikidata-shaped test fixture loaded
into another Oxigraph server on loopback, their SERVICE IRI rewritten to it: no benchmark
reaches the network. /sparql allows SERVICE only to Wikidata itself, so they are not run there.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "benchmarks")]


def corpus_dist(size: int, work: Path) -> Path:
    from bench_build import make_corpus

    from gdp_rdf.graph.void import DatasetInfo
    from gdp_rdf.pipeline import read_and_map, write_output
    from gdp_rdf.reader.countries import Country

    out = work / f"dist-{size}"
    if (out / "gdp.nt").is_file():  # --work: a corpus built by an earlier run
        return out
    if size == 34:
        paths = sorted((ROOT / "data" / "profiles").glob("*.txt"))
        mapped = read_and_map(paths)
    else:
        corpus = make_corpus(size, work / f"profiles-{size}")
        codes = {str(path): code for path, code in corpus}

        def synthetic(profile):  # type: ignore[no-untyped-def]
            code = codes[profile.source]
            return Country(code[1:], code, f"Synthland {code}", None, None, None, None, "s", "s")

        mapped = read_and_map([path for path, _ in corpus], country_for=synthetic)
    write_output(mapped.kg, out, DatasetInfo(mapped.latest_update))
    return out


# The real profiles the catalogue's default countries come from: at a synthetic size a query
# asks about a copy of the same page (under another code), so it has rows to find, not none.
COPIES = {"KAZ": "kazakhstan.txt", "AND": "andorra.txt"}
COUNTRY = "https://w3id.org/gdp-rdf/id/country/"


def synthetic_values(query, size: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from bench_build import synthetic_code

    if size == 34:
        return {}
    real = sorted(path.name for path in (ROOT / "data" / "profiles").glob("*.txt"))
    values = {}
    for param in query.params:
        iso3 = param.default.value.removeprefix(COUNTRY)
        if param.default.value.startswith(COUNTRY) and COPIES.get(iso3) in real:
            index = real.index(COPIES[iso3]) + len(real) * (size // len(real) // 2)
            values[param.name] = f"<{COUNTRY}{synthetic_code(index)}>"
    return values


TARGET_MS = 500.0


def medians_ms(function, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall and CPU (user + sys of this process) milliseconds of ``function()``."""
    walls, cpus = [], []
    for _ in range(runs):
        clock, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append((time.perf_counter() - clock) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def wikidata_fixture(folder: Path):  # type: ignore[no-untyped-def]
    """An Oxigraph server on loopback holding the Wikidata-shaped test fixture."""
    from oxigraph_server import wikidata_server

    return wikidata_server(folder)


# Milliseconds from each /sparql request to the last byte of its answer, before the JSON is
# parsed (sparql_get appends): the parse is the client's, and it is part of the /sparql figure.
ANSWERED: list[float] = []


def sparql_get(connection, text: str) -> int:  # type: ignore[no-untyped-def]
    """GET /sparql?query=text for JSON results, the answer read to its end; its row count."""
    import json
    import urllib.parse

    clock = time.perf_counter()
    connection.request(
        "GET",
        "/sparql?" + urllib.parse.urlencode({"query": text}),
        headers={"Accept": "application/sparql-results+json"},
    )
    response = connection.getresponse()
    body = response.read()
    ANSWERED.append((time.perf_counter() - clock) * 1000)
    if response.status != 200:
        raise RuntimeError(f"/sparql answered {response.status}: {body[:300]!r}")
    document = json.loads(body)
    return len(document["results"]["bindings"]) if "results" in document else 1


def slow_start(server):  # type: ignore[no-untyped-def]
    """Start a LiveServer allowing 15 minutes: at 3,400 profiles on a busy machine the first
    start (snapshot, store load and compaction) takes longer than the tests' 60 s."""
    import subprocess

    from oxigraph_server import wait_until_up

    server.cache.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "gdp_rdf", "serve", "--data", str(server.data)]
    command += ["--port", str(server.port), "--cache", str(server.cache), *server.options]
    with server.log.open("wb") as log:
        server.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    wait_until_up(server.process, f"{server.base}/", "gdp-rdf serve", 900, server.stop)
    return server


def tree_cpu_ms(pid: int) -> float:
    """User + system CPU milliseconds of a process and its descendants (Linux /proc)."""
    from bench_serve import cpu_seconds

    return cpu_seconds(pid) * 1000


def flag(ms: float) -> str:
    return " " if ms <= TARGET_MS else "!"


def embedded_only(store, queries, wikidata, size: int, triples: int, runs: int) -> None:  # type: ignore[no-untyped-def]
    """The embedded column alone: median wall and CPU milliseconds and rows of each query."""
    from gdp_rdf.sparql.catalogue import bindings
    from gdp_rdf.sparql.store import run_embedded

    print(f"\n{size} profiles, {triples} triples; medians of {runs} runs (embedded store only)")
    print(
        f"{'query':<32} {'embedded ms':>11} {'(cpu)':>7} {'rows':>6}"
        f"   (target: each <= {TARGET_MS:.0f} ms)"
    )
    worst = 0.0
    for name, original in queries.items():
        query = original.with_wikidata(wikidata.query_url)
        params = bindings(query, synthetic_values(query, size))
        rows = len(run_embedded(store, query, params).rows)
        embedded, cpu = medians_ms(lambda q=query, p=params, s=store: run_embedded(s, q, p), runs)
        worst = max(worst, embedded)
        print(f"{name:<32} {embedded:>10.1f}{flag(embedded)} {cpu:>7.1f} {rows:>6}")
    print(
        f"slowest median: {worst:.1f} ms (target: <= {TARGET_MS:.0f} ms; ! marks a figure over it)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="34,3400")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--work", type=Path, help="keep the built corpora here and reuse them on the next run"
    )
    parser.add_argument("--only", help="comma-separated query names (default: every query)")
    parser.add_argument(
        "--embedded-only", action="store_true", help="only the embedded store: start no server"
    )
    args = parser.parse_args()

    import http.client
    import itertools

    from live_server import LiveServer
    from oxigraph_server import OxigraphServer, binary

    from gdp_rdf.sparql.catalogue import bindings, catalogue, with_values
    from gdp_rdf.sparql.remote import run_remote
    from gdp_rdf.sparql.store import open_store, run_embedded

    graph = "https://w3id.org/gdp-rdf/id/dataset/gdp"
    queries = catalogue()
    if args.only:
        queries = {name: queries[name] for name in args.only.split(",")}
    counter = itertools.count()
    with tempfile.TemporaryDirectory(prefix="gdp-bench-query-") as folder:
        work = args.work or Path(folder)
        wikidata = wikidata_fixture(Path(folder) / "wikidata")
        try:
            for size in [int(s) for s in args.sizes.split(",")]:
                (work / f"profiles-{size}").mkdir(parents=True, exist_ok=True)
                dist = corpus_dist(size, work)
                # What `gdp-rdf query` and `gdp-rdf serve` load: the quality and history graphs too.
                files = [dist / "gdp.nt", dist / "void.ttl"]
                files += [f for f in (dist / "quality.nt", dist / "history.nt") if f.exists()]
                store = open_store(files)
                triples = len(store)
                if args.embedded_only:
                    embedded_only(store, queries, wikidata, size, triples, args.runs)
                    continue
                open_store(files, work / f"cli-cache-{size}")  # made once (--work: kept)
                disk = open_store(files, work / f"cli-cache-{size}")  # read-only, as the CLI
                location = work / f"server-{size}"
                if not (location / ".loaded").exists():  # --work: loaded by an earlier run
                    shutil.rmtree(location, ignore_errors=True)
                    for path in files:
                        command = [binary(), "load", "--location", str(location)]
                        command += ["--file", str(path), "--graph", graph]
                        subprocess.run(command, check=True, capture_output=True)
                    (location / ".loaded").touch()
                server = OxigraphServer(location).start()
                ours = LiveServer(
                    dist,
                    work / f"serve-cache-{size}",
                    "--query-timeout",
                    "120",
                    "--max-results",
                    "10000000",
                    "--no-access-log",
                )
                try:
                    slow_start(ours)
                    connection = http.client.HTTPConnection("127.0.0.1", ours.port, timeout=300)
                    print(f"\n{size} profiles, {triples} triples; medians of {args.runs} runs")
                    print(
                        f"{'query':<32} {'embedded ms':>11} {'(cpu)':>7} {'server ms':>10}"
                        f" {'/sparql ms':>11} {'(answer)':>8} {'(cpu)':>7} {'CLI disk ms':>12}"
                        f" {'rows':>6}"
                        f"   (target: each <= {TARGET_MS:.0f} ms)"
                    )
                    worst = server_worst = disk_worst = 0.0
                    for name, original in queries.items():
                        query = original.with_wikidata(wikidata.query_url)
                        params = bindings(query, synthetic_values(query, size))
                        rows = len(run_embedded(store, query, params).rows)
                        embedded, cpu = medians_ms(
                            lambda q=query, p=params, s=store: run_embedded(s, q, p), args.runs
                        )
                        on_disk, _ = medians_ms(
                            lambda q=query, p=params, s=disk: run_embedded(s, q, p), args.runs
                        )
                        remote, _ = medians_ms(
                            lambda q=query, p=params, url=server.query_url: run_remote(
                                url, q, p, default_graph=graph
                            ),
                            args.runs,
                        )
                        if query.services:  # /sparql allows SERVICE to Wikidata only
                            served, shown = 0.0, f"{'n/a':>11} {'':>8} {'':>7}"
                        else:
                            text = with_values(query.text, params)
                            connection.close()  # uvicorn drops keep-alive connections idle 5 s
                            served_rows = sparql_get(connection, text)
                            if served_rows != rows:
                                raise RuntimeError(
                                    f"{name}: /sparql {served_rows} rows, embedded {rows}"
                                )
                            assert ours.process is not None
                            before = tree_cpu_ms(ours.process.pid)
                            ANSWERED.clear()
                            served, _ = medians_ms(
                                lambda t=text, c=connection: sparql_get(
                                    c, f"{t}\n# run {next(counter)}"
                                ),
                                args.runs,
                            )
                            served_cpu = (tree_cpu_ms(ours.process.pid) - before) / args.runs
                            answered = statistics.median(ANSWERED)
                            shown = (
                                f"{served:>10.1f}{flag(served)} {answered:>8.1f}"
                                f" {served_cpu:>7.1f}"
                            )
                        worst = max(worst, embedded, served)
                        server_worst = max(server_worst, remote)
                        disk_worst = max(disk_worst, on_disk)
                        print(
                            f"{name:<32} {embedded:>10.1f}{flag(embedded)} {cpu:>7.1f}"
                            f" {remote:>9.1f}{flag(remote)} {shown}"
                            f" {on_disk:>11.1f}{flag(on_disk)} {rows:>6}"
                        )
                    print(
                        f"slowest median, embedded and /sparql: {worst:.1f} ms (target: <= "
                        f"{TARGET_MS:.0f} ms; ! marks a figure over it); on the CLI's on-disk "
                        f"store: {disk_worst:.1f} ms; the Oxigraph server on its on-disk store "
                        f"(no target: not this project's path): {server_worst:.1f} ms"
                    )
                finally:
                    ours.stop()
                    server.stop()
        finally:
            wikidata.stop()


if __name__ == "__main__":
    main()
