"""Build benchmark: synthetic corpora of 34, 340 and 3400 profiles, per-stage times.

Run by hand (not part of the test suite):

    python benchmarks/bench_build.py [--sizes 34,340,3400] [--workers N]

Each corpus is derived from the real profiles: profile i is real profile i % 34 under a
synthetic country (its own ISO-like code) with every count shifted by i. Each size runs in a
fresh subprocess so peak memory (max RSS) is per corpus. "read" and "map" are CPU seconds
summed over the worker processes; "r+m" is their wall-clock time. Ratios compare wall-clock
read + map + write
with a raw pyoxigraph parse + serialize (Turtle in, Turtle out) of the same triples, measured
in the same run on the dump the build wrote.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d{1,3})$")


def synthetic_code(i: int) -> str:
    """Three capital letters, unique for i < 17576 (ISO-like, not real ISO codes)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def shifted(text: str, i: int) -> str:
    out = []
    for line in text.split("\n"):
        match = NUMBER.match(line.strip())
        if match and i:
            value = int(match.group(1).replace(",", "")) + i
            line = f"{value:,}"
        out.append(line)
    return "\n".join(out)


def make_corpus(size: int, folder: Path) -> list[tuple[Path, str]]:
    real = sorted((ROOT / "data" / "profiles").glob("*.txt"))
    made = []
    for i in range(size):
        source = real[i % len(real)].read_text(encoding="utf-8")
        path = folder / f"p{i:05d}.txt"
        path.write_text(shifted(source, i), encoding="utf-8")
        made.append((path, synthetic_code(i)))
    return made


def run_one(size: int, workers: int | None) -> dict[str, float]:
    import pyoxigraph as ox

    from gdp_rdf.graph.mapping import map_profile
    from gdp_rdf.graph.validate import validate_knowledge_graph
    from gdp_rdf.graph.void import DatasetInfo
    from gdp_rdf.pipeline import read_and_map, write_output
    from gdp_rdf.reader.codelists import load_codelists
    from gdp_rdf.reader.countries import Country
    from gdp_rdf.reader.facts import Profile
    from gdp_rdf.reader.page import read_profile
    from gdp_rdf.vocab import Iris

    work = Path(tempfile.mkdtemp(prefix="gdp-bench-"))
    try:
        corpus = make_corpus(size, work)
        codes_by_path = {str(path): code for path, code in corpus}

        def synthetic(profile: Profile) -> Country:
            code = codes_by_path[profile.source]
            return Country(
                code[1:], code, f"Synthland {code}", None, None, None, None, "synthetic", "none"
            )

        mapped = read_and_map([path for path, _ in corpus], country_for=synthetic, workers=workers)
        kg = mapped.kg
        times: dict[str, float] = dict(mapped.timings)

        clock = time.perf_counter()
        out = work / "dist"
        write_output(kg, out, DatasetInfo(modified=mapped.latest_update), workers)
        times["write"] = time.perf_counter() - clock

        turtle = (out / "gdp.ttl").read_bytes()
        clock = time.perf_counter()
        parsed = [q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
        ox.serialize(parsed, format=ox.RdfFormat.TURTLE)
        times["baseline"] = time.perf_counter() - clock
        del parsed

        cache = work / "cache"
        clock = time.perf_counter()
        report = validate_knowledge_graph(kg, cache, workers)
        times["validate"] = time.perf_counter() - clock
        assert report.conforms, report.text()

        # One profile changes: only it is validated again.
        changed_path, _ = corpus[-1]
        text = changed_path.read_text(encoding="utf-8").replace(
            "Refugees (Year)\n", "Refugees (Year)\n9,999,999\n2030\n", 1
        )
        changed_path.write_text(text, encoding="utf-8")
        iris = Iris()
        block = map_profile(
            read_profile(changed_path),
            iris,
            load_codelists(),
            synthetic(read_profile(changed_path)),
        )
        countries = dict(kg.countries)
        countries[block.iso3] = block.ntriples
        kg2 = type(kg)(kg.base, kg.shared, countries)
        clock = time.perf_counter()
        again = validate_knowledge_graph(kg2, cache, workers)
        times["revalidate_one"] = time.perf_counter() - clock
        times["revalidated_profiles"] = len(kg2.countries) - again.cached
        times["triples"] = len(kg)
        times["profiles"] = size
        times["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        times["peak_workers_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="34,340,3400")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.workers)))
        return
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        command = [sys.executable, __file__, "--one", str(size)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results[size] = json.loads(output.strip().splitlines()[-1])
    header = (
        f"{'profiles':>8} {'triples':>9} {'read':>7} {'map':>7} {'r+m':>7} {'write':>7} {'valid.':>8} "
        f"{'base':>6} {'ratio':>6} {'tr/s':>9} {'val s/100k':>10} {'reval 1':>8} {'peak MB':>8} "
        f"{'workers MB':>10}"
    )
    print(header)
    for size, r in results.items():
        work = r["read+map"] + r["write"]
        print(
            f"{size:>8} {int(r['triples']):>9} {r['read']:>7.2f} {r['map']:>7.2f} "
            f"{r['read+map']:>7.2f} {r['write']:>7.2f} "
            f"{r['validate']:>8.2f} {r['baseline']:>6.2f} {work / r['baseline']:>6.2f} "
            f"{r['triples'] / work:>9.0f} {r['validate'] / r['triples'] * 1e5:>10.2f} "
            f"{r['revalidate_one']:>5.2f}/{int(r['revalidated_profiles'])} {r['peak_mb']:>8.0f} "
            f"{r['peak_workers_mb']:>10.0f}"
        )
    sizes = sorted(results)
    if len(sizes) >= 2:
        a, b = results[sizes[-2]], results[sizes[-1]]
        def total(r):
            return r["read"] + r["map"] + r["write"] + r["validate"]
        print(f"t({sizes[-1]}) / t({sizes[-2]}) = {total(b) / total(a):.2f} (whole build)")
    print(
        "targets: ratio <= 3, t(3400)/t(340) <= 11, peak <= 1500 MB, validation <= 5 s / 100k triples"
    )


if __name__ == "__main__":
    main()
