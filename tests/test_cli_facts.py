"""`gdp-rdf facts` in-process: exit codes, stdout and stderr checked separately."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import PROFILES, VARIANTS

from gdp_rdf.cli import cli

KAZ = str(PROFILES / "kazakhstan.txt")
REQUIRED = {"country", "section", "label", "indicator", "value", "raw", "period", "status", "line"}


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def test_json_rows() -> None:
    result = invoke("facts", KAZ, "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    rows = json.loads(result.stdout)
    assert len(rows) == 112 and all(row.keys() >= REQUIRED for row in rows)
    cpp = [r for r in rows if r["indicator"] == "criminal-prison-population"]
    assert cpp[-1] | {"lines": None} == cpp[-1] | {
        "country": "Kazakhstan",
        "section": "PRISON DATA",
        "label": "Criminal Prison Population (Year)",
        "value": 58519,
        "raw": "58,519",
        "period": 1992,
        "status": "present",
        "line": 88,
        "lines": None,
    }
    foreign = next(r for r in rows if r["indicator"] == "foreign-prisoners-percentage")
    assert foreign["value"] == 4.5 and foreign["kind"] == "percentage"
    hdi = next(r for r in rows if r["indicator"] == "human-development-index")
    assert hdi["value"] == {"rank": 56, "category": "High", "score": None}
    gap = next(r for r in rows if r["indicator"] == "unemployment-rate")
    assert (gap["value"], gap["status"], gap["period"]) == (None, "year-without-value", 2018)


def test_csv_and_table() -> None:
    result = invoke("facts", KAZ, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and len(rows) == 112 and rows[2]["value"] == "345"
    table = invoke("facts", KAZ)
    lines = table.stdout.splitlines()
    assert table.exit_code == 0 and lines[0].split() == [
        "line", "country", "section", "label", "indicator", "value", "raw", "period", "status",
    ]  # fmt: skip
    assert len(lines) == 2 + 112


def test_csv_values_are_plain() -> None:
    """Issue 11 item 12: true/false, not Python's True; lists as 5;7;9, not "[5, 7, 9]"."""
    rows = list(csv.DictReader(io.StringIO(invoke("facts", KAZ, "--format", "csv").stdout)))
    assert {r["reviewed"] for r in rows} <= {"true", "false"}
    assert all(not r["lines"].startswith("[") for r in rows)
    assert any(";" in r["lines"] for r in rows)
    assert all(r["raw"] or r["status"] != "present" for r in rows)


def test_several_files_and_warnings_on_stderr() -> None:
    result = invoke("facts", KAZ, str(VARIANTS / "andorra_newer.txt"), "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 112 + 44
    assert result.stderr == (
        f"{VARIANTS / 'andorra_newer.txt'}:87: warning: '$ 39,146.55,000' is not a usd value "
        "for 'Gross Domestic Product per Capita (in USD)'\n"
    )


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Kazakhstan\n\nPRISON DATA\n\nTotal Prison Population\n\n10\n\nstray words\n",
        encoding="utf-8",
    )
    result = invoke("facts", str(page), "--strict")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{page}:5: warning: label not in the code list: 'Total Prison Population'",
        f"{page}:9: warning: unrecognised line: 'stray words'",
        "Error: 2 warning(s); --strict treats them as errors",
    ]
    assert invoke("facts", KAZ, "--strict").exit_code == 0


def test_usage_errors_are_clicks() -> None:
    assert invoke("facts").exit_code == 2
    assert invoke("facts", KAZ, "--format", "xml").exit_code == 2


def test_no_profile_content_unknown_country_and_duplicates_are_errors(tmp_path: Path) -> None:
    """Issue 11 item 6: each names the file (and, for a country, the table to add it to)."""
    hello = tmp_path / "hello.txt"
    hello.write_text("Kazakhstan\nHello world\n", encoding="utf-8")
    result = invoke("facts", str(hello))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {hello}: no profile content")
    freedonia = tmp_path / "freedonia.txt"
    text = (PROFILES / "kazakhstan.txt").read_text(encoding="utf-8")
    freedonia.write_text(text.replace("Kazakhstan", "Freedonia", 1), encoding="utf-8")
    result = invoke("facts", str(freedonia))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert f"{freedonia}:" in result.stderr and "data/links/country-aliases.csv" in result.stderr
    result = invoke("facts", KAZ, KAZ)
    assert result.exit_code == 1 and "two profiles of KAZ" in result.stderr
    assert "Traceback" not in result.output
