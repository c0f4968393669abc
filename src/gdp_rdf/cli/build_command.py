"""`gdp-rdf build` and `gdp-rdf validate`."""

from __future__ import annotations

import datetime
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from gdp_rdf.cli.options import (
    BUILD_DIR,
    base_iri_option,
    cache_dir_option,
    check_iri,
    plural,
    progress_bar,
)
from gdp_rdf.graph.validate import Engine
from gdp_rdf.history.build import default_sources
from gdp_rdf.history.release import check_release
from gdp_rdf.history.versions import VersionsError
from gdp_rdf.pipeline import WARNINGS, Warned, build

SHOWN_WARNINGS = 5  # the first few on stderr; all of them in warnings.json

ENGINE = click.option(
    "--engine",
    type=click.Choice([e.value for e in Engine]),
    default=Engine.FAST.value,
    show_default=True,
    help="SHACL engine: the fast one, or pySHACL (the reference; slower).",
)


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD", ctx, param) from None
    return value


def _check_release(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        return None if value is None else check_release(value)
    except VersionsError as error:
        raise click.BadParameter(error.message, ctx, param) from None


def _show_warnings(warnings: Sequence[Warned], out: Path) -> None:
    if not warnings:
        return
    kinds = Counter(w.warning.kind.value for w in warnings)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    click.echo(f"{plural(len(warnings), 'reader warning')}: {summary}", err=True)
    for item in warnings[:SHOWN_WARNINGS]:
        click.echo(f"  {item}", err=True)
    if len(warnings) > SHOWN_WARNINGS:
        click.echo(f"  ... all of them in {out / WARNINGS} once built", err=True)


@click.command("build")
@click.argument("profiles", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=BUILD_DIR,
    show_default=True,
    help="Output folder: new, empty, or a previous build (replaced only when the build succeeds).",
)
@base_iri_option("Base IRI every published IRI is minted under (must end with '/').")
@click.option(
    "--issued",
    callback=_check_date,
    help="Release date (YYYY-MM-DD) for the VoID description; default: from the data.",
)
@click.option(
    "--license",
    "license_",
    metavar="IRI",
    callback=check_iri,
    help="Licence IRI for the VoID description.",
)
@cache_dir_option("Where validation results of unchanged profiles are kept.")
@click.option("--no-cache", is_flag=True, help="Validate every profile, ignoring the cache.")
@click.option(
    "--workers", type=click.IntRange(1), help="Processes for validation (default: all cores)."
)
@ENGINE
@click.option(
    "--strict", is_flag=True, help="Treat reader warnings as errors (nothing is written)."
)
@click.option(
    "--history",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    multiple=True,
    help="Folder of older page versions: keep every version's values in history.nt "
    "(repeatable; default with no PROFILES: data/archive/legacy-layouts and "
    "data/archive/profile-versions).",
)
@click.option(
    "--release",
    metavar="VERSION",
    callback=_check_release,
    help="Stamp the build as release VERSION.",
)
def build_command(
    profiles: tuple[Path, ...],
    out: Path,
    base_iri: str,
    issued: str | None,
    license_: str | None,
    cache_dir: Path,
    no_cache: bool,
    workers: int | None,
    engine: str,
    strict: bool,
    history: tuple[Path, ...],
    release: str | None,
) -> None:
    """Build the knowledge graph from PROFILES into --out.

    Reads every profile, maps it to RDF, validates the graph against the SHACL shapes and
    writes gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld, void.ttl, country/<ISO3>.ttl, the
    reader's warnings (warnings.json) and a manifest marking the folder as a build. When
    the graph does not conform the report is printed, the exit code is 1 and --out is left
    as it was.

    With no PROFILES it reads data/profiles/, the facility pages in data/detention-centres/
    and, as history (as --history does), the archived copies in data/archive/legacy-layouts/
    and data/archive/profile-versions/: every version goes to history.nt with its own date.
    The current view (gdp.nt and the other dumps) holds the countries of the build's own
    profiles; a country printed only in archived copies is in history.nt only. Folders
    that are missing are skipped. Explicit PROFILES read only what they name.
    """
    inputs, histories = list(profiles), list(history)
    if not profiles:
        defaults = default_sources()
        inputs, histories = defaults.pages, histories or defaults.history
    result = build(
        inputs,
        out,
        base=base_iri,
        issued=issued,
        license=license_,
        cache_dir=None if no_cache else cache_dir,
        workers=workers,
        progress=progress_bar("Reading profiles", minimum=20),
        engine=Engine(engine),
        strict=strict,
        warned=lambda warnings: _show_warnings(warnings, out),
        history=histories or None,
        release=release,
    )
    if not result.report.conforms:
        click.echo(result.report.text(), nl=False)
        raise click.ClickException(
            f"the graph does not conform to the shapes; {out} was left unchanged"
        )
    pages = plural(result.profiles, "profile")
    if result.facilities:
        pages += f" and {plural(result.facilities, 'facility page')}"
    click.echo(
        f"Built {plural(result.triples, 'triple')} from {pages} "
        f"into {out}/ ({plural(len(result.files), 'file')}; "
        f"{plural(result.report.cached, 'profile')} unchanged since their last validation)."
    )


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@base_iri_option("Base IRI the data was built with (selects the shapes' IRIs).")
@ENGINE
@click.option(
    "--cube",
    is_flag=True,
    help="Run the W3C Data Cube integrity constraints IC-1..IC-21 and the SKOS checks "
    "instead of the shapes (works on any cube).",
)
def validate_command(files: tuple[Path, ...], base_iri: str, engine: str, cube: bool) -> None:
    """Validate Turtle, N-Triples or JSON-LD FILES against the SHACL shapes.

    Prints the report on stdout; exits 1 when the data does not conform or holds nothing.
    With --cube, the files are checked together against the Data Cube and SKOS integrity
    checks instead.
    """
    from gdp_rdf.graph.cube_checks import check_files
    from gdp_rdf.graph.validate import validate_files

    for path in files:
        if path.is_dir():
            raise click.ClickException(
                f"{path}: is a folder; name the files to validate (e.g. {path / 'gdp.ttl'})"
            )
    if cube:
        cube_report = check_files(list(files))
        click.echo(cube_report.text(), nl=False)
        if not cube_report.conforms:
            sys.exit(1)
        return
    report = validate_files(list(files), base_iri, Engine(engine))
    if report.conforms and report.checked == 0:
        raise click.ClickException(
            f"nothing to validate: no triples in {', '.join(map(str, files))}"
        )
    click.echo(report.text(), nl=False)
    if not report.conforms:
        sys.exit(1)
