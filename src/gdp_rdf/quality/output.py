"""The quality graph's files: quality.ttl, quality.nt and quality.jsonld beside the dumps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gdp_rdf.graph.dumps import DumpFile, inline_context, write_file
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.serialize import Compactor, Format, jsonld_nodes, turtle_bytes
from gdp_rdf.graph.terms import Triples, parse_block, text
from gdp_rdf.quality.dqv import quality_block
from gdp_rdf.quality.run import QualityReport, check_graph
from gdp_rdf.quality.tables import Thresholds
from gdp_rdf.vocab import DCAT, DCTERMS, DQV, VOID, Iris, finding_iri, quality_graph_iri

QUALITY_FILES = ("quality.ttl", "quality.nt", "quality.jsonld")


def quality_jsonld(block: bytes, base: str) -> bytes:
    """The quality graph as JSON-LD with the dumps' context inline: readable alone, like
    gdp.jsonld (a reference to context.jsonld left a processor without the file beside it,
    or with no base to resolve the name against, unable to read it)."""
    nodes = list(jsonld_nodes(block, Compactor(base)))
    body = ",\n    ".join(nodes).encode()
    return b'{\n  "@context": ' + inline_context(base) + b',\n  "@graph": [\n    ' + body + b"\n  ]\n}\n"


def write_quality_files(folder: Path, report: QualityReport, base: str) -> list[DumpFile]:
    """Write the quality graph of ``report`` into ``folder`` in its three forms."""
    block = quality_block(report, Iris(base))
    count = block.count(b"\n")
    return [
        write_file(
            folder,
            "quality.ttl",
            turtle_bytes(parse_block(block), base),
            Format.TURTLE.media_type,
            count,
        ),
        write_file(folder, "quality.nt", block, Format.NTRIPLES.media_type, count),
        write_file(
            folder, "quality.jsonld", quality_jsonld(block, base), Format.JSONLD.media_type, count
        ),
    ]


def void_lines(report: QualityReport, base: str) -> list[str]:
    """What void.ttl says about the quality graph: a dataset of its own, its dumps, and
    ``dqv:hasQualityMetadata`` / ``dqv:hasQualityAnnotation`` from the described dataset."""
    iris, t = Iris(base), Triples()
    quality, dataset = quality_graph_iri(iris), iris.dataset("gdp")
    t.type(quality, VOID + "Dataset", DCAT + "Dataset", DQV + "QualityMetadata")
    t.add(quality, DCTERMS + "title", text("Quality findings (DQV) about the GDP knowledge graph"))
    t.link(dataset, DQV + "hasQualityMetadata", quality)
    for name in QUALITY_FILES:
        t.link(quality, VOID + "dataDump", iris.dump(name))
        t.link(quality, DCAT + "distribution", iris.dump(name))
    for f in report.findings:
        node = finding_iri(iris, f.check, f.country, f.indicator, f.period, f.detail)
        t.link(dataset, DQV + "hasQualityAnnotation", node)
    return t.lines


@dataclass(frozen=True)
class QualityOutput:
    """The quality graph's files, and the lines void.ttl adds about them."""

    report: QualityReport
    files: list[DumpFile]
    void_lines: list[str]


def build_quality(
    kg: KnowledgeGraph, folder: Path, thresholds: Thresholds | None = None
) -> QualityOutput:
    """The build's hook: check the graph and write its quality graph next to the dumps.

    Raises:
        ResourceError: the thresholds or check tables are broken.
    """
    report = check_graph(kg, thresholds)
    files = write_quality_files(folder, report, kg.base)
    return QualityOutput(report, files, void_lines(report, kg.base))
