"""HTML pages (pure): plain HTML and inline SVG, no scripts, no external files.

Everything printed comes from the graph and goes through `html.escape`; links to the
project's own IRIs are made relative to the server, links elsewhere (Wikidata, GDP) are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from html import escape
from urllib.parse import quote

from gdp_rdf.web.charts import Point, format_number, line_chart
from gdp_rdf.web.labels import heading as unit_heading
from gdp_rdf.web.labels import short_label
from gdp_rdf.web.read_model import CountryPage, Record, Series, Value
from gdp_rdf.web.vocab_docs import Namespace

Link = Callable[[str], str]  # IRI -> href

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#23395d;color:#fff;padding:.6rem 1.2rem}header a{color:#fff;margin-right:1rem}
main{max-width:68rem;margin:0 auto;padding:1rem 1.2rem}
h1{font-size:1.7rem;margin:.4rem 0}h2{border-bottom:2px solid #23395d;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;background:#fff}
th,td{border:1px solid #ccd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e8ecf3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.missing-value{color:#8a4b00;font-style:italic}.source{font-size:.85rem;color:#555}
.chart{max-width:100%;height:auto;background:#fff;border:1px solid #ccd}
.chart .axis{stroke:#666}.chart .series{fill:none;stroke:#23395d;stroke-width:2}
.chart .point,.chart .bar{fill:#23395d}.chart .missing{fill:#fff;stroke:#b35c00;stroke-width:2}
.chart .tick{font-size:11px;fill:#444}
.series-block{margin:1rem 0 1.5rem}blockquote{background:#fff;border-left:4px solid #23395d;margin:0;padding:.5rem 1rem}
.chart .unit,.chart .chart-source{font-size:11px;fill:#444}
.table-wrap{overflow-x:auto;max-width:100%}
.summary{background:#fff;border:1px solid #ccd;padding:.5rem 1rem;margin:1rem 0}
.trend{font-size:.85rem;color:#444}
.summary td.num a.source{font-size:1rem;color:#1a4a8a}
.summary th[scope=row]{font-weight:normal;background:#fff}.formats{font-size:.9rem}
footer{max-width:68rem;margin:2rem auto 0;padding:1rem 1.2rem;
border-top:1px solid #ccd;font-size:.85rem;color:#444}
.src{font-family:monospace;font-size:.85rem;background:#fff;border:1px solid #ccd;padding:.5rem 0;overflow-x:auto}
.src div{white-space:pre-wrap;padding:0 .6rem 0 4.2rem;text-indent:-3.6rem;word-break:break-word}
.src div:target,.src div.hl{background:#fff3b0}
.src a.ln{display:inline-block;width:3rem;text-indent:0;color:#555;text-align:right;margin-right:.6rem}
a{color:#1a4a8a}header a{color:#fff}
@media (max-width:40rem){main{padding:.6rem}th,td{padding:.2rem .3rem}h1{font-size:1.35rem}
.sr-narrow{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.summary{padding:.3rem .5rem}}
textarea{width:100%;box-sizing:border-box;font:14px monospace}
code,pre{font-size:.9rem}pre{white-space:pre-wrap;background:#fff;padding:.5rem}
"""


def layout(
    title: str,
    body: str,
    jsonld: Mapping[str, object] | None = None,
    alternates: Sequence[tuple[str, str]] = (),
    citation: str = "",
) -> str:
    """A whole page: title, navigation, the body, its other formats as visible links, the
    citation and licence line, embedded schema.org JSON-LD."""
    links = "".join(
        f'<link rel="alternate" type="{escape(kind)}" href="{escape(href)}">'
        for kind, href in alternates
    )
    data = ""
    if jsonld is not None:
        text = json.dumps(jsonld, ensure_ascii=False, indent=1).replace("</", "<\\/")
        data = f'<script type="application/ld+json">{text}</script>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} | GDP linked data</title><style>{STYLE}</style>{links}{data}</head>"
        '<body><header><a href="/">GDP linked data</a><a href="/sparql">SPARQL</a>'
        '<a href="/dumps/">Dumps</a><a href="/def/">Ontology</a></header>'
        f"<main>{body}{formats(alternates)}</main>{footer(citation)}</body></html>\n"
    )


