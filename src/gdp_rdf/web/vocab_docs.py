"""The ontology ({base}def/) and the shapes ({base}shapes/) as documents to serve (pure).

Both are slash namespaces published as one document each: a term's IRI answers with the
namespace document, and the HTML page has an anchor per term (#Country).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from gdp_rdf.resources import resource_path
from gdp_rdf.sparql.results import lexical
from gdp_rdf.vocab import OWL, RDF, RDFS, SH, SKOS, rebase

# The kinds of term listed, in page order, with the heading of their table.
KINDS = {
    OWL + "Ontology": "Ontology",
    OWL + "Class": "Classes",
    OWL + "ObjectProperty": "Object properties",
    OWL + "DatatypeProperty": "Datatype properties",
    OWL + "AnnotationProperty": "Annotation properties",
    SKOS + "ConceptScheme": "Code lists",
    SH + "NodeShape": "Node shapes",
    SH + "PropertyShape": "Property shapes",
}
# Properties shown for a term, with their label.
DETAILS = {
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    SH + "targetClass": "target class",
    SH + "path": "path",
    SH + "datatype": "datatype",
    SH + "class": "class",
    SH + "minCount": "min count",
    SH + "maxCount": "max count",
    SH + "pattern": "pattern",
    SH + "message": "message",
    SH + "property": "property shape",
}


@dataclass
class Term:
    iri: str
    kind: str  # a key of KINDS
    label: str = ""
    comment: str = ""
    details: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, value, is IRI)

    @property
    def anchor(self) -> str:
        return self.iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class Namespace:
    """One namespace document: its IRI, Turtle text and the terms it declares."""

    iri: str
    title: str
    turtle: str
    terms: dict[str, Term]

    def grouped(self) -> list[tuple[str, list[Term]]]:
        out = []
        for kind, heading in KINDS.items():
            terms = sorted(
                (t for t in self.terms.values() if t.kind == kind), key=lambda t: t.anchor
            )
            if terms:
                out.append((heading, terms))
        return out


def load_namespace(folder: str, base: str, title: str) -> Namespace:
    """The ontology ("ontology") or shapes ("shapes") document rebased onto ``base``."""
    text = rebase(resource_path(folder, "gdp.ttl").read_text(encoding="utf-8"), base)
    iri = base + ("def/" if folder == "ontology" else "shapes/")
    terms: dict[str, Term] = {}
    triples = sorted(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE), key=str)
    for triple in triples:
        subject = triple.subject
        if (
            isinstance(subject, ox.NamedNode)
            and subject.value.startswith(iri)
            and triple.predicate.value == RDF + "type"
            and triple.object.value in KINDS
        ):
            terms.setdefault(subject.value, Term(subject.value, triple.object.value))
    for triple in triples:
        term = terms.get(lexical(triple.subject))
        if term is None:
            continue
        predicate, obj = triple.predicate.value, triple.object
        if predicate in (RDFS + "label", SKOS + "prefLabel") and not term.label:
            term.label = lexical(obj)
        elif predicate in (RDFS + "comment", SKOS + "definition") and not term.comment:
            term.comment = lexical(obj)
        elif predicate in DETAILS and not isinstance(obj, ox.BlankNode):
            term.details.append((DETAILS[predicate], lexical(obj), isinstance(obj, ox.NamedNode)))
    return Namespace(iri, title, text, terms)
