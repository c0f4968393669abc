"""run_embedded's rows: one dict per solution, keyed by the projected variables in order,
unbound variables present as None (the form every renderer and the web pages read)."""

from __future__ import annotations

import pyoxigraph as ox

from gdp_rdf.sparql.catalogue import Query
from gdp_rdf.sparql.results import Kind
from gdp_rdf.sparql.store import run_embedded

EX = "http://example.org/"


def _store() -> ox.Store:
    store = ox.Store()
    a, b, p, q = (ox.NamedNode(EX + name) for name in ("a", "b", "p", "q"))
    store.add(ox.Quad(a, p, ox.Literal("one")))
    store.add(ox.Quad(a, q, ox.Literal("1", datatype=ox.NamedNode(EX + "n"))))
    store.add(ox.Quad(b, p, ox.Literal("two", language="en")))
    return store


def _by_name(store: ox.Store, text: str) -> list[dict[str, object]]:
    # The reference: every projected variable read from the solution by name.
    answer = store.query(text)
    assert isinstance(answer, ox.QuerySolutions)
    names = [variable.value for variable in answer.variables]
    return [{name: solution[name] for name in names} for solution in answer]


def test_rows_keep_unbound_variables_as_none_in_projection_order() -> None:
    store = _store()
    text = (
        f"SELECT ?missing ?s ?o ?n WHERE {{ ?s <{EX}p> ?o "
        f"OPTIONAL {{ ?s <{EX}q> ?n }} OPTIONAL {{ ?s <{EX}none> ?missing }} }} ORDER BY ?s"
    )
    result = run_embedded(store, Query("<test>", text), {})
    assert result.kind is Kind.SELECT
    assert result.variables == ["missing", "s", "o", "n"]
    assert result.rows == _by_name(store, text)
    assert [list(row) for row in result.rows] == [result.variables] * 2
    assert result.rows[1]["n"] is None and result.rows[0]["missing"] is None
    assert result.rows[0]["n"] == ox.Literal("1", datatype=ox.NamedNode(EX + "n"))


def test_rows_of_select_star_and_of_no_solution() -> None:
    store = _store()
    star = f"SELECT * WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?o"
    result = run_embedded(store, Query("<test>", star), {})
    assert result.rows == _by_name(store, star)
    empty = f"SELECT ?s ?x WHERE {{ ?s <{EX}nothing> ?x }}"
    result = run_embedded(store, Query("<test>", empty), {})
    assert (result.variables, result.rows) == (["s", "x"], [])
