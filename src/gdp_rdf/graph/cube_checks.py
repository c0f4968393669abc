"""The field's own checks on a cube: W3C Data Cube IC-1 to IC-21 and the SKOS checks (pure).

The queries live in shapes/cube/ (one .rq per check, each opening with its source). The
data is loaded into an in-memory Oxigraph store, the one Data Cube vocabulary axiom the
checks read (``qb:measureType``'s range, for IC-4) is added when the data uses that term,
SKOS S36 (memberList items are members) is closed for IC-19, and the Recommendation's
section 10 normalization is applied; then every check runs. A check fails when its query
returns a row; the first column names the offending resource. IC-12 is grouped in Python in
one pass (see shapes/cube/ic-12.rq), so it stays linear in the observations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.graph.rdf_io import read_rdf
from gdp_rdf.resources import resource_path

TEMPLATED = {20: "ic-20", 21: "ic-21"}  # IC-20/21 are templates over parent-child properties
SKOS_CHECKS = (
    ("S13", "s13"),
    ("S14", "s14"),
    ("S27", "s27"),
    ("S46", "s46"),
    ("qSKOS orphan concepts", "orphan-concepts"),
    ("qSKOS omitted top concepts", "omitted-top-concepts"),
)
_VOCABULARY = ox.NamedNode("urn:x-gdp-rdf:cube-vocabulary")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check: its name, its one-line meaning and the resources that violate it."""

    check: str
    title: str
    offenders: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.offenders


@dataclass(frozen=True, slots=True)
class CubeReport:
    """Every check's result, in order (IC-1 ... IC-21, then the SKOS checks)."""

    results: tuple[CheckResult, ...]

    @property
    def conforms(self) -> bool:
        return all(r.passed for r in self.results)

    def failed(self) -> dict[str, int]:
        return {r.check: len(r.offenders) for r in self.results if not r.passed}

    def text(self, examples: int = 5) -> str:
        """One line per check, then up to ``examples`` offenders of each failing one."""
        lines = []
        for r in self.results:
            status = "pass" if r.passed else f"FAIL {len(r.offenders)}"
            lines.append(f"{r.check:<28} {status:<10} {r.title}")
            lines += [f"    {offender}" for offender in r.offenders[:examples]]
        failed = self.failed()
        lines.append(
            f"Conforms: all {len(self.results)} checks hold."
            if not failed
            else f"Does not conform: {len(failed)} of {len(self.results)} checks fail."
        )
        return "\n".join(lines) + "\n"


def _query_text(*parts: str) -> str:
    return resource_path("shapes", "cube", *parts).read_text(encoding="utf-8")


def _title(text: str) -> str:
    first = text.splitlines()[0].lstrip("# ")
    return first.split(". ", 1)[-1].replace("(SELECT variant). ", "")


def _rows(store: ox.Store, text: str) -> list[list[ox.NamedNode | ox.BlankNode | ox.Literal]]:
    solutions = store.query(text)
    assert isinstance(solutions, ox.QuerySolutions), "a check is a SELECT query"
    names = [v.value for v in solutions.variables]
    return [[s[n] for n in names if s[n] is not None] for s in solutions]


def _offenders(rows: Iterable[Sequence[ox.NamedNode | ox.BlankNode | ox.Literal]]) -> set[str]:
    return {str(row[0]) for row in rows if row}


def prepare(store: ox.Store) -> None:
    """Add the vocabulary axiom the data needs, close S36 and normalize (Rec section 10)."""
    store.load(_query_text("qb-min.ttl").encode(), ox.RdfFormat.TURTLE, to_graph=_VOCABULARY)
    store.update(
        f"""INSERT {{ ?term ?p ?o }} WHERE {{ GRAPH {_VOCABULARY} {{ ?term ?p ?o }}
              FILTER EXISTS {{ {{ [] ?term [] }} UNION {{ [] ?anyPredicate ?term }} }} }};
            DROP SILENT GRAPH {_VOCABULARY}"""
    )
    store.update(
        """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
           PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           INSERT { ?collection skos:member ?member }
           WHERE { ?collection skos:memberList/rdf:rest*/rdf:first ?member }"""
    )
    store.update(_query_text("normalize.ru"))


def _duplicates(store: ox.Store, text: str) -> set[str]:
    """IC-12 in one pass: observations of one data set with the same dimension values."""
    keys: dict[str, tuple[str, set[tuple[str, str]]]] = {}
    for row in _rows(store, text):
        entry = keys.setdefault(str(row[0]), (str(row[1]), set()))
        entry[1].add((str(row[2]), str(row[3])))
    seen: dict[tuple[str, frozenset[tuple[str, str]]], str] = {}
    found: set[str] = set()
    for obs, (dataset, values) in keys.items():
        key = (dataset, frozenset(values))
        if key in seen:
            found |= {obs, seen[key]}
        else:
            seen[key] = obs
    return found


def _ic(store: ox.Store, number: int) -> CheckResult:
    text = _query_text(f"ic-{number:02d}.rq")
    if number == 12:
        offenders = _duplicates(store, text)
    elif number in TEMPLATED:
        offenders = set()
        for row in _rows(store, _query_text(f"{TEMPLATED[number]}.instantiate.rq")):
            parameter = row[0]
            if isinstance(parameter, ox.NamedNode):
                offenders |= _offenders(_rows(store, text.replace("<$p>", str(parameter))))
    else:
        offenders = _offenders(_rows(store, text))
    return CheckResult(f"IC-{number}", _title(text), tuple(sorted(offenders)))


def check_store(store: ox.Store) -> CubeReport:
    """Run every check on a store (normalized in place)."""
    prepare(store)
    results = [_ic(store, number) for number in range(1, 22)]
    for name, file in SKOS_CHECKS:
        text = _query_text("skos", f"{file}.rq")
        offenders = _offenders(_rows(store, text))
        results.append(CheckResult(name, _title(text), tuple(sorted(offenders))))
    return CubeReport(tuple(results))


def check_triples(triples: Iterable[ox.Triple]) -> CubeReport:
    """Run every check on a set of triples."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return check_store(store)


def check_files(paths: Sequence[Path]) -> CubeReport:
    """Run every check on the union of RDF files (Turtle, N-Triples, JSON-LD).

    Raises:
        RdfReadError: a file is missing or is not RDF.
    """
    triples: list[ox.Triple] = []
    for path in paths:
        triples += read_rdf(path)
    return check_triples(triples)
