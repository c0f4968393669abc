"""Options shared by the commands, declared once: each validates its value, so a bad value is
a usage error (exit 2, one line) before any work starts; and the one progress bar."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

from gdp_rdf.vocab import DEFAULT_BASE, WIKIDATA_SPARQL, safe_iri

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]

BUILD_DIR = Path("dist")
CACHE_DIR = Path(".gdp-rdf-cache")
DUMPS = ("gdp.nt", "void.ttl")  # what --data means when it names a build folder


def check_iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An absolute http(s) IRI that can be written between <> unescaped."""
    if value is None:
        return None
    if not value.startswith(("http://", "https://")) or not safe_iri(value):
        raise click.BadParameter(f"{value!r} is not an http(s) IRI", ctx, param)
    return value


def check_base(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A base IRI: an http(s) IRI ending with '/'."""
    check_iri(ctx, param, value)
    if not value.endswith("/"):
        raise click.BadParameter(f"{value!r} must end with '/'", ctx, param)
    return value


def check_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An http(s) URL with a host."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (read for its check: a port over 65535 raises)
    except ValueError as error:  # "http://[::1/", "http://h:99999/"
        raise click.BadParameter(f"{value!r} is not an http(s) URL ({error})", ctx, param) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or not safe_iri(value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL", ctx, param)
    if parts.username is not None or parts.password is not None:
        # urllib would take "user:pw@host" for the host name, and errors would print the
        # password: credentials answer the server's challenge instead
        shown = value.replace(parts.netloc, parts.netloc.rsplit("@", 1)[1], 1)
        raise click.BadParameter(
            f"{shown!r}: put credentials in --user and --password, not in the URL", ctx, param
        )
    return value


def base_iri_option(help: str = "Base IRI of the data.") -> Decorator[Any]:
    """--base-iri, validated: an http(s) IRI ending with '/'."""
    return click.option(
        "--base-iri",
        default=DEFAULT_BASE,
        show_default=True,
        callback=check_base,
        metavar="IRI",
        help=help,
    )


def endpoint_option(help: str, required: bool = False) -> Decorator[Any]:
    """--endpoint: the SPARQL endpoint a command reads from or writes to (never Wikidata)."""
    return click.option(
        "--endpoint", required=required, metavar="URL", callback=check_url, help=help
    )


def wikidata_endpoint_option(default: str | None = WIKIDATA_SPARQL) -> Decorator[Any]:
    """--wikidata-endpoint: Wikidata's SPARQL endpoint, or a mirror of it."""
    return click.option(
        "--wikidata-endpoint",
        default=default,
        show_default=default is not None,
        metavar="URL",
        callback=check_url,
        help="Wikidata's SPARQL endpoint, or a mirror standing in for it.",
    )


def timeout_option(
    default: float, help: str = "Seconds to wait for each request."
) -> Decorator[Any]:
    """--timeout in seconds, > 0."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=True,
        help=help,
    )


def os_error_line(error: OSError) -> str:
    """``FILE: reason``, the one line for an OSError about a file."""
    return f"{error.filename}: {error.strerror or error}"


def cache_dir_option(help: str) -> Decorator[Any]:
    """--cache-dir: the one name of the cache folder (``--cache`` is kept as an alias)."""
    return click.option(
        "--cache-dir",
        "--cache",
        "cache_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=CACHE_DIR,
        show_default=True,
        help=help,
    )


def _data_files(ctx: click.Context, param: click.Parameter, value: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in value:
        if path.is_dir():
            dumps = [path / name for name in DUMPS if (path / name).exists()]
            if not dumps:
                raise click.BadParameter(
                    f"{str(path)!r} holds no build ({' / '.join(DUMPS)}); run `gdp-rdf build`",
                    ctx,
                    param,
                )
            files += dumps
        elif path.exists():
            files.append(path)
        else:
            raise click.BadParameter(f"{str(path)!r} does not exist", ctx, param)
    return files


def data_files_option(help: str = "What to read") -> Decorator[Any]:
    """--data: a build folder (its gdp.nt and void.ttl) or RDF files; repeatable."""
    return click.option(
        "--data",
        type=click.Path(path_type=Path),
        multiple=True,
        callback=_data_files,
        metavar="PATH",
        help=f"{help}: a build folder (its gdp.nt and void.ttl) or RDF files, repeatable "
        "[default: dist].",
    )


def data_folder_option(help: str = "The build folder to serve.") -> Decorator[Any]:
    """--data for commands that need a whole build folder."""
    return click.option(
        "--data",
        type=click.Path(path_type=Path, file_okay=False),
        default=BUILD_DIR,
        show_default=True,
        metavar="PATH",
        help=help,
    )


def graph_option(help: str) -> Decorator[Any]:
    """--graph: a named graph IRI on an endpoint."""
    return click.option("--graph", metavar="IRI", callback=check_iri, help=help)


def format_option(choices: list[str], help: str) -> Decorator[Any]:
    """--format (stored as ``fmt``: ``format`` is a builtin), default table."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default="table", show_default=True, help=help
    )


def progress_bar(label: str, minimum: int = 1) -> Callable[..., None]:
    """A ``(done, total, detail="")`` callback drawing one bar on stderr, only on a terminal."""

    def draw(done: int, total: int, detail: str = "") -> None:
        if total < minimum or not sys.stderr.isatty():
            return
        width = 40
        filled = width * done // max(total, 1)
        click.echo(
            f"\r{label} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}"
            + (f" {detail}" if detail else ""),
            err=True,
            nl=done >= total,
        )

    return draw


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 profile', '2 profiles'."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
