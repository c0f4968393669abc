"""SPARQL on the embedded Oxigraph store -> results.

The embedded store loads the dumps (gdp.nt and void.ttl of dist/ by default). With a cache
folder the store is kept on disk, keyed by the files' contents, so a second query over the
same dumps opens it instead of loading again.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.errors import QueryError
from gdp_rdf.sparql import lexer
from gdp_rdf.sparql.catalogue import Query, with_values
from gdp_rdf.sparql.results import Kind, Result

DEFAULT_DIST = Path("dist")
HISTORY = "history.nt"  # not default data: its versioned values would join current-view queries


def default_data(dist: Path = DEFAULT_DIST, purpose: str = "query") -> list[Path]:
    """The dumps a command reads when no --data is given (``purpose`` names it in the error).

    Raises:
        QueryError: there is no built graph.
    """
    files = [dist / "gdp.nt", dist / "void.ttl", dist / "quality.nt"]  # quality: issue 14
    if not files[0].exists():
        raise QueryError(
            f"no built graph to {purpose}; run `gdp-rdf build` or pass --data", str(dist)
        )
    return [f for f in files if f.exists()]


def _digest(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.resolve()).encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:20]


def store_folder(paths: Sequence[Path], cache_dir: Path) -> Path:
    """Where open_store keeps the on-disk store of these files (keyed by their contents)."""
    return cache_dir / f"store-{_digest(paths)}"


def open_store(paths: Sequence[Path], cache_dir: Path | None = None) -> ox.Store:
    """An Oxigraph store holding the given RDF files.

    Raises:
        RdfReadError: a file cannot be read as RDF.
    """
    if cache_dir is None:
        return _load(ox.Store(), paths)
    folder = store_folder(paths, cache_dir)
    if (folder / ".complete").exists():
        return ox.Store.read_only(str(folder))
    for old in cache_dir.glob("store-*"):
        shutil.rmtree(old, ignore_errors=True)  # one cached store at a time
    folder.mkdir(parents=True, exist_ok=True)
    store = _load(ox.Store(str(folder)), paths)
    # Compacted once, so each lookup reads a few sorted files instead of every bulk-load run:
    # at 3,400 profiles a read-only query on the uncompacted store took 3x the CPU.
    store.optimize()
    store.flush()
    (folder / ".complete").touch()
    return store


def _load(store: ox.Store, paths: Sequence[Path]) -> ox.Store:
    for path in paths:
        if path.suffix in (".nt", ".ttl"):
            fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
            try:
                store.bulk_load(path=str(path), format=fmt)
                continue
            except (SyntaxError, OSError):
                pass  # fall through: read_rdf names the file and line
        from gdp_rdf.graph.rdf_io import read_rdf  # rdflib, only for what Oxigraph cannot read

        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in read_rdf(path))
    return store


def run_embedded(
    store: ox.Store, query: Query, params: dict[str, ox.NamedNode | ox.Literal]
) -> Result:
    """Run a query on the store, parameters bound by a VALUES block (never spliced in).

    A VALUES block, as on every other path, rather than Oxigraph's substitutions: its plan
    starts from the bound terms, where substitutions are applied to a plan made without
    them (at 3,400 profiles indicator-series took 128 ms CPU by substitution, 1.2 ms by
    VALUES; flagged-values 384 and 25).

    Raises:
        QueryError: the query is malformed (the message gives line and column).
    """
    code = lexer.strip(query.text)
    unknown = [name for name in params if not re.search(rf"[?$]{re.escape(name)}\b", code)]
    if unknown:  # a VALUES block would add it as a column, not bind anything
        missing = ", ".join(f"?{name}" for name in unknown)
        raise QueryError(f"cannot bind the parameters: the query has no {missing}", query.name)
    try:
        answer = store.query(with_values(query.text, params))
    except SyntaxError as error:
        raise QueryError(f"malformed query: {error}", query.name) from None
    except OSError as error:
        raise QueryError(f"query failed: {error}", query.name) from None
    if isinstance(answer, ox.QueryBoolean):
        return Result(Kind.ASK, boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        # A solution iterates its values in the order of answer.variables, None when unbound:
        # zipped, the same rows as solution[name] per name at a third of the cost (latest-values
        # at 3,400 profiles, 28,410 rows: about 100 ms CPU instead of 200-290).
        rows = [dict(zip(names, solution, strict=True)) for solution in answer]
        return Result(Kind.SELECT, names, rows)
    return Result(Kind.GRAPH, triples=list(answer))
