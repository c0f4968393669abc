"""Pages for readers who are not RDF users (pure): a country's summary, an indicator's
ranking, a treaty's parties, a profile's text with line anchors."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from gdp_rdf.reader.codelists import plain_label
from gdp_rdf.web.charts import Bar, bar_chart
from gdp_rdf.web.compare import Parties, Ranking
from gdp_rdf.web.html import Extras, Link, layout, shown_value, source_link
from gdp_rdf.web.labels import heading
from gdp_rdf.web.layout import anchor
from gdp_rdf.web.read_model import CountryPage, Series, Value


def _trend(series: Series) -> str:
    """▲ / ▼ / = against the previous year with a value, with words for screen readers."""
    known = [v for v in series.values if v.period is not None and v.number is not None]
    if len(known) < 2:
        return ""
    last, before = known[-1], known[-2]
    assert last.number is not None and before.number is not None
    if last.number > before.number:
        mark, words = "▲", f"up from {before.period}"
    elif last.number < before.number:
        mark, words = "▼", f"down from {before.period}"
    else:
        mark, words = "=", f"same as {before.period}"
    return (
        f'<span class="trend" aria-hidden="true">{mark}</span> '
        f'<span class="trend sr-narrow">{words}</span>'
    )


def _latest(series: Series) -> Value | None:
    dated = [v for v in series.values if not v.missing]
    dated.sort(key=lambda v: (v.period is not None, v.period or 0))
    return dated[-1] if dated else None


def summary(page: CountryPage, link: Link, extras: Extras) -> str:
    """Where the country stands: headline answers, the latest value of each figure with its
    year and trend, and how many values the profile leaves missing."""
    answers, figures = [], []
    gaps = 0
    for section in page.sections:
        for series in section.series:
            gaps += sum(1 for v in series.values if v.missing)
            latest = _latest(series)
            if latest is None:
                continue
            denominator, lines = extras.get(latest.observation, ("", ()))
            source = source_link(page.file_name, latest.line, lines)
            name = anchor(link(series.indicator), heading(series.label, series.unit))
            if latest.number is None:
                if section.code == "headline":
                    answers.append(
                        f"<li>{name}: <strong>{escape(latest.shown)}</strong> ({source})</li>"
                    )
                continue
            # The number itself links to the line it was read on: one column less on a phone.
            value = shown_value(latest.number, latest.shown, denominator)
            read = source_link(page.file_name, latest.line, lines, value)
            year = str(latest.period) if latest.period else "no year"
            figures.append(
                f'<tr><th scope="row">{name}</th><td class="num">{read}</td>'
                f"<td>{escape(year)}</td><td>{_trend(series)}</td></tr>"
            )
    parts = ['<section class="summary" aria-labelledby="summary"><h2 id="summary">Summary</h2>']
    if answers:
        parts.append(f"<ul>{''.join(answers)}</ul>")
    if figures:
        parts.append(
            '<div class="table-wrap"><table id="key-figures"><caption class="source">'
            "Latest value of each figure (each value links to the line it was read on)</caption>"
            "<thead><tr><th>Figure</th><th>Latest</th><th>Year</th><th>Trend</th></tr></thead>"
            f"<tbody>{''.join(figures)}</tbody></table></div>"
        )
    parts.append(
        f'<p id="gaps">{gaps} value{"s" if gaps != 1 else ""} on this profile '
        f"{'are' if gaps != 1 else 'is'} missing (not available, no data, or unknown); "
        "they are marked in the sections below, never counted as zero.</p>"
    )
    if "/id/" in page.iri:
        csv = "/doc/id/" + page.iri.split("/id/", 1)[1] + ".csv"
        parts.append(f"<p>{anchor(csv, 'Download these observations as CSV')}</p>")
    parts.append("</section>")
    return "".join(parts)


def ranking(
    title: str,
    unit: str | None,
    result: Ranking,
    link: Link,
    files: dict[str, str],
    csv_href: str,
) -> str:
    """An indicator's countries ranked by their latest value: a bar chart and a table; the
    countries without a value listed apart."""
    name = plain_label(title)
    parts = [f'<h2 id="ranking">Countries by latest value ({len(result.ranked)})</h2>']
    if result.ranked:
        bars = [Bar(r.name, r.number, r.period) for r in result.ranked if r.number is not None]
        parts.append(
            bar_chart(
                name, bars, unit, "ranking-chart", "GDP country profiles, latest year printed"
            )
        )
        rows = "".join(
            f'<tr><td class="num">{i}</td><td>{anchor(link(r.country), r.name)}</td>'
            f'<td class="num">{escape(shown_value(r.number, r.shown))}</td>'
            f"<td>{escape(r.period or 'no year')}</td><td>{anchor(link(r.observation), 'details')}</td>"
            f"<td>{source_link(files.get(r.country, ''), r.line)}</td></tr>"
            for i, r in enumerate(result.ranked, 1)
        )
        parts.append(
            '<div class="table-wrap"><table id="ranking-table"><caption class="source">'
            f"{escape(name)}: latest value of each country</caption><thead><tr><th>Rank</th>"
            "<th>Country</th><th>Value</th><th>Year</th><th>Data</th><th>Source</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
    if result.other:
        rows = "".join(
            f"<tr><td>{anchor(link(r.country), r.name)}</td><td>{escape(r.shown)}</td>"
            f"<td>{escape(r.period or 'no year')}</td><td>{anchor(link(r.observation), 'details')}</td>"
            f"<td>{source_link(files.get(r.country, ''), r.line)}</td></tr>"
            for r in result.other
        )
        parts.append(
            f'<h2 id="answers">Answers ({len(result.other)})</h2><div class="table-wrap"><table>'
            "<thead><tr><th>Country</th><th>Answer</th><th>Year</th><th>Data</th><th>Source</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    items = "".join(
        f'<li>{anchor(link(r.country), r.name)}: <span class="missing-value">{escape(r.shown)}</span>'
        f"{' (' + escape(r.period) + ')' if r.period else ''} "
        f"({source_link(files.get(r.country, ''), r.line)})</li>"
        for r in result.gaps
    )
    parts.append(
        f'<h2 id="gaps">No value ({len(result.gaps)})</h2><p>Profiles that print this figure '
        "without a value; they are not drawn in the chart and are not zero.</p>"
        + (f"<ul>{items}</ul>" if items else "<p>None.</p>")
    )
    parts.append(f"<p>{anchor(csv_href, 'Download all observations of this indicator as CSV')}</p>")
    return "".join(parts)


def parties(result: Parties, link: Link, files: dict[str, str]) -> str:
    """A treaty's parties among the countries of the graph, by year, and the others."""
    rows = "".join(
        f"<tr><td>{escape(p.year or 'year not printed')}</td><td>{anchor(link(p.country), p.name)}</td>"
        f"<td>{anchor(link(p.ratification), 'details')}</td>"
        f"<td>{source_link(files.get(p.country, ''), p.line)}</td></tr>"
        for p in result.parties
    )

    def names(items: Sequence[object]) -> str:
        return ", ".join(anchor(link(p.country), p.name) for p in items)  # type: ignore[attr-defined]

    return (
        f'<h2 id="parties">Parties in the graph ({len(result.parties)})</h2>'
        '<div class="table-wrap"><table id="parties-table"><caption class="source">'
        "Countries whose profile lists the treaty as ratified, by year</caption><thead><tr>"
        "<th>Ratified</th><th>Country</th><th>Data</th><th>Source</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
        f'<h2 id="not-parties">Not parties ({len(result.not_parties)})</h2>'
        "<p>Profiles whose treaties table does not list it: "
        f"{names(result.not_parties) or 'none'}.</p>"
        f'<h2 id="unknown">Not known ({len(result.unknown)})</h2>'
        "<p>Profiles that print no treaties table (not counted as non-parties): "
        f"{names(result.unknown) or 'none'}.</p>"
    )


