"""What the web pages show, read from the store (the data side of the HTML pages)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox

from gdp_rdf.graph.terms import IriCompactor
from gdp_rdf.reader.codelists import load_codelists, plain_label
from gdp_rdf.sparql.results import lexical
from gdp_rdf.vocab import (
    DCTERMS,
    GEO,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    VOID,
    prefixes,
)
from gdp_rdf.web.labels import external_label

LABELS = (SKOS + "prefLabel", RDFS + "label", SCHEMA + "name", DCTERMS + "title")
# What an unnamed record is about, and the year that dates it, in the order tried.
_YEARS = ("ratificationYear", "acceptanceYear", "recommendationYear", "yearAdopted", "period")
_SUBJECT_LINKS = ("indicator", "treaty", "procedure", "issuedBy", "legalTradition")
PREFIXES_SPARQL = """PREFIX gdp: <{base}def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@dataclass
class Value:
    """One value of a series, as the page shows it."""

    observation: str
    period: int | None
    number: Decimal | None
    shown: str  # the value, or the reason it is missing
    missing: bool
    line: int
    raw: str
    note: str | None = None


@dataclass
class Series:
    """One indicator's values for a country."""

    indicator: str
    label: str
    unit: str | None
    values: list[Value] = field(default_factory=list)

    @property
    def chartable(self) -> bool:
        dated = [v for v in self.values if v.period is not None]
        return len(dated) >= 2 and any(v.number is not None for v in dated)


@dataclass
class Section:
    code: str
    label: str
    series: list[Series] = field(default_factory=list)


@dataclass
class Record:
    """A ratification, acceptance, recommendation, law, institution or legal tradition."""

    iri: str
    title: str
    year: str
    observed: str
    line: int
    detail: str = ""
    link: str = ""  # a related resource (treaty, body, tradition)
    wikidata: str = ""


@dataclass
class CountryPage:
    iri: str
    iso3: str
    name: str
    printed_name: str
    wikidata: str
    page_url: str
    file_name: str
    last_updated: str
    overview: str
    sections: list[Section]
    records: dict[str, list[Record]]


