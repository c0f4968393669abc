"""Where GDP and Wikidata disagree (`gdp-rdf link check`). The quality package turns the
disagreements into findings of its `wikidata` check (`quality.run.with_wikidata`).

Every request goes through `sparql.remote.run_remote` (descriptive User-Agent, one request at
a time, Retry-After on 429). A fact Wikidata does not state is never a disagreement.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from gdp_rdf.sparql.catalogue import Query
from gdp_rdf.sparql.remote import DEFAULT_CLIENT, Client, run_remote
from gdp_rdf.sparql.store import run_embedded
from gdp_rdf.vocab import DEFAULT_BASE, WD, rebase
from gdp_rdf.wikidata.resolve import WD_PREFIXES, Progress, qid_of


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A fact where GDP and Wikidata say different things."""

    kind: str  # "ratification" or "population"
    iso3: str
    item: str  # treaty code, or the indicator
    period: str  # year of the GDP value
    gdp: str
    wikidata: str
    subject: str  # the GDP record or observation IRI
    source: str  # Wikidata item the statement is on
    line: str  # the line of the profile the GDP value is printed on


GDP_RATIFICATIONS = """PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?record ?iso3 ?state ?code ?treatyItem ?year ?line WHERE {
  ?record a gdp:Ratification ; gdp:country ?country ; gdp:treaty ?treaty ;
      gdp:ratificationYear ?year ; gdp:valueLine ?line .
  ?country gdp:iso3 ?iso3 ; owl:sameAs ?state .
  ?treaty skos:notation ?code ; skos:exactMatch ?treatyItem .
} ORDER BY ?iso3 ?code"""

GDP_POPULATIONS = """PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX indicator: <https://w3id.org/gdp-rdf/code/indicator/>
SELECT ?observation ?iso3 ?state ?year ?value ?line WHERE {
  ?observation gdp:indicator indicator:population ; gdp:refArea ?country ;
      gdp:refPeriod/gdp:year ?year ; gdp:numericValue ?value ; gdp:valueLine ?line .
  ?country gdp:iso3 ?iso3 ; owl:sameAs ?state .
} ORDER BY ?iso3 ?year"""


def _values(pairs: Sequence[tuple[str, ...]]) -> str:
    return " ".join("(" + " ".join(f"wd:{q}" for q in pair) + ")" for pair in pairs)


def find_disagreements(
    store: ox.Store,
    endpoint: str,
    tolerance: float = 0.05,
    client: Client = DEFAULT_CLIENT,
    base: str = DEFAULT_BASE,
    batch: int = 200,
    progress: Progress | None = None,
) -> list[Disagreement]:
    """Compare ratification years (P6193 + P585) and populations (P1082 + P585).

    A ratification disagrees when Wikidata states a different year for the same state and
    treaty; a population when Wikidata has a figure for the same year that differs by more
    than ``tolerance`` (GDP rounds its figures). A fact Wikidata does not state is not a
    disagreement. ``progress(done, total)`` is called after each request to the endpoint.

    Raises:
        EndpointError: the endpoint cannot be reached or fails.
    """

    def local(text_: str) -> list[dict[str, str]]:
        result = run_embedded(store, Query("link check", rebase(text_, base)), {})
        return [{k: str(getattr(v, "value", "")) for k, v in row.items()} for row in result.rows]

    ratifications, populations = local(GDP_RATIFICATIONS), local(GDP_POPULATIONS)
    total = math.ceil(len(_pairs(ratifications)) / batch) + math.ceil(
        len(_states(populations)) / batch
    )
    done = 0

    def remote(text_: str) -> Sequence[Mapping[str, object]]:
        nonlocal done
        rows = run_remote(endpoint, Query("link check", text_), {}, client=client).rows
        done += 1
        if progress:
            progress(done, total)
        return rows

    return _ratifications(ratifications, remote, batch) + _populations(
        populations, remote, tolerance, batch
    )


Remote = Callable[[str], Sequence[Mapping[str, object]]]


def _pairs(ratifications: list[dict[str, str]]) -> list[tuple[str, str]]:
    """The (treaty QID, state QID) pairs to ask about, one request per ``batch`` of them."""
    return sorted({(r["treatyItem"][len(WD) :], r["state"][len(WD) :]) for r in ratifications})


def _states(populations: list[dict[str, str]]) -> list[str]:
    """The state QIDs to ask for populations, one request per ``batch`` of them."""
    return sorted({r["state"][len(WD) :] for r in populations})


def _ratifications(
    ratifications: list[dict[str, str]], remote: Remote, batch: int
) -> list[Disagreement]:
    pairs = _pairs(ratifications)
    years: dict[tuple[str, str], set[str]] = {}
    for start in range(0, len(pairs), batch):
        text_ = (
            WD_PREFIXES
            + f"""SELECT ?treaty ?state ?date WHERE {{
  VALUES (?treaty ?state) {{ {_values(pairs[start : start + batch])} }}
  ?treaty p:P6193 ?statement . ?statement ps:P6193 ?state .
  OPTIONAL {{ ?statement pq:P585 ?date }}
}}"""
        )
        for row in remote(text_):
            date = str(getattr(row["date"], "value", ""))
            if date:
                years.setdefault((qid_of(row["treaty"]), qid_of(row["state"])), set()).add(date[:4])
    out = []
    for r in ratifications:
        stated = years.get((r["treatyItem"][len(WD) :], r["state"][len(WD) :]))
        if stated and r["year"] not in stated:
            out.append(
                Disagreement(
                    "ratification",
                    r["iso3"],
                    r["code"],
                    r["year"],
                    r["year"],
                    " ".join(sorted(stated)),
                    r["record"],
                    r["treatyItem"],
                    r["line"],
                )
            )
    return out


def _populations(
    populations: list[dict[str, str]], remote: Remote, tolerance: float, batch: int
) -> list[Disagreement]:
    states = _states(populations)
    figures: dict[tuple[str, str], list[Decimal]] = {}
    for start in range(0, len(states), batch):
        values = " ".join(f"wd:{q}" for q in states[start : start + batch])
        text_ = (
            WD_PREFIXES
            + f"""SELECT ?state ?population ?date WHERE {{
  VALUES ?state {{ {values} }}
  ?state p:P1082 ?statement . ?statement ps:P1082 ?population ; pq:P585 ?date .
}}"""
        )
        for row in remote(text_):
            key = (qid_of(row["state"]), str(getattr(row["date"], "value", ""))[:4])
            with contextlib.suppress(ArithmeticError):
                figures.setdefault(key, []).append(
                    Decimal(str(getattr(row["population"], "value", "")))
                )
    out = []
    for r in populations:
        counted = figures.get((r["state"][len(WD) :], r["year"]))
        if not counted:
            continue
        gdp = Decimal(r["value"])
        if all(
            abs(figure - gdp) > Decimal(str(tolerance)) * max(figure, gdp) for figure in counted
        ):
            out.append(
                Disagreement(
                    "population",
                    r["iso3"],
                    "population",
                    r["year"],
                    r["value"],
                    " ".join(str(f) for f in sorted(counted)),
                    r["observation"],
                    r["state"],
                    r["line"],
                )
            )
    return out
