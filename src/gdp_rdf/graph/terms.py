"""N-Triples terms and lines: the builders mapping uses, canonical blocks, parsing them back.

Mapping writes each triple as one canonical N-Triples line (a Python string costs ~0.1 us;
a pyoxigraph Triple object ~3 us); Oxigraph parses a block back into triples when a writer
or validator needs them.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def typed(value: str, datatype: str) -> Term:
    """A literal of an XSD datatype given by local name ("integer", "gYear", ...)."""
    return f'"{value.translate(_ESCAPES)}"^^<{XSD}{datatype}>'


def text(value: str, language: str | None = "en") -> Term:
    """A language-tagged literal (English by default) or a plain xsd:string."""
    quoted = f'"{value.translate(_ESCAPES)}"'
    return f"{quoted}@{language}" if language else quoted


def year(value: int) -> Term:
    return typed(f"{value:04d}", "gYear")


def integer(value: int) -> Term:
    return typed(str(value), "integer")


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
