"""Apache Jena's `riot` (Debian's libapache-jena-java), the independent parser the dumps must pass.

Debian's package has no `riot` script and relocates Jena's shaded Xerces to the package
`xerces.*` while leaving its message bundles under `org/apache/jena/ext/xerces/`: without them
every XSD datatype fails to initialise ("internal error" in XSSimpleTypeDecl). `riot()` copies
the bundles to the names the relocated classes look up, into a jar of its own beside the test
artifacts, and runs `riotcmd.riot` with the package's jars.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

JARS = Path("/usr/share/java")
# the jars riotcmd.riot loads (libapache-jena-java and the libraries it depends on)
DEPENDENCIES = (
    "slf4j-api", "slf4j-simple", "commons-cli", "commons-codec", "commons-compress",
    "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava",
    "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java", "httpclient",
    "httpclient-cache", "httpcore", "protobuf", "thrift", "titanium-json-ld",
)  # fmt: skip
_SHADED = "org/apache/jena/ext/xerces/"


def _bundle_jar(folder: Path) -> Path:
    """A jar holding Jena's Xerces message bundles under the relocated package names."""
    jar = folder / "jena-xerces-bundles.jar"
    if jar.exists():
        return jar
    folder.mkdir(parents=True, exist_ok=True)
    partial = jar.with_suffix(".part")
    with zipfile.ZipFile(JARS / "jena-core.jar") as core, zipfile.ZipFile(partial, "w") as out:
        for name in core.namelist():
            if name.startswith(_SHADED) and name.endswith(".properties"):
                out.writestr("xerces/" + name[len(_SHADED) :], core.read(name))
    partial.replace(jar)
    return jar


def classpath(folder: Path) -> str | None:
    """Jena's classpath, or None when Java or libapache-jena-java is missing."""
    if shutil.which("java") is None or not (JARS / "jena-core.jar").exists():
        return None
    # each jar is there twice, as NAME.jar and NAME-VERSION.jar: take the unversioned names
    jena = sorted(p for p in JARS.glob("jena-*.jar") if not re.search(r"-\d[\d.]*$", p.stem))
    missing = [name for name in DEPENDENCIES if not (JARS / f"{name}.jar").exists()]
    if missing:
        pytest.fail(f"libapache-jena-java is installed but these jars are missing: {missing}")
    parts = [_bundle_jar(folder), *jena, *(JARS / f"{name}.jar" for name in DEPENDENCIES)]
    return os.pathsep.join(str(p) for p in parts)


def require_jena(folder: Path) -> str:
    """The classpath, or skip (fail under GDP_RDF_REQUIRE_JENA=1, as .ci/run sets)."""
    found = classpath(folder)
    if found is None:
        if os.environ.get("GDP_RDF_REQUIRE_JENA") == "1":
            pytest.fail(
                "Apache Jena is required (GDP_RDF_REQUIRE_JENA=1): apt-get install libapache-jena-java"
            )
        pytest.skip("Apache Jena (libapache-jena-java) not installed")
    return found


def riot(cp: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `riot ARGS` offline; its log lines go to stderr."""
    return subprocess.run(
        ["java", "-Djava.net.useSystemProxies=false", "-cp", cp, "riotcmd.riot", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
