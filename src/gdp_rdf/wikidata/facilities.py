"""Candidate Wikidata items for detention facilities: `gdp-rdf link resolve --facilities`.

Proposals only: the review table is returned to the caller (the CLI prints it); nothing here
writes a file, and no facility is linked to Wikidata without a verified QID (data/links/ has
no facility table yet, so none is).

Two questions per facility, both plain SPARQL 1.1 so that Wikidata's query service and any
mirror (the tests' Oxigraph) answer them alike:
- by place: items of the facility's country (P17) whose coordinates (P625) fall in a
  latitude / longitude box around the page's point, with their labels and aliases; the
  great-circle distance is then computed here (haversine) and items beyond the radius are
  dropped. Wikidata's service could do this itself (`wikibase:around`, `geof:distance`), but
  both are its own extensions, which Oxigraph and other mirrors do not answer; the box keeps
  the answer to the few items near the facility instead of every point of the country.
- by name: items labelled or aliased exactly like one of the facility's names (in the
  languages of NAME_LANGUAGES), with their country and coordinates if any, so an item without
  P625 can still be proposed, by name only.
Names are compared here without case, diacritics or punctuation ("Estación" = "Estacion").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.reader.countries import Country, load_countries
from gdp_rdf.reader.facility_model import FacilityProfile
from gdp_rdf.reader.pages import read_page
from gdp_rdf.sparql.catalogue import Query
from gdp_rdf.sparql.remote import DEFAULT_CLIENT, Client, run_remote
from gdp_rdf.vocab import Iris, facility_iri
from gdp_rdf.wikidata.geo import bounding_box, great_circle_km, point_of
from gdp_rdf.wikidata.names import FacilityName, facility_names, name_key
from gdp_rdf.wikidata.resolve import WD_PREFIXES, Progress, qid_of

DEFAULT_RADIUS_KM = 5.0  # GDP prints a facility's own point; Wikidata often has the building
MAX_RADIUS_KM = 100.0  # past this the box holds a region's items, not a facility's neighbours
NAME_LANGUAGES = ("en", "mul", "de", "fr", "es", "it", "tr", "hr", "fi", "ar", "el", "nl")
FACILITY_COLUMNS = (
    "facility",
    "key",
    "name",
    "qid",
    "wikidata_label",
    "matched_name",
    "country_match",
    "distance_km",
    "reason",
    "source",
)


@dataclass(frozen=True, slots=True)
class FacilityCandidate:
    """A Wikidata item that may be a facility, with why it was proposed."""

    facility: str  # the facility's IRI
    key: str  # <ISO3>/<page number or name key>
    name: str  # the facility's name as printed
    qid: str
    wikidata_label: str  # the item's English label, else the name that matched
    matched_name: str  # the item's label or alias that matched, as Wikidata has it
    country_match: str  # "yes" (P17 is the country) or "no P17" (the item states none)
    distance_km: float | None  # None: the item or the page has no coordinates
    reason: str
    source: str  # file:line of the printed name that matched

    def row(self) -> dict[str, object]:
        """The candidate as a row of FACILITY_COLUMNS (distance rounded to 10 m)."""
        distance = None if self.distance_km is None else round(self.distance_km, 2)
        return {
            "facility": self.facility,
            "key": self.key,
            "name": self.name,
            "qid": self.qid,
            "wikidata_label": self.wikidata_label,
            "matched_name": self.matched_name,
            "country_match": self.country_match,
            "distance_km": distance,
            "reason": self.reason,
            "source": self.source,
        }


def read_facilities(folder: Path) -> list[FacilityProfile]:
    """The facility pages of a folder (country profiles in it are left out), by file name.

    Raises:
        ParseError: a page cannot be read.
    """
    pages = (read_page(path) for path in sorted(folder.glob("*.txt")))
    return [page for page in pages if isinstance(page, FacilityProfile)]


def facility_ref(profile: FacilityProfile, iris: Iris) -> tuple[str, str]:
    """The facility's IRI and its key ("HRV/1949": country and page number), as the graph mints."""
    iri = facility_iri(iris, profile.country_iso3 or "", profile.facility_id, profile.name)
    return iri, iri[len(f"{iris.base}id/facility/") :]


