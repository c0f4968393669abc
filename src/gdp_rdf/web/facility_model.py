"""What the pages show of a detention facility (issue 17), read from the store through a Site:
its names and place, its organisations, every value printed on its page with its lines, its
capacity and population observations and the country block printed on the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gdp_rdf.vocab import FACILITY_SERIES
from gdp_rdf.web.read_model import Site

FIELD_PATH = "code/facility-field/"


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _lines(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(n) for n in text.split() if n.isdigit()}))


@dataclass(frozen=True)
class Printed:
    """One value as the page printed it: a FacilityStatement, or a value of the country block."""

    iri: str
    field: str  # the facility-field code ("management.type"), or the indicator's IRI
    label: str  # the page's label
    section: str  # the page's section heading ('' for the header and the statistics box)
    shown: str  # the value as printed, or the missing status as printed ("No Data")
    missing: bool
    number: Decimal | None
    period: str
    line: int
    lines: tuple[int, ...]
    coded: str = ""  # the code the value was read as (a status, a detainee group...)
    coded_label: str = ""
    status: str = ""  # the label of its missing status

    @property
    def base_field(self) -> str:
        return self.field.partition(".")[0]


@dataclass(frozen=True)
class Organisation:
    iri: str
    name: str
    role: str  # "Custodial authority" or "Management"
    types: tuple[tuple[str, str], ...]  # (label, IRI): governmental / private, ministry type


@dataclass(frozen=True)
class Figure:
    """A capacity or population observation of the facility data set."""

    iri: str
    field: str
    label: str
    period: int | None
    number: Decimal
    line: int
    lines: tuple[int, ...]


@dataclass
class FacilityView:
    iri: str
    name: str
    alternative_names: list[str]
    country: str
    country_name: str
    country_profile: bool  # the build has the country's profile (else a page of facilities)
    city: str
    region: str
    latitude: str
    longitude: str
    facility_id: str
    document: str
    file_name: str
    page_url: str
    detains: list[tuple[str, str]]  # (label, code IRI)
    organisations: list[Organisation] = field(default_factory=list)
    printed: list[Printed] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    snapshot_name: str = ""
    snapshot_line: int = 0
    snapshot: list[Printed] = field(default_factory=list)

    def fields(self, *codes: str) -> list[Printed]:
        return [p for p in self.printed if p.base_field in codes]


@dataclass(frozen=True)
class FacilityRow:
    """A facility in its country's list."""

    iri: str
    name: str
    status: Printed | None
    type: str
    capacity: Figure | Printed | None
    population: Figure | Printed | None
    detains: list[tuple[str, str]]
    file_name: str
    line: int  # the first line read from its page


_STATEMENTS = """SELECT ?facility ?s ?field ?label ?section ?text ?number ?answer ?status ?raw ?period
       ?line ?coded (GROUP_CONCAT(?other; separator=" ") AS ?lines) WHERE {
  ?s gdp:facility ?facility ; gdp:facilityField ?field ; gdp:valueLine ?line .
  OPTIONAL { ?s gdp:sourceLine ?other }
  OPTIONAL { ?s gdp:printedLabel ?label } OPTIONAL { ?s gdp:printedSection ?section }
  OPTIONAL { ?s gdp:textValue ?text } OPTIONAL { ?s gdp:numericValue ?number }
  OPTIONAL { ?s gdp:answer ?answer } OPTIONAL { ?s gdp:missingStatus ?status }
  OPTIONAL { ?s gdp:rawValue ?raw } OPTIONAL { ?s gdp:period ?period }
  OPTIONAL { ?s gdp:codedValue ?coded }
} GROUP BY ?facility ?s ?field ?label ?section ?text ?number ?answer ?status ?raw ?period ?line ?coded"""

_SNAPSHOT = """SELECT ?doc ?v ?indicator ?label ?number ?text ?answer ?status ?raw ?period ?line
       (GROUP_CONCAT(?other; separator=" ") AS ?lines) WHERE {
  ?doc gdp:snapshot ?snapshot . ?v gdp:snapshot ?snapshot ; gdp:indicator ?indicator ;
     gdp:valueLine ?line .
  OPTIONAL { ?v gdp:sourceLine ?other }
  OPTIONAL { ?v gdp:printedLabel ?label } OPTIONAL { ?v gdp:numericValue ?number }
  OPTIONAL { ?v gdp:textValue ?text } OPTIONAL { ?v gdp:answer ?answer }
  OPTIONAL { ?v gdp:missingStatus ?status } OPTIONAL { ?v gdp:rawValue ?raw }
  OPTIONAL { ?v gdp:period ?period }
} GROUP BY ?doc ?v ?indicator ?label ?number ?text ?answer ?status ?raw ?period ?line"""

_FIGURES = """SELECT ?facility ?o ?field ?period ?number ?line
       (GROUP_CONCAT(?other; separator=" ") AS ?lines) WHERE {
  ?o gdp:refFacility ?facility ; gdp:facilityField ?field ; gdp:numericValue ?number ;
     gdp:valueLine ?line .
  OPTIONAL { ?o gdp:refPeriod/gdp:year ?period }
  OPTIONAL { ?o gdp:sourceLine ?other }
} GROUP BY ?facility ?o ?field ?period ?number ?line"""

_ORGANISATIONS = """SELECT ?facility ?org ?role ?type WHERE {
  VALUES ?role { gdp:custodialAuthority gdp:management }
  ?facility ?role ?org . OPTIONAL { ?org gdp:organisationType ?type }
} ORDER BY ?role ?org ?type"""

_ROLES = {"custodialAuthority": "Custodial authority", "management": "Management"}


