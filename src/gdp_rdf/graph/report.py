"""Validation results, whichever engine produced them (pySHACL or the fast engine)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gdp_rdf.graph.terms import IriCompactor
from gdp_rdf.vocab import DEFAULT_BASE, prefixes


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result."""

    focus: str
    path: str | None
    value: str | None
    source_shape: str
    constraint: str | None  # the SPARQL constraint, for sh:sparql results
    component: str
    message: str
    severity: str

    def sort_key(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.focus,
            self.path or "",
            self.source_shape,
            self.value or "",
            self.constraint or "",
            self.component,
        )


@dataclass(frozen=True)
class ValidationReport:
    """Whether data conforms to the shapes, and every result if it does not."""

    conforms: bool
    violations: tuple[Violation, ...] = ()
    checked: int = 0  # triples checked in this run
    cached: int = 0  # profiles skipped: an identical one was checked before (results kept)
    profiles: dict[str, list[Violation]] = field(default_factory=dict)  # ISO3 -> its results

    def text(self, limit: int = 50, base: str = DEFAULT_BASE) -> str:
        """A human-readable report: one line per result, IRIs shortened under ``base``."""
        if self.conforms:
            return f"Conforms: {self.checked} triples checked.\n"
        short = IriCompactor(prefixes(base))
        lines = [f"Does not conform: {len(self.violations)} result(s)."]
        for v in self.violations[:limit]:
            where = f" {short(v.path)}" if v.path else ""
            value = f" = {v.value}" if v.value is not None else ""
            shape = short(v.constraint or v.source_shape)
            lines.append(f"- {short(v.focus)}{where}{value}: {v.message} [{shape}]")
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines) + "\n"
