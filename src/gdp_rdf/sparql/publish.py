"""Dumps -> a named graph of a SPARQL 1.1 Graph Store Protocol server, swapped in atomically.

The triples go to a fresh staging graph in batches (Graph Store Protocol POST), the staging
graph's triple count is checked, and one SPARQL Update ``MOVE`` replaces the published graph
with it: a reader sees the old graph or the new one, never half of it. Any failure before
the MOVE drops the staging graph and leaves the published graph as it was.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.errors import PublishError
from gdp_rdf.graph.rdf_io import read_rdf
from gdp_rdf.graph.terms import ntriples_lines
from gdp_rdf.sparql.remote import USER_AGENT

Progress = Callable[[int, int], None]  # (triples sent, total)
BATCH_TRIPLES = 100_000


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a triplestore: SPARQL query, SPARQL update, Graph Store Protocol."""

    query: str
    update: str
    store: str


def endpoints_for(url: str, update: str | None = None, store: str | None = None) -> Endpoints:
    """Derive the update and graph-store URLs from a query endpoint URL.

    Oxigraph: /query, /update, /store. Fuseki: /ds/sparql (or /ds/query), /ds/update, /ds/data.
    GraphDB / RDF4J: /repositories/ID, /repositories/ID/statements, .../rdf-graphs/service.

    Raises:
        PublishError: the URLs cannot be derived and were not given.
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    derived: tuple[str, str] | None = None
    if last == "query":
        derived = (f"{head}/update", f"{head}/store")
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
class Auth:
    """Credentials: HTTP Basic (user and password) or a bearer token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user:
            pair = f"{self.user}:{self.password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
        return {}


@dataclass(frozen=True)
class Published:
    """What a publish did."""

    graph: str
    triples: int
    batches: int
    seconds: float


class _Http:
    def __init__(self, auth: Auth, timeout: float) -> None:
        self.headers = {"User-Agent": USER_AGENT, **auth.headers()}
        self.timeout = timeout

    def send(self, url: str, data: bytes, content_type: str, accept: str | None = None) -> bytes:
        headers = {**self.headers, "Content-Type": content_type}
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            body = " ".join(error.read().decode("utf-8", "replace").split())[:300]
            raise PublishError(f"HTTP {error.code}: {body or error.reason}", url) from None
        except urllib.error.URLError as error:
            raise PublishError(f"cannot reach the server: {error.reason}", url) from None
        except (TimeoutError, OSError) as error:
            raise PublishError(f"connection failed: {error}", url) from None

    def update(self, endpoints: Endpoints, operation: str) -> None:
        self.send(endpoints.update, operation.encode(), "application/sparql-update")

    def count(self, endpoints: Endpoints, graph: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        body = self.send(
            endpoints.query,
            query.encode(),
            "application/sparql-query",
            "application/sparql-results+json",
        )
        try:
            return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError) as error:
            raise PublishError(
                f"unexpected answer to a count query: {error}", endpoints.query
            ) from None


def _lines(files: Sequence[Path]) -> list[bytes]:
    """Every distinct triple of the files as an N-Triples line (gdp.nt is read as it is)."""
    seen: set[bytes] = set()
    out: list[bytes] = []
    for path in files:
        if path.suffix == ".nt":
            try:
                lines = path.read_bytes().splitlines(keepends=True)
            except OSError as error:
                raise PublishError(f"cannot read: {error.strerror}", str(path)) from None
        else:
            lines = [line.encode() for line in ntriples_lines(read_rdf(path))]
        for line in lines:
            if line.strip() and not line.startswith(b"#") and line not in seen:
                seen.add(line)
                out.append(line)
    return out


def _batches(lines: list[bytes], size: int) -> Iterator[bytes]:
    for start in range(0, len(lines), size):
        yield b"".join(lines[start : start + size])


def publish(
    files: Sequence[Path],
    endpoints: Endpoints,
    graph: str,
    auth: Auth = Auth(),
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
    lines = _lines(files)
    http = _Http(auth, timeout)
    staging = f"{graph.rstrip('/#')}/staging-{uuid.uuid4().hex}"
    batches = 0
    try:
        http.update(endpoints, f"DROP SILENT GRAPH <{staging}>")
        target = f"{endpoints.store}?graph={urllib.parse.quote(staging, safe='')}"
        for batch in _batches(lines, batch_triples):
            http.send(target, batch, "application/n-triples")
            batches += 1
            if progress:
                progress(min(batches * batch_triples, len(lines)), len(lines))
        staged = http.count(endpoints, staging)
        if staged != len(lines):
            raise PublishError(
                f"the staging graph holds {staged} triples, not {len(lines)}; nothing was replaced",
                endpoints.store,
            )
        http.update(endpoints, f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")
    except BaseException:
        try:
            http.update(endpoints, f"DROP SILENT GRAPH <{staging}>")
        except PublishError:
            pass  # the server is gone; the staging graph is a harmless leftover
        raise
    published = http.count(endpoints, graph)
    if published != len(lines):
        raise PublishError(
            f"the published graph holds {published} triples, not {len(lines)}", graph
        )
    return Published(graph, len(lines), batches, time.perf_counter() - started)
