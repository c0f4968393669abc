"""`gdp-rdf facts`: print the facts read from profile pages."""

from __future__ import annotations

from pathlib import Path

import click

from gdp_rdf.cli.app import cli
from gdp_rdf.cli.render import TableFormat, render
from gdp_rdf.reader.facts import FACT_COLUMNS, fact_records
from gdp_rdf.reader.pages import read_page

_TABLE_COLUMNS = ("line", "country", "section", "label", "indicator", "value", "period", "status")


@cli.command("facts")
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in TableFormat if f is not TableFormat.TSV]),
    default=TableFormat.TABLE.value,
    show_default=True,
    help="Output format.",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings (unrecognised lines, unknown labels) as errors."
)
def facts_command(profiles: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Print one row per fact read from each PROFILE text file."""
    records: list[dict[str, object]] = []
    warnings = 0
    for path in profiles:
        profile = read_page(path)
        for warning in profile.warnings:
            click.echo(f"{path}:{warning.line}: warning: {warning.message}", err=True)
        warnings += len(profile.warnings)
        records += fact_records(profile)
    if strict and warnings:
        raise click.ClickException(f"{warnings} warning(s); --strict treats them as errors")
    click.echo(render(records, FACT_COLUMNS, TableFormat(fmt), _TABLE_COLUMNS), nl=False)
