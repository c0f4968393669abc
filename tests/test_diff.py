"""`gdp-rdf diff`: golden outputs for the variant pairs, partial copies, dist/ input, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gdp_rdf.cli import cli
from gdp_rdf.history.changes import diff_lines
from gdp_rdf.history.check import check_history
from gdp_rdf.history.diff import ChangeKind, diff_versions
from gdp_rdf.history.versions import read_versions
from gdp_rdf.vocab import DEFAULT_BASE

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "data" / "profiles"
VARIANTS = ROOT / "data" / "profile-variants"
PAIRS = {
    "andorra": (PROFILES / "andorra.txt", VARIANTS / "andorra_newer.txt"),
    "tuvalu": (PROFILES / "tuvalu.txt", VARIANTS / "tuvalu_2025.txt"),
}
EXTENSIONS = {"table": "txt", "csv": "csv", "json": "json", "turtle": "ttl"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_variant_pairs_match_golden(pair: str, fmt: str, golden) -> None:  # type: ignore[no-untyped-def]
    old, new = PAIRS[pair]
    code, out, err = run("diff", str(old), str(new), "--format", fmt)
    assert code == 0, err
    assert err == ""
    golden(f"diff-{pair}.{EXTENSIONS[fmt]}", out)


def test_same_input_same_bytes() -> None:
    old, new = PAIRS["andorra"]
    first = run("diff", str(old), str(new), "--format", "turtle")[1]
    assert first == run("diff", str(old), str(new), "--format", "turtle")[1]


def test_andorra_revisions_renames_and_partial_start() -> None:
    old, new = PAIRS["andorra"]
    data = json.loads(run("diff", str(old), str(new), "--format", "json")[1])
    by_key = {row["point"]: row for row in data["points"]}
    children = by_key["id/observation/AND/detained-children/2017"]
    assert (children["change"], children["old_value"], children["new_value"]) == (
        "revised",
        "0",
        "Not Available",  # "Not Available" is not 0: a revision, kept as printed
    )
    # printed "76.9" then "76.9%": the same value, printed differently
    assert by_key["id/observation/AND/foreign-prisoners-percentage/2015"]["change"] == "unchanged"
    # the newer copy starts below the headline: what it does not show is not compared
    headline = by_key["id/observation/AND/immigration-detainees/2019"]
    assert headline["change"] == "not-compared" and "before the start" in headline["note"]
    assert not [row for row in data["points"] if row["change"] == "removed"]
    renames = {
        (r["indicator"], r["change"]): (r["old_value"], r["new_value"]) for r in data["renames"]
    }
    assert renames[("legal-tradition", "section-renamed")] == (
        "GOVERNANCE SYSTEM",
        "LEGAL & REGULATORY FRAMEWORK",
    )


def test_tuvalu_facts_past_the_end_are_not_compared() -> None:
    old, new = PAIRS["tuvalu"]
    data = json.loads(run("diff", str(old), str(new), "--format", "json")[1])
    by_key = {row["point"]: row for row in data["points"]}
    # in the section where the newer copy stops, and past it
    assert by_key["id/observation/TUV/prison-population-rate/2014"]["change"] == "not-compared"
    assert by_key["id/observation/TUV/gdp-per-capita/2014"]["change"] == "not-compared"
    # printed in the headline and in POPULATION DATA, which the newer copy does not reach
    assert by_key["id/observation/TUV/international-migrants/2020"]["change"] == "not-compared"
    assert by_key["id/observation/TUV/population/2024"]["change"] == "added"
    assert data["totals"]["removed"] == 0


def _truncated(source: Path, keep: int, partial: bool) -> str:
    lines = source.read_text(encoding="utf-8").splitlines()
    header = ["# partial: cut for a test"] if partial else []
    return "\n".join(header + lines[:keep]) + "\n"


def test_truncated_copy_never_yields_removed(tmp_path: Path) -> None:
    source = PROFILES / "kazakhstan.txt"
    total = len(source.read_text(encoding="utf-8").splitlines())
    cut = tmp_path / "kazakhstan.txt"
    cut.write_text(_truncated(source, total // 2, partial=True), encoding="utf-8")
    diff = diff_versions(read_versions(source), read_versions(cut))
    kinds = {c.kind for c in diff.countries[0].changes}
    assert ChangeKind.REMOVED not in kinds
    assert ChangeKind.NOT_COMPARED in kinds and ChangeKind.UNCHANGED in kinds
    backwards = diff_versions(read_versions(cut), read_versions(source))
    assert ChangeKind.ADDED not in {c.kind for c in backwards.countries[0].changes}
    # without the "# partial:" line the same cut copy does say "removed"
    cut.write_text(_truncated(source, total // 2, partial=False), encoding="utf-8")
    whole = diff_versions(read_versions(source), read_versions(cut))
    assert ChangeKind.REMOVED in {c.kind for c in whole.countries[0].changes}
    assert ChangeKind.NOT_COMPARED not in {c.kind for c in whole.countries[0].changes}


def test_a_built_dist_diffs_like_its_profiles(tmp_path: Path) -> None:
    old, new = PAIRS["tuvalu"]
    out = tmp_path / "dist"
    code, _, err = run("build", str(old), "--out", str(out), "--no-cache")
    assert code == 0, err
    from_files = run("diff", str(old), str(new), "--format", "csv")[1]
    from_dist = run("diff", str(out), str(new), "--format", "csv")[1]
    assert from_dist == from_files


def test_folders_compare_the_countries_both_hold(tmp_path: Path) -> None:
    code, out, err = run("diff", str(PROFILES), str(VARIANTS), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    sides = {(row["country"], row["side"]) for row in data["versions"]}
    assert ("AND", "new") in sides and ("TUV", "new") in sides
    assert ("KAZ", "only-old") in sides
    assert {row["country"] for row in data["points"]} == {"AND", "TUV"}


def test_changes_graph_conforms_to_the_history_shapes() -> None:
    for old, new in PAIRS.values():
        diff = diff_versions(read_versions(old), read_versions(new))
        conforms, text = check_history(diff_lines(diff, DEFAULT_BASE), DEFAULT_BASE)
        assert conforms, text


def test_dates_from_the_command_line_and_retrieved_lines(tmp_path: Path) -> None:
    old, new = PAIRS["andorra"]
    dated = tmp_path / "andorra.txt"
    dated.write_text(
        "# retrieved: 2025-02-03\n" + new.read_text(encoding="utf-8"), encoding="utf-8"
    )
    data = json.loads(
        run("diff", str(old), str(dated), "--format", "json", "--old-date", "2024-01-31")[1]
    )
    versions = {row["side"]: (row["date"], row["date_basis"]) for row in data["versions"]}
    assert versions == {"old": ("2024-01-31", "given"), "new": ("2025-02-03", "retrieved")}
    assert data["note"] is None


def test_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    code, out, err = run("diff", str(tmp_path / "missing.txt"), str(PAIRS["andorra"][1]))
    assert (code, out) == (1, "")
    assert err.strip().count("\n") == 0 and "missing.txt" in err and "Traceback" not in err
    twice = tmp_path / "two"
    twice.mkdir()
    for name in ("a.txt", "b.txt"):
        (twice / name).write_text(PAIRS["andorra"][0].read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("diff", str(twice), str(PAIRS["andorra"][1]))
    assert (code, out) == (1, "") and "two versions of AND" in err
    bad = tmp_path / "bad.txt"
    bad.write_text("# retrieved: 2025-13-01\n" + PAIRS["andorra"][1].read_text(encoding="utf-8"))
    code, out, err = run("diff", str(PAIRS["andorra"][0]), str(bad))
    assert (code, out) == (1, "") and f"{bad}:1:" in err


def test_bad_options_are_usage_errors() -> None:
    old, new = PAIRS["andorra"]
    assert run("diff", str(old), str(new), "--old-date", "2024-02-30")[0] == 2
    assert run("diff", str(old), str(new), "--format", "xml")[0] == 2
    assert run("diff", str(old))[0] == 2
