"""The dataset description (void.ttl): VoID statistics, DCAT distributions, schema.org (pure).

Dates come from the data (the newest "Last updated" month of the profiles), not from the
clock, so two builds of the same profiles describe themselves identically; ``issued`` can
be set explicitly for a release.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from gdp_rdf.graph.dumps import DumpFile
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.terms import Term, Triples, canonical, integer, text, typed
from gdp_rdf.vocab import (
    DCAT,
    DCTERMS,
    FOAF,
    QB,
    RDF,
    SCHEMA,
    SKOS,
    SPDX,
    VOID,
    WD,
    WIKIDATA_SPARQL,
    Iris,
)

GDP_HOME = "https://www.globaldetentionproject.org/"


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the build knows about the release."""

    modified: str | None  # newest profile "Last updated" month, YYYY-MM
    issued: str | None = None  # --issued, YYYY-MM-DD
    license: str | None = None  # --license IRI


def _date(value: str) -> Term:
    return typed(value, "date" if len(value) == 10 else "gYearMonth")


def void_triples(
    kg: KnowledgeGraph,
    dumps: Sequence[DumpFile],
    info: DatasetInfo,
    extra: Sequence[str] = (),
) -> bytes:
    """Describe the dataset, its statistics and each dump file."""
    iris, t = Iris(kg.base), Triples()
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
    t.add(dataset, VOID + "uriSpace", text(iris.base + "id/", None))
    for iso3 in sorted(kg.countries)[:1]:
        t.link(dataset, VOID + "exampleResource", iris.country(iso3))
    for vocabulary in (iris.ontology(), QB, SKOS, "http://www.w3.org/ns/prov#", SCHEMA):
        t.link(dataset, VOID + "vocabulary", vocabulary)
    for part in ("observations", "undated"):
        t.link(dataset, VOID + "subset", iris.dataset(part))

    subjects: set[str] = set()
    properties: set[str] = set()
    classes: Counter[str] = Counter()
    links: Counter[str] = Counter()
    rdf_type = f"<{RDF}type>"
    to_wikidata = f"<{WD}"
    total = 0
    for _, block in kg.blocks():
        for line in block.decode("utf-8").splitlines():
            # IRIs hold no spaces: "<s> <p> object ." splits cleanly in three.
            subject, predicate, rest = line.split(" ", 2)
            subjects.add(subject)
            properties.add(predicate)
            total += 1
            if predicate == rdf_type:
                classes[rest[1:-3]] += 1
            elif rest.startswith(to_wikidata):
                links[predicate[1:-1]] += 1
    t.add(dataset, VOID + "triples", integer(total))
    t.add(dataset, VOID + "entities", integer(len(subjects)))
    t.add(dataset, VOID + "distinctSubjects", integer(len(subjects)))
    t.add(dataset, VOID + "properties", integer(len(properties)))
    t.add(dataset, VOID + "classes", integer(len(classes)))
    for cls, count in sorted(classes.items()):
        partition = f"{iris.base}id/partition/class/{_local(cls)}"
        t.link(dataset, VOID + "classPartition", partition)
        t.type(partition, VOID + "Dataset")
        t.link(partition, VOID + "class", cls)
        t.add(partition, VOID + "entities", integer(count))

    wikidata = iris.dataset("wikidata")
    if links:
        t.type(wikidata, VOID + "Dataset")
        t.add(wikidata, DCTERMS + "title", text("Wikidata"))
        t.link(wikidata, FOAF + "homepage", "https://www.wikidata.org/")
        t.link(wikidata, VOID + "sparqlEndpoint", WIKIDATA_SPARQL)
        t.add(wikidata, VOID + "uriSpace", text(WD, None))
    for predicate, count in sorted(links.items()):
        linkset = f"{iris.base}id/linkset/{_local(predicate)}"
        t.link(dataset, VOID + "subset", linkset)
        t.type(linkset, VOID + "Linkset")
        t.link(linkset, VOID + "linkPredicate", predicate)
        t.link(linkset, VOID + "subjectsTarget", dataset)
        t.link(linkset, VOID + "objectsTarget", wikidata)
        t.add(linkset, VOID + "triples", integer(count))

    for dump in dumps:
        url = iris.dump(dump.name)
        t.type(url, DCAT + "Distribution", SCHEMA + "DataDownload")
        t.link(dataset, DCAT + "distribution", url)
        t.link(dataset, SCHEMA + "distribution", url)
        if dump.name in ("gdp.ttl", "gdp.nt", "gdp.jsonld"):
            t.link(dataset, VOID + "dataDump", url)
        t.link(url, DCAT + "downloadURL", url)
        t.link(
            url,
            DCAT + "mediaType",
            f"https://www.iana.org/assignments/media-types/{dump.media_type}",
        )
        t.add(url, DCTERMS + "format", text(dump.media_type, None))
        t.add(url, SCHEMA + "encodingFormat", text(dump.media_type, None))
        t.add(url, DCAT + "byteSize", typed(str(dump.size), "nonNegativeInteger"))
        t.add(url, DCTERMS + "title", text(_dump_title(dump.name)))
        if dump.triples:
            t.add(url, VOID + "triples", integer(dump.triples))
        checksum = f"{url}#sha256"
        t.link(url, SPDX + "checksum", checksum)
        t.type(checksum, SPDX + "Checksum")
        t.link(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        t.add(checksum, SPDX + "checksumValue", typed(dump.sha256, "hexBinary"))
    t.extend(extra)
    return canonical(t.lines)


def _local(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            iri = iri.rsplit(separator, 1)[1] or iri
    return iri


def _dump_title(name: str) -> str:
    if name.startswith("country/"):
        return f"Turtle dump for {name[8:11]}"
    return {
        "gdp.ttl": "Turtle dump",
        "gdp.nt": "N-Triples dump (sorted)",
        "gdp.jsonld": "JSON-LD dump (compacted)",
        "context.jsonld": "JSON-LD context",
        "observations.csv": "Observations as CSV (tidy: one row per observation)",
        "observations.csv-metadata.json": "CSV on the Web metadata of observations.csv",
    }.get(name, name)
