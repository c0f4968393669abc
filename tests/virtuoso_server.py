"""A throw-away OpenLink Virtuoso (Debian's `virtuoso-t`) on free loopback ports, for tests.

The system `virtuoso.ini` is copied into a temporary folder and rewritten so the database,
logs and lock live there and the SQL and HTTP listeners are on 127.0.0.1; `virtuoso-t -f`
runs in the foreground as a child process, a test user with the SPARQL_UPDATE role is made
through `isql-vt`, and `stop()` ends that process by its PID and removes the folder.
`/sparql-auth` and `/sparql-graph-crud-auth` challenge with HTTP Digest (realm "SPARQL").
Checked with Virtuoso Open Source 7.2.5 (Debian bookworm).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from oxigraph_server import free_port

INI_TEMPLATES = (
    "/etc/virtuoso-opensource-7/virtuoso.ini",
    "/usr/share/virtuoso-opensource-7/virtuoso.ini",
)
# virtuoso-t logs this and exits when a port is taken between free_port() and its bind
_PORT_CLASH = ("Failed HTTP listen", "Failed to start listening", "ddress already in use")
_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_]+)(\s*=\s*)([^;\r\n]*?)(\s*(?:;.*)?)$")
# ini keys naming a database file, moved into the temporary folder
_FILES = {
    ("Database", "DatabaseFile"): "virtuoso.db",
    ("Database", "ErrorLogFile"): "virtuoso.log",
    ("Database", "LockFile"): "virtuoso.lck",
    ("Database", "TransactionFile"): "virtuoso.trx",
    ("Database", "xa_persistent_file"): "virtuoso.pxa",
    ("TempDatabase", "DatabaseFile"): "virtuoso-temp.db",
    ("TempDatabase", "TransactionFile"): "virtuoso-temp.trx",
}


class VirtuosoStartError(RuntimeError):
    """The server did not come up; the message carries the tail of its log."""


def available() -> bool:
    """True when virtuoso-t, isql-vt and a template virtuoso.ini are installed."""
    return (
        shutil.which("virtuoso-t") is not None
        and shutil.which("isql-vt") is not None
        and any(Path(p).is_file() for p in INI_TEMPLATES)
    )


def rewrite_ini(text: str, settings: Mapping[str, Mapping[str, str]]) -> str:
    """The ini text with ``settings[section][key]`` set, line by line.

    Virtuoso's stock ini has duplicate keys and "; comments" after values, which
    configparser does not round-trip; so every occurrence of a key is replaced in place and
    missing keys are appended to their section (missing sections to the file).
    """
    wanted = {s.lower(): {k.lower(): (k, v) for k, v in kv.items()} for s, kv in settings.items()}
    done: dict[str, set[str]] = {s: set() for s in wanted}
    out: list[str] = []
    current: str | None = None

    def add_missing(section: str | None) -> None:
        if section in wanted:
            for low, (key, value) in wanted[section].items():
                if low not in done[section]:
                    out.append(f"{key} = {value}")
                    done[section].add(low)

    for line in text.splitlines():
        if header := _SECTION.match(line):
            trailing: list[str] = []
            while out and not out[-1].strip():
                trailing.append(out.pop())
            add_missing(current)
            out.extend(trailing)
            current = header.group(1).strip().lower()
            done.setdefault(current, set())
            out.append(line)
            continue
        match = (
            _KEY.match(line) if current in wanted and not line.lstrip().startswith(";") else None
        )
        if match and current is not None and match.group(2).lower() in wanted[current]:
            low = match.group(2).lower()
            value = wanted[current][low][1]
            out.append(f"{match.group(1)}{match.group(2)}{match.group(3)}{value}{match.group(5)}")
            done[current].add(low)
            continue
        out.append(line)
    add_missing(current)
    for section, kv in settings.items():
        if not done[section.lower()] and kv:
            out += ["", f"[{section}]"] + [f"{k} = {v}" for k, v in kv.items()]
    return "\n".join(out) + "\n"


def _ini_value(text: str, section: str, key: str) -> str | None:
    current: str | None = None
    for line in text.splitlines():
        if header := _SECTION.match(line):
            current = header.group(1).strip().lower()
        elif current == section.lower() and not line.lstrip().startswith(";"):
            match = _KEY.match(line)
            if match and match.group(2).lower() == key.lower():
                return match.group(4).strip()
    return None


class VirtuosoServer:
    """A private Virtuoso on 127.0.0.1 with a user that may update; start() and stop()."""

    def __init__(
        self,
        max_rows: int = 10_000,
        user: str = "gdptest",
        password: str = "secret",
        startup_seconds: float = 120.0,
    ) -> None:
        self.max_rows = max_rows
        self.user = user
        self.password = password
        self.startup_seconds = startup_seconds
        self.http_port = 0
        self.sql_port = 0
        self.workdir: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """Anonymous, read-only SPARQL endpoint."""
        return f"{self.base}/sparql"

    @property
    def sparql_auth_url(self) -> str:
        """Digest-authenticated SPARQL query and update endpoint."""
        return f"{self.base}/sparql-auth"

    def start(self) -> VirtuosoServer:
        for attempt in range(3):
            try:
                self._start_once()
                return self
            except VirtuosoStartError as error:
                self.stop()
                if attempt == 2 or not any(m in str(error) for m in _PORT_CLASH):
                    raise
        return self

    def _write_ini(self, workdir: Path) -> Path:
        template_path = next(p for p in INI_TEMPLATES if Path(p).is_file())
        template = Path(template_path).read_text(encoding="utf-8", errors="replace")
        settings: dict[str, dict[str, str]] = {}
        for (section, key), default in _FILES.items():
            current = _ini_value(template, section, key)
            name = os.path.basename(current) if current else default
            settings.setdefault(section, {})[key] = str(workdir / name)
        allowed = _ini_value(template, "Parameters", "DirsAllowed") or "."
        settings["Parameters"] = {
            "ServerPort": f"127.0.0.1:{self.sql_port}",
            "DirsAllowed": f"{allowed}, {workdir}",
        }
        settings["HTTPServer"] = {"ServerPort": f"127.0.0.1:{self.http_port}"}
        settings["URIQA"] = {"DefaultHost": f"127.0.0.1:{self.http_port}"}
        settings["SPARQL"] = {"ResultSetMaxRows": str(self.max_rows)}
        ini = workdir / "virtuoso.ini"
        ini.write_text(rewrite_ini(template, settings), encoding="utf-8")
        return ini

    def _start_once(self) -> None:
        self.http_port, self.sql_port = free_port(), free_port()
        while self.sql_port == self.http_port:
            self.sql_port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="gdp-virtuoso-"))
        ini = self._write_ini(self.workdir)
        with open(self.workdir / "virtuoso-t.out", "wb") as out:
            self.process = subprocess.Popen(
                ["virtuoso-t", "-f", "+configfile", str(ini)],
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_up(time.monotonic() + self.startup_seconds)
        user, password = _sql_string(self.user), _sql_string(self.password)
        # SPARQL_UPDATE covers /sparql-auth updates and every Graph Store verb while no
        # graph-level security is set; 15 = read + write + sponge + list on every graph.
        self.isql(
            f'DB.DBA.USER_CREATE({user}, {password}); GRANT SPARQL_UPDATE TO "{self.user}"; '
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET({user}, 15);"
        )

    def _wait_until_up(self, deadline: float) -> None:
        probe = self.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        http_up = False
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise VirtuosoStartError(
                    f"virtuoso-t exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if not http_up:
                    with urllib.request.urlopen(probe, timeout=2) as answer:
                        http_up = answer.status == 200
                if http_up:
                    self.isql("select 1;", timeout=10)
                    return
            except (urllib.error.URLError, OSError, RuntimeError, subprocess.TimeoutExpired):
                pass
            time.sleep(0.2)
        raise VirtuosoStartError(
            f"virtuoso-t did not answer within {self.startup_seconds:g} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM to the server's PID (SIGKILL after 15 s), then remove its folder."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.process = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def log_tail(self, lines: int = 30) -> str:
        path = self.workdir / "virtuoso-t.out" if self.workdir else None
        if path is None or not path.is_file():
            return "(no log)"
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(t for t in text if "Checkpoint" not in t)[-4000:][-lines * 120 :]

    def isql(self, sql: str, timeout: float = 120.0) -> str:
        """Run SQL as dba through isql-vt (which exits 0 on SQL errors, so its output is read).

        Raises:
            RuntimeError: isql-vt reported an error.
        """
        command = [
            "isql-vt",
            f"127.0.0.1:{self.sql_port}",
            "dba",
            "dba",  # a new database always starts with dba/dba
            "VERBOSE=OFF",
            "BANNER=OFF",
            "PROMPT=OFF",
            "ECHO=OFF",
            f"exec={sql}",
        ]
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
        out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql-vt failed for {sql!r}: {out.strip()}")
        return out


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
