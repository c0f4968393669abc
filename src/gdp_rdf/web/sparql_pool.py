"""Public SPARQL queries in worker processes that can be stopped: a time limit and a size cap.

Oxigraph cannot interrupt a running query, so each query runs in a worker process; a query
past the time limit gets its worker killed and replaced. The workers are forked from one
zygote process holding the store (in memory, shared by every worker, or opened on disk by
each), and the server talks to them from its event loop. Results are serialised in the
worker, at most ``max_results`` rows or triples. This module imports only pyoxigraph, so the
zygote starts fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
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
    # for ASK: CSV and TSV cannot hold a boolean, so the client's choice of JSON and XML
    boolean_type: str = JSON


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def run_job(store: ox.Store, job: Job) -> Answer:
    """Run one query on the store (in a worker), serialised, or an error answer."""
    try:
        graphs = [ox.NamedNode(g) for g in job.default_graphs] or None
    except ValueError as error:  # the endpoint checks them first; a worker must not die of one
        return Answer(400, "text/plain", f"default-graph-uri: {error}\n".encode())

    def run() -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        return store.query(job.text, default_graph=graphs)  # type: ignore[arg-type]

    try:
        result = run()
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
            media_type, body = serialize_boolean(bool(result), job.boolean_type)
            return Answer(200, media_type, body)
        if isinstance(result, ox.QuerySolutions):
            rows = _solutions(result, run, job)
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


class _StopWritingError(Exception):
    """Raised from a writer to stop Oxigraph's serialiser: too many rows, or a count in doubt."""


# Where each row of a result format starts, found by counting in the bytes as they are
# written. A term's text cannot fake one: JSON escapes '"' in strings (a row is '[{"' or
# ',{"', a term ':{"'), XML escapes '<' in text, TSV escapes newlines. An empty JSON row is
# '{}', which a string may also hold: seeing '{}' puts the count in doubt. CSV quotes newlines
# instead, so its rows are counted in TSV and converted.
_ROW_STARTS: dict[str, tuple[tuple[bytes, ...], bytes | None]] = {
    JSON: ((b'[{"', b',{"'), b"{}"),
    XML: ((b"<result>",), None),
    TSV: ((b"\n",), None),
}
# The fewest bytes a row takes: '{}' in JSON, '<result></result>' in XML, '\n' in TSV.
_LEAST_ROW = {JSON: 2, XML: 17, TSV: 1}


class _RowCounter:
    """A file Oxigraph writes SPARQL results into, counting rows as they come and refusing
    them past ``cap``.

    No row is shorter than ``least`` bytes, so while fewer than ``least * cap`` bytes have come
    the rows cannot be past the cap and nothing is counted (counting latest-values' 8 MB of
    JSON took 25 ms). From there each write is counted where it lies, and a row start split
    between two writes is found in the few bytes around their seam.
    """

    def __init__(
        self, cap: int, starts: tuple[bytes, ...], doubt: bytes | None, least: int
    ) -> None:
        self.cap, self.starts, self.doubt = cap, starts, doubt
        self.uncounted = least * cap  # bytes that may come before counting starts
        self.keep = max(len(s) for s in (*starts, doubt or b"")) - 1
        self.rows, self.tail, self.parts = 0, b"", list[bytes]()
        self.too_many = self.in_doubt = False

    def _found(self, pattern: bytes, data: bytes) -> int:
        """Occurrences of ``pattern`` in ``data`` and across the seam with the last write: a
        seam window of 2 * (len - 1) bytes holds no occurrence that lies on one side only."""
        reach = len(pattern) - 1
        seam = self.tail[len(self.tail) - reach :] + data[:reach] if reach else b""
        return data.count(pattern) + seam.count(pattern)

    def write(self, data: bytes) -> int:
        data = bytes(data)
        size = len(data)  # what the serialiser must hear back, never more
        self.parts.append(data)
        if self.uncounted >= 0:
            self.uncounted -= size
            if self.uncounted >= 0:
                return size
            data = b"".join(self.parts)  # the first count: everything so far
        self.rows += sum(self._found(start, data) for start in self.starts)
        if self.doubt is not None and self._found(self.doubt, data):
            self.in_doubt = True
            raise _StopWritingError
        if self.rows > self.cap:
            self.too_many = True
            raise _StopWritingError
        if self.keep:
            tail = data if len(data) >= self.keep else self.tail + data
            self.tail = tail[len(tail) - self.keep :]
        return size

    def flush(self) -> None:
        pass


