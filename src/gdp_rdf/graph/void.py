"""The dataset description (void.ttl): VoID statistics, DCAT distributions, schema.org (pure).

The whole graph's distributions are the whole graph (Turtle, N-Triples, JSON-LD); each
country is a subset with its own dump; the SPARQL endpoint ``serve`` offers is a
dcat:DataService. Counts are those of the declared URI space. Dates come from the data (the
newest "Last updated" month of the profiles), not from the clock, so two builds of the same
profiles describe themselves identically; ``issued`` can be set explicitly for a release.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from gdp_rdf.graph.dumps import DumpFile
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.terms import IriCompactor, Term, Triples, canonical, integer, text, typed
from gdp_rdf.resources import resource_path
from gdp_rdf.vocab import (
    DCAT,
    DCTERMS,
    DQV,
    EU_FILE_TYPE,
    FACILITY_CUBE,
    FOAF,
    GEO,
    IANA_MEDIA_TYPES,
    OA,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SCHEMA,
    SDMX_ATTRIBUTE,
    SDMX_CODE,
    SDMX_DIMENSION,
    SKOS,
    SPDX,
    VOID,
    WD,
    WIKIDATA_SPARQL,
    Iris,
    prefixes,
)

GDP_HOME = "https://www.globaldetentionproject.org/"
WHOLE_GRAPH = ("gdp.ttl", "gdp.nt", "gdp.jsonld")
_FILE_TYPES = {  # EU Publications Office file-type authority
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/ld+json": "JSON_LD",
}
# Vocabularies a term of the graph may come from (void:vocabulary lists those used).
_VOCABULARIES = (
    RDF, RDFS, OWL, SKOS, QB, SDMX_DIMENSION, SDMX_ATTRIBUTE, SDMX_CODE, PROV, DCAT, DCTERMS,
    VOID, SCHEMA, FOAF, SPDX, DQV, OA, GEO,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the build knows about the release."""

    modified: str | None  # newest profile "Last updated" month, YYYY-MM
    issued: str | None = None  # --issued, YYYY-MM-DD
    license: str | None = None  # --license IRI


@dataclass
class _Statistics:
    """What one pass over the graph's blocks counts."""

    base: str
    triples: int = 0
    subjects: int = 0  # distinct: a subject lives in one block (model.KnowledgeGraph)
    entities: int = 0  # subjects in the declared URI space (the base IRI)
    properties: set[str] = field(default_factory=set)
    classes: Counter[str] = field(default_factory=Counter)
    links: Counter[str] = field(default_factory=Counter)
    vocabularies: set[str] = field(default_factory=set)
    # issue 17: the facility-numbers cube's observations, and the triples about them
    facility_observations: set[str] = field(default_factory=set)
    facility_triples: Counter[str] = field(default_factory=Counter)

    def scan(self, block: bytes) -> None:
        """Count one block of canonical N-Triples lines (see terms.split_line).

        The regular expressions do the per-line work; Python sees only distinct values.
        An IRI's vocabulary depends only on the IRI up to its last '/' or '#' (every
        namespace ends in one), so objects are told apart by that much.
        """
        self.triples += block.count(b"\n")
        block = b"\n" + block
        subjects = set(_SUBJECT.findall(block))
        base = self.base.encode()
        self.subjects += len(subjects)
        self.entities += sum(1 for s in subjects if s.startswith(base))
        rdf_type, to_wikidata = RDF.encode() + b"type", WD.encode()
        for (predicate, namespace), count in Counter(_PREDICATE_OBJECT.findall(block)).items():
            self.properties.add(predicate.decode())
            if predicate == rdf_type or not namespace:
                continue  # classes are counted whole, below; literals have no vocabulary
            if namespace.startswith(to_wikidata):
                self.links[predicate.decode()] += count
            else:
                self._vocabulary(namespace.decode())
        self.classes.update(c.decode() for c in _CLASS.findall(block))
        if f"<{self.base}id/facility/".encode() in block:
            self._facilities(block)

    def _facilities(self, block: bytes) -> None:
        facilities = f"<{self.base}id/facility/"
        in_cube = f"<{QB}dataSet> <{self.base}id/dataset/{FACILITY_CUBE}> ."
        for line in block.decode("utf-8").splitlines():
            if line.startswith(facilities):
                subject, rest = line.split(" ", 1)
                self.facility_triples[subject] += 1
                if rest == in_cube:
                    self.facility_observations.add(subject)

    def finish(self) -> None:
        """Vocabularies of the properties and classes (once each, after every block)."""
        for predicate in self.properties:
            self._vocabulary(predicate)
        for cls in self.classes:
            self._vocabulary(cls)
        self.properties = {f"<{p}>" for p in self.properties}

    def _vocabulary(self, iri: str) -> None:
        if iri.startswith(self.base + "def/"):
            self.vocabularies.add(self.base + "def/")
            return
        for namespace in _VOCABULARIES:
            if iri.startswith(namespace):
                self.vocabularies.add(namespace)


