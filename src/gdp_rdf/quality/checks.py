"""The checks: each reads one country's points and the thresholds, and returns findings.

Nothing here changes a value: a check only says why a reader might doubt one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from statistics import median

from gdp_rdf.quality.findings import Finding
from gdp_rdf.quality.points import CountryData, Point
from gdp_rdf.quality.tables import Thresholds, load_checks
from gdp_rdf.reader.codelists import Indicator, ValueType, load_codelists, plain_label

Check = Callable[[CountryData, Thresholds], list[Finding]]


def _label(indicator: str) -> str:
    found = load_codelists().indicator(indicator)
    return plain_label(found.pref_label) if found else indicator


def _at(point: Point) -> str:
    when = f" ({point.period})" if point.period else ""
    return f"{point.shown}{when}, line {point.line}"


def _finding(
    data: CountryData,
    check: str,
    point: Point,
    message: str,
    involved: Sequence[Point] = (),
    detail: str = "",
) -> Finding:
    return Finding(
        country=data.iso3,
        indicator=point.indicator,
        period=point.period,
        check=check,
        severity=load_checks()[check].severity,
        value=point.shown,
        context="; ".join(f"{p.indicator} {_at(p)}" for p in involved),
        message=message,
        source=data.source_of(point),
        target=point.iri,
        involved=tuple(p.iri for p in involved),
        dataset=point.dataset,
        detail=detail,
    )


def _numeric_series(data: CountryData) -> dict[str, dict[int, Point]]:
    indicators = sorted({p.indicator for p in data.observations if p.number is not None})
    return {i: s for i in indicators if (s := data.series(i))}


def jump(data: CountryData, th: Thresholds) -> list[Finding]:
    """Adjacent points of a series differing by more than jump-factor either way."""
    factor, floor = th.number("jump-factor"), th.number("jump-min-value")
    out = []
    for indicator, series in _numeric_series(data).items():
        years = sorted(series)
        for before, after in zip(years, years[1:], strict=False):
            a, b = series[before], series[after]
            assert a.number is not None and b.number is not None
            if a.number <= 0 or b.number <= 0 or max(a.number, b.number) < floor:
                continue
            ratio = max(a.number, b.number) / min(a.number, b.number)
            if ratio > factor:
                way = "rises" if b.number > a.number else "falls"
                message = (
                    f"{_label(indicator)} {way} from {a.shown} in {before} to {b.shown} in "
                    f"{after}, {ratio:.0f} times {'more' if way == 'rises' else 'less'}; "
                    "one of the two figures may be misprinted."
                )
                out.append(_finding(data, "jump", b, message, [a]))
    return out


def outlier(data: CountryData, th: Thresholds) -> list[Finding]:
    """Points far from the median of their series (modified z-score over the MAD)."""
    least, cut = int(th.number("outlier-min-points")), th.number("outlier-score")
    out = []
    for indicator, series in _numeric_series(data).items():
        if len(series) < least:
            continue
        values = [p.number for p in series.values() if p.number is not None]
        middle = median(values)
        spread = median(abs(v - middle) for v in values)
        if spread == 0:
            continue
        for year in sorted(series):
            point = series[year]
            assert point.number is not None
            score = Decimal("0.6745") * abs(point.number - middle) / spread
            if score > cut:
                others = [series[y] for y in sorted(series) if y != year]
                message = (
                    f"{_label(indicator)} of {point.shown} in {year} is far from the other "
                    f"{len(others)} years of the series (median {middle:,f}); check it against "
                    "the source."
                )
                out.append(_finding(data, "outlier", point, message, others))
    return out


# (printed indicator, numerator indicator, multiplier): printed = numerator / population * m
_DERIVED = (
    ("migrants-percentage", "international-migrants", Decimal(100), "as a share of the population"),
    (
        "prison-population-rate",
        "criminal-prison-population",
        Decimal(100_000),
        "per 100,000 people",
    ),
    ("refugees-per-1000", "refugees", Decimal(1_000), "per 1,000 people"),
)


def _half_unit(point: Point) -> Decimal:
    """Half a unit of the last digit printed: the rounding a printed figure may carry."""
    text = point.shown.replace(",", "").rstrip("%").strip()
    places = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5) / Decimal(10) ** (places + 1)


def cross_indicator(data: CountryData, th: Thresholds) -> list[Finding]:
    """Shares and rates against the figures they are computed from; ratios against lists."""
    factor = th.number("cross-factor")
    population = data.series("population")
    out = []
    for printed_code, count_code, scale, meaning in _DERIVED:
        counts = data.series(count_code)
        for year, printed in sorted(data.series(printed_code).items()):
            count, people = counts.get(year), population.get(year)
            if count is None or people is None or not people.number or not printed.number:
                continue
            assert count.number is not None and printed.number is not None
            computed = count.number / people.number * scale
            if abs(computed - printed.number) <= _half_unit(printed) or computed == 0:
                continue
            ratio = max(computed, printed.number) / min(computed, printed.number)
            if ratio > factor:
                message = (
                    f"The page prints {printed.shown} {meaning} for {year}, but its own figures "
                    f"({count.shown} / {people.shown}) give {computed:.2f}, {ratio:.1f} times "
                    f"{'less' if computed < printed.number else 'more'}."
                )
                out.append(_finding(data, "cross-indicator", printed, message, [count, people]))
    for ratio_code, listed, what in (
        ("treaties-ratio", data.ratifications, "treaties"),
        ("complaints-ratio", data.acceptances, "complaints procedures"),
    ):
        for point in (p for p in data.observations if p.indicator == ratio_code):
            if point.number is None or not listed or point.number == len(listed):
                continue
            message = (
                f"The page says {point.shown} {what} but lists {len(listed)}; the count and "
                "the list disagree."
            )
            detail = f"listed {len(listed)}"
            out.append(_finding(data, "cross-indicator", point, message, [], detail))
    return out


def _percent(indicator: Indicator | None) -> bool:
    return indicator is not None and indicator.value_type is ValueType.PERCENTAGE


def domain(data: CountryData, th: Thresholds) -> list[Finding]:
    """Values outside their indicator's domain: negative, over 100 %, ratio over 1, future year."""
    codes = load_codelists()
    # Not the "Last updated" month: pages refresh their statistics without changing it.
    latest = int(th.number("reference-year"))
    out = []
    for point in data.observations + data.ratifications + data.acceptances:
        indicator = codes.indicator(point.indicator)
        reason = ""
        if point.number is not None and point.number < 0:
            reason = "is negative, which a count or amount cannot be"
        elif _percent(indicator) and point.number is not None and point.number > 100:
            reason = "is a percentage over 100"
        if (
            point.denominator is not None
            and point.number is not None
            and (point.denominator <= 0 or point.number > point.denominator)
        ):
            reason = "counts more than its total"
        if not reason and point.period is not None and point.period > latest:
            reason = f"is dated {point.period}, after {latest}, the newest year a page can speak of"
        if reason:
            message = f"{_label(point.indicator)}: {point.shown} {reason}."
            out.append(_finding(data, "domain", point, message, detail=point.iri))
    return out


