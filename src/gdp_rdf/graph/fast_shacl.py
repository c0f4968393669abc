"""The fast SHACL engine: pySHACL's verdicts, results and focus nodes at Python-dict speed.

Core constraints are checked against a subject -> predicate -> objects index built straight
from N-Triples lines (no rdflib terms); `sh:sparql` constraints run in an in-memory
Oxigraph store with `$this` substituted, as pySHACL pre-binds it. The literal checks follow
rdflib's (and so pySHACL's) reading of the XSD datatypes: a value is ill-typed exactly when
rdflib cannot convert it. pySHACL stays the reference (`--engine pyshacl`); a test runs both
on every fixture and on the real build and requires the same results.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import pyoxigraph as ox

from gdp_rdf.graph.fast_literals import (
    LANG_STRING,
    kind,
    literal,
    number,
    regex,
    shown,
    well_formed,
)
from gdp_rdf.graph.fast_shapes import (
    SH,
    Constraint,
    Node,
    Shape,
    UnsupportedShapesError,
    node_key,
)
from gdp_rdf.graph.report import Violation
from gdp_rdf.graph.terms import split_line
from gdp_rdf.vocab import RDF, RDFS

_TYPE, _SUBCLASS = RDF + "type", RDFS + "subClassOf"


class DataGraph:
    """The data to validate, indexed by subject and predicate; an Oxigraph store on demand."""

    def __init__(self) -> None:
        self.out: dict[str, dict[str, list[Node]]] = {}
        self.instances: dict[str, list[Node]] = {}
        self.supers: dict[str, list[str]] = {}
        self._blocks: list[bytes] = []
        self._triples: list[ox.Triple] = []
        self._store: ox.Store | None = None
        self._closure: dict[str, frozenset[str]] = {}
        self._instance_of: dict[tuple[Node, str], bool] = {}  # the same nodes recur as values
        self.size = 0  # distinct triples

    def _add(self, s: Node, p: str, o: Node) -> None:
        values = self.out.setdefault(s, {}).setdefault(p, [])
        if o in values:
            return
        values.append(o)
        self.size += 1
        if p == _TYPE:
            self.instances.setdefault(o, []).append(s)
        elif p == _SUBCLASS:
            self.supers.setdefault(s, []).append(o)

    def add_block(self, block: bytes) -> None:
        """Canonical N-Triples lines (named-node subjects, as the project writes them)."""
        self._blocks.append(block)
        self._closure.clear()
        self._instance_of.clear()
        # _add inlined: this loop runs once per triple of every chunk
        out, size = self.out, 0
        for line in block.decode("utf-8").splitlines():
            s, p, o = split_line(line)
            if o[0] == "<":
                o = o[1:-1]
            about = out.get(s)
            if about is None:
                about = out[s] = {}
            values = about.get(p)
            if values is None:
                about[p] = [o]
            elif o in values:
                continue
            else:
                values.append(o)
            size += 1
            if p == _TYPE:
                self.instances.setdefault(o, []).append(s)
            elif p == _SUBCLASS:
                self.supers.setdefault(s, []).append(o)
        self.size += size

    def add_triples(self, triples: Iterable[ox.Triple]) -> None:
        """Triples read from any file (blank nodes allowed)."""
        self._closure.clear()
        self._instance_of.clear()
        for t in triples:
            self._triples.append(t)
            self._add(node_key(t.subject), t.predicate.value, node_key(t.object))

    def store(self) -> ox.Store:
        if self._store is None:
            store = ox.Store()
            for block in self._blocks:
                store.bulk_load(block, format=ox.RdfFormat.N_TRIPLES)
            if self._triples:
                store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in self._triples)
            self._store = store
        return self._store

    def values(self, focus: Node, path: str) -> list[Node]:
        about = self.out.get(focus)
        return about.get(path, []) if about else []

    def superclasses(self, cls: str) -> frozenset[str]:
        known = self._closure.get(cls)
        if known is not None:
            return known
        found, todo = {cls}, [cls]
        while todo:
            for parent in self.supers.get(todo.pop(), []):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        known = self._closure[cls] = frozenset(found)
        return known

    def is_instance(self, node: Node, cls: str) -> bool:
        key = (node, cls)
        known = self._instance_of.get(key)
        if known is None:
            types = self.values(node, _TYPE)
            known = self._instance_of[key] = any(cls in self.superclasses(t) for t in types)
        return known

    def focus_nodes(self, shape: Shape) -> set[Node]:
        found: set[Node] = set(shape.target_nodes)
        for cls in shape.target_classes:
            found |= {
                s
                for t, members in self.instances.items()
                if cls in self.superclasses(t)
                for s in members
            }
        for predicate in shape.subjects_of:
            found |= {s for s, about in self.out.items() if predicate in about}
        for predicate in shape.objects_of:
            found |= {o for about in self.out.values() for o in about.get(predicate, [])}
        return found


# -- constraint components -----------------------------------------------------------------------


def _value_check(graph: DataGraph, constraint: Constraint, flags: str) -> Callable[[Node], bool]:
    """Whether one value node satisfies a value-level constraint, as a function of the node.

    Each constraint is turned into its check once per graph, so the loop over value nodes
    neither dispatches on the parameter nor rebuilds its argument (pattern, kinds, bound).
    """
    parameter, param, bound = constraint.parameter, constraint.value, constraint.number
    if parameter == SH + "datatype":
        return lambda node: node[0] == '"' and literal(node)[1] == param and well_formed(node)
    if parameter == SH + "class":
        is_instance = graph.is_instance
        return lambda node: node[0] != '"' and is_instance(node, param)
    if parameter == SH + "nodeKind":
        kinds = param[len(SH) :].replace("Or", " ").split()
        return lambda node: kind(node) in kinds
    if parameter == SH + "pattern":
        search = regex(shown(param), flags).search
        return lambda node: not node.startswith("_:") and bool(search(shown(node)))
    if parameter in (SH + "minLength", SH + "maxLength"):
        if bound is None:
            return lambda node: False
        longer = parameter == SH + "minLength"
        return lambda node: (
            not node.startswith("_:")
            and (len(shown(node)) >= bound if longer else len(shown(node)) <= bound)
        )
    compare = _RANGES[parameter]
    if bound is None:
        return lambda node: False

    def in_range(node: Node) -> bool:
        value = number(node)
        return value is not None and compare(value, bound)

    return in_range


_RANGES: dict[str, Callable[[Decimal, Decimal], bool]] = {
    SH + "minInclusive": operator.ge,
    SH + "maxInclusive": operator.le,
    SH + "minExclusive": operator.gt,
    SH + "maxExclusive": operator.lt,
}


def _focus_check(constraint: Constraint) -> Callable[[list[Node]], bool] | None:
    """For a focus-level constraint, whether the value nodes fail it; None for the others."""
    parameter, bound = constraint.parameter, constraint.number
    if parameter == SH + "minCount":
        return (lambda values: False) if bound is None else (lambda values: len(values) < bound)
    if parameter == SH + "maxCount":
        return (lambda values: False) if bound is None else (lambda values: len(values) > bound)
    if parameter == SH + "hasValue":
        return lambda values: constraint.value not in values
    return None


class _Check(NamedTuple):
    constraint: Constraint
    failed: Callable[[list[Node]], bool] | None  # focus level: min/maxCount, hasValue
    ok: Callable[[Node], bool] | None  # value level: every other component


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A shape with its constraints turned into checks on one graph."""

    shape: Shape
    checks: tuple[_Check, ...]
    properties: tuple[_Compiled, ...]


