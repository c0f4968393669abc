"""Facts -> graph (pure): each profile becomes one block of triples about its country.

Statistics and answers become Data Cube observations keyed by country, indicator and period,
in one data set per measure (numbers, answers, ranks, texts); a value the page says is
missing ("Not Available", "Unknown", a year printed without a value) is an observation of the
gaps data set, whose measure is the status. A value printed without a year has the period
``code/period/unknown`` in the same data set as the dated values of its series.
Ratifications, complaints acceptances, recommendations, laws, monitoring institutions and
legal traditions become records of their own. Every fact says which profile document and
which lines it was read from. Facts printed twice with the same value are one observation
with all their lines; a different value for the same key is kept as a conflicting value,
never merged and never dropped.

Past ~400 lines on purpose: one class maps one profile, a method per kind of fact, all
sharing the profile's state (its country, document and line bookkeeping).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from gdp_rdf.errors import MappingError
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.terms import Triples, boolean, canonical, integer, text, typed, year
from gdp_rdf.reader.codelists import CodeLists, Indicator, ValueType, load_codelists
from gdp_rdf.reader.countries import Country, country_from_url, find_country
from gdp_rdf.reader.facts import Answer, Fact, Profile, Ranking, Ratio, Status, ValueKind
from gdp_rdf.vocab import OWL, PROV, QB, RDFS, SCHEMA, SKOS, WD, Iris, slug


@dataclass(frozen=True, slots=True)
class Unreviewed:
    """A concept minted for a fact so it is never dropped: a label, instrument or body the
    code lists do not know yet (``reviewed`` false), or a period the data uses."""

    scheme: str  # "indicator", "treaty", "body", "legal-tradition" or "period"
    notation: str
    label: str
    section: str | None = None  # section code an unreviewed indicator was printed under
    reviewed: bool = False


@dataclass(frozen=True, slots=True)
class ProfileBlock:
    """The triples one profile maps to, and the unreviewed concepts they use."""

    iso3: str
    source: str
    ntriples: bytes  # sorted N-Triples lines
    unreviewed: tuple[Unreviewed, ...]


def resolve_country(profile: Profile) -> Country:
    """The country a profile is about, from its printed name or its page URL.

    Raises:
        MappingError: neither the name nor the URL matches a known country.
    """
    if profile.country and (found := find_country(profile.country)):
        return found
    if profile.source_url and (found := country_from_url(profile.source_url)):
        return found
    what = f"country name {profile.country!r}" if profile.country else "no country name line"
    raise MappingError(
        f"cannot tell which country this profile is about ({what}, "
        f"source URL {profile.source_url or 'missing'}); add the name to "
        "data/links/country-aliases.csv",
        profile.source,
    )


def _decimal(value: Decimal) -> str:
    return format(value, "f")


class _ProfileMapper:
    def __init__(self, profile: Profile, country: Country, iris: Iris, codes: CodeLists) -> None:
        self.profile = profile
        self.country = country
        self.iso3 = country.iso3
        self.iris = iris
        self.codes = codes
        self.t = Triples()
        self.unreviewed: dict[tuple[str, str], Unreviewed] = {}
        self.g = iris.term
        self.doc = iris.profile(self.iso3)
        self.latest: dict[str, tuple[int, str]] = {}  # indicator -> (year, observation)

    # -- country and profile document ---------------------------------------------------------

    def map(self) -> ProfileBlock:
        self._country_and_document()
        groups: dict[tuple[str, ...], list[Fact]] = {}
        for fact in self.profile.facts:
            groups.setdefault(self._key(fact), []).append(fact)
        for key, facts in groups.items():
            self._record(key[0], facts)
        country = self.iris.country(self.iso3)
        for _, observation in self.latest.values():
            self.t.add(observation, self.g("latestInSeries"), boolean(True))
            # issue 16: linked from the country, so "latest value" is one lookup
            self.t.link(country, self.g("latestObservation"), observation)
        return ProfileBlock(
            self.iso3, self.profile.source, canonical(self.t.lines), tuple(self.unreviewed.values())
        )

    def _country_and_document(self) -> None:
        t, g, c, doc, profile = self.t, self.g, self.iris.country(self.iso3), self.doc, self.profile
        t.extend(country_lines(self.iris, self.country))
        t.link(c, g("profile"), doc)
        if profile.country:
            t.add(c, g("printedName"), text(profile.country, None))
        t.type(doc, g("ProfileDocument"))
        t.link(doc, g("country"), c)
        t.add(doc, RDFS + "label", text(f"GDP country profile: {self.country.name}"))
        page_file_lines(t, g, doc, profile)
        if profile.last_updated:
            t.add(doc, g("lastUpdated"), typed(profile.last_updated, "gYearMonth"))
        if profile.overview:
            t.add(doc, SCHEMA + "abstract", text(profile.overview))
        for position, teaser in enumerate(profile.teasers, start=1):
            node = self.iris.teaser(self.iso3, position)
            t.link(doc, g("teaser"), node)
            t.type(node, g("UpdateTeaser"))
            t.link(node, PROV + "wasDerivedFrom", doc)
            t.add(node, g("position"), integer(position))
            if teaser.title:
                t.add(node, SCHEMA + "headline", text(teaser.title))
            if teaser.date:
                t.add(node, SCHEMA + "datePublished", typed(teaser.date, "date"))
            if teaser.text:
                t.add(node, SCHEMA + "text", text(teaser.text))
            if teaser.caption:
                t.add(node, g("caption"), text(teaser.caption))
            for line in teaser.lines:
                t.add(node, g("sourceLine"), integer(line))

    # -- grouping ------------------------------------------------------------------------------

    def _kind(self, fact: Fact) -> str:
        """Which record a fact becomes; facts without a value stay observations."""
        indicator = self.codes.indicator(fact.indicator)
        value_type = indicator.value_type if indicator else ValueType.UNKNOWN
        if fact.value is None:
            return "observation"
        if fact.indicator == "treaty-ratified":
            return "ratification"
        if fact.indicator == "complaints-procedure":
            return "acceptance"
        if fact.indicator == "legal-tradition":
            return "tradition_record"
        return {
            ValueType.RECOMMENDATION: "recommendation",
            ValueType.LEGISLATION: "legislation",
            ValueType.INSTITUTION: "institution",
        }.get(value_type, "observation")

    def _key(self, fact: Fact) -> tuple[str, ...]:
        kind = self._kind(fact)
        value = str(fact.value)
        if kind in ("ratification", "acceptance"):
            return (kind, self._instrument(fact))
        if kind == "recommendation":
            return (kind, self._body_code(fact), str(fact.period), value)
        if kind in ("legislation", "institution"):
            return (kind, value)
        if kind == "tradition_record":
            return (kind, self._tradition(fact), str(fact.period))
        return (kind, fact.indicator, str(fact.period))

    @staticmethod
    def _same(a: Fact, b: Fact) -> bool:
        return (a.kind, a.value, a.status, a.note, a.parts, a.observed, a.adopted, a.amended) == (
            b.kind,
            b.value,
            b.status,
            b.note,
            b.parts,
            b.observed,
            b.adopted,
            b.amended,
        )

    def _record(self, kind: str, facts: list[Fact]) -> None:
        first = facts[0]
        same = [f for f in facts if self._same(f, first)]
        others = [f for f in facts if not self._same(f, first)]
        node = getattr(self, f"_{kind}")(first)  # the record kinds name the methods below
        self._provenance(node, same)
        for position, other in enumerate(others, start=1):
            conflict = self.iris.part(node, "conflict", position)
            self.t.link(node, self.g("conflictingValue"), conflict)
            self.t.type(conflict, self.g("ConflictingValue"))
            self._value(conflict, other)
            if other.period is not None:
                self.t.add(conflict, self.g("period"), year(other.period))
            self._provenance(conflict, [other])

    def _provenance(self, node: str, facts: Sequence[Fact]) -> None:
        provenance(self.t, self.g, node, self.doc, facts)
        if len(self.profile.parts) > 1:  # a hybrid page: a value has the date of its own part
            part = self.profile.part_of(facts[0].line)
            if part is not None and part.updated:
                self.t.add(node, self.g("partLastUpdated"), typed(part.updated, "gYearMonth"))

    # -- observations --------------------------------------------------------------------------

    def _indicator(self, fact: Fact) -> Indicator | None:
        indicator = self.codes.indicator(fact.indicator)
        if indicator is None:
            section = self.codes.section_for_heading(fact.section) if fact.section else None
            self._need("indicator", fact.indicator, fact.label, section.code if section else None)
        return indicator

    def _observation(self, fact: Fact) -> str:
        t, g, iris = self.t, self.g, self.iris
        indicator = self._indicator(fact)
        node = iris.observation(self.iso3, fact.indicator, fact.period)
        t.type(node, g("Observation"), QB + "Observation")
        t.link(node, g("refArea"), iris.country(self.iso3))
        t.link(node, g("refPeriod"), self._period(fact.period))
        t.link(node, g("indicator"), iris.indicator(fact.indicator))
        cube = self._value(node, fact)
        t.link(node, QB + "dataSet", iris.dataset(cube))
        self._note_latest(node, fact, cube)
        if indicator is not None and indicator.unit and cube in ("numbers", "ranks"):
            t.link(node, g("unitMeasure"), iris.code("unit", indicator.unit))
        if fact.observed:
            t.add(node, g("observationDate"), year(fact.observed))
        if fact.adopted:
            t.add(node, g("yearAdopted"), year(fact.adopted))
        if fact.amended:
            t.add(node, g("yearAmended"), year(fact.amended))
        for position, part in enumerate(fact.parts, start=1):
            child = iris.part(node, "part", position)
            t.link(node, g("answerPart"), child)
            t.type(child, g("AnswerPart"))
            t.add(child, g("position"), integer(position))
            t.link(child, g("answer"), iris.code("answer", part.value))
            t.link(child, PROV + "wasDerivedFrom", self.doc)
            t.add(child, g("sourceLine"), integer(fact.line))
        return node

    def _note_latest(self, node: str, fact: Fact, cube: str) -> None:
        """Keep the observation of the latest year with a value for its series (country and
        indicator), so "latest value" is a lookup at query time, not a grouped anti-join.
        A value with a status ("Unknown", out of range), a text or a gap is never latest."""
        if fact.period is None or cube not in ("numbers", "answers", "ranks"):
            return
        if fact.status is not Status.PRESENT:
            return
        best = self.latest.get(fact.indicator)
        if best is None or fact.period > best[0]:
            self.latest[fact.indicator] = (fact.period, node)

    def _period(self, period: int | None) -> str:
        notation = str(period) if period else "unknown"
        label = notation if period else "Period not printed"
        self._need("period", notation, label, reviewed=True)
        return self.iris.period(period)

    def _value(self, node: str, fact: Fact) -> str:
        """The typed value of a fact (on an observation or a conflict) and the data set it
        belongs to; without a value, the status is the measure (the gaps data set)."""
        t, g = self.t, self.g
        cube = self._typed_value(node, fact)
        status = self.iris.code("status", fact.status.value)
        if cube == "gaps":
            t.link(node, g("missingStatus"), status)
        elif fact.status is not Status.PRESENT:
            t.link(node, g("obsStatus"), status)  # e.g. the answer "Unknown", out-of-range
        if fact.note:
            t.add(node, g("note"), text(fact.note))
        return cube

    def _typed_value(self, node: str, fact: Fact) -> str:
        t, g, value = self.t, self.g, fact.value
        if isinstance(value, Answer):
            t.link(node, g("answer"), self.iris.code("answer", value.value))
            return "answers"
        if isinstance(value, Ranking):
            t.add(node, g("rank"), integer(value.rank))
            if value.category:
                t.add(node, g("rankCategory"), text(value.category))
            if value.score is not None:
                t.add(node, g("score"), typed(_decimal(value.score), "decimal"))
            return "ranks"
        if isinstance(value, Ratio):
            t.add(node, g("numericValue"), integer(value.numerator))
            t.add(node, g("denominator"), integer(value.denominator))
            return "numbers"
        if isinstance(value, bool):  # pragma: no cover - facts never carry booleans
            raise TypeError("unexpected boolean value")
        if isinstance(value, int):
            t.add(node, g("numericValue"), integer(value))
            return "numbers"
        if isinstance(value, Decimal):
            t.add(node, g("numericValue"), typed(_decimal(value), "decimal"))
            return "numbers"
        if isinstance(value, str) and fact.kind is not ValueKind.INSTRUMENT:
            t.add(node, g("textValue"), text(value))
            return "texts"
        return "gaps"

    # -- records ------------------------------------------------------------------------------

    def _instrument(self, fact: Fact) -> str:
        if fact.subject and self.codes.instrument(fact.subject):
            return fact.subject
        code = f"unreviewed-{slug(str(fact.value))}"
        self._need("treaty", code, str(fact.value))
        return code

    def _ratification(self, fact: Fact) -> str:
        code = self._instrument(fact)
        node = self.iris.ratification(self.iso3, code)
        return self._instrument_record(
            fact, node, code, "Ratification", "treaty", "ratificationYear"
        )

    def _acceptance(self, fact: Fact) -> str:
        code = self._instrument(fact)
        node = self.iris.acceptance(self.iso3, code)
        return self._instrument_record(
            fact, node, code, "ComplaintsAcceptance", "procedure", "acceptanceYear"
        )

    def _instrument_record(
        self, fact: Fact, node: str, code: str, kind: str, link: str, year_property: str
    ) -> str:
        """A country's ratification of a treaty or acceptance of a procedure, with its years."""
        t, g = self.t, self.g
        t.type(node, g(kind))
        t.link(node, g("country"), self.iris.country(self.iso3))
        t.link(node, g(link), self.iris.treaty(code))
        if fact.period:
            t.add(node, g(year_property), year(fact.period))
        if fact.observed:
            t.add(node, g("observationDate"), year(fact.observed))
        if fact.note:
            t.add(node, g("printedName"), text(fact.note, None))
        return node

    def _body_code(self, fact: Fact) -> str:
        body = self.codes.body_for_name(fact.subject) if fact.subject else None
        if body is not None:
            return body.code
        if fact.subject:
            code = f"unreviewed-{slug(fact.subject)}"
            self._need("body", code, fact.subject)
            return code
        return "unknown-body"

    def _recommendation(self, fact: Fact) -> str:
        t, g = self.t, self.g
        body = self._body_code(fact)
        node = self.iris.recommendation(self.iso3, body, fact.period, str(fact.value))
        t.type(node, g("Recommendation"))
        t.link(node, g("country"), self.iris.country(self.iso3))
        if body != "unknown-body":
            t.link(node, g("issuedBy"), self.iris.body(body))
            t.add(node, g("printedName"), text(fact.subject or "", None))
        t.add(node, g("textValue"), text(str(fact.value)))
        if fact.note:
            t.add(node, g("topic"), text(fact.note))
        if fact.period:
            t.add(node, g("recommendationYear"), year(fact.period))
        if fact.observed:
            t.add(node, g("observationDate"), year(fact.observed))
        return node

    def _named_record(self, node: str, cls: str, fact: Fact) -> str:
        t, g = self.t, self.g
        t.type(node, g(cls))
        t.link(node, g("country"), self.iris.country(self.iso3))
        t.link(node, g("indicator"), self.iris.indicator(fact.indicator))
        t.add(node, SCHEMA + "name", text(str(fact.value)))
        if fact.period:
            t.add(node, g("period"), year(fact.period))
        return node

    def _legislation(self, fact: Fact) -> str:
        node = self._named_record(
            self.iris.legislation(self.iso3, str(fact.value)), "Legislation", fact
        )
        if fact.adopted:
            self.t.add(node, self.g("yearAdopted"), year(fact.adopted))
        if fact.amended:
            self.t.add(node, self.g("yearAmended"), year(fact.amended))
        return node

    def _institution(self, fact: Fact) -> str:
        node = self.iris.institution(self.iso3, str(fact.value))
        self._named_record(node, "MonitoringInstitution", fact)
        if fact.note:
            self.t.add(node, self.g("institutionType"), text(fact.note))
        return node

    def _tradition(self, fact: Fact) -> str:
        found = self.codes.tradition_for_text(str(fact.value))
        if found is not None:
            return found.code
        code = f"unreviewed-{slug(str(fact.value))}"
        self._need("legal-tradition", code, str(fact.value))
        return code

    def _tradition_record(self, fact: Fact) -> str:
        t, g, code = self.t, self.g, self._tradition(fact)
        node = self.iris.legal_tradition_record(self.iso3, code, fact.period)
        t.type(node, g("LegalTraditionRecord"))
        t.link(node, g("country"), self.iris.country(self.iso3))
        t.link(node, g("legalTradition"), self.iris.code("legal-tradition", code))
        if fact.period:
            t.add(node, g("period"), year(fact.period))
        return node

    def _need(
        self,
        scheme: str,
        notation: str,
        label: str,
        section: str | None = None,
        reviewed: bool = False,
    ) -> None:
        self.unreviewed.setdefault(
            (scheme, notation), Unreviewed(scheme, notation, label, section, reviewed)
        )


