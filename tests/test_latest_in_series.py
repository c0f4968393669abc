"""gdp:latestInSeries, marked by the mapping, picks what the grouped definition picks."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

# The definition latest-values.rq used before the build marked the latest observations: per
# country and indicator, the greatest year with a number, rank or answer and no status.
GROUPED = """
PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
SELECT ?observation WHERE {
  {
    SELECT ?country ?indicatorIri (MAX(?period) AS ?year) WHERE {
      ?observation a gdp:Observation ; gdp:refArea ?country ;
          gdp:indicator ?indicatorIri ; gdp:refPeriod/gdp:year ?period .
      FILTER EXISTS { ?observation gdp:numericValue|gdp:rank|gdp:answer ?anything }
      FILTER NOT EXISTS { ?observation (gdp:missingStatus|gdp:obsStatus) ?status }
    }
    GROUP BY ?country ?indicatorIri
  }
  ?observation a gdp:Observation ; gdp:refArea ?country ;
      gdp:indicator ?indicatorIri ; gdp:refPeriod/gdp:year ?year .
}
"""
MARKED = """
PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
SELECT ?observation WHERE { ?observation gdp:latestInSeries true }
"""


def _observations(store: ox.Store, query: str) -> set[str]:
    answer = store.query(query)
    assert isinstance(answer, ox.QuerySolutions)
    return {str(solution["observation"]) for solution in answer}


def test_marked_observations_are_the_grouped_latest(built: Path) -> None:
    store = ox.Store()
    store.load(path=str(built / "gdp.nt"), format=ox.RdfFormat.N_TRIPLES)
    marked = _observations(store, MARKED)
    assert len(marked) > 100
    assert marked == _observations(store, GROUPED)
