"""SHACL shapes -> plain checks the fast engine runs (a subset of SHACL Core, plus sh:sparql).

The fast engine reads any shapes graph, not ours in particular: node shapes with class,
node, subjects-of and objects-of targets, property shapes on predicate paths, the value,
cardinality, range, string and SPARQL-based constraint components listed in COMPONENTS.
A shapes graph that uses anything else (complex paths, logical or shape-based constraints,
sh:in, implicit class targets, sh:prefixes, ...) raises UnsupportedShapesError and the
caller validates with pySHACL instead, so nothing is ever silently not checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

import pyoxigraph as ox

from gdp_rdf.vocab import RDF, RDFS

SH = "http://www.w3.org/ns/shacl#"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
XSD = "http://www.w3.org/2001/XMLSchema#"

# constraint parameter -> its constraint component (SHACL 1.0, section 4)
COMPONENTS = {
    SH + name: SH + component + "ConstraintComponent"
    for name, component in [
        ("minCount", "MinCount"),
        ("maxCount", "MaxCount"),
        ("datatype", "Datatype"),
        ("class", "Class"),
        ("nodeKind", "NodeKind"),
        ("pattern", "Pattern"),
        ("minLength", "MinLength"),
        ("maxLength", "MaxLength"),
        ("hasValue", "HasValue"),
        ("minInclusive", "MinInclusive"),
        ("maxInclusive", "MaxInclusive"),
        ("minExclusive", "MinExclusive"),
        ("maxExclusive", "MaxExclusive"),
    ]
}
_TARGETS = {SH + t for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")}
# sh: predicates that describe a shape without constraining data
_NON_VALIDATING = {
    SH + t
    for t in (
        "message",
        "severity",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
        "deactivated",
        "property",
        "path",
        "sparql",
        "flags",
    )
} | _TARGETS
_SPARQL_KEYS = {SH + t for t in ("select", "message", "deactivated", "severity")}
_NODE_ONLY_ILLEGAL = {SH + "minCount", SH + "maxCount"}


class UnsupportedShapesError(Exception):
    """The shapes use a SHACL feature the fast engine does not implement."""


Node = str  # a node as the engine keys it: an IRI as is, "_:id", or a literal's N-Triples text


def node_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return str(term)
    raise UnsupportedShapesError(f"RDF-star term {term}")


@dataclass(frozen=True, slots=True)
class Constraint:
    component: str  # the constraint component IRI
    parameter: str  # the constraint parameter IRI (sh:minCount, ...)
    value: Node  # the parameter's value as a node key
    number: Decimal | None = None  # for counts, lengths and numeric ranges


@dataclass(frozen=True)
class SparqlConstraint:
    iri: str
    select: str
    message: str | None


@dataclass(frozen=True)
class Shape:
    iri: str
    path: str | None  # None for a node shape
    constraints: tuple[Constraint, ...]
    message: str | None
    severity: str
    properties: tuple[Shape, ...] = ()
    sparql: tuple[SparqlConstraint, ...] = ()
    target_classes: tuple[str, ...] = ()
    target_nodes: tuple[Node, ...] = ()
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()
    flags: str = ""

    @property
    def targeted(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.subjects_of or self.objects_of)


@dataclass
class _Description:
    values: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = field(default_factory=dict)

    def all(self, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return self.values.get(predicate, [])

    def one(self, predicate: str) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
        found = self.values.get(predicate, [])
        if len(found) > 1:
            raise UnsupportedShapesError(f"more than one {predicate}")
        return found[0] if found else None


def _describe(triples: Iterable[ox.Triple]) -> dict[str, _Description]:
    described: dict[str, _Description] = {}
    for t in triples:
        about = described.setdefault(node_key(t.subject), _Description())
        about.values.setdefault(t.predicate.value, []).append(t.object)  # type: ignore[arg-type]
    return described


def _text(term: object) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def _number(term: object) -> Decimal | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


def _constraints(iri: str, about: _Description, node_shape: bool) -> tuple[Constraint, ...]:
    found = []
    for predicate, values in sorted(about.values.items()):
        if not predicate.startswith(SH) or predicate in _NON_VALIDATING:
            continue
        if predicate not in COMPONENTS or (node_shape and predicate in _NODE_ONLY_ILLEGAL):
            raise UnsupportedShapesError(f"{predicate} on {iri}")
        for value in values:
            number = None
            if predicate in (SH + "minCount", SH + "maxCount", SH + "minLength", SH + "maxLength"):
                number = _number(value)
            elif predicate.startswith(SH + "min") or predicate.startswith(SH + "max"):
                number = _number(value)
                numeric = isinstance(value, ox.Literal) and value.datatype.value in NUMERIC
                if not numeric or number is None:
                    raise UnsupportedShapesError(f"non-numeric {predicate} on {iri}")
            found.append(Constraint(COMPONENTS[predicate], predicate, node_key(value), number))
    return tuple(found)


def _shape(iri: str, described: dict[str, _Description], seen: tuple[str, ...] = ()) -> Shape:
    if iri in seen:
        raise UnsupportedShapesError(f"recursive shape {iri}")
    about = described.get(iri, _Description())
    if about.one(SH + "deactivated") is not None and _text(about.one(SH + "deactivated")) == "true":
        return Shape(iri, None, (), None, SH + "Violation")
    path_term = about.one(SH + "path")
    if path_term is not None and not isinstance(path_term, ox.NamedNode):
        raise UnsupportedShapesError(f"non-predicate sh:path on {iri}")
    path = path_term.value if path_term is not None else None
    messages = [m for m in about.all(SH + "message") if isinstance(m, ox.Literal)]
    if len(messages) > 1:
        raise UnsupportedShapesError(f"several sh:message on {iri}")
    severity = about.one(SH + "severity")
    sparql = []
    for node in about.all(SH + "sparql"):
        key = node_key(node)
        spec = described.get(key, _Description())
        if set(spec.values) - _SPARQL_KEYS - {RDF + "type", RDFS + "label", RDFS + "comment"}:
            raise UnsupportedShapesError(f"SPARQL constraint {key} uses more than sh:select")
        if _text(spec.one(SH + "deactivated")) == "true":
            continue
        select = _text(spec.one(SH + "select"))
        if select is None:
            raise UnsupportedShapesError(f"SPARQL constraint {key} has no sh:select")
        sparql.append(SparqlConstraint(key, select, _text(spec.one(SH + "message"))))
    properties = tuple(
        _shape(node_key(p), described, (*seen, iri)) for p in about.all(SH + "property")
    )

    def iris(predicate: str) -> tuple[str, ...]:
        return tuple(sorted(node_key(t) for t in about.all(predicate)))

    return Shape(
        iri=iri,
        path=path,
        constraints=_constraints(iri, about, path is None),
        message=messages[0].value if messages else None,
        severity=node_key(severity) if severity is not None else SH + "Violation",
        properties=properties,
        sparql=tuple(sparql),
        target_classes=iris(SH + "targetClass"),
        target_nodes=iris(SH + "targetNode"),
        subjects_of=iris(SH + "targetSubjectsOf"),
        objects_of=iris(SH + "targetObjectsOf"),
        flags=_text(about.one(SH + "flags")) or "",
    )


@cache
def compile_shapes(shapes_turtle: str) -> tuple[Shape, ...]:
    """The targeted shapes of a shapes graph, each with its property shapes resolved.

    Raises:
        UnsupportedShapesError: the shapes use a feature the fast engine does not implement.
    """
    triples = [q.triple for q in ox.parse(shapes_turtle, format=ox.RdfFormat.TURTLE)]
    described = _describe(triples)
    for key, about in described.items():
        types = {node_key(t) for t in about.all(RDF + "type")}
        is_shape = types & {SH + "NodeShape", SH + "PropertyShape"} or set(about.values) & _TARGETS
        if is_shape and types & {RDFS + "Class", OWL_CLASS}:
            raise UnsupportedShapesError(f"implicit class target on {key}")
        for predicate in about.values:
            if predicate.startswith(SH) and predicate not in _KNOWN:
                raise UnsupportedShapesError(f"{predicate} on {key}")
    roots = sorted(key for key, about in described.items() if set(about.values) & _TARGETS)
    return tuple(_shape(key, described) for key in roots)


_KNOWN = set(COMPONENTS) | _NON_VALIDATING | _SPARQL_KEYS

NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "float",
        "double",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
