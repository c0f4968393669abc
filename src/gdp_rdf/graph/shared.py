"""Code lists and the Data Cube structure -> the shared block of triples (pure).

The SKOS concept schemes come from data/codelists/ and the enums of facts.py; concepts minted
for unknown labels, instruments or bodies are added marked ``gdp:reviewed false``. Every
scheme lists its top concepts both ways; sections are ``skos:Collection``s of indicators (a
section heading and an indicator can share a notation, so they cannot share a scheme). Only
the project's own terms are described: SDMX and Data Cube terms appear as objects only.

Past ~400 lines on purpose: one method per code list and one for the structure, all writing
the one shared block.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from gdp_rdf.graph.facilities import facility_shared_lines
from gdp_rdf.graph.mapping import Unreviewed
from gdp_rdf.graph.terms import Triples, boolean, integer, ntriples_lines, text, typed
from gdp_rdf.reader.codelists import CodeLists, ValueType
from gdp_rdf.reader.facts import Answer, Status
from gdp_rdf.reader.links import term_mappings, treaty_links
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import (
    DCTERMS,
    QB,
    RDFS,
    SDMX_CODE,
    SKOS,
    UNKNOWN_PERIOD,
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
# Keyed by the Status value, so a status the reader adds still gets a concept.
_STATUS: dict[str, tuple[str, str | None]] = {
    "not-available": ("Not available", 'The page prints "Not Available" for the value.'),
    "no-data": ("No data", 'The page prints "No Data" for the value.'),
    "unknown": (
        "Unknown",
        'The page prints "Unknown": GDP does not know the value or answer.',
    ),
    "year-without-value": (
        "Year printed without a value",
        "The page prints the year of an observation but no value for it.",
    ),
    "malformed": (
        "Malformed value",
        "The page prints a value that cannot be read as a number; see gdp:rawValue.",
    ),
    "out-of-range": (
        "Out of range",
        "The page prints a value outside its indicator's domain (a negative count, a "
        "percentage over 100); kept as printed, flagged.",
    ),
}
_SCHEMES = {
    "indicator": "GDP indicators",
    "answer": "Answer codes",
    "status": "Value statuses",
    "unit": "Units of measure",
    "value-type": "Indicator value types",
    "legal-tradition": "Legal traditions",
    "treaty": "Treaties and complaints procedures",
    "body": "UN treaty bodies",
    "period": "Reference periods",
}
# One data set per measure; the attributes each structure declares (all optional, attached to
# observations). The gaps data set's measure is the status: a gap is not a value.
_CUBES = {
    "numbers": (
        "numericValue",
        "GDP counts, rates, percentages and amounts",
        ("unitMeasure", "obsStatus", "denominator", "note", "observationDate", "yearAdopted"),
    ),
    "answers": (
        "answer",
        "GDP answers to the profiles' questions",
        ("obsStatus", "note", "observationDate", "yearAdopted"),
    ),
    "ranks": (
        "rank",
        "GDP ranks in international indices",
        ("unitMeasure", "obsStatus", "rankCategory", "score", "note", "observationDate"),
    ),
    "texts": (
        "textValue",
        "GDP values printed as text",
        ("obsStatus", "note", "observationDate", "yearAdopted"),
    ),
    "gaps": (
        "missingStatus",
        'GDP data gaps: values the page prints as missing ("Not Available", "No Data", '
        '"Unknown", a year without a value)',
        ("note", "observationDate", "yearAdopted"),
    ),
}
_DIMENSIONS = ("refArea", "refPeriod", "indicator")


def _labels(pref: str, labels: Iterable[str]) -> tuple[list[str], list[str]]:
    """Alternative and hidden labels: a copy of the preferred label is dropped (SKOS S13),
    one that differs only in case is kept as a hidden label (how the page prints it)."""
    alt: list[str] = []
    hidden: list[str] = []
    for label in dict.fromkeys(labels):
        if label == pref:
            continue
        (hidden if label.casefold() == pref.casefold() else alt).append(label)
    return alt, hidden


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
        broader: str | None = None,
        labels: Iterable[str] = (),
    ) -> str:
        """A concept of a scheme: a top concept (both ways) unless it has a broader one."""
        t = self.t
        node = node or self.iris.code(scheme, notation)
        t.type(node, SKOS + "Concept", *classes)
        t.link(node, SKOS + "inScheme", self.iris.scheme(scheme))
        if broader:
            t.link(node, SKOS + "broader", broader)
        else:
            t.link(node, SKOS + "topConceptOf", self.iris.scheme(scheme))
            t.link(self.iris.scheme(scheme), SKOS + "hasTopConcept", node)
        t.add(node, SKOS + "notation", text(notation, None))
        t.add(node, SKOS + "prefLabel", text(label))
        alt, hidden = _labels(label, labels)
        for other in alt:
            t.add(node, SKOS + "altLabel", text(other))
        for other in hidden:
            t.add(node, SKOS + "hiddenLabel", text(other))
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

    def section(self, code: str, label: str, headings: Iterable[str], reviewed: bool) -> str:
        t, node = self.t, self.iris.code("section", code)
        t.type(node, SKOS + "Collection", self.g("Section"))
        t.add(node, SKOS + "notation", text(code, None))
        t.add(node, SKOS + "prefLabel", text(label))
        alt, hidden = _labels(label, headings)
        for other in alt:
            t.add(node, SKOS + "altLabel", text(other))
        for other in hidden:
            t.add(node, SKOS + "hiddenLabel", text(other))
        t.add(node, self.g("reviewed"), boolean(reviewed))
        return node

    def indicators(self, unreviewed: Iterable[Unreviewed]) -> None:
        t, g = self.t, self.g
        headings: dict[str, list[str]] = {}
        for section in self.codes.sections:
            headings.setdefault(section.code, []).append(section.heading.lstrip("> "))
        labels = {s.code: s.label for s in self.codes.sections}
        sections = {code: self.section(code, labels[code], h, True) for code, h in headings.items()}
        for indicator in self.codes.indicators:
            node = self.concept(
                "indicator",
                indicator.code,
                indicator.pref_label,
                classes=(g("Indicator"),),
                definition=indicator.definition,
                labels=indicator.all_labels[1:],
            )
            t.link(sections[indicator.group], SKOS + "member", node)
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
            if concept.section in sections:
                t.link(sections[concept.section], SKOS + "member", node)

    def simple_codes(self) -> None:
        g = self.g
        for answer, label in _ANSWER_LABELS.items():
            self.concept("answer", answer.value, label, classes=(g("AnswerCode"),))
        for status in Status:
            if status is Status.PRESENT:
                continue
            fallback = (status.value.replace("-", " ").capitalize(), None)
            label, definition = _STATUS.get(status.value, fallback)
            node = self.concept(
                "status", status.value, label, definition=definition, classes=(g("StatusCode"),)
            )
            if status.value != "out-of-range":
                # A missing value is SDMX's "missing value"; a flagged value is not missing.
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

    def periods(self, minted: Iterable[Unreviewed]) -> None:
        """The periods the data uses: one concept per year, and one for "no year printed"."""
        for concept in minted:
            if concept.scheme != "period":
                continue
            unknown = concept.notation == UNKNOWN_PERIOD
            node = self.concept(
                "period",
                concept.notation,
                concept.label,
                classes=(self.g("Period"),),
                definition="The page prints the value without a year." if unknown else None,
            )
            if not unknown:
                self.t.add(node, self.g("year"), typed(concept.notation, "gYear"))

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
            parent = self.iris.treaty(instrument.parent) if instrument.parent else None
            node = self.concept(
                "treaty",
                instrument.code,
                instrument.name,
                node=self.iris.treaty(instrument.code),
                classes=tuple(classes),
                broader=parent,  # a protocol or declaration is part of its treaty
            )
            t.add(node, g("abbreviation"), text(instrument.abbreviation, None))
            for printed in instrument.printed:
                t.add(node, g("printedName"), text(printed, None))
            if parent:
                t.link(node, g("parentInstrument"), parent)
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
                labels=body.aliases,
            )
            if body.instrument:
                t.link(node, g("monitors"), self.iris.treaty(body.instrument))
        for concept in unreviewed:
            if concept.scheme == "body":
                self.concept(
                    "body",
                    concept.notation,
                    concept.label,
                    node=self.iris.body(concept.notation),
                    classes=(g("TreatyBody"),),
                    reviewed=False,
                )

    def structure(self) -> None:
        """One Data Cube data set per measure, all with the same three dimensions."""
        t, g, iris = self.t, self.g, self.iris
        for cube, (measure, label, attributes) in _CUBES.items():
            dsd = iris.structure(cube)
            t.type(dsd, QB + "DataStructureDefinition")
            t.add(dsd, RDFS + "label", text(f"Structure of the data set: {label}"))
            for order, dimension in enumerate(_DIMENSIONS, start=1):
                spec = iris.component(cube, dimension)
                t.link(dsd, QB + "component", spec)
                t.type(spec, QB + "ComponentSpecification")
                t.link(spec, QB + "dimension", g(dimension))
                t.add(spec, QB + "order", integer(order))
            spec = iris.component(cube, measure)
            t.link(dsd, QB + "component", spec)
            t.type(spec, QB + "ComponentSpecification")
            t.link(spec, QB + "measure", g(measure))
            for attribute in attributes:
                spec = iris.component(cube, attribute)
                t.link(dsd, QB + "component", spec)
                t.type(spec, QB + "ComponentSpecification")
                t.link(spec, QB + "attribute", g(attribute))
                t.add(spec, QB + "componentRequired", boolean(False))
                t.link(spec, QB + "componentAttachment", QB + "Observation")
            node = iris.dataset(cube)
            t.type(node, QB + "DataSet")
            t.link(node, QB + "structure", dsd)
            t.add(node, RDFS + "label", text(label))
            t.add(node, DCTERMS + "title", text(label))
            t.link(node, DCTERMS + "isPartOf", iris.dataset("gdp"))


def shared_triples(iris: Iris, codes: CodeLists, unreviewed: Iterable[Unreviewed]) -> list[str]:
    """The shared block, its one owner: the ontology, concept schemes and concepts, the Data
    Cube structure and the verified Wikidata links."""
    wanted = list(unreviewed)
    shared = _Shared(iris, codes)
    shared.schemes()
    shared.indicators(wanted)
    shared.simple_codes()
    shared.periods(wanted)
    shared.traditions(wanted)
    shared.instruments(wanted)
    shared.bodies(wanted)
    shared.structure()
    facility = facility_shared_lines(iris, shared.concept, wanted)  # issue 17
    return shared.t.lines + facility + link_lines(iris, codes) + vocabulary_triples(iris.base)


def link_lines(iris: Iris, codes: CodeLists) -> list[str]:
    """The shared block's links: instruments and treaty bodies to their verified items
    (skos:exactMatch: a code-list concept and a Wikidata item are not the same kind of
    thing), and ontology terms to Wikidata classes and properties (rdfs:seeAlso)."""
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
        # A SKOS mapping relation would make an OWL class or property a skos:Concept; the
        # ontology's own terms point at their Wikidata counterpart with rdfs:seeAlso.
        relation = RDFS + "seeAlso" if prefix == "gdp" else SKOS + mapping.relation
        t.link(known[prefix] + local, relation, WD + mapping.wikidata)
    return t.lines


def vocabulary_triples(base: str) -> list[str]:
    """The ontology as N-Triples lines, shipped in every dump so the graph describes itself."""
    text = rebase(resource_path("ontology", "gdp.ttl").read_text(encoding="utf-8"), base)
    return ntriples_lines(q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
