"""`gdp-rdf serve`: the built graph as linked data over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from gdp_rdf.cli.app import cli
from gdp_rdf.cli.build_command import _check_base
from gdp_rdf.vocab import DEFAULT_BASE
from gdp_rdf.web.app import ServerConfig, create_app


@cli.command("serve")
@click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("dist"),
    show_default=True,
    help="Folder of a build (gdp.nt, void.ttl and the dumps).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--base-iri",
    default=DEFAULT_BASE,
    show_default=True,
    callback=_check_base,
    help="Base IRI of the data; it is served at the server root.",
)
@click.option(
    "--allow-wikidata",
    is_flag=True,
    help="Let /sparql queries use SERVICE <https://query.wikidata.org/sparql>.",
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a /sparql query may run before it is stopped (503).",
)
@click.option(
    "--max-results",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Most rows or triples a /sparql answer may hold (413 beyond).",
)
@click.option(
    "--max-request-bytes",
    type=click.IntRange(min=1024),
    default=1 << 20,
    show_default=True,
    help="Largest request body accepted (413 beyond).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Query worker processes (each runs one /sparql query at a time).",
)
@click.option(
    "--cache",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path(".gdp-rdf-cache"),
    show_default=True,
    help="Folder for the on-disk store built from the dumps.",
)
@click.option(
    "--profiles",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Folder of the profile texts the build read, served at /source/<file> "
    "[default: data/profiles].",
)
@click.option(
    "--access-log",
    "access_log",
    default="-",
    show_default=True,
    metavar="FILE",
    help="Write an access log (Combined Log Format) to FILE; '-' is stderr.",
)
@click.option("--no-access-log", is_flag=True, help="Write no access log.")
def serve_command(
    data: Path,
    host: str,
    port: int,
    base_iri: str,
    allow_wikidata: bool,
    query_timeout: float,
    max_results: int,
    max_request_bytes: int,
    workers: int,
    cache: Path,
    profiles: Path | None,
    access_log: str,
    no_access_log: bool,
) -> None:
    """Serve the graph: dereferenceable IRIs, HTML pages, /sparql and /dumps/."""
    import uvicorn

    config = ServerConfig(
        data=data,
        base=base_iri,
        allow_wikidata=allow_wikidata,
        query_timeout=query_timeout,
        max_results=max_results,
        max_request_bytes=max_request_bytes,
        workers=workers,
        cache_dir=cache,
        profiles=profiles or _default_profiles(),
        access_log="" if no_access_log else access_log,
    )
    try:
        app = create_app(config)
    except OSError as error:
        raise click.ClickException(f"--access-log {access_log}: {error.strerror}") from None
    click.echo(f"serving {data} as {base_iri} on http://{host}:{port}/", err=True)
    # h11 buffers the request head up to this size; a URL past --max-request-bytes but under
    # it gets a clear 414 from the app, a larger one is cut off by uvicorn (400).
    head_limit = 2 * max_request_bytes + (64 << 10)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        h11_max_incomplete_event_size=head_limit,
    )


def _default_profiles() -> Path | None:
    from gdp_rdf.errors import ResourceError
    from gdp_rdf.resources import resource_path

    try:
        return resource_path("data", "profiles")
    except ResourceError:
        return None
