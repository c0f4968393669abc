"""gdp-rdf: publish Global Detention Project country profiles as a linked-data knowledge graph."""

from __future__ import annotations

__version__ = "0.1.0"
