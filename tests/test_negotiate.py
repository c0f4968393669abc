"""Content negotiation: q-values, wildcards, specificity, aliases, extensions."""

from __future__ import annotations

import pytest

from gdp_rdf.web.negotiate import Representation, by_extension, choose, parse_accept, representation

CHROME = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, Representation.HTML),  # no header: the first offered
        ("*/*", Representation.HTML),  # curl's default
        (CHROME, Representation.HTML),
        ("text/turtle", Representation.TURTLE),
        ("application/ld+json", Representation.JSONLD),
        ("application/n-triples", Representation.NTRIPLES),
        ("text/turtle;q=0.5, application/ld+json", Representation.JSONLD),
        ("application/n-triples;q=1.0, text/html;q=0.1", Representation.NTRIPLES),
        ("text/html;q=0, */*", Representation.TURTLE),  # q=0 means "not this"
        ("text/*;q=0.3, text/turtle;q=0.9, application/*;q=0.1", Representation.TURTLE),
        ("application/*", Representation.JSONLD),
        ("application/json", Representation.JSONLD),  # an alias
        ("TEXT/Turtle; charset=utf-8", Representation.TURTLE),  # case, parameters
        ("text/turtle;q=oops, application/n-triples;q=0.2", Representation.NTRIPLES),
    ],
)
def test_representation_follows_accept(accept: str | None, expected: Representation) -> None:
    assert representation(accept) is expected


@pytest.mark.parametrize("accept", ["image/png", "application/pdf, image/*", "text/turtle;q=0"])
def test_nothing_acceptable(accept: str) -> None:
    assert representation(accept) is None


def test_more_specific_range_wins_over_wildcard() -> None:
    ranges = parse_accept("*/*;q=0.9, text/html;q=0.2")
    assert choose(ranges, ["text/html", "text/turtle"]) == "text/turtle"


def test_ties_go_to_server_order() -> None:
    assert (
        choose(parse_accept("text/turtle, text/html"), ["text/html", "text/turtle"]) == "text/html"
    )


@pytest.mark.parametrize(
    ("path", "stem", "kind"),
    [
        ("id/country/KAZ.ttl", "id/country/KAZ", Representation.TURTLE),
        ("id/country/KAZ.jsonld", "id/country/KAZ", Representation.JSONLD),
        ("id/country/KAZ.nt", "id/country/KAZ", Representation.NTRIPLES),
        ("id/country/KAZ.html", "id/country/KAZ", Representation.HTML),
        ("id/country/KAZ", "id/country/KAZ", None),
        ("id/legislation/KAZ/law-no.-123-abc", "id/legislation/KAZ/law-no.-123-abc", None),
    ],
)
def test_extensions(path: str, stem: str, kind: Representation | None) -> None:
    assert by_extension(path) == (stem, kind)