def map_profile(
    profile: Profile,
    iris: Iris,
    codes: CodeLists | None = None,
    country: Country | None = None,
) -> ProfileBlock:
    """Map one profile's facts to the triples of its country block.

    ``country`` overrides the country the profile names (synthetic corpora use it).

    Raises:
        MappingError: the profile's country cannot be identified.
    """
    codes = codes or load_codelists()
    country = country or resolve_country(profile)
    return _ProfileMapper(profile, country, iris, codes).map()


def facts_to_graph(
    blocks: Iterable[ProfileBlock], shared: Iterable[str], base: str
) -> KnowledgeGraph:
    """Assemble country blocks and the shared block into one graph.

    Raises:
        MappingError: two profiles are about the same country.
    """
    countries: dict[str, ProfileBlock] = {}
    for block in blocks:
        if block.iso3 in countries:
            raise MappingError(
                f"two profiles of {block.iso3}: {countries[block.iso3].source} and this one; "
                "build from one version per country",
                block.source,
            )
        countries[block.iso3] = block
    return KnowledgeGraph(
        base=base,
        shared=canonical(shared),
        countries={iso3: countries[iso3].ntriples for iso3 in sorted(countries)},
    )


class SavedPage(Protocol):
    """What every read page knows of the file it was read from (profiles, facility pages)."""

    @property
    def source(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def partial(self) -> bool: ...
    @property
    def source_url(self) -> str | None: ...


def page_file_lines(t: Triples, g: Callable[[str], str], doc: str, page: SavedPage) -> None:
    """A page document's file: its name, SHA-256, whether the copy is partial, and the page
    it was copied from (profiles and facility pages alike)."""
    t.add(doc, g("fileName"), text(Path(page.source).name, None))
    t.add(doc, g("sha256"), text(page.digest, None))
    t.add(doc, g("partialCopy"), boolean(page.partial))
    if page.source_url:
        t.link(doc, SCHEMA + "url", page.source_url)
        t.link(doc, PROV + "hadPrimarySource", page.source_url)


def country_lines(iris: Iris, country: Country) -> list[str]:
    """A country as every page that names it describes it: its classes, names, codes and
    verified Wikidata links (profiles and facility pages alike)."""
    t, g, c = Triples(), iris.term, iris.country(country.iso3)
    t.type(c, g("Country"), SCHEMA + "Country")
    t.add(c, RDFS + "label", text(country.name))
    t.add(c, SCHEMA + "name", text(country.name))
    t.add(c, g("iso3"), text(country.iso3, None))
    t.add(c, g("iso2"), text(country.iso2, None))
    return t.lines + country_link_lines(iris, country)


def country_link_lines(iris: Iris, country: Country) -> list[str]:
    """owl:sameAs from a country to its verified item (and closeMatch to a narrower one)."""
    t = Triples()
    if country.qid:
        t.link(iris.country(country.iso3), OWL + "sameAs", WD + country.qid)
    if country.alt_qid:
        t.link(iris.country(country.iso3), SKOS + "closeMatch", WD + country.alt_qid)
    return t.lines


def provenance(
    t: Triples, g: Callable[[str], str], node: str, document: str, facts: Sequence[Fact]
) -> None:
    """Where a value came from: its page document, the line of its value, the raw text, and
    every line, label and heading it was printed with (profiles and facility pages alike)."""
    t.link(node, PROV + "wasDerivedFrom", document)
    t.add(node, g("valueLine"), integer(facts[0].line))
    if facts[0].raw:
        t.add(node, g("rawValue"), text(facts[0].raw, None))
    for fact in facts:
        for line in fact.lines:
            t.add(node, g("sourceLine"), integer(line))
        t.add(node, g("printedLabel"), text(fact.label, None))
        if fact.section:
            t.add(node, g("printedSection"), text(fact.section, None))
        if fact.subsection:
            t.add(node, g("printedSubsection"), text(fact.subsection, None))
