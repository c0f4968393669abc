"""The names a detention-facility page prints, and how they are compared with Wikidata's
labels and aliases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gdp_rdf.reader.facility_model import FacilityProfile

_PARENTHESES = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class FacilityName:
    """One name a facility goes by, from its page."""

    text: str
    kind: str  # name as printed, alternative name, name in / without parentheses
    source: str  # file:line


def name_key(text: str) -> str:
    """Names compared without case, diacritics, punctuation or extra spaces."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def facility_names(profile: FacilityProfile) -> list[FacilityName]:
    """The names a facility page prints: its name and alternative names as printed, the part of
    a name in parentheses (often the native name) when it has two words or more, and the name
    without that part."""
    printed: list[tuple[str, str, int | None]] = []
    for fact in profile.facts:
        if fact.indicator == "facility-name" and isinstance(fact.value, str):
            printed.append((fact.value, "name as printed", fact.line))
        elif fact.indicator == "alternative-name" and isinstance(fact.value, str):
            printed.append((fact.value, "alternative name", fact.line))
    if profile.name and not printed:
        printed.append((profile.name, "name as printed", None))
    found: dict[str, FacilityName] = {}

    def add(text: str, kind: str, line: int | None) -> None:
        key = name_key(text)
        if key and key not in found:
            where = profile.source if line is None else f"{profile.source}:{line}"
            found[key] = FacilityName(" ".join(text.split()), kind, where)

    for text, kind, line in printed:
        add(text, kind, line)
    for text, _, line in printed:
        for inner in _PARENTHESES.findall(text):
            if len(inner.split()) >= 2:
                add(inner, "name in parentheses", line)
        add(_PARENTHESES.sub(" ", text), "name without parentheses", line)
    return list(found.values())
