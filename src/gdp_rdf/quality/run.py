"""Run every check on profiles, on built dumps or on the build's graph."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from gdp_rdf.graph.mapping import map_profile
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.rdf_io import read_rdf
from gdp_rdf.graph.terms import parse_block
from gdp_rdf.quality.checks import CHECKS
from gdp_rdf.quality.findings import Finding
from gdp_rdf.quality.points import CountryData, countries_from_block, countries_from_triples
from gdp_rdf.quality.tables import Severity, Thresholds, load_checks, load_thresholds
from gdp_rdf.reader.codelists import load_codelists
from gdp_rdf.reader.page import read_profile
from gdp_rdf.vocab import Iris


@dataclass(frozen=True)
class QualityReport:
    """Every finding, sorted, and how many countries were checked."""

    findings: tuple[Finding, ...]
    countries: tuple[str, ...]

    def worrying(self) -> int:
        """Findings `--strict` fails on: errors and warnings."""
        return sum(f.severity is not Severity.INFO for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Findings per check, every check listed (a zero says the check ran)."""
        counts = dict.fromkeys(load_checks(), 0)
        for finding in self.findings:
            counts[finding.check] += 1
        return counts


def check_countries(
    countries: Iterable[CountryData], thresholds: Thresholds | None = None
) -> QualityReport:
    """Run every check on every country.

    Raises:
        ResourceError: the thresholds or check tables are broken.
    """
    th = thresholds or load_thresholds()
    load_checks()
    found: list[Finding] = []
    done: list[str] = []
    for data in countries:
        done.append(data.iso3)
        for check in CHECKS.values():
            found += check(data, th)
    return QualityReport(tuple(sorted(found, key=Finding.sort_key)), tuple(sorted(done)))


def profile_countries(paths: Sequence[Path]) -> list[CountryData]:
    """Each profile mapped to the triples the build would publish, seen as the checks see it.

    Raises:
        ParseError: a profile cannot be read.
        MappingError: a profile's country cannot be identified.
    """
    iris, codes = Iris(), load_codelists()
    out = []
    for path in paths:
        profile = read_profile(path)
        block = map_profile(profile, iris, codes)
        for data in countries_from_triples(parse_block(block.ntriples)).values():
            data.source = str(path)
            out.append(data)
    return out


def check_profiles(paths: Sequence[Path], thresholds: Thresholds | None = None) -> QualityReport:
    """Run every check on profile text files.

    Raises:
        ParseError: a profile cannot be read.
        MappingError: a profile's country cannot be identified.
        ResourceError: the thresholds or check tables are broken.
    """
    return check_countries(profile_countries(paths), thresholds)


def check_dumps(paths: Sequence[Path], thresholds: Thresholds | None = None) -> QualityReport:
    """Run every check on built dumps (Turtle, N-Triples or JSON-LD).

    Raises:
        RdfReadError: a file cannot be read as RDF.
        ResourceError: the thresholds or check tables are broken.
    """
    triples: list[ox.Triple] = []
    for path in paths:
        triples += read_rdf(path)
    return check_countries(countries_from_triples(triples).values(), thresholds)


def check_graph(kg: KnowledgeGraph, thresholds: Thresholds | None = None) -> QualityReport:
    """Run every check on the build's graph, one country block at a time."""
    countries: list[CountryData] = []
    for iso3, block in kg.blocks():
        if iso3:
            countries += countries_from_block(block).values()
    return check_countries(countries, thresholds)


class Disagreement(Protocol):
    """What `gdp-rdf link check` reports (gdp_rdf.wikidata.check.Disagreement)."""

    @property
    def kind(self) -> str: ...
    @property
    def iso3(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def gdp(self) -> str: ...
    @property
    def wikidata(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def line(self) -> str: ...


def with_wikidata(
    report: QualityReport, disagreements: Iterable[Disagreement], sources: dict[str, str]
) -> QualityReport:
    """The report with the Wikidata disagreements as findings of the `wikidata` check.

    ``sources`` gives each country's profile file, for the finding's file:line.
    """
    severity = load_checks()["wikidata"].severity
    extra = []
    for d in disagreements:
        what = "ratified" if d.kind == "ratification" else "population"
        indicator = "treaty-ratified" if d.kind == "ratification" else d.item
        message = (
            f"GDP gives {d.gdp} ({what}, {d.item}) where Wikidata ({d.source}) says {d.wikidata}."
        )
        period = int(d.period[:4]) if d.period[:4].isdigit() else None
        extra.append(
            Finding(
                d.iso3,
                indicator,
                period,
                "wikidata",
                severity,
                d.gdp,
                f"wikidata {d.wikidata} ({d.source})",
                message,
                f"{sources.get(d.iso3, '')}:{d.line}",
                d.subject,
                (),
                "gdp",
                d.item,
            )
        )
    found = sorted(report.findings + tuple(extra), key=Finding.sort_key)
    return QualityReport(tuple(found), report.countries)


JSON_VERSION = 1  # bump when schemas/quality-findings.schema.json changes incompatibly


def report_document(report: QualityReport) -> dict[str, object]:
    """`gdp-rdf check --format json`: the document schemas/quality-findings.schema.json describes."""
    checks = load_checks()
    return {
        "version": JSON_VERSION,
        "countries": list(report.countries),
        "checks": [
            {
                "code": code,
                "label": checks[code].label,
                "dimension": checks[code].dimension,
                "findings": count,
            }
            for code, count in report.counts().items()
        ],
        "findings": [f.record() for f in report.findings],
    }
