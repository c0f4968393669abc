"""The one module that knows where ontology/, shapes/, queries/ and the code lists live."""

from __future__ import annotations

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
