"""Asking Wikidata for candidates for missing QIDs: `gdp-rdf link resolve`.

Every request goes through `endpoint.run_remote` (descriptive User-Agent, one request at a
time, Retry-After on 429). Nothing found here is linked until a reviewer accepts it: candidates
go to data/links/candidates.csv, and only rows marked accept=yes are moved into the tables,
never over a verified QID.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.errors import ResourceError
from gdp_rdf.reader.codelists import CodeLists
from gdp_rdf.reader.links import links_folder, treaty_links
from gdp_rdf.sparql.catalogue import Query
from gdp_rdf.sparql.remote import DEFAULT_CLIENT, Client, run_remote
from gdp_rdf.vocab import WD

WD_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
CLASS_FOR_KIND = {  # the Wikidata class a candidate should be an instance of (treaties.csv kind)
    "treaty": "Q131569",
    "treaty_body": "Q79699511",
}
CANDIDATE_COLUMNS = (
    "table",
    "code",
    "name",
    "qid",
    "wikidata_label",
    "matched",
    "class_ok",
    "score",
    "accept",
)
Progress = Callable[[int, int], None]  # (requests done, requests in all)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible QID for a row without one, with how well it matched."""

    table: str  # "countries" or "treaties"
    code: str
    name: str
    qid: str
    wikidata_label: str
    matched: str  # what matched: label, alias, ISO 3166-1 alpha-3 / alpha-2
    class_ok: bool
    score: float


def qid_of(term: object) -> str:
    value = str(getattr(term, "value", ""))
    return value[len(WD) :] if value.startswith(WD) else ""


def _literal(value: str) -> str:
    return str(ox.Literal(value, language="en"))


def _plain(value: str) -> str:
    return str(ox.Literal(value))  # escaped by Oxigraph: table text never becomes query syntax


def _names(row_code: str, label: str, codes: CodeLists) -> list[str]:
    """Every name a treaty-table row goes by: its label, and our instruments' and bodies'."""
    names = [label]
    for instrument in codes.instruments:
        if instrument.link == row_code:
            names.append(instrument.name)
            if instrument.parent is None:  # a protocol prints its parent's abbreviation
                names.append(instrument.abbreviation)
    for body in codes.bodies:
        if body.link == row_code:
            names += list(body.names)
    return list(dict.fromkeys(n for n in names if n))


def find_candidates(
    endpoint: str,
    codes: CodeLists,
    folder: Path | None = None,
    client: Client = DEFAULT_CLIENT,
    progress: Progress | None = None,
) -> list[Candidate]:
    """Query the endpoint for every link-table row without a QID, one request per row;
    ``progress(done, total)`` is called after each request.

    Raises:
        EndpointError: the endpoint cannot be reached or fails.
    """
    folder = links_folder(folder)
    found: list[Candidate] = []
    with (folder / "countries.csv").open(encoding="utf-8", newline="") as handle:
        countries = [r for r in csv.DictReader(handle) if not r["qid"]]
    table = treaty_links(folder)
    treaties = [
        (code, row)
        for code, row in sorted(table.items())
        if not row.qid and row.kind in CLASS_FOR_KIND
    ]
    total, done = len(countries) + len(treaties), 0

    def ask(text_: str) -> Sequence[Mapping[str, object]]:
        nonlocal done
        rows = run_remote(endpoint, Query("link resolve", text_), {}, client=client).rows
        done += 1
        if progress:
            progress(done, total)
        return rows

    for entry in countries:
        text_ = (
            WD_PREFIXES
            + f"""SELECT ?item ?label ?matched WHERE {{
  {{ ?item wdt:P298 {_plain(entry["iso3"])} BIND("ISO 3166-1 alpha-3" AS ?matched) }}
  UNION {{ ?item wdt:P297 {_plain(entry["iso2"])} BIND("ISO 3166-1 alpha-2" AS ?matched) }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
}}"""
        )
        for result in ask(text_):
            found.append(
                Candidate(
                    "countries",
                    entry["iso3"],
                    entry["name"],
                    qid_of(result["item"]),
                    str(getattr(result["label"], "value", "")),
                    str(getattr(result["matched"], "value", "")),
                    True,
                    1.0,
                )
            )
    taken = {row.qid for row in table.values() if row.qid}  # an item can only be one thing
    for code, row in treaties:
        wanted = CLASS_FOR_KIND[row.kind]
        names = " ".join(_literal(n) for n in _names(code, row.label, codes))
        text_ = (
            WD_PREFIXES
            + f"""SELECT ?item ?label ?matched ?classOk WHERE {{
  VALUES ?name {{ {names} }}
  {{ ?item rdfs:label ?name BIND("label" AS ?matched) }}
  UNION {{ ?item skos:altLabel ?name BIND("alias" AS ?matched) }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
  BIND(EXISTS {{ ?item wdt:P31/wdt:P279* wd:{wanted} }} AS ?classOk)
}}"""
        )
        best: dict[str, Candidate] = {}
        for result in ask(text_):
            qid = qid_of(result["item"])
            matched = str(getattr(result["matched"], "value", ""))
            class_ok = str(getattr(result["classOk"], "value", "false")) == "true"
            score = (1.0 if matched == "label" else 0.8) * (1.0 if class_ok else 0.5)
            candidate = Candidate(
                "treaties",
                code,
                row.label,
                qid,
                str(getattr(result["label"], "value", "")),
                matched,
                class_ok,
                score,
            )
            if qid and qid not in taken and (qid not in best or best[qid].score < score):
                best[qid] = candidate
        found += sorted(best.values(), key=lambda c: (-c.score, c.qid))
    return found


