"""`gdp-rdf check`: quality checks on profiles or built dumps, one row per finding."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pyoxigraph as ox

from gdp_rdf.cli.options import format_option
from gdp_rdf.cli.render import TableFormat, render
from gdp_rdf.graph.rdf_io import read_rdf
from gdp_rdf.pipeline import profile_paths, read_and_map
from gdp_rdf.quality.findings import FINDING_COLUMNS
from gdp_rdf.quality.points import CountryData, countries_from_triples
from gdp_rdf.quality.report_html import report_html
from gdp_rdf.quality.run import (
    QualityReport,
    check_countries,
    profile_countries,
    report_document,
    with_wikidata,
)
from gdp_rdf.quality.tables import load_thresholds
from gdp_rdf.resources import write_atomic
from gdp_rdf.wikidata.check import find_disagreements

_TABLE_COLUMNS = tuple(c for c in FINDING_COLUMNS if c != "context")  # the table stays narrow


@click.command("check")
@click.argument("profiles", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A built dump (Turtle, N-Triples, JSON-LD) to check instead of profiles; repeatable.",
)
@format_option(
    [f.value for f in TableFormat if f is not TableFormat.TSV],
    "Output format (json: see schemas/quality-findings.schema.json).",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any error or warning is found.")
@click.option(
    "--html",
    "html",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write an offline HTML summary report here.",
)
@click.option(
    "--thresholds",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A thresholds table to use instead of data/quality/thresholds.csv.",
)
@click.option(
    "--wikidata-endpoint",
    metavar="URL",
    help="Also run the wikidata check (`link check`'s disagreements) against this endpoint.",
)
def check_command(
    profiles: tuple[Path, ...],
    data: tuple[Path, ...],
    fmt: str,
    strict: bool,
    html: Path | None,
    thresholds: Path | None,
    wikidata_endpoint: str | None,
) -> None:
    """Flag values a careful reader would doubt, in PROFILES (default: data/profiles/) or
    in built dumps (--data): large jumps, outliers, indicators that disagree, values out of
    their domain, answers the figures contradict, stale series, conflicting values, and
    (with --wikidata-endpoint) disagreements with Wikidata. Values are never changed."""
    table = load_thresholds(thresholds)
    countries: list[CountryData] = []
    triples = [t for path in data for t in read_rdf(path)]
    if data:
        countries += countries_from_triples(triples).values()
    paths = profile_paths(list(profiles) or [Path("data/profiles")]) if profiles or not data else []
    countries += profile_countries(paths)
    report = check_countries(countries, table)
    if wikidata_endpoint:
        if paths:  # the comparison needs the shared block too: the country and treaty links
            triples += list(read_and_map(paths).kg)
        sources = {c.iso3: c.source for c in countries}
        report = _with_wikidata(report, triples, sources, wikidata_endpoint)
    if html is not None:
        write_atomic(html, report_html(report, table))
    if fmt == TableFormat.JSON.value:
        click.echo(json.dumps(report_document(report), ensure_ascii=False, indent=2))
    else:
        rows = [f.record() for f in report.findings]
        shown = _TABLE_COLUMNS if fmt == TableFormat.TABLE.value else None
        click.echo(render(rows, FINDING_COLUMNS, TableFormat(fmt), shown), nl=False)
    if strict and report.worrying():
        raise click.ClickException(
            f"{report.worrying()} error or warning finding(s); --strict fails on them"
        )


def _with_wikidata(
    report: QualityReport, triples: list[ox.Triple], sources: dict[str, str], endpoint: str
) -> QualityReport:
    """`link check`'s disagreements (gdp_rdf.wikidata.check) as findings of the wikidata check."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return with_wikidata(report, find_disagreements(store, endpoint), sources)
