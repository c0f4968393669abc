"""`gdp-rdf build` and `gdp-rdf validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gdp_rdf.cli.app import cli
from gdp_rdf.graph.cube_checks import check_files
from gdp_rdf.graph.validate import Engine, validate_files
from gdp_rdf.pipeline import build
from gdp_rdf.vocab import DEFAULT_BASE

ENGINE = click.option(
    "--engine",
    type=click.Choice([e.value for e in Engine]),
    default=Engine.FAST.value,
    show_default=True,
    help="SHACL engine: the fast one, or pySHACL (the reference; slower).",
)


def _check_base(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.startswith(("http://", "https://")) or not value.endswith("/"):
        raise click.BadParameter("must be an http(s) IRI ending with '/'", ctx, param)
    return value


@cli.command("build")
@click.argument("profiles", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder (replaced as a whole only when the build succeeds).",
)
@click.option(
    "--base-iri",
    default=DEFAULT_BASE,
    show_default=True,
    callback=_check_base,
    help="Base IRI every published IRI is minted under (must end with '/').",
)
@click.option(
    "--issued", help="Release date (YYYY-MM-DD) for the VoID description; default: from the data."
)
@click.option("--license", "license_", metavar="IRI", help="Licence IRI for the VoID description.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=Path(".gdp-rdf-cache"),
    show_default=True,
    help="Where validation results of unchanged profiles are kept.",
)
@click.option("--no-cache", is_flag=True, help="Validate every profile, ignoring the cache.")
@click.option(
    "--workers", type=click.IntRange(1), help="Processes for validation (default: all cores)."
)
@ENGINE
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
) -> None:
    """Build the knowledge graph from PROFILES (default: data/profiles/) into --out.

    Reads every profile, maps it to RDF, validates the graph against the SHACL shapes and
    writes gdp.ttl, gdp.nt, gdp.jsonld, context.jsonld, void.ttl and country/<ISO3>.ttl.
    When the graph does not conform the report is printed, the exit code is 1 and --out is
    left as it was.
    """
    if issued is not None:
        import datetime

        try:
            datetime.date.fromisoformat(issued)
        except ValueError:
            raise click.BadParameter("must be a date YYYY-MM-DD", param_hint="--issued") from None
    inputs = list(profiles) or [Path("data/profiles")]

    def progress(done: int, count: int) -> None:
        """A bar on a terminal when many profiles are read."""
        if count < 20 or not sys.stderr.isatty():
            return
        width = 40
        filled = width * done // count
        click.echo(
            f"\rReading profiles [{'#' * filled}{'-' * (width - filled)}] {done}/{count}",
            err=True,
            nl=done == count,
        )

    result = build(
        inputs,
        out,
        base=base_iri,
        issued=issued,
        license=license_,
        cache_dir=None if no_cache else cache_dir,
        workers=workers,
        progress=progress,
        engine=Engine(engine),
    )
    if not result.report.conforms:
        click.echo(result.report.text(), nl=False)
        raise click.ClickException(
            f"the graph does not conform to the shapes; {out} was left unchanged"
        )
    click.echo(
        f"Built {result.triples} triples from {result.profiles} profiles into {out}/ "
        f"({len(result.files)} files; {result.report.cached} profiles unchanged since "
        "their last validation)."
    )


@cli.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--base-iri",
    default=DEFAULT_BASE,
    show_default=True,
    callback=_check_base,
    help="Base IRI the data was built with (selects the shapes' IRIs).",
)
@ENGINE
@click.option(
    "--cube",
    is_flag=True,
    help="Run the W3C Data Cube integrity constraints IC-1..IC-21 and the SKOS checks "
    "instead of the shapes (works on any cube).",
)
def validate_command(files: tuple[Path, ...], base_iri: str, engine: str, cube: bool) -> None:
    """Validate Turtle, N-Triples or JSON-LD FILES against the SHACL shapes.

    Prints the report on stdout; exits 1 when the data does not conform. With --cube, the
    files are checked together against the Data Cube and SKOS integrity checks instead.
    """
    if cube:
        cube_report = check_files(list(files))
        click.echo(cube_report.text(), nl=False)
        if not cube_report.conforms:
            sys.exit(1)
        return
    report = validate_files(list(files), base_iri, Engine(engine))
    click.echo(report.text(), nl=False)
    if not report.conforms:
        sys.exit(1)
