"""The Atom feed of changes (RFC 4287): one entry per changed country and release.

Entries come from the changes each release recorded against the release before it
(`changes.nt` in the release's folder). Dates are the releases' issue dates, never the
clock, so the same releases give the same feed byte for byte.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gdp_rdf.history.release import Release, releases
from gdp_rdf.vocab import ATOM, RDF, RDFS

CHANGES_FILE = "changes.nt"  # the changes since the previous release, in a build folder
_EPOCH = "1970-01-01T00:00:00Z"
_KINDS = (("ValueAdded", "added"), ("ValueRemoved", "removed"), ("ValueRevised", "revised"))


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One changed country in one release."""

    id: str  # the IRI shared by the country's changes in that release
    iso3: str
    release: str
    updated: str  # RFC 3339
    counts: tuple[tuple[str, int], ...]
    lines: tuple[str, ...]  # one per change, as labelled in the graph


def _timestamp(date: str | None) -> str:
    if not date:
        return _EPOCH
    if len(date) == 7:
        date += "-01"
    return f"{date[:10]}T00:00:00Z"


def release_entries(release: Release, base: str) -> list[FeedEntry]:
    """The entries of one release, by country."""
    path = release.folder / CHANGES_FILE
    if not path.is_file():
        return []
    kinds: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
        subject = quad.subject.value
        if quad.predicate.value == RDF + "type":
            kinds[subject].add(quad.object.value.rpartition("/")[2])
        elif quad.predicate.value == RDFS + "label":
            labels[subject] = quad.object.value
    groups: dict[str, list[str]] = defaultdict(list)
    prefix = base + "id/change/"
    for subject, classes in kinds.items():
        if "Change" in classes and subject.startswith(prefix):
            iso3, stamp = subject[len(prefix) :].split("/")[:2]
            groups[f"{prefix}{iso3}/{stamp}"].append(subject)
    entries = []
    for group, subjects in sorted(groups.items()):
        counts: Counter[str] = Counter()
        for subject in subjects:
            for cls, word in _KINDS:
                if cls in kinds[subject]:
                    counts[word] += 1
        entries.append(
            FeedEntry(
                id=group,
                iso3=group[len(prefix) :].split("/")[0],
                release=release.version,
                updated=_timestamp(release.issued),
                counts=tuple((w, counts[w]) for _, w in _KINDS if counts[w]),
                lines=tuple(sorted(labels.get(s, s) for s in subjects)),
            )
        )
    return entries


def feed_entries(folder: Path, base: str) -> list[FeedEntry]:
    """Every release's entries in a build folder, newest release first."""
    return [entry for release in releases(folder) for entry in release_entries(release, base)]


def atom_feed(
    entries: list[FeedEntry], base: str, title: str = "GDP country profiles: changes"
) -> bytes:
    """An Atom 1.0 feed document of the entries."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, content: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if content is not None:
            element.text = content
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", base + "changes.atom")
    sub(feed, "title", title)
    sub(feed, "updated", max((e.updated for e in entries), default=_EPOCH))
    author = sub(feed, "author")
    sub(author, "name", "gdp-rdf (Global Detention Project profiles as linked data)")
    sub(feed, "link", rel="self", href=base + "changes.atom", type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=base + "releases", type="text/html")
    for entry in entries:
        node = sub(feed, "entry")
        sub(node, "id", entry.id)
        summary = ", ".join(f"{n} {word}" for word, n in entry.counts) or "renamed only"
        sub(node, "title", f"{entry.iso3}, release {entry.release}: {summary}")
        sub(node, "updated", entry.updated)
        sub(node, "link", rel="alternate", href=f"{base}id/country/{entry.iso3}", type="text/html")
        sub(node, "content", "\n".join(entry.lines), type="text")
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def changes_feed(folder: Path, base: str) -> bytes:
    """The feed of a build folder's releases.

    Raises:
        OSError, SyntaxError: a release's changes.nt cannot be read.
    """
    return atom_feed(feed_entries(folder, base), base)
