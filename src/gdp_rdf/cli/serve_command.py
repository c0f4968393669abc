"""`gdp-rdf serve`: the built graph as linked data over HTTP."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import click

from gdp_rdf.cli.options import (
    base_iri_option,
    cache_dir_option,
    data_folder_option,
    os_error_line,
)
from gdp_rdf.errors import GdpRdfError


class PortError(GdpRdfError):
    """The address to listen on is taken or not ours to use."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port before the server says anything, so a busy port is one
    clear line (exit 1), never an announcement followed by uvicorn's error.

    Raises:
        PortError: the port is in use or cannot be bound.
    """
    try:
        family, kind, proto = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][:3]
        # The protocol number matters: asyncio turns Nagle off (TCP_NODELAY) only on sockets
        # that say IPPROTO_TCP, and with Nagle on every keep-alive response whose head and
        # body go out as two writes waits ~40 ms for the client's delayed ACK.
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as error:
        raise PortError(f"cannot listen on {host}:{port}: {error}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        why = (
            "the port is in use"
            if error.errno == errno.EADDRINUSE
            else (error.strerror or str(error))
        )
        raise PortError(f"cannot listen on {host}:{port}: {why}; pick another --port") from None
    return sock


@click.command("serve")
@data_folder_option("The build folder to serve (gdp.nt, void.ttl and the dumps).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@base_iri_option("Base IRI of the data; it is served at the server root.")
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
    "--query-store",
    type=click.Choice(["auto", "memory", "disk"]),
    default="auto",
    show_default=True,
    help="Where /sparql's workers read the graph: loaded in memory once and shared by the "
    "workers (fast), or the on-disk store (little memory); auto: in memory up to 1 GiB of "
    "dumps.",
)
@cache_dir_option("Folder for the server's snapshot of the build and its on-disk store.")
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
    query_store: str,
    cache_dir: Path,
    profiles: Path | None,
    access_log: str,
    no_access_log: bool,
) -> None:
    """Serve the graph: dereferenceable IRIs, HTML pages, /sparql and /dumps/.

    The server takes a snapshot of the build when it starts and serves only that: a
    rebuild while it runs changes nothing it answers until it is restarted.
    """
    import uvicorn

    from gdp_rdf.web.app import ServerConfig, create_app
    from gdp_rdf.web.http_protocol import bounded_protocol

    config = ServerConfig(
        data=data,
        base=base_iri,
        allow_wikidata=allow_wikidata,
        query_timeout=query_timeout,
        max_results=max_results,
        max_request_bytes=max_request_bytes,
        workers=workers,
        query_store=query_store,
        cache_dir=cache_dir,
        profiles=profiles or _default_profiles(),
        access_log="" if no_access_log else access_log,
    )
    sock = listening_socket(host, port)
    try:
        app = create_app(config)
    except OSError as error:
        sock.close()
        blamed = "--access-log " if error.filename == access_log else ""
        raise click.ClickException(blamed + os_error_line(error)) from None
    except BaseException:
        sock.close()
        raise
    bound = sock.getsockname()[1]
    click.echo(f"serving {data} as {base_iri} on http://{host}:{bound}/", err=True)
    # httptools parses requests (h11 cost more than the rest of a small query); a URL over
    # 64 KiB gets a 414, a request head over HEAD_LIMIT a 431, before anything is buffered.
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            http=bounded_protocol(HEAD_LIMIT, getattr(app.state, "access_log", None)),
            loop="uvloop",
            log_level="warning",
            access_log=False,
        )
    )
    server.run(sockets=[sock])


HEAD_LIMIT = 128 << 10  # request line and headers: a 64 KiB URL and as much in headers


def _default_profiles() -> Path | None:
    from gdp_rdf.errors import ResourceError
    from gdp_rdf.resources import resource_path

    try:
        return resource_path("data", "profiles")
    except ResourceError:
        return None
