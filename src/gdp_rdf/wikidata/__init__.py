"""Wikidata: link coverage, candidate resolution and the agreement check."""
