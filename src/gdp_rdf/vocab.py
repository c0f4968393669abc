"""Namespaces, prefixes and the IRI-minting functions: the only place IRIs are built.

Every IRI is minted from stable keys (ISO 3166 alpha-3 code, code-list notation, year), so
the same profiles always give the same IRIs and no blank node is ever needed. Everything the
project publishes lives under one base IRI (`DEFAULT_BASE`, overridable with --base-iri):

    {base}def/       the ontology (classes and properties)
    {base}shapes/    the SHACL shapes
    {base}code/      SKOS code lists (indicators and their sections, answers, statuses, units,
                     periods, ...)
    {base}id/        things: countries, observations, treaties, recommendations, datasets
    {base}dumps/     the downloadable dumps
    {base}sparql     the SPARQL endpoint `serve` offers

Past ~400 lines on purpose: being the one place IRIs are minted, it grows with every kind
of resource the project publishes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from gdp_rdf.errors import GdpRdfError

DEFAULT_BASE = "https://w3id.org/gdp-rdf/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
QB = "http://purl.org/linked-data/cube#"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_CODE = "http://purl.org/linked-data/sdmx/2009/code#"
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
SCHEMA = "http://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
DQV = "http://www.w3.org/ns/dqv#"
OA = "http://www.w3.org/ns/oa#"
SH = "http://www.w3.org/ns/shacl#"
WD = "http://www.wikidata.org/entity/"
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"  # the public endpoint
WDT = "http://www.wikidata.org/prop/direct/"
VANN = "http://purl.org/vocab/vann/"
XSD_GYEAR = XSD + "gYear"
# Media types and file types as IRIs (DCAT 2: dcat:mediaType an IANA IRI, dcterms:format an
# EU Publications Office file-type IRI).
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]*$")


def safe_iri(value: str) -> bool:
    """True for an absolute IRI that can be written between <> without escaping."""
    return bool(_SAFE_IRI.match(value))


def rebase(text: str, base: str) -> str:
    """Ontology, shapes and queries are written with the default base; move them to ``base``."""
    return text if base == DEFAULT_BASE else text.replace(DEFAULT_BASE, base)


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes used in every Turtle dump and in the JSON-LD context."""
    return {
        "gdp": base + "def/",
        "gdpsh": base + "shapes/",
        "indicator": base + "code/indicator/",
        "section": base + "code/section/",
        "answer": base + "code/answer/",
        "status": base + "code/status/",
        "unit": base + "code/unit/",
        "valuetype": base + "code/value-type/",
        "period": base + "code/period/",
        "tradition": base + "code/legal-tradition/",
        "country": base + "id/country/",
        "treaty": base + "id/treaty/",
        "body": base + "id/body/",
        "profile": base + "id/profile/",
        "dataset": base + "id/dataset/",
        "rdf": RDF,
        "rdfs": RDFS,
        "owl": OWL,
        "xsd": XSD,
        "skos": SKOS,
        "qb": QB,
        "sdmx-dimension": SDMX_DIMENSION,
        "sdmx-attribute": SDMX_ATTRIBUTE,
        "sdmx-code": SDMX_CODE,
        "prov": PROV,
        "dcat": DCAT,
        "dcterms": DCTERMS,
        "void": VOID,
        "schema": SCHEMA,
        "foaf": FOAF,
        "spdx": SPDX,
        "dqv": DQV,
        "oa": OA,
        "sh": SH,
        "wd": WD,
        "wdt": WDT,
    }


# The ontology's terms, local names in the gdp: namespace. tests/test_vocab.py checks that
# this list and ontology/gdp.ttl agree both ways, like rdflib's closed namespaces.
CLASSES = (
    "Country",
    "ProfileDocument",
    "UpdateTeaser",
    "Indicator",
    "Section",
    "Observation",
    "Period",
    "AnswerPart",
    "ConflictingValue",
    "Treaty",
    "ComplaintsProcedure",
    "TreatyBody",
    "Ratification",
    "ComplaintsAcceptance",
    "Recommendation",
    "Legislation",
    "MonitoringInstitution",
    "LegalTraditionRecord",
    "AnswerCode",
    "StatusCode",
    "UnitCode",
    "ValueTypeCode",
    "LegalTraditionCode",
)
OBJECT_PROPERTIES = (
    "refArea",
    "refPeriod",
    "unitMeasure",
    "obsStatus",
    "missingStatus",
    "country",
    "profile",
    "teaser",
    "indicator",
    "answer",
    "answerPart",
    "conflictingValue",
    "unit",
    "valueType",
    "treaty",
    "procedure",
    "parentInstrument",
    "issuedBy",
    "monitors",
    "legalTradition",
)
# The gdp properties whose values are years (xsd:gYear).
YEAR_PROPERTIES = (
    "observationDate",
    "yearAdopted",
    "yearAmended",
    "ratificationYear",
    "acceptanceYear",
    "recommendationYear",
    "period",
    "year",
)
DATATYPE_PROPERTIES = (
    "numericValue",
    "textValue",
    "rank",
    "rankCategory",
    "score",
    "denominator",
    "note",
    "position",
    *YEAR_PROPERTIES,
    "topic",
    "institutionType",
    "abbreviation",
    "iso2",
    "iso3",
    "printedName",
    "printedLabel",
    "printedSection",
    "printedSubsection",
    "rawValue",
    "sourceLine",
    "valueLine",
    "lastUpdated",
    "partLastUpdated",
    "partialCopy",
    "sha256",
    "fileName",
    "caption",
    "reviewed",
    "latestInSeries",  # issue 16: the latest observation with a value of its series
)
TERMS = CLASSES + OBJECT_PROPERTIES + DATATYPE_PROPERTIES


