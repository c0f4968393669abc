"""/sparql: the SPARQL 1.1 Protocol over the worker pool, and its HTML query page.

GET with ?query=, POST as a form or as application/sparql-query; SELECT and ASK answer in
SPARQL JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE in Turtle, N-Triples, JSON-LD or
RDF/XML, by Accept. Updates are refused whichever way they come (403); the guard refuses
queries that reach other servers before they run.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from gdp_rdf.errors import QueryRefusedError
from gdp_rdf.sparql.results import BOOLEAN_TYPES, RESULT_TYPES
from gdp_rdf.sparql.usage import named_terms, stale_note, unused, usage_probe
from gdp_rdf.vocab import XSD
from gdp_rdf.web import html as pages
from gdp_rdf.web.charts import format_number
from gdp_rdf.web.lru import ByteLRU
from gdp_rdf.web.negotiate import prefer
from gdp_rdf.web.sparql_guard import Policy, check
from gdp_rdf.web.sparql_pool import GRAPH_TYPES, Answer, Job, QueryPool

HTML = "text/html; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
# ?format= for links a browser follows (it cannot set Accept): the download links.
FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


_ANY_ANSWER = (*RESULT_TYPES, *GRAPH_TYPES, "text/html")


def _text(message: str, status: int) -> Response:
    return Response(message.rstrip("\n") + "\n", status, media_type="text/plain")


ANSWER_CACHE_BYTES = 128 << 20


def _updates() -> Response:
    return _text("updates are not accepted here: this endpoint is read-only", 403)


class SparqlEndpoint:
    """The endpoint: reads the request, checks the query, runs it in the pool."""

    def __init__(
        self,
        pool: QueryPool,
        policy: Policy,
        max_results: int,
        queries: Sequence[tuple[str, str, str]],
        label: Callable[[str], str],
        link: Callable[[str], str],
        namespace: str,
    ) -> None:
        self.pool, self.policy, self.max_results = pool, policy, max_results
        self.queries, self.label, self.link = queries, label, link
        self.namespace = namespace  # the vocabulary's, for the note on empty answers
        # The store is read-only: the same query always gets the same answer. Up to 16 MiB an
        # answer is kept (an eighth of the cache): latest-values at 3,400 profiles is 8.2 MB.
        self.answers: ByteLRU[Answer] = ByteLRU(ANSWER_CACHE_BYTES, lambda a: len(a.body))

    async def handle(self, request: Request) -> Response:
        text, graphs, refused = await self._read(request)
        if refused is not None:
            return refused
        accept = FORMATS.get(request.query_params.get("format", "")) or request.headers.get(
            "accept"
        )
        # Data first: a client sending */* (curl, libraries) or no Accept gets a results
        # format; only a client preferring HTML (a browser) gets the page.
        html = prefer(accept, _ANY_ANSWER) == "text/html"
        if not text:
            if html:
                return Response(pages.sparql_form(self.queries, self._example()), media_type=HTML)
            return _text("no query: pass ?query=... (SPARQL 1.1 Protocol)", 400)
        try:
            check(text, self.policy)
        except QueryRefusedError as error:
            if html:
                page = pages.sparql_form(self.queries, text, error=str(error))
                return Response(page, error.status, media_type=HTML)
            return _text(str(error), error.status)
        if html:
            job = Job(text, RESULT_TYPES[0], "text/turtle", graphs, self.max_results)
        else:
            job = Job(
                text,
                prefer(accept, RESULT_TYPES) or RESULT_TYPES[0],
                prefer(accept, tuple(GRAPH_TYPES)) or "text/turtle",
                graphs,
                self.max_results,
                prefer(accept, BOOLEAN_TYPES) or RESULT_TYPES[0],
            )
        answer = await self._answer(job)
        if html:
            return await self._page(text, answer)
        headers = {"Vary": "Accept"}
        if request.query_params.get("format") in FORMATS and answer.status == 200:
            extension = request.query_params["format"].replace("turtle", "ttl")
            headers["Content-Disposition"] = f'attachment; filename="results.{extension}"'
        if answer.status == 503:
            headers["Retry-After"] = "5"
        return Response(answer.body, answer.status, media_type=answer.content_type, headers=headers)

    async def _answer(self, job: Job) -> Answer:
        answer = self.answers.get(job)
        if answer is None:
            answer = await self.pool.run(job)
            if answer.status in (200, 400, 413):  # what the same query will always get
                self.answers.put(job, answer)
        return answer

    async def _unused_note(self, text: str) -> str:
        """Why an empty answer may be no answer (sparql.usage): as a paragraph, or nothing."""
        terms = named_terms(text, self.namespace)
        if not terms:
            return ""
        probe = Job(usage_probe(terms).text, RESULT_TYPES[0], "text/turtle", (), self.max_results)
        answer = await self._answer(probe)
        if answer.status != 200:
            return ""  # a note is no reason to fail a query that was answered
        rows = [
            {"term": ox.NamedNode(b["term"]["value"])}
            for b in json.loads(answer.body)["results"]["bindings"]
        ]
        missing = unused(terms, rows)
        if not missing:
            return ""
        note = stale_note(missing, self.namespace, "the graph this server serves")
        return f'<p class="missing-value">{escape(note)}</p>'

    async def _read(self, request: Request) -> tuple[str | None, tuple[str, ...], Response | None]:
        """The query text and default graphs of a request, or the response refusing it."""
        params = request.query_params
        if "update" in params:
            return None, (), _updates()
        texts = list(params.getlist("query"))
        graphs = list(params.getlist("default-graph-uri"))
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if kind == "application/sparql-update":
                return None, (), _updates()
            if kind == "application/sparql-query":
                texts.append(body.decode("utf-8", "replace"))
            elif kind == FORM:
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
                if "update" in form:
                    return None, (), _updates()
                texts += form.get("query", [])
                graphs += form.get("default-graph-uri", [])
            else:
                message = (
                    f"send the query as application/sparql-query or {FORM}, not {kind or 'nothing'}"
                )
                return None, (), _text(message, 415)
        if len(texts) > 1:  # the protocol's one query per request: which one was meant?
            return None, (), _text(f"{len(texts)} queries in one request: send one", 400)
        text = texts[0] if texts else None
        # an empty one is none: forms (Virtuoso's own query page) send the field blank
        graphs = [graph for graph in graphs if graph]
        for graph in graphs:
            try:
                ox.NamedNode(graph)
            except ValueError:
                return None, (), _text(f"default-graph-uri {graph!r} is not an IRI", 400)
        return text, tuple(graphs), None

    def _example(self) -> str:
        return next((q for name, _, q in self.queries if name == "latest-values"), "")

    async def _page(self, text: str, answer: Answer) -> Response:
        """Results as an HTML table under the query form."""
        if answer.status != 200:
            error = answer.body.decode("utf-8", "replace")
            return Response(
                pages.sparql_form(self.queries, text, error=error), answer.status, media_type=HTML
            )
        query = urllib.parse.quote(text)
        if answer.content_type != RESULT_TYPES[0]:
            shown = escape(answer.body.decode("utf-8", "replace"))
            downloads = _downloads(
                query, ("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD")
            )
            return Response(
                pages.sparql_form(
                    self.queries, text, f"<h2>Result</h2>{downloads}<pre>{shown}</pre>"
                ),
                media_type=HTML,
            )
        document = json.loads(answer.body)
        if "boolean" in document:
            result = f"<h2>Answer</h2><p>{'yes' if document['boolean'] else 'no'}</p>"
            if not document["boolean"]:
                result += await self._unused_note(text)
        else:
            variables = document["head"]["vars"]
            rows = [
                {v: self._cell(b[v]) for v in variables if v in b}
                for b in document["results"]["bindings"]
            ]
            result = pages.results(variables, rows)
            if not rows:
                result += await self._unused_note(text)
            result += _downloads(query, ("csv", "CSV"), ("json", "JSON"), ("tsv", "TSV"))
        return Response(pages.sparql_form(self.queries, text, result), media_type=HTML)

    def _cell(self, term: dict[str, str]) -> tuple[str, str | None]:
        if term["type"] == "uri":
            return self.label(term["value"]), self.link(term["value"])
        if term.get("datatype") in (XSD + "integer", XSD + "decimal"):
            try:
                return format_number(Decimal(term["value"])), None
            except ArithmeticError:
                pass
        return term["value"], None


def _downloads(query: str, *kinds: tuple[str, str]) -> str:
    """Links to the same results as files."""
    links = " · ".join(
        f'<a href="/sparql?query={escape(query)}&amp;format={kind}">{name}</a>'
        for kind, name in kinds
    )
    return f'<p class="formats">Download these results: {links}</p>'