def _compile(graph: DataGraph, shape: Shape) -> _Compiled:
    checks = []
    for constraint in shape.constraints:
        failed = _focus_check(constraint)
        ok = None if failed is not None else _value_check(graph, constraint, shape.flags)
        checks.append(_Check(constraint, failed, ok))
    properties = tuple(_compile(graph, prop) for prop in shape.properties)
    return _Compiled(shape, tuple(checks), properties)


def _default_message(
    constraint: Constraint, focus: Node, path: str | None, node: Node | None
) -> str:
    name = constraint.parameter[len(SH) :]
    where = f"{shown(focus)}->{path}" if path else shown(focus)
    if node is None:
        return f"{name} {shown(constraint.value)} not satisfied on {where}"
    return f"Value {shown(node)} on {where} does not satisfy {name} {shown(constraint.value)}"


def _result(shape: Shape, constraint: Constraint, focus: Node, node: Node | None) -> Violation:
    return Violation(
        focus=shown(focus),
        path=shape.path,
        value=None if node is None else shown(node),
        source_shape=shape.iri,
        constraint=None,
        component=constraint.component,
        message=shape.message or _default_message(constraint, focus, shape.path, node),
        severity=shape.severity,
    )


def _check_shape(graph: DataGraph, compiled: _Compiled, focus: Node, out: list[Violation]) -> None:
    shape = compiled.shape
    values = graph.values(focus, shape.path) if shape.path else [focus]
    for constraint, failed, ok in compiled.checks:
        if failed is not None:
            if failed(values):
                out.append(_result(shape, constraint, focus, None))
        elif ok is not None:
            for node in values:
                if not ok(node):
                    out.append(_result(shape, constraint, focus, node))
    if values:
        for prop in compiled.properties:
            for node in values:
                _check_shape(graph, prop, node, out)
    if shape.sparql:
        _check_sparql(graph, shape, focus, out)


