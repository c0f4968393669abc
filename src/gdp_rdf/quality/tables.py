"""The reviewed tables of data/quality/: thresholds (with reasons) and the check code list."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from pathlib import Path

from gdp_rdf.errors import ResourceError
from gdp_rdf.resources import read_table, resource_path
from gdp_rdf.vocab import QUALITY_DIMENSIONS


class Severity(StrEnum):
    """How much a finding should worry a reader."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """One row of the check code list."""

    code: str
    label: str
    dimension: str
    severity: Severity
    definition: str


# Every threshold the checks read; a table missing one (or with an unknown one) is an error.
NUMERIC = (
    "jump-factor",
    "jump-min-value",
    "outlier-min-points",
    "outlier-score",
    "cross-factor",
    "stale-years",
    "reference-year",
)
LISTS = ("stale-series",)
CHECK_CODES = (
    "jump",
    "outlier",
    "cross-indicator",
    "domain",
    "answer-vs-data",
    "stale",
    "conflict",
    "wikidata",
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The values of thresholds.csv, by name."""

    numbers: dict[str, Decimal]
    lists: dict[str, tuple[str, ...]]
    source: str
    reasons: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str, str]]:
        """(name, value, reason) in the table's order of NUMERIC then LISTS."""
        shown = {
            **{k: format(v, "f") for k, v in self.numbers.items()},
            **{k: "|".join(v) for k, v in self.lists.items()},
        }
        return [(name, shown[name], self.reasons.get(name, "")) for name in NUMERIC + LISTS]

    def number(self, name: str) -> Decimal:
        return self.numbers[name]

    def items(self, name: str) -> tuple[str, ...]:
        return self.lists[name]


def thresholds_path() -> Path:
    return resource_path("data", "quality", "thresholds.csv")


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Read a thresholds table (default data/quality/thresholds.csv).

    Raises:
        ResourceError: the table is unreadable, a value is not a number, a reason is
            missing, or a threshold is missing or unknown (file:line).
    """
    path = path or thresholds_path()
    numbers: dict[str, Decimal] = {}
    lists: dict[str, tuple[str, ...]] = {}
    reasons: dict[str, str] = {}
    for line, row in enumerate(read_table(path), start=2):
        name, value, reason = [(row.get(k) or "").strip() for k in ("name", "value", "reason")]
        if name not in NUMERIC + LISTS:
            raise ResourceError(
                f"unknown threshold {name!r}; known: {', '.join(NUMERIC + LISTS)}", str(path), line
            )
        if not reason:
            raise ResourceError(
                f"threshold {name!r} has no reason; say why it has this value", str(path), line
            )
        reasons[name] = reason
        if name in LISTS:
            lists[name] = tuple(item for item in value.split("|") if item)
            continue
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ResourceError(
                f"threshold {name!r} is not a number: {value!r}", str(path), line
            ) from None
        if not number.is_finite() or number < 0:
            raise ResourceError(
                f"threshold {name!r} must be a number >= 0: {value!r}", str(path), line
            )
        numbers[name] = number
    missing = [n for n in NUMERIC + LISTS if n not in numbers and n not in lists]
    if missing:
        raise ResourceError(f"missing threshold(s): {', '.join(missing)}", str(path))
    return Thresholds(numbers, lists, str(path), reasons)


@cache
def load_checks() -> dict[str, CheckInfo]:
    """The check code list (data/quality/checks.csv), by code.

    Raises:
        ResourceError: the table is unreadable or does not list exactly the known checks.
    """
    path = resource_path("data", "quality", "checks.csv")
    checks: dict[str, CheckInfo] = {}
    for line, row in enumerate(read_table(path), start=2):
        try:
            info = CheckInfo(
                row["code"],
                row["label"],
                row["dimension"],
                Severity(row["severity"]),
                row["definition"],
            )
        except (KeyError, ValueError) as error:
            raise ResourceError(f"bad check row: {error}", str(path), line) from None
        if info.dimension not in QUALITY_DIMENSIONS:
            raise ResourceError(f"unknown quality dimension {info.dimension!r}", str(path), line)
        checks[info.code] = info
    if tuple(checks) != CHECK_CODES:
        raise ResourceError(f"the checks must be, in order: {', '.join(CHECK_CODES)}", str(path))
    return checks
