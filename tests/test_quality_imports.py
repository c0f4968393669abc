"""The quality package sits where the brief puts it: it imports reader, graph, vocab,
resources and errors only, and only pipeline, web and cli import it."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "gdp_rdf"
MAY_USE = ("reader", "graph", "vocab", "resources", "errors", "quality")
USED_BY = ("pipeline", "web", "cli", "quality")


def project_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("gdp_rdf.")}
    return found


def test_quality_imports_only_what_it_may() -> None:
    for path in sorted((SRC / "quality").glob("*.py")):
        assert project_imports(path) <= set(MAY_USE), path.name


def test_only_pipeline_web_and_cli_import_quality() -> None:
    for path in sorted(SRC.rglob("*.py")):
        part = path.relative_to(SRC).parts[0].removesuffix(".py")
        if "quality" in project_imports(path):
            assert part in USED_BY, path
