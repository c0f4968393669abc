"""Publishing into OpenLink Virtuoso and querying it, against a real `virtuoso-t` on loopback
(issue 12): the same catalogue rows as the embedded store and an Oxigraph server."""

from __future__ import annotations

import os
import urllib.parse
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from virtuoso_server import VirtuosoServer, available

from gdp_rdf.cli import cli
from gdp_rdf.sparql.catalogue import bindings, catalogue
from gdp_rdf.sparql.publish import Auth, Upload, endpoints_for, publish
from gdp_rdf.sparql.remote import Client, run_remote
from gdp_rdf.sparql.results import Result
from gdp_rdf.sparql.store import open_store, run_embedded

pytestmark = pytest.mark.server
GRAPH = "https://w3id.org/gdp-rdf/id/dataset/gdp"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long")}
MAX_ROWS = 10_000


@pytest.fixture(scope="session")
def virtuoso():  # type: ignore[no-untyped-def]
    """One Virtuoso for the session; CI (GDP_RDF_REQUIRE_VIRTUOSO=1) fails instead of skipping."""
    if not available():
        if os.environ.get("GDP_RDF_REQUIRE_VIRTUOSO"):
            pytest.fail(
                "virtuoso-opensource is not installed (apt-get install virtuoso-opensource)"
            )
        pytest.skip("virtuoso-opensource is not installed")
    server = VirtuosoServer(max_rows=MAX_ROWS).start()
    yield server
    server.stop()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1 and result.stdout == "", result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return str(result.stderr)


def files(built: Path) -> list[Path]:
    return [built / "gdp.nt", built / "void.ttl", built / "quality.nt"]


def auth(server: VirtuosoServer, password: str | None = None) -> Auth:
    return Auth(server.user, password or server.password)


def count(server: VirtuosoServer, graph: str = GRAPH) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    from gdp_rdf.sparql.catalogue import Query

    result = run_remote(server.sparql_url, Query("count", query), {})
    term = result.rows[0]["n"]
    assert term is not None
    return int(term.value)


def graphs(server: VirtuosoServer, prefix: str = GRAPH) -> list[str]:
    from gdp_rdf.sparql.catalogue import Query

    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = run_remote(server.sparql_url, Query("graphs", query), {}).rows
    return sorted(t.value for r in rows if (t := r["g"]) is not None and t.value.startswith(prefix))