_DETAINEE_COUNTS = (
    "migration-detainees",
    "total-migration-detainees",
    "migration-detainee-entries",
    "immigration-detainees",
    "detainee-population-single-day",
)


def answer_vs_data(data: CountryData, th: Thresholds) -> list[Finding]:
    """No answers the page's own figures contradict."""
    out = []
    counts = [p for p in data.observations if p.indicator in _DETAINEE_COUNTS and p.number]
    for answer in data.observations:
        if answer.answer != "no":
            continue
        if answer.indicator in ("detains-migrants", "detains-for-migration-reasons"):
            if answer.period is not None:
                against = [c for c in counts if c.period == answer.period]
            else:
                newest = max((c.period for c in counts if c.period), default=None)
                against = [c for c in counts if c.period == newest]
            if against:
                message = (
                    f'The page answers No to "{_label(answer.indicator)}" but counts '
                    f"{against[0].shown} detainees ({_label(against[0].indicator)}, "
                    f"{against[0].period or 'undated'})."
                )
                out.append(_finding(data, "answer-vs-data", answer, message, against))
        elif (
            answer.indicator in ("has-detention-laws", "specific-detention-laws")
            and data.legislation
        ):
            laws = sorted(data.legislation, key=lambda p: p.line)
            message = (
                f'The page answers No to "{_label(answer.indicator)}" but lists '
                f"{len(laws)} piece(s) of detention legislation."
            )
            out.append(_finding(data, "answer-vs-data", answer, message, laws))
    return out


def stale(data: CountryData, th: Thresholds) -> list[Finding]:
    """Key series whose newest point is much older than the page's Last updated month."""
    if not data.last_updated:
        return []
    updated, years = int(data.last_updated[:4]), th.number("stale-years")
    out = []
    for indicator in th.items("stale-series"):
        series = data.series(indicator)
        if not series:
            continue
        newest = series[max(series)]
        assert newest.period is not None
        if updated - newest.period > years:
            message = (
                f"The newest {_label(indicator)} figure is from {newest.period}, "
                f"{updated - newest.period} years before the page was last updated "
                f"({data.last_updated})."
            )
            out.append(_finding(data, "stale", newest, message))
    return out


def conflict(data: CountryData, th: Thresholds) -> list[Finding]:
    """The same country, indicator and period printed with two different values."""
    out = []
    for observation, other in data.conflicts:
        when = f"for {observation.period}" if observation.period else "without a year"
        message = (
            f"The page prints {_label(observation.indicator)} {when} twice, as "
            f"{observation.shown} (line {observation.line}) and {other.shown} "
            f"(line {other.line}); both are kept."
        )
        out.append(_finding(data, "conflict", observation, message, [other], other.iri))
    return out


# The checks run on every country, in the order of the code list (wikidata runs apart:
# it needs an endpoint).
CHECKS: dict[str, Check] = {
    "jump": jump,
    "outlier": outlier,
    "cross-indicator": cross_indicator,
    "domain": domain,
    "answer-vs-data": answer_vs_data,
    "stale": stale,
    "conflict": conflict,
}
