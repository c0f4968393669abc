"""The quality findings where people read (issue 14): the /quality page, and a flag beside
each flagged value of a country page saying why, with the other values involved.

Findings come from the quality graph (dist/quality.nt) loaded with the dumps; a build
without one simply has no flags.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html import escape

from gdp_rdf.web.html import Link, layout
from gdp_rdf.web.read_model import Site

_DQV = "http://www.w3.org/ns/dqv#"
_OA = "http://www.w3.org/ns/oa#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_DCTERMS = "http://purl.org/dc/terms/"

FLAG_STYLE = (
    "<style>.flag{display:block;font-size:.85rem;color:#8a4b00;margin-top:.2rem}"
    ".flag.error,.flag-mark.error{color:#a00}.flag.info,.flag-mark.info{color:#35506e}"
    ".flag-mark{color:#8a4b00;cursor:help}</style>"
)


@dataclass(frozen=True, slots=True)
class Flag:
    """One finding as a page shows it."""

    finding: str
    target: str
    iso3: str
    check: str
    severity: str
    value: str
    message: str
    context: str
    line: str


def _query(base: str, country: str | None) -> str:
    g = base + "def/"
    bound = f"VALUES ?country {{ <{country}> }}" if country else ""
    return f"""SELECT ?finding ?target ?iso3 ?check ?severity ?value ?message ?context ?line WHERE {{
  {bound}
  ?finding a <{_DQV}QualityAnnotation> ; <{_OA}hasTarget> ?target ; <{g}rawValue> ?value ;
      <{_RDFS}comment> ?message ; <{_OA}hasBody> ?c , ?s .
  ?c <{_SKOS}inScheme> <{base}code/check> ; <{_SKOS}notation> ?check .
  ?s <{_SKOS}inScheme> <{base}code/severity> ; <{_SKOS}notation> ?severity .
  ?target <{g}refArea>|<{g}country> ?country . ?country <{g}iso3> ?iso3 .
  OPTIONAL {{ ?finding <{_DCTERMS}description> ?context }}
  OPTIONAL {{ ?finding <{g}valueLine> ?line }}
}} ORDER BY ?iso3 ?check ?finding"""


def flags(site: Site, country: str | None = None) -> list[Flag]:
    """The findings of one country (every country when None), in a stable order."""
    return [
        Flag(
            r["finding"],
            r["target"],
            r["iso3"],
            r["check"],
            r["severity"],
            r["value"],
            r["message"],
            r.get("context") or "",
            r.get("line") or "",
        )
        for r in site.select(_query(site.base, country))
    ]


def _flag_html(flag: Flag, link: Link) -> str:
    context = f" Other values: {flag.context}." if flag.context else ""
    return (
        f'<span class="flag {escape(flag.severity)}" title="{escape(flag.message + context)}">'
        f'&#9873; <a href="{escape(link(flag.finding))}">{escape(flag.check)}</a>: '
        f"{escape(flag.message)}{escape(context)}</span>"
    )


def flag_country_page(page: str, site: Site, country: str, link: Link) -> str:
    """A country page with each flagged value marked in its cell, and the note saying why
    (with the other values involved) beside it, after the link to its observation."""
    found = flags(site, country)
    if not found:
        return page
    for flag in found:
        anchor = f'<a href="{escape(link(flag.target))}">details</a>'
        cell = re.compile(r"(<td[^>]*>)([^<]*)(</td><td>)" + re.escape(anchor))
        mark = f'<span class="flag-mark {escape(flag.severity)}" title="{escape(flag.message)}">&#9873;</span>'
        found_cell = cell.search(page)
        if found_cell:  # the mark goes at the end of the value's own cell
            at = found_cell.end(2)
            page = page[:at] + " " + mark + page[at:]
        page = page.replace(anchor, anchor + _flag_html(flag, link), 1)
    return page.replace("</head>", FLAG_STYLE + "</head>", 1)


def quality_page(site: Site, link: Link) -> str:
    """/quality: counts per check and country, then every finding with its message."""
    found = flags(site)
    per_check = Counter(f.check for f in found)
    per_country: dict[str, Counter[str]] = {}
    for f in found:
        per_country.setdefault(f.iso3, Counter())[f.check] += 1
    checks = sorted(per_check)
    body = [
        "<h1>Quality findings</h1>",
        f"<p>{len(found)} value(s) the quality checks flag. A flag says why a careful reader "
        "might doubt a value; every value is published exactly as the page prints it. "
        '<a href="/dumps/quality.ttl">quality.ttl</a> holds them as DQV annotations.</p>',
        "<h2>By check</h2><table><tr><th>check</th><th>findings</th></tr>",
        *(
            f'<tr><td><a href="{escape(link(site.base + "code/check/" + c))}">{escape(c)}</a></td>'
            f'<td class="num">{per_check[c]}</td></tr>'
            for c in checks
        ),
        "</table><h2>By country</h2><table><tr><th>country</th>",
        *(f"<th>{escape(c)}</th>" for c in checks),
        "<th>total</th></tr>",
    ]
    for iso3 in sorted(per_country):
        counts = per_country[iso3]
        country = link(site.base + "id/country/" + iso3)
        cells = "".join(f'<td class="num">{counts[c] or ""}</td>' for c in checks)
        body.append(
            f'<tr><td><a href="{escape(country)}">{escape(iso3)}</a></td>{cells}'
            f'<td class="num">{sum(counts.values())}</td></tr>'
        )
    body.append(
        "</table><h2>Findings</h2><table><tr><th>country</th><th>check</th>"
        "<th>severity</th><th>value</th><th>why</th><th>line</th></tr>"
    )
    for f in found:
        body.append(
            f"<tr><td>{escape(f.iso3)}</td><td>{escape(f.check)}</td><td>{escape(f.severity)}</td>"
            f'<td><a href="{escape(link(f.target))}">{escape(f.value)}</a></td>'
            f"<td>{escape(f.message)}{'<br><small>' + escape(f.context) + '</small>' if f.context else ''}"
            f"</td><td>{escape(f.line)}</td></tr>"
        )
    body.append("</table>")
    return layout("Quality findings", "".join(body))