def _term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if node.startswith("_:"):
        return ox.BlankNode(node[2:])
    if node[0] != '"':
        return ox.NamedNode(node)
    text, datatype = literal(node)
    if datatype == LANG_STRING:
        return ox.Literal(text, language=node[node.rindex('"') + 2 :])
    return ox.Literal(text, datatype=ox.NamedNode(datatype))


def _check_sparql(graph: DataGraph, shape: Shape, focus: Node, out: list[Violation]) -> None:
    if shape.path is not None:
        raise UnsupportedShapesError(f"sh:sparql on property shape {shape.iri}")
    this = ox.Variable("this")
    for constraint in shape.sparql:
        solutions = graph.store().query(constraint.select, substitutions={this: _term(focus)})
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        seen: set[tuple[str | None, ...]] = set()
        for row in solutions:
            bound = {name: row[name] for name in names if row[name] is not None}
            key = tuple(str(bound.get(name)) if name in bound else None for name in names)
            if key in seen:
                continue
            seen.add(key)
            texts = {name: term.value for name, term in bound.items()}
            message = constraint.message or shape.message or "SPARQL constraint not satisfied"
            for name, text in texts.items():
                message = re.sub("{[?$]" + name + "}", text.replace("\\", "\\\\"), message)
            value = bound.get("value")
            path = bound.get("path")
            out.append(
                Violation(
                    focus=texts.get("this", shown(focus)),
                    path=path.value if path is not None else None,
                    value=value.value if value is not None else shown(focus),
                    source_shape=shape.iri,
                    constraint=constraint.iri,
                    component=SH + "SPARQLConstraintComponent",
                    message=message,
                    severity=shape.severity,
                )
            )


def validate_data(
    graph: DataGraph, shapes: Sequence[Shape], focus: set[str] | None = None
) -> list[Violation]:
    """Every result of the shapes on the graph (only about ``focus`` nodes, when given), sorted.

    Raises:
        UnsupportedShapesError: a shape needs a feature the fast engine does not implement.
    """
    found: list[Violation] = []
    nested = any(p.properties for shape in shapes for p in shape.properties)
    for shape in shapes:
        compiled = _compile(graph, shape)
        nodes = graph.focus_nodes(shape)
        # a nested shape reports about value nodes, so only a flat one can skip focus nodes
        if focus is not None and not nested:
            nodes &= focus
        for node in sorted(nodes):
            _check_shape(graph, compiled, node, found)
    return sorted(found, key=Violation.sort_key)
