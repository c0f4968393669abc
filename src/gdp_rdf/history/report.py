"""A diff as rows and text: per point, renames, the summary per indicator, and the versions.

Files are named by their file name only (not the path they were given as), so the same
pages give the same report wherever they are read from.
"""

from __future__ import annotations

from enum import StrEnum

from gdp_rdf.graph.serialize import lines_to_turtle
from gdp_rdf.history.changes import diff_lines
from gdp_rdf.history.diff import ChangeKind, Diff
from gdp_rdf.history.versions import PageVersion


class DiffFormat(StrEnum):
    """Output formats of `gdp-rdf diff`."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    TURTLE = "turtle"


POINT_COLUMNS = (
    "country",
    "indicator",
    "period",
    "change",
    "old_value",
    "new_value",
    "old_line",
    "new_line",
    "point",
    "note",
)
TABLE_COLUMNS = POINT_COLUMNS[:8]  # the table leaves out the point IRI and the note
SUMMARY_COLUMNS = ("indicator", *(kind.value for kind in ChangeKind))
VERSION_COLUMNS = ("country", "side", "file", "date", "date_basis", "partial", "sha256")


def point_rows(diff: Diff, include_unchanged: bool = True) -> list[dict[str, object]]:
    """One row per point compared (and per rename), country by country."""
    rows: list[dict[str, object]] = []
    for country in diff.countries:
        for change in country.changes:
            if change.kind is ChangeKind.UNCHANGED and not include_unchanged:
                continue
            rows.append(
                {
                    "country": change.iso3,
                    "indicator": change.indicator,
                    "period": change.period,
                    "change": change.kind.value,
                    "old_value": change.old.shown if change.old else None,
                    "new_value": change.new.shown if change.new else None,
                    "old_line": change.old.line if change.old else None,
                    "new_line": change.new.line if change.new else None,
                    "point": change.key,
                    "note": change.note or None,
                }
            )
        for rename in country.renames:
            rows.append(
                {
                    "country": rename.iso3,
                    "indicator": rename.indicator,
                    "period": None,
                    "change": rename.kind.value,
                    "old_value": rename.old,
                    "new_value": rename.new,
                    "old_line": None,
                    "new_line": None,
                    "point": None,
                    "note": "same indicator in the code list",
                }
            )
    return rows


def _version_row(version: PageVersion, side: str) -> dict[str, object]:
    return {
        "country": version.iso3,
        "side": side,
        "file": version.file_name,
        "date": version.date,
        "date_basis": version.basis.value,
        "partial": version.partial,
        "sha256": version.digest,
    }


def version_rows(diff: Diff) -> list[dict[str, object]]:
    """The versions compared, and those of countries only one side has (not compared)."""
    rows = []
    for country in diff.countries:
        rows += [_version_row(country.old, "old"), _version_row(country.new, "new")]
    rows += [_version_row(v, "only-old") for v in diff.only_old]
    rows += [_version_row(v, "only-new") for v in diff.only_new]
    return rows


def undated_note(diff: Diff) -> str | None:
    """A sentence saying which compared versions are undated, and how they were ordered."""
    undated = sorted({c.iso3 for c in diff.countries if c.old.date is None or c.new.date is None})
    if not undated:
        return None
    return (
        f"Undated versions ({', '.join(undated)}): ordered as given, OLD before NEW; "
        "pass --old-date / --new-date or add a '# retrieved: YYYY-MM-DD' line to date them."
    )


def diff_json(diff: Diff) -> dict[str, object]:
    """Everything in a diff, as JSON-ready data."""
    return {
        "versions": version_rows(diff),
        "note": undated_note(diff),
        "points": [r for r in point_rows(diff) if not str(r["change"]).endswith("renamed")],
        "renames": [r for r in point_rows(diff) if str(r["change"]).endswith("renamed")],
        "summary": diff.summary(),
        "totals": diff.totals(),
    }


def totals_line(diff: Diff) -> str:
    totals = diff.totals()
    parts = [f"{totals[k.value]} {k.value.replace('-', ' ')}" for k in ChangeKind]
    return "Total: " + ", ".join(parts) + f", {totals['renamed']} renamed"


def diff_turtle(diff: Diff, base: str) -> bytes:
    """The changes graph of a diff, as Turtle."""
    return lines_to_turtle(diff_lines(diff, base), base)
