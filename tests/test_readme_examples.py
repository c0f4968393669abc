"""Every command example in the README is true: the ones that need nothing but the checkout run
here, as a user would type them; the others (servers, the internet) are named with the test
that covers them, so a new example cannot slip in unchecked."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Examples that need a running server or the internet, and where they are tested instead.
ELSEWHERE = {
    "oxigraph serve": "tests/test_endpoint.py starts a real Oxigraph server",
    "gdp-rdf publish": "tests/test_endpoint.py and tests/test_virtuoso.py publish for real",
    "--endpoint http://localhost": "tests/test_endpoint.py and tests/test_virtuoso.py",
    "gdp-rdf link check": "tests/test_wikidata.py, against a Wikidata-shaped fixture server",
    "wikidata-": "tests/test_wikidata.py (federated queries against the fixture)",
    "gdp-rdf serve": "tests/test_server.py and tests/live_server.py",
    "curl ": "tests/test_server.py (303 and content negotiation)",
    "--history old-copies/": "tests/test_history_build.py builds with --history",
    "isql-vt": "tests/virtuoso_server.py creates the user the same way",
    "virtuoso-t": "tests/virtuoso_server.py starts Virtuoso the same way",
}


def examples() -> list[str]:
    """The command lines of the README's sh blocks, continuation lines joined."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            command = line.split("  #", 1)[0].strip()
            if command and not command.startswith("#"):
                lines.append(command)
    return lines


def runnable() -> list[str]:
    return [
        line
        for line in examples()
        if line.startswith("gdp-rdf ") and not any(key in line for key in ELSEWHERE)
    ]


def test_every_example_is_run_or_covered_elsewhere() -> None:
    quick_start = examples()[:2]  # tests/test_docs.py and .ci/run cover these two
    for line in examples()[2:]:
        covered = line in runnable() or any(key in line for key in ELSEWHERE)
        assert covered, f"README example neither run nor covered: {line}"
    assert all("pip install" in line for line in quick_start)
    assert len(runnable()) >= 8


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Path:
    """A folder laid out like a checkout after the quick start: data/ and a built dist/."""
    here = tmp_path_factory.mktemp("readme")
    (here / "data").symlink_to(ROOT / "data")
    shutil.copytree(built, here / "dist")
    return here


@pytest.mark.parametrize("line", runnable())
def test_example_runs(line: str, workdir: Path, tmp_path: Path) -> None:
    args = [a.replace("/tmp/kaz", str(tmp_path / "kaz")) for a in shlex.split(line)[1:]]
    done = subprocess.run(
        [sys.executable, "-m", "gdp_rdf", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
