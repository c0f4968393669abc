"""Dumps -> a named graph of a SPARQL 1.1 Graph Store Protocol server, swapped in.

The triples go to a fresh staging graph in batches (Graph Store Protocol POST), the staging
graph's triple count is checked, and one SPARQL Update ``MOVE`` replaces the published graph
with it. Any failure before the MOVE drops the staging graph and leaves the published graph as
it was. What readers see during the MOVE depends on the store (README, "Publishing to a
triplestore"): on Oxigraph the old graph or the new one, never half of either; on Virtuoso the
MOVE is a delete and an insert that concurrent readers can see part-way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import urllib.error
import urllib.parse
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.errors import PublishError
from gdp_rdf.graph.rdf_io import read_rdf
from gdp_rdf.graph.terms import ntriples_lines
from gdp_rdf.sparql.remote import HTTP_MESSAGES, Auth, Client, open_url, server_message

__all__ = ["Auth", "Endpoints", "Progress", "Published", "Upload", "endpoints_for", "publish"]


@dataclass
class Upload:
    """How far an upload is: triples and bytes sent, batches, seconds since the start."""

    total: int
    triples: int = 0
    bytes: int = 0
    batches: int = 0
    seconds: float = 0.0


Progress = Callable[[Upload], None]
BATCH_TRIPLES = 100_000
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a triplestore: SPARQL query, SPARQL update, Graph Store Protocol."""

    query: str
    update: str
    store: str


# last path segment of the query URL -> (update URL, graph-store URL), relative to its folder
_LAYOUTS = {
    "query": ("update", "store"),  # Oxigraph
    "sparql-auth": ("sparql-auth", "sparql-graph-crud-auth"),  # Virtuoso, Digest
}


