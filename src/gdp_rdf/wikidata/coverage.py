"""How much of the graph the verified link tables cover: `gdp-rdf link status`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gdp_rdf.reader.codelists import CodeLists
from gdp_rdf.reader.countries import Country, country_from_url, find_country, load_countries
from gdp_rdf.reader.links import treaty_links
from gdp_rdf.reader.page import read_profile
from gdp_rdf.vocab import Iris


@dataclass(frozen=True)
class Coverage:
    """How many things of one kind are linked, and which are not."""

    kind: str
    linked: tuple[tuple[str, str, str], ...]  # (code, name, QID)
    unlinked: tuple[tuple[str, str, str], ...]  # (code, name, why)


def _profile_countries(profiles: Path) -> list[Country]:
    found: dict[str, Country] = {}
    for path in sorted(profiles.glob("*.txt")):
        profile = read_profile(path)
        country = (find_country(profile.country) if profile.country else None) or (
            country_from_url(profile.source_url) if profile.source_url else None
        )
        if country is not None:
            found[country.iso3] = country
    return [found[k] for k in sorted(found)]


def _facility_coverage(pages: Path) -> Coverage:
    """No facility QID is verified (data/links/ has no facility table): every facility of the
    pages is unlinked; `link resolve --facilities` proposes candidates for review."""
    from gdp_rdf.wikidata.facilities import facility_ref, read_facilities

    unlinked = []
    for page in read_facilities(pages):
        _, key = facility_ref(page, Iris())
        unlinked.append((key, page.name or "", "no verified QID"))
    return Coverage("facilities", (), tuple(unlinked))


def link_status(
    codes: CodeLists,
    profiles: Path,
    folder: Path | None = None,
    facility_pages: Path | None = None,
) -> list[Coverage]:
    """Coverage of countries (those with a profile), instruments, treaty bodies and, given
    their folder, detention facilities.

    Raises:
        ParseError: a facility page cannot be read.
    """
    table = treaty_links(folder)
    countries = {c.iso3: c for c in load_countries(folder)}
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
    if facility_pages is not None:
        out.append(_facility_coverage(facility_pages))
    return out
