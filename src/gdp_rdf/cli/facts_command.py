"""`gdp-rdf facts`: print the facts read from profile pages."""

from __future__ import annotations

from pathlib import Path

import click

from gdp_rdf.cli.options import format_option
from gdp_rdf.cli.render import TableFormat, render
from gdp_rdf.errors import MappingError
from gdp_rdf.graph.mapping import resolve_country
from gdp_rdf.pipeline import check_content
from gdp_rdf.reader.facts import FACT_COLUMNS, Profile, fact_records
from gdp_rdf.reader.pages import read_page

TABLE_COLUMNS = (
    "line",
    "country",
    "section",
    "label",
    "indicator",
    "value",
    "raw",
    "period",
    "status",
)


@click.command("facts")
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option(
    [f.value for f in TableFormat if f is not TableFormat.TSV],
    "Output format (the table shows the main columns; csv and json all of them).",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings (unrecognised lines, unknown labels) as errors."
)
def facts_command(profiles: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Print one row per fact read from each PROFILE text file.

    A file with no profile content, a country not in data/links/countries.csv (or its
    aliases) and two profiles of one country are errors, as they are for `gdp-rdf build`.
    """
    records: list[dict[str, object]] = []
    warnings = 0
    seen: dict[str, Path] = {}
    for path in profiles:
        profile = read_page(path)
        if isinstance(profile, Profile):  # a facility page is one of many in its country
            iso3 = resolve_country(check_content(profile, path)).iso3
            if iso3 in seen:
                raise MappingError(
                    f"two profiles of {iso3}: {seen[iso3]} and this one; give one per country",
                    str(path),
                )
            seen[iso3] = path
        for warning in profile.warnings:
            click.echo(f"{path}:{warning.line}: warning: {warning.message}", err=True)
        warnings += len(profile.warnings)
        records += fact_records(profile)
    if strict and warnings:
        raise click.ClickException(f"{warnings} warning(s); --strict treats them as errors")
    click.echo(render(records, FACT_COLUMNS, TableFormat(fmt), TABLE_COLUMNS), nl=False)