def endpoints_for(url: str, update: str | None = None, store: str | None = None) -> Endpoints:
    """Derive the update and graph-store URLs from a query endpoint URL.

    Oxigraph: /query, /update, /store. Virtuoso: /sparql, /sparql, /sparql-graph-crud (or
    /sparql-auth, /sparql-auth, /sparql-graph-crud-auth with credentials). Fuseki:
    /ds/sparql (or /ds/query), /ds/update, /ds/data. GraphDB / RDF4J: /repositories/ID,
    /repositories/ID/statements, .../rdf-graphs/service.

    Raises:
        PublishError: the URLs cannot be derived and were not given.
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    derived: tuple[str, str] | None = None
    if last in _LAYOUTS:
        derived = (f"{head}/{_LAYOUTS[last][0]}", f"{head}/{_LAYOUTS[last][1]}")
    elif last == "sparql" and not head:  # Virtuoso serves /sparql at the root
        derived = ("/sparql", "/sparql-graph-crud")
    elif last == "sparql":
        derived = (f"{head}/update", f"{head}/data")
    elif head.endswith("/repositories"):
        derived = (f"{path}/statements", f"{path}/rdf-graphs/service")
    if derived is None:
        if update is None or store is None:
            raise PublishError(
                "cannot tell the update and graph-store URLs of this endpoint; give "
                "--update-url and --store-url",
                url,
            )
        return Endpoints(url, update, store)

    def at(p: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, p, "", ""))

    return Endpoints(url, update or at(derived[0]), store or at(derived[1]))


@dataclass(frozen=True)
class Published:
    """What a publish did."""

    graph: str
    triples: int
    batches: int
    seconds: float


class _Http:
    def __init__(self, auth: Auth, timeout: float) -> None:
        self.client = Client(timeout=timeout, auth=auth)

    def send(self, url: str, data: bytes, content_type: str, accept: str | None = None) -> bytes:
        headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
        try:
            return open_url(url, data, headers, self.client)[0]
        except urllib.error.HTTPError as error:
            what = HTTP_MESSAGES.get(error.code, f"HTTP {error.code}")
            message = server_message(error)
            if "SECURITY" in message:  # Virtuoso's anonymous /sparql may not write
                message += "; on Virtuoso publish to /sparql-auth with --user and --password"
            raise PublishError(f"{what}: {message}", url) from None
        except urllib.error.URLError as error:
            raise PublishError(f"cannot reach the server: {error.reason}", url) from None
        except (TimeoutError, OSError) as error:
            raise PublishError(f"connection failed: {error}", url) from None

    def update(self, endpoints: Endpoints, operation: str) -> None:
        self.send(endpoints.update, operation.encode(), "application/sparql-update")

    def count(self, endpoints: Endpoints, graph: str) -> int:
        """The graph's triple count, from a complete answer holding one xsd:integer.

        Sent as a form post: Virtuoso never answers a POST of application/sparql-query.
        """
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        body = self.send(
            endpoints.query,
            urllib.parse.urlencode({"query": query}).encode(),
            "application/x-www-form-urlencoded",
            "application/sparql-results+json",
        )
        try:
            rows = json.loads(body)["results"]["bindings"]
            value = rows[0]["n"]
            if len(rows) != 1 or value.get("datatype", XSD_INTEGER) != XSD_INTEGER:
                raise ValueError(f"{len(rows)} rows, {value}")
            return int(value["value"])
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
            raise PublishError(
                f"unexpected or cut-short answer to a count query: {error}", endpoints.query
            ) from None


def _file_lines(path: Path) -> Iterator[bytes]:
    if path.suffix != ".nt":
        yield from (line.encode() for line in ntriples_lines(read_rdf(path)))
        return
    try:
        with path.open("rb") as lines:
            yield from lines
    except OSError as error:
        raise PublishError(f"cannot read: {error.strerror}", str(path)) from None


def _distinct_lines(files: Sequence[Path]) -> Iterator[bytes]:
    """Every distinct triple of the files as an N-Triples line, streamed (gdp.nt is read as
    it is); only a 16-byte digest per triple is kept, so memory stays a fraction of the dump."""
    seen: set[bytes] = set()
    for path in files:
        for line in _file_lines(path):
            if not line.strip() or line.startswith(b"#"):
                continue
            line = line if line.endswith(b"\n") else line + b"\n"
            key = hashlib.blake2b(line, digest_size=16).digest()
            if key not in seen:
                seen.add(key)
                yield line


def _batches(files: Sequence[Path], size: int) -> Iterator[tuple[int, bytes]]:
    batch: list[bytes] = []
    for line in _distinct_lines(files):
        batch.append(line)
        if len(batch) == size:
            yield len(batch), b"".join(batch)
            batch = []
    if batch:
        yield len(batch), b"".join(batch)


def publish(
    files: Sequence[Path],
    endpoints: Endpoints,
    graph: str,
    auth: Auth | None = None,
    progress: Progress | None = None,
    timeout: float = 300.0,
    batch_triples: int = BATCH_TRIPLES,
) -> Published:
    """Load the files into ``graph`` on the server, atomically replacing what was there.

    Raises:
        PublishError: a file cannot be read, the server refuses or fails, or the staging
            graph's count does not match; the published graph is then untouched.
    """
    try:
        ox.NamedNode(graph)
    except ValueError:
        raise PublishError(f"not a valid graph IRI: {graph!r}") from None
    started = time.perf_counter()
    total = sum(1 for _ in _distinct_lines(files))  # reads every file before the server
    http = _Http(auth or Auth(), timeout)
    staging = f"{graph.rstrip('/#')}/staging-{uuid.uuid4().hex}"
    batches = 0
    sent = Upload(total=total)
    try:
        http.update(endpoints, f"DROP SILENT GRAPH <{staging}>")
        target = f"{endpoints.store}?graph={urllib.parse.quote(staging, safe='')}"
        for triples, batch in _batches(files, batch_triples):
            http.send(target, batch, "application/n-triples")
            batches += 1
            sent.triples += triples
            sent.bytes += len(batch)
            sent.batches = batches
            sent.seconds = time.perf_counter() - started
            if progress:
                progress(sent)
        staged = http.count(endpoints, staging)
        if staged != total:
            raise PublishError(
                f"the staging graph holds {staged} triples, not {total}; nothing was replaced",
                endpoints.store,
            )
        http.update(endpoints, f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")
    except BaseException:
        # if the server is gone, the staging graph is a harmless leftover
        with contextlib.suppress(PublishError):
            http.update(endpoints, f"DROP SILENT GRAPH <{staging}>")
        raise
    published = http.count(endpoints, graph)
    if published != total:
        raise PublishError(f"the published graph holds {published} triples, not {total}", graph)
    return Published(graph, total, batches, time.perf_counter() - started)
