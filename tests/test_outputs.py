"""Issue 11, one test per case found: outputs are owned (items 1, 3), bad values are never
published silently (4-6), no tracebacks or wrong messages (7, 9), nothing silently empty
(10), quality annotations have a home (11). Items 2, 8 and 12 are in test_rebuild_under_load
and test_cli_contract."""

from __future__ import annotations

import json
import os
import shutil
import stat
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import PROFILES, ROOT

from gdp_rdf.cli import cli
from gdp_rdf.pipeline import MANIFEST, WARNINGS

KAZ = PROFILES / "kazakhstan.txt"
AND = PROFILES / "andorra.txt"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build(*args: str | Path) -> Result:
    return invoke("build", *args, "--no-cache")


# -- item 1: --out must be new, empty, or a previous build -------------------------------------


def test_out_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    checkout = tmp_path / "clone"
    (checkout / "src").mkdir(parents=True)
    (checkout / "src" / "code.py").write_text("print('mine')\n")
    (checkout / "README.md").write_text("mine\n")
    before = tree(checkout)
    result = build(KAZ, "--out", checkout)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: {checkout}: is not empty and holds no previous build (no {MANIFEST}); "
        "nothing was touched: choose a new or empty folder for --out\n"
    )
    assert tree(checkout) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clone"]  # no staging left behind


def test_out_refuses_a_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = build(KAZ, "--out", notes)
    assert result.exit_code == 1 and "is not a folder" in result.stderr
    assert notes.read_text() == "my notes\n"


def test_out_replaces_a_previous_build_but_not_a_file_added_to_it(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(KAZ, "--out", out).exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["files"]) == set(tree(out)) - {MANIFEST}
    assert build(KAZ, AND, "--out", out).exit_code == 0  # a previous build: replaced
    assert (out / "country" / "AND.ttl").exists()
    (out / "notes.txt").write_text("keep me\n")
    before = tree(out)
    result = build(KAZ, "--out", out)
    assert result.exit_code == 1
    assert "holds 1 file(s) the last build did not write (e.g. notes.txt)" in result.stderr
    assert tree(out) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(KAZ, "--out", empty).exit_code == 0  # an empty folder is fine


# -- item 3: modes follow the umask ----------------------------------------------------------


@pytest.mark.parametrize(
    ("umask", "folder", "file"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)]
)
def test_output_modes_follow_the_umask(tmp_path: Path, umask: int, folder: int, file: int) -> None:
    old = os.umask(umask)
    try:
        out = tmp_path / "dist"
        assert build(KAZ, "--out", out).exit_code == 0
    finally:
        os.umask(old)
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (folder if path.is_dir() else file), (path, oct(mode))


# -- items 4-6: what the reader saw is shown, counted, kept; no empty profiles ----------------


def _with_lines(tmp_path: Path, name: str, replace: dict[str, str]) -> Path:
    text = KAZ.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_build_shows_counts_and_keeps_reader_warnings(tmp_path: Path) -> None:
    """Item 5: the values `facts` warns about are no longer silent in `build`."""
    page = _with_lines(
        tmp_path, "kazakhstan.txt", {"\n637\n": "\n12..5\n", "\n345\n": "\n1,2,3,4\n"}
    )
    facts = invoke("facts", page)
    assert facts.exit_code == 0 and facts.stderr.count("warning") == 2
    out = tmp_path / "dist"
    result = build(page, "--out", out)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "2 reader warnings: 2 unexpected-value"
    assert all(line.startswith(f"  {page}:") for line in lines[1:3])
    report = json.loads((out / WARNINGS).read_text())
    assert report["warnings"] == 2 and report["by_kind"] == {"unexpected-value": 2}
    assert [(i["file"], i["kind"]) for i in report["items"]] == [
        (str(page), "unexpected-value")
    ] * 2
    assert {i["line"] for i in report["items"]} == {int(line.split(":")[1]) for line in lines[1:3]}


def test_build_strict_writes_nothing(tmp_path: Path) -> None:
    page = _with_lines(tmp_path, "kazakhstan.txt", {"\n637\n": "\n12..5\n"})
    out = tmp_path / "dist"
    result = build(page, "--out", out, "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {out}: 1 reader warning(s) and --strict; nothing was written"
    )
    assert not out.exists()
    assert build(KAZ, "--out", out, "--strict").exit_code == 0


