"""Click commands only: each reads its options, calls one core function, renders the result."""

from __future__ import annotations

from gdp_rdf.cli import (  # noqa: F401  (importing registers the commands)
    build_command,
    diff_command,
    facts_command,
    link_command,
    query_command,
    serve_command,
)
from gdp_rdf.cli.app import cli, main

__all__ = ["cli", "main"]
