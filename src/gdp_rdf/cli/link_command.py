"""`gdp-rdf link status|resolve|check`: Wikidata links."""

from __future__ import annotations

import csv
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gdp_rdf.cli.options import (
    base_iri_option,
    check_url,
    data_files_option,
    format_option,
    plural,
    progress_bar,
    timeout_option,
)
from gdp_rdf.cli.render import TableFormat, render
from gdp_rdf.pipeline import MANIFEST
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.vocab import WIKIDATA_SPARQL
from gdp_rdf.wikidata.facilities import DEFAULT_RADIUS_KM, MAX_RADIUS_KM

if TYPE_CHECKING:
    from gdp_rdf.sparql.remote import Client
    from gdp_rdf.wikidata.check import Disagreement

endpoint_option = click.option(
    "--wikidata-endpoint",
    "--endpoint",  # the old name, kept so scripts keep working
    "endpoint",
    default=WIKIDATA_SPARQL,
    show_default=True,
    metavar="URL",
    callback=check_url,
    help="Wikidata's SPARQL endpoint, or a mirror standing in for it (--endpoint: old name).",
)
links_option = click.option(
    "--links-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the link tables (default: data/links).",
)


def _check_rdf_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Annotations written into a build folder would go with the next build."""
    if value is None:
        return None
    folder = value.parent
    if (folder / MANIFEST).exists():
        raise click.BadParameter(
            f"{folder} is a build folder, replaced by the next build; write the annotations "
            "elsewhere (e.g. quality/quality.ttl)",
            ctx,
            param,
        )
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise click.BadParameter(f"cannot write into {folder}/ (missing or read-only)", ctx, param)
    return value


_FACILITY_TABLE_COLUMNS = (
    "key",
    "name",
    "qid",
    "wikidata_label",
    "country_match",
    "distance_km",
    "reason",
)


def _check_radius(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A distance in km: a finite number in (0, MAX_RADIUS_KM] (nan passes FloatRange)."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a distance in km", ctx, param)
    return value


@click.group("link")
def link_group() -> None:
    """Links to Wikidata: coverage, candidates for missing QIDs, disagreements."""


@link_group.command("status")
@click.option(
    "--profiles",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("data/profiles"),
    show_default=True,
    help="Profiles whose countries count.",
)
@click.option(
    "--facility-pages",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("data/detention-centres"),
    show_default=True,
    help="Detention-facility pages whose facilities count.",
)
@links_option
def link_status_command(profiles: Path, facility_pages: Path, links_dir: Path | None) -> None:
    """Print link coverage (countries, treaties, treaty bodies, facilities) and what is
    unlinked."""
    from gdp_rdf.wikidata.coverage import link_status

    for coverage in link_status(load_codelists(), profiles, links_dir, facility_pages):
        total = len(coverage.linked) + len(coverage.unlinked)
        click.echo(f"{coverage.kind}: {len(coverage.linked)}/{total} linked")
        for code, name, why in coverage.unlinked:
            click.echo(f"  unlinked {code}: {name} ({why})")


@link_group.command("resolve")
@endpoint_option
@links_option
@click.option(
    "--accept",
    is_flag=True,
    help="Move candidates marked accept=yes in candidates.csv into the link tables (no query).",
)
@click.option(
    "--facilities",
    is_flag=True,
    help="Propose items for the detention facilities instead: a review table on stdout, "
    "nothing written.",
)
@click.option(
    "--facility-pages",
    type=click.Path(path_type=Path, file_okay=False),  # checked only with --facilities
    default=Path("data/detention-centres"),
    show_default=True,
    help="Folder of the facility pages (with --facilities).",
)
@click.option(
    "--facility-radius-km",
    type=click.FloatRange(0, MAX_RADIUS_KM, min_open=True),
    default=DEFAULT_RADIUS_KM,
    show_default=True,
    callback=_check_radius,
    help="How far (great-circle km) from the page's coordinates an item's P625 may be "
    "(with --facilities).",
)
@format_option(
    [f.value for f in TableFormat if f is not TableFormat.TSV],
    "Format of the facility review table (the table shows the main columns; csv and json "
    "all of them).",
)
@base_iri_option("Base IRI of the facility IRIs in the review table.")
@timeout_option(60.0, "Seconds per request.")
def link_resolve_command(
    endpoint: str,
    links_dir: Path | None,
    accept: bool,
    facilities: bool,
    facility_pages: Path,
    facility_radius_km: float,
    fmt: str,
    base_iri: str,
    timeout: float,
) -> None:
    """Find candidate QIDs for unlinked rows and write them to candidates.csv for review.

    Countries are looked up by ISO 3166 code (P298, P297); treaties and treaty bodies by
    label and alias, scored higher when the item is a treaty (Q131569) or a treaty-based
    human rights body (Q79699511). Verified rows are never touched.

    With --facilities, detention facilities are looked up instead, by name (label or alias,
    without case or accents) among items of their country (P17) and by coordinates (P625
    within --facility-radius-km of the page's point); the candidates are printed for review
    and never written anywhere: no facility is linked to Wikidata without a verified QID.
    """
    from gdp_rdf.sparql.remote import Client
    from gdp_rdf.wikidata.resolve import accept_candidates, find_candidates, write_candidates

    if accept and facilities:
        raise click.UsageError("--accept and --facilities cannot be used together")
    ctx = click.get_current_context()
    given = [
        f"--{name.replace('_', '-')}"
        for name in ("facility_pages", "facility_radius_km", "fmt", "base_iri")
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    ]
    if given and not facilities:
        option = given[0].replace("--fmt", "--format")
        raise click.UsageError(f"{option} goes with --facilities")
    if facilities:
        if not facility_pages.is_dir():
            raise click.BadParameter(
                f"{str(facility_pages)!r} is not a folder", param_hint="'--facility-pages'"
            )
        _resolve_facilities(
            endpoint,
            links_dir,
            facility_pages,
            facility_radius_km,
            TableFormat(fmt),
            base_iri,
            Client(timeout=timeout),
        )
        return
    if accept:
        accepted, skipped = accept_candidates(links_dir)
        for item in accepted:
            click.echo(f"accepted {item.table} {item.code} = {item.qid}")
        for note in skipped:
            click.echo(f"skipped {note}", err=True)
        click.echo(f"{plural(len(accepted), 'link')} accepted.")
        return
    candidates = find_candidates(
        endpoint,
        load_codelists(),
        links_dir,
        Client(timeout=timeout),
        progress=progress_bar("Asking Wikidata"),
    )
    path = write_candidates(candidates, links_dir)
    for c in candidates:
        click.echo(
            f"{c.table} {c.code}: {c.qid} {c.wikidata_label!r} ({c.matched}, score {c.score:.2f})"
        )
    click.echo(
        f"{plural(len(candidates), 'candidate')} written to {path}; mark accept=yes, then run "
        "`gdp-rdf link resolve --accept`."
    )


def _resolve_facilities(
    endpoint: str,
    links_dir: Path | None,
    pages: Path,
    radius_km: float,
    fmt: TableFormat,
    base_iri: str,
    client: Client,
) -> None:
    from gdp_rdf.vocab import Iris
    from gdp_rdf.wikidata.facilities import (
        FACILITY_COLUMNS,
        find_facility_candidates,
        read_facilities,
    )

    found = find_facility_candidates(
        endpoint,
        read_facilities(pages),
        radius_km,
        links_dir,
        client,
        progress=progress_bar("Asking Wikidata"),
        iris=Iris(base_iri),
    )
    rows = [c.row() for c in found.candidates]
    shown = _FACILITY_TABLE_COLUMNS if fmt is TableFormat.TABLE else None
    click.echo(render(rows, FACILITY_COLUMNS, fmt, shown, max_width=60), nl=False)
    for note in found.skipped:
        click.echo(f"skipped {note}", err=True)


@link_group.command("check")
@endpoint_option
@data_files_option("The build to check")
@click.option(
    "--tolerance",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Relative population difference still counted as agreement.",
)
@click.option(
    "--rdf",
    "rdf_path",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=_check_rdf_path,
    help="Also write the disagreements as findings of the wikidata check (DQV quality "
    "annotations, Turtle, as in the build's quality.ttl) here, outside the build folder "
    "(e.g. quality/quality.ttl), then publish them with --data.",
)
@base_iri_option()
@timeout_option(60.0, "Seconds per request.")
def link_check_command(
    endpoint: str,
    data: list[Path],
    tolerance: float,
    rdf_path: Path | None,
    base_iri: str,
    timeout: float,
) -> None:
    """Compare GDP facts with Wikidata and print the disagreements as CSV.

    Ratification years are compared with "ratified by" (P6193) statements and their point
    in time (P585); populations with P1082 and P585 of the same year.
    """
    from gdp_rdf.sparql.remote import Client
    from gdp_rdf.sparql.store import default_data, open_store
    from gdp_rdf.wikidata.check import find_disagreements

    store = open_store(data or default_data(purpose="check"))
    found = find_disagreements(
        store,
        endpoint,
        tolerance,
        Client(timeout=timeout),
        base_iri,
        progress=progress_bar("Asking Wikidata"),
    )
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        ["kind", "iso3", "item", "year", "gdp", "wikidata", "wikidata_item", "gdp_fact", "line"]
    )
    for d in found:
        writer.writerow(
            [d.kind, d.iso3, d.item, d.period, d.gdp, d.wikidata, d.source, d.subject, d.line]
        )
    if rdf_path is not None:
        _write_findings(found, rdf_path, base_iri)


def _write_findings(found: Sequence[Disagreement], path: Path, base: str) -> None:
    """The disagreements as `gdp-rdf check` publishes them: findings of the wikidata check,
    as DQV annotations, with the code lists their bodies come from (so the file conforms to
    shapes/quality.ttl on its own). No measurements: the other checks did not run."""
    from gdp_rdf.graph.serialize import lines_to_turtle
    from gdp_rdf.quality.dqv import annotation_lines, code_list_lines
    from gdp_rdf.quality.run import QualityReport, with_wikidata
    from gdp_rdf.resources import write_atomic
    from gdp_rdf.vocab import Iris

    iris = Iris(base)
    report = with_wikidata(QualityReport((), ()), found, {})
    lines = code_list_lines(iris) + annotation_lines(report.findings, iris)
    write_atomic(path, lines_to_turtle(lines, base))
