"""An access log in the Combined Log Format (Apache/nginx), one line per request.

    127.0.0.1 - - [01/Dec/2026:18:10:00 +0000] "GET /sparql?query=... HTTP/1.1" 200 512 "-" "curl/8.5"

Written by a small ASGI middleware, so it sees the status and the bytes actually sent; a
request refused before it reaches the app (a 414 or 431 from the HTTP parser) is written by
the protocol through the same `AccessLog.write`.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if value else '"-"'


_LOCK = threading.Lock()  # one for every writer of the process: they share a stream
LONGEST_TARGET = 2048  # a refused URL of megabytes is logged cut here, marked "..."


class AccessLog:
    """Log each HTTP request to ``stream`` (flushed per line, safe across threads)."""

    def __init__(self, app: ASGIApp | None, stream: TextIO | None = None) -> None:
        self.app = app
        self.stream = stream or sys.stderr

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None  # None only for the protocol's writer of refusals
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status, size = 500, 0

        async def counted(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            self.write(scope, status, size)

    def write(self, scope: Scope, status: int, size: int) -> None:
        headers = dict(scope.get("headers") or [])
        client = scope.get("client") or ("-", 0)
        target = scope.get("raw_path", b"").decode("latin-1") or scope.get("path", "")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        if len(target) > LONGEST_TARGET:
            target = target[:LONGEST_TARGET] + "..."
        request = f"{scope.get('method', '-')} {target} HTTP/{scope.get('http_version', '1.1')}"
        when = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
        line = (
            f"{client[0]} - - [{when}] {_quoted(request)} {status} {size or '-'} "
            f"{_quoted(headers.get(b'referer', b'').decode('latin-1'))} "
            f"{_quoted(headers.get(b'user-agent', b'').decode('latin-1'))}\n"
        )
        with _LOCK:
            self.stream.write(line)
            self.stream.flush()


def open_log(target: str) -> TextIO:
    """'-' is stderr; anything else a file, appended to.

    Raises:
        OSError: the file cannot be opened.
    """
    if target == "-":
        return sys.stderr
    return open(target, "a", encoding="utf-8", buffering=1)
