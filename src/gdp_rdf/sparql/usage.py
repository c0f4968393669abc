"""Why an empty answer may be no answer: the terms a query names that the data never uses.

A build made before a term existed (say gdp:latestObservation) answers every query naming it
with nothing, and no error. The same probe query finds such terms on every path: the
embedded store, a remote endpoint and the server's /sparql page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from gdp_rdf.sparql import lexer
from gdp_rdf.sparql.catalogue import Query
from gdp_rdf.sparql.results import Result, Term

_PREFIXED = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:([A-Za-z_][\w-]*)")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def named_terms(text: str, namespace: str) -> list[str]:
    """The IRIs under ``namespace`` a query names, in order of first mention: written out,
    or as prefixed names outside IRIs, strings and comments."""
    names = lexer.declared_prefixes(lexer.strip(text, keep_iris=True))
    tokens = lexer.TOKENS.finditer(text)
    named = [(m.start(), m.group(0)[1:-1]) for m in tokens if m.group(0).startswith("<")]
    named += [
        (m.start(), names[m.group(1) or ""] + m.group(2))
        for m in _PREFIXED.finditer(lexer.blank(text))
        if (m.group(1) or "") in names
    ]
    return [
        iri
        for iri in dict.fromkeys(iri for _, iri in sorted(named))
        if iri.startswith(namespace) and len(iri) > len(namespace)
    ]


def usage_probe(terms: Sequence[str]) -> Query:
    """A query answering which of ``terms`` some statement uses as a property or a class:
    one lookup each, by predicate or by class, on any SPARQL 1.1 store."""
    values = " ".join(f"<{iri}>" for iri in terms)
    text = (
        f"SELECT ?term WHERE {{ VALUES ?term {{ {values} }} "
        f"FILTER (EXISTS {{ ?s ?term ?o }} || EXISTS {{ ?s <{_RDF_TYPE}> ?term }}) }}"
    )
    return Query("<usage probe>", text)


def unused(terms: Sequence[str], rows: Iterable[Mapping[str, Term | None]]) -> list[str]:
    """``terms`` but those the probe's rows found in use, in their order."""
    found = {term.value for row in rows if (term := row.get("term")) is not None}
    return [iri for iri in terms if iri not in found]


def missing_terms(text: str, namespace: str, run: Callable[[Query], Result]) -> list[str]:
    """The terms under ``namespace`` a query names that ``run`` (the probe on some store)
    finds no statement using; no probe when the query names none."""
    terms = named_terms(text, namespace)
    return unused(terms, run(usage_probe(terms)).rows) if terms else []


def stale_note(unused_terms: Sequence[str], namespace: str, where: str, reason: str = "") -> str:
    """One line naming the terms (as gdp:name) that nothing in ``where`` uses.

    ``reason`` comes before the general one: the likelier cause where the caller knows it.
    """
    names = ", ".join(f"gdp:{iri[len(namespace) :]}" for iri in unused_terms)
    return (
        f"note: nothing in {where} uses {names}, which this query names: {reason}a build by an "
        "older gdp-rdf, or one without that data, has none (rebuild with `gdp-rdf build`)"
    )