def _solutions(
    result: ox.QuerySolutions,
    run: Callable[[], ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples],
    job: Job,
) -> bytes | None:
    """SELECT results in the job's format, or None past ``job.max_results`` rows.

    Serialised by Oxigraph, never row by row in Python (which cost more than most queries),
    and counted as they are written, so a huge answer stops at the cap. JSON and XML are
    written directly; CSV, and JSON whose count is in doubt (``{}`` seen), go through TSV
    (lossless: terms in N-Triples syntax), parsed back and written in the format asked for.
    """
    direct = job.result_type in (JSON, XML, TSV)
    for attempt in ("direct", "tsv") if direct else ("tsv",):
        fmt = job.result_type if attempt == "direct" else TSV
        starts, doubt = _ROW_STARTS[fmt]
        # TSV's header line ends with a newline too
        counter = _RowCounter(job.max_results + (fmt == TSV), starts, doubt, _LEAST_ROW[fmt])
        try:
            result.serialize(counter, RESULT_FORMATS[fmt])  # type: ignore[arg-type]
        except (_StopWritingError, OSError):
            if counter.too_many:
                return None
            if not counter.in_doubt:
                raise
            again = run()  # the first answer is spent: run the query again, counted in TSV
            assert isinstance(again, ox.QuerySolutions)
            result = again
            continue
        body = b"".join(counter.parts)
        if fmt == job.result_type:
            return body
        again = ox.parse_query_results(body, ox.QueryResultsFormat.TSV)
        assert isinstance(again, ox.QuerySolutions)
        return again.serialize(format=RESULT_FORMATS[job.result_type]) or b""
    raise AssertionError("unreachable: TSV counts are never in doubt")


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


