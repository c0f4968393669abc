"""The verified ISO 3166 / Wikidata country table (data/links/countries.csv) and GDP's spellings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gdp_rdf.errors import ResourceError
from gdp_rdf.resources import links_path, read_table


@dataclass(frozen=True, slots=True)
class Country:
    """One row of the verified country table."""

    iso2: str
    iso3: str
    name: str
    name_alt: str | None
    qid: str | None  # verified Wikidata QID; None until resolved and reviewed
    alt_qid: str | None
    un_member_since: int | None
    status: str
    confidence: str


def country_key(name: str) -> str:
    """Matching key for country names: no accents, case, punctuation; "St." is "Saint"."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"\bst\.?\s", "saint ", folded.replace("&", " and "))
    return re.sub(r"[^a-z0-9]", "", folded)


@cache
def load_countries(folder: Path | None = None) -> tuple[Country, ...]:
    """All rows of countries.csv in ``folder`` (default: data/links/).

    Raises:
        ResourceError: the table is missing or malformed.
    """
    table = folder / "countries.csv" if folder is not None else links_path("countries.csv")
    try:
        return tuple(
            Country(
                iso2=row["iso2"],
                iso3=row["iso3"],
                name=row["name"],
                name_alt=row["name_alt"] or None,
                qid=row["qid"] or None,
                alt_qid=row["alt_qid"] or None,
                un_member_since=int(row["un_member_since"]) if row["un_member_since"] else None,
                status=row["status"],
                confidence=row["confidence"],
            )
            for row in read_table(table)
        )
    except (KeyError, ValueError) as error:
        raise ResourceError(f"malformed country table: {error}", str(table)) from error


@cache
def _by_key() -> dict[str, Country]:
    by_iso3 = {country.iso3: country for country in load_countries()}
    keys: dict[str, Country] = {}
    for country in load_countries():
        for name in (country.name, country.name_alt):
            if name:
                keys.setdefault(country_key(name), country)
    # GDP prints some names its own way ("Hong Kong (China)", "Micronesia"): a reviewed table.
    for row in read_table(links_path("country-aliases.csv")):
        aliased = by_iso3.get(row["iso3"])
        if aliased is None:
            raise ResourceError(
                f"alias {row['alias']!r} names unknown ISO3 {row['iso3']!r}",
                "data/links/country-aliases.csv",
            )
        keys[country_key(row["alias"])] = aliased
    return keys


def find_country(name: str) -> Country | None:
    """The country a printed name (or URL slug) stands for, or None."""
    return _by_key().get(country_key(name))


def country_from_url(url: str) -> Country | None:
    """The country of a GDP profile URL (…/countries/<region>/<slug>)."""
    match = re.search(r"/countries/[^/]+/([^/?#]+)", url)
    return find_country(match.group(1)) if match else None
