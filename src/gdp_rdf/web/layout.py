"""The page frame every HTML page shares (pure): the style, the header navigation, the other
formats, the citation and licence footer, and the small pieces pages are made of (links,
values, links to the profile text at a line).

Everything printed goes through `html.escape`; links to the project's own IRIs are made
relative to the server by the caller's `Link`, links elsewhere (Wikidata, GDP) are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from html import escape
from urllib.parse import quote

from gdp_rdf.web.charts import format_number

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


# /quality and /releases answer on every build: with no findings, or no release, they say so.
# The spaces let the links wrap on a narrow screen instead of running off its edge.
NAVIGATION = " ".join(
    f'<a href="{href}">{text}</a>'
    for href, text in (
        ("/", "GDP linked data"),
        ("/sparql", "SPARQL"),
        ("/dumps/", "Dumps"),
        ("/def/", "Ontology"),
        ("/quality", "Quality"),
        ("/releases", "Releases"),
    )
)


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
        f"<body><header>{NAVIGATION}</header>"
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
    links = " · ".join(anchor(href, name) for name, href in shown)
    return f'<p class="formats">This page as data: {links}</p>'


def footer(citation: str = "") -> str:
    """The citation and licence line every page carries."""
    cite = citation or (
        "Source: Global Detention Project, country profiles "
        "(https://www.globaldetentionproject.org/), as linked data."
    )
    return f"<footer><p>{escape(cite)}</p><p>{escape(LICENCE)}</p></footer>"


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def anchor(href: str, text: str) -> str:
    """A link, its address and text escaped; text alone for an address a browser would run
    or cannot follow (javascript:, data:, urn:): a /sparql answer can hold any IRI."""
    scheme = _SCHEME.match(href)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return escape(text)
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def profile_citation(country: str, page_url: str, last_updated: str) -> str:
    """The citation of a fact read from one country's profile."""
    where = f", {page_url}" if page_url else ""
    return (
        f"Source: Global Detention Project, {country} country profile{where}, "
        f"last updated {last_updated or 'unknown'}."
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


def value_cell(
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


def source_note(file_name: str, page_url: str, line: int, lines: Sequence[int] = ()) -> str:
    """Where the fact was read: the profile's text at its lines, and the GDP page."""
    others = sorted(set(lines) - {line})
    also = ""
    if others:
        links = ", ".join(source_link(file_name, n, lines) for n in others)
        also = f"; also read from {links}"
    page = f" (the profile on GDP's site: {anchor(page_url, page_url)})" if page_url else ""
    return (
        f'<p class="source">Read from {escape(file_name or "the profile")}, value on '
        f"{source_link(file_name, line, lines)}{also}{page}.</p>"
    )


def quote_block(text: str) -> str:
    """Text the profile printed, quoted."""
    return f"<blockquote>{escape(text)}</blockquote>"
