"""ontology/history.ttl, shapes/history.ttl and vocab.py agree; the shapes catch violations."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import OWL, RDF, SH

from gdp_rdf.history.check import history_shapes
from gdp_rdf.vocab import DEFAULT_BASE, HISTORY_CLASSES, HISTORY_TERMS

ROOT = Path(__file__).resolve().parent.parent
GDP = rdflib.Namespace(DEFAULT_BASE + "def/")


def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "ontology" / "history.ttl")


def test_vocab_and_the_history_ontology_agree_both_ways() -> None:
    graph = ontology()
    declared = {
        str(s).removeprefix(str(GDP))
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in graph.subjects(RDF.type, kind)
    }
    assert declared == set(HISTORY_TERMS)


def test_every_history_class_is_the_target_of_a_shape() -> None:
    targets = {
        str(o).removeprefix(str(GDP))
        for o in history_shapes(DEFAULT_BASE).objects(None, SH.targetClass)
    }
    assert set(HISTORY_CLASSES) <= targets


def test_every_term_the_shapes_use_in_gdp_is_declared() -> None:
    shapes = history_shapes(DEFAULT_BASE)
    used = {str(o) for o in shapes.objects(None, SH.path)} | {
        str(o) for o in shapes.objects(None, SH["class"])
    }
    mine = {str(GDP[t]) for t in HISTORY_TERMS}
    main = rdflib.Graph().parse(ROOT / "ontology" / "gdp.ttl")
    known = mine | {str(s) for s in main.subjects(RDF.type, None)}
    assert {u for u in used if u.startswith(str(GDP))} <= known


BROKEN = """
@prefix gdp: <https://w3id.org/gdp-rdf/def/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/gdp-rdf/id/profile/AND/version/1> a gdp:PageVersion ;
    gdp:country <https://w3id.org/gdp-rdf/id/country/AND> ;
    gdp:sha256 "not a digest" ; gdp:dateBasis "guessed" ; gdp:versionOrder 0 .
<https://w3id.org/gdp-rdf/id/change/AND/x/y> a gdp:Change , gdp:ValueAdded ;
    gdp:country <https://w3id.org/gdp-rdf/id/country/AND> ;
    gdp:indicator <https://w3id.org/gdp-rdf/code/indicator/population> ;
    gdp:point <https://w3id.org/gdp-rdf/id/observation/AND/population/2024> ;
    gdp:fromVersion <https://w3id.org/gdp-rdf/id/profile/AND/version/1> ;
    gdp:oldValue "1" .
<https://w3id.org/gdp-rdf/id/observation/AND/population/2024/version/1> a gdp:VersionedValue ;
    gdp:country <https://w3id.org/gdp-rdf/id/country/AND> ; gdp:stillPrinted "yes" ;
    gdp:version <https://w3id.org/gdp-rdf/id/profile/AND/version/1> .
"""


def test_the_shapes_catch_what_they_are_for() -> None:
    data = rdflib.Graph().parse(data=BROKEN, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=history_shapes(DEFAULT_BASE))
    assert not conforms
    caught = {str(s).rpartition("/")[2] for s in report.objects(None, SH.sourceShape)}
    assert caught >= {
        "PageVersion-isVersionOf",
        "PageVersion-sha256",
        "PageVersion-dateBasis",
        "Change-toVersion",
        "ValueAdded-newValue",
        "ValueAdded-noOldValue",
        "VersionedValue-specializationOf",
        "VersionedValue-stillPrinted",
    }
