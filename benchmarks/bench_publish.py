"""Publish benchmark: publish time and every catalogue query's median on the embedded store,
an Oxigraph server and OpenLink Virtuoso, side by side in one run (issue 12).

Run by hand (not part of the test suite; needs Debian's virtuoso-opensource):

    python benchmarks/bench_publish.py [--sizes 34,3400] [--runs 3]

For each corpus (the real profiles, and synthetic ones as in bench_build.py) the dumps are
built, loaded into a raw pyoxigraph Store (the baseline, measured in the same run), published
with `publish()` to an Oxigraph server and to Virtuoso (Digest, /sparql-auth) on loopback, and
each catalogue query runs --runs times on all three. The federated wikidata-* queries run on the
embedded store and Oxigraph against a Wikidata fixture in a local Oxigraph server (never the
internet); Virtuoso does not run them (see README, "Publishing to a triplestore").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "benchmarks")]
GRAPH = "https://w3id.org/gdp-rdf/id/dataset/gdp"


def wikidata_fixture(work: Path):  # type: ignore[no-untyped-def]
    from oxigraph_server import OxigraphServer

    server = OxigraphServer(work / "wikidata").start()
    data = (ROOT / "tests" / "data" / "wikidata-fixture.ttl").read_bytes()
    request = urllib.request.Request(
        f"{server.base}/store?default", data=data, headers={"Content-Type": "text/turtle"}
    )
    urllib.request.urlopen(request, timeout=60).close()
    return server


def attempt(function, *args, **options):  # type: ignore[no-untyped-def]
    """The function's result, or the one-line error it raised (a benchmark reports and goes on)."""
    from gdp_rdf.errors import GdpRdfError

    try:
        return function(*args, **options)
    except GdpRdfError as error:
        return f"failed: {error}"


def timed(function, runs: int) -> str:  # type: ignore[no-untyped-def]
    from bench_query import median_ms

    from gdp_rdf.errors import GdpRdfError

    try:
        return f"{median_ms(function, runs):.1f}"
    except GdpRdfError as error:
        return f"failed ({str(error)[:40]})"


def query_line(name, query, store, oxigraph, virtuoso, runs: int) -> str:  # type: ignore[no-untyped-def]
    from gdp_rdf.sparql.catalogue import bindings
    from gdp_rdf.sparql.remote import run_remote
    from gdp_rdf.sparql.store import run_embedded

    params = bindings(query, {})
    try:
        rows = str(len(run_embedded(store, query, params).rows))
    except Exception as error:  # a benchmark reports and goes on
        rows = type(error).__name__
    embedded = timed(lambda: run_embedded(store, query, params), runs)
    served = timed(lambda: run_remote(oxigraph.query_url, query, params, GRAPH), runs)
    on_virtuoso = (
        "federated"
        if query.needs_federation
        else timed(lambda: run_remote(virtuoso.sparql_url, query, params, GRAPH), runs)
    )
    return f"{name:<32} {embedded:>12} {served:>12} {on_virtuoso:>12} {rows:>6}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="34,3400")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per request")
    args = parser.parse_args()

    import pyoxigraph as ox
    from bench_query import corpus_dist
    from oxigraph_server import OxigraphServer
    from virtuoso_server import VirtuosoServer

    from gdp_rdf.sparql.catalogue import catalogue
    from gdp_rdf.sparql.publish import Auth, endpoints_for, publish
    from gdp_rdf.sparql.store import open_store

    with tempfile.TemporaryDirectory(prefix="gdp-bench-publish-") as folder:
        work = Path(folder)
        wikidata = wikidata_fixture(work)
        queries = {n: q.with_wikidata(wikidata.query_url) for n, q in catalogue().items()}
        try:
            for size in [int(s) for s in args.sizes.split(",")]:
                (work / f"profiles-{size}").mkdir(parents=True, exist_ok=True)
                dist = corpus_dist(size, work)
                files = [dist / "gdp.nt", dist / "void.ttl"]
                clock = time.perf_counter()
                raw = ox.Store()
                raw.bulk_load(path=str(dist / "gdp.nt"), format=ox.RdfFormat.N_TRIPLES)
                baseline = time.perf_counter() - clock
                store = open_store(files)
                oxigraph = OxigraphServer(work / f"oxigraph-{size}").start()
                virtuoso = VirtuosoServer().start()
                try:
                    to_virtuoso = attempt(
                        publish,
                        files,
                        endpoints_for(virtuoso.sparql_auth_url),
                        GRAPH,
                        Auth(virtuoso.user, virtuoso.password),
                        timeout=args.timeout,
                    )
                    to_oxigraph = attempt(
                        publish,
                        files,
                        endpoints_for(oxigraph.query_url),
                        GRAPH,
                        timeout=args.timeout,
                    )
                    print(f"\n{size} profiles, {len(store)} triples")
                    print(f"raw pyoxigraph bulk_load baseline: {baseline:.2f} s")
                    for label, done in (("Oxigraph", to_oxigraph), ("Virtuoso", to_virtuoso)):
                        if isinstance(done, str):
                            print(f"publish to {label}: {done}")
                            continue
                        print(
                            f"publish to {label}: {done.seconds:.1f} s in {done.batches} "
                            f"batch(es), {done.seconds / baseline:.1f}x the baseline"
                        )
                    print(
                        f"{'query':<32} {'embedded ms':>12} {'oxigraph ms':>12} "
                        f"{'virtuoso ms':>12} {'rows':>6}"
                    )
                    for name, query in queries.items():
                        print(query_line(name, query, store, oxigraph, virtuoso, args.runs))
                finally:
                    virtuoso.stop()
                    oxigraph.stop()
        finally:
            wikidata.stop()


if __name__ == "__main__":
    main()
