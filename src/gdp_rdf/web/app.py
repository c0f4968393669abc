"""`gdp-rdf serve`: the graph as linked data over HTTP (a Starlette app, run by uvicorn).

The base IRI is mapped to the server root: {base}id/country/KAZ is /id/country/KAZ here.
The store is built once from the dumps into an on-disk Oxigraph folder; the pages read it
read-only in the server process, public SPARQL queries run in worker processes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gdp_rdf.errors import QueryError
from gdp_rdf.sparql.catalogue import bindings, catalogue, with_values
from gdp_rdf.sparql.store import open_store, store_folder
from gdp_rdf.vocab import DEFAULT_BASE, rebase
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
        too_big = Response(
            f"request larger than {self.limit} bytes\n", 413, media_type="text/plain"
        )
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await too_big(scope, receive, send)
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
            await too_big(scope, receive, send)


class _TooLargeError(Exception):
    """A streamed body went past the limit."""


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


def create_app(config: ServerConfig) -> Starlette:
    """The ASGI application serving a build folder.

    Raises:
        QueryError: there is no built graph in ``config.data``.
        RdfReadError: a dump cannot be read.
    """
    files = [config.data / "gdp.nt", config.data / "void.ttl"]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise QueryError("no built graph to serve; run `gdp-rdf build` first", ", ".join(missing))
    # A cache folder of the server's own: `gdp-rdf query` replaces the stores in its cache.
    cache = config.cache_dir / "serve"
    open_store(files, cache)  # builds the folder once; this handle is dropped at once
    store_path = store_folder(files, cache)
    site = Site(ox.Store.read_only(str(store_path)), config.base)
    namespaces = {
        "def": load_namespace("ontology", config.base, "The gdp-rdf ontology"),
        "shapes": load_namespace("shapes", config.base, "The gdp-rdf SHACL shapes"),
    }
    data = LinkedData(site, config.base, config.data, namespaces)
    history = HistoryRoutes(config.data, config.base)  # issue 15: releases and changes
    data.history_section = history.country_section
    pool = QueryPool(store_path, config.workers, config.query_timeout)
    queries = runnable_catalogue(config.base, config.allow_wikidata)
    policy = Policy.default(config.base, config.allow_wikidata)
    sparql = SparqlEndpoint(pool, policy, config.max_results, queries, site.label, data.link)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        yield
        await pool.stop()

    routes = [
        Route("/", data.home),
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
        *(Route(f"/{root}/{{path:path}}", data.thing) for root in THING_ROOTS),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(LimitRequestSize, limit=config.max_request_bytes)
    return app
