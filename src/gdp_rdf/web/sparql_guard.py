"""What the public SPARQL endpoint refuses before running a query (pure).

Read-only: only SELECT, ASK, CONSTRUCT and DESCRIBE run. A query may not reach other
servers: SERVICE is allowed only to listed endpoints (Wikidata when switched on), never to a
variable; FROM and FROM NAMED only name graphs under allowed hosts, since some engines
dereference them. Comments and string literals are removed before looking, so neither can
hide a keyword nor trigger a false refusal.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from gdp_rdf.errors import QueryRefusedError
from gdp_rdf.sparql import lexer
from gdp_rdf.sparql.catalogue import query_form
from gdp_rdf.vocab import WIKIDATA_SPARQL

_BASE = re.compile(r"\bBASE\s*<([^>]*)>", re.IGNORECASE)
_TARGET = r"(<[^>]*>|[?$]\w+|(?:[A-Za-z][\w.-]*)?:[\w.-]*)"
# A keyword, not a variable (?service) or a prefixed name (ex:from).
_SERVICE = re.compile(r"(?<![?$\w:.-])SERVICE\s+(?:SILENT\s+)?" + _TARGET, re.IGNORECASE)
_FROM = re.compile(r"(?<![?$\w:.-])FROM\s+(?:NAMED\s+)?" + _TARGET, re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    """What queries may reach."""

    graph_hosts: frozenset[str]  # hosts FROM / FROM NAMED may name (the data's own)
    services: frozenset[str]  # SERVICE endpoints allowed, as IRIs

    @staticmethod
    def default(base: str, allow_wikidata: bool = False) -> Policy:
        host = urllib.parse.urlsplit(base).hostname or ""
        return Policy(frozenset({host}), frozenset({WIKIDATA_SPARQL} if allow_wikidata else set()))


def _resolve(target: str, prefixes: dict[str, str], base: str | None) -> str | None:
    if target.startswith(("?", "$")):
        return None
    if target.startswith("<"):
        iri = target[1:-1]
        return urllib.parse.urljoin(base, iri) if base and ":" not in iri.split("/")[0] else iri
    prefix, _, local = target.partition(":")
    return prefixes[prefix] + local if prefix in prefixes else None


def check(text: str, policy: Policy) -> None:
    """Refuse updates, SERVICE outside the allow-list, and FROM to other hosts.

    Raises:
        QueryRefusedError: with the HTTP status to answer (400 malformed form, 403 refused).
    """
    form = query_form(text)
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        if form:
            raise QueryRefusedError(f"updates are not accepted here ({form})", 403)
        raise QueryRefusedError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)", 400)
    stripped = lexer.strip(text, keep_iris=True)
    services, graphs = list(_SERVICE.finditer(stripped)), list(_FROM.finditer(stripped))
    if not services and not graphs:
        return  # most queries: their prefixes and base need not be read (a tenth of a request)
    prefixes = lexer.declared_prefixes(stripped)
    base_match = _BASE.search(stripped)
    base = base_match.group(1) if base_match else None
    for match in services:
        endpoint = _resolve(match.group(1), prefixes, base)
        if endpoint is None:
            raise QueryRefusedError(f"SERVICE {match.group(1)} is not allowed: name an endpoint IRI")
        if endpoint not in policy.services:
            allowed = ", ".join(sorted(policy.services)) or "none"
            raise QueryRefusedError(f"SERVICE <{endpoint}> is not allowed (allowed: {allowed})")
    for match in graphs:
        graph = _resolve(match.group(1), prefixes, base)
        try:
            host = urllib.parse.urlsplit(graph or "").hostname
        except ValueError:  # "http://[::1/": no host can be read, so none is allowed
            host = None
        if graph is None or host not in policy.graph_hosts:
            raise QueryRefusedError(f"FROM {match.group(1)} is not allowed: only graphs of this dataset")
