"""Literals as rdflib (and so pySHACL) reads them, for the fast engine's value checks.

A literal is keyed by its N-Triples text; it is ill-typed exactly when rdflib's converter for
its datatype fails, and it is shown as str() of the rdflib term, as pySHACL's report states it.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from functools import cache

from gdp_rdf.graph.fast_shapes import NUMERIC, XSD, Node
from gdp_rdf.vocab import RDF

LANG_STRING, _STRING = RDF + "langString", XSD + "string"

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
    return body, LANG_STRING if suffix[0] == "@" else suffix[3:-1]


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


def kind(node: Node) -> str:
    return "Literal" if node[0] == '"' else "BlankNode" if node.startswith("_:") else "IRI"


def number(node: Node) -> Decimal | None:
    if node[0] != '"' or literal(node)[1] not in NUMERIC or not well_formed(node):
        return None
    try:
        return Decimal(literal(node)[0].strip())
    except InvalidOperation:
        return None


@cache
def regex(pattern: str, flags: str) -> re.Pattern[str]:
    bits = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}
    value = 0
    for flag in flags:
        value |= bits.get(flag, 0)
    return re.compile(pattern, value)
