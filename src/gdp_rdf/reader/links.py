"""The verified Wikidata link tables in data/links/ (treaties, bodies, ontology terms).

Only QIDs read from a verified table are ever linked. A row without a QID stays unlinked
(and is listed by `gdp-rdf link status`) until `gdp-rdf link resolve` finds a candidate and
a reviewer accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gdp_rdf.resources import links_path, read_table


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


def treaty_links(folder: Path | None = None) -> dict[str, LinkRow]:
    """data/links/treaties.csv by code."""
    rows = read_table(links_folder(folder) / "treaties.csv")
    return {
        r["code"]: LinkRow(r["code"], r["label"], r["qid"] or None, r["kind"], r["confidence"])
        for r in rows
    }


@cache
def term_mappings() -> tuple[TermMapping, ...]:
    """data/links/term-mappings.csv."""
    return tuple(
        TermMapping(r["term"], r["wikidata"], r["relation"])
        for r in read_table(links_path("term-mappings.csv"))
    )
