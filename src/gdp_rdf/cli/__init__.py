"""Click commands only: each reads its options, calls one core function, renders the result."""

from __future__ import annotations

from gdp_rdf.cli.app import cli, main

__all__ = ["cli", "main"]
