"""Read-model queries added for readers (issue 13): comparisons across countries, what a
country page needs beyond its series (denominators, every source line), and tidy CSV rows.

Every query the pages added for issue 13 is here, in one place, so a change of the Data Cube
model means editing this module only. IRIs are bound with pyoxigraph's ``substitutions=``,
never spliced into query text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from gdp_rdf.graph.tabular import observation_rows
from gdp_rdf.vocab import PROV, QB, RDF, SCHEMA, Iris
from gdp_rdf.web.read_model import Site

_EXTRAS = """SELECT ?country ?obs ?denominator ?line WHERE {
  ?obs gdp:refArea ?country .
  { ?obs gdp:denominator ?denominator } UNION { ?obs gdp:sourceLine ?line }
}"""

_RANKING = """SELECT ?indicator ?obs ?country ?iso3 ?name ?period ?number ?answer ?text ?status ?line WHERE {
  ?obs gdp:indicator ?indicator ; gdp:refArea ?country ; gdp:valueLine ?line .
  ?country gdp:iso3 ?iso3 ; schema:name ?name .
  OPTIONAL { ?obs gdp:refPeriod/gdp:year ?period }
  OPTIONAL { ?obs gdp:numericValue ?number } OPTIONAL { ?obs gdp:rank ?number }
  OPTIONAL { ?obs gdp:answer/skos:prefLabel ?answer } OPTIONAL { ?obs gdp:textValue ?text }
  OPTIONAL { ?obs (gdp:missingStatus|gdp:obsStatus)/skos:prefLabel ?status }
}"""

_PARTIES = """SELECT ?treaty ?country ?iso3 ?name ?ratification ?year ?line ?listed WHERE {
  ?country a gdp:Country ; gdp:iso3 ?iso3 ; schema:name ?name .
  OPTIONAL { ?ratification a gdp:Ratification ; gdp:country ?country ; gdp:treaty ?treaty ;
                           gdp:valueLine ?line .
             OPTIONAL { ?ratification gdp:ratificationYear ?year } }
  BIND(EXISTS { ?any a gdp:Ratification ; gdp:country ?country } AS ?listed)
}"""


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


@dataclass
class ObservationExtras:
    """What a country page shows of an observation beyond its series value."""

    denominator: str = ""
    lines: list[int] = field(default_factory=list)


def observation_extras(site: Site, country: str) -> dict[str, ObservationExtras]:
    """Each observation of a country: the denominator of a ratio, every line it was read on."""
    out: dict[str, ObservationExtras] = {}
    for row in site.select(_EXTRAS, country=country):
        extras = out.setdefault(row["obs"], ObservationExtras())
        if row["denominator"]:
            extras.denominator = row["denominator"]
        if row["line"].isdigit():
            extras.lines.append(int(row["line"]))
    for extras in out.values():
        extras.lines.sort()
    return out


@dataclass
class Ranked:
    """A country's latest value of an indicator, or why it has none."""

    country: str
    iso3: str
    name: str
    observation: str
    period: str
    number: Decimal | None
    shown: str
    line: int


@dataclass
class Ranking:
    ranked: list[Ranked]  # latest numeric value, highest first
    other: list[Ranked]  # latest value that is an answer or a text
    gaps: list[Ranked]  # no value for any year: listed, never drawn as zero


def ranking(site: Site, indicator: str) -> Ranking:
    """Countries by their latest value of an indicator; missing values listed apart."""
    latest: dict[str, Ranked] = {}
    missing: dict[str, Ranked] = {}
    for row in site.select(_RANKING, indicator=indicator):
        number = _number(row["number"])
        shown = row["number"] or row["answer"] or row["text"]
        item = Ranked(
            row["country"],
            row["iso3"],
            row["name"],
            row["obs"],
            row["period"],
            number,
            shown or row["status"] or "no value",
            int(row["line"]),
        )
        if not shown:
            if row["country"] not in missing or item.period > missing[row["country"]].period:
                missing[row["country"]] = item
            continue
        current = latest.get(row["country"])
        if current is None or (item.period or "0") > (current.period or "0"):
            latest[row["country"]] = item
    ranked = sorted(
        (r for r in latest.values() if r.number is not None),
        key=lambda r: (-(r.number or 0), r.name),
    )
    other = sorted((r for r in latest.values() if r.number is None), key=lambda r: r.name)
    gaps = sorted((r for c, r in missing.items() if c not in latest), key=lambda r: r.name)
    return Ranking(ranked, other, gaps)


