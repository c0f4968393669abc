"""A country block of triples -> the points it states, one per record, comparable across versions.

A point is one record of the graph (an observation, a ratification, a recommendation...) as
one page version printed it. Its key is the record's IRI path after the base, which is
minted from stable keys (country, indicator, year, treaty), so the same point in two
versions has the same key whatever the base IRI. Profiles and built dumps are read through
the same triples, so a diff of two dist/ folders equals the diff of their profiles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from gdp_rdf.graph.terms import parse_block
from gdp_rdf.reader.codelists import CodeLists, load_codelists
from gdp_rdf.vocab import PROV, RDF, SCHEMA, UNKNOWN_PERIOD, YEAR_PROPERTIES

# What a record's value is: two versions that agree on these say the same thing, however the
# value was printed ("76.9" and "76.9%", "90 (1.6)" and "90" / "1.6").
MEASURE_TERMS = (  # what an observation's value is, whatever its kind
    "numericValue",
    "textValue",
    "answer",
    "rank",
    "rankCategory",
    "score",
    "denominator",
    "note",
)
_VALUE_TERMS = (
    *MEASURE_TERMS,
    *(name for name in YEAR_PROPERTIES if name != "period"),  # a record's years
    "topic",
    "institutionType",
)
# A gap's status is its measure (gdp:missingStatus); a status printed with a value is an
# attribute (gdp:obsStatus).
_STATUS_TERMS = ("missingStatus", "obsStatus")
_PERIOD_TERMS = ("period", "ratificationYear", "acceptanceYear", "recommendationYear")
# Records without a gdp:indicator, by class: the indicator their facts were read as.
_INDICATOR_BY_CLASS = {
    "Ratification": "treaty-ratified",
    "ComplaintsAcceptance": "complaints-procedure",
    "LegalTraditionRecord": "legal-tradition",
}


@dataclass(frozen=True, slots=True)
class Point:
    """One record as one page version printed it."""

    key: str  # the record's IRI path after the base: "id/observation/AND/population/2019"
    iso3: str
    indicator: str  # indicator code (code-list notation, or "unreviewed-...")
    period: int | None
    shown: str  # the value as printed (raw text; the missing-value status when none)
    signature: tuple[tuple[str, str], ...]  # the typed value, sorted (predicate, object) pairs
    labels: tuple[str, ...]  # printed labels, sorted
    sections: tuple[str, ...]  # printed section headings, sorted
    line: int | None  # the line the value is printed on
    places: frozenset[int]  # page positions (section order) the point was printed at

    @property
    def path(self) -> str:
        """The key after ``id/KIND/ISO3/``: "population/2019", kept in change IRIs."""
        kind, _, rest = self.key.removeprefix("id/").partition("/")
        return f"{kind}/{rest.partition('/')[2]}"


@dataclass(frozen=True, slots=True)
class Document:
    """What a block says about the page version it was read from."""

    iso3: str
    file_name: str | None
    digest: str | None
    partial: bool
    last_updated: str | None  # "2024-07"
    country_line: bool  # the copy starts at the top of the page (it prints the country name)


@lru_cache(maxsize=1)
def section_order() -> dict[str, int]:
    """Section code -> its position on today's page (headline first), from the code list."""
    order: dict[str, int] = {}
    for section in load_codelists().sections:
        order.setdefault(section.code, len(order))
    return order


def _places(
    labels: Iterable[str], sections: Iterable[str], indicator: str, codes: CodeLists
) -> frozenset[int]:
    order = section_order()
    places: set[int] = set()
    for heading in sections:
        found = codes.section_for_heading(heading)
        if found is not None and found.code in order:
            places.add(order[found.code])
    if any(codes.is_headline_label(label) for label in labels):
        places.add(order["headline"])
    if not places:
        known = codes.indicator(indicator)
        group = known.group if known is not None else None
        places.add(order.get(group or "", len(order)))  # unknown group: after everything
    return frozenset(places)


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _year(term: str) -> int | None:
    return int(term) if term.isdigit() else None


