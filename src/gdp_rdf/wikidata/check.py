"""Where GDP and Wikidata disagree (`gdp-rdf link check`), as rows and as DQV annotations.

Every request goes through `sparql.remote.run_remote` (descriptive User-Agent, one request at
a time, Retry-After on 429). A fact Wikidata does not state is never a disagreement.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.graph.serialize import lines_to_turtle
from gdp_rdf.graph.terms import Triples, text, typed
from gdp_rdf.resources import write_atomic
from gdp_rdf.sparql.catalogue import Query
from gdp_rdf.sparql.remote import DEFAULT_CLIENT, Client, run_remote
from gdp_rdf.sparql.store import run_embedded
from gdp_rdf.vocab import DEFAULT_BASE, DQV, OA, PROV, RDFS, WD, Iris, rebase
from gdp_rdf.wikidata.resolve import WD_PREFIXES, qid_of


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
) -> list[Disagreement]:
    """Compare ratification years (P6193 + P585) and populations (P1082 + P585).

    A ratification disagrees when Wikidata states a different year for the same state and
    treaty; a population when Wikidata has a figure for the same year that differs by more
    than ``tolerance`` (GDP rounds its figures). A fact Wikidata does not state is not a
    disagreement.

    Raises:
        EndpointError: the endpoint cannot be reached or fails.
    """

    def local(text_: str) -> list[dict[str, str]]:
        result = run_embedded(store, Query("link check", rebase(text_, base)), {})
        return [{k: str(getattr(v, "value", "")) for k, v in row.items()} for row in result.rows]

    def remote(text_: str) -> Sequence[Mapping[str, object]]:
        return run_remote(endpoint, Query("link check", text_), {}, client=client).rows

    return _ratifications(local(GDP_RATIFICATIONS), remote, batch) + _populations(
        local(GDP_POPULATIONS), remote, tolerance, batch
    )


Remote = Callable[[str], Sequence[Mapping[str, object]]]


def _ratifications(ratifications: list[dict[str, str]], remote: Remote, batch: int) -> list[Disagreement]:
    pairs = sorted({(r["treatyItem"][len(WD) :], r["state"][len(WD) :]) for r in ratifications})
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
    states = sorted({r["state"][len(WD) :] for r in populations})
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


def annotation_lines(disagreements: Sequence[Disagreement], base: str) -> list[str]:
    """The disagreements as DQV quality annotations on the GDP facts (N-Triples lines)."""
    iris, t = Iris(base), Triples()
    for d in disagreements:
        node = f"{iris.base}id/quality/wikidata/{d.kind}/{d.iso3}/{d.item}/{d.period}"
        t.type(node, DQV + "QualityAnnotation")
        t.link(node, OA + "hasTarget", d.subject)
        t.link(node, OA + "motivatedBy", DQV + "qualityAssessment")
        t.link(node, PROV + "wasDerivedFrom", d.source)
        body = f"GDP says {d.gdp} ({d.kind}, {d.period}); Wikidata ({d.source}) says {d.wikidata}."
        t.add(node, OA + "bodyValue", text(body))
        t.add(
            node, RDFS + "label", text(f"Disagreement with Wikidata: {d.iso3} {d.item} {d.period}")
        )
        t.add(node, f"{iris.base}def/sourceLine", typed(d.line, "integer"))
    return t.lines


def write_annotations(disagreements: Sequence[Disagreement], path: Path, base: str) -> None:
    """The annotations as Turtle, written atomically.

    Raises:
        ResourceError: the file cannot be written.
    """
    write_atomic(path, lines_to_turtle(annotation_lines(disagreements, base), base))
