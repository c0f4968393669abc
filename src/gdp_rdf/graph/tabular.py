"""The observations as one tidy CSV table with CSV on the Web (CSVW) metadata.

One row per Data Cube observation: country, indicator, year, value, unit, missing-value
status and the profile line the value was read from. The metadata (W3C "Metadata Vocabulary
for Tabular Data") names each column's datatype and the IRIs the cells stand for, so a CSVW
processor turns the table back into the same observations.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.graph.dumps import DumpFile, write_file
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.terms import parse_block
from gdp_rdf.vocab import PROV, QB, RDF, SCHEMA, SDMX_ATTRIBUTE, SDMX_DIMENSION

CSV_NAME = "observations.csv"
METADATA_NAME = "observations.csv-metadata.json"  # where CSVW processors look for it
CSV_TYPE = "text/csv"
METADATA_TYPE = "application/csvm+json"
# (name, title, CSVW datatype)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("observation", "Observation", "anyURI"),
    ("country", "Country (ISO 3166-1 alpha-3)", "string"),
    ("country_name", "Country name", "string"),
    ("indicator", "Indicator", "string"),
    ("period", "Year", "gYear"),
    ("value", "Value as printed on the profile, typed", "string"),
    ("value_type", "Kind of value", "string"),
    ("denominator", "Out of", "integer"),
    ("unit", "Unit", "anyURI"),
    ("status", "Why the value is missing", "anyURI"),
    ("source_file", "Profile file", "string"),
    ("source_line", "Line on the profile", "integer"),
)
FIELDS = tuple(name for name, _, _ in COLUMNS)
_MEASURES = ("numericValue", "rank", "answer", "textValue")


def _lexical(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""


def observation_rows(triples: Iterable[ox.Triple], base: str) -> list[dict[str, str]]:
    """One row per qb:Observation among ``triples`` (which hold its country's name and its
    profile's file name too), in IRI order."""
    gdp = base + "def/"
    about: dict[str, dict[str, list[object]]] = {}
    for triple in triples:
        if not isinstance(triple.subject, ox.NamedNode):
            continue  # the project writes no blank nodes
        subject = triple.subject.value
        about.setdefault(subject, {}).setdefault(triple.predicate.value, []).append(triple.object)

    def one(node: str, predicate: str) -> str:
        values = about.get(node, {}).get(predicate)
        return _lexical(values[0]) if values else ""

    rows = []
    for subject, properties in about.items():
        if not any(_lexical(t) == QB + "Observation" for t in properties.get(RDF + "type", [])):
            continue
        country = one(subject, SDMX_DIMENSION + "refArea")
        value, kind = "", ""
        for measure in _MEASURES:
            value = one(subject, gdp + measure)
            if value:
                kind = measure
                break
        rows.append(
            {
                "observation": subject,
                "country": country.rsplit("/", 1)[-1],
                "country_name": one(country, SCHEMA + "name"),
                "indicator": one(subject, gdp + "indicator").rsplit("/", 1)[-1],
                "period": one(subject, SDMX_DIMENSION + "refPeriod"),
                "value": value,
                "value_type": kind,
                "denominator": one(subject, gdp + "denominator"),
                "unit": one(subject, SDMX_ATTRIBUTE + "unitMeasure"),
                "status": one(subject, SDMX_ATTRIBUTE + "obsStatus"),
                "source_file": one(one(subject, PROV + "wasDerivedFrom"), gdp + "fileName"),
                "source_line": one(subject, gdp + "valueLine"),
            }
        )
    return sorted(rows, key=lambda row: row["observation"])


def csv_bytes(rows: Sequence[dict[str, str]]) -> bytes:
    """The rows as CSV (RFC 4180: a header row, CRLF line ends)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def csvw_metadata(base: str, csv_url: str = CSV_NAME) -> bytes:
    """The CSVW table description of the observations CSV."""
    gdp = base + "def/"
    urls = {
        "country": (SDMX_DIMENSION + "refArea", base + "id/country/{country}"),
        "value": (gdp + "{value_type}", None),
        "indicator": (gdp + "indicator", base + "code/indicator/{indicator}"),
        "period": (SDMX_DIMENSION + "refPeriod", None),
        "unit": (SDMX_ATTRIBUTE + "unitMeasure", "{+unit}"),
        "status": (SDMX_ATTRIBUTE + "obsStatus", "{+status}"),
        "denominator": (gdp + "denominator", None),
        "source_line": (gdp + "valueLine", None),
        "source_file": (gdp + "fileName", None),
    }
    columns = []
    for name, title, datatype in COLUMNS:
        column: dict[str, object] = {"name": name, "titles": title, "datatype": datatype}
        if name in ("observation", "country_name", "value_type"):
            column["suppressOutput"] = True
        elif name in urls:
            property_url, value_url = urls[name]
            column["propertyUrl"] = property_url
            if value_url:
                column["valueUrl"] = value_url
        columns.append(column)
    document = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_url,
        "dc:title": "Observations of the Global Detention Project country profiles",
        "dc:source": "https://www.globaldetentionproject.org/",
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {
            "columns": columns,
            "primaryKey": "observation",
            "aboutUrl": "{+observation}",
        },
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def graph_rows(kg: KnowledgeGraph) -> list[dict[str, str]]:
    """Every observation of the graph, one country block at a time."""
    rows: list[dict[str, str]] = []
    for iso3, block in kg.blocks():
        if iso3:
            rows += observation_rows(parse_block(block), kg.base)
    return sorted(rows, key=lambda row: row["observation"])


def write_tables(kg: KnowledgeGraph, folder: Path) -> list[DumpFile]:
    """observations.csv and its CSVW metadata into ``folder``."""
    return [
        write_file(folder, CSV_NAME, csv_bytes(graph_rows(kg)), CSV_TYPE, 0),
        write_file(folder, METADATA_NAME, csvw_metadata(kg.base), METADATA_TYPE, 0),
    ]
