"""The in-memory knowledge graph: one shared block plus one block per country.

Every subject belongs to exactly one block, so sorting each block's lines gives a canonical
order without sorting the whole graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from gdp_rdf.graph.terms import parse_block


@dataclass(frozen=True)
class KnowledgeGraph:
    """The built graph: a shared block and one block per country (ISO3 -> N-Triples)."""

    base: str
    shared: bytes
    countries: dict[str, bytes] = field(default_factory=dict)

    def blocks(self) -> Iterator[tuple[str, bytes]]:
        """("", shared) first, then the countries in ISO3 order."""
        yield "", self.shared
        for iso3 in sorted(self.countries):
            yield iso3, self.countries[iso3]

    def __iter__(self) -> Iterator[ox.Triple]:
        for _, block in self.blocks():
            yield from parse_block(block)

    @cached_property
    def triple_count(self) -> int:
        """Counted once: every block is canonical N-Triples, one triple per line."""
        return sum(block.count(b"\n") for _, block in self.blocks())

    def __len__(self) -> int:
        return self.triple_count