def test_build_refuses_a_file_with_no_profile_content(tmp_path: Path) -> None:
    """Item 6: 'Kazakhstan / Hello world' used to publish 2,383 triples."""
    hello = tmp_path / "hello.txt"
    hello.write_text("Kazakhstan\nHello world\n", encoding="utf-8")
    result = build(hello, "--out", tmp_path / "dist")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: {hello}: no profile content (no fact the reader recognises); is this a GDP "
        "country profile page?\n"
    )
    assert not (tmp_path / "dist").exists()


def test_negative_count_is_out_of_range(tmp_path: Path) -> None:
    """Item 4: International Migrants -3 is a warning and not a plain valid value: it is
    published as printed with the status out-of-range, and the graph says so."""
    page = _with_lines(tmp_path, "kazakhstan.txt", {"\n3,732,073\n": "\n-3\n"})
    result = build(page, "--out", tmp_path / "dist")
    assert result.exit_code == 0, result.output
    assert "out-of-range" in result.stderr
    lines = (tmp_path / "dist" / "gdp.nt").read_text(encoding="utf-8").splitlines()
    status = "<https://w3id.org/gdp-rdf/def/obsStatus> <https://w3id.org/gdp-rdf/code/status/out-of-range> ."
    flagged = [line for line in lines if line.endswith(status)]
    assert len(flagged) == 1 and "/international-migrants/" in flagged[0], flagged


# -- item 7: no tracebacks ---------------------------------------------------------------------


def test_bad_licence_is_a_usage_error() -> None:
    result = invoke("build", KAZ, "--license", "notaniri")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--license': 'notaniri' is not an http(s) IRI"
    )


def test_link_check_refuses_an_unwritable_rdf_path_before_any_work(
    built: Path, tmp_path: Path
) -> None:
    result = invoke("link", "check", "--data", built, "--rdf", tmp_path / "gone" / "q.ttl")
    assert result.exit_code == 2 and result.stdout == ""  # nothing printed, nothing asked
    assert "cannot write into" in result.stderr and "Traceback" not in result.output


def test_a_path_no_iri_can_hold_is_404(live) -> None:  # type: ignore[no-untyped-def]
    for path in ("/id/country/K%20AZ", "/doc/id/country/K%3CAZ.ttl", "/id/country/%01"):
        status, body = live.get(path)
        assert status == 404, (path, body)
    assert "Traceback" not in live.log.read_text(errors="replace")


# -- item 9: messages say what to do -----------------------------------------------------------


def test_messages_name_the_right_command_and_term(built: Path) -> None:
    unknown = invoke("query", "no-such-query", "--data", built)
    assert "`gdp-rdf queries` lists them" in unknown.stderr
    kaz = invoke("query", "indicator-series", "--data", built, "--param", "country=KAZ")
    assert kaz.exit_code == 2 and "did you mean country:KAZ?" in kaz.stderr
    prefix = invoke("query", "indicator-series", "--data", built, "--param", "indicator=foo:bar")
    assert prefix.exit_code == 2 and "unknown prefix 'foo' in 'foo:bar'" in prefix.stderr


def test_publish_without_a_build_says_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("publish", "--endpoint", "http://127.0.0.1:9/query")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: dist: no built graph to publish; run `gdp-rdf build` or pass --data\n"
    )


def test_validate_a_folder_names_it(built: Path) -> None:
    result = invoke("validate", built)
    assert result.exit_code == 1 and "is a folder; name the files to validate" in result.stderr


# -- item 10: nothing silently empty -----------------------------------------------------------


