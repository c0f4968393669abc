"""The observations as one tidy CSV table with CSV on the Web (CSVW) metadata.

One row per Data Cube observation: country, indicator, year, value, unit, status and the
profile line the value was read from. The metadata (W3C "Metadata Vocabulary for Tabular
Data") names each column's datatype and the gdp: properties the cells stand for, so a CSVW
processor turns the table back into the graph's terms. Two things it cannot say: an empty
year (a value printed without one, period code ``period:unknown``) gives no gdp:refPeriod,
and a URI template cannot choose a datatype, so the value is a plain string.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.graph.dumps import DumpFile, write_file, write_pieces
from gdp_rdf.graph.model import KnowledgeGraph
from gdp_rdf.graph.terms import lexical, parse_block
from gdp_rdf.vocab import PROV, QB, RDF, SCHEMA, Iris

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
    ("period", "Year (empty when the page prints none)", "gYear"),
    ("value", "Value as printed on the profile, typed", "string"),
    ("value_type", "Kind of value", "string"),
    ("denominator", "Out of", "integer"),
    ("unit", "Unit", "anyURI"),
    ("status", "Status: why the value is missing, or what is wrong with it", "anyURI"),
    ("status_type", "Kind of status", "string"),
    ("source_file", "Profile file", "string"),
    ("source_line", "Line on the profile", "integer"),
)
FIELDS = tuple(name for name, _, _ in COLUMNS)
_MEASURES = ("numericValue", "rank", "answer", "textValue")
# A gap's status is the measure of the gaps data set; a status printed with a value is an
# attribute of it (README, "The cube").
_STATUSES = ("missingStatus", "obsStatus")


def _lexical(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""


def _row(
    subject: str, one: Callable[[str, str], str], g: Callable[[str], str], period: str
) -> dict[str, str] | None:
    """The CSV row of one observation, ``one(node, predicate)`` reading its values; None for
    an observation that is not a country's (a facility-numbers one, issue 17: no refArea)."""

    def first(names: Sequence[str]) -> tuple[str, str]:
        """The first of the properties ``names`` the observation has: (value, name)."""
        for name in names:
            value = one(subject, g(name))
            if value:
                return value, name
        return "", ""

    country = one(subject, g("refArea"))
    if not country:
        return None
    value, kind = first(_MEASURES)
    status, status_kind = first(_STATUSES)
    return {
        "observation": subject,
        "country": country.rsplit("/", 1)[-1],
        "country_name": one(country, SCHEMA + "name"),
        "indicator": one(subject, g("indicator")).rsplit("/", 1)[-1],
        "period": period,
        "value": value,
        "value_type": kind,
        "denominator": one(subject, g("denominator")),
        "unit": one(subject, g("unitMeasure")),
        "status": status,
        "status_type": status_kind,
        "source_file": one(one(subject, PROV + "wasDerivedFrom"), g("fileName")),
        "source_line": one(subject, g("valueLine")),
    }


def observation_rows(triples: Iterable[ox.Triple], base: str) -> list[dict[str, str]]:
    """One row per qb:Observation among ``triples`` (which hold its country's name, its
    period's year and its profile's file name too), in IRI order."""
    g = Iris(base).term
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
        period = one(subject, g("refPeriod"))
        row = _row(subject, one, g, one(period, g("year")))  # none for period:unknown
        if row is not None:
            rows.append(row)
    return sorted(rows, key=lambda row: row["observation"])


