"""The package layout is the architecture: imports flow one way between the stages.

    errors <- leaves (resources, vocab, parallel) <- reader <- graph <- quality / history / sparql
    <- wikidata <- pipeline <- web <- cli

A module may import its own subpackage and any lower rank, never a higher one, never another
subpackage of the same rank; so there is no cycle between subpackages. Function-level imports
count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gdp_rdf"

RANKS = {
    "__init__": 0,
    "errors": 0,
    "resources": 0.5,
    "vocab": 0.5,
    "parallel": 0.5,
    "reader": 1,
    "graph": 2,
    "quality": 3,
    "history": 3,
    "sparql": 3,
    "wikidata": 4,
    "pipeline": 5,
    "web": 6,
    "cli": 7,
    "__main__": 8,
}


def unit_of(module: str) -> str:
    """The layer a dotted module name belongs to: its subpackage, or the top-level module."""
    parts = module.split(".")
    assert parts[0] == "gdp_rdf", module
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every gdp_rdf module a file imports (at any depth), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("gdp_rdf")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "gdp_rdf":  # "from gdp_rdf import x": x is a module or a dunder
                found += [
                    ("gdp_rdf" if a.name.startswith("__") else f"gdp_rdf.{a.name}", node.lineno)
                    for a in node.names
                ]
            elif node.module.startswith("gdp_rdf."):
                found.append((node.module, node.lineno))
    return found


def module_name(path: Path, package: Path) -> str:
    relative = path.relative_to(package.parent).with_suffix("")
    return ".".join(relative.parts)


def violations(package: Path = PACKAGE) -> list[str]:
    """Imports that cross the layers the wrong way, as "file:line: a -> b" lines."""
    out: list[str] = []
    for path in sorted(package.rglob("*.py")):
        here = unit_of(module_name(path, package))
        if here not in RANKS:
            out.append(f"{path}: {here} has no rank in tests/test_layers.py")
            continue
        for target, line in imports_of(path):
            there = unit_of(target)
            if there == here or there == "__init__" and target == "gdp_rdf":
                continue
            if there not in RANKS:
                out.append(f"{path}:{line}: imports {target}, which has no rank")
            elif RANKS[there] >= RANKS[here]:
                out.append(f"{path}:{line}: {here} (rank {RANKS[here]}) imports {target}")
    return out


def test_imports_flow_one_way() -> None:
    assert violations() == []


def test_the_check_catches_a_crossed_layer(tmp_path: Path) -> None:
    """A reader module importing the graph, and the graph importing the CLI, are both caught."""
    package = tmp_path / "gdp_rdf"
    for folder, text in (
        ("reader", "from gdp_rdf.graph.terms import Triples\n"),
        ("graph", "def f():\n    from gdp_rdf.cli.app import cli\n"),
        ("web", "from gdp_rdf.sparql.store import open_store\n"),  # allowed: web is above sparql
    ):
        (package / folder).mkdir(parents=True)
        (package / folder / "bad.py").write_text(text, encoding="utf-8")
    found = violations(package)
    assert len(found) == 2
    assert "reader (rank 1) imports gdp_rdf.graph.terms" in found[1]
    assert "graph (rank 2) imports gdp_rdf.cli.app" in found[0]


def test_same_rank_subpackages_do_not_import_each_other(tmp_path: Path) -> None:
    package = tmp_path / "gdp_rdf"
    (package / "sparql").mkdir(parents=True)
    (package / "sparql" / "x.py").write_text("import gdp_rdf.quality.checks\n", encoding="utf-8")
    assert violations(package) == [
        f"{package / 'sparql' / 'x.py'}:1: sparql (rank 3) imports gdp_rdf.quality.checks"
    ]


@pytest.mark.parametrize(
    "module", ["gdp_rdf.reader.page", "gdp_rdf.reader.facts", "gdp_rdf.reader.countries"]
)
def test_the_reader_loads_neither_rdflib_nor_pyoxigraph(module: str) -> None:
    """Checked in a fresh interpreter: nothing the reader imports pulls in an RDF library."""
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'pyshacl') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
