"""A finding: one doubt about one value, with the other values involved and where it is printed."""

from __future__ import annotations

from dataclasses import dataclass

from gdp_rdf.quality.tables import Severity

# The columns of `gdp-rdf check`, in this order (issue 14); the JSON Schema in
# schemas/quality-findings.schema.json describes the same records.
FINDING_COLUMNS = (
    "country",
    "indicator",
    "period",
    "check",
    "severity",
    "value",
    "context",
    "message",
    "source",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A value a careful reader would doubt, and why; the value itself is never changed."""

    country: str  # ISO3
    indicator: str  # code-list notation
    period: int | None
    check: str  # the check's code
    severity: Severity
    value: str  # as printed
    context: str  # the other values involved, as printed, with their years and lines
    message: str  # one sentence a journalist understands
    source: str  # file:line
    target: str  # the IRI of the observation, answer or record the finding is about
    involved: tuple[str, ...] = ()  # IRIs of the other values involved
    dataset: str = "gdp"  # local name of the target's data set
    detail: str = ""  # what tells two findings of one check on one target apart

    def record(self) -> dict[str, object]:
        """The finding as a row with the keys of `FINDING_COLUMNS`."""
        return {
            "country": self.country,
            "indicator": self.indicator,
            "period": self.period,
            "check": self.check,
            "severity": self.severity.value,
            "value": self.value,
            "context": self.context,
            "message": self.message,
            "source": self.source,
        }

    def sort_key(self) -> tuple[str, str, int, str, str, str]:
        return (
            self.country,
            self.indicator,
            self.period or 0,
            self.check,
            self.source,
            self.detail,
        )