def serve_jobs(store: ox.Store, requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop: read jobs, answer them, until the socket closes or None arrives."""
    while True:
        try:
            job = _receive(requests)
        except EOFError:
            return
        if not isinstance(job, Job):
            return
        _send(answers, run_job(store, job))


# -- the zygote: one process holding the store, forking the workers ------------------------------
#
# A worker is forked from a zygote process rather than started afresh, so an in-memory store
# is loaded once and shared copy-on-write by every worker (Oxigraph's on-disk store took 5-6x
# longer on scans: latest-values 2.5 s on disk, 0.4 s in memory, at 3,400 profiles), and a
# worker killed at the time limit is replaced in milliseconds instead of a reload. The zygote
# runs no query and starts no thread, so forking it is safe; an on-disk store is opened by
# each worker after the fork (a RocksDB handle must not cross one).

READY, FORK = b"R", b"F"


def _zygote(control: socket.socket, store_path: str, files: Sequence[str]) -> None:
    """Load the store, say READY, then fork a worker for each FORK received, sending back its
    pid and its end of a new socket pair; exit when the server's end closes."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    try:
        memory = _load_memory(files) if files else None
    except (OSError, SyntaxError, ValueError) as error:
        control.sendall(f"E{error}".encode())
        return
    control.sendall(READY)
    while control.recv(1) == FORK:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the worker
            control.close()
            ours.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            store = memory if memory is not None else ox.Store.read_only(store_path)
            with theirs.makefile("rb") as requests, theirs.makefile("wb") as answers:
                serve_jobs(store, requests, answers)
            os._exit(0)
        theirs.close()
        socket.send_fds(control, [struct.pack(">Q", pid)], [ours.fileno()])
        ours.close()


def _load_memory(files: Sequence[str]) -> ox.Store:
    store = ox.Store()
    for name in files:
        fmt = ox.RdfFormat.N_TRIPLES if name.endswith(".nt") else ox.RdfFormat.TURTLE
        store.bulk_load(path=name, format=fmt)
    return store


class _Zygote:
    """The server's side of the zygote: `python -m gdp_rdf.web.sparql_pool`, a plain process
    (multiprocessing's spawn would re-import the server's main module)."""

    def __init__(self, store_path: Path, files: Sequence[Path]) -> None:
        self.control, theirs = socket.socketpair()
        command = [sys.executable, "-m", "gdp_rdf.web.sparql_pool", str(theirs.fileno())]
        command += [str(store_path), *(str(f) for f in files)]
        self.process = subprocess.Popen(
            command,
            pass_fds=[theirs.fileno()],
            process_group=0,  # a terminal's Ctrl-C is the server's to handle: it closes us
        )
        theirs.close()

    def wait_ready(self) -> None:
        """Block until the store is loaded.

        Raises:
            OSError: the zygote could not load the store, or died.
        """
        answer = self.control.recv(4096)
        if answer != READY:
            raise OSError(answer[1:].decode("utf-8", "replace") or "the query process died")

    def fork(self) -> _Worker:
        """A new worker, forked from the loaded store.

        Raises:
            OSError: the zygote is gone.
        """
        self.control.sendall(FORK)
        message, fds, _, _ = socket.recv_fds(self.control, 8, 1)
        if len(message) != 8 or len(fds) != 1:
            raise OSError("the query process did not fork a worker")
        (pid,) = struct.unpack(">Q", message)
        return _Worker(pid, socket.socket(fileno=fds[0]))

    def close(self) -> None:
        self.control.close()  # the zygote's loop ends; workers end when their socket closes
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class _Frames(asyncio.Protocol):
    """A worker's socket as a transport: length-prefixed answers gathered as they arrive.

    A protocol, not sock_recv per read: every awaited sock_recv registers and removes the
    socket with epoll (two system calls), which cost more than a small query's answer.
    """

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.waiter: asyncio.Future[bytes] | None = None
        self.lost = False

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        waiter = self.waiter
        if waiter is None or waiter.done() or len(self.buffer) < 8:
            return
        (size,) = struct.unpack_from(">Q", self.buffer)
        if len(self.buffer) >= 8 + size:
            waiter.set_result(bytes(memoryview(self.buffer)[8 : 8 + size]))
            del self.buffer[: 8 + size]

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(EOFError("the worker closed its socket"))


class WorkerGoneError(Exception):
    """The worker had died before the job reached it (killed while idle, say)."""


class _Worker:
    """A forked worker, talked to over its socket from the event loop (no thread hop)."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid, self.sock = pid, sock
        sock.setblocking(False)
        self.transport: asyncio.Transport | None = None
        self.frames = _Frames()

    async def call(self, job: Job, timeout: float) -> Answer | None:
        """The worker's answer, or None when it takes longer than ``timeout`` seconds.

        Raises:
            WorkerGoneError: the worker had died before the job was sent.
            EOFError: the worker died on the job.
        """
        loop = asyncio.get_running_loop()
        if self.transport is None:  # on first use: the pool is made outside the event loop
            self.transport, _ = await loop.create_unix_connection(lambda: self.frames, sock=self.sock)
        if self.frames.lost:
            raise WorkerGoneError  # before the job was sent: it never ran there
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.frames.waiter = loop.create_future()
        self.transport.write(struct.pack(">Q", len(data)) + data)
        try:
            async with asyncio.timeout(timeout):
                answer = pickle.loads(await self.frames.waiter)
        except TimeoutError:
            return None
        finally:
            self.frames.waiter = None
        assert isinstance(answer, Answer)
        return answer

    def close(self) -> None:
        if self.transport is not None:
            self.transport.abort()
        self.sock.close()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.close()


class QueryPool:
    """Worker processes answering queries, one query each at a time.

    With ``files``, the workers share one in-memory store loaded from them; without, each
    opens the on-disk store at ``store_path`` read-only.
    """

    def __init__(
        self,
        store_path: Path,
        size: int,
        timeout: float,
        max_waiting: int = 64,
        files: Sequence[Path] = (),
    ) -> None:
        self.store_path, self.files = store_path, tuple(files)
        self.size = size
        self.timeout = timeout
        self.max_waiting = max_waiting  # queries queued beyond this are turned away (503)
        self.waiting = 0
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.workers: list[_Worker] = []
        self.zygote: _Zygote | None = None

    async def start(self) -> None:
        """Load the store and fork the workers.

        Raises:
            OSError: the store cannot be loaded.
        """
        self.zygote = _Zygote(self.store_path, self.files)
        await asyncio.get_running_loop().run_in_executor(None, self.zygote.wait_ready)
        for _ in range(self.size):
            self._add(self.zygote.fork())

    def _add(self, worker: _Worker) -> None:
        self.workers.append(worker)
        self.idle.put_nowait(worker)

    async def stop(self) -> None:
        for worker in self.workers:
            worker.close()
        self.workers.clear()
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    async def run(self, job: Job) -> Answer:
        """Answer a query; 503 when it runs past the time limit, 500 when its worker dies.

        Either way the worker is replaced, so the pool keeps its size. A worker found dead
        before the job reached it is replaced and the job goes to another: it never ran.
        """
        if self.waiting >= self.max_waiting:
            return Answer(503, "text/plain", b"too many queries waiting; try again shortly\n")
        for _ in range(self.size + 1):  # bounded: every worker gone at once, then a fresh one
            self.waiting += 1
            try:
                worker = await self.idle.get()
            finally:
                self.waiting -= 1
            started = time.monotonic()
            try:
                answer = await worker.call(job, self.timeout)
            except WorkerGoneError:
                self._replace(worker)
                continue
            except (OSError, EOFError, pickle.UnpicklingError):
                self._replace(worker)
                return Answer(500, "text/plain", b"the query worker failed on this query\n")
            if answer is not None:
                self.idle.put_nowait(worker)
                return answer
            self._replace(worker)
            waited = time.monotonic() - started
            message = f"the query ran past the {self.timeout:g} s time limit ({waited:.1f} s) and was stopped\n"
            return Answer(503, "text/plain", message.encode())
        return Answer(500, "text/plain", b"the query workers died before they could take the query\n")

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self.workers.remove(worker)
        assert self.zygote is not None
        self._add(self.zygote.fork())  # milliseconds: nothing to load

if __name__ == "__main__":
    # Through the module, not __main__: the jobs are pickled as gdp_rdf.web.sparql_pool classes.
    from gdp_rdf.web.sparql_pool import _zygote as _run

    _run(socket.socket(fileno=int(sys.argv[1])), sys.argv[2], sys.argv[3:])
