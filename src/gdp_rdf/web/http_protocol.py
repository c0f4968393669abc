"""The HTTP/1.1 parser the server runs: uvicorn's httptools protocol, with bounded request heads.

httptools (llhttp, in C) costs a fraction of h11's pure-Python parsing per request, which is
most of what a small /sparql query costs the server. But it bounds nothing by itself: its URL
parser stops at 65,535 bytes with a bare 400, and it would buffer a header of any size. So a
URL over that many bytes gets a 414 saying to POST the query, and a request head (request
line and headers) over ``head_limit`` bytes a 431, as soon as the parser has read that far.
Both go to the access log, if there is one, and not to the server log as invalid requests.
"""

from __future__ import annotations

import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gdp_rdf.web.access_log import AccessLog

URL_LIMIT = 65_535  # httptools.parse_url's own limit (16-bit offsets)


class _HeadTooLargeError(Exception):
    """Raised inside a parser callback: httptools turns it into an HttpParserError, which
    uvicorn answers through send_400_response (overridden below)."""


class _QuietOnRefusal(logging.Logger):
    """uvicorn's logger (as its child, so its handlers and level apply), minus the "Invalid
    HTTP request received." it warns of for a request this protocol refused on purpose: the
    refusal is answered and logged as what it is."""

    def __init__(self, protocol: BoundedHttpToolsProtocol, parent: logging.Logger) -> None:
        super().__init__(parent.name + ".refusals")
        self.parent, self.protocol = parent, protocol

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        if self.protocol._refusal is None:
            super().warning(msg, *args, **kwargs)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol refusing long URLs (414) and large heads (431) with a clear line."""

    head_limit = 64 << 10  # set per server by `bounded_protocol`
    refusal_log: AccessLog | None = None  # likewise (uvicorn has its own access_log flag)
    _refusal: tuple[bytes, str] | None = None
    _head_bytes = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logger = _QuietOnRefusal(self, self.logger)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._refusal, self._head_bytes = None, 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > URL_LIMIT:
            message = f"URL longer than {URL_LIMIT} bytes: POST the query instead\n"
            self._refusal = (b"414 URI Too Long", message)
            raise _HeadTooLargeError
        self._count(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > self.head_limit:
            message = f"request head larger than {self.head_limit} bytes\n"
            self._refusal = (b"431 Request Header Fields Too Large", message)
            raise _HeadTooLargeError

    def send_400_response(self, msg: str) -> None:
        if self._refusal is None:
            super().send_400_response(msg)
            return
        status, message = self._refusal
        body = message.encode("ascii")
        head = [b"HTTP/1.1 " + status + b"\r\n"]
        head += [
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        ]
        head += [
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
        if self.refusal_log is not None:
            self.refusal_log.write(self._refused_scope(), int(status[:3]), len(body))

    def _refused_scope(self) -> dict[str, Any]:
        """What the access log reads of a request, from as much of it as was parsed."""
        return {
            "client": self.client,
            "method": self.parser.get_method().decode("ascii", "replace"),  # read before the URL
            "raw_path": self.url,
            # not read yet when the URL is refused: logged as "HTTP/-", not guessed
            "http_version": version if (version := self.parser.get_http_version()) != "0.0" else "-",
            "headers": self.headers,
        }


def bounded_protocol(
    head_limit: int, access_log: AccessLog | None = None
) -> type[BoundedHttpToolsProtocol]:
    """The protocol class for one server, its request heads bounded to ``head_limit`` bytes,
    its refusals written to ``access_log``."""
    fields = {"head_limit": head_limit, "refusal_log": access_log}
    return type("BoundedHttpTools", (BoundedHttpToolsProtocol,), fields)