FORMAT_NAMES = {
    "text/html": "HTML",
    "text/turtle": "Turtle",
    "application/ld+json": "JSON-LD",
    "application/n-triples": "N-Triples",
    "text/csv": "CSV",
}
LICENCE = (
    "The data are published by the Global Detention Project; no licence for them has been "
    "confirmed, so check GDP's terms before reuse."
)


def formats(alternates: Sequence[tuple[str, str]]) -> str:
    """The page's data in other formats, as links people can see."""
    shown = [
        (FORMAT_NAMES.get(kind, kind), href) for kind, href in alternates if kind != "text/html"
    ]
    if not shown:
        return ""
    links = " · ".join(_a(href, name) for name, href in shown)
    return f'<p class="formats">This page as data: {links}</p>'


def footer(citation: str = "") -> str:
    """The citation and licence line every page carries."""
    cite = citation or (
        "Source: Global Detention Project, country profiles "
        "(https://www.globaldetentionproject.org/), as linked data."
    )
    return f"<footer><p>{escape(cite)}</p><p>{escape(LICENCE)}</p></footer>"


def citation(page: CountryPage) -> str:
    """'Source: Global Detention Project, country profile, last updated ...'."""
    return profile_citation(page.name, page.page_url, page.last_updated)


def _a(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def home(
    countries: Sequence[tuple[str, str, str]],
    link: Link,
    dataset: dict[str, str],
    files: Sequence[dict[str, str]],
) -> str:
    """The countries, and the whole-graph dumps (the per-country ones are on /dumps/)."""
    whole = [f for f in files if "/" not in f["name"]]
    items = "".join(
        f"<li>{_a(link(iri), name)} <small>({escape(iso3)})</small></li>"
        for iri, iso3, name in countries
    )
    body = (
        f"<h1>{escape(dataset.get('title', 'GDP linked data'))}</h1>"
        f"<p>{escape(dataset.get('description', ''))}</p>"
        f"<p>{_a('/sparql', 'Query it with SPARQL')} · {_a('/dumps/', 'Download the dumps')} · "
        f"{_a('/.well-known/void', 'VoID description')} · {_a(dataset.get('href', '/'), 'About the dataset')}</p>"
        f'<h2>Countries ({len(countries)})</h2><ul class="countries">{items}</ul>'
        f"<h2>Dumps</h2>{dump_table(whole)}<p>{_a('/dumps/', 'All dumps')}, one per country too.</p>"
    )
    return layout(
        "Home",
        body,
        {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": dataset.get("title", ""),
            "description": dataset.get("description", ""),
        },
    )


def shown_value(number: Decimal | None, shown: str, denominator: str = "") -> str:
    """A value for the reader: "58,519"; a ratio as "13 of 19"; text as printed."""
    if number is None:
        return shown
    text = format_number(number)
    if denominator:
        try:
            return f"{text} of {format_number(Decimal(denominator))}"
        except ArithmeticError:
            return f"{text} of {denominator}"
    return text


def _value_cell(
    shown: str,
    missing: bool,
    number: Decimal | None = None,
    note: str | None = None,
    denominator: str = "",
) -> str:
    """A value: numbers right-aligned with thousands separators, missing values marked."""
    extra = f' <small class="note">({escape(note)})</small>' if note else ""
    if missing:
        return f'<td class="missing-value">{escape(shown)}{extra}</td>'
    if number is not None:
        return f'<td class="num">{escape(shown_value(number, shown, denominator))}{extra}</td>'
    return f"<td>{escape(shown)}{extra}</td>"


def source_href(file_name: str, lines: Sequence[int], line: int) -> str:
    """The served profile text at a value's line, its other lines highlighted."""
    marked = ",".join(str(n) for n in sorted({line, *lines}))
    return f"/source/{quote(file_name)}?lines={marked}#L{line}"


def source_link(file_name: str, line: int, lines: Sequence[int] = (), text: str = "") -> str:
    """'line 88' (or ``text``) linked to the profile text at that line."""
    if not file_name:
        return f'<span class="source">{escape(text or f"line {line}")}</span>'
    others = sorted(set(lines) - {line})
    title = f"{file_name}, line {line}" + (
        f" (also read on line{'s' if len(others) > 1 else ''} {', '.join(map(str, others))})"
        if others
        else ""
    )
    href = source_href(file_name, lines, line)
    return (
        f'<a class="source source-line" href="{escape(href)}" title="{escape(title)}">'
        f"{escape(text or f'line {line}')}</a>"
    )


Extras = Mapping[str, tuple[str, Sequence[int]]]  # observation -> (denominator, source lines)


def _source(line: int, page: CountryPage, lines: Sequence[int] = ()) -> str:
    return source_link(page.file_name, line, lines)


def _row(v: Value, page: CountryPage, link: Link, extras: Extras) -> str:
    denominator, lines = extras.get(v.observation, ("", ()))
    return (
        f"<tr><td>{escape(str(v.period) if v.period else 'no year')}</td>"
        f"{_value_cell(v.shown, v.missing, v.number, v.note, denominator)}"
        f"<td>{_a(link(v.observation), 'details')}</td><td>{_source(v.line, page, lines)}</td></tr>"
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
            short_label(series.label),
            points,
            series.unit,
            "chart-" + series.indicator.rsplit("/", 1)[-1],
            f"GDP {page.name} country profile ({page.file_name})",
        )
    title = unit_heading(series.label, series.unit)
    return (
        f'<div class="series-block"><h3>{_a(link(series.indicator), title)}</h3>{chart}'
        f'<div class="table-wrap"><table><caption class="source">{escape(title)}: values by year'
        "</caption><thead><tr><th>Year</th><th>Value</th><th>Data</th><th>Source</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></div></div>"
    )


def _records(heading: str, records: Sequence[Record], page: CountryPage, link: Link) -> str:
    anchor = heading.lower().replace(" ", "-")
    if heading == "Treaty-body recommendations":
        items = "".join(
            f"<article><h3>{_a(link(r.link), r.title) if r.link else escape(r.title)} "
            f"<small>{escape(r.year)} (observed {escape(r.observed)})</small></h3>"
            f"<blockquote>{escape(r.detail)}</blockquote>"
            f"<p>{_a(link(r.iri), 'record')} · {_source(r.line, page)}</p></article>"
            for r in records
        )
        return f'<h2 id="{anchor}">{escape(heading)}</h2>{items}'
    optional = [
        (name, attr)
        for name, attr in (("Year", "year"), ("Observed", "observed"), ("Detail", "detail"))
        if any(getattr(r, attr) for r in records)
    ]
    head = "".join(f"<th>{name}</th>" for name, _ in optional)
    rows = "".join(
        "<tr>"
        f"<td>{_a(link(r.link), r.title) if r.link else escape(r.title)}"
        + (f" ({_a(r.wikidata, 'Wikidata')})" if r.wikidata else "")
        + "</td>"
        + "".join(f"<td>{escape(getattr(r, attr))}</td>" for _, attr in optional)
        + f"<td>{_a(link(r.iri), 'record')}</td><td>{_source(r.line, page)}</td></tr>"
        for r in records
    )
    table_id = ' id="treaties"' if heading == "Treaties ratified" else ""
    return (
        f'<h2 id="{anchor}">{escape(heading)}</h2><div class="table-wrap"><table{table_id}>'
        f"<thead><tr><th>Name</th>{head}<th>Data</th><th>Source</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def country(
    page: CountryPage,
    link: Link,
    alternates: Sequence[tuple[str, str]],
    extras: Extras | None = None,
    summary: str = "",
) -> str:
    """A country page: the summary first, then facts by section with a chart per series,
    treaties, recommendations."""
    extras = extras or {}
    facts = "".join(
        f'<h2 id="{escape(s.code)}">{escape(s.label)}</h2>'
        + "".join(_series(x, page, link, extras) for x in s.series)
        for s in page.sections
    )
    records = "".join(_records(h, r, page, link) for h, r in page.records.items())
    wikidata = (
        f"<p>Wikidata: {_a(page.wikidata, page.wikidata.rsplit('/', 1)[-1])}</p>"
        if page.wikidata
        else ""
    )
    source = (
        f"<p>Source: {_a(page.page_url, 'GDP country profile')}"
        if page.page_url
        else "<p>Source: GDP country profile"
    )
    text = _a(f"/source/{quote(page.file_name)}", page.file_name) if page.file_name else "profile"
    source += f" (text: {text}, last updated {escape(page.last_updated or 'unknown')})</p>"
    overview = f"<blockquote>{escape(page.overview)}</blockquote>" if page.overview else ""
    printed = ""
    if page.printed_name and page.printed_name != page.name:
        printed = f"<p>Printed on the profile as “{escape(page.printed_name)}”.</p>"
    body = (
        f"<h1>{escape(page.name)} <small>({escape(page.iso3)})</small></h1>"
        f"{printed}{wikidata}{source}{summary}{overview}{facts}{records}"
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


def resource(
    iri: str,
    title: str,
    types: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, str, list[tuple[str, str | None]]]],
    incoming: Sequence[tuple[str, str, str]],
    alternates: Sequence[tuple[str, str]],
    extra: str = "",
    lead: str = "",
    cite: str = "",
) -> str:
    """Any resource: its text and source first, its properties with labels, what links to it."""
    type_text = ", ".join(_a(href, label) for label, href in types)
    table = "".join(
        f"<tr><th>{_a(href, label)}</th><td>"
        + "<br>".join(_a(target, text) if target else escape(text) for text, target in values)
        + "</td></tr>"
        for label, href, values in rows
    )
    back = "".join(
        f"<li>{_a(href, text)} <small>({escape(via)})</small></li>" for text, href, via in incoming
    )
    body = (
        f"<h1>{escape(title)}</h1><p><code>{escape(iri)}</code></p>"
        + (f"<p>A {type_text}</p>" if type_text else "")
        + f"{lead}<table><tbody>{table}</tbody></table>{extra}"
        + (f"<h2>Linked from</h2><ul>{back}</ul>" if back else "")
    )
    return layout(
        title,
        body,
        {"@context": "https://schema.org", "@type": "Thing", "@id": iri, "name": title},
        alternates,
        cite,
    )


