"""The write pool (dumps, CSV, quality graph, VoID's count on every core) writes the same
bytes as one process does."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROFILES

from gdp_rdf.graph import dumps
from gdp_rdf.graph.void import DatasetInfo
from gdp_rdf.pipeline import read_and_map, write_output


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_two_workers_write_the_bytes_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapped = read_and_map(sorted(PROFILES.glob("*.txt")))
    info = DatasetInfo(modified=mapped.latest_update)
    write_output(mapped.kg, tmp_path / "one", info, workers=1)
    monkeypatch.setattr(dumps, "PARALLEL_TRIPLES", 0)  # the real corpus is below the threshold
    written = write_output(mapped.kg, tmp_path / "two", info, workers=2)
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert {f.name for f in written} >= {"gdp.nt", "gdp.ttl", "gdp.jsonld", "observations.csv"}
    assert any(name.startswith("quality.") for name in two)
