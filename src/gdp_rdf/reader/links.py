"""Wikidata links: the verified link tables in data/links/, the links they put in the graph,
and how much of the graph they cover.

Only QIDs read from a verified table are ever linked. A row without a QID stays unlinked
(and is listed by `gdp-rdf link status`) until `gdp-rdf link resolve` finds a candidate and
a reviewer accepts it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gdp_rdf.errors import ResourceError
from gdp_rdf.graph.terms import Triples
from gdp_rdf.reader.codelists import CodeLists
from gdp_rdf.reader.countries import Country, country_from_url, find_country, load_countries
from gdp_rdf.resources import links_path
from gdp_rdf.vocab import OWL, SKOS, WD, Iris, prefixes


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A row of data/links/treaties.csv: an instrument, body or class and its QID."""

    code: str
    label: str
    qid: str | None
    kind: str
    confidence: str


@dataclass(frozen=True, slots=True)
class TermMapping:
    """An ontology or code-list term mapped to a Wikidata item or property."""

    term: str  # compact IRI, e.g. "gdp:iso3"
    wikidata: str  # QID or PID
    relation: str  # closeMatch or exactMatch


def links_folder(folder: Path | None = None) -> Path:
    """The link tables' folder: the one given, else data/links of the checkout or package."""
    return folder if folder is not None else links_path("countries.csv").parent


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ResourceError(f"cannot read link table: {error}", str(path)) from error


def treaty_links(folder: Path | None = None) -> dict[str, LinkRow]:
    """data/links/treaties.csv by code."""
    rows = _rows(links_folder(folder) / "treaties.csv")
    return {
        r["code"]: LinkRow(r["code"], r["label"], r["qid"] or None, r["kind"], r["confidence"])
        for r in rows
    }


@cache
def term_mappings() -> tuple[TermMapping, ...]:
    """data/links/term-mappings.csv."""
    return tuple(
        TermMapping(r["term"], r["wikidata"], r["relation"])
        for r in _rows(links_path("term-mappings.csv"))
    )


def link_lines(iris: Iris, codes: CodeLists) -> list[str]:
    """The shared block's links: instruments and treaty bodies to their verified items
    (skos:exactMatch: a code-list concept and a Wikidata item are not the same kind of
    thing), and ontology terms to Wikidata classes and properties (skos:closeMatch)."""
    t, table = Triples(), treaty_links()
    for instrument in codes.instruments:
        row = table.get(instrument.link or "")
        if row and row.qid:
            t.link(iris.treaty(instrument.code), SKOS + "exactMatch", WD + row.qid)
    for body in codes.bodies:
        row = table.get(body.link or "")
        if row and row.qid:
            t.link(iris.body(body.code), SKOS + "exactMatch", WD + row.qid)
    known = prefixes(iris.base)
    for mapping in term_mappings():
        prefix, _, local = mapping.term.partition(":")
        t.link(known[prefix] + local, SKOS + mapping.relation, WD + mapping.wikidata)
    return t.lines


def country_link_lines(iris: Iris, country: Country) -> list[str]:
    """owl:sameAs from a country to its verified item (and closeMatch to a narrower one)."""
    t = Triples()
    if country.qid:
        t.link(iris.country(country.iso3), OWL + "sameAs", WD + country.qid)
    if country.alt_qid:
        t.link(iris.country(country.iso3), SKOS + "closeMatch", WD + country.alt_qid)
    return t.lines


@dataclass(frozen=True)
class Coverage:
    """How many things of one kind are linked, and which are not."""

    kind: str
    linked: tuple[tuple[str, str, str], ...]  # (code, name, QID)
    unlinked: tuple[tuple[str, str, str], ...]  # (code, name, why)


def _profile_countries(profiles: Path) -> list[Country]:
    from gdp_rdf.reader.page import read_profile

    found: dict[str, Country] = {}
    for path in sorted(profiles.glob("*.txt")):
        profile = read_profile(path)
        country = (find_country(profile.country) if profile.country else None) or (
            country_from_url(profile.source_url) if profile.source_url else None
        )
        if country is not None:
            found[country.iso3] = country
    return [found[k] for k in sorted(found)]


def link_status(codes: CodeLists, profiles: Path, folder: Path | None = None) -> list[Coverage]:
    """Coverage of countries (those with a profile), instruments and treaty bodies."""
    table = treaty_links(folder)
    countries = {c.iso3: c for c in _countries(folder)}
    country_rows = [countries.get(c.iso3, c) for c in _profile_countries(profiles)]
    out = [
        Coverage(
            "countries",
            tuple((c.iso3, c.name, c.qid) for c in country_rows if c.qid),
            tuple((c.iso3, c.name, "no verified QID") for c in country_rows if not c.qid),
        )
    ]
    for kind, things in (
        ("treaties", [(i.code, i.name, i.link) for i in codes.instruments]),
        ("treaty bodies", [(b.code, b.name, b.link) for b in codes.bodies]),
    ):
        linked, unlinked = [], []
        for code, name, link in things:
            row = table.get(link or "")
            if row and row.qid:
                linked.append((code, name, row.qid))
            else:
                why = "no verified QID" if row else "no row in the link table"
                unlinked.append((code, name, why))
        out.append(Coverage(kind, tuple(linked), tuple(unlinked)))
    return out


def _countries(folder: Path | None) -> tuple[Country, ...]:
    if folder is None:
        return load_countries()
    return tuple(
        Country(
            r["iso2"],
            r["iso3"],
            r["name"],
            r["name_alt"] or None,
            r["qid"] or None,
            r["alt_qid"] or None,
            int(r["un_member_since"]) if r["un_member_since"] else None,
            r["status"],
            r["confidence"],
        )
        for r in _rows(folder / "countries.csv")
    )