class _Block:
    """A block's triples by subject, with the base they were minted under."""

    def __init__(self, triples: Iterable[ox.Triple], base: str) -> None:
        self.base = base
        self.g = base + "def/"
        self.by_subject: dict[
            str, list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]
        ] = defaultdict(list)
        for triple in triples:
            self.by_subject[_text(triple.subject)].append((triple.predicate.value, triple.object))

    def values(self, subject: str, predicate: str) -> list[str]:
        return sorted(_text(o) for p, o in self.by_subject.get(subject, ()) if p == predicate)

    def one(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return found[0] if found else None

    def signature(self, subject: str) -> list[tuple[str, str]]:
        wanted = {self.g + name: name for name in _VALUE_TERMS}
        wanted |= {self.g + name: name for name in _STATUS_TERMS}
        wanted[SCHEMA + "name"] = "name"
        pairs = [
            (wanted[p], self._short(_text(o)))
            for p, o in self.by_subject.get(subject, ())
            if p in wanted
        ]
        for part in self.values(subject, self.g + "answerPart"):
            position = self.one(part, self.g + "position") or ""
            pairs.append((f"part{position}", self._short(self.one(part, self.g + "answer") or "")))
        for number, conflict in enumerate(self.values(subject, self.g + "conflictingValue")):
            pairs += [(f"conflict{number}.{p}", v) for p, v in self.signature(conflict)]
        return sorted(pairs)

    def _short(self, value: str) -> str:
        return value.removeprefix(self.base)


def block_points(
    triples: Iterable[ox.Triple], base: str, codes: CodeLists | None = None
) -> tuple[Document | None, dict[str, Point]]:
    """The page version a country block describes and the points it states, by key."""
    codes = codes or load_codelists()
    block = _Block(triples, base)
    g, doc_prefix = block.g, base + "id/profile/"
    derived_from = PROV + "wasDerivedFrom"
    document: Document | None = None
    points: dict[str, Point] = {}
    parts = {o for s in block.by_subject for o in block.values(s, g + "conflictingValue")}
    for subject, pairs in sorted(block.by_subject.items()):
        kinds = {block._short(_text(o)) for p, o in pairs if p == RDF + "type"}
        if "def/ProfileDocument" in kinds:
            iso3 = subject.removeprefix(doc_prefix)
            document = Document(
                iso3=iso3,
                file_name=block.one(subject, g + "fileName"),
                digest=block.one(subject, g + "sha256"),
                partial=block.one(subject, g + "partialCopy") == "true",
                last_updated=block.one(subject, g + "lastUpdated"),
                country_line=bool(block.values(base + f"id/country/{iso3}", g + "printedName")),
            )
            continue
        if subject in parts or not block.values(subject, g + "valueLine"):
            continue  # teasers, answer parts and conflicting values belong to their records
        if not any(_text(o).startswith(doc_prefix) for p, o in pairs if p == derived_from):
            continue
        points[block._short(subject)] = _point(block, subject, kinds, codes)
    return document, points


def _point(block: _Block, subject: str, kinds: set[str], codes: CodeLists) -> Point:
    g = block.g
    key = block._short(subject)
    iso3 = key.split("/")[2]
    labels = tuple(block.values(subject, g + "printedLabel"))
    sections = tuple(block.values(subject, g + "printedSection"))
    indicator_iri = block.one(subject, g + "indicator")
    indicator = indicator_iri.rpartition("/")[2] if indicator_iri else None
    if indicator is None:
        by_class = [_INDICATOR_BY_CLASS[k[4:]] for k in kinds if k[4:] in _INDICATOR_BY_CLASS]
        by_label = [i.code for label in labels if (i := codes.indicator_for_label(label))]
        indicator = (by_class or by_label or [key.split("/")[1]])[0]
    period_code = block.one(subject, g + "refPeriod")  # {base}code/period/2019, or .../unknown
    period_text = period_code.rpartition("/")[2] if period_code else None
    if period_text == UNKNOWN_PERIOD:
        period_text = None
    for name in _PERIOD_TERMS:
        period_text = period_text or block.one(subject, g + name)
    raw = block.one(subject, g + "rawValue")
    status = block.one(subject, g + "missingStatus") or block.one(subject, g + "obsStatus")
    shown = raw if raw else (status.rpartition("/")[2] if status else "")
    conflicts = [
        block.one(c, g + "rawValue") or "" for c in block.values(subject, g + "conflictingValue")
    ]
    line = block.one(subject, g + "valueLine")
    return Point(
        key=key,
        iso3=iso3,
        indicator=indicator,
        period=_year(period_text) if period_text else None,
        shown=" | ".join([shown, *conflicts]),
        signature=tuple(block.signature(subject)),
        labels=labels,
        sections=sections,
        line=int(line) if line else None,
        places=_places(labels, sections, indicator, codes),
    )


def points_of_ntriples(data: bytes, base: str) -> tuple[Document | None, dict[str, Point]]:
    """`block_points` of a block of N-Triples lines."""
    return block_points(parse_block(data), base)