def profile_citation(country: str, page_url: str, last_updated: str) -> str:
    """The citation of a fact read from one country's profile."""
    where = f", {page_url}" if page_url else ""
    return (
        f"Source: Global Detention Project, {country} country profile{where}, "
        f"last updated {last_updated or 'unknown'}."
    )


def quote_block(text: str) -> str:
    return f"<blockquote>{escape(text)}</blockquote>"


def source_note(file_name: str, page_url: str, line: int, lines: Sequence[int] = ()) -> str:
    """Where the fact was read: the profile's text at its lines, and the GDP page."""
    others = sorted(set(lines) - {line})
    also = ""
    if others:
        links = ", ".join(source_link(file_name, n, lines) for n in others)
        also = f"; also read from {links}"
    page = f" (the profile on GDP's site: {_a(page_url, page_url)})" if page_url else ""
    return (
        f'<p class="source">Read from {escape(file_name or "the profile")}, value on '
        f"{source_link(file_name, line, lines)}{also}{page}.</p>"
    )


def values_table(rows: Sequence[dict[str, str]], link: Link) -> str:
    body = "".join(
        f"<tr><td>{_a(link(r['country']), r['name'])}</td><td>{escape(r['period'] or 'no year')}</td>"
        + _value_cell(
            r["number"] or r["rank"] or r["answer"] or r["text"] or r["status"] or "no value",
            not (r["number"] or r["rank"] or r["answer"] or r["text"]),
        )
        + f"<td>{_a(link(r['obs']), 'observation')}</td></tr>"
        for r in rows
    )
    return (
        f"<h2>Values ({len(rows)})</h2><table><thead><tr><th>Country</th><th>Year</th><th>Value</th>"
        f"<th>Data</th></tr></thead><tbody>{body}</tbody></table>"
    )


