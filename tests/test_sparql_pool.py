"""The query workers: answers in every format, the time limit, the result cap, the queue."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdp_rdf.sparql.results import RESULT_TYPES
from gdp_rdf.web.sparql_pool import (
    _LEAST_ROW,
    _ROW_STARTS,
    RESULT_FORMATS,
    Job,
    QueryPool,
    _RowCounter,
    _StopWritingError,
    run_job,
)

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pool") / "store"
    store = ox.Store(str(folder))
    store.extend(
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)))
        for i in range(200)
    )
    store.flush()
    del store
    return folder


@pytest.fixture(scope="module")
def dump(store_path: Path) -> Path:
    """The same triples as a dump file, for the in-memory pool."""
    path = store_path.parent / "dump.nt"
    ox.serialize(
        ox.Store.read_only(str(store_path)).quads_for_pattern(None, None, None),
        str(path),
        ox.RdfFormat.N_QUADS,
    )
    return path


@pytest.fixture(params=["disk", "memory"])
def files(request: pytest.FixtureRequest, dump: Path) -> tuple[Path, ...]:
    """What the pool reads: the on-disk store (no files) or the dump loaded in memory."""
    return (dump,) if request.param == "memory" else ()


def job(text: str, max_results: int = 1000) -> Job:
    return Job(text, RESULT_TYPES[0], "text/turtle", (), max_results)


@contextlib.asynccontextmanager
async def running(
    store_path: Path, files: tuple[Path, ...], **options: Any
) -> AsyncIterator[QueryPool]:
    """A started pool of ``options`` (size, timeout, ...), stopped on the way out."""
    pool = QueryPool(store_path, files=files, **options)
    await pool.start()
    try:
        yield pool
    finally:
        await pool.stop()


def test_run_job_formats_and_cap(store_path: Path) -> None:
    store = ox.Store.read_only(str(store_path))
    answer = run_job(store, job("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"))
    assert answer.status == 200
    assert json.loads(answer.body)["results"]["bindings"][0]["s"] == {
        "type": "uri",
        "value": f"{EX}s0",
    }
    assert run_job(store, job("SELECT * WHERE { ?s ?p ?o }", max_results=100)).status == 413
    assert run_job(store, job("SELECT * WHERE { ?s ?p ?o }", max_results=200)).status == 200
    assert run_job(store, job("SELECT * WHERE {")).status == 400


def test_pool_time_limit_replaces_the_worker(store_path: Path, files: tuple[Path, ...]) -> None:
    async def scenario() -> list[int]:
        async with running(store_path, files, size=1, timeout=1.0) as pool:
            heavy = job(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
            )
            first = await pool.run(heavy)
            second = await pool.run(job("ASK { ?s ?p ?o }"))
            return [first.status, second.status, len(pool.workers)]

    assert asyncio.run(scenario()) == [503, 200, 1]


def test_pool_turns_away_queries_beyond_the_queue(
    store_path: Path, files: tuple[Path, ...]
) -> None:
    async def scenario() -> list[tuple[int, bytes]]:
        async with running(store_path, files, size=1, timeout=1.0, max_waiting=2) as pool:
            heavy = job(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
            )
            answers = await asyncio.gather(*(pool.run(heavy) for _ in range(5)))
            return [(a.status, a.body) for a in answers]

    answers = asyncio.run(scenario())
    assert [status for status, _ in answers] == [503] * 5
    # one runs, two wait (the bound), two are turned away at once; the three that ran time out
    assert sum(b"too many queries waiting" in body for _, body in answers) == 2
    assert sum(b"time limit" in body for _, body in answers) == 3


def test_answers_are_serialised_by_oxigraph_and_capped_by_rows_not_lines() -> None:
    store = ox.Store()
    multiline = ox.Literal('line 1\nline 2\t"quoted"')
    store.extend(
        [
            ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), multiline),
            ox.Quad(ox.NamedNode(f"{EX}b"), ox.NamedNode(f"{EX}p"), ox.Literal("x", language="en")),
            ox.Quad(
                ox.BlankNode("n"),
                ox.NamedNode(f"{EX}p"),
                ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            ),
        ]
    )
    text = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"
    expected = sorted(
        (str(s["s"]), str(s["o"]), s["unbound"])
        for s in store.query(text)  # type: ignore[union-attr]
    )
    for media_type, fmt in (
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ):
        answer = run_job(store, Job(text, media_type, "text/turtle", (), 3))
        assert (answer.status, answer.content_type) == (200, media_type)
        parsed = ox.parse_query_results(answer.body, fmt)
        assert isinstance(parsed, ox.QuerySolutions)
        assert [v.value for v in parsed.variables] == ["s", "o", "unbound"]
        got = sorted((str(s["s"]), str(s["o"]), s["unbound"]) for s in parsed)
        assert got == expected
    csv_answer = run_job(store, Job(text, "text/csv", "text/turtle", (), 3))
    assert csv_answer.body.startswith(b"s,o,unbound") and b'"line 1\nline 2' in csv_answer.body
    # three rows fit a cap of three although one value spans two lines; two do not
    assert run_job(store, Job(text, "text/csv", "text/turtle", (), 2)).status == 413


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_are_forked_from_one_zygote_and_gone_after_stop(
    store_path: Path, files: tuple[Path, ...]
) -> None:
    """Every worker is a child of the zygote (so an in-memory store is loaded once and
    shared), answers like the store itself, and nothing is left running after stop."""

    async def scenario() -> tuple[list[int], int, list[int], list[int]]:
        pool = QueryPool(store_path, size=2, timeout=5.0, files=files)
        await pool.start()
        assert pool.zygote is not None
        zygote = pool.zygote.process.pid
        pids = [w.pid for w in pool.workers]
        parents = [
            int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) for p in pids
        ]
        answers = await asyncio.gather(
            *(pool.run(job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) for _ in range(4))
        )
        counts = [int(json.loads(a.body)["results"]["bindings"][0]["n"]["value"]) for a in answers]
        await pool.stop()
        return parents, zygote, counts, [*pids, zygote]

    parents, zygote, counts, pids = asyncio.run(scenario())
    assert parents == [zygote, zygote]
    assert counts == [200] * 4
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)


def test_a_worker_that_dies_gets_500_and_a_replacement(
    store_path: Path, files: tuple[Path, ...]
) -> None:
    """Killed while it runs a query: that query gets 500, the next one a new worker."""

    async def scenario() -> list[int]:
        async with running(store_path, files, size=1, timeout=30.0) as pool:
            heavy = job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
            busy = asyncio.create_task(pool.run(heavy))
            await asyncio.sleep(0.5)
            os.kill(pool.workers[0].pid, signal.SIGKILL)
            died = await busy
            after = await pool.run(job("ASK { ?s ?p ?o }"))
            return [died.status, after.status, len(pool.workers)]

    assert asyncio.run(scenario()) == [500, 200, 1]


def test_a_worker_dead_while_idle_is_replaced_and_the_query_answered(
    store_path: Path, files: tuple[Path, ...]
) -> None:
    """A worker that died between queries (killed, say, by the kernel's OOM killer) never
    saw the next query: it goes to a new worker and is answered, not refused with 500."""

    async def scenario() -> list[object]:
        async with running(store_path, files, size=1, timeout=30.0) as pool:
            first = await pool.run(job("ASK { ?s ?p ?o }"))
            dead = pool.workers[0].pid
            os.kill(dead, signal.SIGKILL)
            await asyncio.sleep(0.5)  # the socket's end of file reaches the event loop
            after = await pool.run(job("ASK { ?s ?p ?o }"))
            return [first.status, after.status, len(pool.workers), pool.workers[0].pid != dead]

    assert asyncio.run(scenario()) == [200, 200, 1, True]


def test_a_store_the_zygote_cannot_load_is_an_oserror(store_path: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.nt"
    broken.write_text("<a> <b> .\n", encoding="utf-8")

    async def scenario() -> None:
        pool = QueryPool(store_path, size=1, timeout=5.0, files=(broken,))
        try:
            await pool.start()
        finally:
            await pool.stop()

    with pytest.raises(OSError):
        asyncio.run(scenario())


TRICKY = ["{}", ',{"', '[{"', "<result>", "</result>", "\n", "\t", '"', "\\", "x", "é", ""]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.tuples(st.lists(st.sampled_from(TRICKY), max_size=4), st.booleans()), max_size=12
    ),
    slack=st.integers(min_value=-2, max_value=2),
)
def test_rows_are_counted_exactly_in_every_format(
    values: list[tuple[list[str], bool]], slack: int
) -> None:
    """Whatever the literals hold (text that looks like a row start, an empty JSON row),
    every format is refused exactly when the rows pass the cap, and otherwise holds them all."""
    store = ox.Store()
    for i, (pieces, bound) in enumerate(values):
        subject = ox.NamedNode(f"{EX}s{i}")
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}row"), ox.Literal(str(i))))
        if bound:
            store.add(ox.Quad(subject, ox.NamedNode(f"{EX}p"), ox.Literal("".join(pieces))))
    # ?o unbound where the row has no value; ?none never bound: some rows are all unbound
    text = f"SELECT ?o ?none WHERE {{ ?s <{EX}row> ?r OPTIONAL {{ ?s <{EX}p> ?o }} }}"
    expected = sorted(str(s["o"]) for s in store.query(text))  # type: ignore[union-attr]
    cap = max(1, len(values) + slack)
    for media_type, fmt in (
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv", None),
    ):
        answer = run_job(store, Job(text, media_type, "text/turtle", (), cap))
        if len(values) > cap:
            assert answer.status == 413, media_type
            continue
        assert answer.status == 200, media_type
        if fmt is not None:
            parsed = ox.parse_query_results(answer.body, fmt)
            assert isinstance(parsed, ox.QuerySolutions)
            assert sorted(str(s["o"]) for s in parsed) == expected, media_type


def test_rows_are_counted_across_the_serialiser_s_writes(store_path: Path) -> None:
    """Oxigraph writes in 8 KiB pieces, so row starts fall across two writes: 200 rows are
    200 in every format, a cap of 199 refuses them, a cap of 200 lets them through."""
    store = ox.Store.read_only(str(store_path))
    text = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    for media_type in RESULT_TYPES:
        assert run_job(store, Job(text, media_type, "text/turtle", (), 199)).status == 413
        answer = run_job(store, Job(text, media_type, "text/turtle", (), 200))
        assert (answer.status, answer.content_type) == (200, media_type)
        if "sparql-results" in media_type:  # JSON and XML: several writes
            assert len(answer.body) > 2 * 8192


@pytest.mark.parametrize("piece", [1, 2, 7, 8192])
@pytest.mark.parametrize(
    "media_type", ["application/sparql-results+json", "text/tab-separated-values"]
)
def test_counting_starts_late_and_misses_no_row(piece: int, media_type: str) -> None:
    """No row is counted until the bytes could hold more rows than the cap; the first count
    then covers every earlier write, and row starts split across writes of any size count once.
    Written ``piece`` bytes at a time, 300 rows are refused at caps 1-299 and kept at 300 and more."""
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"{EX}s{i:03d}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)))
        for i in range(300)
    )
    solutions = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert isinstance(solutions, ox.QuerySolutions)
    body = solutions.serialize(format=RESULT_FORMATS[media_type])
    assert body is not None
    starts, doubt = _ROW_STARTS[media_type]
    tsv = media_type == "text/tab-separated-values"
    for cap in (1, 30, 150, 299, 300, 5000, 10**6):
        counter = _RowCounter(cap + tsv, starts, doubt, _LEAST_ROW[media_type])
        try:
            for at in range(0, len(body), piece):
                written = body[at : at + piece]
                assert counter.write(written) == len(written)  # more would break the writer
        except _StopWritingError:
            assert cap < 300 and counter.too_many, cap
            continue
        assert cap >= 300 and b"".join(counter.parts) == body, cap
        # counted only once the bytes could hold more rows than the cap: at 10**6 never
        counted = len(body) > _LEAST_ROW[media_type] * (cap + tsv)
        assert counter.rows == (300 + tsv if counted else 0), cap
        assert counted == (cap < 10**6), cap


def test_the_endpoint_answers_a_repeated_query_from_its_cache() -> None:
    """The store never changes while serving: the same query (and format) runs once, and an
    answer as large as latest-values' at 3,400 profiles (8.2 MB of JSON) is kept too."""
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from gdp_rdf.web.sparql_endpoint import ANSWER_CACHE_BYTES, SparqlEndpoint
    from gdp_rdf.web.sparql_guard import Policy
    from gdp_rdf.web.sparql_pool import Answer

    big = b"x" * 8_236_576
    assert len(big) <= ANSWER_CACHE_BYTES // 8

    class CountingPool:
        def __init__(self) -> None:
            self.jobs: list[Job] = []

        async def run(self, job: Job) -> Answer:
            self.jobs.append(job)
            return Answer(200, job.result_type, big if "big" in job.text else b"{}")

    pool = CountingPool()
    endpoint = SparqlEndpoint(
        pool,  # type: ignore[arg-type]
        Policy.default("https://w3id.org/gdp-rdf/"),
        1000,
        [],
        str,
        str,
        "https://w3id.org/gdp-rdf/def/",
    )
    client = TestClient(Starlette(routes=[Route("/sparql", endpoint.handle)]))
    for text in ("ASK {}", "ASK {} # big", "ASK {}", "ASK {} # big"):
        response = client.get("/sparql", params={"query": text}, headers={"Accept": "*/*"})
        assert response.status_code == 200
    assert [job.text for job in pool.jobs] == ["ASK {}", "ASK {} # big"]


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_answers_of_megabytes_arrive_whole_on_either_event_loop(
    store_path: Path, files: tuple[Path, ...], loop: str
) -> None:
    """The worker's socket is read by a protocol gathering frames: an answer spread over
    many reads arrives whole and the same as run_job's, several in turn on one worker, and a
    worker killed after answering is replaced for the next query, not a hang."""
    big = job(
        "SELECT ?s ?p ?o ?x WHERE { ?s ?p ?o . ?t ?p ?x } ORDER BY ?s ?x", max_results=100_000
    )
    expected = run_job(ox.Store.read_only(str(store_path)), big)
    assert len(expected.body) > 4_000_000

    async def scenario() -> list[object]:
        async with running(store_path, files, size=1, timeout=60.0) as pool:
            answers = [await pool.run(big) for _ in range(2)]
            small = await pool.run(job("ASK { ?s ?p ?o }"))
            os.kill(pool.workers[0].pid, signal.SIGKILL)
            await asyncio.sleep(0.5)
            after = await pool.run(job("ASK { ?s ?p ?o }"))
            same = [a.body == expected.body and a.status == 200 for a in answers]
            return [*same, small.status, after.status]

    if loop == "uvloop":
        import uvloop

        result = uvloop.run(scenario())
    else:
        result = asyncio.run(scenario())
    assert result == [True, True, 200, 200]


def test_a_default_graph_that_is_no_iri_is_a_400_not_a_dead_worker() -> None:
    """The endpoint refuses such graphs first; run_job answers them too, so no request can
    kill the worker running it."""
    answer = run_job(ox.Store(), Job("ASK {}", RESULT_TYPES[0], "text/turtle", ("\ufffd",), 10))
    assert answer.status == 400 and answer.body.startswith(b"default-graph-uri: ")
