"""Code lists and the Data Cube structure -> the shared block of triples (pure).

The SKOS concept schemes come from data/codelists/ and the enums of facts.py; concepts minted
for unknown labels, instruments or bodies are added marked ``gdp:reviewed false``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from gdp_rdf.graph.mapping import Unreviewed
from gdp_rdf.graph.terms import Triples, boolean, integer, ntriples_lines, text
from gdp_rdf.reader.codelists import CodeLists, ValueType
from gdp_rdf.reader.facts import Answer, Status
from gdp_rdf.reader.links import term_mappings, treaty_links
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import (
    DCTERMS,
    QB,
    RDFS,
    SCHEMA,
    SDMX_ATTRIBUTE,
    SDMX_CODE,
    SDMX_DIMENSION,
    SKOS,
    WD,
    Iris,
    prefixes,
    rebase,
)

_ANSWER_LABELS = {
    Answer.YES: "Yes",
    Answer.NO: "No",
    Answer.RARELY: "Rarely",
    Answer.UNKNOWN: "Unknown",
    Answer.YES_BUT_RESTARTED: "Yes but have restarted",
    Answer.INFREQUENTLY: "Infrequently",
    Answer.NO_LIMIT: "No limit",
}
_STATUS = {
    Status.NOT_AVAILABLE: ("Not available", 'The page prints "Not Available" for the value.'),
    Status.NO_DATA: ("No data", 'The page prints "No Data" for the value.'),
    Status.UNKNOWN: (
        "Unknown",
        'The page prints "Unknown": GDP does not know the value or answer.',
    ),
    Status.YEAR_ONLY: (
        "Year printed without a value",
        "The page prints the year of an observation but no value for it.",
    ),
    Status.MALFORMED: (
        "Malformed value",
        "The page prints a value that cannot be read as a number; see gdp:rawValue.",
    ),
}
_SCHEMES = {
    "indicator": "GDP indicators",
    "section": "GDP profile sections",
    "answer": "Answer codes",
    "status": "Missing-value statuses",
    "unit": "Units of measure",
    "value-type": "Indicator value types",
    "legal-tradition": "Legal traditions",
    "treaty": "Treaties and complaints procedures",
    "body": "UN treaty bodies",
}


class _Shared:
    def __init__(self, iris: Iris, codes: CodeLists) -> None:
        self.iris = iris
        self.codes = codes
        self.t = Triples()
        self.g = iris.term

    def concept(
        self,
        scheme: str,
        notation: str,
        label: str,
        *,
        node: str | None = None,
        classes: tuple[str, ...] = (),
        definition: str | None = None,
        reviewed: bool = True,
        top: bool = False,
    ) -> str:
        t = self.t
        node = node or self.iris.code(scheme, notation)
        t.type(node, SKOS + "Concept", *classes)
        t.link(node, SKOS + "inScheme", self.iris.scheme(scheme))
        if top:
            t.link(node, SKOS + "topConceptOf", self.iris.scheme(scheme))
        t.add(node, SKOS + "notation", text(notation, None))
        t.add(node, SKOS + "prefLabel", text(label))
        if definition:
            t.add(node, SKOS + "definition", text(definition))
        t.add(node, self.g("reviewed"), boolean(reviewed))
        return node

    def schemes(self) -> None:
        for name, title in _SCHEMES.items():
            node = self.iris.scheme(name)
            self.t.type(node, SKOS + "ConceptScheme")
            self.t.add(node, SKOS + "prefLabel", text(title))
            self.t.add(node, DCTERMS + "title", text(title))

    def sections(self) -> None:
        seen: dict[str, list[str]] = {}
        for section in self.codes.sections:
            seen.setdefault(section.code, []).append(section.heading)
        labels = {s.code: s.label for s in self.codes.sections}
        for code, headings in seen.items():
            node = self.concept(
                "section", code, labels[code], classes=(self.g("Section"),), top=True
            )
            for heading in headings:
                self.t.add(node, SKOS + "altLabel", text(heading.lstrip("> ")))

    def indicators(self, unreviewed: Iterable[Unreviewed]) -> None:
        t, g = self.t, self.g
        for indicator in self.codes.indicators:
            node = self.concept(
                "indicator",
                indicator.code,
                indicator.pref_label,
                classes=(g("Indicator"),),
                definition=indicator.definition,
            )
            for label in indicator.all_labels[1:]:
                t.add(node, SKOS + "altLabel", text(label))
            t.link(node, SKOS + "broader", self.iris.code("section", indicator.group))
            t.link(node, g("valueType"), self.iris.code("value-type", indicator.value_type.value))
            if indicator.unit:
                t.link(node, g("unit"), self.iris.code("unit", indicator.unit))
        for concept in unreviewed:
            if concept.scheme != "indicator":
                continue
            node = self.concept(
                "indicator",
                concept.notation,
                concept.label,
                classes=(g("Indicator"),),
                reviewed=False,
            )
            t.link(node, g("valueType"), self.iris.code("value-type", ValueType.UNKNOWN.value))
            if concept.section:
                t.link(node, SKOS + "broader", self.iris.code("section", concept.section))

    def simple_codes(self) -> None:
        g = self.g
        for answer, label in _ANSWER_LABELS.items():
            self.concept("answer", answer.value, label, classes=(g("AnswerCode"),))
        for status, (label, definition) in _STATUS.items():
            node = self.concept(
                "status", status.value, label, definition=definition, classes=(g("StatusCode"),)
            )
            # Every status is a kind of SDMX "missing value"; none is a value.
            self.t.link(node, SKOS + "broadMatch", SDMX_CODE + "obsStatus-M")
        for unit in self.codes.units:
            node = self.concept("unit", unit.code, unit.label, classes=(g("UnitCode"),))
            if unit.qudt:
                self.t.link(node, SKOS + "closeMatch", unit.qudt)
            if unit.symbol:
                self.t.add(node, self.g("abbreviation"), text(unit.symbol, None))
        for value_type in ValueType:
            label = value_type.value.replace("-", " ")
            self.concept("value-type", value_type.value, label, classes=(g("ValueTypeCode"),))

    def traditions(self, unreviewed: Iterable[Unreviewed]) -> None:
        classes = (self.g("LegalTraditionCode"),)
        for tradition in self.codes.traditions:
            self.concept(
                "legal-tradition",
                tradition.code,
                tradition.label,
                definition=tradition.definition,
                classes=classes,
            )
        for concept in unreviewed:
            if concept.scheme == "legal-tradition":
                self.concept(
                    "legal-tradition",
                    concept.notation,
                    concept.label,
                    reviewed=False,
                    classes=classes,
                )

    def instruments(self, unreviewed: Iterable[Unreviewed]) -> None:
        t, g = self.t, self.g
        core = self.iris.scheme("core-treaties")
        t.type(core, SKOS + "Collection")
        t.add(core, SKOS + "prefLabel", text("The nine core UN human rights treaties"))
        for instrument in self.codes.instruments:
            classes = [] if instrument.kind == "declaration" else [g("Treaty")]
            if instrument.procedure:
                classes.append(g("ComplaintsProcedure"))
            node = self.concept(
                "treaty",
                instrument.code,
                instrument.name,
                node=self.iris.treaty(instrument.code),
                classes=tuple(classes),
            )
            t.add(node, g("abbreviation"), text(instrument.abbreviation, None))
            for printed in instrument.printed:
                t.add(node, g("printedName"), text(printed, None))
            if instrument.parent:
                t.link(node, g("parentInstrument"), self.iris.treaty(instrument.parent))
            if instrument.core:
                t.link(core, SKOS + "member", node)
        for concept in unreviewed:
            if concept.scheme == "treaty":
                node = self.iris.treaty(concept.notation)
                self.concept(
                    "treaty",
                    concept.notation,
                    concept.label,
                    node=node,
                    classes=(g("Treaty"), g("ComplaintsProcedure")),
                    reviewed=False,
                )

    def bodies(self, unreviewed: Iterable[Unreviewed]) -> None:
        t, g = self.t, self.g
        for body in self.codes.bodies:
            node = self.concept(
                "body",
                body.code,
                body.name,
                node=self.iris.body(body.code),
                classes=(g("TreatyBody"),),
            )
            t.type(node, SCHEMA + "Organization")
            for alias in body.aliases:
                t.add(node, SKOS + "altLabel", text(alias))
            if body.instrument:
                t.link(node, g("monitors"), self.iris.treaty(body.instrument))
        for concept in unreviewed:
            if concept.scheme == "body":
                node = self.iris.body(concept.notation)
                self.concept(
                    "body",
                    concept.notation,
                    concept.label,
                    node=node,
                    classes=(g("TreatyBody"),),
                    reviewed=False,
                )
                t.type(node, SCHEMA + "Organization")

    def structure(self) -> None:
        """Two Data Cube datasets: dated observations, and values printed without a year."""
        t, g, iris = self.t, self.g, self.iris
        components = [
            ("ref-area", QB + "dimension", SDMX_DIMENSION + "refArea", True),
            ("ref-period", QB + "dimension", SDMX_DIMENSION + "refPeriod", True),
            ("indicator", QB + "dimension", g("indicator"), True),
            ("measure-type", QB + "dimension", QB + "measureType", True),
            ("numeric-value", QB + "measure", g("numericValue"), False),
            ("answer", QB + "measure", g("answer"), False),
            ("text-value", QB + "measure", g("textValue"), False),
            ("rank", QB + "measure", g("rank"), False),
            ("unit-measure", QB + "attribute", SDMX_ATTRIBUTE + "unitMeasure", False),
            ("obs-status", QB + "attribute", SDMX_ATTRIBUTE + "obsStatus", False),
            ("note", QB + "attribute", g("note"), False),
            ("rank-category", QB + "attribute", g("rankCategory"), False),
            ("score", QB + "attribute", g("score"), False),
            ("denominator", QB + "attribute", g("denominator"), False),
            ("observation-date", QB + "attribute", g("observationDate"), False),
            ("year-adopted", QB + "attribute", g("yearAdopted"), False),
        ]
        for name, label in (
            ("dated", "observations with a year"),
            ("undated", "values printed without a year"),
        ):
            dsd = iris.structure(name)
            t.type(dsd, QB + "DataStructureDefinition")
            t.add(dsd, RDFS + "label", text(f"Structure of GDP {label}"))
            order = 0
            for key, role, prop, dimension in components:
                if name == "undated" and key == "ref-period":
                    continue
                spec = iris.component(name, key)
                t.link(dsd, QB + "component", spec)
                t.type(spec, QB + "ComponentSpecification")
                t.link(spec, role, prop)
                if dimension:
                    order += 1
                    t.add(spec, QB + "order", integer(order))
                elif role == QB + "attribute":
                    t.add(spec, QB + "componentRequired", boolean(False))
                    t.link(spec, QB + "componentAttachment", QB + "Observation")
        for name, structure, label in (
            ("observations", "dated", "GDP observations (with a year)"),
            ("undated", "undated", "GDP values printed without a year"),
        ):
            node = iris.dataset(name)
            t.type(node, QB + "DataSet")
            t.link(node, QB + "structure", iris.structure(structure))
            t.add(node, RDFS + "label", text(label))
            t.add(node, DCTERMS + "title", text(label))
            t.link(node, DCTERMS + "isPartOf", iris.dataset("gdp"))
        # The SDMX components, declared so Data Cube checks (IC-4, IC-5) hold in the dump.
        t.type(SDMX_DIMENSION + "refArea", QB + "DimensionProperty")
        t.link(SDMX_DIMENSION + "refArea", RDFS + "range", g("Country"))
        t.type(SDMX_DIMENSION + "refPeriod", QB + "DimensionProperty")
        t.link(
            SDMX_DIMENSION + "refPeriod", RDFS + "range", "http://www.w3.org/2001/XMLSchema#gYear"
        )
        t.type(SDMX_ATTRIBUTE + "unitMeasure", QB + "AttributeProperty", QB + "CodedProperty")
        t.link(SDMX_ATTRIBUTE + "unitMeasure", QB + "codeList", iris.scheme("unit"))
        t.type(SDMX_ATTRIBUTE + "obsStatus", QB + "AttributeProperty", QB + "CodedProperty")
        t.link(SDMX_ATTRIBUTE + "obsStatus", QB + "codeList", iris.scheme("status"))


def shared_triples(iris: Iris, codes: CodeLists, unreviewed: Iterable[Unreviewed]) -> list[str]:
    """The shared block, its one owner: the ontology, concept schemes and concepts, the Data
    Cube structure and the verified Wikidata links."""
    wanted = list(unreviewed)
    shared = _Shared(iris, codes)
    shared.schemes()
    shared.sections()
    shared.indicators(wanted)
    shared.simple_codes()
    shared.traditions(wanted)
    shared.instruments(wanted)
    shared.bodies(wanted)
    shared.structure()
    return shared.t.lines + link_lines(iris, codes) + vocabulary_triples(iris.base)


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


def vocabulary_triples(base: str) -> list[str]:
    """The ontology as N-Triples lines, shipped in every dump so the graph describes itself."""
    text = rebase(resource_path("ontology", "gdp.ttl").read_text(encoding="utf-8"), base)
    return ntriples_lines(q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
