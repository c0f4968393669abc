"""`gdp-rdf build` and `gdp-rdf validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gdp_rdf.cli.app import cli
from gdp_rdf.graph.validate import validate_files
from gdp_rdf.pipeline import build
from gdp_rdf.vocab import DEFAULT_BASE


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
@click.option(
    "--history",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="Folder of older page versions: keep every version's values in history.nt.",
)
@click.option("--release", metavar="VERSION", help="Stamp the build as release VERSION.")
def build_command(
    profiles: tuple[Path, ...],
    out: Path,
    base_iri: str,
    issued: str | None,
    license_: str | None,
    cache_dir: Path,
    no_cache: bool,
    workers: int | None,
    history: Path | None,
    release: str | None,
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
        history=history,
        release=release,
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
def validate_command(files: tuple[Path, ...], base_iri: str) -> None:
    """Validate Turtle, N-Triples or JSON-LD FILES against the SHACL shapes.

    Prints the report on stdout; exits 1 when the data does not conform.
    """
    report = validate_files(list(files), base_iri)
    click.echo(report.text(), nl=False)
    if not report.conforms:
        sys.exit(1)
