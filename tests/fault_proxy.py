"""An HTTP proxy in front of a real endpoint that injects faults: 429 and 500 answers.

The endpoint behind it is the real Oxigraph server; the proxy only decides, per request,
whether to answer with a fault first (Oxigraph itself never sends 429, and reports query
failures inside a 200 stream).
"""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Self


class FaultProxy:
    """``fault(n)`` returns (status, headers, body) for the n-th request, or None to forward."""

    def __init__(
        self, upstream: str, fault: Callable[[int], tuple[int, dict[str, str], bytes] | None]
    ) -> None:
        self.upstream = upstream
        self.fault = fault
        self.requests = 0
        self.seen_headers: list[dict[str, str]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self._handle()

            def do_GET(self) -> None:
                self._handle()

            def _handle(self) -> None:
                proxy.requests += 1
                proxy.seen_headers.append(dict(self.headers))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                injected = proxy.fault(proxy.requests)
                if injected is not None:
                    status, headers, payload = injected
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                forward = urllib.request.Request(
                    proxy.upstream + self.path,
                    data=body,
                    method=self.command,
                    headers={
                        k: v
                        for k, v in self.headers.items()
                        if k.lower() not in ("host", "content-length")
                    },
                )
                try:
                    with urllib.request.urlopen(forward, timeout=30) as answer:
                        status, headers, payload = (
                            answer.status,
                            dict(answer.headers),
                            answer.read(),
                        )
                except urllib.error.HTTPError as error:
                    status, headers, payload = error.code, dict(error.headers), error.read()
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