def write_candidates(candidates: Sequence[Candidate], folder: Path | None = None) -> Path:
    """Write candidates.csv for review, keeping a reviewer's accept marks on unchanged rows."""
    path = links_folder(folder) / "candidates.csv"
    marks: dict[tuple[str, str, str], str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            marks = {
                (r["table"], r["code"], r["qid"]): r.get("accept", "")
                for r in csv.DictReader(handle)
            }
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CANDIDATE_COLUMNS)
        for c in candidates:
            mark = marks.get((c.table, c.code, c.qid), "")
            writer.writerow(
                [
                    c.table,
                    c.code,
                    c.name,
                    c.qid,
                    c.wikidata_label,
                    c.matched,
                    "yes" if c.class_ok else "no",
                    f"{c.score:.2f}",
                    mark,
                ]
            )
    tmp.replace(path)
    return path


@dataclass(frozen=True, slots=True)
class Accepted:
    """A candidate moved into a link table."""

    table: str
    code: str
    qid: str


def accept_candidates(folder: Path | None = None) -> tuple[list[Accepted], list[str]]:
    """Move candidates marked accept=yes into countries.csv / treaties.csv.

    A row that already has a QID is never overwritten (reported as skipped); a code with two
    accepted QIDs is refused. Accepted rows leave candidates.csv.

    Raises:
        ResourceError: candidates.csv or a link table cannot be read or written.
    """
    folder = links_folder(folder)
    path = folder / "candidates.csv"
    if not path.exists():
        raise ResourceError("no candidates to accept; run `gdp-rdf link resolve` first", str(path))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chosen: dict[tuple[str, str], str] = {}
    skipped: list[str] = []
    for row in rows:
        if row.get("accept", "").strip().lower() not in ("yes", "y", "x", "true"):
            continue
        key = (row["table"], row["code"])
        if key in chosen and chosen[key] != row["qid"]:
            skipped.append(
                f"{row['code']}: two QIDs accepted ({chosen[key]}, {row['qid']}); none taken"
            )
            chosen[key] = ""
        elif key not in chosen:
            chosen[key] = row["qid"]
    accepted: list[Accepted] = []
    for table, key_column in (("countries", "iso3"), ("treaties", "code")):
        table_path = folder / f"{table}.csv"
        with table_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            entries = list(reader)
        changed = False
        for entry in entries:
            qid = chosen.get((table, entry[key_column]))
            if not qid:
                continue
            if entry["qid"]:
                skipped.append(f"{entry[key_column]}: already has verified {entry['qid']}; kept")
                continue
            entry["qid"], entry["confidence"] = qid, "reviewed-candidate"
            accepted.append(Accepted(table, entry[key_column], qid))
            changed = True
        if changed:
            tmp = table_path.with_suffix(".tmp")
            with tmp.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
                writer.writeheader()
                writer.writerows(entries)
            tmp.replace(table_path)
    done = {(a.table, a.code) for a in accepted}
    remaining = [r for r in rows if (r["table"], r["code"]) not in done]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CANDIDATE_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in CANDIDATE_COLUMNS} for r in remaining)
    return accepted, skipped