def slug(text: str, limit: int = 60) -> str:
    """A stable, readable IRI segment from free text ("Civil law" -> "civil-law")."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit].rstrip("-") or "x"


def short_hash(text: str) -> str:
    """First 8 hex digits of the text's SHA-256: a stable key for long free text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


_TERM_SET = frozenset(TERMS)

# The data sets of the cube, one per measure (W3C Data Cube: one measure per structure keeps
# IC-14 to IC-17 honest), and the one of the data gaps, whose measure is the status.
CUBES = ("numbers", "answers", "ranks", "texts", "gaps")
UNKNOWN_PERIOD = "unknown"  # notation of the period of a value printed without a year


class IriError(GdpRdfError, ValueError):
    """An IRI cannot be minted: a base IRI that is not http(s) ending in '/', or a term the
    ontology does not declare."""


@dataclass(frozen=True)
class Iris:
    """Mints every IRI of the published data under one base IRI.

    Raises:
        IriError: the base is not an http(s) IRI ending in '/'.
    """

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+/$", self.base):
            raise IriError(
                f"base IRI must be an http(s) IRI ending in '/' (e.g. {DEFAULT_BASE}): "
                f"{self.base!r}"
            )

    # vocabulary
    def term(self, name: str) -> str:
        """A term of the ontology; closed like rdflib's DefinedNamespace.

        Raises:
            IriError: ``name`` is not declared in ontology/gdp.ttl (and CLASSES, ...).
        """
        if name not in _TERM_SET:
            raise IriError(f"gdp:{name} is not a term of the ontology (ontology/gdp.ttl)")
        return f"{self.base}def/{name}"

    def ontology(self) -> str:
        return f"{self.base}def/"

    def shapes(self) -> str:
        return f"{self.base}shapes/"

    def scheme(self, name: str) -> str:
        return f"{self.base}code/{name}"

    def code(self, scheme: str, notation: str) -> str:
        return f"{self.base}code/{scheme}/{notation}"

    def indicator(self, code: str) -> str:
        return self.code("indicator", code)

    def period(self, year: int | None) -> str:
        """The period code of a year, or of a value printed without one."""
        return self.code("period", str(year) if year else UNKNOWN_PERIOD)

    # things
    def country(self, iso3: str) -> str:
        return f"{self.base}id/country/{iso3}"

    def profile(self, iso3: str) -> str:
        return f"{self.base}id/profile/{iso3}"

    def teaser(self, iso3: str, position: int) -> str:
        return f"{self.base}id/profile/{iso3}/teaser/{position}"

    def observation(self, iso3: str, indicator: str, period: int | None) -> str:
        return f"{self.base}id/observation/{iso3}/{indicator}/{period if period else 'undated'}"

    def treaty(self, code: str) -> str:
        return f"{self.base}id/treaty/{code}"

    def body(self, code: str) -> str:
        return f"{self.base}id/body/{code}"

    def ratification(self, iso3: str, treaty: str) -> str:
        return f"{self.base}id/ratification/{iso3}/{treaty}"

    def acceptance(self, iso3: str, procedure: str) -> str:
        return f"{self.base}id/acceptance/{iso3}/{procedure}"

    def recommendation(self, iso3: str, body: str, year: int | None, text: str) -> str:
        when = year if year else "undated"
        return f"{self.base}id/recommendation/{iso3}/{body}/{when}-{short_hash(text)}"

    def legislation(self, iso3: str, name: str) -> str:
        return f"{self.base}id/legislation/{iso3}/{slug(name)}-{short_hash(name)}"

    def institution(self, iso3: str, name: str) -> str:
        return f"{self.base}id/institution/{iso3}/{slug(name)}-{short_hash(name)}"

    def legal_tradition_record(self, iso3: str, tradition: str, period: int | None) -> str:
        return f"{self.base}id/legal-tradition/{iso3}/{tradition}/{period if period else 'undated'}"

    def part(self, parent: str, kind: str, position: int) -> str:
        """A numbered part of a fact: an answer part or a conflicting value."""
        return f"{parent}/{kind}/{position}"

    def dataset(self, name: str) -> str:
        return f"{self.base}id/dataset/{name}"

    def structure(self, name: str) -> str:
        return f"{self.base}id/structure/{name}"

    def component(self, structure: str, name: str) -> str:
        return f"{self.base}id/structure/{structure}/{name}"

    def dump(self, filename: str) -> str:
        return f"{self.base}dumps/{filename}"

    def country_dataset(self, iso3: str) -> str:
        """The subset of the data set published about one country (its dump)."""
        return f"{self.base}id/dataset/country/{iso3}"

    def class_partition(self, curie: str) -> str:
        """The VoID partition of one class, keyed by its prefixed name (gdp:Observation and
        qb:Observation are two partitions)."""
        return f"{self.base}id/partition/class/{curie.replace(':', '-')}"

    def linkset(self, name: str) -> str:
        return f"{self.base}id/linkset/{name}"

    def sparql_endpoint(self) -> str:
        return f"{self.base}sparql"

    def sparql_service(self) -> str:
        return f"{self.base}id/service/sparql"


