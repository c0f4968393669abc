"""Findings as data: DQV quality annotations and measurements, in a graph of their own.

Each finding is a `dqv:QualityAnnotation` whose `oa:hasTarget` is the observation, answer or
record the mapping minted; its bodies are the check's concept and the severity's, both SKOS
concepts of code lists this module publishes. Per data set, a `dqv:QualityMeasurement`
counts each check's findings (zero included: the check ran). Values are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable

from gdp_rdf.graph.terms import Triples, canonical, integer, text
from gdp_rdf.quality.findings import Finding
from gdp_rdf.quality.run import QualityReport
from gdp_rdf.quality.tables import Severity, load_checks
from gdp_rdf.vocab import (
    CUBES,
    DCTERMS,
    DQV,
    LDQD,
    OA,
    PROV,
    QUALITY_DIMENSIONS,
    RDFS,
    SKOS,
    Iris,
    check_iri,
    finding_iri,
    measurement_iri,
    quality_dimension_iri,
    quality_graph_iri,
    severity_iri,
)

DATASETS = (*CUBES, "gdp")  # an observation belongs to one cube, a record to the whole
_SEVERITY_LABELS = {
    Severity.ERROR: "Error: the value cannot be right as printed",
    Severity.WARNING: "Warning: the value is doubtful",
    Severity.INFO: "Info: worth knowing before quoting the value",
}


def code_list_lines(iris: Iris) -> list[str]:
    """The check, quality-dimension and severity code lists."""
    t = Triples()
    checks, dimensions, severities = (
        iris.scheme("check"),
        iris.scheme("quality-dimension"),
        iris.scheme("severity"),
    )
    for scheme, label in (
        (checks, "Quality checks"),
        (dimensions, "Quality dimensions"),
        (severities, "Severities of quality findings"),
    ):
        t.type(scheme, SKOS + "ConceptScheme")
        t.add(scheme, SKOS + "prefLabel", text(label))
    for name in QUALITY_DIMENSIONS:
        node = quality_dimension_iri(iris, name)
        t.type(node, DQV + "Dimension", SKOS + "Concept")
        t.link(node, SKOS + "inScheme", dimensions)
        t.add(node, SKOS + "notation", text(name, None))
        t.add(node, SKOS + "prefLabel", text(name.capitalize()))
        t.link(node, SKOS + "exactMatch", LDQD + name)
    for severity in Severity:
        node = severity_iri(iris, severity.value)
        t.type(node, SKOS + "Concept")
        t.link(node, SKOS + "inScheme", severities)
        t.add(node, SKOS + "notation", text(severity.value, None))
        t.add(node, SKOS + "prefLabel", text(_SEVERITY_LABELS[severity]))
    for info in load_checks().values():
        node = check_iri(iris, info.code)
        t.type(node, DQV + "Metric", SKOS + "Concept")
        t.link(node, SKOS + "inScheme", checks)
        t.add(node, SKOS + "notation", text(info.code, None))
        t.add(node, SKOS + "prefLabel", text(info.label))
        t.add(node, SKOS + "definition", text(info.definition))
        t.link(node, DQV + "inDimension", quality_dimension_iri(iris, info.dimension))
        t.link(node, DQV + "expectedDataType", "http://www.w3.org/2001/XMLSchema#integer")
    return t.lines


def annotation_lines(findings: Iterable[Finding], iris: Iris) -> list[str]:
    """One `dqv:QualityAnnotation` per finding."""
    t, checks = Triples(), load_checks()
    for f in findings:
        node = finding_iri(iris, f.check, f.country, f.indicator, f.period, f.detail)
        t.type(node, DQV + "QualityAnnotation")
        t.link(node, OA + "hasTarget", f.target)
        t.link(node, OA + "motivatedBy", DQV + "qualityAssessment")
        t.link(node, OA + "hasBody", check_iri(iris, f.check))
        t.link(node, OA + "hasBody", severity_iri(iris, f.severity.value))
        t.link(node, DQV + "inDimension", quality_dimension_iri(iris, checks[f.check].dimension))
        t.link(node, PROV + "wasDerivedFrom", iris.profile(f.country))
        t.add(
            node,
            RDFS + "label",
            text(f"{checks[f.check].label}: {f.country} {f.indicator} {f.period or 'undated'}"),
        )
        t.add(node, RDFS + "comment", text(f.message))
        t.add(node, iris.term("rawValue"), text(f.value, None))
        line = f.source.rsplit(":", 1)[-1]
        if line.isdigit() and int(line) > 0:
            t.add(node, iris.term("valueLine"), integer(int(line)))
        if f.context:
            t.add(node, DCTERMS + "description", text(f.context))
        for other in f.involved:
            t.link(node, DCTERMS + "relation", other)
    return t.lines


def measurement_lines(report: QualityReport, iris: Iris) -> list[str]:
    """Per data set and check, how many findings there are."""
    t = Triples()
    counts = {(d, c): 0 for d in DATASETS for c in load_checks()}
    for f in report.findings:
        counts[(f.dataset if f.dataset in DATASETS else "gdp", f.check)] += 1
        if f.dataset != "gdp":
            counts[("gdp", f.check)] += 1
    graph = quality_graph_iri(iris)
    t.type(graph, DQV + "QualityMetadata")
    t.add(graph, RDFS + "label", text("Quality findings about the GDP knowledge graph"))
    for (dataset, check), count in counts.items():
        node = measurement_iri(iris, dataset, check)
        t.type(node, DQV + "QualityMeasurement")
        t.link(node, DQV + "computedOn", iris.dataset(dataset))
        t.link(node, DQV + "isMeasurementOf", check_iri(iris, check))
        t.add(node, DQV + "value", integer(count))
        t.link(iris.dataset(dataset), DQV + "hasQualityMeasurement", node)
    return t.lines


def quality_block(report: QualityReport, iris: Iris) -> bytes:
    """The whole quality graph as canonical N-Triples."""
    lines = code_list_lines(iris) + annotation_lines(report.findings, iris)
    return canonical(lines + measurement_lines(report, iris))
