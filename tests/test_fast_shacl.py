"""The fast SHACL engine agrees with pySHACL, the reference: same verdict, results, focus nodes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from gdp_rdf.graph.fast_shapes import UnsupportedShapesError, compile_shapes
from gdp_rdf.graph.rdf_io import read_rdf, to_rdflib
from gdp_rdf.graph.report import ValidationReport, Violation
from gdp_rdf.graph.validate import (
    Engine,
    shapes_text,
    validate_graph,
    validate_knowledge_graph,
    validate_triples,
)
from gdp_rdf.pipeline import read_and_map

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((DATA / "invalid").glob("*.ttl"))


def _key(v: Violation) -> tuple[str, ...]:
    fields = (v.focus, v.path, v.value, v.source_shape, v.constraint, v.component, v.severity)
    return tuple("" if f is None else f for f in fields)


def assert_agree(fast: ValidationReport, reference: ValidationReport) -> None:
    assert fast.conforms == reference.conforms
    assert len(fast.violations) == len(reference.violations)
    assert sorted(map(_key, fast.violations)) == sorted(map(_key, reference.violations))
    # a shape's own sh:message is reported as written by both engines
    for mine, theirs in zip(
        sorted(fast.violations, key=_key), sorted(reference.violations, key=_key), strict=True
    ):
        if "{" not in theirs.message and not theirs.message.startswith(("Less", "More", "Value")):
            assert mine.message == theirs.message


def _both(triples: list[ox.Triple]) -> tuple[ValidationReport, ValidationReport]:
    return validate_triples(triples, engine=Engine.FAST), validate_graph(to_rdflib(triples))


def test_the_fast_engine_supports_the_shapes() -> None:
    assert compile_shapes(shapes_text())


def test_engines_agree_on_the_valid_base() -> None:
    fast, reference = _both(read_rdf(DATA / "valid-base.ttl"))
    assert fast.conforms and reference.conforms
    assert_agree(fast, reference)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_engines_agree_on_each_fixture(path: Path) -> None:
    fast, reference = _both(read_rdf(DATA / "valid-base.ttl") + read_rdf(path))
    assert not reference.conforms
    assert_agree(fast, reference)


def test_engines_agree_on_the_real_build(tmp_path: Path) -> None:
    kg = read_and_map(sorted((ROOT / "data" / "profiles").glob("*.txt"))).kg
    fast = validate_knowledge_graph(kg, None, engine=Engine.FAST)
    reference = validate_knowledge_graph(kg, None, engine=Engine.PYSHACL)
    assert fast.conforms and reference.conforms
    assert fast.checked == reference.checked


def test_engines_agree_on_the_real_build_with_faults() -> None:
    """Faults injected into country blocks: the chunked runs report the same results."""
    kg = read_and_map(sorted((ROOT / "data" / "profiles").glob("*.txt"))).kg
    countries = dict(kg.countries)
    for iso3 in sorted(countries)[:6]:
        lines = countries[iso3].decode().splitlines(keepends=True)
        # drop every third line: missing values, broken links, orphaned observations
        countries[iso3] = "".join(lines[::3] + lines[1::3][:5]).encode()
    broken = type(kg)(kg.base, kg.shared, countries)
    fast = validate_knowledge_graph(broken, None, engine=Engine.FAST)
    reference = validate_knowledge_graph(broken, None, engine=Engine.PYSHACL)
    assert not reference.conforms
    assert_agree(fast, reference)
    assert fast.profiles.keys() == reference.profiles.keys()


def test_unsupported_shapes_are_refused_not_skipped() -> None:
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> .
    <http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;
        sh:closed true ."""
    with pytest.raises(UnsupportedShapesError):
        compile_shapes(shapes)


def test_the_fast_engine_loads_neither_rdflib_nor_pyshacl(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from gdp_rdf.graph.validate import validate_files;"
        f"r = validate_files([Path({str(DATA / 'valid-base.ttl')!r})]); assert r.conforms;"
        "print(sorted(m for m in ('rdflib', 'pyshacl') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_validation_in_process_leaves_the_collector_as_it_found_it() -> None:
    """Chunks freeze the objects alive before them (the forked build); none stays frozen."""
    import gc

    kg = read_and_map(sorted((ROOT / "data" / "profiles").glob("*.txt"))[:2], workers=1).kg
    report = validate_knowledge_graph(kg, None, workers=1)
    assert report.conforms
    assert gc.isenabled() and gc.get_freeze_count() == 0
