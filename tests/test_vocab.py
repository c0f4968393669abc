"""vocab.py, the ontology and the built graph agree on every term, both ways."""

from __future__ import annotations

from pathlib import Path

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