# Each pattern starts with the line break before a line (a block is scanned with one put
# before it): re finds a literal start fast, where "^" in MULTILINE mode is tried at every
# character.
_SUBJECT = re.compile(rb"\n<([^>]*)> ")
# (predicate, the object IRI up to its last '/' or '#'; empty for a literal or an IRI
# without either)
_PREDICATE_OBJECT = re.compile(rb"\n<[^>]*> <([^>]*)> (?:<([^>]*[/#])|)")
_CLASS = re.compile(rb"\n<[^>]*> <" + re.escape(RDF.encode()) + rb"type> <([^>]*)> \.")


def _date(value: str) -> Term:
    return typed(value, "date" if len(value) == 10 else "gYearMonth")


def _shapes_version() -> str:
    found = re.search(
        r'owl:versionInfo "([^"]+)"', resource_path("shapes", "gdp.ttl").read_text("utf-8")
    )
    return found.group(1) if found else "unversioned"


def _describe(t: Triples, iris: Iris, kg: KnowledgeGraph, info: DatasetInfo) -> str:
    dataset = iris.dataset("gdp")
    t.type(dataset, VOID + "Dataset", DCAT + "Dataset", SCHEMA + "Dataset")
    title = "Global Detention Project country profiles as linked data"
    description = (
        "Immigration-detention facts from the Global Detention Project's country profiles: "
        "detention and population statistics, laws, treaty ratifications, treaty-body and UPR "
        "recommendations and COVID-19 answers, as an RDF Data Cube with SKOS code lists, each "
        "fact traceable to its line on the profile page."
    )
    for predicate in (DCTERMS + "title", SCHEMA + "name"):
        t.add(dataset, predicate, text(title))
    for predicate in (DCTERMS + "description", SCHEMA + "description"):
        t.add(dataset, predicate, text(description))
    t.link(dataset, DCTERMS + "source", GDP_HOME)
    t.link(dataset, SCHEMA + "isBasedOn", GDP_HOME)
    if info.license:
        t.link(dataset, DCTERMS + "license", info.license)
        t.link(dataset, SCHEMA + "license", info.license)
    else:
        t.add(
            dataset,
            DCTERMS + "rights",
            text(
                "The underlying data are published by the Global Detention Project "
                f"({GDP_HOME}); no licence for them has been confirmed. Check GDP's terms "
                "before reuse."
            ),
        )
    if info.modified:
        t.add(dataset, DCTERMS + "modified", _date(info.modified))
    issued = info.issued or info.modified
    if issued:
        t.add(dataset, DCTERMS + "issued", _date(issued))
        t.add(dataset, SCHEMA + "datePublished", _date(issued))
    t.add(dataset, VOID + "uriSpace", text(iris.base, None))
    for iso3 in sorted(kg.countries)[:1]:
        t.link(dataset, VOID + "exampleResource", iris.country(iso3))
    shapes = iris.shapes()
    t.link(dataset, DCTERMS + "conformsTo", shapes)
    t.type(shapes, DCTERMS + "Standard")
    t.add(shapes, DCTERMS + "title", text("gdp-rdf SHACL shapes (validation profile)"))
    t.add(shapes, OWL + "versionInfo", text(_shapes_version(), None))
    return dataset


