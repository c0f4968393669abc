"""The detention-facility page and the facility list of a country page (pure, issue 17).

Every value is shown as the facility page printed it, with its line of the page's text;
"No Data" and "Not Available" are shown as statuses, never as 0; the country block of the
page is shown as printed there, apart from the country's own values. The map is a link to
OpenStreetMap: nothing is fetched from elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from gdp_rdf.vocab import FACILITY_SERIES
from gdp_rdf.web.charts import Point, format_number, line_chart
from gdp_rdf.web.facility_model import FacilityRow, FacilityView, Figure, Printed
from gdp_rdf.web.layout import Link, anchor, layout, source_link, value_cell

# The page's fields grouped as the facility page groups them; any other field is shown under
# "Other values printed on the page", so nothing read is left out.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("names", "Names and location", ("facility-name", "place", "alternative-name",
                                     "location-country", "city-region", "latitude",
                                     "longitude", "contact")),
    ("status", "Status history", ("facility-status", "operating-period")),
    ("type", "Type and category", ("facility-type", "national-typology")),
    ("authority", "Custodial authority and management",
     ("custodial-authority", "management", "facility-owner", "area-of-operations")),
    ("services", "Outsourced services", ("outsourced-services",)),
    ("detainees", "Who it detains", ("detains",)),
    ("numbers-printed", "Capacity and population as printed",
     ("capacity", "reported-population", "reported-population-single-day",
      "total-migration-detainees")),
    ("deaths-complaints", "Deaths and complaints", ("deaths", "complaints")),
    ("length", "Length of detention", ("detention-timeframe", "average-days", "overstays")),
    ("conditions", "Conditions",
     ("inadequate-conditions", "inspection-score", "security-regime", "skills-development",
      "language-classes")),
    ("segregation", "Segregation",
     ("gender-segregation", "age-segregation", "legal-segregation", "family-segregation")),
    ("monitoring", "Monitoring and access", ("monitoring-access", "family-access")),
)  # fmt: skip
FORMATTED = ("capacity", "reported-population", "reported-population-single-day",
             "total-migration-detainees", "average-days")  # fmt: skip


def osm_link(latitude: str, longitude: str) -> str:
    """OpenStreetMap at the facility's coordinates (a link: no tile is fetched)."""
    lat, lon = quote(latitude), quote(longitude)
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=14/{lat}/{lon}"


def _source(view: FacilityView | FacilityRow, line: int, lines: Sequence[int] = ()) -> str:
    return source_link(view.file_name, line, lines)


def _cell(p: Printed) -> str:
    number = p.number if p.base_field in FORMATTED else None
    note = p.status if p.status and p.status.casefold() != p.shown.casefold() else None
    return value_cell(p.shown, p.missing, number, note)


def _data(p: Printed, link: Link) -> str:
    out = anchor(link(p.iri), "details")
    if p.coded:
        out += f" · read as {anchor(link(p.coded), p.coded_label or p.coded)}"
    return out


def _table(caption: str, rows: Sequence[Printed], view: FacilityView, link: Link) -> str:
    body = "".join(
        f"<tr><td>{escape(p.label or p.field)}</td>{_cell(p)}"
        f"<td>{escape(p.period or 'no year')}</td><td>{_data(p, link)}</td>"
        f"<td>{_source(view, p.line, p.lines)}</td></tr>"
        for p in rows
    )
    return (
        f'<div class="table-wrap"><table><caption class="source">{escape(caption)}: the values '
        "as printed, each with its line of the page</caption>"
        "<thead><tr><th>Field as printed</th><th>Value</th><th>Year</th><th>Data</th>"
        f"<th>Source</th></tr></thead><tbody>{body}</tbody></table></div>"
    )


def _status_list(view: FacilityView) -> str:
    statuses = [p for p in view.printed if p.field == "facility-status"]
    if not statuses:
        return '<span class="missing-value">not printed</span>'
    return "<br>".join(
        f"{escape(p.shown)} ({escape(p.period or 'no year')}) {_source(view, p.line, p.lines)}"
        for p in statuses
    )


def _first(view: FacilityView, code: str) -> Printed | None:
    return next((p for p in view.printed if p.field == code), None)


def _printed_inline(view: FacilityView, p: Printed | None) -> str:
    if p is None:
        return '<span class="missing-value">not printed</span>'
    text = escape(p.shown)
    if p.missing:
        text = f'<span class="missing-value">{text}</span>'
    return f"{text} {_source(view, p.line, p.lines)}"