def _printed(site: Site, r: dict[str, str], field_code: str) -> Printed:
    number = _decimal(r["number"])
    missing = bool(r["status"]) and not (r["text"] or r["number"] or r["answer"])
    if missing:
        shown = r["raw"] or site.label(r["status"])
    elif r["answer"]:
        shown = r["raw"] or site.label(r["answer"])
    else:
        shown = r["text"] or r["raw"] or r["number"]
    return Printed(
        r.get("s") or r["v"],
        field_code,
        r["label"],
        r.get("section", ""),
        shown,
        missing,
        number,
        r["period"],
        int(r["line"]),
        _lines(r["lines"] + " " + r["line"]),
        r.get("coded", ""),
        site.label(r["coded"]) if r.get("coded") else "",
        site.label(r["status"]) if r["status"] else "",
    )


def _field_code(site: Site, iri: str) -> str:
    return iri.removeprefix(site.base + FIELD_PATH)


def facility(site: Site, iri: str) -> FacilityView:
    """Everything a facility page shows of one facility."""
    gdp = site.base + "def/"
    first = site.first
    country = first(iri, gdp + "country")
    document = first(iri, gdp + "facilityPage")
    view = FacilityView(
        iri,
        site.label(iri),
        sorted(site.values(iri, "http://schema.org/alternateName")),
        country,
        site.label(country) if country else "",
        bool(country) and bool(site.first(country, gdp + "profile")),
        first(iri, gdp + "city"),
        first(iri, gdp + "region"),
        first(iri, gdp + "latitude"),
        first(iri, gdp + "longitude"),
        first(iri, gdp + "facilityId"),
        document,
        first(document, gdp + "fileName") if document else "",
        first(document, "http://schema.org/url") if document else "",
        sorted((site.label(c), c) for c in site.values(iri, gdp + "detains")),
    )
    view.printed = sorted(
        (
            _printed(site, r, _field_code(site, r["field"]))
            for r in site.select(_STATEMENTS, facility=iri)
        ),
        key=lambda p: (p.line, p.field, p.iri),
    )
    if not view.country_profile:  # no profile of the country: its name as the page prints it
        printed = next((p.shown for p in view.printed if p.field == "location-country"), "")
        view.country_name = printed or view.country.rsplit("/", 1)[-1]
    view.figures = _figures(site, iri)
    view.organisations = _organisations(site, iri)
    snapshot = first(document, gdp + "snapshot") if document else ""
    if snapshot:
        view.snapshot_name = first(snapshot, gdp + "printedName")
        line = first(snapshot, gdp + "sourceLine")
        view.snapshot_line = int(line) if line.isdigit() else 0
        view.snapshot = sorted(
            (_printed(site, r, r["indicator"]) for r in site.select(_SNAPSHOT, doc=document)),
            key=lambda p: (p.line, p.field),
        )
    return view


def _figures(site: Site, iri: str) -> list[Figure]:
    out = []
    for r in site.select(_FIGURES, facility=iri):
        number = _decimal(r["number"])
        if number is None:
            continue
        code = _field_code(site, r["field"])
        out.append(
            Figure(
                r["o"],
                code,
                site.label(r["field"]),
                int(r["period"]) if r["period"].isdigit() else None,
                number,
                int(r["line"]),
                _lines(r["lines"] + " " + r["line"]),
            )
        )
    order = {code: n for n, code in enumerate(FACILITY_SERIES)}
    return sorted(out, key=lambda f: (order.get(f.field, 99), f.period is None, f.period or 0))


def _organisations(site: Site, iri: str) -> list[Organisation]:
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in site.select(_ORGANISATIONS, facility=iri):
        role = _ROLES.get(r["role"].rsplit("/", 1)[-1], r["role"])
        types = found.setdefault((role, r["org"]), [])
        if r["type"]:
            types.append((site.label(r["type"]), r["type"]))
    return [
        Organisation(org, site.label(org), role, tuple(types))
        for (role, org), types in found.items()
    ]


def latest(figures: list[Figure], *fields: str) -> Figure | None:
    """The figure of the latest year among the given fields (an undated one only if no other)."""
    chosen = [f for f in figures if f.field in fields]
    if not chosen:
        return None
    return max(chosen, key=lambda f: (f.period is not None, f.period or 0, f.line))


def _latest_status(view: FacilityView) -> Printed | None:
    statuses = [p for p in view.fields("facility-status") if p.field == "facility-status"]
    if not statuses:
        return None
    return max(statuses, key=lambda p: (p.period or "", -p.line))


def _missing(view: FacilityView, *fields: str) -> Printed | None:
    return next((p for p in view.printed if p.field in fields and p.missing), None)


POPULATION = ("reported-population", "reported-population-single-day")


def row(view: FacilityView) -> FacilityRow:
    """A facility as its country's list shows it."""
    kinds = [p for p in view.printed if p.field == "facility-type"]
    categories = [p for p in view.printed if p.field == "facility-type.category"]
    kind = kinds[0].shown if kinds else ""
    if categories:
        kind = f"{kind} ({categories[0].shown})" if kind else categories[0].shown
    return FacilityRow(
        view.iri,
        view.name,
        _latest_status(view),
        kind,
        latest(view.figures, "capacity") or _missing(view, "capacity"),
        latest(view.figures, *POPULATION) or _missing(view, *POPULATION),
        view.detains,
        view.file_name,
        view.printed[0].line if view.printed else 0,
    )


def country_facilities(site: Site, country: str) -> list[FacilityRow]:
    """The facilities of one country, by name."""
    found = site.select(
        "SELECT ?country ?f WHERE { ?f a gdp:DetentionFacility ; gdp:country ?country }",
        country=country,
    )
    rows = [row(facility(site, r["f"])) for r in found]
    return sorted(rows, key=lambda r: (r.name.casefold(), r.iri))