def _statistics(t: Triples, iris: Iris, dataset: str, stats: _Statistics) -> None:
    t.add(dataset, VOID + "triples", integer(stats.triples))
    t.add(dataset, VOID + "entities", integer(stats.entities))
    t.add(dataset, VOID + "distinctSubjects", integer(stats.subjects))
    t.add(dataset, VOID + "properties", integer(len(stats.properties)))
    t.add(dataset, VOID + "classes", integer(len(stats.classes)))
    for vocabulary in sorted(stats.vocabularies):
        t.link(dataset, VOID + "vocabulary", vocabulary)
    # GeoSPARQL (facility geometries, issue 17) is not a dump prefix; its classes still need
    # a partition key without '://' or '#'
    curie = IriCompactor({**prefixes(iris.base), "geo": GEO})
    for cls, count in sorted(stats.classes.items()):
        partition = iris.class_partition(curie(cls))
        t.link(dataset, VOID + "classPartition", partition)
        t.type(partition, VOID + "Dataset")
        t.link(partition, VOID + "class", cls)
        t.add(partition, VOID + "entities", integer(count))


def _facility_cube(t: Triples, iris: Iris, dataset: str, stats: _Statistics) -> None:
    """The facility-numbers data set (issue 17) as a subset, counted like the whole graph."""
    if not stats.facility_observations:
        return
    cube = iris.dataset(FACILITY_CUBE)
    t.link(dataset, VOID + "subset", cube)
    t.type(cube, VOID + "Dataset")
    t.add(cube, VOID + "entities", integer(len(stats.facility_observations)))
    triples = sum(stats.facility_triples[s] for s in stats.facility_observations)
    t.add(cube, VOID + "triples", integer(triples))
    t.link(cube, VOID + "exampleResource", min(s[1:-1] for s in stats.facility_observations))


def _linksets(t: Triples, iris: Iris, dataset: str, links: Counter[str]) -> None:
    wikidata = iris.dataset("wikidata")
    if links:
        t.type(wikidata, VOID + "Dataset")
        t.add(wikidata, DCTERMS + "title", text("Wikidata"))
        t.link(wikidata, FOAF + "homepage", "https://www.wikidata.org/")
        t.link(wikidata, VOID + "sparqlEndpoint", WIKIDATA_SPARQL)
        t.add(wikidata, VOID + "uriSpace", text(WD, None))
    curie = IriCompactor(prefixes(iris.base))
    for predicate, count in sorted(links.items()):
        linkset = iris.linkset(curie(predicate).rsplit(":", 1)[-1])
        t.link(dataset, VOID + "subset", linkset)
        t.type(linkset, VOID + "Linkset")
        t.link(linkset, VOID + "linkPredicate", predicate)
        t.link(linkset, VOID + "subjectsTarget", dataset)
        t.link(linkset, VOID + "objectsTarget", wikidata)
        t.add(linkset, VOID + "triples", integer(count))