def source_page(
    file_name: str,
    text: str,
    marked: set[int],
    page_url: str,
    country: tuple[str, str] | None,
    kind: str = "country profile",
) -> str:
    """A profile's text, one anchor per line (#L88), the lines a value came from marked."""
    hl = ' class="hl"'
    lines = "".join(
        f'<div id="L{n}"{hl if n in marked else ""}>'
        f'<a class="ln" href="#L{n}">{n}</a>{escape(line) or " "}</div>'
        for n, line in enumerate(text.splitlines(), 1)
    )
    about = ""
    if country is not None:
        about = f" for {anchor(country[1], country[0])}"
    original = f"<p>The page it was copied from: {anchor(page_url, page_url)}</p>" if page_url else ""
    note = (
        f"<p>Lines {', '.join(map(str, sorted(marked)))} are highlighted: the value you followed "
        "was read there.</p>"
        if marked
        else ""
    )
    body = (
        f"<h1>{escape(file_name)}</h1><p>The text of the GDP {escape(kind)}{about} that the "
        f"graph was built from, line by line.</p>{original}{note}"
        f'<div class="src" role="region" aria-label="Profile text" tabindex="0">{lines}</div>'
        f"<p>{anchor('/source/' + quote(file_name) + '?plain', 'Plain text')}</p>"
    )
    return layout(file_name, body)
