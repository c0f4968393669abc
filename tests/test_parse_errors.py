"""Bad input: one clear error naming the file (and line), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROFILES

from gdp_rdf.cli import cli
from gdp_rdf.errors import ParseError
from gdp_rdf.reader.page import parse_profile, read_profile


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "empty file", None),
        (b"  \n\n \t\n", "empty file", None),
        (b"# source: https://example.org\n# partial: cut\n", "empty profile", None),
        (b"Kazakhstan\n\x00\x01\x02binary", "binary data", 2),
        (b"Kazakhstan\n\nRefugees\n\n3\xff45\n", "not UTF-8", 5),
        (
            b"Dear diary,\nToday was a good day.\nNothing happened.\n",
            "not a GDP country profile",
            1,
        ),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str, line: int | None) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ParseError) as caught:
        read_profile(path)
    assert message in str(caught.value)
    assert caught.value.where == str(path) and caught.value.line == line
    code, out, err = run("facts", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        read_profile(tmp_path / "nope.txt")
    with pytest.raises(ParseError, match="is a directory"):
        read_profile(tmp_path)
    code, out, err = run("facts", str(tmp_path / "nope.txt"))
    assert (code, out) == (1, "") and err == f"Error: {tmp_path / 'nope.txt'}: no such file\n"


def test_one_bad_file_prints_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    code, out, _ = run("facts", str(PROFILES / "kazakhstan.txt"), str(bad))
    assert code == 1 and out == ""


def test_partial_copies_are_not_errors() -> None:
    cut = (PROFILES / "kazakhstan.txt").read_text(encoding="utf-8").split("\n")
    for stop in (1, 5, 14, 60, 75, 222, 300, 324, 371):
        profile = parse_profile("\n".join(cut[:stop]))
        assert profile.country == "Kazakhstan"


def test_parse_error_message_format() -> None:
    assert str(ParseError("boom", "a.txt", 3)) == "a.txt:3: boom"
    assert str(ParseError("boom", "a.txt")) == "a.txt: boom"
