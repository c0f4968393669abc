"""History triples -> SHACL report against shapes/history.ttl (with ontology/history.ttl)."""

from __future__ import annotations

from collections.abc import Iterable

import pyshacl
import rdflib

from gdp_rdf.graph.rdf_io import to_rdflib
from gdp_rdf.graph.terms import canonical, parse_block
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import rebase


def history_shapes(base: str) -> rdflib.Graph:
    """The history shapes under ``base``.

    Raises:
        ResourceError: shapes/history.ttl is missing.
    """
    graph = rdflib.Graph()
    graph.parse(
        data=rebase(resource_path("shapes", "history.ttl").read_text("utf-8"), base),
        format="turtle",
    )
    return graph


def check_history(lines: Iterable[str], base: str) -> tuple[bool, str]:
    """Whether history triples conform to shapes/history.ttl, and pySHACL's report text."""
    data = to_rdflib(parse_block(canonical(lines)))
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=history_shapes(base), inference="none", allow_warnings=True
    )
    return bool(conforms), str(text)
