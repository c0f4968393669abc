"""A real Oxigraph server (the `oxigraph` binary from PyPI) on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path


def binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is not installed: pip install oxigraph")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    process: subprocess.Popen[bytes], url: str, name: str, seconds: float, stop: Callable[[], None]
) -> None:
    """Poll ``url`` until it answers; stop the server and raise if it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    stop()
    raise RuntimeError(f"{name} did not start within {seconds:g} s")


class OxigraphServer:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT`, started and stopped by tests."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location = location
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def start(self) -> OxigraphServer:
        self.process = subprocess.Popen(
            [
                binary(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.process, f"{self.query_url}?query=ASK%7B%7D", "oxigraph", 30, self.stop)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def add(self, data: bytes, content_type: str, timeout: float = 30) -> None:
        """POST RDF into the server's default graph (the Graph Store Protocol)."""
        request = urllib.request.Request(
            f"{self.base}/store?default",
            data=data,
            headers={"Content-Type": content_type},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=timeout).close()

    def restart(self) -> OxigraphServer:
        self.stop()
        return self.start()


WIKIDATA_FIXTURE = Path(__file__).parent / "data" / "wikidata-fixture.ttl"


def wikidata_server(folder: Path) -> OxigraphServer:
    """An Oxigraph server on loopback holding the Wikidata-shaped fixture, the stand-in for
    query.wikidata.org (tests and benchmarks alike)."""
    server = OxigraphServer(folder).start()
    server.add(WIKIDATA_FIXTURE.read_bytes(), "text/turtle")
    return server
