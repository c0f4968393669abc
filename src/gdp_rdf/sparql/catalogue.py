"""The query catalogue (queries/*.rq) and SPARQL terms for query parameters.

Each catalogue file opens with a comment block:

    # title: Time series of one indicator for one country
    # question: How has one indicator changed over the years in one country?
    # param: country = <https://w3id.org/gdp-rdf/id/country/KAZ> (IRI of a gdp:Country)

A parameter is a variable of the query, bound to an RDF term (never spliced into the
text): its default is the term after "=", overridden with --param NAME=VALUE.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from gdp_rdf.errors import QueryError
from gdp_rdf.resources import queries_dir
from gdp_rdf.sparql import lexer
from gdp_rdf.vocab import DEFAULT_BASE, WIKIDATA_SPARQL, XSD, prefixes, rebase

_HEADER = re.compile(r"^#\s*(?P<key>title|question|param|service)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<term>\S+)\s*(?:\((?P<about>.*)\))?$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LITERAL = re.compile(r'^"(?P<lex>(?:[^"\\]|\\.)*)"(?:\^\^<(?P<dt>[^>]+)>|@(?P<lang>[A-Za-z-]+))?$')


@dataclass(frozen=True, slots=True)
class Param:
    """A query parameter: a variable name, its default term and what it means."""

    name: str
    default: ox.NamedNode | ox.Literal
    about: str


@dataclass(frozen=True, slots=True)
class Query:
    """A SPARQL query, from the catalogue or given by the user."""

    name: str  # catalogue name, file path or "<inline>" / "<stdin>"
    text: str
    title: str = ""
    question: str = ""
    params: tuple[Param, ...] = ()
    services: tuple[str, ...] = ()  # "wikidata" for federated queries

    @property
    def needs_federation(self) -> str | None:
        """Why the query needs a store with full SPARQL 1.1 federation, or None if it does not."""
        return FEDERATION_REASON if self.services else None

    def with_wikidata(self, endpoint: str | None) -> Query:
        """The query with its Wikidata SERVICE pointed at another endpoint (a mirror, a test).

        Raises:
            QueryError: the endpoint is not an http(s) IRI.
        """
        if not endpoint or endpoint == WIKIDATA_SPARQL:
            return self
        try:
            ox.NamedNode(endpoint)
        except ValueError:
            raise QueryError(f"not an endpoint IRI: {endpoint!r}") from None
        if not endpoint.startswith(("http://", "https://")):
            raise QueryError(f"not an http(s) endpoint: {endpoint!r}")
        text = self.text.replace(f"<{WIKIDATA_SPARQL}>", f"<{endpoint}>")
        return Query(self.name, text, self.title, self.question, self.params, self.services)


FEDERATION_REASON = (
    "needs a store with full SPARQL 1.1 federation: its SERVICE clause joins remote rows "
    'inside OPTIONAL groups and subqueries, which Virtuoso 7 refuses (SP031 "Unsupported '
    'combination of subqueries and service invocations") or sends on as invalid SPARQL'
)
_FORM = re.compile(
    r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE (or an update keyword) of a query, comments ignored."""
    match = _FORM.search(lexer.strip(text))
    return match.group(1).upper() if match else ""


def parse_term(
    value: str, hint: ox.NamedNode | ox.Literal | None = None, base: str = DEFAULT_BASE
) -> ox.NamedNode | ox.Literal:
    """An RDF term from command-line text: <iri>, prefix:name, http(s) IRI, "literal"^^<dt>,
    or a bare value typed like the parameter's default (a year stays an xsd:gYear).

    Raises:
        QueryError: the text is not a valid term.
    """
    value = value.strip()
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        if match := _LITERAL.match(value):
            lexical = (
                bytes(match["lex"], "utf-8").decode("unicode_escape")
                if "\\" in match["lex"]
                else match["lex"]
            )
            if match["dt"]:
                return ox.Literal(lexical, datatype=ox.NamedNode(match["dt"]))
            return (
                ox.Literal(lexical, language=match["lang"])
                if match["lang"]
                else ox.Literal(lexical)
            )
        prefix, _, local = value.partition(":")
        known = prefixes(base)
        if prefix in known and local and not local.startswith("//"):
            return ox.NamedNode(known[prefix] + local)
        if value.startswith(("http://", "https://")):
            return ox.NamedNode(value)
    except ValueError as error:
        raise QueryError(f"not a valid RDF term: {value!r} ({error})") from None
    if isinstance(hint, ox.Literal) and hint.datatype.value != XSD + "string":
        return ox.Literal(value, datatype=hint.datatype)
    if isinstance(hint, ox.NamedNode):
        if local and prefix not in known and re.fullmatch(r"[A-Za-z][\w.-]*", prefix):
            raise QueryError(f"unknown prefix {prefix!r} in {value!r}; known: {', '.join(known)}")
        like = max((p for p, ns in known.items() if hint.value.startswith(ns)), key=len, default="")
        suggestion = f"; did you mean {like}:{value}?" if like and ":" not in value else ""
        raise QueryError(
            f"{value!r} is not an IRI: write <...>, prefix:name or an http(s) IRI{suggestion}"
        )
    if re.fullmatch(r"-?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if re.fullmatch(r"-?\d+\.\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(value)


def _read(path: Path, name: str) -> Query:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"cannot read query file: {error}", str(path)) from None
    title = question = ""
    params: list[Param] = []
    services: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header is None:
            if line.strip() and not line.startswith("#"):
                break
            continue
        if header["key"] == "title":
            title = header["value"].strip()
        elif header["key"] == "question":
            question = header["value"].strip()
        elif header["key"] == "service":
            services.append(header["value"].strip())
        else:
            param = _PARAM.match(header["value"].strip())
            if param is None:
                raise QueryError("malformed '# param: NAME = TERM (about)' line", str(path), number)
            default = parse_term(param["term"])
            params.append(Param(param["name"], default, (param["about"] or "").strip()))
    return Query(name, text, title, question, tuple(params), tuple(services))