def test_validate_nothing_is_an_error(built: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    for path in (empty, built / "context.jsonld"):
        result = invoke("validate", path)
        assert result.exit_code == 1 and result.stderr.startswith("Error: nothing to validate")


def test_graph_without_endpoint_and_construct_as_csv_are_refused(built: Path) -> None:
    graph = invoke("query", "latest-values", "--data", built, "--graph", "http://example.org/g")
    assert graph.exit_code == 2 and "applies to --endpoint only" in graph.stderr
    construct = invoke(
        "query", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "--data", built, "--format", "csv"
    )
    assert construct.exit_code == 2 and construct.stdout == ""
    assert "a CONSTRUCT query prints Turtle (table) or JSON-LD (json)" in construct.stderr


def test_endpoint_with_data_in_named_graphs_gives_a_hint(built: Path, fresh_oxigraph) -> None:  # type: ignore[no-untyped-def]
    graph = "https://w3id.org/gdp-rdf/id/dataset/gdp"
    request = urllib.request.Request(
        f"{fresh_oxigraph.base}/store?graph={graph}",
        data=(built / "void.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=30).close()
    query = "SELECT ?d WHERE { ?d a <http://rdfs.org/ns/void#Dataset> }"
    bare = invoke("query", query, "--endpoint", fresh_oxigraph.query_url, "--format", "csv")
    assert bare.exit_code == 0 and bare.stdout == "d\n"
    assert bare.stderr == (
        f"hint: nothing in the default graph answered; {fresh_oxigraph.query_url} holds named "
        f"graphs (e.g. <{graph}>): try --graph {graph}\n"
    )
    named = invoke(
        "query", query, "--endpoint", fresh_oxigraph.query_url, "--graph", graph, "--format", "csv"
    )
    assert named.exit_code == 0 and named.stdout.count("\n") > 1 and named.stderr == ""


def test_endpoint_holding_an_older_build_names_the_terms_it_lacks(  # type: ignore[no-untyped-def]
    built: Path, fresh_oxigraph
) -> None:
    """An endpoint loaded with a build made before gdp:latestObservation answers latest-values
    with nothing: the one probe query behind the embedded store's note finds what it lacks,
    in the default graph or in the graph --graph names (and the named graphs' hint follows:
    another graph might have it)."""
    lines = (built / "gdp.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    stale = "".join(x for x in lines if "/def/latestObservation>" not in x).encode()
    graph = "https://w3id.org/gdp-rdf/id/dataset/gdp"
    for target in ("default", f"graph={graph}"):
        request = urllib.request.Request(
            f"{fresh_oxigraph.base}/store?{target}",
            data=stale,
            headers={"Content-Type": "application/n-triples"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=30).close()
    url = fresh_oxigraph.query_url
    bare = invoke("query", "latest-values", "--endpoint", url, "--format", "csv")
    assert bare.exit_code == 0 and bare.stdout == "iso3,indicator,year,value\n"
    assert bare.stderr == (
        f"note: nothing in the default graph of {url} uses gdp:latestObservation, which this "
        "query names: a build by an older gdp-rdf, or one without that data, has none (rebuild "
        "with `gdp-rdf build`)\n"
        f"hint: nothing in the default graph answered; {url} holds named graphs (e.g. <{graph}>): "
        f"try --graph {graph}\n"
    )
    named = invoke("query", "latest-values", "--endpoint", url, "--graph", graph, "--format", "csv")
    assert named.exit_code == 0 and named.stdout == "iso3,indicator,year,value\n"
    assert named.stderr.startswith(
        f"note: nothing in <{graph}> on {url} uses gdp:latestObservation, which this query"
    )
    # every term it names in use, and no rows: no note
    answered = invoke(
        "query", "treaties-ratified", "--endpoint", url, "--graph", graph,
        "--param", "country=country:ZZZ",
    )  # fmt: skip
    assert answered.exit_code == 0 and answered.stderr == ""


def test_serve_under_a_base_the_build_does_not_use_is_an_error(built: Path, tmp_path: Path) -> None:
    result = invoke(
        "serve", "--data", built, "--base-iri", "http://example.org/", "--port", "0",
        "--cache-dir", tmp_path,
    )  # fmt: skip
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: {built}: no country under the base IRI http://example.org/; it was built "
        "under https://w3id.org/gdp-rdf/: pass --base-iri https://w3id.org/gdp-rdf/\n"
    )


def test_link_status_without_profiles_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("link", "status")
    assert result.exit_code == 2 and "'data/profiles' does not exist" in result.stderr


# -- item 11: quality annotations outside the build, published with it ------------------------


def test_quality_annotations_cannot_go_into_a_build_folder(built: Path, tmp_path: Path) -> None:
    result = invoke("link", "check", "--data", built, "--rdf", built / "quality.ttl")
    assert (
        result.exit_code == 2 and "is a build folder, replaced by the next build" in result.stderr
    )
    copy = tmp_path / "dist"
    shutil.copytree(built, copy)
    (copy / "wikidata.ttl").write_text("")  # annotations a user saved into the build anyway
    result = invoke("build", KAZ, "--out", copy, "--no-cache")
    assert result.exit_code == 1 and "wikidata.ttl" in result.stderr  # and the build keeps it
    assert (copy / "wikidata.ttl").exists()


def test_data_takes_a_build_folder_and_extra_files_everywhere(built: Path, tmp_path: Path) -> None:
    """Item 11/12: --data means the same for query, publish and link check: a build folder
    (its gdp.nt and void.ttl) and any further RDF files, such as the quality annotations."""
    quality = tmp_path / "quality.ttl"
    quality.write_text('<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "q" .\n')
    result = invoke(
        "query", "SELECT ?l WHERE { <urn:x> ?p ?l }", "--data", built, "--data", quality,
        "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0 and result.stdout == "l\nq\n"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--rdf quality/wikidata.ttl" in readme and "--rdf dist/" not in readme
