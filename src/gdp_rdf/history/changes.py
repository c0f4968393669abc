"""Changes as RDF: page versions and one resource per added, removed or revised point.

A page version is a `gdp:PageVersion` (a `prov:Entity`) that `dcterms:isVersionOf` the
country's profile document; the newer of two `prov:wasRevisionOf` and `dcterms:replaces`
the older, which `dcterms:isReplacedBy` it. Each change names its country, indicator and
period (`gdp:refPeriod`, the period code observations use, with its `gdp:year`;
code/period/unknown when the record prints no year), the record it is about (`gdp:point`,
the record's IRI in the dumps), the values as printed and the two versions. Terms are
described in ontology/history.ttl and checked by shapes/history.ttl. Unchanged and
not-compared points are not changes and are not written.
"""

from __future__ import annotations

from collections.abc import Iterable

from gdp_rdf.graph.terms import Triples, boolean, integer, text, typed, year
from gdp_rdf.history.diff import ChangeKind, CountryDiff, Diff, PointChange
from gdp_rdf.history.versions import DateBasis, PageVersion
from gdp_rdf.vocab import DCTERMS, PROV, RDFS, HistoryIris

_CLASSES = {
    ChangeKind.ADDED: "ValueAdded",
    ChangeKind.REMOVED: "ValueRemoved",
    ChangeKind.REVISED: "ValueRevised",
}


def date_term(value: str) -> str:
    """A version date as printed: "2024-07" is an xsd:gYearMonth, "2025-03-01" an xsd:date."""
    return typed(value, "date" if len(value) == 10 else "gYearMonth")


def version_lines(iris: HistoryIris, version: PageVersion) -> list[str]:
    """The triples describing one page version."""
    t, g = Triples(), iris.term
    node = iris.page_version(version.iso3, version.digest)
    t.type(node, g("PageVersion"), PROV + "Entity")
    t.link(node, DCTERMS + "isVersionOf", iris.profile(version.iso3))
    t.link(node, g("country"), iris.country(version.iso3))
    t.add(node, RDFS + "label", text(f"{version.file_name} ({version.shown_date})", None))
    t.add(node, g("fileName"), text(version.file_name, None))
    t.add(node, g("sha256"), text(version.digest, None))
    t.add(node, g("partialCopy"), boolean(version.partial))
    t.add(node, g("dateBasis"), text(version.basis.value, None))
    t.add(node, g("versionOrder"), integer(version.order))
    if version.date and version.basis is not DateBasis.UNDATED:
        t.add(node, g("versionDate"), date_term(version.date))
    if version.older_part_date:  # a hybrid page: the older profile under its headline
        t.add(node, g("olderPartDate"), date_term(version.older_part_date))
    return t.lines


def revision_lines(iris: HistoryIris, old: PageVersion, new: PageVersion) -> list[str]:
    """``new`` is a revision of ``old`` (PROV-O) and replaces it (Dublin Core)."""
    t = Triples()
    before = iris.page_version(old.iso3, old.digest)
    after = iris.page_version(new.iso3, new.digest)
    if before != after:
        t.link(after, PROV + "wasRevisionOf", before)
        t.link(after, DCTERMS + "replaces", before)
        t.link(before, DCTERMS + "isReplacedBy", after)
    return t.lines


def change_lines(iris: HistoryIris, country: CountryDiff, change: PointChange) -> list[str]:
    """One change resource; nothing for unchanged or not-compared points."""
    cls = _CLASSES.get(change.kind)
    if cls is None:
        return []
    t, g, old, new = Triples(), iris.term, country.old, country.new
    node = iris.change(country.iso3, old.digest, new.digest, change.path)
    t.type(node, g("Change"), g(cls))
    t.link(node, g("country"), iris.country(change.iso3))
    t.link(node, g("indicator"), iris.indicator(change.indicator))
    period = iris.period(change.period)  # code/period/unknown: printed without a year
    t.link(node, g("refPeriod"), period)
    if change.period is not None:  # the code's year, so that changes read without the code lists
        t.add(period, g("year"), year(change.period))
    t.link(node, g("point"), iris.base + change.key)
    t.link(node, g("fromVersion"), iris.page_version(old.iso3, old.digest))
    t.link(node, g("toVersion"), iris.page_version(new.iso3, new.digest))
    if change.old is not None:
        t.add(node, g("oldValue"), text(change.old.shown, None))
    if change.new is not None:
        t.add(node, g("newValue"), text(change.new.shown, None))
    when = change.period if change.period is not None else "undated"
    shown_old = change.old.shown if change.old else "—"
    shown_new = change.new.shown if change.new else "—"
    label = (
        f"{change.iso3} {change.indicator} {when}: {change.kind.value}, {shown_old} -> {shown_new}"
    )
    t.add(node, RDFS + "label", text(label, None))
    return t.lines


def diff_lines(diff: Diff, base: str) -> list[str]:
    """The changes graph of a diff: both versions of each country, and every change."""
    iris = HistoryIris(base)
    lines: list[str] = []
    for country in diff.countries:
        lines += version_lines(iris, country.old) + version_lines(iris, country.new)
        lines += revision_lines(iris, country.old, country.new)
        for change in country.changes:
            lines += change_lines(iris, country, change)
    return lines


def history_change_lines(iris: HistoryIris, countries: Iterable[CountryDiff]) -> list[str]:
    """Changes between consecutive versions (the versions are described elsewhere)."""
    lines: list[str] = []
    for country in countries:
        lines += revision_lines(iris, country.old, country.new)
        for change in country.changes:
            lines += change_lines(iris, country, change)
    return lines