@dataclass
class Party:
    country: str
    iso3: str
    name: str
    ratification: str
    year: str
    line: int


@dataclass
class Parties:
    parties: list[Party]  # by ratification year
    not_parties: list[Party]  # the profile's treaties table does not list it
    unknown: list[Party]  # the profile prints no treaties table


def treaty_parties(site: Site, treaty: str) -> Parties:
    """The countries of the graph that are parties to a treaty, with their years, and those
    that are not (or whose profile does not say)."""
    parties, not_parties, unknown = [], [], []
    for row in site.select(_PARTIES, treaty=treaty):
        line = int(row["line"]) if row["line"].isdigit() else 0
        party = Party(
            row["country"], row["iso3"], row["name"], row["ratification"], row["year"], line
        )
        if row["ratification"]:
            parties.append(party)
        elif row["listed"] == "true":
            not_parties.append(party)
        else:
            unknown.append(party)
    parties.sort(key=lambda p: (p.year or "9999", p.name))
    not_parties.sort(key=lambda p: p.name)
    unknown.sort(key=lambda p: p.name)
    return Parties(parties, not_parties, unknown)


def _observation_triples(site: Site, observations: list[ox.NamedNode]) -> list[ox.Triple]:
    """The observations' triples, with their countries' names, periods' years and profiles'
    file names."""
    g = Iris(site.base).term
    # what observation_rows reads of the node an observation points at, by the link
    wanted = {
        g("refArea"): SCHEMA + "name",
        g("refPeriod"): g("year"),
        PROV + "wasDerivedFrom": g("fileName"),
    }
    triples: list[ox.Triple] = []
    extra: set[tuple[str, str]] = set()
    for node in observations:
        for quad in site.store.quads_for_pattern(node, None, None):
            triples.append(quad.triple)
            property_ = wanted.get(quad.predicate.value)
            if property_ is not None and isinstance(quad.object, ox.NamedNode):
                extra.add((quad.object.value, property_))
    for subject, predicate in sorted(extra):
        for quad in site.store.quads_for_pattern(
            ox.NamedNode(subject), ox.NamedNode(predicate), None
        ):
            triples.append(quad.triple)
    return triples


def observation_table(site: Site, country: str = "", indicator: str = "") -> list[dict[str, str]]:
    """Tidy rows (the columns of the observations CSV dump) of one country or indicator."""
    g = Iris(site.base).term
    dimension, target = (g("refArea"), country) if country else (g("indicator"), indicator)
    observations = [
        quad.subject
        for quad in site.store.quads_for_pattern(
            None, ox.NamedNode(dimension), ox.NamedNode(target)
        )
        if isinstance(quad.subject, ox.NamedNode)
        and ox.NamedNode(QB + "Observation")
        in {
            q.object
            for q in site.store.quads_for_pattern(quad.subject, ox.NamedNode(RDF + "type"), None)
        }
    ]
    return observation_rows(_observation_triples(site, observations), site.base)


_FILES = """SELECT ?country ?file ?url WHERE {
  ?country a gdp:Country ; gdp:profile ?doc . ?doc gdp:fileName ?file .
  OPTIONAL { ?doc schema:url ?url }
}"""


def profile_files(site: Site) -> dict[str, tuple[str, str]]:
    """Each country's profile: (file name, GDP page URL or '')."""
    return {r["country"]: (r["file"], r["url"]) for r in site.select(_FILES)}
