"""Shared fixtures: paths to the project's data, golden-file comparison."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "data" / "profiles"
VARIANTS = ROOT / "data" / "profile-variants"
FACILITIES = ROOT / "data" / "detention-centres"
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


@pytest.fixture
def golden_rdf(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare Turtle with tests/golden/NAME byte for byte; on a mismatch, list the triples
    only in the expected file and only in the actual output (a semantic diff)."""
    import pyoxigraph

    def triples(data: bytes) -> set[str]:
        return {str(t) for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)}

    def check(name: str, actual: bytes) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_bytes(actual)
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden"
        expected = path.read_bytes()
        if actual == expected:
            return
        only_expected = sorted(triples(expected) - triples(actual))
        only_actual = sorted(triples(actual) - triples(expected))
        lines = [f"golden/{name} differs (pytest --update-golden to accept)"]
        lines += ["only in expected:"] + [f"  {t}" for t in only_expected[:40]]
        lines += ["only in actual:"] + [f"  {t}" for t in only_actual[:40]]
        if not only_expected and not only_actual:
            lines.append("same triples; only the serialisation differs")
        pytest.fail("\n".join(lines))

    return check


def all_profile_files() -> list[Path]:
    return sorted(PROFILES.glob("*.txt")) + sorted(VARIANTS.glob("*.txt"))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ built once per test session from what `gdp-rdf build` reads for its current
    view: data/profiles and the facility pages (validation included)."""
    from gdp_rdf.history.build import default_sources
    from gdp_rdf.pipeline import build

    out = tmp_path_factory.mktemp("build") / "dist"
    sources = default_sources(ROOT)
    assert sources.pages == [PROFILES, FACILITIES]
    result = build(sources.pages, out, cache_dir=None)
    assert result.report.conforms, result.report.text()
    return out


@pytest.fixture(scope="session")
def built_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole default build, the archived copies in data/archive/ read as history
    included: its gdp.nt is the same as `built`'s (tests/test_default_build.py), and its
    history.nt is what the history queries of the catalogue read."""
    from gdp_rdf.history.build import default_sources
    from gdp_rdf.pipeline import build

    out = tmp_path_factory.mktemp("build-history") / "dist"
    sources = default_sources(ROOT)
    assert len(sources.history) == 2
    result = build(sources.pages, out, cache_dir=None, history=sources.history)
    assert result.report.conforms, result.report.text()
    return out


@pytest.fixture(scope="session")
def store(built: Path):  # type: ignore[no-untyped-def]
    """An Oxigraph store holding dist/gdp.ttl."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(built / "gdp.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One Oxigraph server for the session, on a free loopback port."""
    from oxigraph_server import OxigraphServer

    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_oxigraph(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A server of the test's own, for tests that stop it or fill it."""
    from oxigraph_server import OxigraphServer

    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def wikidata(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real Oxigraph server holding the Wikidata-shaped fixture: the stand-in for Wikidata."""
    from oxigraph_server import wikidata_server

    server = wikidata_server(tmp_path_factory.mktemp("wikidata"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def web(built: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The `gdp-rdf serve` application over the session's build, called in-process."""
    from starlette.testclient import TestClient

    from gdp_rdf.web.app import ServerConfig, create_app

    config = ServerConfig(data=built, cache_dir=tmp_path_factory.mktemp("serve-cache"))
    with TestClient(create_app(config), follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="session")
def live(built: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """`gdp-rdf serve` running on loopback over the session's build, with a short query time
    limit and a small result cap so the limits can be shown."""
    from live_server import LiveServer

    server = LiveServer(
        built,
        tmp_path_factory.mktemp("live"),
        "--query-timeout",
        "3",
        "--max-results",
        "5000",
        "--workers",
        "2",
    ).start()
    yield server
    server.stop()
