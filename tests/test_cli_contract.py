"""Issue 11: one exit-code contract for every command (0 success, 1 bad input or a failed
check with one line on stderr, 2 usage error, 130 on Ctrl-C, a quiet 0 on a closed pipe),
consistent options, and each command importing only what it uses (issue 16 item 4)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROFILES, ROOT
from oxigraph_server import free_port

from gdp_rdf.cli import cli
from gdp_rdf.cli.app import COMMANDS

KAZ = str(PROFILES / "kazakhstan.txt")
BUILD = "{build}"  # replaced by the session's build folder
NOWHERE = "http://127.0.0.1:9/sparql"  # the discard port: nothing answers there
LONG = "n" * 300  # longer than a file name may be (NAME_MAX is 255 bytes)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gdp_rdf", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


# (command line, exit code): every command, each outcome it can have without a network
CONTRACT = [
    (["--help"], 0),
    (["-h"], 0),
    (["--version"], 0),
    (["no-such-command"], 2),
    (["facts", KAZ, "--format", "csv"], 0),
    (["facts", "missing.txt"], 1),
    (["facts"], 2),
    (["facts", KAZ, "--format", "xml"], 2),
    (["build", KAZ, "--out", "{tmp}/out"], 0),
    (["build", "missing.txt", "--out", "{tmp}/out"], 1),
    (["build", KAZ, "--out", str(ROOT)], 1),
    (["build", KAZ, "--base-iri", "ftp://x/"], 2),
    (["build", KAZ, "--license", "notaniri"], 2),
    (["build", KAZ, "--issued", "2024-13-01"], 2),
    (["build", KAZ, "--out", "{tmp}/out", "--release", "../x"], 2),
    (["validate", f"{BUILD}/gdp.ttl"], 0),
    (["validate", f"{BUILD}/context.jsonld"], 1),
    (["validate", BUILD], 1),
    (["validate"], 2),
    (["validate", f"{BUILD}/gdp.ttl", "--base-iri", "not an iri"], 2),
    (["queries"], 0),
    (["queries", "extra"], 2),
    (["query", "latest-values", "--data", BUILD, "--format", "csv"], 0),
    (["query", "ASK { ?s ?p <urn:nothing> }", "--data", BUILD], 1),  # ASK false
    (["query", "no-such-query", "--data", BUILD], 1),
    (["query", "latest-values", "--endpoint", NOWHERE, "--timeout", "5"], 1),
    (["query", "indicator-series", "--data", BUILD, "--param", "indicator=<bad"], 2),
    (["query", "indicator-series", "--data", BUILD, "--param", "nonsense"], 2),
    (["query", "latest-values", "--data", BUILD, "--param", "country=KAZ"], 2),  # takes none
    (["query", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--data", BUILD, "--param", "x=1"], 1),
    (["query", "latest-values", "--endpoint", "not-a-url"], 2),
    (["query", "latest-values", "--endpoint", "http://[::1/sparql"], 2),  # urlsplit raises
    (["query", "latest-values", "--endpoint", "http://127.0.0.1:99999/sparql"], 2),
    (["publish", "--endpoint", "http://user:secret@127.0.0.1:9/sparql", "--data", BUILD], 2),
    (["query", "latest-values", "--data", BUILD, "--graph", "http://example.org/g"], 2),
    (["query", "latest-values", "--data", BUILD, "--timeout", "-1"], 2),
    (["query", "latest-values", "--data", "{tmp}/missing"], 2),
    (["publish", "--endpoint", NOWHERE, "--data", BUILD, "--timeout", "5"], 1),
    (["publish", "--endpoint", "nope"], 2),
    (["publish"], 2),
    (["link", "status"], 0),
    (["link", "status", "--profiles", "{tmp}/none"], 2),
    (["link", "resolve", "--accept", "--links-dir", "{tmp}/links"], 1),  # no candidates
    (["link", "resolve", "--wikidata-endpoint", NOWHERE, "--timeout", "5"], 1),
    (["link", "resolve", "--wikidata-endpoint", "not-a-url"], 2),
    (["link", "check", "--wikidata-endpoint", NOWHERE, "--data", BUILD, "--timeout", "5"], 1),
    (["link", "check", "--data", BUILD, "--rdf", f"{BUILD}/quality.ttl"], 2),
    (["serve", "--data", "{tmp}/none", "--port", "0"], 1),  # no build there
    (["serve", "--data", "{tmp}", "--port", "0", "--base-iri", "http://x/"], 1),
    (["serve", "--base-iri", "http://x"], 2),
    (["serve", "--port", "70000"], 2),
    (["check", KAZ, "--format", "csv"], 0),
    (["check", KAZ, "--strict"], 1),  # Kazakhstan's GDP per capita jump is a warning
    (["check", "missing.txt"], 1),
    (["check", KAZ, "--format", "xml"], 2),
    (["diff", "data/profiles/andorra.txt", "data/profile-variants/andorra_newer.txt"], 0),
    (["diff", "missing.txt", KAZ], 1),
    (["diff", KAZ], 2),
    (["validate", "--cube", f"{BUILD}/gdp.nt", f"{BUILD}/void.ttl"], 0),
    # a path the system refuses outright (a name over NAME_MAX): one line naming it, exit 1
    (["build", LONG], 1),
    (["check", LONG], 1),
    (["diff", LONG, KAZ], 1),
    (["query", "latest-values", "--data", LONG], 1),
    (["link", "check", "--data", LONG], 1),
    (["serve", "--data", LONG, "--port", "0"], 1),
    (["serve", "--data", BUILD, "--port", "0", "--access-log", "{tmp}/none/access.log"], 1),
]


def _ids() -> list[str]:
    return [" ".join(args)[:60] for args, _ in CONTRACT]


@pytest.mark.parametrize(("args", "code"), CONTRACT, ids=_ids())
def test_exit_code_contract(
    args: list[str], code: int, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    links = tmp_path / "links"
    links.mkdir()
    monkeypatch.chdir(ROOT)  # data/profiles and data/links, as a user in a checkout has them
    line = [a.replace(BUILD, str(built)).replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(cli, line)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an unexpected exception is a bug, whatever the code
    if code == 1 and result.stderr:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "secret" not in result.output  # a password in a URL is never echoed
    if "--access-log" in args:
        assert result.stderr == f"Error: --access-log {line[-1]}: No such file or directory\n"
    if LONG in args:  # named as the file it is, not blamed on another option
        assert result.stderr.startswith(f"Error: {LONG}") and "File name too long" in result.stderr
    if code == 2:
        assert result.stderr.strip().splitlines()[-1].startswith("Error: "), result.stderr


def test_every_command_is_in_the_contract_table() -> None:
    tried = {args[0] for args, _ in CONTRACT}
    assert set(COMMANDS) <= tried


# -- 130 on Ctrl-C, from the command and from every process it started -----------------------


def interrupt(command: list[str], wait_for: str, cwd: Path) -> tuple[int, str]:
    """Start a command in its own process group, Ctrl-C the group (as a terminal does) once
    ``wait_for`` appears on its stderr or after it has run a while."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gdp_rdf", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
        text=True,
    )
    assert process.stderr is not None
    if wait_for:
        seen = process.stderr.readline()
        assert wait_for in seen, seen
    else:  # once it has started worker processes, the case that used to print tracebacks
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        deadline = time.monotonic() + 120
        while process.poll() is None and not children.read_text().strip():
            assert time.monotonic() < deadline, "the command never started a worker"
            time.sleep(0.05)
        assert process.poll() is None, "the command ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


