"""The history graph: every version's values, dated; changes; the two catalogue queries."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from gdp_rdf.graph.terms import canonical
from gdp_rdf.history.check import check_history
from gdp_rdf.history.graph import collect_history, history_lines, read_history
from gdp_rdf.history.versions import read_versions
from gdp_rdf.sparql.catalogue import bindings, catalogue
from gdp_rdf.sparql.results import row_values
from gdp_rdf.sparql.store import run_embedded

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "data" / "profiles" / "andorra.txt"
NEW = ROOT / "data" / "profile-variants" / "andorra_newer.txt"


def dated(path: Path, when: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# retrieved: {when}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture
def history_store(tmp_path: Path) -> ox.Store:
    old = dated(OLD, "2024-03-01", tmp_path / "history" / "andorra_2024.txt")
    new = dated(NEW, "2025-06-01", tmp_path / "current" / "andorra.txt")
    history = read_history(old.parent, [new])
    store = ox.Store()
    store.load(canonical(history_lines(history)), format=ox.RdfFormat.N_TRIPLES)
    return store


def rows(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    query = catalogue()[name]
    result = run_embedded(store, query, bindings(query, params))
    hidden = set(params) | {"country", "date"}
    return [
        {k: v for k, v in zip(result.variables, row, strict=True) if k not in hidden}
        for row in row_values(result)
    ]


def test_a_value_only_the_older_version_prints_stays_with_its_date(history_store: ox.Store) -> None:
    found = rows(
        history_store,
        "history-as-of",
        indicator="<https://w3id.org/gdp-rdf/code/indicator/immigration-detainees>",
        date='"2024-12-31"^^<http://www.w3.org/2001/XMLSchema#date>',
    )
    assert found == [
        {
            "iso3": "AND",
            "year": "2019",
            "value": "Not Available",
            "status": "not-available",
            "file": "andorra_2024.txt",
            "versionDate": "2024-03-01",
            "stillPrinted": "",  # the newer copy starts below the headline: unknown, not "no"
        }
    ]
    revised = rows(
        history_store,
        "history-as-of",
        indicator="<https://w3id.org/gdp-rdf/code/indicator/detained-children>",
        date='"2024-12-31"^^<http://www.w3.org/2001/XMLSchema#date>',
    )
    assert [(r["year"], r["value"], r["stillPrinted"]) for r in revised] == [
        ("2017", "0", "false"),  # the newer copy prints "Not Available" for 2017
        ("", "No Data", ""),  # the headline, which the newer copy does not reach
    ]
    later = rows(
        history_store,
        "history-as-of",
        indicator="<https://w3id.org/gdp-rdf/code/indicator/detained-children>",
        date='"2025-12-31"^^<http://www.w3.org/2001/XMLSchema#date>',
    )
    assert [(r["year"], r["value"], r["versionDate"]) for r in later] == [
        ("2017", "Not Available", "2025-06-01")
    ]


def test_changes_between_versions_are_queryable(history_store: ox.Store) -> None:
    changes = rows(history_store, "history-changes")
    revised = [r for r in changes if r["indicator"] == "detained-children"]
    assert revised == [
        {
            "indicator": "detained-children",
            "year": "2017",
            "change": "ValueRevised",
            "old": "0",
            "new": "Not Available",
            "fromFile": "andorra_2024.txt",
            "fromDate": "2024-03-01",
            "toFile": "andorra.txt",
            "toDate": "2025-06-01",
        }
    ]
    assert not [r for r in changes if r["change"] == "ValueRemoved"]  # both copies are partial


def test_history_graph_conforms_and_is_deterministic(tmp_path: Path) -> None:
    old = dated(OLD, "2024-03-01", tmp_path / "h" / "andorra_2024.txt")
    first = canonical(history_lines(read_history(old.parent, [NEW])))
    assert first == canonical(history_lines(read_history(old.parent, [NEW])))
    conforms, text = check_history(
        first.decode().splitlines(keepends=True), "https://w3id.org/gdp-rdf/"
    )
    assert conforms, text
    assert b"_:" not in first


def test_dated_versions_sort_by_date_and_undated_keep_their_place(tmp_path: Path) -> None:
    newer = dated(NEW, "2023-01-01", tmp_path / "a" / "andorra.txt")  # dated older than OLD's copy
    older = dated(OLD, "2024-05-01", tmp_path / "b" / "andorra.txt")
    history = collect_history([read_versions(newer), read_versions(older)])
    assert [v.date for v in history.by_country["AND"]] == ["2023-01-01", "2024-05-01"]
    undated = collect_history([read_versions(NEW), read_versions(OLD)])
    assert [v.file_name for v in undated.by_country["AND"]] == ["andorra_newer.txt", "andorra.txt"]
    assert undated.undated() == ["AND"]
