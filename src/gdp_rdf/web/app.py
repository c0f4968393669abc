"""`gdp-rdf serve`: the graph as linked data over HTTP (a Starlette app, run by uvicorn).

The base IRI is mapped to the server root: {base}id/country/KAZ is /id/country/KAZ here.
At start the server takes a snapshot of the build folder into its cache (hard links where it
can: a build never rewrites a file, it swaps in a new folder) and serves only that snapshot:
pages, dumps, checksums and SPARQL stay one consistent build however often `gdp-rdf build`
runs meanwhile; a restart picks up the new build. The store is built once from the
snapshot's dumps into an on-disk Oxigraph folder; the pages read it read-only in the server
process. Public SPARQL queries run in worker processes, on the same dumps loaded in memory
(unless they are too large: see MEMORY_STORE_BYTES) or on the on-disk store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gdp_rdf.errors import BuildError, QueryError
from gdp_rdf.sparql.catalogue import bindings, catalogue, with_values
from gdp_rdf.sparql.store import open_store, store_folder
from gdp_rdf.vocab import DEFAULT_BASE, prefixes, rebase
from gdp_rdf.web.access_log import AccessLog, open_log
from gdp_rdf.web.history_pages import HistoryRoutes
from gdp_rdf.web.read_model import Site
from gdp_rdf.web.routes import THING_ROOTS, LinkedData
from gdp_rdf.web.sparql_endpoint import SparqlEndpoint
from gdp_rdf.web.sparql_guard import Policy
from gdp_rdf.web.sparql_pool import QueryPool
from gdp_rdf.web.vocab_docs import load_namespace


@dataclass
class ServerConfig:
    """What `gdp-rdf serve` was told."""

    data: Path = Path("dist")
    base: str = DEFAULT_BASE
    allow_wikidata: bool = False
    query_timeout: float = 10.0
    max_results: int = 10_000
    max_request_bytes: int = 1 << 20
    workers: int = 2
    cache_dir: Path = field(default_factory=lambda: Path(".gdp-rdf-cache"))
    profiles: Path | None = None  # the profile texts served at /source/<file>
    access_log: str = ""  # "" off, "-" stderr, else a file
    query_store: str = "auto"  # where /sparql's workers read: "memory", "disk" or "auto"


class LimitRequestSize:
    """Refuse requests over the size limit before reading them: 413 for a body (declared or
    streamed), 414 for a URL."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) + len(scope.get("raw_path", b"")) > self.limit:
            message = f"URL longer than {self.limit} bytes: POST the query instead\n"
            await Response(message, 414, media_type="text/plain")(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers") or [] if k == b"content-length"), b"")
        if length.isdigit() and int(length) > self.limit:
            await self._too_big(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLargeError
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLargeError:
            await self._too_big(scope, receive, send)

    async def _too_big(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request larger than {self.limit} bytes\n"
        await Response(message, 413, media_type="text/plain")(scope, receive, send)


class _TooLargeError(Exception):
    """A streamed body went past the limit."""


def _iri_path(path: str) -> bool:
    """Whether a decoded path can end an IRI, as Oxigraph reads RFC 3987: stricter than
    "writable between <>" (it also refuses the U+FFFD a stray %ff decodes to, a lone '%',
    a private-use character), so its parser is the one test."""
    try:
        ox.NamedNode("http://h" + path)
    except ValueError:
        return False
    return True


class RejectNonIriPaths:
    """A path no IRI can have (a space, '<', a control character once decoded, a code point
    RFC 3987 excludes) names nothing the publisher minted: 404, before any handler tries to
    build an IRI from it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not _iri_path(scope.get("path", "/")):
            message = "not found: the path holds characters no IRI can hold\n"
            await Response(message, 404, media_type="text/plain")(scope, receive, send)
            return
        await self.app(scope, receive, send)


class PublicHeaders:
    """Headers every response carries: the data is public and read-only, so any page may
    query it (CORS, preflight included: a POST of application/sparql-query asks first), no
    response is sniffed into another type, and a page runs nothing (the pages have no
    script; a policy stops any that an escaping mistake would let in)."""

    EVERY = [
        (b"access-control-allow-origin", b"*"),
        (b"access-control-expose-headers", b"Link, ETag, Content-Disposition"),
        (b"x-content-type-options", b"nosniff"),
    ]
    PAGE = (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    PREFLIGHT = [
        (b"access-control-allow-methods", b"GET, HEAD, POST"),
        (b"access-control-allow-headers", b"Accept, Content-Type"),
        (b"access-control-max-age", b"86400"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and any(
            name == b"access-control-request-method" for name, _ in scope.get("headers") or []
        ):
            await send(
                {"type": "http.response.start", "status": 204, "headers": self.EVERY + self.PREFLIGHT}
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                added = list(message.get("headers", [])) + self.EVERY
                if any(k == b"content-type" and v.startswith(b"text/html") for k, v in added):
                    added.append(self.PAGE)
                message = {**message, "headers": added}
            await send(message)

        await self.app(scope, receive, with_headers)


MANIFEST = ".gdp-rdf-build.json"  # written by every build (gdp_rdf.pipeline.MANIFEST)
SNAPSHOT_ATTEMPTS = 5


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _take_snapshot(data: Path, cache: Path) -> Path | None:
    """Copy the build into the cache, in a folder named by its contents; None when a rebuild
    swapped the folder while it was copied (the copy would mix two builds)."""
    staging = cache / f".build-{os.getpid()}.part"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(data, staging, copy_function=_link_or_copy)
        manifest = staging / MANIFEST
        if manifest.exists():
            files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
            if any(_sha256(staging / name) != sha for name, sha in files.items()):
                raise ValueError("mixed builds")
            key = _sha256(manifest)
        else:  # a folder of dumps made by hand: nothing to check them against
            key = hashlib.sha256("".join(_sha256(staging / f) for f in DUMPS).encode()).hexdigest()
    except (OSError, ValueError, KeyError, TypeError, shutil.Error):
        shutil.rmtree(staging, ignore_errors=True)
        return None
    folder = cache / f"build-{key[:20]}"
    if folder.exists():
        shutil.rmtree(staging, ignore_errors=True)
    else:
        staging.rename(folder)
    return folder


def snapshot(data: Path, cache: Path) -> Path:
    """The build in ``data`` as a folder of the server's own, which no rebuild touches.

    Raises:
        BuildError: the build kept changing while it was copied.
    """
    cache.mkdir(parents=True, exist_ok=True)
    for _ in range(SNAPSHOT_ATTEMPTS):
        folder = _take_snapshot(data, cache)
        if folder is not None:
            for old in cache.glob("build-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)  # one snapshot at a time
            return folder
    raise BuildError("the build kept changing while the server copied it; try again", str(data))


def runnable_catalogue(base: str, allow_wikidata: bool) -> list[tuple[str, str, str]]:
    """(name, title, text) of the catalogue queries the endpoint runs, ready to run: on this
    base IRI, their parameters bound to the defaults in a VALUES block the user can edit."""
    out = []
    for name, query in catalogue().items():
        if query.services and not allow_wikidata:
            continue
        text = with_values(rebase(query.text, base), bindings(query, {}, base))
        out.append((name, query.title, text))
    return out


DUMPS = ("gdp.nt", "void.ttl")
# "auto" keeps the query store in memory up to this much N-Triples (about 6.5 M triples and
# 2.5 GB of memory, shared by the workers); beyond, the workers read the on-disk store.
MEMORY_STORE_BYTES = 1 << 30


def query_store_in_memory(choice: str, files: list[Path]) -> bool:
    """Whether /sparql's workers share an in-memory store (5-6x faster on scans than the
    on-disk one: latest-values 0.4 s against 2.5 s at 3,400 profiles) or read the disk."""
    if choice == "auto":
        return sum(f.stat().st_size for f in files) <= MEMORY_STORE_BYTES
    return choice == "memory"


def check_base(site: Site, config: ServerConfig) -> None:
    """A base IRI under which the build has no countries would serve an empty site.

    Raises:
        QueryError: nothing in the build is under ``config.base``.
    """
    if site.countries():
        return
    found = list(
        site.select(
            "SELECT ?base WHERE { ?d a <http://rdfs.org/ns/void#Dataset> "
            'BIND(STRBEFORE(STR(?d), "id/dataset/") AS ?base) FILTER(?base != "") } LIMIT 1'
        )
    )
    built = found[0]["base"] if found else None
    hint = f"; it was built under {built}: pass --base-iri {built}" if built else ""
    raise QueryError(f"no country under the base IRI {config.base}{hint}", str(config.data))


def create_app(config: ServerConfig) -> Starlette:
    """The ASGI application serving a build folder.

    Raises:
        QueryError: there is no built graph in ``config.data``, or none under the base IRI.
        BuildError: the build kept changing while it was copied.
        RdfReadError: a dump cannot be read.
    """
    missing = [str(config.data / f) for f in DUMPS if not (config.data / f).exists()]
    if missing:
        raise QueryError("no built graph to serve; run `gdp-rdf build` first", ", ".join(missing))
    # A cache folder of the server's own: `gdp-rdf query` replaces the stores in its cache.
    cache = config.cache_dir / "serve"
    served = snapshot(config.data, cache)
    files = [served / f for f in DUMPS]
    # the quality graph (issue 14) and the history graph of `build --history` (issue 15)
    files += [f for f in (served / "quality.nt", served / "history.nt") if f.exists()]
    open_store(files, cache)  # builds the folder once; this handle is dropped at once
    store_path = store_folder(files, cache)
    site = Site(ox.Store.read_only(str(store_path)), config.base)
    check_base(site, config)
    namespaces = {
        "def": load_namespace("ontology", config.base, "The gdp-rdf ontology"),
        "shapes": load_namespace("shapes", config.base, "The gdp-rdf SHACL shapes"),
    }
    data = LinkedData(site, config.base, served, namespaces, config.profiles)
    history = HistoryRoutes(served, config.base)  # issue 15: releases and changes
    data.history_section = history.country_section
    in_memory = query_store_in_memory(config.query_store, files)
    pool = QueryPool(
        store_path, config.workers, config.query_timeout, files=files if in_memory else ()
    )
    queries = runnable_catalogue(config.base, config.allow_wikidata)
    policy = Policy.default(config.base, config.allow_wikidata)
    sparql = SparqlEndpoint(
        pool, policy, config.max_results, queries, site.label, data.link, prefixes(config.base)["gdp"]
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        yield
        await pool.stop()

    routes = [
        Route("/", data.home),
        Route("/quality", data.quality),
        Route("/sparql", sparql.handle, methods=["GET", "POST"]),
        Route("/dumps/", data.dump_list),
        Route("/dumps/{name:path}", history.dumps(data.dump_file)),
        Route("/releases", history.releases_page),
        Route("/changes.atom", history.atom),
        Route("/.well-known/void", data.void),
        Route("/def/", data.namespace),
        Route("/shapes/", data.namespace),
        Route("/shapes/{name:path}", data.shape),
        Route("/doc/{path:path}", data.document),
        Route("/source/{name}", data.source),
        *(Route(f"/{root}/{{path:path}}", data.thing) for root in THING_ROOTS),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RejectNonIriPaths)
    app.add_middleware(LimitRequestSize, limit=config.max_request_bytes)
    app.add_middleware(PublicHeaders)  # outside the limits: their refusals carry them too
    if config.access_log:
        stream = open_log(config.access_log)
        app.add_middleware(AccessLog, stream=stream)
        # for the requests the HTTP parser refuses before the app sees them (414, 431)
        app.state.access_log = AccessLog(None, stream)
    return app
