"""The public endpoint's defaults, against a running `gdp-rdf serve`: each attack is refused
with the right status, and the server still answers afterwards."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from live_server import LiveServer

pytestmark = pytest.mark.server

SECRET = '<http://example.org/secret> <http://example.org/is> "leaked" .'
JSON_RESULTS = "application/sparql-results+json"


def sparql(live: LiveServer, query: str, timeout: float = 30) -> tuple[int, bytes]:
    return live.get("/sparql?" + urllib.parse.urlencode({"query": query}), JSON_RESULTS, timeout)


def post(live: LiveServer, body: bytes | Iterator[bytes], content_type: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=60)
    try:
        headers = {"Content-Type": content_type, "Accept": JSON_RESULTS}
        encode_chunked = not isinstance(body, bytes)
        connection.request(
            "POST", "/sparql", body=body, headers=headers, encode_chunked=encode_chunked
        )
        response = connection.getresponse()
        return response.status, response.read()
    except (BrokenPipeError, ConnectionResetError):
        return 0, b""  # the server closed the connection on a refused upload
    finally:
        connection.close()


def assert_still_answering(live: LiveServer) -> None:
    status, _ = live.get("/", "text/html")
    assert status == 200
    status, body = sparql(live, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 1000


def count_secret(live: LiveServer) -> int:
    status, body = sparql(live, "ASK { <http://example.org/secret> ?p ?o }")
    assert status == 200
    return int(json.loads(body)["boolean"])


@pytest.mark.parametrize(
    "how",
    ["query-parameter", "update-parameter", "form", "sparql-update-body", "delete"],
)
def test_updates_are_refused(live: LiveServer, how: str) -> None:
    insert = f"INSERT DATA {{ {SECRET} }}"
    if how == "query-parameter":
        status, body = sparql(live, insert)
    elif how == "update-parameter":
        status, body = live.get("/sparql?" + urllib.parse.urlencode({"update": insert}))
    elif how == "form":
        form = urllib.parse.urlencode({"update": insert}).encode()
        status, body = post(live, form, "application/x-www-form-urlencoded")
    elif how == "sparql-update-body":
        status, body = post(live, insert.encode(), "application/sparql-update")
    else:
        status, body = sparql(live, "DELETE WHERE { ?s ?p ?o }")
    assert status == 403, body
    assert b"not accepted" in body
    assert count_secret(live) == 0
    assert_still_answering(live)


def test_service_to_another_host_is_refused(live: LiveServer, fresh_oxigraph) -> None:  # type: ignore[no-untyped-def]
    """A real second SPARQL server on loopback holds a secret; the endpoint must not reach it."""
    fresh_oxigraph.add(SECRET.encode(), "application/n-triples", timeout=10)
    for endpoint in (fresh_oxigraph.query_url, "http://example.org/sparql", "?anywhere"):
        target = endpoint if endpoint.startswith("?") else f"<{endpoint}>"
        status, body = sparql(live, f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}")
        assert status == 403, body
        assert b"leaked" not in body and b"not allowed" in body
    # Wikidata too, unless the server was started with --allow-wikidata
    status, _ = sparql(
        live, "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    )
    assert status == 403
    assert_still_answering(live)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o } LIMIT 1",
        "SELECT * FROM NAMED <http://169.254.169.254/latest/meta-data> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM <http://[::1/> WHERE { ?s ?p ?o }",  # no host can be read: none allowed
    ],
)
def test_from_other_hosts_is_refused(live: LiveServer, query: str) -> None:
    status, body = sparql(live, query)
    assert status == 403 and b"FROM" in body
    assert_still_answering(live)


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^12 rows


def test_queries_past_the_time_limit_are_stopped(live: LiveServer) -> None:
    started = time.monotonic()
    status, body = sparql(live, HEAVY)
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit" in body
    assert elapsed < 3 + 5  # the limit is 3 s; the worker is killed, not waited for
    # as many heavy queries as there are workers, at once: all stopped, then all is well
    with ThreadPoolExecutor(4) as pool:
        statuses = [s for s, _ in pool.map(lambda _: sparql(live, HEAVY), range(4))]
    assert statuses == [503] * 4
    assert_still_answering(live)


def test_results_over_the_cap_are_refused(live: LiveServer) -> None:
    status, body = sparql(live, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and b"LIMIT" in body
    status, _ = sparql(live, "SELECT * WHERE { ?s ?p ?o } LIMIT 100")
    assert status == 200
    assert_still_answering(live)


def test_a_10_mb_request_is_refused(live: LiveServer) -> None:
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (10 << 20)
    status, _ = post(live, big, "application/sparql-query")
    assert status in (413, 0)  # 413, or the connection closed while still uploading
    # streamed without a Content-Length: counted as it arrives
    chunks = (b"x" * (1 << 20) for _ in range(10))
    status, _ = post(live, chunks, "application/sparql-query")
    assert status in (413, 0)
    # in the URL: over 64 KiB (httptools' URL parser's limit) 414, as soon as it is read
    assert raw_get(live, "/sparql?query=" + "x" * (3 << 19)) == 414
    assert raw_get(live, "/sparql?query=" + "x" * (10 << 20)) in (414, 0)
    assert_still_answering(live)


def raw_get(live: LiveServer, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=60)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        return 0
    finally:
        connection.close()


def _raw_head(live: LiveServer, head: bytes) -> bytes:
    """What the server answers to a request head sent as is (the connection then closes)."""
    with socket.create_connection(("127.0.0.1", live.port), timeout=30) as connection:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(head)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_long_urls_and_large_heads_get_a_clear_refusal(live: LiveServer) -> None:
    """httptools' URL parser stops at 65,535 bytes and it bounds no header: a URL over that
    gets 414 and a head over 128 KiB 431, each with one line saying what to do, and a URL
    just under the limit is answered as usual."""
    query = "ASK { ?s ?p ?o } #"
    under = (
        "/sparql?query="
        + urllib.parse.quote(query)
        + "x" * (65_535 - 14 - len(urllib.parse.quote(query)))
    )
    assert len(under) == 65_535
    assert raw_get(live, under) == 200
    answer = _raw_head(live, f"GET {under}x HTTP/1.1\r\nHost: a\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 414 ")
    assert answer.endswith(b"\r\n\r\nURL longer than 65535 bytes: POST the query instead\n")
    headers = "".join(f"X-Filler-{i}: {'y' * 1000}\r\n" for i in range(140))
    answer = _raw_head(live, f"GET / HTTP/1.1\r\nHost: a\r\n{headers}\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert answer.endswith(b"\r\n\r\nrequest head larger than 131072 bytes\n")
    assert_still_answering(live)


def test_413_is_the_answer_when_the_client_waits_for_it(live: LiveServer) -> None:
    """A declared oversize body is answered 413 before a byte of it is read."""
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", str(10 << 20))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    connection.close()
    assert_still_answering(live)
