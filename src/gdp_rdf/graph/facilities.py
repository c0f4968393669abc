"""Facility pages -> graph (pure): each detention facility becomes resources of its country's block.

A facility is a gdp:DetentionFacility with its names, place, country, a GeoSPARQL point and
plain decimal latitude / longitude. Every value the page prints is a gdp:FacilityStatement
(field, value or status, year, page lines), so nothing is dropped and oddities stay as printed
(a capacity after closure, a list printed three times). The status history, detainee groups,
custodial authority and management are also stated on the facility itself; capacity and
population are observations of a data set of their own whose area dimension is the facility.
The country block of the page is a gdp:CountrySnapshot sourced from the facility page: never a
qb:Observation, never a value of the country.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from gdp_rdf.errors import MappingError
from gdp_rdf.graph.mapping import (
    ProfileBlock,
    Unreviewed,
    country_lines,
    page_file_lines,
    provenance,
)
from gdp_rdf.graph.terms import Triples, canonical, integer, text, typed, year
from gdp_rdf.reader.codelists import CodeLists
from gdp_rdf.reader.countries import Country, load_countries
from gdp_rdf.reader.facility_codes import load_facility_codes
from gdp_rdf.reader.facility_model import FacilityProfile
from gdp_rdf.reader.facts import Answer, Fact, Status
from gdp_rdf.vocab import (
    DCTERMS,
    FACILITY_CUBE,
    FACILITY_SERIES,
    GEO,
    PROV,
    QB,
    RDFS,
    SCHEMA,
    SKOS,
    Iris,
    facility_iri,
    facility_observation_iri,
    facility_page_iri,
    facility_statement_iri,
    organisation_iri,
)

FIELD_SCHEME = "facility-field"
_ORGANISATION_FIELDS = {"custodial-authority": "custodialAuthority", "management": "management"}
_TYPE_SCHEMES = ("organisation-type/", "ministry-type/")
ConceptWriter = Callable[..., str]  # graph.shared's concept writer


def facility_country(profile: FacilityProfile) -> Country:
    """The country a facility page is about ("Country:" or its page URL).

    Raises:
        MappingError: the page names no known country.
    """
    found = next((c for c in load_countries() if c.iso3 == profile.country_iso3), None)
    if found is None:
        raise MappingError(
            f"cannot tell which country this facility page is about (country "
            f"{profile.country!r}, source URL {profile.source_url or 'missing'}); add the name "
            "to data/links/country-aliases.csv",
            profile.source,
        )
    return found


def _decimal(value: Decimal) -> str:
    return format(value, "f")


class _FacilityMapper:
    def __init__(self, profile: FacilityProfile, country: Country, iris: Iris, codes: CodeLists):
        self.profile, self.iris, self.codes = profile, iris, codes
        self.iso3 = country.iso3
        self.g = iris.term
        self.t = Triples()
        self.node = facility_iri(iris, self.iso3, profile.facility_id, profile.name)
        self.doc = facility_page_iri(iris, self.iso3, profile.facility_id, profile.name)
        self.country = iris.country(self.iso3)
        self.country_record = country
        self.unreviewed: dict[tuple[str, str], Unreviewed] = {}

    def map(self) -> ProfileBlock:
        self._document()
        self._facility()
        positions: dict[tuple[int, str], int] = {}
        for fact in self.profile.facts:
            key = (fact.line, fact.indicator)
            positions[key] = positions.get(key, 0) + 1
            self._statement(fact, positions[key])
        self._organisations()
        self._observations()
        self._snapshot()
        return ProfileBlock(
            self.iso3,
            self.profile.source,
            canonical(self.t.lines),
            tuple(self.unreviewed.values()),
        )

    def _need(self, scheme: str, notation: str, label: str, reviewed: bool = True) -> None:
        self.unreviewed.setdefault(
            (scheme, notation), Unreviewed(scheme, notation, label, reviewed=reviewed)
        )

    def _country_description(self) -> None:
        """The country as its profile describes it (the same triples), so the country a
        facility page names resolves when no profile of it is built (issue 17)."""
        self.t.extend(country_lines(self.iris, self.country_record))

    def _document(self) -> None:
        t, g, doc, profile = self.t, self.g, self.doc, self.profile
        self._country_description()
        t.type(doc, g("FacilityPage"))
        t.link(doc, g("country"), self.country)
        t.add(doc, RDFS + "label", text(f"GDP detention-facility page: {profile.name or doc}"))
        page_file_lines(t, g, doc, profile)

    def _facility(self) -> None:
        t, g, node, profile = self.t, self.g, self.node, self.profile
        t.type(node, g("DetentionFacility"))
        t.link(node, g("country"), self.country)
        t.link(node, g("facilityPage"), self.doc)
        t.link(node, PROV + "wasDerivedFrom", self.doc)
        if profile.name:
            t.add(node, RDFS + "label", text(profile.name))
            t.add(node, SCHEMA + "name", text(profile.name))
        if profile.facility_id:
            t.add(node, g("facilityId"), text(profile.facility_id, None))
        for fact in profile.facts:
            if fact.indicator == "alternative-name" and isinstance(fact.value, str):
                t.add(node, SCHEMA + "alternateName", text(fact.value))
        if profile.city:
            t.add(node, g("city"), text(profile.city, None))
        if profile.region:
            t.add(node, g("region"), text(profile.region, None))
        if profile.latitude is not None and profile.longitude is not None:
            lat, lon = _decimal(profile.latitude), _decimal(profile.longitude)
            t.add(node, g("latitude"), typed(lat, "decimal"))
            t.add(node, g("longitude"), typed(lon, "decimal"))
            geometry = f"{node}/geometry"
            t.link(node, GEO + "hasGeometry", geometry)
            t.type(geometry, GEO + "Geometry")
            t.add(geometry, GEO + "asWKT", f'"POINT({lon} {lat})"^^<{GEO}wktLiteral>')
        for concept in profile.codes("detains"):
            t.link(node, g("detains"), self._concept(concept))

    def _concept(self, subject: str) -> str:
        scheme, _, code = subject.partition("/")
        return self.iris.code(scheme, code)

    def _field(self, code: str, label: str) -> str:
        self._need(FIELD_SCHEME, code, label)
        return self.iris.code(FIELD_SCHEME, code)

    def _statement(self, fact: Fact, position: int) -> None:
        t, g = self.t, self.g
        node = facility_statement_iri(self.node, fact.line, fact.indicator, position)
        t.type(node, g("FacilityStatement"))
        t.link(node, g("facility"), self.node)
        t.link(node, g("facilityField"), self._field(fact.indicator, fact.label))
        self._value(node, fact)
        if fact.subject:
            t.link(node, g("codedValue"), self._concept(fact.subject))
        if fact.period is not None:
            t.add(node, g("period"), year(fact.period))
        self._provenance(node, [fact])

    def _value(self, node: str, fact: Fact) -> None:
        t, g, value = self.t, self.g, fact.value
        status = self.iris.code("status", fact.status.value)
        if value is None:
            t.link(node, g("missingStatus"), status)  # "No Data", "Not Available": not 0
            return
        if fact.status is not Status.PRESENT:
            t.link(node, g("obsStatus"), status)
        if isinstance(value, Answer):
            t.link(node, g("answer"), self.iris.code("answer", value.value))
        elif isinstance(value, bool):  # pragma: no cover - facts never carry booleans
            raise TypeError("unexpected boolean value")
        elif isinstance(value, int):
            t.add(node, g("numericValue"), integer(value))
        elif isinstance(value, Decimal):
            t.add(node, g("numericValue"), typed(_decimal(value), "decimal"))
        else:
            t.add(node, g("textValue"), text(str(value)))

    def _provenance(self, node: str, facts: Sequence[Fact]) -> None:
        provenance(self.t, self.g, node, self.doc, facts)

    def _organisations(self) -> None:
        t, g = self.t, self.g
        for field, predicate in _ORGANISATION_FIELDS.items():
            for record in self.profile.field(field):
                main = record.value()
                if main is None or not isinstance(main.value, str):
                    continue  # "Not Available" stays a statement with its status
                org = organisation_iri(self.iris, self.iso3, main.value)
                t.link(self.node, g(predicate), org)
                t.type(org, g("Organisation"))
                t.add(org, RDFS + "label", text(main.value))
                t.add(org, SCHEMA + "name", text(main.value))
                t.link(org, g("country"), self.country)
                for fact in record.facts:
                    if fact.subject and fact.subject.startswith(_TYPE_SCHEMES):
                        t.link(org, g("organisationType"), self._concept(fact.subject))
                self._provenance(org, [main])

    def _period(self, period: int | None) -> str:
        notation = str(period) if period else "unknown"
        self._need("period", notation, notation if period else "Period not printed")
        return self.iris.period(period)

    def _observations(self) -> None:
        """Capacity and population over time; a value printed again for the same year adds its
        lines, a different one stays a statement only (both remain in the graph as printed)."""
        t, g = self.t, self.g
        groups: dict[tuple[str, int | None], list[Fact]] = {}
        for field in FACILITY_SERIES:
            for period, fact in self.profile.series(field):
                if isinstance(fact.value, int) and not isinstance(fact.value, bool):
                    groups.setdefault((field, period), []).append(fact)
        for (field, period), facts in groups.items():
            node = facility_observation_iri(self.node, field, period)
            t.type(node, QB + "Observation")
            t.link(node, QB + "dataSet", self.iris.dataset(FACILITY_CUBE))
            t.link(node, g("refFacility"), self.node)
            t.link(node, g("refPeriod"), self._period(period))
            t.link(node, g("facilityField"), self._field(field, facts[0].label))
            t.add(node, g("numericValue"), integer(int(str(facts[0].value))))
            self._provenance(node, [f for f in facts if f.value == facts[0].value])

    def _snapshot(self) -> None:
        snapshot = self.profile.snapshot
        if snapshot is None:
            return
        t, g = self.t, self.g
        node = f"{self.doc}/country-snapshot"
        t.link(self.doc, g("snapshot"), node)
        t.type(node, g("CountrySnapshot"))
        t.link(node, g("country"), self.country)
        t.link(node, PROV + "wasDerivedFrom", self.doc)
        t.add(node, g("printedName"), text(snapshot.country, None))
        t.add(node, g("sourceLine"), integer(snapshot.line))
        for fact in snapshot.facts:
            value = f"{node}/value/{fact.line}/{fact.indicator}"
            t.link(value, g("snapshot"), node)
            t.type(value, g("SnapshotValue"))
            if self.codes.indicator(fact.indicator) is None:
                self._need("indicator", fact.indicator, fact.label, reviewed=False)
            t.link(value, g("indicator"), self.iris.indicator(fact.indicator))
            self._value(value, fact)
            if fact.period is not None:
                t.add(value, g("period"), year(fact.period))
            self._provenance(value, [fact])


def map_facility(
    profile: FacilityProfile, iris: Iris, codes: CodeLists, country: Country | None = None
) -> ProfileBlock:
    """The triples of one facility page, as a block of its country.

    Raises:
        MappingError: the page's country is unknown.
    """
    return _FacilityMapper(profile, country or facility_country(profile), iris, codes).map()


def join_blocks(
    profiles: Iterable[ProfileBlock], facilities: Iterable[ProfileBlock]
) -> list[ProfileBlock]:
    """Each facility block joined to its country's block (or one block of its own per
    country), so every country dump stays standalone and sorted."""
    joined = list(profiles)
    index = {b.iso3: n for n, b in reversed(list(enumerate(joined)))}
    for block in sorted(facilities, key=lambda b: (b.iso3, b.source)):
        if block.iso3 not in index:
            index[block.iso3] = len(joined)
            joined.append(block)
            continue
        found = joined[index[block.iso3]]
        lines = (found.ntriples + block.ntriples).decode("utf-8").splitlines(keepends=True)
        joined[index[block.iso3]] = ProfileBlock(
            found.iso3, found.source, canonical(lines), found.unreviewed + block.unreviewed
        )
    return joined


def facility_shared_lines(
    iris: Iris, concept: ConceptWriter, unreviewed: Iterable[Unreviewed]
) -> list[str]:
    """The shared block's facility part: the facility code lists (data/codelists/facility-
    codes.csv), the field list and the structure of the facility data set."""
    wanted = list(unreviewed)
    t, g = Triples(), iris.term
    codes = load_facility_codes()
    schemes = {FIELD_SCHEME: "Facility-page fields"}
    schemes |= {scheme: f"Facility codes: {scheme}" for scheme, _, _ in codes.concepts}
    for name, title in schemes.items():
        node = iris.scheme(name)
        t.type(node, SKOS + "ConceptScheme")
        t.add(node, SKOS + "prefLabel", text(title))
        t.add(node, DCTERMS + "title", text(title))
    for scheme, code, label in codes.concepts:
        concept(scheme, code, label)
    known = {f.code for f in codes.fields}
    for field in codes.fields:
        concept(
            FIELD_SCHEME,
            field.code,
            field.labels[0] if field.labels else field.code,
            definition=field.definition,
            labels=field.labels[1:],
        )
    for u in sorted(wanted, key=lambda u: u.notation):
        if u.scheme == FIELD_SCHEME and u.notation not in known:
            parent, _, key = u.notation.partition(".")
            broader = iris.code(FIELD_SCHEME, parent) if parent in known else None
            concept(FIELD_SCHEME, u.notation, key or u.notation, broader=broader)
    dsd = iris.structure(FACILITY_CUBE)
    t.type(dsd, QB + "DataStructureDefinition")
    t.add(dsd, RDFS + "label", text("Structure of the data set: facility capacity and population"))
    components = [
        ("dimension", "refFacility"),
        ("dimension", "refPeriod"),
        ("dimension", "facilityField"),
        ("measure", "numericValue"),
    ]
    for order, (kind, name) in enumerate(components, start=1):
        spec = iris.component(FACILITY_CUBE, name)
        t.link(dsd, QB + "component", spec)
        t.type(spec, QB + "ComponentSpecification")
        t.link(spec, QB + kind, g(name))
        if kind == "dimension":
            t.add(spec, QB + "order", integer(order))
    node = iris.dataset(FACILITY_CUBE)
    label = "GDP detention facilities: capacity and reported population"
    t.type(node, QB + "DataSet")
    t.link(node, QB + "structure", dsd)
    t.add(node, RDFS + "label", text(label))
    t.add(node, DCTERMS + "title", text(label))
    t.link(node, DCTERMS + "isPartOf", iris.dataset("gdp"))
    return t.lines
