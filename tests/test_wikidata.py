"""Links to Wikidata, against a Wikidata-shaped fixture in a real Oxigraph server."""

from __future__ import annotations

import csv
import io
import shutil
import types
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from conftest import ROOT
from fault_proxy import FaultProxy

from gdp_rdf.cli import cli, options
from gdp_rdf.quality.validate import validate_quality
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.sparql.catalogue import bindings, catalogue
from gdp_rdf.sparql.remote import USER_AGENT
from gdp_rdf.sparql.results import row_values
from gdp_rdf.sparql.store import open_store, run_embedded
from gdp_rdf.vocab import Iris, finding_iri
from gdp_rdf.wikidata.check import find_disagreements
from gdp_rdf.wikidata.resolve import find_candidates

pytestmark = pytest.mark.server
LINKS = ROOT / "data" / "links"
WD = "http://www.wikidata.org/entity/"
FEDERATED = sorted(name for name, query in catalogue().items() if query.services)


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def table(name: str) -> list[dict[str, str]]:
    with (LINKS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def links(tmp_path: Path) -> Path:
    folder = tmp_path / "links"
    shutil.copytree(LINKS, folder)
    return folder


def test_every_country_is_linked_to_its_verified_item(built: Path) -> None:
    graph = rdflib.Graph().parse(built / "gdp.ttl")
    same = {str(s).rsplit("/", 1)[1]: str(o) for s, o in graph.subject_objects(rdflib.OWL.sameAs)}
    assert same["KAZ"] == WD + "Q232"
    verified = {row["iso3"]: WD + row["qid"] for row in table("countries.csv")}
    # 34 profiles and the 6 countries of facility pages (issue 17), each with its verified item
    assert len(same) == 40 and all(verified[iso3] == qid for iso3, qid in same.items())


def test_no_qid_is_invented(built: Path) -> None:
    verified = {row["qid"] for row in table("countries.csv")} | {
        row["alt_qid"] for row in table("countries.csv")
    }
    verified |= {row["qid"] for row in table("treaties.csv")} | {
        row["pid"] for row in table("properties.csv")
    }
    verified.discard("")
    graph = rdflib.Graph().parse(built / "gdp.ttl")
    used = {str(o)[len(WD) :] for o in graph.objects() if str(o).startswith(WD)}
    assert used and used <= verified
    exact = {
        str(s).rsplit("/", 1)[1]: str(o)[len(WD) :]
        for s, o in graph.subject_objects(rdflib.SKOS.exactMatch)
    }
    assert exact == {"ICERD": "Q743306", "CEDAW": "Q277072"}
    close = {
        str(o)[len(WD) :]
        for o in graph.objects(None, rdflib.SKOS.closeMatch)
        if str(o).startswith(WD)
    }
    assert close == {"P1082"}  # a concept (the population indicator) to a property
    # ontology terms point at Wikidata with rdfs:seeAlso: skos:closeMatch would make them concepts
    see_also = {str(o)[len(WD) :] for o in graph.objects(None, rdflib.RDFS.seeAlso)}
    assert {"P297", "P298", "Q6256", "Q131569", "Q79699511"} <= see_also


def test_void_counts_the_links(built: Path) -> None:
    void = rdflib.Graph().parse(built / "void.ttl")
    result = void.query(
        """PREFIX void: <http://rdfs.org/ns/void#> SELECT ?predicate ?n WHERE {
           ?set a void:Linkset ; void:linkPredicate ?predicate ; void:triples ?n }"""
    )
    counts = {str(r.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]: int(r.n) for r in result}
    assert counts == {"sameAs": 40, "exactMatch": 2, "closeMatch": 1, "seeAlso": 7}


def test_link_status_reports_the_real_coverage() -> None:
    result = invoke("link", "status")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert "countries: 34/34 linked" in lines and "treaties: 2/21 linked" in lines
    assert "treaty bodies: 0/10 linked" in lines
    assert (
        "  unlinked CAT: Convention against Torture and Other Cruel, Inhuman or Degrading "
        "Treatment or Punishment (no verified QID)" in lines
    )
    assert (
        "  unlinked CAT-ART22: Declaration under article 22 of the Convention against Torture "
        "(no row in the link table)" in lines
    )


def test_link_resolve_finds_the_planted_items(wikidata, links: Path) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader((links / "countries.csv").open(encoding="utf-8")))
    for row in rows:
        if row["iso3"] == "KAZ":
            row["qid"] = ""
    with (links / "countries.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    treaties_before = (links / "treaties.csv").read_bytes()
    result = invoke("link", "resolve", "--endpoint", wikidata.query_url, "--links-dir", str(links))
    assert result.exit_code == 0, result.output
    found = {
        (r["table"], r["code"], r["qid"]): r
        for r in csv.DictReader((links / "candidates.csv").open(encoding="utf-8"))
    }
    assert set(found) == {
        ("countries", "KAZ", "Q232"),
        ("treaties", "CAT", "Q999000001"),
        ("treaties", "CRC", "Q999000002"),
        ("treaties", "CRC", "Q999000003"),
        ("treaties", "CAT-CTTEE", "Q999000010"),
    }
    assert found[("treaties", "CRC", "Q999000002")]["score"] == "1.00"
    assert found[("treaties", "CRC", "Q999000003")]["score"] == "0.50"  # the decoy is not a treaty
    assert found[("treaties", "CAT-CTTEE", "Q999000010")]["class_ok"] == "yes"
    assert (links / "treaties.csv").read_bytes() == treaties_before  # nothing linked without review


def test_accept_moves_reviewed_rows_and_never_overwrites(wikidata, links: Path) -> None:  # type: ignore[no-untyped-def]
    assert (
        invoke(
            "link", "resolve", "--endpoint", wikidata.query_url, "--links-dir", str(links)
        ).exit_code
        == 0
    )
    path = links / "candidates.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row["accept"] = "yes" if (row["code"], row["qid"]) in {("CAT", "Q999000001")} else ""
    rows.append(
        {
            "table": "treaties",
            "code": "ICERD",
            "name": "x",
            "qid": "Q999000777",
            "wikidata_label": "x",
            "matched": "label",
            "class_ok": "yes",
            "score": "1.00",
            "accept": "yes",
        }
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = invoke("link", "resolve", "--accept", "--links-dir", str(links))
    assert result.exit_code == 0 and "accepted treaties CAT = Q999000001" in result.stdout
    assert "ICERD: already has verified Q743306; kept" in result.stderr
    treaties = {
        r["code"]: r for r in csv.DictReader((links / "treaties.csv").open(encoding="utf-8"))
    }
    assert (treaties["CAT"]["qid"], treaties["CAT"]["confidence"]) == (
        "Q999000001",
        "reviewed-candidate",
    )
    assert treaties["ICERD"]["qid"] == "Q743306"
    remaining = {r["code"] for r in csv.DictReader(path.open(encoding="utf-8"))}
    assert "CAT" not in remaining and "CRC" in remaining


def test_link_check_reports_the_planted_disagreement_only(
    wikidata, built: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    quality = tmp_path / "quality.ttl"
    result = invoke(
        "link",
        "check",
        "--endpoint",
        wikidata.query_url,
        "--data",
        str(built / "gdp.nt"),
        "--rdf",
        str(quality),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [
        (r["kind"], r["iso3"], r["item"], r["gdp"], r["wikidata"], r["line"]) for r in rows
    ] == [("ratification", "KAZ", "ICERD", "1998", "1999", "268")]
    assert result.stderr == ""  # no terminal, no progress bar
    annotations = rdflib.Graph().parse(quality)
    dqv = rdflib.Namespace("http://www.w3.org/ns/dqv#")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    code = rdflib.Namespace("https://w3id.org/gdp-rdf/code/")
    (node,) = list(annotations.subjects(rdflib.RDF.type, dqv.QualityAnnotation))
    # the finding `gdp-rdf check --wikidata-endpoint` reports, in the quality graph's terms
    assert str(node) == finding_iri(Iris(), "wikidata", "KAZ", "treaty-ratified", 1998, "ICERD")
    assert str(annotations.value(node, oa.hasTarget)).endswith("/id/ratification/KAZ/ICERD")
    assert set(annotations.objects(node, oa.hasBody)) == {
        code["check/wikidata"],
        code["severity/info"],
    }
    assert "Wikidata" in str(annotations.value(node, rdflib.RDFS.comment))
    assert (
        int(annotations.value(node, rdflib.URIRef("https://w3id.org/gdp-rdf/def/valueLine"))) == 268
    )
    assert not list(annotations.subjects(rdflib.RDF.type, dqv.QualityMeasurement))  # one check ran
    block = annotations.serialize(format="nt", encoding="utf-8")
    conforms, report = validate_quality(block)
    assert conforms, report
    # the code lists travel with the findings: without them the check body names nothing
    alone = b"".join(
        line
        for line in block.splitlines(keepends=True)
        if line.startswith(b"<https://w3id.org/gdp-rdf/id/quality/")
    )
    conforms, report = validate_quality(alone)
    assert not conforms and "QualityAnnotationShape-check" in report
    strict = invoke(
        "link",
        "check",
        "--endpoint",
        wikidata.query_url,
        "--data",
        str(built / "gdp.nt"),
        "--tolerance",
        "0.001",
    )
    assert {r["kind"] for r in csv.DictReader(io.StringIO(strict.stdout))} == {
        "ratification",
        "population",
    }


def test_link_core_reports_progress_per_request(wikidata, links: Path, built: Path) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[int, int]] = []
    find_candidates(
        wikidata.query_url, load_codelists(), links, progress=lambda *call: calls.append(call)
    )
    total = len(calls)
    assert total > 1 and calls == [(done, total) for done in range(1, total + 1)]
    calls.clear()
    store = open_store([built / "gdp.nt"])
    find_disagreements(store, wikidata.query_url, batch=1, progress=lambda *c: calls.append(c))
    total = len(calls)
    assert total > 2 and calls == [(done, total) for done in range(1, total + 1)]


def test_link_progress_goes_to_a_terminal_stderr_only(
    wikidata, links: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    terminal = types.SimpleNamespace(stderr=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr(options, "sys", terminal)  # the bar draws only when stderr is a tty
    resolve = invoke("link", "resolve", "--endpoint", wikidata.query_url, "--links-dir", str(links))
    check = invoke(
        "link", "check", "--endpoint", wikidata.query_url, "--data", str(built / "gdp.nt")
    )
    for result in (resolve, check):
        assert result.exit_code == 0, result.output
        assert "Asking Wikidata [" in result.stderr and "Asking Wikidata" not in result.stdout
    assert check.stdout.splitlines()[0].startswith("kind,iso3,item,")  # CSV, nothing else
    assert len(list(csv.DictReader(io.StringIO(check.stdout)))) == 1


@pytest.mark.parametrize("name", FEDERATED)
def test_federated_query_against_the_fixture(
    wikidata, built: Path, name: str, request: pytest.FixtureRequest
) -> None:  # type: ignore[no-untyped-def]
    query = catalogue()[name].with_wikidata(wikidata.query_url)
    store = open_store([built / "gdp.nt", built / "void.ttl"])
    result = run_embedded(store, query, bindings(query, {}))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows(row_values(result))
    path = ROOT / "queries" / "expected" / f"{name}.csv"
    if request.config.getoption("--update-golden"):
        path.write_text(buffer.getvalue(), encoding="utf-8")
    assert buffer.getvalue() == path.read_text(encoding="utf-8")


def test_federated_queries_are_expected_to_say(built: Path) -> None:
    ratifications = list(
        csv.reader((ROOT / "queries" / "expected" / "wikidata-ratifications.csv").open())
    )
    assert ratifications[1:] == [
        ["KAZ", "CEDAW", "1998", "1998", "true"],
        ["KAZ", "ICERD", "1998", "1999", "false"],
    ]
    parties = list(
        csv.reader((ROOT / "queries" / "expected" / "wikidata-treaty-parties.csv").open())
    )
    assert [row[0] for row in parties[1:]] == ["CEDAW", "ICERD"] and parties[2][2] == "2"


def test_wikidata_endpoint_option(wikidata, built: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "query",
        "wikidata-ratifications",
        "--data",
        str(built / "gdp.nt"),
        "--wikidata-endpoint",
        wikidata.query_url,
        "--format",
        "csv",
    )
    assert result.exit_code == 0 and "ICERD,1998,1999,false" in result.stdout
    bad = invoke(
        "query",
        "wikidata-ratifications",
        "--data",
        str(built / "gdp.nt"),
        "--wikidata-endpoint",
        "not a url",
    )
    assert bad.exit_code == 2 and "is not an http(s) URL" in bad.stderr  # a usage error


def test_polite_client(wikidata, links: Path) -> None:  # type: ignore[no-untyped-def]
    def fault(n: int):  # type: ignore[no-untyped-def]
        return (429, {"Retry-After": "0"}, b"busy") if n == 1 else None

    with FaultProxy(wikidata.base, fault) as proxy:
        result = invoke(
            "link", "resolve", "--endpoint", proxy.url + "/query", "--links-dir", str(links)
        )
        assert result.exit_code == 0, result.output
        assert proxy.requests > 2 and all(
            h.get("User-Agent") == USER_AGENT for h in proxy.seen_headers
        )
        assert "gdp-rdf/" in USER_AGENT and "https://" in USER_AGENT


def test_offline_errors_are_one_line(links: Path, built: Path) -> None:
    from oxigraph_server import free_port

    url = f"http://127.0.0.1:{free_port()}/sparql"
    for args in (
        ["link", "resolve", "--endpoint", url, "--links-dir", str(links)],
        ["link", "check", "--endpoint", url, "--data", str(built / "gdp.nt")],
    ):
        result = invoke(*args)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1
        assert f"{url}: cannot reach the endpoint" in result.stderr
    assert not (links / "candidates.csv").exists()
