"""The query catalogue on the embedded store, and `gdp-rdf query` / `gdp-rdf queries`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import ROOT

from gdp_rdf.cli import cli
from gdp_rdf.errors import QueryError
from gdp_rdf.sparql.catalogue import bindings, catalogue, parse_term, resolve
from gdp_rdf.sparql.results import row_values
from gdp_rdf.sparql.store import open_store, run_embedded

QUERIES = ROOT / "queries"
EXPECTED = QUERIES / "expected"
NAMES = sorted(catalogue())
LOCAL = sorted(name for name, query in catalogue().items() if not query.services)


def expected_rows(name: str) -> list[list[str]]:
    with (EXPECTED / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def as_csv(variables: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(variables)
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def embedded(built: Path, built_history: Path) -> ox.Store:
    history = built_history / "history.nt"  # issue 17: the default build's history
    return open_store([built / "gdp.nt", built / "void.ttl", built / "quality.nt", history])


def test_the_catalogue_covers_the_questions() -> None:
    assert len(NAMES) >= 12
    for name, query in catalogue().items():
        assert query.title and query.question, f"{name} has no title/question header"


@pytest.mark.parametrize("name", LOCAL)
def test_catalogue_query_returns_its_expected_rows(
    name: str, embedded: ox.Store, request: pytest.FixtureRequest
) -> None:
    query = catalogue()[name]
    result = run_embedded(embedded, query, bindings(query, {}))
    actual = as_csv(result.variables, row_values(result))
    path = EXPECTED / f"{name}.csv"
    if request.config.getoption("--update-golden"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), (
        f"queries/{name}.rq has no expected results in queries/expected/{name}.csv"
    )
    assert actual == path.read_text(encoding="utf-8"), f"{name} returned other rows than expected"


def test_no_expected_file_without_its_query() -> None:
    assert {p.stem for p in EXPECTED.glob("*.csv")} <= set(NAMES)


def test_expected_results_say_what_the_profiles_say() -> None:
    series = expected_rows("indicator-series")
    assert series[0] == ["country", "indicator", "year", "value", "status", "unit"]
    assert series[1][2:4] == ["1992", "58519"] and series[-1][2:4] == ["2017", "36343"]
    gaps = {(r[0], r[1], r[2]): r[3] for r in expected_rows("data-gaps")[1:]}
    assert gaps[("KAZ", "unemployment-rate", "2018")] == "year-without-value"
    assert gaps[("KAZ", "migration-detainee-entries", "2019")] == "not-available"
    laws = expected_rows("detention-without-laws")[1:]
    assert laws == [["VCT", "St. Vincent and the Grenadines", "Yes", "Unknown"]]
    missing = expected_rows("core-treaties-missing")[1:]
    assert [r[1] for r in missing] == ["ICRMW"]
    provenance = expected_rows("value-provenance")[1]
    assert provenance[3:9] == [
        "58519",
        "58,519",
        "Criminal Prison Population (Year)",
        "PRISON DATA",
        "88",
        "kazakhstan.txt",
    ]


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input)


def data_args(built: Path) -> list[str]:
    return ["--data", str(built / "gdp.nt"), "--data", str(built / "void.ttl")]


def test_query_formats(built: Path) -> None:
    args = ["query", "indicator-series", *data_args(built)]
    table = invoke(*args)
    assert table.exit_code == 0 and "indicator:criminal-prison-population" in table.stdout
    rows = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    assert rows[1][:4] == [
        "https://w3id.org/gdp-rdf/id/country/KAZ",
        "https://w3id.org/gdp-rdf/code/indicator/criminal-prison-population",
        "1992",
        "58519",
    ]
    tsv = invoke(*args, "--format", "tsv").stdout.splitlines()
    assert (
        tsv[0].startswith("?country\t?indicator")
        and '"58519"^^<http://www.w3.org/2001/XMLSchema#integer>' in tsv[1]
    )
    document = json.loads(invoke(*args, "--format", "json").stdout)
    assert document["head"]["vars"][:3] == ["country", "indicator", "year"]
    first = document["results"]["bindings"][0]
    assert first["value"] == {
        "type": "literal",
        "value": "58519",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_parameters_are_bound_as_terms(built: Path) -> None:
    result = invoke(
        "query",
        "indicator-series",
        *data_args(built),
        "--format",
        "csv",
        "--param",
        "indicator=indicator:refugees",
        "--param",
        "country=<https://w3id.org/gdp-rdf/id/country/KAZ>",
    )
    assert result.exit_code == 0
    assert [r[3] for r in csv.reader(io.StringIO(result.stdout))][1:] == [
        "633", "708", "647", "608", "574", "518", "440", "352", "345",
    ]  # fmt: skip
    hostile = 'x" } } ; DROP ALL ; SELECT * { { "'
    attack = invoke(
        "query",
        "value-provenance",
        *data_args(built),
        "--format",
        "csv",
        "--param",
        f"year={hostile}",
    )
    assert (
        attack.exit_code == 0 and attack.stdout.strip().splitlines()[1:] == []
    )  # a literal, matching nothing
    year = invoke(
        "query",
        "value-provenance",
        *data_args(built),
        "--format",
        "csv",
        "--param",
        "year=2017",
        "--param",
        "indicator=indicator:foreign-prisoners-percentage",
    )
    assert "4.5" in year.stdout  # "2017" is typed like the default: an xsd:gYear


def test_parameter_errors(built: Path) -> None:
    unknown = invoke("query", "indicator-series", *data_args(built), "--param", "colour=red")
    assert unknown.exit_code == 2 and "unknown parameter(s) colour" in unknown.stderr  # usage
    not_iri = invoke(
        "query", "indicator-series", *data_args(built), "--param", "country=Kazakhstan"
    )
    assert not_iri.exit_code == 2 and "is not an IRI" in not_iri.stderr
    assert invoke("query", "indicator-series", "--param", "nonsense").exit_code == 2


def test_ask_sets_the_exit_code(built: Path) -> None:
    yes = invoke("query", "ASK { ?c a <https://w3id.org/gdp-rdf/def/Country> }", *data_args(built))
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = invoke("query", "ASK { ?c a <https://w3id.org/gdp-rdf/def/Nothing> }", *data_args(built))
    assert (no.exit_code, no.stdout) == (1, "false\n")


def test_construct_and_describe(built: Path) -> None:
    turtle = invoke(
        "query", "DESCRIBE <https://w3id.org/gdp-rdf/id/country/KAZ>", *data_args(built)
    )
    graph = list(ox.parse(turtle.stdout_bytes, format=ox.RdfFormat.TURTLE))
    latest = [quad for quad in graph if quad.predicate.value.endswith("/def/latestObservation")]
    # 9 with owl:sameAs wd:Q232, and a link to each of its 28 latest observations (issue 16)
    assert turtle.exit_code == 0 and (len(graph), len(latest)) == (9 + 28, 28)
    text = (
        "CONSTRUCT { ?c <http://schema.org/name> ?n } "
        "WHERE { ?c a <https://w3id.org/gdp-rdf/def/Country> ; <http://schema.org/name> ?n }"
    )
    jsonld = invoke("query", text, *data_args(built), "--format", "json")
    assert jsonld.exit_code == 0 and len(json.loads(jsonld.stdout)) == 40  # 6 of facility pages


def test_query_sources(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/gdp-rdf/def/Country> }\n"
    )
    assert (
        invoke("query", str(path), *data_args(built), "--format", "csv").stdout.splitlines()[1]
        == "40"  # 34 profiles, 6 countries of facility pages (issue 17)
    )
    piped = invoke("query", "-", *data_args(built), "--format", "csv", input=path.read_text())
    assert piped.stdout.splitlines()[1] == "40"
    unknown = invoke("query", "no-such-query", *data_args(built))
    assert unknown.exit_code == 1 and "no catalogue query 'no-such-query'" in unknown.stderr
    missing = invoke("query", str(tmp_path / "gone.rq"), *data_args(built))
    assert missing.exit_code == 1 and "no such query file" in missing.stderr


def test_malformed_query_is_one_line_with_position(built: Path) -> None:
    result = invoke("query", "SELECT * WHERE {\n  ?s ?p\n}", *data_args(built))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "error at 3:" in result.stderr


def test_default_data_is_dist_and_is_cached(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = invoke("query", "indicators")
    assert missing.exit_code == 1 and "run `gdp-rdf build`" in missing.stderr
    (tmp_path / "dist").symlink_to(built)
    first = invoke("query", "prison-population-rate-ranking", "--format", "csv")
    assert (
        first.exit_code == 0
        and len(list((tmp_path / ".gdp-rdf-cache").glob("store-*/.complete"))) == 1
    )
    again = invoke("query", "prison-population-rate-ranking", "--format", "csv")
    assert again.stdout == first.stdout


def test_queries_lists_the_catalogue() -> None:
    listed = invoke("queries").stdout.splitlines()
    assert len(listed) == len(NAMES) and listed[0].startswith(NAMES[0] + ": ")


def test_long_inline_text_is_a_query_not_a_file_name(built: Path) -> None:
    """Inline text longer than a file name may be (a catalogue query pasted whole, with its
    comments) is run as a query, not stat'ed into a traceback."""
    text = (ROOT / "queries" / "latest-values.rq").read_text(encoding="utf-8")
    assert len(text.split("/")[0].encode()) > 255  # its first path component: over NAME_MAX
    result = invoke("query", text + "\n# pasted\n", *data_args(built), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("iso3,indicator,year,value\n")
    assert result.stdout.count("\n") > 1


def test_a_parameter_takes_the_kind_of_term_its_default_is(built: Path) -> None:
    """A literal for a country (or an IRI for a year) could only match nothing: refused."""
    literal = invoke("query", "treaties-ratified", *data_args(built), "--param", 'country="KAZ"')
    assert literal.exit_code == 2 and literal.stdout == ""
    assert literal.stderr.endswith(
        "country takes an IRI, like its default <https://w3id.org/gdp-rdf/id/country/KAZ>; "
        "not '\"KAZ\"'\n"
    )
    iri = invoke("query", "value-provenance", *data_args(built), "--param", "year=<urn:x:1992>")
    assert iri.exit_code == 2 and "year takes a literal, like its default" in iri.stderr
    typed = invoke("query", "value-provenance", *data_args(built), "--param", "year=1992")
    assert typed.exit_code == 0 and typed.stdout.count("\n") > 1  # bare text, typed as the default


def test_terms_from_command_line_text() -> None:
    assert parse_term("country:KAZ") == ox.NamedNode("https://w3id.org/gdp-rdf/id/country/KAZ")
    assert parse_term('"a \\"quoted\\" word"@en') == ox.Literal('a "quoted" word', language="en")
    assert parse_term("42") == ox.Literal(
        "42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    with pytest.raises(QueryError):
        parse_term("<not an iri>")
    assert resolve("data-gaps").title == "Data gaps"


def test_an_empty_answer_names_the_terms_the_graph_never_uses(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build made before gdp:latestObservation answers latest-values with no rows and no
    error: the empty answer comes with one line naming what the graph lacks. An answer
    with rows, or an empty one whose terms are all in use, comes with none."""
    stale = tmp_path / "stale.nt"
    lines = (built / "gdp.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    stale.write_text("".join(x for x in lines if "/def/latestObservation>" not in x), "utf-8")
    result = invoke("query", "latest-values", "--data", str(stale), "--format", "csv")
    assert result.exit_code == 0 and result.stdout == "iso3,indicator,year,value\n"
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("note: nothing in the graph uses gdp:latestObservation, ")
    fresh = invoke("query", "latest-values", *data_args(built), "--format", "csv")
    assert fresh.exit_code == 0 and fresh.stdout.count("\n") > 1 and fresh.stderr == ""
    # every term in use, nothing matches; in a comment or a string a name is not a use
    none = (
        "PREFIX gdp: <https://w3id.org/gdp-rdf/def/>\n"
        'SELECT ?c WHERE { ?c a gdp:Country ; gdp:iso3 "ZZZ" } # gdp:noSuchTerm\n'
    )
    empty = invoke("query", none, *data_args(built))
    assert empty.exit_code == 0 and empty.stderr == ""
    named = none.replace('"ZZZ"', '"gdp:inAString" ; <https://w3id.org/gdp-rdf/def/Nope> 1')
    ask = invoke("query", named.replace("SELECT ?c WHERE", "ASK"), *data_args(built))
    assert ask.exit_code == 1 and ask.stdout == "false\n"
    assert ask.stderr.startswith("note: nothing in the graph uses gdp:Nope, which this query")


def test_history_queries_on_the_default_data_say_how_to_read_the_history(
    built_history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default data leaves dist/history.nt out (its versioned values would join the
    current-view queries): a history query on it says which --data to give."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dist").symlink_to(built_history)
    result = invoke("query", "history-figures", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.count("\n") == 1
    assert result.stderr.count("\n") == 1 and (
        "which this query names: dist/history.nt is read only when named (--data dist/gdp.nt "
        "--data dist/history.nt); a build by an older gdp-rdf" in result.stderr
    )
    named = invoke(
        "query", "history-figures", "--format", "csv",
        "--data", "dist/gdp.nt", "--data", "dist/history.nt",
    )  # fmt: skip
    assert named.exit_code == 0 and named.stdout.count("\n") > 1 and named.stderr == ""