def dump_table(files: Sequence[dict[str, str]]) -> str:
    """Files with their size and SHA-256 checksum."""
    rows = "".join(
        f"<tr><td>{_a(f['href'], f['name'])}</td><td>{escape(f.get('title', ''))}</td>"
        f'<td class="num">{int(f["size"]):,}</td><td><code>{escape(f["sha"])}</code></td></tr>'
        for f in files
    )
    return (
        "<table><thead><tr><th>File</th><th>Content</th><th>Bytes</th><th>SHA-256</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def dumps(files: Sequence[dict[str, str]]) -> str:
    body = (
        "<h1>Dumps</h1><p>Every file with its size in bytes and SHA-256 checksum, as described in "
        f"{_a('/.well-known/void', 'the VoID description')}.</p>{dump_table(files)}"
    )
    return layout("Dumps", body)


def sparql_form(
    queries: Sequence[tuple[str, str, str]], text: str, result: str = "", error: str = ""
) -> str:
    """The query page: a form (works without JavaScript) and the catalogue, ready to run."""
    catalogue = "".join(
        f"<li>{_a('/sparql?query=' + quote(query), title)} <small>({escape(name)})</small></li>"
        for name, title, query in queries
    )
    problem = f'<p class="missing-value">{escape(error)}</p>' if error else ""
    body = (
        "<h1>SPARQL</h1><p>A read-only SPARQL 1.1 endpoint (GET or POST to <code>/sparql</code>; "
        "JSON, XML, CSV and TSV results; Turtle, N-Triples or JSON-LD for CONSTRUCT).</p>"
        '<form method="get" action="/sparql"><p><label for="query">SPARQL query</label></p>'
        '<textarea id="query" name="query" rows="12">'
        f'{escape(text)}</textarea><p><button type="submit">Run</button></p></form>{problem}{result}'
        f"<h2>Ready-made queries</h2><ul>{catalogue}</ul>"
    )
    return layout("SPARQL", body)


def results(variables: Sequence[str], rows: Sequence[dict[str, tuple[str, str | None]]]) -> str:
    head = "".join(f"<th>{escape(v)}</th>" for v in variables)
    body = "".join(
        "<tr>"
        + "".join(
            "<td>"
            + (
                _a(row[v][1] or "", row[v][0])
                if row.get(v) and row[v][1]
                else escape(row[v][0] if row.get(v) else "")
            )
            + "</td>"
            for v in variables
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<h2>Results ({len(rows)})</h2><div class="table-wrap"><table><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table></div>"
    )


def vocabulary(
    namespace: Namespace, label: Callable[[str], str], alternates: Sequence[tuple[str, str]]
) -> str:
    """The ontology or the shapes: a table per kind of term, an anchor per term."""

    def href(iri: str) -> str:
        if iri.startswith(namespace.iri) and iri in namespace.terms:
            return "#" + namespace.terms[iri].anchor
        return iri

    def value(text: str, is_iri: bool) -> str:
        return _a(href(text), label(text)) if is_iri else f"<code>{escape(text)}</code>"

    sections = []
    for heading, terms in namespace.grouped():
        rows = "".join(
            f'<tr id="{escape(t.anchor)}"><td><strong>{escape(t.label or t.anchor)}</strong><br>'
            f"<code>{escape(t.iri)}</code></td><td>{escape(t.comment)}"
            + "".join(
                f"<br><small>{escape(name)}:</small> {value(v, i)}" for name, v, i in t.details
            )
            + "</td></tr>"
            for t in terms
        )
        sections.append(
            f"<h2>{escape(heading)} ({len(terms)})</h2><table><thead><tr><th>Term</th>"
            f"<th>Definition</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    links = " · ".join(_a(href_, kind) for kind, href_ in alternates)
    body = (
        f"<h1>{escape(namespace.title)}</h1><p><code>{escape(namespace.iri)}</code> · {links}</p>"
    )
    jsonld = {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "@id": namespace.iri,
        "name": namespace.title,
    }
    return layout(namespace.title, body + "".join(sections), jsonld, alternates)


def error(status: int, message: str) -> str:
    return layout(f"{status}", f"<h1>{status}</h1><p>{escape(message)}</p><p>{_a('/', 'Home')}</p>")
