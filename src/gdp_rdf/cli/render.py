"""Rows and graphs -> text: aligned table, CSV, TSV or JSON, Turtle (for the facts and query
commands)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pyoxigraph as ox

from gdp_rdf.graph.terms import IriCompactor
from gdp_rdf.sparql.results import CSV, JSON, TSV, Result, Term, serialize_rows
from gdp_rdf.vocab import DEFAULT_BASE, prefixes

Cell = Any  # str | int | float | bool | None | list | dict, as JSON allows


class TableFormat(StrEnum):
    """Output formats for row results."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else float(value)
        )
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _flat(value: Cell) -> str:
    """A cell in plain form for CSV and tables: true/false, lists as "5;7;9"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(_flat(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return str(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(
    rows: Sequence[Mapping[str, Cell]],
    columns: Sequence[str],
    fmt: TableFormat,
    table_columns: Sequence[str] | None = None,
    max_width: int = 48,
) -> str:
    """Render rows; ``table_columns`` picks the columns an aligned table shows (all by default)."""
    if fmt is TableFormat.JSON:
        data = [{key: row.get(key) for key in columns} for row in rows]
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if fmt in (TableFormat.CSV, TableFormat.TSV):
        buffer = io.StringIO()
        dialect = "excel" if fmt is TableFormat.CSV else "excel-tab"
        writer = csv.writer(buffer, dialect=dialect, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_flat(row.get(key)) for key in columns])
        return buffer.getvalue()
    shown = list(table_columns or columns)
    cells = [[_clip(_flat(row.get(key)), max_width) for key in shown] for row in rows]
    widths = [max([len(key), *(len(line[i]) for line in cells)]) for i, key in enumerate(shown)]
    lines = ["  ".join(key.ljust(w) for key, w in zip(shown, widths, strict=False)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)).rstrip() for line in cells
    ]
    return "\n".join(lines) + "\n"


def render_rows(result: Result, fmt: TableFormat, base: str = DEFAULT_BASE) -> str:
    """SELECT results: an aligned table (compact IRIs), or SPARQL 1.1 CSV, TSV or JSON."""
    media_type = {TableFormat.JSON: JSON, TableFormat.CSV: CSV, TableFormat.TSV: TSV}.get(fmt)
    if media_type is not None:
        return serialize_rows(result.variables, result.rows, media_type, indent=2)
    short = IriCompactor(prefixes(base))

    def shown(term: Term | None) -> str | None:
        if term is None:
            return None
        return short(term.value) if isinstance(term, ox.NamedNode) else term.value

    rows = [{n: shown(row[n]) for n in result.variables} for row in result.rows]
    return render(rows, result.variables, TableFormat.TABLE, max_width=60)


def render_graph(result: Result, fmt: TableFormat, base: str = DEFAULT_BASE) -> bytes:
    """CONSTRUCT / DESCRIBE results: Turtle, or expanded JSON-LD for --format json."""
    if fmt is TableFormat.JSON:
        data = ox.serialize(result.triples, format=ox.RdfFormat.JSON_LD)
    else:
        from gdp_rdf.graph.serialize import turtle_bytes

        data = turtle_bytes(sorted(result.triples, key=str), base)
    assert data is not None
    return data
