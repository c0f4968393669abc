"""Mangled profiles: the reader returns facts or raises ParseError, nothing else, ever."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

from click.testing import CliRunner
from conftest import all_profile_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdp_rdf.cli import cli
from gdp_rdf.errors import ParseError
from gdp_rdf.reader.page import parse_profile, read_profile

PAGES = [p.read_text(encoding="utf-8").split("\n") for p in all_profile_files()]
SNIPPETS = [
    "Not Available",
    "2019",
    "1995 2018",
    "Yes (",
    "(((",
    ")",
    "[…]",
    "Read More…",
    "Ratio: 1/0",
    "> ",
    "PRISON DATA",
    "Refugees (Year)",
    "Overview",
    "Last updated: Smarch 2099",
    "$ ,,,",
    "99999999999999999999999999",
    "0.0.0",
    "Number of Days: ",
    "90 (",
    "# source: x",
]


@st.composite
def mangled(draw: st.DrawFn) -> str:
    lines = list(draw(st.sampled_from(PAGES)))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(
            st.sampled_from(["shuffle", "cut", "dup", "insert", "snippet", "replace", "drop"])
        )
        if not lines:
            lines = [""]
        at = rng.randrange(len(lines))
        if op == "shuffle":
            start = rng.randrange(len(lines))
            chunk = lines[start : start + rng.randint(2, 40)]
            rng.shuffle(chunk)
            lines[start : start + len(chunk)] = chunk
        elif op == "cut":
            lines = lines[:at] if rng.random() < 0.5 else lines[at:]
        elif op == "dup":
            lines[at:at] = lines[at : at + rng.randint(1, 10)]
        elif op == "insert":
            lines.insert(at, draw(st.text(max_size=40)))
        elif op == "snippet":
            lines.insert(at, rng.choice(SNIPPETS))
        elif op == "replace":
            text = lines[at]
            cut = rng.randrange(len(text) + 1)
            lines[at] = text[:cut] + draw(st.text(max_size=8)) + text[cut:]
        else:
            del lines[at]
    return "\n".join(lines)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_reader_returns_facts_or_parse_error(text: str) -> None:
    try:
        profile = parse_profile(text, source="fuzz.txt")
    except ParseError as error:
        assert str(error).startswith("fuzz.txt")
        return
    content = {
        n for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1)
    }
    assert {n for n, _ in profile.line_roles} <= content


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_read_as_profile_or_parse_error(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.txt"
        path.write_bytes(data)
        with contextlib.suppress(ParseError):
            read_profile(path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mangled(), st.sampled_from(["table", "csv", "json"]))
def test_cli_never_prints_a_traceback(tmp_path: Path, text: str, fmt: str) -> None:
    path = tmp_path / "mangled.txt"
    path.write_bytes(text.encode("utf-8", errors="replace"))  # lone surrogates cannot be UTF-8
    result = CliRunner().invoke(cli, ["facts", str(path), "--format", fmt])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ")
