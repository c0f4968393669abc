"""The quality graph against its shapes (shapes/quality.ttl)."""

from __future__ import annotations

import pyshacl
import rdflib

from gdp_rdf.graph.rdf_io import to_rdflib
from gdp_rdf.graph.terms import parse_block
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import DEFAULT_BASE, rebase


def quality_shapes(base: str = DEFAULT_BASE) -> rdflib.Graph:
    """shapes/quality.ttl under ``base``.

    Raises:
        ResourceError: the shapes file is missing.
    """
    text = resource_path("shapes", "quality.ttl").read_text(encoding="utf-8")
    return rdflib.Graph().parse(data=rebase(text, base), format="turtle")


def validate_quality(block: bytes, base: str = DEFAULT_BASE) -> tuple[bool, str]:
    """Whether a quality graph (N-Triples) conforms, and pySHACL's report text."""
    graph = to_rdflib(parse_block(block))
    conforms, _, report = pyshacl.validate(
        graph, shacl_graph=quality_shapes(base), inference="none", allow_warnings=True
    )
    return bool(conforms), str(report)