# -- issue 14: quality checks (findings, the check code list, measurements) -----------------
# ISO/IEC 25012 quality dimensions as the W3C DQV note publishes them; the project only
# points at them (skos:exactMatch), it states nothing about them.
LDQD = "http://www.w3.org/2016/05/ldqd#"
QUALITY_DIMENSIONS = ("accuracy", "consistency", "completeness", "currentness")


def check_iri(iris: Iris, code: str) -> str:
    """A quality check's concept in the `check` code list (also its dqv:Metric)."""
    return iris.code("check", code)


def quality_dimension_iri(iris: Iris, name: str) -> str:
    """The project's dqv:Dimension for one ISO/IEC 25012 dimension."""
    return iris.code("quality-dimension", name)


def severity_iri(iris: Iris, name: str) -> str:
    """A severity code: error, warning or info."""
    return iris.code("severity", name)


def finding_iri(
    iris: Iris, check: str, iso3: str, indicator: str, period: int | None, detail: str = ""
) -> str:
    """A finding, keyed by check, country, indicator, period and (when one point can have
    several findings of a check) what else it involves."""
    when = period if period else "undated"
    tail = f"-{short_hash(detail)}" if detail else ""
    return f"{iris.base}id/quality/{check}/{iso3}/{indicator}/{when}{tail}"


def measurement_iri(iris: Iris, dataset: str, check: str) -> str:
    """The count of one check's findings on one data set."""
    return f"{iris.base}id/quality/measurement/{dataset}/{check}"


def quality_graph_iri(iris: Iris) -> str:
    """The named graph (and dataset) holding the quality annotations."""
    return iris.dataset("quality")


# -- issue 15: history (page versions, changes between them, releases) ----------------------
# Terms described in ontology/history.ttl (checked both ways by tests/test_history_vocab.py).
HISTORY_CLASSES = (
    "PageVersion",
    "Change",
    "ValueAdded",
    "ValueRemoved",
    "ValueRevised",
    "VersionedValue",
)
HISTORY_OBJECT_PROPERTIES = ("fromVersion", "toVersion", "point", "version", "latestVersion")
HISTORY_DATATYPE_PROPERTIES = (
    "oldValue",
    "newValue",
    "versionDate",
    "dateBasis",
    "versionOrder",
    "stillPrinted",
    "olderPartDate",  # facbuild (issue 17): the older profile under a hybrid page's headline
)
HISTORY_TERMS = HISTORY_CLASSES + HISTORY_OBJECT_PROPERTIES + HISTORY_DATATYPE_PROPERTIES
ADMS = "http://www.w3.org/ns/adms#"
ATOM = "http://www.w3.org/2005/Atom"

_VERSION_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")


def valid_release(version: str) -> bool:
    """True for a release name usable in an IRI segment and a folder name ("2025.1", "v2")."""
    return bool(_VERSION_NAME.match(version)) and ".." not in version


