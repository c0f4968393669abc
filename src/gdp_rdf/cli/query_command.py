"""`gdp-rdf query`, `gdp-rdf queries` and `gdp-rdf publish`."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from gdp_rdf.cli.app import cli
from gdp_rdf.cli.render import TableFormat, render_graph, render_rows
from gdp_rdf.sparql.catalogue import bindings, catalogue, resolve
from gdp_rdf.sparql.publish import Auth, Upload, endpoints_for, publish
from gdp_rdf.sparql.remote import Client, run_remote
from gdp_rdf.sparql.results import Kind
from gdp_rdf.sparql.store import default_data, open_store, run_embedded
from gdp_rdf.vocab import DEFAULT_BASE, Iris, rebase


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, term = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        out[name.strip().lstrip("?")] = term
    return out


@cli.command("query")
@click.argument("query_spec", metavar="QUERY")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    multiple=True,
    help="RDF files to query (default: dist/gdp.nt and dist/void.ttl).",
)
@click.option(
    "--endpoint", metavar="URL", help="Query this SPARQL endpoint instead of the embedded store."
)
@click.option("--graph", metavar="IRI", help="Default graph on the endpoint (default-graph-uri).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in TableFormat]),
    default=TableFormat.TABLE.value,
    show_default=True,
    help="Rows as a table, CSV, TSV or SPARQL JSON; graphs as Turtle, or JSON-LD with json.",
)
@click.option(
    "--param",
    "param_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter to a term: <iri>, prefix:name, a literal or a number.",
)
@click.option("--base-iri", default=DEFAULT_BASE, show_default=True, help="Base IRI of the data.")
@click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds to wait for an endpoint.",
)
@click.option(
    "--wikidata-endpoint",
    metavar="URL",
    help="Send the query's Wikidata SERVICE clauses to this endpoint instead.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=Path(".gdp-rdf-cache"),
    show_default=True,
    help="Where the embedded store is kept between queries.",
)
@click.option("--user", help="User name on the endpoint (HTTP Digest or Basic, as it asks).")
@click.option("--password", envvar="GDP_RDF_PASSWORD", help="Password (or set GDP_RDF_PASSWORD).")
@click.option(
    "--token-env",
    default="GDP_RDF_TOKEN",
    show_default=True,
    help="Environment variable holding a bearer token, used when set.",
)
def query_command(
    query_spec: str,
    data: tuple[Path, ...],
    endpoint: str | None,
    graph: str | None,
    fmt: str,
    param_values: tuple[str, ...],
    base_iri: str,
    timeout: float,
    wikidata_endpoint: str | None,
    cache_dir: Path,
    user: str | None,
    password: str | None,
    token_env: str,
) -> None:
    """Run QUERY: a catalogue name (see `gdp-rdf queries`), a .rq file, inline SPARQL, or - for stdin.

    SELECT prints rows; ASK prints true or false and exits 0 or 1; CONSTRUCT and DESCRIBE
    print Turtle (JSON-LD with --format json).
    """
    query = resolve(query_spec)
    query = replace(query, text=rebase(query.text, base_iri)).with_wikidata(wikidata_endpoint)
    params = bindings(query, _params(param_values), base_iri)
    output = TableFormat(fmt)
    if endpoint:
        auth = Auth(user, password, os.environ.get(token_env) or None)
        result = run_remote(endpoint, query, params, graph, Client(timeout=timeout, auth=auth))
        if result.row_limit is not None:
            click.echo(
                f"Warning: {len(result.rows)} rows, exactly the endpoint's row limit "
                f"({result.row_limit}): the answer is probably cut short; page with "
                "LIMIT/OFFSET or raise the limit.",
                err=True,
            )
    else:
        store = open_store(list(data) or default_data(), None if data else cache_dir)
        result = run_embedded(store, query, params)
    if result.kind is Kind.ASK:
        click.echo("true" if result.boolean else "false")
        if not result.boolean:
            sys.exit(1)
    elif result.kind is Kind.SELECT:
        click.echo(render_rows(result, output, base_iri), nl=False)
    else:
        sys.stdout.buffer.write(render_graph(result, output, base_iri))
        sys.stdout.flush()


@cli.command("queries")
def list_queries() -> None:
    """List the query catalogue: name, title and parameters of each query."""
    for name, query in catalogue().items():
        params = ", ".join(f"{p.name}={p.default}" for p in query.params)
        click.echo(f"{name}: {query.title}" + (f"  [{params}]" if params else ""))


@cli.command("publish")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="SPARQL query endpoint of the triplestore (e.g. http://localhost:7878/query).",
)
@click.option("--graph", metavar="IRI", help="Named graph to replace (default: the dataset IRI).")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Files to publish (default: dist/gdp.nt and dist/void.ttl).",
)
@click.option("--update-url", metavar="URL", help="SPARQL Update URL, if it cannot be derived.")
@click.option(
    "--store-url", metavar="URL", help="Graph Store Protocol URL, if it cannot be derived."
)
@click.option("--user", help="User name (HTTP Digest or Basic, as the server asks).")
@click.option("--password", envvar="GDP_RDF_PASSWORD", help="Password (or set GDP_RDF_PASSWORD).")
@click.option(
    "--token-env",
    default="GDP_RDF_TOKEN",
    show_default=True,
    help="Environment variable holding a bearer token, used when set.",
)
@click.option(
    "--batch",
    type=click.IntRange(1),
    default=100_000,
    show_default=True,
    help="Triples per upload request.",
)
@click.option(
    "--timeout", type=float, default=300.0, show_default=True, help="Seconds per request."
)
@click.option("--base-iri", default=DEFAULT_BASE, show_default=True, help="Base IRI of the data.")
def publish_command(
    endpoint: str,
    graph: str | None,
    data: tuple[Path, ...],
    update_url: str | None,
    store_url: str | None,
    user: str | None,
    password: str | None,
    token_env: str,
    batch: int,
    timeout: float,
    base_iri: str,
) -> None:
    """Load the dumps into a named graph of a SPARQL 1.1 Graph Store Protocol server.

    The data goes to a staging graph first and replaces the named graph in one SPARQL
    Update MOVE, so readers see the old graph or the new one, never half of either; on any
    failure the old graph is left as it was.
    """
    files = list(data) or default_data()
    target = graph or Iris(base_iri).dataset("gdp")
    auth = Auth(user, password, os.environ.get(token_env) or None)

    def progress(sent: Upload) -> None:
        if sys.stderr.isatty():
            width = 30
            filled = width * sent.triples // max(sent.total, 1)
            rate = sent.triples / max(sent.seconds, 1e-9)
            click.echo(
                f"\rUploading [{'#' * filled}{'-' * (width - filled)}] {sent.triples}/{sent.total} "
                f"triples, {sent.batches} batch(es), {sent.bytes / 1e6:.1f} MB, {rate:,.0f} triples/s",
                err=True,
                nl=sent.triples >= sent.total,
            )

    result = publish(
        files,
        endpoints_for(endpoint, update_url, store_url),
        target,
        auth,
        progress,
        timeout,
        batch,
    )
    click.echo(
        f"Published {result.triples} triples into <{result.graph}> in {result.batches} "
        f"batch(es), {result.seconds:.1f} s."
    )
