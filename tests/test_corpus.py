"""Every profile and variant in data/ reads without error, and nothing is silently dropped."""

from __future__ import annotations

import pytest
from conftest import all_profile_files

from gdp_rdf.reader.facts import LineRole
from gdp_rdf.reader.page import read_profile
from gdp_rdf.reader.values import looks_like_value

FILES = all_profile_files()


def test_the_corpus_is_all_there() -> None:
    assert len([f for f in FILES if f.parent.name == "profiles"]) == 34
    assert len([f for f in FILES if f.parent.name == "profile-variants"]) == 2


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_line_ends_up_somewhere(path) -> None:  # type: ignore[no-untyped-def]
    profile = read_profile(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    content = {n for n, text in enumerate(lines, start=1) if text.strip()}
    assert {n for n, _ in profile.line_roles} == content
    fact_lines = {n for fact in profile.facts for n in fact.lines}
    assert fact_lines == {n for n, role in profile.line_roles if role is LineRole.FACT}
    for number in profile.unrecognised:
        assert not looks_like_value(lines[number - 1].strip()), (
            f"{path.name}:{number}: a value line was not read: {lines[number - 1]!r}"
        )


def test_per_file_report(golden) -> None:  # type: ignore[no-untyped-def]
    """Facts and unrecognised lines per file; a change in any count shows up here."""
    rows = ["file,country,facts,unrecognised,warnings,teasers,headings"]
    for path in FILES:
        p = read_profile(path)
        rows.append(
            f"{path.parent.name}/{path.name},{p.country or ''},{len(p.facts)},"
            f"{len(p.unrecognised)},{len(p.warnings)},{len(p.teasers)},{len(p.headings)}"
        )
    golden("corpus-report.csv", "\n".join(rows) + "\n")


def test_kazakhstan_facts_golden(golden) -> None:  # type: ignore[no-untyped-def]
    from gdp_rdf.cli.render import TableFormat, render
    from gdp_rdf.reader.facts import FACT_COLUMNS, fact_records

    profile = read_profile(next(p for p in FILES if p.name == "kazakhstan.txt"))
    records = fact_records(profile)
    for record in records:
        record["source"] = "kazakhstan.txt"
    golden("kazakhstan.facts.csv", render(records, FACT_COLUMNS, TableFormat.CSV))