def _organisations(view: FacilityView, role: str, link: Link) -> str:
    found = [o for o in view.organisations if o.role == role]
    if not found:
        field = "custodial-authority" if role == "Custodial authority" else "management"
        return _printed_inline(view, _first(view, field))
    return "<br>".join(
        anchor(link(o.iri), o.name)
        + (
            " <small>(" + ", ".join(anchor(link(i), label) for label, i in o.types) + ")</small>"
            if o.types
            else ""
        )
        for o in found
    )


def _summary(view: FacilityView, link: Link) -> str:
    kind, category = _first(view, "facility-type"), _first(view, "facility-type.category")
    kind_text = _printed_inline(view, kind)
    if category is not None:
        kind_text += f"; category: {_printed_inline(view, category)}"
    country = anchor(link(view.country), view.country_name) if view.country else ""
    if not view.country_profile:
        country += " <small>(no country profile in this build)</small>"
    place = ""
    if view.latitude and view.longitude:
        place = (
            f"{escape(view.latitude)}, {escape(view.longitude)} · "
            f'<a class="osm" href="{escape(osm_link(view.latitude, view.longitude))}">'
            "Show on OpenStreetMap</a>"
        )
    else:
        place = '<span class="missing-value">coordinates not printed</span>'
    detains = ", ".join(anchor(link(i), label) for label, i in view.detains) or (
        '<span class="missing-value">not printed</span>'
    )
    names = escape(view.name)
    if view.alternative_names:
        names += "<br><small>Also named:</small> " + "; ".join(
            escape(n) for n in view.alternative_names
        )
    rows = (
        ("Name", names),
        ("Country", country),
        ("City", escape(view.city) or '<span class="missing-value">not printed</span>'),
        ("Region", escape(view.region) or '<span class="missing-value">not printed</span>'),
        ("Coordinates (latitude, longitude)", place),
        ("Status history", _status_list(view)),
        ("Type", kind_text),
        ("Custodial authority", _organisations(view, "Custodial authority", link)),
        ("Management", _organisations(view, "Management", link)),
        ("Detains", detains),
    )
    body = "".join(f'<tr><th scope="row">{escape(h)}</th><td>{v}</td></tr>' for h, v in rows)
    return f'<table class="summary facility-summary"><tbody>{body}</tbody></table>'


def _figure_cell(f: Figure) -> str:
    return value_cell(str(f.number), False, f.number)


