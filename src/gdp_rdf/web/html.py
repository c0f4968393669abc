"""HTML pages (pure): plain HTML and inline SVG, no scripts, no external files.

The site's own pages live here (home, any resource, dumps, SPARQL, the ontology and shapes,
errors); the page frame and its pieces are in `layout`, the country page in `country_page`.
Callers import all of them from here (`from gdp_rdf.web import html as pages`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from urllib.parse import quote

from gdp_rdf.web.country_page import Extras, citation, country
from gdp_rdf.web.layout import (
    Link,
    anchor,
    layout,
    profile_citation,
    quote_block,
    shown_value,
    source_link,
    source_note,
)
from gdp_rdf.web.vocab_docs import Namespace

__all__ = [
    "Extras",
    "Link",
    "citation",
    "country",
    "dump_table",
    "dumps",
    "error",
    "home",
    "layout",
    "profile_citation",
    "quote_block",
    "resource",
    "results",
    "shown_value",
    "source_link",
    "source_note",
    "sparql_form",
    "vocabulary",
]



def home(
    countries: Sequence[tuple[str, str, str]],
    link: Link,
    dataset: dict[str, str],
    files: Sequence[dict[str, str]],
) -> str:
    """The countries, and the whole-graph dumps (the per-country ones are on /dumps/)."""
    whole = [f for f in files if "/" not in f["name"]]
    items = "".join(
        f"<li>{anchor(link(iri), name)} <small>({escape(iso3)})</small></li>"
        for iri, iso3, name in countries
    )
    body = (
        f"<h1>{escape(dataset.get('title', 'GDP linked data'))}</h1>"
        f"<p>{escape(dataset.get('description', ''))}</p>"
        f"<p>{anchor('/sparql', 'Query it with SPARQL')} · "
        f"{anchor('/dumps/', 'Download the dumps')} · "
        f"{anchor('/.well-known/void', 'VoID description')} · "
        f"{anchor(dataset.get('href', '/'), 'About the dataset')}</p>"
        f'<h2>Countries ({len(countries)})</h2><ul class="countries">{items}</ul>'
        f"<h2>Dumps</h2>{dump_table(whole)}<p>{anchor('/dumps/', 'All dumps')}, one per country too.</p>"
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
    type_text = ", ".join(anchor(href, label) for label, href in types)
    table = "".join(
        f"<tr><th>{anchor(href, label)}</th><td>"
        + "<br>".join(anchor(target, text) if target else escape(text) for text, target in values)
        + "</td></tr>"
        for label, href, values in rows
    )
    back = "".join(
        f"<li>{anchor(href, text)} <small>({escape(via)})</small></li>"
        for text, href, via in incoming
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


def dump_table(files: Sequence[dict[str, str]]) -> str:
    """Files with their size and SHA-256 checksum."""
    rows = "".join(
        f"<tr><td>{anchor(f['href'], f['name'])}</td><td>{escape(f.get('title', ''))}</td>"
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
        f"{anchor('/.well-known/void', 'the VoID description')}.</p>{dump_table(files)}"
    )
    return layout("Dumps", body)


def sparql_form(
    queries: Sequence[tuple[str, str, str]], text: str, result: str = "", error: str = ""
) -> str:
    """The query page: a form (works without JavaScript) and the catalogue, ready to run."""
    catalogue = "".join(
        f"<li>{anchor('/sparql?query=' + quote(query), title)} <small>({escape(name)})</small></li>"
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
                anchor(row[v][1] or "", row[v][0])
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
        return anchor(href(text), label(text)) if is_iri else f"<code>{escape(text)}</code>"

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
    links = " · ".join(anchor(href_, kind) for kind, href_ in alternates)
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
    return layout(
        f"{status}", f"<h1>{status}</h1><p>{escape(message)}</p><p>{anchor('/', 'Home')}</p>"
    )
