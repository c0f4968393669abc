"""Every page in data/ reads without error, and nothing is silently dropped.

The kinds: current profiles, variants, other crawls (data/archive/profile-versions), older
generations (data/archive/legacy-layouts) and detention-facility pages (data/detention-centres).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, all_profile_files

from gdp_rdf.reader.facts import FACT_COLUMNS, LineRole, PageFacts, fact_records
from gdp_rdf.reader.page import read_profile
from gdp_rdf.reader.pages import read_page
from gdp_rdf.reader.values import looks_like_value

ARCHIVE = ROOT / "data" / "archive"
KINDS = {
    "profiles": ROOT / "data" / "profiles",
    "variants": ROOT / "data" / "profile-variants",
    "versions": ARCHIVE / "profile-versions",
    "legacy": ARCHIVE / "legacy-layouts",
}
FACILITIES = ROOT / "data" / "detention-centres"
FILES = all_profile_files()
FACILITY_PAGES = sorted(FACILITIES.glob("*.txt"))
COUNTRY_PAGES = [
    (kind, path) for kind, folder in KINDS.items() for path in sorted(folder.glob("*.txt"))
]


def _relative(path: Path) -> str:
    return path.relative_to(ROOT / "data").as_posix()


def test_the_corpus_is_all_there() -> None:
    counts = {kind: len(list(folder.glob("*.txt"))) for kind, folder in KINDS.items()}
    assert counts == {"profiles": 34, "variants": 2, "versions": 11, "legacy": 20}
    assert len(FACILITY_PAGES) == 6
    assert len(FILES) == 36


ALL_PAGES = [*COUNTRY_PAGES, *(("facilities", path) for path in FACILITY_PAGES)]


@pytest.mark.parametrize(("kind", "path"), ALL_PAGES, ids=lambda v: str(v).rsplit("/", 1)[-1])
def test_every_line_ends_up_somewhere(kind: str, path: Path) -> None:
    profile = read_page(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    content = {n for n, text in enumerate(lines, start=1) if text.strip()}
    assert {n for n, _ in profile.line_roles} == content
    fact_lines = {n for fact in profile.printed_facts for n in fact.lines}
    assert fact_lines == {n for n, role in profile.line_roles if role is LineRole.FACT}
    empty = {field.line for field in profile.empty_fields}
    assert empty == {n for n, role in profile.line_roles if role is LineRole.EMPTY_FIELD}
    for number in profile.unrecognised:
        assert not looks_like_value(lines[number - 1].strip()), (
            f"{path.name}:{number}: a value line was not read: {lines[number - 1]!r}"
        )


@pytest.mark.parametrize(("kind", "path"), ALL_PAGES, ids=lambda v: str(v).rsplit("/", 1)[-1])
def test_no_unexplained_line(kind: str, path: Path) -> None:
    page = read_page(path)
    assert [w for w in page.warnings if w.kind == "unrecognised-line"] == []
    assert page.unrecognised == ()
    if kind != "facilities":
        profile = read_profile(path)
        assert profile.generation is not None and profile.parts


def _count(profile_roles: tuple[tuple[int, LineRole], ...], role: LineRole) -> int:
    return sum(1 for _, r in profile_roles if r is role)


def test_per_file_report(golden) -> None:  # type: ignore[no-untyped-def]
    """Facts, empty fields, boilerplate and unexplained lines per file; any change shows up here."""
    rows = [
        "file,kind,generation,country,facts,empty,boilerplate,unrecognised,warnings,teasers,headings"
    ]
    for kind, path in COUNTRY_PAGES:
        p = read_profile(path)
        rows.append(
            f"{_relative(path)},{kind},{p.generation or ''},{p.country or ''},{len(p.facts)},"
            f"{len(p.empty_fields)},{_count(p.line_roles, LineRole.BOILERPLATE)},"
            f"{len(p.unrecognised)},{len(p.warnings)},{len(p.teasers)},{len(p.headings)}"
        )
    for path in FACILITY_PAGES:
        page = read_page(path)
        rows.append(
            f"{_relative(path)},facilities,facility,{page.country or ''},{len(page.printed_facts)},"
            f"{len(page.empty_fields)},{_count(page.line_roles, LineRole.BOILERPLATE)},"
            f"{len(page.unrecognised)},{len(page.warnings)},0,{len(page.headings)}"
        )
    golden("corpus-report.csv", "\n".join(rows) + "\n")


def _facts_csv(paths: list[Path]) -> str:
    from gdp_rdf.cli.render import TableFormat, render

    records: list[dict[str, object]] = []
    for path in paths:
        page: PageFacts = read_page(path)
        for record in fact_records(page):
            record["source"] = _relative(path)
            records.append(record)
    return render(records, FACT_COLUMNS, TableFormat.CSV)


def test_kazakhstan_facts_golden(golden) -> None:  # type: ignore[no-untyped-def]
    from gdp_rdf.cli.render import TableFormat, render

    profile = read_profile(next(p for p in FILES if p.name == "kazakhstan.txt"))
    records = fact_records(profile)
    for record in records:
        record["source"] = "kazakhstan.txt"
    golden("kazakhstan.facts.csv", render(records, FACT_COLUMNS, TableFormat.CSV))


@pytest.mark.parametrize("kind", [*KINDS, "facilities"])
def test_facts_golden_per_kind(kind: str, golden) -> None:  # type: ignore[no-untyped-def]
    folder = FACILITIES if kind == "facilities" else KINDS[kind]
    golden(f"{kind}.facts.csv", _facts_csv(sorted(folder.glob("*.txt"))))
