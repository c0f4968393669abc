"""The fast SHACL engine: pySHACL's verdicts, results and focus nodes at Python-dict speed.

Core constraints are checked against a subject -> predicate -> objects index built straight
from N-Triples lines (no rdflib terms); `sh:sparql` constraints run in an in-memory
Oxigraph store with `$this` substituted, as pySHACL pre-binds it. The literal checks follow
rdflib's (and so pySHACL's) reading of the XSD datatypes: a value is ill-typed exactly when
rdflib cannot convert it. pySHACL stays the reference (`--engine pyshacl`); a test runs both
on every fixture and on the real build and requires the same results.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache

import pyoxigraph as ox

from gdp_rdf.graph.fast_shapes import (
    NUMERIC,
    SH,
    XSD,
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
_LANG_STRING, _STRING = RDF + "langString", XSD + "string"


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
        add = self._add
        for line in block.decode("utf-8").splitlines():
            s, p, o = split_line(line)
            add(s, p, o[1:-1] if o[0] == "<" else o)

    def add_triples(self, triples: Iterable[ox.Triple]) -> None:
        """Triples read from any file (blank nodes allowed)."""
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
        types = self.values(node, _TYPE)
        return any(cls in self.superclasses(t) for t in types)

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


# -- literals, as rdflib reads them ----------------------------------------------------------------

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHAR.get(match.group(3), match.group(3))


@cache
def literal(key: Node) -> tuple[str, str]:
    """(lexical form, datatype) of a literal key; rdf:langString for a language tag."""
    end = key.rindex('"')
    body, suffix = key[1:end], key[end + 1 :]
    if "\\" in body:
        body = _ESCAPE.sub(_unescape, body)
    if not suffix:
        return body, _STRING
    return body, _LANG_STRING if suffix[0] == "@" else suffix[3:-1]


def _boolean(text: str) -> None:
    if text.lower() not in ("true", "false", "1", "0"):
        raise ValueError(text)


_CONVERTERS = {
    **{dt: int for dt in NUMERIC if dt not in {XSD + t for t in ("decimal", "float", "double")}},
    XSD + "decimal": Decimal,
    XSD + "float": float,
    XSD + "double": float,
    XSD + "boolean": _boolean,
    XSD + "date": datetime.date.fromisoformat,
    XSD + "dateTime": datetime.datetime.fromisoformat,
    XSD + "time": datetime.time.fromisoformat,
}


@cache
def well_formed(key: Node) -> bool:
    """False when rdflib would mark the literal ill-typed (its converter fails)."""
    text, datatype = literal(key)
    convert = _CONVERTERS.get(datatype)
    if convert is None:
        return True
    try:
        convert(text)  # type: ignore[operator]
    except (ValueError, InvalidOperation, ArithmeticError):
        return False
    return True


def shown(node: Node) -> str:
    """The node as pySHACL's report states it (str() of the rdflib term)."""
    if node.startswith('"'):
        return literal(node)[0]
    return node[2:] if node.startswith("_:") else node


def _kind(node: Node) -> str:
    return "Literal" if node[0] == '"' else "BlankNode" if node.startswith("_:") else "IRI"


def _number(node: Node) -> Decimal | None:
    if node[0] != '"' or literal(node)[1] not in NUMERIC or not well_formed(node):
        return None
    try:
        return Decimal(literal(node)[0].strip())
    except InvalidOperation:
        return None


@cache
def _regex(pattern: str, flags: str) -> re.Pattern[str]:
    bits = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}
    value = 0
    for flag in flags:
        value |= bits.get(flag, 0)
    return re.compile(pattern, value)


# -- constraint components -----------------------------------------------------------------------


def _value_ok(graph: DataGraph, constraint: Constraint, node: Node, flags: str) -> bool:
    """Whether one value node satisfies a value-level constraint."""
    parameter, param = constraint.parameter, constraint.value
    if parameter == SH + "datatype":
        if node[0] != '"':
            return False
        return literal(node)[1] == param and well_formed(node)
    if parameter == SH + "class":
        return node[0] != '"' and graph.is_instance(node, param)
    if parameter == SH + "nodeKind":
        return _kind(node) in param[len(SH) :].replace("Or", " ").split()
    if parameter == SH + "pattern":
        return not node.startswith("_:") and bool(_regex(shown(param), flags).search(shown(node)))
    if parameter in (SH + "minLength", SH + "maxLength"):
        if node.startswith("_:") or constraint.number is None:
            return False
        size = len(shown(node))
        return (
            size >= constraint.number
            if parameter == SH + "minLength"
            else size <= constraint.number
        )
    number, bound = _number(node), constraint.number
    if number is None or bound is None:
        return False
    return {
        SH + "minInclusive": number >= bound,
        SH + "maxInclusive": number <= bound,
        SH + "minExclusive": number > bound,
        SH + "maxExclusive": number < bound,
    }[parameter]


_FOCUS_LEVEL = {SH + "minCount", SH + "maxCount", SH + "hasValue"}


def _default_message(
    constraint: Constraint, focus: Node, path: str | None, node: Node | None
) -> str:
    name = constraint.parameter[len(SH) :]
    where = f"{shown(focus)}->{path}" if path else shown(focus)
    if node is None:
        return f"{name} {shown(constraint.value)} not satisfied on {where}"
    return f"Value {shown(node)} on {where} does not satisfy {name} {shown(constraint.value)}"


def _check_shape(graph: DataGraph, shape: Shape, focus: Node, out: list[Violation]) -> None:
    values = graph.values(focus, shape.path) if shape.path else [focus]

    def result(constraint: Constraint, node: Node | None) -> None:
        message = shape.message or _default_message(constraint, focus, shape.path, node)
        out.append(
            Violation(
                focus=shown(focus),
                path=shape.path,
                value=None if node is None else shown(node),
                source_shape=shape.iri,
                constraint=None,
                component=constraint.component,
                message=message,
                severity=shape.severity,
            )
        )

    for constraint in shape.constraints:
        if constraint.parameter in _FOCUS_LEVEL:
            bound = constraint.number
            if constraint.parameter == SH + "minCount":
                failed = bound is not None and len(values) < bound
            elif constraint.parameter == SH + "maxCount":
                failed = bound is not None and len(values) > bound
            else:
                failed = constraint.value not in values
            if failed:
                result(constraint, None)
            continue
        for node in values:
            if not _value_ok(graph, constraint, node, shape.flags):
                result(constraint, node)
    for prop in shape.properties:
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
    if datatype == _LANG_STRING:
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
        nodes = graph.focus_nodes(shape)
        # a nested shape reports about value nodes, so only a flat one can skip focus nodes
        if focus is not None and not nested:
            nodes &= focus
        for node in sorted(nodes):
            _check_shape(graph, shape, node, found)
    return sorted(found, key=Violation.sort_key)
