"""The country page (pure): the summary first, then the facts by section with a chart per
series, the treaties and the recommendations, each value linked to its line of the profile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from urllib.parse import quote

from gdp_rdf.reader.codelists import plain_label
from gdp_rdf.web.charts import Point, line_chart
from gdp_rdf.web.labels import heading as unit_heading
from gdp_rdf.web.layout import Link, anchor, layout, profile_citation, source_link, value_cell
from gdp_rdf.web.read_model import CountryPage, Record, Series, Value

Extras = Mapping[str, tuple[str, Sequence[int]]]  # observation -> (denominator, source lines)


def citation(page: CountryPage) -> str:
    """'Source: Global Detention Project, country profile, last updated ...'."""
    return profile_citation(page.name, page.page_url, page.last_updated)


def _source(line: int, page: CountryPage, lines: Sequence[int] = ()) -> str:
    return source_link(page.file_name, line, lines)


def _row(v: Value, page: CountryPage, link: Link, extras: Extras) -> str:
    denominator, lines = extras.get(v.observation, ("", ()))
    return (
        f"<tr><td>{escape(str(v.period) if v.period else 'no year')}</td>"
        f"{value_cell(v.shown, v.missing, v.number, v.note, denominator)}"
        f"<td>{anchor(link(v.observation), 'details')}</td><td>{_source(v.line, page, lines)}</td></tr>"
    )


def _series(series: Series, page: CountryPage, link: Link, extras: Extras) -> str:
    rows = "".join(_row(v, page, link, extras) for v in series.values)
    chart = ""
    if series.chartable:
        points = [
            Point(v.period, v.number, None if v.number is not None else v.shown)
            for v in series.values
            if v.period
        ]
        chart = line_chart(
            plain_label(series.label),
            points,
            series.unit,
            "chart-" + series.indicator.rsplit("/", 1)[-1],
            f"GDP {page.name} country profile ({page.file_name})",
        )
    title = unit_heading(series.label, series.unit)
    return (
        f'<div class="series-block"><h3>{anchor(link(series.indicator), title)}</h3>{chart}'
        f'<div class="table-wrap"><table><caption class="source">{escape(title)}: values by year'
        "</caption><thead><tr><th>Year</th><th>Value</th><th>Data</th><th>Source</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></div></div>"
    )


def _records(heading: str, records: Sequence[Record], page: CountryPage, link: Link) -> str:
    section_id = heading.lower().replace(" ", "-")
    if heading == "Treaty-body recommendations":
        items = "".join(
            f"<article><h3>{anchor(link(r.link), r.title) if r.link else escape(r.title)} "
            f"<small>{escape(r.year)} (observed {escape(r.observed)})</small></h3>"
            f"<blockquote>{escape(r.detail)}</blockquote>"
            f"<p>{anchor(link(r.iri), 'record')} · {_source(r.line, page)}</p></article>"
            for r in records
        )
        return f'<h2 id="{section_id}">{escape(heading)}</h2>{items}'
    optional = [
        (name, attr)
        for name, attr in (("Year", "year"), ("Observed", "observed"), ("Detail", "detail"))
        if any(getattr(r, attr) for r in records)
    ]
    head = "".join(f"<th>{name}</th>" for name, _ in optional)
    rows = "".join(
        "<tr>"
        f"<td>{anchor(link(r.link), r.title) if r.link else escape(r.title)}"
        + (f" ({anchor(r.wikidata, 'Wikidata')})" if r.wikidata else "")
        + "</td>"
        + "".join(f"<td>{escape(getattr(r, attr))}</td>" for _, attr in optional)
        + f"<td>{anchor(link(r.iri), 'record')}</td><td>{_source(r.line, page)}</td></tr>"
        for r in records
    )
    table_id = ' id="treaties"' if heading == "Treaties ratified" else ""
    return (
        f'<h2 id="{section_id}">{escape(heading)}</h2><div class="table-wrap"><table{table_id}>'
        f"<thead><tr><th>Name</th>{head}<th>Data</th><th>Source</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def country(
    page: CountryPage,
    link: Link,
    alternates: Sequence[tuple[str, str]],
    extras: Extras | None = None,
    summary: str = "",
    facilities: str = "",
) -> str:
    """A country page: the summary first, its detention facilities, then facts by section
    with a chart per series, treaties, recommendations."""
    extras = extras or {}
    facts = "".join(
        f'<h2 id="{escape(s.code)}">{escape(s.label)}</h2>'
        + "".join(_series(x, page, link, extras) for x in s.series)
        for s in page.sections
    )
    records = "".join(_records(h, r, page, link) for h, r in page.records.items())
    wikidata = (
        f"<p>Wikidata: {anchor(page.wikidata, page.wikidata.rsplit('/', 1)[-1])}</p>"
        if page.wikidata
        else ""
    )
    source = (
        f"<p>Source: {anchor(page.page_url, 'GDP country profile')}"
        if page.page_url
        else "<p>Source: GDP country profile"
    )
    text = (
        anchor(f"/source/{quote(page.file_name)}", page.file_name) if page.file_name else "profile"
    )
    source += f" (text: {text}, last updated {escape(page.last_updated or 'unknown')})</p>"
    overview = f"<blockquote>{escape(page.overview)}</blockquote>" if page.overview else ""
    printed = ""
    if page.printed_name and page.printed_name != page.name:
        printed = f"<p>Printed on the profile as “{escape(page.printed_name)}”.</p>"
    body = (
        f"<h1>{escape(page.name)} <small>({escape(page.iso3)})</small></h1>"
        f"{printed}{wikidata}{source}{summary}{overview}{facilities}{facts}{records}"
    )
    jsonld: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Country",
        "@id": page.iri,
        "name": page.name,
        "identifier": page.iso3,
        "sameAs": [page.wikidata] if page.wikidata else [],
        "subjectOf": {"@type": "WebPage", "url": page.page_url} if page.page_url else None,
    }
    return layout(
        page.name, body, {k: v for k, v in jsonld.items() if v}, alternates, citation(page)
    )
