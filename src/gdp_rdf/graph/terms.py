"""N-Triples terms and lines: the builders mapping uses, canonical blocks, parsing them back.

Mapping writes each triple as one canonical N-Triples line (a Python string costs ~0.1 us;
a pyoxigraph Triple object ~3 us); Oxigraph parses a block back into triples when a writer
or validator needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import AnyStr

import pyoxigraph as ox

from gdp_rdf.vocab import RDF, XSD

Term = str  # an N-Triples term: "<iri>" or a literal such as "345"^^<...#integer>

# Oxigraph's canonical N-Triples escaping: ECHARs for these, \uXXXX for other controls.
_ESCAPES = {
    **{code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord("\b"): "\\b",
    ord("\f"): "\\f",
}


def iri(value: str) -> Term:
    return f"<{value}>"


def _escaped(value: str) -> str:
    # str.translate with a dict costs ~4 us on a sentence; every character it replaces is
    # unprintable, or a quote or backslash, which most values hold none of
    if value.isprintable() and '"' not in value and "\\" not in value:
        return value
    return value.translate(_ESCAPES)


def typed(value: str, datatype: str) -> Term:
    """A literal of an XSD datatype given by local name ("integer", "gYear", ...)."""
    return f'"{_escaped(value)}"^^<{XSD}{datatype}>'


def text(value: str, language: str | None = "en") -> Term:
    """A language-tagged literal (English by default) or a plain xsd:string."""
    quoted = f'"{_escaped(value)}"'
    return f"{quoted}@{language}" if language else quoted


_GYEAR = f"^^<{XSD}gYear>"
_INTEGER = f"^^<{XSD}integer>"


def year(value: int) -> Term:
    return f'"{value:04d}"{_GYEAR}'  # digits need no escaping


def integer(value: int) -> Term:
    return f'"{value}"{_INTEGER}'


def boolean(value: bool) -> Term:
    return typed("true" if value else "false", "boolean")


class Triples:
    """An append-only list of N-Triples lines, with short helpers."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, subject: str, predicate: str, obj: Term) -> None:
        self.lines.append(f"<{subject}> <{predicate}> {obj} .\n")

    def link(self, subject: str, predicate: str, target: str) -> None:
        self.lines.append(f"<{subject}> <{predicate}> <{target}> .\n")

    def type(self, subject: str, *classes: str) -> None:
        for cls in classes:
            self.lines.append(f"<{subject}> <{RDF}type> <{cls}> .\n")

    def extend(self, lines: Iterable[str]) -> None:
        self.lines.extend(lines)


def canonical(lines: Iterable[str]) -> bytes:
    """A block: the lines deduplicated and sorted (the order of `gdp.nt`)."""
    return "".join(sorted(set(lines))).encode("utf-8")


def parse_block(block: bytes) -> list[ox.Triple]:
    """The triples of a block of N-Triples lines."""
    return [quad.triple for quad in ox.parse(block, format=ox.RdfFormat.N_TRIPLES)]


def ntriples_lines(triples: Iterable[ox.Triple]) -> list[str]:
    """Triples as canonical N-Triples lines (Oxigraph's writer)."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return data.decode("utf-8").splitlines(keepends=True)


def split_line(line: AnyStr) -> tuple[AnyStr, AnyStr, AnyStr]:
    """(subject IRI, predicate IRI, object term) of one canonical N-Triples line.

    Every line the project writes is ``<s> <p> object .`` with IRIs that hold no space or
    '>', so the line splits at its first two spaces without a parser (one C call: this runs
    for every line the validator, the quality checks and the pruning read). Blank nodes
    never occur.
    """
    subject, predicate, obj = line.split(b" " if isinstance(line, bytes) else " ", 2)
    return subject[1:-1], predicate[1:-1], obj.rstrip()[:-2]


_ECHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescaped(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHARS[match.group(3)]


def lexical(term: str) -> str:
    """The ``.value`` Oxigraph gives the parsed term of an object in a canonical line: an
    IRI, or a literal's unescaped text ("" for a blank node, which the project never writes)."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] != '"':
        return ""
    body = term[1 : term.rindex('"')]
    return _ECHAR.sub(_unescaped, body) if "\\" in body else body


class IriCompactor:
    """The one rule for showing an IRI short, used by the dumps, the reports, the CLI tables
    and the pages: ``prefix:local`` when a known namespace covers the IRI up to its last '/'
    or '#', else the whole IRI."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.by_namespace = {namespace: prefix for prefix, namespace in names.items()}
        self.seen: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        found = self.seen.get(value)
        if found is None:
            cut = max(value.rfind("/"), value.rfind("#")) + 1
            prefix = self.by_namespace.get(value[:cut])
            local = value[cut:]
            found = f"{prefix}:{local}" if prefix and local and ":" not in local else value
            self.seen[value] = found
        return found
