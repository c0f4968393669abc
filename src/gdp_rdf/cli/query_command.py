"""`gdp-rdf query`, `gdp-rdf queries` and `gdp-rdf publish`.

Modules past the catalogue are imported where they are used: a query on the embedded store
loads neither the endpoint client nor the RDF writers it does not need.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gdp_rdf.cli.options import (
    base_iri_option,
    cache_dir_option,
    check_url,
    data_files_option,
    endpoint_option,
    format_option,
    graph_option,
    plural,
    progress_bar,
    timeout_option,
    wikidata_endpoint_option,
)
from gdp_rdf.cli.render import TableFormat
from gdp_rdf.errors import QueryError
from gdp_rdf.sparql.catalogue import Query, bindings, catalogue, query_form, resolve
from gdp_rdf.sparql.results import Kind, Result
from gdp_rdf.vocab import prefixes, rebase

if TYPE_CHECKING:
    import pyoxigraph as ox

    from gdp_rdf.sparql.remote import Client

_GRAPH_FORMATS = (TableFormat.TABLE, TableFormat.JSON)  # table means Turtle for a graph


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, term = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        out[name.strip().lstrip("?")] = term
    return out


def _named_graph_hint(endpoint: str, client: Client) -> str | None:
    """Why an endpoint may have answered nothing: the data sits in named graphs."""
    from gdp_rdf.errors import GdpRdfError
    from gdp_rdf.sparql.remote import run_remote

    probe = Query("<hint>", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")
    try:
        found = run_remote(endpoint, probe, {}, None, client)
    except GdpRdfError:
        return None
    if not found.rows or found.rows[0]["g"] is None:
        return None
    graph = found.rows[0]["g"].value
    return (
        f"hint: nothing in the default graph answered; {endpoint} holds named graphs "
        f"(e.g. <{graph}>): try --graph {graph}"
    )


@click.command("query")
@click.argument("query_spec", metavar="QUERY")
@data_files_option("Graph to query on the embedded store")
@endpoint_option("Query this SPARQL endpoint instead of the embedded store.")
@graph_option("Default graph on the endpoint (default-graph-uri); needs --endpoint.")
@format_option(
    [f.value for f in TableFormat],
    "Rows as a table, CSV, TSV or SPARQL JSON; graphs as Turtle, or JSON-LD with json.",
)
@click.option(
    "--param",
    "param_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter to a term: <iri>, prefix:name, a literal or a number.",
)
@base_iri_option()
@timeout_option(60.0, "Seconds to wait for an endpoint.")
@wikidata_endpoint_option(default=None)
@cache_dir_option("Where the embedded store is kept between queries.")
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
    data: list[Path],
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
    if graph and not endpoint:
        raise click.BadParameter(
            "applies to --endpoint only; the embedded store holds the build in its default graph",
            param_hint="--graph",
        )
    if data and endpoint:
        raise click.BadParameter("cannot be combined with --endpoint", param_hint="--data")
    query = resolve(query_spec)
    query = replace(query, text=rebase(query.text, base_iri)).with_wikidata(wikidata_endpoint)
    output = TableFormat(fmt)
    if query_form(query.text) in ("CONSTRUCT", "DESCRIBE") and output not in _GRAPH_FORMATS:
        raise click.BadParameter(
            f"{fmt!r} is for rows; a {query_form(query.text)} query prints Turtle (table) or "
            "JSON-LD (json)",
            param_hint="--format",
        )
    try:
        params = bindings(query, _params(param_values), base_iri)
    except QueryError as error:
        raise click.BadParameter(str(error), param_hint="--param") from None
    if endpoint:
        from gdp_rdf.sparql.remote import Auth, Client, run_remote

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
        from gdp_rdf.sparql.store import default_data, open_store, run_embedded

        store = open_store(data or default_data(), None if data else cache_dir)
        result = run_embedded(store, query, params)
    _print(result, output, base_iri)
    sys.stdout.flush()
    if _empty(result):
        if endpoint:  # both when both apply: what was asked lacks the terms, others may not
            client = Client(timeout=timeout, retries=0, auth=auth)
            notes = [
                _remote_unused_note(endpoint, query.text, base_iri, graph, client),
                None if graph else _named_graph_hint(endpoint, client),
            ]
        else:
            notes = [_unused_terms_note(store, query.text, base_iri, default=not data)]
        for note in filter(None, notes):
            click.echo(note, err=True)
    if result.boolean is False:
        sys.exit(1)


def _unused_terms_note(store: ox.Store, text: str, base: str, default: bool) -> str | None:
    """Why an empty answer may be no answer: the gdp: terms the query names that nothing in
    the graph uses (a stale build, or the history dump, which dist/ holds but the default
    data leaves out)."""
    from gdp_rdf.sparql.store import DEFAULT_DIST, HISTORY, run_embedded
    from gdp_rdf.sparql.usage import missing_terms, stale_note

    namespace = prefixes(base)["gdp"]
    missing = missing_terms(text, namespace, lambda probe: run_embedded(store, probe, {}))
    if not missing:
        return None
    history = DEFAULT_DIST / HISTORY
    unread = (
        f"{history} is read only when named (--data {DEFAULT_DIST / 'gdp.nt'} --data {history}); "
        if default and history.exists()
        else ""
    )  # first: the likelier reason when the build has a history dump
    return stale_note(missing, namespace, "the graph", unread)


def _remote_unused_note(
    endpoint: str, text: str, base: str, graph: str | None, client: Client
) -> str | None:
    """The same note for an endpoint: its data may be a build older than the query."""
    from gdp_rdf.errors import GdpRdfError
    from gdp_rdf.sparql.remote import run_remote
    from gdp_rdf.sparql.usage import missing_terms, stale_note

    namespace = prefixes(base)["gdp"]
    try:
        missing = missing_terms(
            text, namespace, lambda probe: run_remote(endpoint, probe, {}, graph, client)
        )
    except GdpRdfError:
        return None  # a hint is no reason to fail a query that was answered
    where = f"<{graph}> on {endpoint}" if graph else f"the default graph of {endpoint}"
    return stale_note(missing, namespace, where) if missing else None


def _empty(result: Result) -> bool:
    if result.kind is Kind.ASK:
        return result.boolean is False
    return not (result.rows if result.kind is Kind.SELECT else result.triples)


def _print(result: Result, output: TableFormat, base: str) -> None:
    from gdp_rdf.cli.render import render_graph, render_rows

    if result.kind is Kind.ASK:
        click.echo("true" if result.boolean else "false")
    elif result.kind is Kind.SELECT:
        click.echo(render_rows(result, output, base), nl=False)
    else:
        sys.stdout.buffer.write(render_graph(result, output, base))


@click.command("queries")
def list_queries() -> None:
    """List the query catalogue: name, title and parameters of each query."""
    for name, query in catalogue().items():
        params = ", ".join(f"{p.name}={p.default}" for p in query.params)
        click.echo(f"{name}: {query.title}" + (f"  [{params}]" if params else ""))


@click.command("publish")
@endpoint_option(
    "SPARQL query endpoint of the triplestore (e.g. http://localhost:7878/query).", required=True
)
@graph_option("Named graph to replace (default: the dataset IRI).")
@data_files_option("What to publish")
@click.option(
    "--update-url",
    metavar="URL",
    callback=check_url,
    help="SPARQL Update URL, if it cannot be derived.",
)
@click.option(
    "--store-url",
    metavar="URL",
    callback=check_url,
    help="Graph Store Protocol URL, if it cannot be derived.",
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
@timeout_option(300.0, "Seconds per request.")
@base_iri_option()
def publish_command(
    endpoint: str,
    graph: str | None,
    data: list[Path],
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
    from gdp_rdf.sparql.publish import Upload, endpoints_for, publish
    from gdp_rdf.sparql.remote import Auth
    from gdp_rdf.sparql.store import default_data
    from gdp_rdf.vocab import Iris, quality_graph_iri

    files = data or default_data(purpose="publish")
    target = graph or Iris(base_iri).dataset("gdp")
    # The build's quality graph (issue 14) goes into a named graph of its own, beside the
    # data, so a store can serve the data with or without the findings; files given with
    # --data go where --graph says, together.
    quality = [f for f in files if f.name == "quality.nt"] if not data else []
    files = [f for f in files if f not in quality]
    auth = Auth(user, password, os.environ.get(token_env) or None)
    bar = progress_bar("Uploading")

    def progress(sent: Upload) -> None:
        rate = sent.triples / max(sent.seconds, 1e-9)
        bar(
            sent.triples,
            sent.total,
            f"triples, {sent.batches} batch(es), {sent.bytes / 1e6:.1f} MB, {rate:,.0f}/s",
        )

    endpoints = endpoints_for(endpoint, update_url, store_url)
    result = publish(
        files,
        endpoints,
        target,
        auth,
        progress,
        timeout,
        batch,
    )
    results = [result]
    if quality:
        iris = Iris(base_iri)
        results.append(
            publish(quality, endpoints, quality_graph_iri(iris), auth, progress, timeout, batch)
        )
    for done in results:
        click.echo(
            f"Published {plural(done.triples, 'triple')} into <{done.graph}> in "
            f"{plural(done.batches, 'batch', 'batches')}, {done.seconds:.1f} s."
        )
