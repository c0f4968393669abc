"""`gdp-rdf diff`: what changed between two versions of the profiles."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gdp_rdf.cli.options import base_iri_option
from gdp_rdf.cli.render import TableFormat, render
from gdp_rdf.history.diff import diff_versions
from gdp_rdf.history.report import (
    POINT_COLUMNS,
    SUMMARY_COLUMNS,
    TABLE_COLUMNS,
    VERSION_COLUMNS,
    DiffFormat,
    diff_json,
    diff_turtle,
    point_rows,
    totals_line,
    undated_note,
    version_rows,
)
from gdp_rdf.history.versions import VersionsError, check_date, read_versions


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_date(value, f"--{param.name}")
    except VersionsError as error:
        raise click.BadParameter(error.message) from None


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in DiffFormat]),
    default=DiffFormat.TABLE.value,
    show_default=True,
    help="Output format (turtle: the changes as RDF).",
)
@click.option(
    "--old-date", metavar="YYYY-MM-DD", callback=_date, help="Date of the OLD version(s)."
)
@click.option(
    "--new-date", metavar="YYYY-MM-DD", callback=_date, help="Date of the NEW version(s)."
)
@base_iri_option("Base IRI of the changes (turtle).")
def diff_command(
    old: Path, new: Path, fmt: str, old_date: str | None, new_date: str | None, base_iri: str
) -> None:
    """Compare OLD and NEW (each a profile file, a folder of profiles or a built dist/):
    per country and indicator, the points added, removed, revised and unchanged, label
    and section renames, and a summary per indicator. Facts past the end of a partial
    copy are "not compared"; countries only one side has are listed, not compared."""
    diff = diff_versions(read_versions(old, old_date), read_versions(new, new_date))
    choice = DiffFormat(fmt)
    if choice is DiffFormat.TURTLE:
        click.echo(diff_turtle(diff, base_iri).decode("utf-8"), nl=False)
    elif choice is DiffFormat.JSON:
        click.echo(json.dumps(diff_json(diff), ensure_ascii=False, indent=2))
    elif choice is DiffFormat.CSV:
        click.echo(render(point_rows(diff), POINT_COLUMNS, TableFormat.CSV), nl=False)
    else:
        click.echo(render(version_rows(diff), VERSION_COLUMNS[:-1], TableFormat.TABLE), nl=False)
        if (note := undated_note(diff)) is not None:
            click.echo(note)
        click.echo()
        rows = point_rows(diff, include_unchanged=False)
        click.echo(render(rows, TABLE_COLUMNS, TableFormat.TABLE), nl=False)
        click.echo()
        click.echo(render(diff.summary(), SUMMARY_COLUMNS, TableFormat.TABLE), nl=False)
        click.echo(totals_line(diff))