@pytest.fixture(scope="module")
def on_virtuoso(virtuoso, built: Path):  # type: ignore[no-untyped-def]
    data = [arg for path in files(built) for arg in ("--data", str(path))]
    result = invoke(
        "publish",
        "--endpoint",
        virtuoso.sparql_auth_url,
        "--user",
        virtuoso.user,
        "--password",
        virtuoso.password,
        *data,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Published ") and f"<{GRAPH}>" in result.stdout
    return virtuoso


@pytest.fixture(scope="module")
def on_oxigraph(oxigraph, built: Path):  # type: ignore[no-untyped-def]
    publish(files(built), endpoints_for(oxigraph.query_url), GRAPH)
    return oxigraph


def normalised(result: Result) -> list[tuple[str, ...]]:
    """Rows sorted, each term as a lexical form every store agrees on."""

    def lexical(term: object) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if datatype == XSD + "boolean":
                return {"1": "true", "0": "false"}.get(term.value, term.value)
            if datatype in NUMERIC:
                try:
                    number = Decimal(term.value)
                except InvalidOperation:
                    return term.value
                return (
                    format(number.normalize(), "f")
                    if number == number.to_integral()
                    else str(number.normalize())
                )
        return str(getattr(term, "value", term))

    return sorted(tuple(lexical(row[n]) for n in result.variables) for row in result.rows)


PORTABLE = sorted(n for n, q in catalogue().items() if q.needs_federation is None)


def test_federated_queries_are_marked_with_the_reason() -> None:
    federated = [q for q in catalogue().values() if q.services]
    assert federated and all(
        "SPARQL 1.1 federation" in (q.needs_federation or "") for q in federated
    )


@pytest.mark.parametrize("name", PORTABLE)
def test_catalogue_query_gives_the_same_rows_on_every_store(
    on_virtuoso, on_oxigraph, built: Path, name: str
) -> None:  # type: ignore[no-untyped-def]
    query = catalogue()[name]
    params = bindings(query, {})
    embedded = normalised(run_embedded(open_store(files(built), None), query, params))
    oxigraph = normalised(run_remote(on_oxigraph.query_url, query, params, GRAPH))
    virtuoso = normalised(run_remote(on_virtuoso.sparql_url, query, params, GRAPH))
    assert oxigraph == embedded
    assert virtuoso == embedded, (
        f"{name}: {len(virtuoso)} rows on Virtuoso, {len(embedded)} embedded; only on Virtuoso: "
        f"{sorted(set(virtuoso) - set(embedded))[:5]}; missing: {sorted(set(embedded) - set(virtuoso))[:5]}"
    )


def test_published_graph_holds_every_triple_and_no_staging_graph(on_virtuoso, built: Path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(files(built), None)
    assert count(on_virtuoso) == len(store)
    assert graphs(on_virtuoso) == [GRAPH]


def test_wrong_password_is_one_line(on_virtuoso, built: Path) -> None:  # type: ignore[no-untyped-def]
    before = count(on_virtuoso)
    error = one_line_error(
        invoke(
            "publish",
            "--endpoint",
            on_virtuoso.sparql_auth_url,
            "--user",
            on_virtuoso.user,
            "--password",
            "not-the-password",
            "--data",
            str(built / "void.ttl"),
        )
    )
    assert "HTTP 401" in error and "/sparql-auth" in error
    assert count(on_virtuoso) == before


def test_anonymous_publish_is_refused_in_one_line(on_virtuoso, built: Path) -> None:  # type: ignore[no-untyped-def]
    error = one_line_error(
        invoke("publish", "--endpoint", on_virtuoso.sparql_url, "--data", str(built / "void.ttl"))
    )
    assert "HTTP" in error and "SECURITY" in error and "/sparql-auth with --user" in error


def test_invalid_data_part_way_leaves_the_old_graph(
    on_virtuoso, built: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    before = count(on_virtuoso)
    lines = (built / "gdp.nt").read_bytes().splitlines(keepends=True)
    broken = tmp_path / "broken.nt"
    broken.write_bytes(b"".join(lines[:5000]) + b"<not a triple\n" + b"".join(lines[5000:]))
    endpoints = endpoints_for(on_virtuoso.sparql_auth_url)
    with pytest.raises(Exception, match="HTTP 500"):
        publish([broken], endpoints, GRAPH, auth(on_virtuoso), batch_triples=1000)
    assert count(on_virtuoso) == before and graphs(on_virtuoso) == [GRAPH]


def test_interrupted_part_way_leaves_the_old_graph(on_virtuoso, built: Path) -> None:  # type: ignore[no-untyped-def]
    before = count(on_virtuoso)
    endpoints = endpoints_for(on_virtuoso.sparql_auth_url)
    calls: list[int] = []

    def break_after_two(sent: Upload) -> None:
        calls.append(sent.triples)
        if len(calls) == 2:
            raise RuntimeError("interrupted part-way")

    with pytest.raises(RuntimeError, match="part-way"):
        publish(
            [built / "gdp.nt"],
            endpoints,
            GRAPH,
            auth(on_virtuoso),
            progress=break_after_two,
            batch_triples=2000,
        )
    assert len(calls) == 2
    assert count(on_virtuoso) == before and graphs(on_virtuoso) == [GRAPH]


def test_query_with_credentials_and_row_limit_warning(on_virtuoso) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "query",
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        "--endpoint",
        on_virtuoso.sparql_auth_url,
        "--user",
        on_virtuoso.user,
        "--password",
        on_virtuoso.password,
        "--graph",
        GRAPH,
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == MAX_ROWS + 1
    assert f"exactly the endpoint's row limit ({MAX_ROWS})" in result.stderr
    small = invoke(
        "query", "ASK { ?s ?p ?o }", "--endpoint", on_virtuoso.sparql_url, "--graph", GRAPH
    )
    assert (small.exit_code, small.stdout, small.stderr) == (0, "true\n", "")


def test_empty_answer_names_a_term_the_published_graph_lacks(on_virtuoso) -> None:  # type: ignore[no-untyped-def]
    """The probe behind the note on empty answers (sparql.usage) runs on Virtuoso too."""
    query = (
        "PREFIX gdp: <https://w3id.org/gdp-rdf/def/>\n"
        "SELECT ?c WHERE { ?c a gdp:Country ; gdp:noSuchTerm ?x }"
    )
    url = on_virtuoso.sparql_url
    lacking = invoke("query", query, "--endpoint", url, "--graph", GRAPH, "--format", "csv")
    assert (lacking.exit_code, lacking.stdout) == (0, "c\n")
    assert lacking.stderr.startswith(f"note: nothing in <{GRAPH}> on {url} uses gdp:noSuchTerm, ")
    assert lacking.stderr.count("\n") == 1  # gdp:Country is in use: not named
    present = query.replace("gdp:noSuchTerm ?x", 'gdp:iso3 "ZZZ"')
    none = invoke("query", present, "--endpoint", url, "--graph", GRAPH, "--format", "csv")
    assert (none.exit_code, none.stdout, none.stderr) == (0, "c\n", "")


def test_typed_results_are_normalised(on_virtuoso, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gdp_rdf.sparql.catalogue import Query

    graph = "urn:gdp-rdf:test:typed"
    nt = tmp_path / "typed.nt"
    nt.write_text(
        f'<urn:x:a> <urn:x:yes> "true"^^<{XSD}boolean> .\n'
        f'<urn:x:a> <urn:x:no> "false"^^<{XSD}boolean> .\n'
    )
    publish([nt], endpoints_for(on_virtuoso.sparql_auth_url), graph, auth(on_virtuoso))
    query = Query("typed", "SELECT ?t ?f WHERE { ?a <urn:x:yes> ?t ; <urn:x:no> ?f }")
    row = run_remote(on_virtuoso.sparql_url, query, {}, graph).rows[0]
    assert [str(row["t"]), str(row["f"])] == [
        f'"true"^^<{XSD}boolean>',
        f'"false"^^<{XSD}boolean>',
    ]


def test_virtuoso_urls_are_derived() -> None:
    auth_urls = endpoints_for("http://h:8890/sparql-auth")
    assert (auth_urls.update, auth_urls.store) == (
        "http://h:8890/sparql-auth",
        "http://h:8890/sparql-graph-crud-auth",
    )
    anonymous = endpoints_for("http://h:8890/sparql")
    assert (anonymous.update, anonymous.store) == (
        "http://h:8890/sparql",
        "http://h:8890/sparql-graph-crud",
    )
    assert endpoints_for("http://h/ds/sparql").update == "http://h/ds/update"
    assert urllib.parse.urlsplit(auth_urls.query).path == "/sparql-auth"


def test_client_answers_digest_with_credentials(on_virtuoso) -> None:  # type: ignore[no-untyped-def]
    from gdp_rdf.sparql.catalogue import Query

    client = Client(auth=auth(on_virtuoso))
    assert run_remote(
        on_virtuoso.sparql_auth_url, Query("ask", "ASK {}"), {}, client=client
    ).boolean