def _service(t: Triples, iris: Iris, dataset: str) -> None:
    """The SPARQL endpoint `serve` offers under the base IRI."""
    endpoint, service = iris.sparql_endpoint(), iris.sparql_service()
    t.link(dataset, VOID + "sparqlEndpoint", endpoint)
    t.type(service, DCAT + "DataService")
    t.add(service, DCTERMS + "title", text("SPARQL 1.1 endpoint of gdp-rdf serve"))
    t.link(service, DCAT + "endpointURL", endpoint)
    t.link(service, DCAT + "servesDataset", dataset)
    t.link(service, DCTERMS + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")


def _file(t: Triples, iris: Iris, dump: DumpFile, title: str) -> str:
    """The size, checksum and type of one written file."""
    url = iris.dump(dump.name)
    t.link(url, DCAT + "downloadURL", url)
    t.link(url, DCAT + "mediaType", IANA_MEDIA_TYPES + dump.media_type)
    if dump.media_type in _FILE_TYPES and dump.name != "context.jsonld":
        t.link(url, DCTERMS + "format", EU_FILE_TYPE + _FILE_TYPES[dump.media_type])
    t.add(url, SCHEMA + "encodingFormat", text(dump.media_type, None))
    t.add(url, DCAT + "byteSize", typed(str(dump.size), "nonNegativeInteger"))
    t.add(url, DCTERMS + "title", text(title))
    if dump.triples:
        t.add(url, VOID + "triples", integer(dump.triples))
    checksum = f"{url}#sha256"
    t.link(url, SPDX + "checksum", checksum)
    t.type(checksum, SPDX + "Checksum")
    t.link(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
    t.add(checksum, SPDX + "checksumValue", typed(dump.sha256, "hexBinary"))
    return url


def _distribution(t: Triples, dataset: str, url: str) -> None:
    t.type(url, DCAT + "Distribution", SCHEMA + "DataDownload")
    t.link(dataset, DCAT + "distribution", url)
    t.link(dataset, SCHEMA + "distribution", url)
    t.link(dataset, VOID + "dataDump", url)


def _dumps(t: Triples, iris: Iris, dataset: str, dumps: Sequence[DumpFile]) -> None:
    for dump in dumps:
        if dump.name.startswith("country/"):
            iso3 = dump.name[8:11]
            subset = iris.country_dataset(iso3)
            t.link(dataset, VOID + "subset", subset)
            t.type(subset, VOID + "Dataset", DCAT + "Dataset")
            t.add(subset, DCTERMS + "title", text(f"GDP country profile data: {iso3}"))
            t.link(subset, DCTERMS + "isPartOf", dataset)
            t.link(subset, DCTERMS + "spatial", iris.country(iso3))
            t.link(subset, VOID + "exampleResource", iris.country(iso3))
            _distribution(t, subset, _file(t, iris, dump, f"Turtle dump for {iso3}"))
        elif dump.name in WHOLE_GRAPH:
            _distribution(t, dataset, _file(t, iris, dump, _TITLES[dump.name]))
        else:  # the JSON-LD context: published for reuse, not a form of the data
            url = _file(t, iris, dump, _TITLES.get(dump.name, dump.name))
            t.type(url, SCHEMA + "MediaObject")
            t.link(dataset, DCTERMS + "relation", url)


_TITLES = {
    "gdp.ttl": "Turtle dump",
    "gdp.nt": "N-Triples dump (sorted)",
    "gdp.jsonld": "JSON-LD dump (compacted)",
    "context.jsonld": "JSON-LD context",
    "observations.csv": "Observations as CSV (tidy: one row per observation)",
    "observations.csv-metadata.json": "CSV on the Web metadata of observations.csv",
    "quality.ttl": "Quality annotations (Turtle)",
    "quality.nt": "Quality annotations (N-Triples)",
    "quality.jsonld": "Quality annotations (JSON-LD)",
}


def scan_graph(kg: KnowledgeGraph) -> _Statistics:
    """What VoID counts of the graph, in one pass over its lines (the build runs it on
    another core, beside the dumps)."""
    stats = _Statistics(kg.base)
    for _, block in kg.blocks():
        stats.scan(block)
    stats.finish()
    return stats


def void_triples(
    kg: KnowledgeGraph,
    dumps: Sequence[DumpFile],
    info: DatasetInfo,
    extra: Sequence[str] = (),
    scanned: object = None,
) -> bytes:
    """Describe the dataset, its statistics, its country subsets and each dump file
    (``scanned``: what `scan_graph` gave for ``kg``, when it already ran elsewhere)."""
    iris, t = Iris(kg.base), Triples()
    dataset = _describe(t, iris, kg, info)
    stats = scan_graph(kg) if scanned is None else scanned
    assert isinstance(stats, _Statistics)
    _statistics(t, iris, dataset, stats)
    _facility_cube(t, iris, dataset, stats)
    _linksets(t, iris, dataset, stats.links)
    _service(t, iris, dataset)
    _dumps(t, iris, dataset, dumps)
    t.extend(extra)
    return canonical(t.lines)