def csv_bytes(rows: Sequence[dict[str, str]]) -> bytes:
    """The rows as CSV (RFC 4180: a header row, CRLF line ends)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    writer.writerows([row.get(name, "") for name in FIELDS] for row in rows)
    return out.getvalue().encode("utf-8")


def csvw_metadata(base: str, csv_url: str = CSV_NAME) -> bytes:
    """The CSVW table description of the observations CSV.

    Raises:
        IriError: ``base`` is not an http(s) IRI ending in '/'.
    """
    iris = Iris(base)
    g = iris.term
    # column -> (propertyUrl, valueUrl, aboutUrl); the templates' {name} are cells of the row
    urls: dict[str, tuple[str, str | None, str | None]] = {
        "country": (g("refArea"), iris.country("{country}"), None),
        "indicator": (g("indicator"), iris.indicator("{indicator}"), None),
        "period": (g("refPeriod"), iris.code("period", "{period}"), None),
        "value": (iris.ontology() + "{value_type}", None, None),
        "denominator": (g("denominator"), None, None),
        "unit": (g("unitMeasure"), "{+unit}", None),
        "status": (iris.ontology() + "{status_type}", "{+status}", None),
        "source_file": (g("fileName"), None, iris.profile("{country}")),
        "source_line": (g("valueLine"), None, None),
    }
    columns = []
    for name, title, datatype in COLUMNS:
        column: dict[str, object] = {"name": name, "titles": title, "datatype": datatype}
        if name in urls:
            property_url, value_url, about_url = urls[name]
            column["propertyUrl"] = property_url
            if value_url:
                column["valueUrl"] = value_url
            if about_url:
                column["aboutUrl"] = about_url
        else:  # the row's own IRI, and what the other columns' templates read
            column["suppressOutput"] = True
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


def block_rows(block: bytes, years: Mapping[str, str], base: str) -> list[dict[str, str]]:
    """`observation_rows` of one country block read straight from its N-Triples lines (no
    parser: what they are is fixed, see terms.split_line); ``years`` maps each period IRI
    of the shared block to its year."""
    g = Iris(base).term
    wanted = {
        f"<{iri}>": iri
        for iri in (
            *(g(name) for name in (*_MEASURES, *_STATUSES)),
            *(g(name) for name in ("refArea", "indicator", "refPeriod", "denominator")),
            *(g(name) for name in ("unitMeasure", "valueLine", "fileName", "year")),
            SCHEMA + "name",
            PROV + "wasDerivedFrom",
        )
    }
    rdf_type, observation = f"<{RDF}type>", f"<{QB}Observation> ."
    about: dict[str, dict[str, str]] = {}
    observations: list[str] = []
    for line in block.decode("utf-8").splitlines():
        subject, predicate, rest = line.split(" ", 2)
        if predicate == rdf_type:
            if rest == observation:
                observations.append(subject[1:-1])
            continue
        name = wanted.get(predicate)
        if name is not None:
            properties = about.setdefault(subject[1:-1], {})
            if name not in properties:  # the first value, as `observation_rows` takes it
                properties[name] = rest[:-2]

    def one(node: str, predicate: str) -> str:
        term = about.get(node, {}).get(predicate)
        return lexical(term) if term else ""

    year = g("year")
    rows = []
    for subject in dict.fromkeys(observations):
        period = one(subject, g("refPeriod"))
        row = _row(subject, one, g, years[period] if period in years else one(period, year))
        if row is not None:
            rows.append(row)
    return rows


def _period_years(kg: KnowledgeGraph) -> dict[str, str]:
    year = Iris(kg.base).term("year")
    years: dict[str, str] = {}
    for triple in parse_block(kg.shared):
        if triple.predicate.value == year and isinstance(triple.subject, ox.NamedNode):
            years.setdefault(triple.subject.value, _lexical(triple.object))
    return years


def graph_rows(kg: KnowledgeGraph) -> list[dict[str, str]]:
    """Every observation of the graph, one country block at a time (with the shared block's
    period years)."""
    years = _period_years(kg)
    rows: list[dict[str, str]] = []
    for iso3, block in kg.blocks():
        if iso3:
            rows += block_rows(block, years, kg.base)
    return sorted(rows, key=lambda row: row["observation"])


def _csv_lines(kg: KnowledgeGraph) -> tuple[str, list[tuple[str, str]]]:
    """The CSV header, and each row as (observation, its CSV line) in observation order,
    holding each row as its CSV line only (a row's dict costs ~1.5 KB: at 34,000
    profiles, all of them would be over a gigabyte)."""
    years = _period_years(kg)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    header = out.getvalue()
    lines: list[tuple[str, str]] = []
    for iso3, block in kg.blocks():
        if not iso3:
            continue
        for row in block_rows(block, years, kg.base):
            out.seek(0)
            out.truncate()
            writer.writerow([row.get(name, "") for name in FIELDS])
            lines.append((row["observation"], out.getvalue()))
    lines.sort()
    return header, lines


def graph_csv(kg: KnowledgeGraph) -> bytes:
    """`csv_bytes` of `graph_rows`."""
    header, lines = _csv_lines(kg)
    return (header + "".join(line for _, line in lines)).encode("utf-8")


def _pieces(header: str, lines: Sequence[tuple[str, str]]) -> Iterator[bytes]:
    yield header.encode("utf-8")
    for start in range(0, len(lines), _LINES_PER_PIECE):
        yield "".join(line for _, line in lines[start : start + _LINES_PER_PIECE]).encode("utf-8")


_LINES_PER_PIECE = 4096


def write_tables(kg: KnowledgeGraph, folder: Path) -> list[DumpFile]:
    """observations.csv and its CSVW metadata into ``folder``. The CSV is written in pieces:
    joined whole, then encoded, it was held three times over at once (2.5 M rows at 34,000
    profiles)."""
    header, lines = _csv_lines(kg)
    return [
        write_pieces(folder, CSV_NAME, _pieces(header, lines), CSV_TYPE, 0),
        write_file(folder, METADATA_NAME, csvw_metadata(kg.base), METADATA_TYPE, 0),
    ]