def catalogue() -> dict[str, Query]:
    """Every query in queries/, by name (file name without .rq)."""
    folder = queries_dir()
    return {path.stem: _read(path, path.stem) for path in sorted(folder.glob("*.rq"))}


def _is_file(spec: str) -> bool:
    """Whether ``spec`` names a file; inline text too long or odd for a path does not."""
    try:
        return Path(spec).is_file()
    except (OSError, ValueError):  # a component over NAME_MAX, a NUL
        return False


def resolve(spec: str, stdin: TextIO | None = None) -> Query:
    """A query from a catalogue name, a .rq path, inline text, or "-" for stdin.

    Raises:
        QueryError: no such catalogue query or file, or an empty query.
    """
    if spec == "-":
        text = (stdin or sys.stdin).read()
        query = Query("<stdin>", text)
    elif _NAME.match(spec):
        known = catalogue()
        if spec not in known:
            raise QueryError(
                f"no catalogue query {spec!r}; `gdp-rdf queries` lists them", spec
            )
        query = known[spec]
    elif spec.endswith(".rq") or _is_file(spec):
        path = Path(spec)
        if not _is_file(spec):
            raise QueryError("no such query file", spec)
        query = _read(path, spec)
    else:
        query = Query("<inline>", spec)
    form = query_form(query.text)
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        what = f"a {form} update" if form else "no SELECT, ASK, CONSTRUCT or DESCRIBE"
        raise QueryError(f"not a SPARQL query ({what}); updates are not run", query.name)
    return query


def bindings(
    query: Query, values: dict[str, str], base: str = DEFAULT_BASE
) -> dict[str, ox.NamedNode | ox.Literal]:
    """The query's parameters bound to terms: defaults, overridden by ``values``.

    Raises:
        QueryError: a value names no parameter of a catalogue query, or is not a term.
    """
    declared = {p.name: p for p in query.params}
    if query.params or query.name in catalogue():  # a catalogue query says what it takes
        unknown = sorted(set(values) - set(declared))
        if unknown:
            takes = ", ".join(sorted(declared)) if declared else "no parameters"
            raise QueryError(
                f"unknown parameter(s) {', '.join(unknown)}; this query takes {takes}",
                query.name,
            )
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, param in declared.items():
        bound[name] = _rebased(param.default, base)
    for name, value in values.items():
        hint = declared[name].default if name in declared else None
        term = parse_term(value, hint, base)
        if hint is not None and isinstance(term, ox.NamedNode) != isinstance(hint, ox.NamedNode):
            # a literal where the query matches an IRI (or the reverse) can only find nothing
            kind = "an IRI" if isinstance(hint, ox.NamedNode) else "a literal"
            raise QueryError(f"{name} takes {kind}, like its default {hint}; not {value!r}")
        bound[name] = _rebased(term, base)
    return bound


def _rebased(term: ox.NamedNode | ox.Literal, base: str) -> ox.NamedNode | ox.Literal:
    if isinstance(term, ox.NamedNode) and base != DEFAULT_BASE:
        return ox.NamedNode(rebase(term.value, base))
    return term


def with_values(text: str, params: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with a VALUES block binding the parameters at the start of its WHERE group.

    At the start, because every store joins it there: a trailing VALUES block is joined after
    the WHERE group, which Virtuoso gets wrong when the group has a BIND (rows not joined, or
    a plan it refuses to run). Each value is an RDF term written in SPARQL syntax by Oxigraph
    (IRIs checked, literals escaped), so no user text reaches the query as text. A query
    without a WHERE group (DESCRIBE <iri>) gets the trailing block.
    """
    if not params:
        return text
    names = " ".join(f"?{name}" for name in params)
    terms = " ".join(str(term) for term in params.values())
    block = f"VALUES ({names}) {{ ({terms}) }}"
    at = lexer.group_start(text, construct=query_form(text) == "CONSTRUCT")
    if at is None:
        return f"{text.rstrip()}\n{block}\n"
    return f"{text[:at]} {block}{text[at:]}"
