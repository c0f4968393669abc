"""The one SPARQL lexer: where IRIs, string literals and comments are, so that keywords and
braces are looked for only in the rest (shared by the catalogue and the endpoint guard)."""

from __future__ import annotations

import re

# Comments run from "#" to the end of a line, except inside IRIs and string literals.
TOKENS = re.compile(
    r'<[^<>"{}|^`\\\s]*>|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|#[^\n]*",
    re.DOTALL,
)
_KEYWORD = re.compile(r"(?<![?$\w:.-])WHERE\b", re.IGNORECASE)
_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def declared_prefixes(stripped: str) -> dict[str, str]:
    """Prefix -> namespace of a query's PREFIX declarations ("" for the empty prefix), in
    text already stripped with its IRIs kept (`strip(text, keep_iris=True)`)."""
    return {(m.group(1) or ""): m.group(2) for m in _PREFIX.finditer(stripped)}


def strip(text: str, keep_iris: bool = False) -> str:
    """Comments removed, string literals emptied to "", and IRIs to <> unless ``keep_iris``."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("<"):
            return token if keep_iris else "<>"
        return " " if token.startswith("#") else '""'

    return TOKENS.sub(replace, text)


def blank(text: str) -> str:
    """The text with every IRI, string literal and comment turned into spaces (newlines kept),
    so positions in the result are positions in ``text``."""
    return TOKENS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def group_start(text: str, construct: bool = False) -> int | None:
    """The offset just after the "{" that opens the query's WHERE group, or None.

    A CONSTRUCT's first group is its template, so there the group after WHERE is taken.
    """
    masked = blank(text)
    start = 0
    if construct:
        keyword = _KEYWORD.search(masked)
        if keyword is None:
            return None
        start = keyword.end()
    brace = masked.find("{", start)
    return None if brace < 0 else brace + 1
