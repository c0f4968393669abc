"""Which generation of the GDP site a page comes from, and its parts with their dates (pure).

LAYOUTS.md (../shared/data) describes the generations. A hybrid page prints a current (or
2020-22) headline over an older profile whose date ("Last updated: June 2017") is that older
part's own: the headline part prints no date of its own.
"""

from __future__ import annotations

from typing import Protocol

from gdp_rdf.reader.facts import Fact, Heading, PageGeneration, PagePart


class ReadPage(Protocol):
    """What the page reader knows after one pass (see `page._Page`)."""

    items: list[tuple[int, str]]
    facts: list[Fact]
    headings: list[Heading]
    last_updated: str | None
    date_line: int | None
    profile_updated: bool
    first_redesign: bool
    value_first: bool | None


def generation_of_date(month: str | None) -> PageGeneration | None:
    """The generation the site had at a page date ("2017-06" -> 2016-2020)."""
    if month is None:
        return None
    year = int(month[:4])
    if year <= 2014:
        return PageGeneration.OLD_SITE
    if year == 2015:
        return PageGeneration.FIRST_REDESIGN
    return PageGeneration.QUICK_FACTS if year <= 2020 else PageGeneration.HEADLINE


def _older_generation(page: ReadPage) -> PageGeneration | None:
    if page.first_redesign:
        return PageGeneration.FIRST_REDESIGN
    if page.profile_updated:
        return PageGeneration.QUICK_FACTS
    if page.date_line is not None or page.headings:
        return PageGeneration.OLD_SITE
    return None


def page_parts(page: ReadPage) -> tuple[PageGeneration | None, tuple[PagePart, ...]]:
    """The page's generation and its parts, each with the date it prints."""
    if not page.items:
        return None, ()
    first, last = page.items[0][0], page.items[-1][0]
    headline = page.value_first is not None or any(f.section is None for f in page.facts)
    if not headline:
        generation = _older_generation(page)
        if generation is None:
            return None, ()
        return generation, (PagePart(generation, first, last, page.last_updated),)
    top = PageGeneration.HEADLINE if page.value_first else PageGeneration.CURRENT
    date_line = page.date_line
    older_below = (
        date_line is not None
        and page.items[-1][0] > date_line
        and not any(line > date_line for f in page.facts for line in f.lines)
        and not any(h.line > date_line for h in page.headings)
    )
    if date_line is None or not older_below:
        return top, (PagePart(top, first, last, page.last_updated),)
    older = generation_of_date(page.last_updated) or PageGeneration.OLD_SITE
    return PageGeneration.HYBRID, (
        PagePart(top, first, date_line - 1, None),
        PagePart(older, date_line, last, page.last_updated),
    )