def _number(value: float) -> str:
    return f"{value:.6f}"


def _countries(country: Country) -> str:
    return " ".join(f"wd:{q}" for q in (country.qid, country.alt_qid) if q)


def nearby_query(country: Country, lat: float, lon: float, radius_km: float) -> str:
    """Items of the country with a point in the box around (lat, lon), with their names."""
    south, west, north, east = bounding_box(lat, lon, radius_km)
    joiner = "&&" if west <= east else "||"
    return (
        WD_PREFIXES
        + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        + f"""SELECT ?item ?country ?coord ?name ?matched ?label WHERE {{
  VALUES ?country {{ {_countries(country)} }}
  ?item wdt:P17 ?country ; wdt:P625 ?coord .
  BIND(STRAFTER(STR(?coord), "(") AS ?xy)
  BIND(xsd:double(STRBEFORE(?xy, " ")) AS ?lon)
  BIND(xsd:double(STRBEFORE(STRAFTER(?xy, " "), ")")) AS ?lat)
  FILTER(?lat >= {_number(south)} && ?lat <= {_number(north)})
  FILTER(?lon >= {_number(west)} {joiner} ?lon <= {_number(east)})
  {{ ?item rdfs:label ?name BIND("label" AS ?matched) }}
  UNION {{ ?item skos:altLabel ?name BIND("alias" AS ?matched) }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
}}"""
    )


def name_query(names: Sequence[FacilityName]) -> str:
    """Items labelled or aliased like one of the names, with their countries and points."""
    values = " ".join(
        str(ox.Literal(n.text, language=lang)) for n in names for lang in NAME_LANGUAGES
    )
    return (
        WD_PREFIXES
        + f"""SELECT ?item ?name ?matched ?country ?coord ?label WHERE {{
  VALUES ?name {{ {values} }}
  {{ ?item rdfs:label ?name BIND("label" AS ?matched) }}
  UNION {{ ?item skos:altLabel ?name BIND("alias" AS ?matched) }}
  OPTIONAL {{ ?item wdt:P17 ?country }}
  OPTIONAL {{ ?item wdt:P625 ?coord }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
}}"""
    )


@dataclass(slots=True)
class _Item:
    """What the answers say about one item."""

    names: set[tuple[str, str]]  # (text, "label" / "alias")
    countries: set[str]
    points: set[tuple[float, float]]
    label: str = ""


def _value(row: Mapping[str, object], name: str) -> str:
    return str(getattr(row.get(name), "value", ""))


def _collect(rows: Sequence[Mapping[str, object]], items: dict[str, _Item]) -> None:
    for row in rows:
        qid = qid_of(row.get("item"))
        if not qid:
            continue
        item = items.setdefault(qid, _Item(set(), set(), set()))
        if name := _value(row, "name"):
            item.names.add((name, _value(row, "matched") or "label"))
        if country := qid_of(row.get("country")):
            item.countries.add(country)
        if (point := point_of(_value(row, "coord"))) is not None:
            item.points.add(point)
        if not item.label and (label := _value(row, "label")):
            item.label = label