@dataclass(frozen=True)
class HistoryIris(Iris):
    """The IRIs of page versions, changes, versioned values and releases (issue 15)."""

    def term(self, name: str) -> str:
        """A term of ontology/gdp.ttl or of ontology/history.ttl.

        Raises:
            IriError: ``name`` is declared in neither.
        """
        return f"{self.base}def/{name}" if name in HISTORY_TERMS else super().term(name)

    def page_version(self, iso3: str, digest: str) -> str:
        """One saved copy of a country's page, keyed by the SHA-256 of its text."""
        return f"{self.base}id/profile/{iso3}/version/{digest[:16]}"

    def change(self, iso3: str, old_digest: str, new_digest: str, point: str) -> str:
        """A change of one point (``point``: the record's path after its country code)."""
        return f"{self.base}id/change/{iso3}/{old_digest[:8]}-{new_digest[:8]}/{point}"

    def versioned_value(self, record: str, digest: str) -> str:
        """What one page version printed for a record (an observation, a ratification...)."""
        return f"{record}/version/{digest[:16]}"

    def release(self, version: str) -> str:
        """The data set as stamped by ``build --release VERSION``."""
        return f"{self.base}id/dataset/gdp/release/{version}"

    def release_dump(self, version: str, filename: str) -> str:
        return f"{self.base}dumps/{version}/{filename}"

    def changes_graph(self) -> str:
        return f"{self.base}id/dataset/changes"


# -- issue 17: detention facilities (the facility pages' resources, their cube) -------------
GEO = "http://www.opengis.net/ont/geosparql#"
FACILITY_CLASSES = (
    "DetentionFacility",
    "FacilityPage",
    "FacilityStatement",
    "Organisation",
    "CountrySnapshot",
    "SnapshotValue",
)
FACILITY_OBJECT_PROPERTIES = (
    "refFacility",
    "facilityField",
    "codedValue",
    "facility",
    "facilityPage",
    "custodialAuthority",
    "management",
    "organisationType",
    "detains",
    "snapshot",
)
FACILITY_DATATYPE_PROPERTIES = ("facilityId", "latitude", "longitude", "city", "region")
FACILITY_TERMS = FACILITY_CLASSES + FACILITY_OBJECT_PROPERTIES + FACILITY_DATATYPE_PROPERTIES
# The facility terms are declared in ontology/gdp.ttl (a block of their own), so they join
# the closed list every check reads.
CLASSES = CLASSES + FACILITY_CLASSES  # type: ignore[assignment]  # longer tuple, same element type
OBJECT_PROPERTIES = OBJECT_PROPERTIES + FACILITY_OBJECT_PROPERTIES  # type: ignore[assignment]  # longer tuple, same element type
DATATYPE_PROPERTIES = DATATYPE_PROPERTIES + FACILITY_DATATYPE_PROPERTIES  # type: ignore[assignment]  # longer tuple, same element type
TERMS = TERMS + FACILITY_TERMS  # type: ignore[assignment]  # longer tuple, same element type
_TERM_SET = frozenset(TERMS)
FACILITY_CUBE = "facility-numbers"  # capacity and population, the facility as area dimension
FACILITY_SERIES = ("capacity", "reported-population", "reported-population-single-day")


def _facility_key(iso3: str, facility_id: str | None, name: str | None) -> str:
    return facility_id if facility_id else f"{slug(name or 'unnamed')}-{short_hash(name or '')}"


def facility_iri(iris: Iris, iso3: str, facility_id: str | None, name: str | None) -> str:
    """A facility, keyed by its country and the number in its page URL (else its name)."""
    return f"{iris.base}id/facility/{iso3}/{_facility_key(iso3, facility_id, name)}"


def facility_page_iri(iris: Iris, iso3: str, facility_id: str | None, name: str | None) -> str:
    """The saved text of one facility page."""
    return f"{iris.base}id/facility-page/{iso3}/{_facility_key(iso3, facility_id, name)}"


def facility_statement_iri(facility: str, line: int, field: str, position: int) -> str:
    """One value printed on a facility page: its line, field and place among the line's values."""
    return f"{facility}/fact/{line}/{field}/{position}"


def facility_observation_iri(facility: str, field: str, period: int | None) -> str:
    return f"{facility}/observation/{field}/{period if period else 'undated'}"


def organisation_iri(iris: Iris, iso3: str, name: str) -> str:
    """An authority or manager named on a facility page, keyed by its country and name."""
    return f"{iris.base}id/organisation/{iso3}/{slug(name)}-{short_hash(name)}"


# -- issue 16 item 3 (task lvq): the latest observations reached from their country ---------------
# gdp:latestObservation is declared in ontology/gdp.ttl beside gdp:latestInSeries, so it joins
# the closed list every check reads.
OBJECT_PROPERTIES = OBJECT_PROPERTIES + ("latestObservation",)  # type: ignore[assignment]  # longer tuple, same element type
TERMS = TERMS + ("latestObservation",)  # type: ignore[assignment]  # longer tuple, same element type
_TERM_SET = frozenset(TERMS)
