"""HTTP content negotiation: Accept headers with q-values, and file extensions (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Representation(StrEnum):
    """The formats a resource is served in, by file extension."""

    HTML = "html"
    TURTLE = "ttl"
    JSONLD = "jsonld"
    NTRIPLES = "nt"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]


MEDIA_TYPES = {
    Representation.HTML: "text/html",
    Representation.TURTLE: "text/turtle",
    Representation.JSONLD: "application/ld+json",
    Representation.NTRIPLES: "application/n-triples",
}
# Other names clients use for the same formats.
_ALIASES = {
    "application/xhtml+xml": Representation.HTML,
    "application/x-turtle": Representation.TURTLE,
    "application/json": Representation.JSONLD,
    "text/plain": Representation.NTRIPLES,
}


@dataclass(frozen=True, slots=True)
class Range:
    """One media range of an Accept header."""

    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return (self.type in ("*", kind)) and (self.subtype in ("*", sub))

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[Range]:
    """Media ranges of an Accept header; a missing or empty header accepts everything."""
    ranges: list[Range] = []
    for order, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        kind, _, sub = media.partition("/")
        q = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(Range(kind, sub, q, order))
    return ranges or [Range("*", "*", 1.0, 0)]


def quality(ranges: list[Range], media_type: str) -> float:
    """The q-value the client gives a media type: that of the most specific matching range."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: (r.specificity, -r.order)).q


def choose(ranges: list[Range], offered: list[str]) -> str | None:
    """The offered media type the client prefers (ties go to the server's order), or None."""
    best: tuple[float, int, int, str] | None = None
    for position, media_type in enumerate(offered):
        q = quality(ranges, media_type)
        if q <= 0:
            continue
        specific = max(
            (r.specificity for r in ranges if r.matches(media_type) and r.q == q), default=0
        )
        key = (q, specific, -position, media_type)
        if best is None or key[:3] > best[:3]:
            best = key
    return best[3] if best else None


@lru_cache(maxsize=512)
def prefer(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """`choose` for a raw Accept header, remembered: clients send the same few headers, and
    parsing one cost more than the rest of a small /sparql request's handling."""
    return choose(parse_accept(accept), list(offered))


def representation(accept: str | None) -> Representation | None:
    """The representation of a resource to serve for an Accept header, or None (406)."""
    chosen = prefer(accept, (*(r.media_type for r in Representation), *_ALIASES))
    if chosen is None:
        return None
    return _ALIASES.get(chosen) or Representation(
        next(k for k, v in MEDIA_TYPES.items() if v == chosen)
    )


def by_extension(path: str) -> tuple[str, Representation | None]:
    """Split "country/KAZ.ttl" into ("country/KAZ", TURTLE); no known extension gives None."""
    stem, dot, extension = path.rpartition(".")
    if dot and extension in {r.value for r in Representation} and "/" not in extension:
        return stem, Representation(extension)
    return path, None
