"""The shapes are the truth about valid data: each one is shown to catch its violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SH

from gdp_rdf.graph.validate import validate_graph
from gdp_rdf.vocab import DEFAULT_BASE

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHAPES = rdflib.Graph().parse(ROOT / "shapes" / "gdp.ttl")
ONTOLOGY = rdflib.Graph().parse(ROOT / "ontology" / "gdp.ttl")
GDPSH = DEFAULT_BASE + "shapes/"
GDP = DEFAULT_BASE + "def/"
FIXTURES = sorted((DATA / "invalid").glob("*.ttl"))


def named_constraints() -> set[str]:
    kinds = (SH.PropertyShape, SH.SPARQLConstraint)
    return {str(s) for kind in kinds for s in SHAPES.subjects(RDF.type, kind)}


def expected_shape(path: Path) -> str:
    match = re.match(r"# expect: gdpsh:(\S+)", path.read_text(encoding="utf-8"))
    assert match, f"{path.name} has no '# expect: gdpsh:...' first line"
    return GDPSH + match.group(1)


def test_the_valid_base_conforms() -> None:
    report = validate_graph(rdflib.Graph().parse(DATA / "valid-base.ttl"))
    assert report.conforms, report.text()


def test_every_constraint_has_a_fixture() -> None:
    covered = {expected_shape(path) for path in FIXTURES}
    missing = sorted(named_constraints() - covered)
    assert not missing, f"shapes without a tests/data/invalid/ fixture: {missing}"
    assert not covered - named_constraints(), "a fixture expects a shape that no longer exists"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_fails_for_its_own_shape(path: Path) -> None:
    graph = rdflib.Graph().parse(DATA / "valid-base.ttl")
    graph.parse(path)
    report = validate_graph(graph)
    expected = expected_shape(path)
    assert not report.conforms, f"{path.name} conforms"
    sources = {v.source_shape for v in report.violations} | {
        v.constraint for v in report.violations if v.constraint
    }
    assert expected in sources, f"{path.name} failed for {sorted(sources)}, not {expected}"


def test_every_class_is_the_target_of_a_shape() -> None:
    classes = {str(c) for c in ONTOLOGY.subjects(RDF.type, OWL.Class)}
    targets = {str(t) for t in SHAPES.objects(None, SH.targetClass)}
    assert classes and classes <= targets, f"untargeted classes: {sorted(classes - targets)}"


def test_every_gdp_term_in_the_shapes_is_declared() -> None:
    declared = {str(s) for s in ONTOLOGY.subjects() if str(s).startswith(GDP)}
    used = {str(t) for triple in SHAPES for t in triple if str(t).startswith(GDP) and str(t) != GDP}
    for select in SHAPES.objects(None, SH.select):
        used |= set(re.findall(re.escape(GDP) + r"[A-Za-z]+", str(select)))
    assert used - declared == set()


def test_shapes_and_ontology_have_no_blank_nodes() -> None:
    for graph in (SHAPES, ONTOLOGY):
        assert not any(isinstance(t, rdflib.BNode) for triple in graph for t in triple)
