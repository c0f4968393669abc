"""Public SPARQL queries in worker processes that can be stopped: a time limit and a size cap.

Oxigraph cannot interrupt a running query, so each query runs in a worker process holding a
read-only handle on the on-disk store; a query past the time limit gets its worker killed
and replaced. Results are serialised in the worker, at most ``max_results`` rows or triples.
This module imports only pyoxigraph, so workers start fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import pickle
import select
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from gdp_rdf.sparql.results import CSV, JSON, TSV, XML, serialize_boolean

GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True, slots=True)
class Job:
    text: str
    result_type: str  # for SELECT / ASK
    graph_type: str  # for CONSTRUCT / DESCRIBE
    default_graphs: tuple[str, ...]
    max_results: int


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def run_job(store: ox.Store, job: Job) -> Answer:
    """Run one query on the store (in a worker), serialised, or an error answer."""
    try:
        graphs = [ox.NamedNode(g) for g in job.default_graphs] or None
        result = store.query(job.text, default_graph=graphs)  # type: ignore[arg-type]
    except SyntaxError as error:
        return Answer(400, "text/plain", f"malformed query: {error}\n".encode())
    except (OSError, ValueError) as error:
        return Answer(400, "text/plain", f"query failed: {error}\n".encode())
    too_many = Answer(
        413,
        "text/plain",
        f"the result has more than {job.max_results} rows or triples; add a LIMIT\n".encode(),
    )
    try:
        if isinstance(result, ox.QueryBoolean):
            media_type, body = serialize_boolean(bool(result), job.result_type)
            return Answer(200, media_type, body)
        if isinstance(result, ox.QuerySolutions):
            rows = _solutions(result, job)
            return too_many if rows is None else Answer(200, job.result_type, rows)
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) == job.max_results:
                return too_many
            triples.append(triple)
        data = ox.serialize(triples, format=GRAPH_TYPES[job.graph_type])
        return Answer(200, job.graph_type, data or b"")
    except (OSError, ValueError, SyntaxError) as error:
        return Answer(400, "text/plain", f"query failed: {error}\n".encode())


RESULT_FORMATS = {
    JSON: ox.QueryResultsFormat.JSON,
    XML: ox.QueryResultsFormat.XML,
    CSV: ox.QueryResultsFormat.CSV,
    TSV: ox.QueryResultsFormat.TSV,
}


class _TooManyRowsError(Exception):
    pass


class _CappedRows:
    """A file Oxigraph writes SPARQL TSV results into, refusing them past ``cap`` rows (TSV
    escapes newlines in terms, so each line after the header is one row)."""

    def __init__(self, cap: int) -> None:
        self.cap, self.lines, self.parts = cap, 0, list[bytes]()

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        if self.lines > self.cap + 1:
            raise _TooManyRowsError
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _solutions(result: ox.QuerySolutions, job: Job) -> bytes | None:
    """SELECT results in the job's format, or None past ``job.max_results`` rows.

    Serialised by Oxigraph, never row by row in Python (which cost more than most queries):
    first as TSV, counted as it is written so a huge answer stops at the cap, then parsed
    back and written in the format asked for (TSV is lossless: terms in N-Triples syntax).
    """
    capped = _CappedRows(job.max_results)
    try:
        result.serialize(capped, ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
    except (_TooManyRowsError, OSError):
        if capped.lines > job.max_results + 1:
            return None
        raise
    tsv = b"".join(capped.parts)
    if job.result_type == TSV:
        return tsv
    again = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    assert isinstance(again, ox.QuerySolutions)
    return again.serialize(format=RESULT_FORMATS[job.result_type]) or b""


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> object:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the other side closed the pipe")
    (size,) = struct.unpack(">Q", head)
    return pickle.loads(stream.read(size))


def serve_jobs(store_path: str, requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop: read jobs, answer them, until the pipe closes or None arrives."""
    store = ox.Store.read_only(store_path)
    while True:
        try:
            job = _receive(requests)
        except EOFError:
            return
        if not isinstance(job, Job):
            return
        _send(answers, run_job(store, job))


class _Worker:
    """A `python -m gdp_rdf.web.sparql_pool` child: a plain process, so it never re-imports the
    server's main module (as multiprocessing's spawn would) and starts with only pyoxigraph."""

    def __init__(self, store_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gdp_rdf.web.sparql_pool", str(store_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            process_group=0,  # a terminal's Ctrl-C is the server's to handle: it closes us
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests, self.answers = self.process.stdin, self.process.stdout

    def call(self, job: Job, timeout: float) -> Answer | None:
        """The worker's answer, or None when it takes longer than ``timeout`` seconds."""
        _send(self.requests, job)
        ready, _, _ = select.select([self.answers], [], [], timeout)
        if not ready:
            return None
        answer = _receive(self.answers)
        assert isinstance(answer, Answer)
        return answer

    def close(self) -> None:
        try:
            self.requests.close()
            self.process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        for stream in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                stream.close()


class QueryPool:
    """Worker processes answering queries, one query each at a time."""

    def __init__(self, store_path: Path, size: int, timeout: float, max_waiting: int = 64) -> None:
        self.store_path = store_path
        self.size = size
        self.timeout = timeout
        self.max_waiting = max_waiting  # queries queued beyond this are turned away (503)
        self.waiting = 0
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.workers: list[_Worker] = []

    async def start(self) -> None:
        for _ in range(self.size):
            worker = _Worker(self.store_path)
            self.workers.append(worker)
            self.idle.put_nowait(worker)

    async def stop(self) -> None:
        for worker in self.workers:
            worker.close()
        self.workers.clear()

    async def run(self, job: Job) -> Answer:
        """Answer a query; 503 when it runs past the time limit, 500 when its worker dies.

        Either way the worker is replaced, so the pool keeps its size.
        """
        if self.waiting >= self.max_waiting:
            return Answer(503, "text/plain", b"too many queries waiting; try again shortly\n")
        self.waiting += 1
        try:
            worker = await self.idle.get()
        finally:
            self.waiting -= 1
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        crashed = False
        try:
            answer = await loop.run_in_executor(None, worker.call, job, self.timeout)
        except (OSError, EOFError, pickle.UnpicklingError):
            answer, crashed = None, True
        if answer is not None:
            self.idle.put_nowait(worker)
            return answer
        await loop.run_in_executor(None, worker.kill)
        self.workers.remove(worker)
        replacement = _Worker(self.store_path)
        self.workers.append(replacement)
        self.idle.put_nowait(replacement)
        if crashed:
            return Answer(500, "text/plain", b"the query worker failed on this query\n")
        waited = time.monotonic() - started
        message = f"the query ran past the {self.timeout:g} s time limit ({waited:.1f} s) and was stopped\n"
        return Answer(503, "text/plain", message.encode())


if __name__ == "__main__":
    # Through the module, not __main__: the jobs are pickled as gdp_rdf.web.sparql_pool classes.
    from gdp_rdf.web.sparql_pool import serve_jobs as _serve

    _serve(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer)