def _propose(
    profile: FacilityProfile,
    ref: tuple[str, str],
    country: Country,
    names: Sequence[FacilityName],
    items: Mapping[str, _Item],
    radius_km: float,
) -> list[FacilityCandidate]:
    wanted = {q for q in (country.qid, country.alt_qid) if q}
    by_key = {name_key(n.text): (i, n) for i, n in enumerate(names)}
    here = (
        (float(profile.latitude), float(profile.longitude))
        if profile.latitude is not None and profile.longitude is not None
        else None
    )
    iri, key = ref
    found: list[FacilityCandidate] = []
    for qid, item in sorted(items.items()):
        matches = sorted(
            (*by_key[name_key(text)], text, how)
            for text, how in item.names
            if name_key(text) in by_key
        )
        if not matches:
            continue
        if item.countries & wanted:
            country_match = "yes"
        elif item.countries:
            continue  # an item of another country
        else:
            country_match = "no P17"
        _, ours, text, how = matches[0]
        same = " ".join(text.split()) == ours.text
        reason = f"{how} {'=' if same else '~'} {ours.kind}"  # ~: equal but for case, accents
        distance: float | None = None
        if here is None:
            reason += "; page has no coordinates: name only"
        elif not item.points:
            reason += "; item has no P625: name only"
        else:
            distance = min(great_circle_km(*here, *point) for point in item.points)
            if distance > radius_km:
                continue
            reason += f"; within {radius_km:g} km"
        found.append(
            FacilityCandidate(
                iri,
                key,
                profile.name or ours.text,
                qid,
                item.label or text,
                text,
                country_match,
                distance,
                reason,
                ours.source,
            )
        )
    return sorted(
        found, key=lambda c: (math.inf if c.distance_km is None else c.distance_km, c.qid)
    )


@dataclass(frozen=True, slots=True)
class FacilityResolution:
    """Candidates for review, and the facilities that could not be asked about."""

    candidates: tuple[FacilityCandidate, ...]
    skipped: tuple[str, ...]  # "<key>: why"


def find_facility_candidates(
    endpoint: str,
    facilities: Sequence[FacilityProfile],
    radius_km: float = DEFAULT_RADIUS_KM,
    folder: Path | None = None,
    client: Client = DEFAULT_CLIENT,
    progress: Progress | None = None,
    iris: Iris | None = None,
) -> FacilityResolution:
    """Ask the endpoint for items that may be each facility: one or two requests per facility
    (by place when the page prints coordinates, and by name); ``progress(done, total)`` after
    each request. The country QID comes from the verified country table in ``folder``.

    Raises:
        ValueError: ``radius_km`` is not a number in (0, MAX_RADIUS_KM].
        EndpointError: the endpoint cannot be reached or fails.
        QueryError: the endpoint rejects a query.
    """
    if not (0 < radius_km <= MAX_RADIUS_KM):
        raise ValueError(f"radius must be in (0, {MAX_RADIUS_KM:g}] km, not {radius_km}")
    iris = iris or Iris()
    countries = {c.iso3: c for c in load_countries(folder)}
    plans: list[tuple[FacilityProfile, tuple[str, str], Country, list[FacilityName], list[str]]]
    plans = []
    skipped: list[str] = []
    for profile in facilities:
        ref = facility_ref(profile, iris)
        key = ref[1]
        country = countries.get(profile.country_iso3 or "")
        names = facility_names(profile)
        if country is None or not country.qid:
            skipped.append(f"{key}: the country has no verified QID in countries.csv")
            continue
        if not names:
            skipped.append(f"{key}: the page prints no name")
            continue
        queries = [name_query(names)]
        if profile.latitude is not None and profile.longitude is not None:
            lat, lon = float(profile.latitude), float(profile.longitude)
            queries.insert(0, nearby_query(country, lat, lon, radius_km))
        plans.append((profile, ref, country, names, queries))
    total, done = sum(len(plan[4]) for plan in plans), 0
    found: list[FacilityCandidate] = []
    for profile, ref, country, names, queries in plans:
        items: dict[str, _Item] = {}
        for text in queries:
            rows = run_remote(endpoint, Query("link resolve", text), {}, client=client).rows
            _collect(rows, items)
            done += 1
            if progress:
                progress(done, total)
        found += _propose(profile, ref, country, names, items, radius_km)
    return FacilityResolution(tuple(found), tuple(skipped))
