"""The one module that knows where ontology/, shapes/, queries/ and the code lists live."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from gdp_rdf.errors import ResourceError

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries the folders inside the package; a checkout (editable install) has them at
# the repository root, two levels above src/gdp_rdf.
_ROOTS = (_PACKAGE / "_resources", _PACKAGE.parent.parent)


def resource_path(*parts: str) -> Path:
    """Return the path of a shipped resource, e.g. ``resource_path("shapes", "gdp.ttl")``.

    Raises:
        ResourceError: the resource exists in neither the package nor the checkout.
    """
    for root in _ROOTS:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise ResourceError(
        "missing resource; reinstall gdp-rdf or run from a full checkout", "/".join(parts)
    )


def queries_dir() -> Path:
    """Folder holding the SPARQL query catalogue."""
    return resource_path("queries")


def codelist_path(name: str) -> Path:
    """A code-list CSV under data/codelists/ (indicators, sections, instruments, ...)."""
    return resource_path("data", "codelists", name)


def links_path(name: str) -> Path:
    """A link table under data/links/ (countries, treaties, properties, candidates)."""
    return resource_path("data", "links", name)


def read_table(path: Path) -> list[dict[str, str]]:
    """Every row of a CSV table in data/ (code lists, link tables, candidates), as dicts.

    Raises:
        ResourceError: the file is missing, not UTF-8 or not CSV.
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ResourceError(f"cannot read table: {error}", str(path)) from error


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so a reader or a
    crash never sees half a file; the file gets the user's umask like any other.

    Raises:
        ResourceError: the folder is missing or not writable.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise ResourceError(f"cannot write: {error.strerror or error}", str(path)) from error


def write_table(path: Path, fields: Sequence[str], rows: Iterable[Mapping[str, str]]) -> None:
    """Write a CSV table atomically, columns in ``fields`` order, "\\n" line ends.

    Raises:
        ResourceError: the folder is missing or not writable.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, buffer.getvalue().encode("utf-8"))