def _figures(view: FacilityView, link: Link) -> str:
    missing = [p for p in view.printed if p.field in FACILITY_SERIES and p.missing]
    if not view.figures and not missing:
        return "<p>No capacity or population figure is printed on the page.</p>"
    rows = "".join(
        f"<tr><td>{anchor(link(f.iri), f.label)}</td>"
        f"<td>{escape(str(f.period) if f.period else 'no year')}</td>{_figure_cell(f)}"
        f"<td>{_source(view, f.line, f.lines)}</td></tr>"
        for f in view.figures
    )
    rows += "".join(  # "No Data" stays a status beside the figures, never a 0 among them
        f"<tr><td>{anchor(link(p.iri), p.label or p.field)}</td>"
        f"<td>{escape(p.period or 'no year')}</td>{_cell(p)}"
        f"<td>{_source(view, p.line, p.lines)}</td></tr>"
        for p in missing
    )
    charts = ""
    for code in dict.fromkeys(f.field for f in view.figures):
        dated = [f for f in view.figures if f.field == code and f.period]
        if len(dated) >= 2:
            charts += line_chart(
                dated[0].label,
                [Point(f.period or 0, f.number) for f in dated],
                None,
                "chart-" + code,
                f"GDP facility page ({view.file_name})",
            )
    return (
        f'{charts}<div class="table-wrap"><table id="facility-figures"><caption class="source">'
        "Capacity and reported population by year</caption><thead><tr><th>Figure</th>"
        "<th>Year</th><th>Value</th><th>Source</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def _snapshot(view: FacilityView, link: Link) -> str:
    if not view.snapshot:
        return ""
    country = escape(view.country_name)
    rows = "".join(
        f"<tr><td>{anchor(link(p.field), p.label or p.field)}</td>{value_cell(p.shown, p.missing, p.number)}"
        f"<td>{escape(p.period or 'no year')}</td><td>{_source(view, p.line, p.lines)}</td></tr>"
        for p in view.snapshot
    )
    printed = escape(view.snapshot_name or view.country_name)
    return (
        '<h2 id="country-snapshot">Country figures as printed on the facility page</h2>'
        f'<p class="snapshot-note">The facility page prints two figures for {printed} '
        f"({_source(view, view.snapshot_line)}). They are a snapshot of the country page "
        f"when this page was saved, shown as printed there: they are not {country}'s own "
        + ("values, which its country page gives.</p>" if view.country_profile else "values.</p>")
        + '<div class="table-wrap"><table id="snapshot"><caption class="source">'
        f"As printed on the facility page, not the country's own values</caption><thead><tr>"
        "<th>Figure</th><th>Value</th><th>Year</th><th>Source</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def facility(view: FacilityView, link: Link, alternates: Sequence[tuple[str, str]]) -> str:
    """A facility: summary, capacity and population, every printed value by section, the
    country block as printed."""
    known = {code for _, _, codes in SECTIONS for code in codes}
    parts = []
    for section_id, title, codes in SECTIONS:
        rows = view.fields(*codes)
        if section_id == "numbers-printed":
            parts.append(f'<h2 id="numbers">Capacity and population</h2>{_figures(view, link)}')
        if rows:
            parts.append(
                f'<h2 id="{section_id}">{escape(title)}</h2>{_table(title, rows, view, link)}'
            )
    others = [p for p in view.printed if p.base_field not in known]
    if others:
        title = "Other values printed on the page"
        parts.append(f'<h2 id="other">{title}</h2>{_table(title, others, view, link)}')
    source = "<p>Source: " + (
        anchor(view.page_url, "GDP detention-facility page") if view.page_url else "GDP page"
    )
    if view.file_name:
        text = anchor(f"/source/{quote(view.file_name)}", view.file_name)
        source += f" (text: {text})"
    source += "</p>"
    body = (
        f"<h1>{escape(view.name)}</h1><p><code>{escape(view.iri)}</code></p>"
        f"<p>A detention facility recorded by the Global Detention Project.</p>{source}"
        f"{_summary(view, link)}{''.join(parts)}{_snapshot(view, link)}"
    )
    jsonld: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Place",
        "@id": view.iri,
        "name": view.name,
        "containedInPlace": {"@id": view.country} if view.country else None,
        "subjectOf": {"@type": "WebPage", "url": view.page_url} if view.page_url else None,
    }
    if view.latitude and view.longitude:
        jsonld["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": view.latitude,
            "longitude": view.longitude,
        }
    cite = "Source: Global Detention Project, detention-facility page" + (
        f", {view.page_url}." if view.page_url else "."
    )
    return layout(view.name, body, {k: v for k, v in jsonld.items() if v}, alternates, cite)


def _row_value(value: Figure | Printed | None, row: FacilityRow) -> str:
    if value is None:
        return '<td class="missing-value">not printed</td>'
    if isinstance(value, Figure):
        year = f" ({value.period})" if value.period else ""
        return (
            f'<td class="num">{escape(format_number(value.number))}{escape(year)} '
            f"{_source(row, value.line, value.lines)}</td>"
        )
    return (
        f'<td class="missing-value">{escape(value.shown)} '
        f"{_source(row, value.line, value.lines)}</td>"
    )


def facility_list(rows: Sequence[FacilityRow], link: Link) -> str:
    """The country page's list of its detention facilities."""
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{anchor(link(r.iri), r.name)}</td>"
        + (
            f"<td>{escape(r.status.shown)} ({escape(r.status.period or 'no year')})</td>"
            if r.status
            else '<td class="missing-value">not printed</td>'
        )
        + f"<td>{escape(r.type) or 'not printed'}</td>"
        + _row_value(r.capacity, r)
        + _row_value(r.population, r)
        + "<td>"
        + (", ".join(anchor(link(i), label) for label, i in r.detains) or "not printed")
        + f"</td><td>{_source(r, r.line)}</td></tr>"
        for r in rows
    )
    return (
        f'<h2 id="facilities">Detention facilities ({len(rows)})</h2>'
        '<div class="table-wrap"><table id="facility-list"><caption class="source">'
        "As printed on GDP's detention-facility pages; the status is the latest printed"
        "</caption><thead><tr><th>Facility</th><th>Status</th><th>Type</th><th>Capacity</th>"
        "<th>Latest population</th><th>Detains</th><th>Source</th></tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def facility_country(
    iri: str,
    name: str,
    rows: Sequence[FacilityRow],
    link: Link,
    alternates: Sequence[tuple[str, str]],
) -> str:
    """A country the build has facility pages of but no profile: its facilities only."""
    iso3 = iri.rsplit("/", 1)[-1]
    body = (
        f"<h1>{escape(name)} <small>({escape(iso3)})</small></h1><p><code>{escape(iri)}</code></p>"
        "<p>The build has no country profile of this country, only GDP pages about its "
        "detention facilities; the name is the one those pages print.</p>"
        f"{facility_list(rows, link)}"
    )
    jsonld = {"@context": "https://schema.org", "@type": "Country", "@id": iri, "name": name}
    return layout(name, body, jsonld, alternates)
