"""vocab.py, the ontology and the built graph agree on every term, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from gdp_rdf.vocab import CLASSES, DATATYPE_PROPERTIES, DEFAULT_BASE, OBJECT_PROPERTIES, TERMS, Iris

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = rdflib.Graph().parse(ROOT / "ontology" / "gdp.ttl")
GDP = DEFAULT_BASE + "def/"
STANDARD = (
    "http://purl.org/linked-data/cube#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://schema.org/",
    "http://www.w3.org/ns/prov#",
    "http://xmlns.com/foaf/0.1/",
)


def declared(kind: rdflib.URIRef) -> set[str]:
    return {str(s)[len(GDP) :] for s in ONTOLOGY.subjects(RDF.type, kind) if str(s).startswith(GDP)}


def test_vocab_and_ontology_agree_both_ways() -> None:
    assert declared(OWL.Class) == set(CLASSES)
    assert declared(OWL.ObjectProperty) == set(OBJECT_PROPERTIES)
    assert declared(OWL.DatatypeProperty) == set(DATATYPE_PROPERTIES)
    assert len(TERMS) == len(set(TERMS))


def test_every_term_is_documented_and_aligned() -> None:
    ontology = rdflib.URIRef(GDP)
    assert ONTOLOGY.value(ontology, OWL.versionInfo) is not None
    for name in TERMS:
        term = rdflib.URIRef(GDP + name)
        assert ONTOLOGY.value(term, RDFS.label) is not None, name
        assert ONTOLOGY.value(term, RDFS.comment) is not None, name
        assert ONTOLOGY.value(term, RDFS.isDefinedBy) == ontology, name
    for name in CLASSES:
        parents = {str(p) for p in ONTOLOGY.objects(rdflib.URIRef(GDP + name), RDFS.subClassOf)}
        assert any(p.startswith(STANDARD) for p in parents), f"{name} is not aligned: {parents}"


def test_the_graph_uses_only_declared_terms(built: Path) -> None:
    graph = rdflib.Graph().parse(built / "gdp.ttl")
    used = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, RDF.type)}
    ours = {u[len(GDP) :] for u in used if u.startswith(GDP)}
    assert ours and ours <= set(TERMS), sorted(ours - set(TERMS))


def test_no_blank_nodes_anywhere(built: Path) -> None:
    for name in ("gdp.ttl", "void.ttl"):
        graph = rdflib.Graph().parse(built / name)
        assert not any(isinstance(t, rdflib.BNode) for triple in graph for t in triple), name


def test_iris_are_minted_from_stable_keys() -> None:
    iris = Iris()
    assert iris.country("KAZ") == DEFAULT_BASE + "id/country/KAZ"
    assert (
        iris.observation("KAZ", "refugees", 2023)
        == DEFAULT_BASE + "id/observation/KAZ/refugees/2023"
    )
    assert iris.observation("KAZ", "refugees", None).endswith("/refugees/undated")
    assert iris.treaty("CAT") == DEFAULT_BASE + "id/treaty/CAT"
    other = Iris("http://example.org/gdp/")
    assert other.country("KAZ") == "http://example.org/gdp/id/country/KAZ"
    assert iris.recommendation("KAZ", "CAT-CTTEE", 2023, "35. text") == iris.recommendation(
        "KAZ", "CAT-CTTEE", 2023, "35. text"
    )


def test_iris_are_closed_and_errors_are_the_projects_own() -> None:
    from gdp_rdf.errors import GdpRdfError
    from gdp_rdf.vocab import IriError

    assert Iris().term("Observation") == DEFAULT_BASE + "def/Observation"
    with pytest.raises(IriError, match="gdp:Observaton is not a term"):
        Iris().term("Observaton")
    with pytest.raises(GdpRdfError, match="base IRI must be an http"):
        Iris("ftp://example.org/")
    assert Iris().period(None) == DEFAULT_BASE + "code/period/unknown"
    assert Iris().period(2019) == DEFAULT_BASE + "code/period/2019"


FOREIGN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/linked-data/",  # qb:, sdmx-dimension:, sdmx-attribute:, sdmx-code:
    "http://www.w3.org/ns/",  # prov:, dcat:, dqv:, oa:, shacl
    "http://purl.org/dc/",
    "http://rdfs.org/ns/void#",
    "http://schema.org/",
    "http://xmlns.com/foaf/",
    "http://spdx.org/rdf/terms#",
    "http://www.wikidata.org/",
)


def test_no_dump_describes_a_term_the_project_does_not_own(built: Path) -> None:
    """Statements about qb:, sdmx-*, skos:, ... terms would be claims about other people's
    vocabularies: every subject of every dump is minted under the base IRI."""
    import pyoxigraph as ox

    for path in [built / "gdp.nt", built / "void.ttl", *sorted((built / "country").glob("*.ttl"))]:
        subjects = {q.subject.value for q in ox.parse(path=str(path))}  # type: ignore[union-attr]
        foreign = sorted(s for s in subjects if s.startswith(FOREIGN))
        assert not foreign, f"{path.name}: {foreign[:5]}"
        assert all(s.startswith(DEFAULT_BASE) for s in subjects), path.name
