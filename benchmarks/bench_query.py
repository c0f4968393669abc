"""Query benchmark: every catalogue query, embedded Oxigraph store vs the Oxigraph server.

Run by hand (not part of the test suite):

    python benchmarks/bench_query.py [--sizes 34,3400] [--runs 5]

For each corpus (the real profiles, and synthetic ones as in bench_build.py) the dumps are
built, loaded into the embedded store and published to an Oxigraph server on loopback; each
query then runs --runs times on both, and the medians and the embedded/server ratio are
printed. Both sides include turning results into rows (the server side also HTTP and JSON).
"""

from __future__ import annotations

import argparse
import statistics
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


def median_ms(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        clock = time.perf_counter()
        function()
        times.append((time.perf_counter() - clock) * 1000)
    return statistics.median(times)


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
    args = parser.parse_args()

    from oxigraph_server import OxigraphServer

    from gdp_rdf.sparql.catalogue import bindings, catalogue
    from gdp_rdf.sparql.publish import endpoints_for, publish
    from gdp_rdf.sparql.remote import run_remote
    from gdp_rdf.sparql.store import open_store, run_embedded

    graph = "https://w3id.org/gdp-rdf/id/dataset/gdp"
    queries = catalogue()
    if args.only:
        queries = {name: queries[name] for name in args.only.split(",")}
    with tempfile.TemporaryDirectory(prefix="gdp-bench-query-") as folder:
        work = args.work or Path(folder)
        for size in [int(s) for s in args.sizes.split(",")]:
            (work / f"profiles-{size}").mkdir(parents=True, exist_ok=True)
            dist = corpus_dist(size, work)
            files = [dist / "gdp.nt", dist / "void.ttl"]
            store = open_store(files)
            server = OxigraphServer(work / f"server-{size}").start()
            try:
                published = publish(files, endpoints_for(server.query_url), graph)
                print(f"\n{size} profiles, {published.triples} triples")
                print(
                    f"{'query':<32} {'embedded ms':>12} {'server ms':>10} {'ratio':>6} {'rows':>6}"
                )
                ratios = []
                for name, query in queries.items():
                    if query.services:  # no benchmark reaches the network
                        print(
                            f"{name:<32} skipped: federated (SERVICE to Wikidata), no local fixture yet"
                        )
                        continue
                    params = bindings(query, synthetic_values(query, size))
                    rows = len(run_embedded(store, query, params).rows)
                    embedded = median_ms(
                        lambda q=query, p=params, s=store: run_embedded(s, q, p), args.runs
                    )
                    remote = median_ms(
                        lambda q=query, p=params, url=server.query_url: run_remote(
                            url, q, p, default_graph=graph
                        ),
                        args.runs,
                    )
                    ratios.append(embedded / remote)
                    print(
                        f"{name:<32} {embedded:>12.1f} {remote:>10.1f} {embedded / remote:>6.2f} {rows:>6}"
                    )
                print(
                    f"median ratio embedded/server: {statistics.median(ratios):.2f}; "
                    f"worst: {max(ratios):.2f} (target: within 1.5x)"
                )
            finally:
                server.stop()


if __name__ == "__main__":
    main()