def test_ctrl_c_on_build_exits_130_with_one_line(tmp_path: Path) -> None:
    code, stderr = interrupt(
        ["build", str(PROFILES), "--out", str(tmp_path / "out"), "--no-cache", "--workers", "2"],
        "",
        tmp_path,
    )
    assert code == 130 and "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines() == ["gdp-rdf: interrupted"]
    assert not (tmp_path / "out").exists()


def test_ctrl_c_on_serve_exits_130_without_worker_tracebacks(built: Path, tmp_path: Path) -> None:
    port = free_port()
    command = ["serve", "--data", str(built), "--port", str(port), "--cache-dir", str(tmp_path)]
    code, stderr = interrupt(command, "serving", tmp_path)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines()[-1] == "gdp-rdf: interrupted"


def test_serve_checks_the_port_before_announcing(built: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(
            "serve", "--data", str(built), "--port", str(port), "--cache-dir", str(tmp_path)
        )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: the port is in use; pick another --port"
    ]


# -- a quiet 0 when the reader of stdout goes away --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["queries"],
        ["link", "status"],
        ["facts", KAZ, str(PROFILES / "andorra.txt"), "--format", "json"],
        ["query", "latest-values", "--data", BUILD, "--format", "csv"],
        ["query", "DESCRIBE <https://w3id.org/gdp-rdf/id/country/KAZ>", "--data", BUILD],
    ],
    ids=lambda a: " ".join(a)[:30],
)
def test_closed_stdout_is_a_quiet_zero(args: list[str], built: Path) -> None:
    line = [a.replace(BUILD, str(built)) for a in args]
    process = subprocess.Popen(
        [sys.executable, "-m", "gdp_rdf", *line],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0 and stderr == ""


# -- consistent options ----------------------------------------------------------------------


def test_options_are_consistent() -> None:
    """Issue 11 item 12: one cache option name, --wikidata-endpoint for Wikidata, -h."""
    runner = CliRunner()
    for name in ("build", "query", "serve"):
        assert "--cache-dir" in runner.invoke(cli, [name, "-h"]).stdout
    for name in ("resolve", "check"):
        assert "--wikidata-endpoint" in runner.invoke(cli, ["link", name, "-h"]).stdout
    assert "--wikidata-endpoint" in runner.invoke(cli, ["query", "-h"]).stdout
    serve_help = runner.invoke(cli, ["serve", "-h"]).stdout
    assert "Port to listen on" in serve_help
    for name in ("query", "publish", "serve"):
        assert "build folder" in " ".join(runner.invoke(cli, [name, "-h"]).stdout.split())
    assert "_GDP_RDF_COMPLETE" in runner.invoke(cli, ["-h"]).stdout


def test_shell_completion_lists_every_command() -> None:
    env = {
        **os.environ,
        "_GDP_RDF_COMPLETE": "bash_complete",
        "COMP_WORDS": "gdp-rdf ",
        "COMP_CWORD": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from gdp_rdf.cli import main; main()"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    offered = {line.split(",", 1)[1] for line in result.stdout.splitlines() if "," in line}
    assert set(COMMANDS) <= offered


# -- each command imports only what it uses (issue 16 item 4) ---------------------------------

HEAVY = ("rdflib", "pyshacl", "starlette", "uvicorn", "pyld", "SPARQLWrapper")
PROBE = """
import json, sys
from gdp_rdf.cli import cli
try:
    cli(sys.argv[1:], prog_name="gdp-rdf")
except SystemExit:
    pass
heavy = {HEAVY!r}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy))), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["query", "latest-values", "--data", BUILD, "--format", "csv"], set()),
        (["query", "indicator-series", "--data", BUILD], set()),
        (["queries"], set()),
        (["facts", KAZ, "--format", "csv"], set()),
        (["link", "status"], set()),
        (["--help"], set()),
        (["query", "latest-values", "--endpoint", NOWHERE, "--timeout", "1"], {"SPARQLWrapper"}),
        (["validate", "{build}/void.ttl"], {"rdflib", "pyshacl"}),
    ],
    ids=lambda a: " ".join(a)[:30] if isinstance(a, list) else "",
)
def test_commands_import_only_what_they_use(
    args: list[str], allowed: set[str], built: Path
) -> None:
    line = [a.replace(BUILD, str(built)) for a in args]
    probe = PROBE.format(HEAVY=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", probe, *line], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert loaded <= allowed, f"{' '.join(args)} loaded {sorted(loaded - allowed)}"