class Site:
    """Read-only access to the graph for the pages."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store = store
        self.base = base
        self.prefix = PREFIXES_SPARQL.format(base=base)
        self._label = lru_cache(maxsize=1 << 16)(self._compute_label)
        self._short = IriCompactor(prefixes(self.base))

    def select(self, query: str, **iris: str) -> Iterator[dict[str, str]]:
        """Rows of a SELECT; each keyword binds ?name to an IRI by the store's own
        substitution (the variable must be projected), never by splicing text."""
        bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): ox.NamedNode(iri) for name, iri in iris.items()
        }
        result = self.store.query(self.prefix + query, substitutions=bound)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        for solution in result:
            yield {name: lexical(solution[name]) for name in names}

    def about(self, iri: str) -> list[ox.Triple]:
        return [q.triple for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None)]

    def country_block(self, iri: str, iso3: str) -> list[ox.Triple]:
        """Everything the build published for one country: the resources minted under its
        ISO3 key (id/<kind>/<ISO3>/...), found by walking links from the country both ways."""
        things = self.base + "id/"

        def own(node: object) -> bool:
            if not isinstance(node, ox.NamedNode) or not node.value.startswith(things):
                return False
            parts = node.value[len(things) :].split("/")
            return len(parts) > 1 and parts[1] == iso3

        seen = {ox.NamedNode(iri)}
        frontier = list(seen)
        triples: list[ox.Triple] = []
        while frontier:
            node = frontier.pop()
            for quad in self.store.quads_for_pattern(node, None, None):
                triples.append(quad.triple)
                if own(quad.object) and quad.object not in seen:
                    seen.add(quad.object)  # type: ignore[arg-type]
                    frontier.append(quad.object)  # type: ignore[arg-type]
            for quad in self.store.quads_for_pattern(None, None, node):
                if own(quad.subject) and quad.subject not in seen:
                    seen.add(quad.subject)  # type: ignore[arg-type]
                    frontier.append(quad.subject)  # type: ignore[arg-type]
        return triples

    def facility_block(self, iri: str) -> list[ox.Triple]:
        """A facility's triples with those of its geometry, of every value printed on its page
        and of its capacity and population observations (issue 17)."""
        node = ox.NamedNode(iri)
        triples = self.about(iri)
        parts = [t.object for t in triples if t.predicate.value == GEO + "hasGeometry"]
        for predicate in ("facility", "refFacility"):
            found = self.store.quads_for_pattern(
                None, ox.NamedNode(self.base + "def/" + predicate), node
            )
            parts += [q.subject for q in found]
        for part in parts:
            if isinstance(part, ox.NamedNode):
                triples += self.about(part.value)
        return triples

    def referenced_by(self, iri: str, limit: int = 50) -> list[ox.Triple]:
        out = []
        for quad in self.store.quads_for_pattern(None, None, ox.NamedNode(iri)):
            out.append(quad.triple)
            if len(out) == limit:
                break
        return out

    def exists(self, iri: str) -> bool:
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(iri), None, None))

    def label(self, iri: str) -> str:
        """A label for people: without the page's "(Year)"; external terms by the table."""
        return plain_label(self._label(iri))

    def first(self, iri: str, predicate: str) -> str:
        """One value of a property ('' when absent)."""
        for quad in self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None):
            return lexical(quad.object)
        return ""

    def values(self, iri: str, predicate: str) -> list[str]:
        """Every value of a property."""
        found = self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None)
        return [lexical(q.object) for q in found]

    def _compute_label(self, iri: str) -> str:
        node = ox.NamedNode(iri)
        for predicate in LABELS:
            for quad in self.store.quads_for_pattern(node, ox.NamedNode(predicate), None):
                return lexical(quad.object)
        derived = self._derived_label(iri)
        if derived:
            return derived
        return external_label(iri) or self._short(iri)

    def _derived_label(self, iri: str) -> str:
        """A label for the unnamed records: "Prison population rate, Kazakhstan, 2017"."""
        for partition in ("class", "property"):  # VoID partitions of the dataset
            kind = self.first(iri, VOID + partition)
            if kind:
                return f"Partition: {self.label(kind)}"
        gdp = self.base + "def/"
        subject = next((v for v in (self.first(iri, gdp + p) for p in _SUBJECT_LINKS) if v), "")
        where = self.first(iri, gdp + "refArea") or self.first(iri, gdp + "country")
        if not subject or not where:
            return ""
        period = self.first(iri, gdp + "refPeriod")
        when = (self.first(period, gdp + "year") if period else "") or next(
            (v for v in (self.first(iri, gdp + p) for p in _YEARS) if v), ""
        )
        kind = next((self.label(t) for t in self.types(iri) if t.startswith(gdp)), "")
        head = f"{kind}: " if kind and kind not in ("Observation",) else ""
        return f"{head}{self.label(subject)}, {self.label(where)}" + (f", {when}" if when else "")

    def source(self, iri: str) -> tuple[str, str, int] | None:
        """Where a fact was read: (file name, page URL, line), if recorded."""
        line = self.first(iri, self.base + "def/valueLine")
        document = self.first(iri, PROV + "wasDerivedFrom")
        if not line.isdigit() or not document:
            return None
        return (
            self.first(document, self.base + "def/fileName"),
            self.first(document, SCHEMA + "url"),
            int(line),
        )

    def types(self, iri: str) -> list[str]:
        return [
            lexical(q.object)
            for q in self.store.quads_for_pattern(
                ox.NamedNode(iri), ox.NamedNode(RDF + "type"), None
            )
        ]

    # -- pages --------------------------------------------------------------------------------

    def countries(self) -> list[tuple[str, str, str]]:
        rows = self.select(
            "SELECT ?c ?iso3 ?name WHERE { ?c a gdp:Country ; gdp:iso3 ?iso3 ; schema:name ?name } ORDER BY ?name"
        )
        return [(r["c"], r["iso3"], r["name"]) for r in rows]

    def country(self, iri: str) -> CountryPage | None:
        found = list(
            self.select(
                """SELECT ?country ?iso3 ?name ?printed ?wikidata ?url ?file ?updated ?overview WHERE {
              ?country a gdp:Country ; gdp:iso3 ?iso3 ; schema:name ?name .
              OPTIONAL { ?country gdp:printedName ?printed }
              OPTIONAL { ?country owl:sameAs ?wikidata }
              OPTIONAL { ?country gdp:profile ?doc .
                OPTIONAL { ?doc schema:url ?url } OPTIONAL { ?doc gdp:fileName ?file }
                OPTIONAL { ?doc gdp:lastUpdated ?updated } OPTIONAL { ?doc schema:abstract ?overview } }
            } LIMIT 1""",
                country=iri,
            )
        )
        if not found:
            return None
        head = found[0]
        return CountryPage(
            iri,
            head["iso3"],
            head["name"],
            head["printed"],
            head["wikidata"],
            head["url"],
            head["file"],
            head["updated"],
            head["overview"],
            self._sections(iri),
            self._records(iri),
        )

    def _sections(self, iri: str) -> list[Section]:
        rows = self.select(
            """SELECT ?country ?obs ?indicator ?label ?section ?period ?number ?rank ?answer ?text
                   ?status ?unit ?line ?raw ?note WHERE {
              ?obs gdp:refArea ?country ; gdp:indicator ?indicator ; gdp:valueLine ?line .
              ?indicator skos:prefLabel ?label .
              OPTIONAL { ?section skos:member ?indicator ; a gdp:Section }
              OPTIONAL { ?obs gdp:refPeriod/gdp:year ?period }
              OPTIONAL { ?obs gdp:numericValue ?number }
              OPTIONAL { ?obs gdp:rank ?rank }
              OPTIONAL { ?obs gdp:answer/skos:prefLabel ?answer }
              OPTIONAL { ?obs gdp:textValue ?text }
              OPTIONAL { ?obs (gdp:missingStatus|gdp:obsStatus)/skos:prefLabel ?status }
              OPTIONAL { ?obs gdp:unitMeasure/skos:prefLabel ?unit }
              OPTIONAL { ?obs gdp:rawValue ?raw }
              OPTIONAL { ?obs gdp:note ?note }
            } ORDER BY <http://www.w3.org/2001/XMLSchema#integer>(?line)""",
            country=iri,
        )
        order = {
            code: i
            for i, code in enumerate(dict.fromkeys(s.code for s in load_codelists().sections))
        }
        sections: dict[str, Section] = {}
        series: dict[str, Series] = {}
        for r in rows:
            section_iri = r["section"]
            code = section_iri.rsplit("/", 1)[-1] if section_iri else "other"
            section = sections.setdefault(
                code, Section(code, self.label(section_iri) if section_iri else "Other")
            )
            if r["indicator"] not in series:
                series[r["indicator"]] = Series(r["indicator"], r["label"], r["unit"] or None)
                section.series.append(series[r["indicator"]])
            number_text = r["number"] or r["rank"]
            try:
                number = Decimal(number_text) if number_text else None
            except InvalidOperation:
                number = None
            shown = number_text or r["answer"] or r["text"]
            missing = not shown
            series[r["indicator"]].values.append(
                Value(
                    r["obs"],
                    int(r["period"]) if r["period"].isdigit() else None,
                    number,
                    shown or r["status"] or "no value",
                    missing,
                    int(r["line"]),
                    r["raw"],
                    r["note"] or None,
                )
            )
        for item in series.values():
            item.values.sort(key=lambda v: (v.period is None, v.period or 0))
        return sorted(sections.values(), key=lambda s: order.get(s.code, len(order)))

    def _records(self, iri: str) -> dict[str, list[Record]]:
        queries = {
            "Treaties ratified": """SELECT ?country ?r ?title ?year ?observed ?line ?link ?wikidata WHERE {
                ?r a gdp:Ratification ; gdp:country ?country ; gdp:treaty ?link ; gdp:valueLine ?line .
                ?link skos:prefLabel ?title .
                OPTIONAL { ?r gdp:ratificationYear ?year } OPTIONAL { ?r gdp:observationDate ?observed }
                OPTIONAL { ?link skos:exactMatch ?wikidata } }""",
            "Individual complaints procedures accepted": """SELECT ?country ?r ?title ?year ?observed ?line ?link
                WHERE {
                ?r a gdp:ComplaintsAcceptance ; gdp:country ?country ; gdp:procedure ?link ; gdp:valueLine ?line .
                ?link skos:prefLabel ?title .
                OPTIONAL { ?r gdp:acceptanceYear ?year } OPTIONAL { ?r gdp:observationDate ?observed } }""",
            "Treaty-body recommendations": """SELECT ?country ?r ?title ?year ?observed ?line ?link ?detail WHERE {
                ?r a gdp:Recommendation ; gdp:country ?country ; gdp:textValue ?detail ; gdp:valueLine ?line .
                OPTIONAL { ?r gdp:issuedBy ?link . ?link skos:prefLabel ?title }
                OPTIONAL { ?r gdp:recommendationYear ?year } OPTIONAL { ?r gdp:observationDate ?observed } }""",
            "Legislation": """SELECT ?country ?r ?title ?year ?observed ?line ?detail WHERE {
                ?r a gdp:Legislation ; gdp:country ?country ; schema:name ?title ; gdp:valueLine ?line .
                OPTIONAL { ?r gdp:yearAdopted ?year } OPTIONAL { ?r gdp:period ?observed }
                OPTIONAL { ?r gdp:yearAmended ?amended }
                BIND(IF(BOUND(?amended), CONCAT("last amended ", STR(?amended)), "") AS ?detail) }""",
            "Monitoring institutions": """SELECT ?country ?r ?title ?year ?observed ?line ?detail WHERE {
                ?r a gdp:MonitoringInstitution ; gdp:country ?country ; schema:name ?title ; gdp:valueLine ?line .
                OPTIONAL { ?r gdp:institutionType ?detail } OPTIONAL { ?r gdp:period ?year } }""",
            "Legal traditions": """SELECT ?country ?r ?title ?year ?observed ?line ?link WHERE {
                ?r a gdp:LegalTraditionRecord ; gdp:country ?country ; gdp:legalTradition ?link ; gdp:valueLine ?line .
                ?link skos:prefLabel ?title . OPTIONAL { ?r gdp:period ?year } }""",
        }
        out: dict[str, list[Record]] = {}
        for heading, query in queries.items():
            records = [
                Record(
                    r["r"],
                    r.get("title") or "(not recognised)",
                    r.get("year", ""),
                    r.get("observed", ""),
                    int(r["line"]),
                    r.get("detail", ""),
                    r.get("link", ""),
                    r.get("wikidata", ""),
                )
                for r in self.select(query, country=iri)
            ]
            if records:
                out[heading] = sorted(records, key=lambda rec: (rec.year or "9999", rec.line))
        return out

    def dumps(self) -> list[dict[str, str]]:
        return list(
            self.select(
                """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
                PREFIX dcterms: <http://purl.org/dc/terms/>
                SELECT ?url ?title ?size ?sha ?format WHERE {
                  ?url dcat:byteSize ?size ; spdx:checksum/spdx:checksumValue ?sha .
                  OPTIONAL { ?url dcterms:title ?title }
                  OPTIONAL { ?url dcat:mediaType ?media BIND(STRAFTER(STR(?media), "/media-types/") AS ?format) }
                } ORDER BY ?url"""
            )
        )
