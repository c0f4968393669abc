"""`gdp-rdf serve` as a real process (uvicorn) on a free loopback port, for tests that need
sockets: security limits, a real browser, load."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from oxigraph_server import free_port, wait_until_up


class LiveServer:
    def __init__(self, data: Path, cache: Path, *options: str) -> None:
        self.data, self.cache, self.options = data, cache, options
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = cache / "serve.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gdp_rdf", "serve", "--data", str(self.data)]
        command += ["--port", str(self.port), "--cache", str(self.cache), *self.options]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(self.process, f"{self.base}/", "gdp-rdf serve", 60, self.stop)
        except RuntimeError as error:
            raise RuntimeError(f"{error}: {self.log.read_text()}") from None
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def get(self, path: str, accept: str = "*/*", timeout: float = 30) -> tuple[int, bytes]:
        """Status and body of a GET (redirects followed), without raising on 4xx/5xx."""
        request = urllib.request.Request(self.base + path, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
