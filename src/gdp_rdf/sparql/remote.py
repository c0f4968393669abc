"""SPARQL on a remote endpoint through SPARQLWrapper -> results, with one-line errors.

A polite client: a descriptive User-Agent, a timeout, one request at a time, and on HTTP 429
it waits as long as ``Retry-After`` says (bounded) before a bounded number of retries.
Parameters are bound with a trailing VALUES block built from RDF terms, never by splicing
user text into the query.
"""

from __future__ import annotations

import ast
import contextlib
import email.utils
import json
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper import __version__ as sparqlwrapper_version
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from gdp_rdf import __version__
from gdp_rdf.errors import EndpointError, QueryError
from gdp_rdf.sparql.catalogue import Query, query_form, with_values
from gdp_rdf.sparql.results import Kind, Result, Term

USER_AGENT = (
    f"gdp-rdf/{__version__} (https://w3id.org/gdp-rdf/; linked-data publisher for Global "
    f"Detention Project profiles) SPARQLWrapper/{sparqlwrapper_version}"
)
MAX_RETRY_AFTER = 120.0  # seconds; a server asking for longer gets an error instead


@dataclass(frozen=True)
class Client:
    """How to talk to an endpoint."""

    timeout: float = 60.0
    retries: int = 3  # extra attempts after HTTP 429
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep


DEFAULT_CLIENT = Client()


def _server_message(error: BaseException) -> str:
    """The body an endpoint sent with an error, on one line."""
    raw: object = b""
    if isinstance(error, urllib.error.HTTPError):
        with contextlib.suppress(OSError):
            raw = error.read()
    else:  # SPARQLWrapper keeps the body only inside its message, as a bytes repr
        _, found, body = str(error).partition("Response:\n")
        if found:
            try:
                raw = ast.literal_eval(body.strip())
            except (ValueError, SyntaxError):
                raw = body
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    return " ".join(text.split())[:300] or "no message"


def _retry_after(error: urllib.error.HTTPError) -> float:
    value = error.headers.get("Retry-After", "") if error.headers else ""
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, when.timestamp() - time.time())


def _term(binding: dict[str, str]) -> Term:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


def run_remote(
    endpoint: str,
    query: Query,
    params: dict[str, ox.NamedNode | ox.Literal],
    default_graph: str | None = None,
    client: Client = DEFAULT_CLIENT,
) -> Result:
    """Run a query on a SPARQL 1.1 endpoint.

    Raises:
        QueryError: the endpoint rejected the query as malformed (its message says where).
        EndpointError: unreachable, timed out, HTTP error, or still rate-limited after retries.
    """
    sparql = SPARQLWrapper(endpoint, agent=client.user_agent)
    sparql.setQuery(with_values(query.text, params))
    sparql.setMethod(POST)
    sparql.setTimeout(int(max(1, client.timeout)))
    if default_graph:
        sparql.addDefaultGraph(default_graph)
    # SPARQLWrapper guesses the form with a regex that comments can fool ("copy" -> COPY).
    kind = query_form(query.text) or "SELECT"
    sparql.queryType = kind
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    sparql.setReturnFormat(TURTLE if graph else JSON)
    for attempt in range(client.retries + 1):
        try:
            response = sparql.query().response
            body = response.read()
            break
        except urllib.error.HTTPError as error:
            if error.code == 429 and attempt < client.retries:
                wait = _retry_after(error)
                if wait > MAX_RETRY_AFTER:
                    raise EndpointError(
                        f"rate limited (HTTP 429) and asked to wait {wait:.0f} s; try again later",
                        endpoint,
                    ) from None
                client.sleep(wait)
                continue
            if error.code == 429:
                raise EndpointError(
                    f"still rate limited (HTTP 429) after {client.retries + 1} attempts; try again later",
                    endpoint,
                ) from None
            raise EndpointError(f"HTTP {error.code}: {_server_message(error)}", endpoint) from None
        except QueryBadFormed as error:
            raise QueryError(
                f"endpoint rejected the query: {_server_message(error)}", query.name
            ) from None
        except EndPointInternalError as error:
            raise EndpointError(
                f"HTTP 500 (server error): {_server_message(error)}", endpoint
            ) from None
        except EndPointNotFound as error:
            raise EndpointError(
                f"HTTP 404 (no endpoint here): {_server_message(error)}", endpoint
            ) from None
        except Unauthorized as error:
            raise EndpointError(
                f"HTTP 401 (credentials needed): {_server_message(error)}", endpoint
            ) from None
        except URITooLong as error:
            raise EndpointError(
                f"HTTP 414 (request too long): {_server_message(error)}", endpoint
            ) from None
        except SPARQLWrapperException as error:
            raise EndpointError(f"endpoint error: {_server_message(error)}", endpoint) from None
        except TimeoutError:
            raise EndpointError(f"no answer within {client.timeout:.0f} s", endpoint) from None
        except urllib.error.URLError as error:
            reason = getattr(error, "reason", error)
            raise EndpointError(f"cannot reach the endpoint: {reason}", endpoint) from None
        except (OSError, ValueError) as error:
            raise EndpointError(f"cannot reach the endpoint: {error}", endpoint) from None
    if graph:
        try:
            triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)]
        except SyntaxError as error:
            raise EndpointError(f"answered with invalid Turtle: {error}", endpoint) from None
        return Result(Kind.GRAPH, triples=triples)
    try:
        document = json.loads(body)
    except ValueError:
        # Oxigraph, for one, streams a 200 and appends its error text when evaluation fails.
        tail = " ".join(body[-200:].decode("utf-8", "replace").split())
        raise EndpointError(
            f"the answer broke off (not SPARQL JSON): ...{tail}", endpoint
        ) from None
    if "boolean" in document:
        return Result(Kind.ASK, boolean=bool(document["boolean"]))
    names = list(document.get("head", {}).get("vars", []))
    rows = [
        {name: _term(binding[name]) if name in binding else None for name in names}
        for binding in document.get("results", {}).get("bindings", [])
    ]
    return Result(Kind.SELECT, names, rows)
