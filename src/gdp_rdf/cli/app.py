"""The `gdp-rdf` command group and the one place errors become exit codes."""

from __future__ import annotations

from typing import Any

import click

from gdp_rdf import __version__
from gdp_rdf.errors import GdpRdfError


class _Group(click.Group):
    """Turns the project's errors into one line on stderr and exit code 1, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GdpRdfError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="gdp-rdf")
def cli() -> None:
    """Publish Global Detention Project country profiles as a linked-data knowledge graph."""


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="gdp-rdf")
