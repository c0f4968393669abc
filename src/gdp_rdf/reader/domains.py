"""Values checked against their indicator's domain (pure).

Counts, amounts, rates and days are >= 0, percentages 0-100, ranks >= 1, percentile ranks 0-100,
ratios have numerator <= denominator, and no year is later than the page's own date (the date of
the page part the fact is printed in, never today's: the same page always reads the same). A
value outside its domain keeps its value and raw text, gets `Status.OUT_OF_RANGE` and a warning.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from gdp_rdf.reader.codelists import CodeLists, Domain
from gdp_rdf.reader.facts import Fact, PagePart, ParseWarning, Ranking, Ratio, Status, WarningKind


def _number_problem(domain: Domain, value: object) -> str | None:
    number = value.rank if isinstance(value, Ranking) else value
    if isinstance(number, bool) or not isinstance(number, int | Decimal):
        return None
    if domain is Domain.NON_NEGATIVE and number < 0:
        return "is negative"
    if domain in (Domain.PERCENT, Domain.PERCENTILE) and not 0 <= number <= 100:
        return "is not between 0 and 100"
    if domain is Domain.RANK and number < 1:
        return "is not a rank (1 or more)"
    return None


def value_problem(domain: Domain, value: object) -> str | None:
    """Why a value lies outside the domain, or None when it fits."""
    if isinstance(value, Ratio):
        if domain is Domain.RATIO and value.numerator > value.denominator:
            return "has a numerator greater than its denominator"
        return None
    return _number_problem(domain, value)


def _year_problem(fact: Fact, page_year: int | None) -> str | None:
    if page_year is None:
        return None
    for name in ("period", "observed", "adopted", "amended"):
        found = getattr(fact, name)
        if found is not None and found > page_year:
            return f"has {name} year {found}, after the page's date ({page_year})"
    return None


def _page_year(fact: Fact, parts: tuple[PagePart, ...]) -> int | None:
    part = next((p for p in parts if p.holds(fact.line)), None)
    return int(part.updated[:4]) if part is not None and part.updated else None


def check_domains(
    facts: list[Fact], codes: CodeLists, parts: tuple[PagePart, ...]
) -> tuple[tuple[Fact, ...], list[ParseWarning]]:
    """The facts with out-of-range values marked, and one warning per such fact."""
    checked: list[Fact] = []
    warnings: list[ParseWarning] = []
    for fact in facts:
        indicator = codes.indicator(fact.indicator) if fact.reviewed else None
        problem = None
        if fact.status is Status.PRESENT and indicator is not None:
            problem = value_problem(indicator.domain, fact.value)
        if problem is None and fact.status is Status.PRESENT:
            problem = _year_problem(fact, _page_year(fact, parts))
        if problem is None:
            checked.append(fact)
            continue
        checked.append(dataclasses.replace(fact, status=Status.OUT_OF_RANGE))
        warnings.append(
            ParseWarning(
                WarningKind.OUT_OF_RANGE,
                fact.line,
                f"{fact.raw[:60]!r} for {fact.label!r} {problem}; kept as printed, out of range",
            )
        )
    return tuple(checked), warnings
