"""Shared fixtures: paths to the project's data, golden-file comparison."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "data" / "profiles"
VARIANTS = ROOT / "data" / "profile-variants"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/NAME exactly; --update-golden rewrites it."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    f"golden/{name}",
                    "actual",
                    n=1,
                )
            )
            pytest.fail(
                f"output differs from golden/{name} (pytest --update-golden to accept):\n{diff[:6000]}"
            )

    return check


def all_profile_files() -> list[Path]:
    return sorted(PROFILES.glob("*.txt")) + sorted(VARIANTS.glob("*.txt"))
