"""gdp:latestObservation links each country to exactly its observations marked
gdp:latestInSeries, so latest-values can start from the countries."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

PREFIX = "PREFIX gdp: <https://w3id.org/gdp-rdf/def/>\n"
LINKED = PREFIX + "SELECT ?country ?observation WHERE { ?country gdp:latestObservation ?observation }"
MARKED = PREFIX + (
    "SELECT ?country ?observation WHERE "
    "{ ?observation gdp:latestInSeries true ; gdp:refArea ?country }"
)
# latest-values before the country links: the same question from the marked observations.
FROM_MARKS = """
PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?iso3 ?indicator ?year ?value WHERE {
  ?observation gdp:latestInSeries true ; gdp:refArea/gdp:iso3 ?iso3 ;
      gdp:indicator/skos:notation ?indicator ; gdp:refPeriod/gdp:year ?year .
  OPTIONAL { ?observation gdp:numericValue ?number }
  OPTIONAL { ?observation gdp:rank ?rank }
  OPTIONAL { ?observation gdp:answer/skos:prefLabel ?answer }
  BIND(COALESCE(?number, ?rank, ?answer) AS ?value)
}
ORDER BY ?iso3 ?indicator
"""


def _pairs(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    answer = store.query(query)
    assert isinstance(answer, ox.QuerySolutions)
    return [tuple(str(term) for term in solution) for solution in answer]


def test_each_country_links_exactly_its_marked_observations(built: Path) -> None:
    store = ox.Store()
    store.load(path=str(built / "gdp.nt"), format=ox.RdfFormat.N_TRIPLES)
    linked = _pairs(store, LINKED)
    assert len(linked) > 100 and len(set(linked)) == len(linked)
    assert set(linked) == set(_pairs(store, MARKED))


def test_latest_values_answers_as_it_did_from_the_marks(built: Path) -> None:
    from gdp_rdf.sparql.catalogue import catalogue

    store = ox.Store()
    store.load(path=str(built / "gdp.nt"), format=ox.RdfFormat.N_TRIPLES)
    rows = _pairs(store, catalogue()["latest-values"].text)
    assert len(rows) > 100 and rows == _pairs(store, FROM_MARKS)
