"""Update teasers of a profile page: title, date, text and photo caption (pure)."""

from __future__ import annotations

import re

from gdp_rdf.reader.codelists import CodeLists, normalise_label
from gdp_rdf.reader.facts import LineRole, Teaser
from gdp_rdf.reader.sections import SectionReader

_TEASER_DATE = re.compile(r"^(?P<day>\d{1,2}) (?P<month>[A-Za-z]+) (?P<year>\d{4}) [–—-] ")
_MONTH_YEAR = re.compile(r"^(?P<month>[A-Za-z]+)\.?\s+(?P<year>\d{4})$")
READ_MORE = {"read more…", "read more...", "read more"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def month(text: str) -> str | None:
    """ "July 2024" -> "2024-07"; None for anything else."""
    match = _MONTH_YEAR.match(text.strip())
    if match is None or match["month"].casefold() not in _MONTHS:
        return None
    return f"{match['year']}-{_MONTHS[match['month'].casefold()]:02d}"


def teaser_date(title: str) -> str | None:
    """ "12 August 2020 – Andorra" -> "2020-08-12"."""
    match = _TEASER_DATE.match(title)
    if match is None or match["month"].casefold() not in _MONTHS:
        return None
    day = int(match["day"])
    return (
        f"{match['year']}-{_MONTHS[match['month'].casefold()]:02d}-{day:02d}"
        if 1 <= day <= 31
        else None
    )


class TeaserReader(SectionReader):
    """The teaser steps of the page reader."""

    def __init__(self, codes: CodeLists) -> None:
        super().__init__(codes)
        self.teasers: list[Teaser] = []

    # -- teasers -----------------------------------------------------------------------------

    def _teasers(self, lines: list[tuple[int, str]]) -> None:
        """Update teasers: [title] text […] / Read More… / [photo caption], repeated."""
        groups: list[list[tuple[int, str]]] = [[]]
        closed: list[bool] = []
        for number, text in lines:
            key = normalise_label(text)
            if key in READ_MORE:
                self.roles[number] = LineRole.FURNITURE
                groups.append([])
                closed.append(True)
            elif self.codes.boilerplate_for(text) is not None:
                self.roles[number] = LineRole.BOILERPLATE
            else:
                groups[-1].append((number, text))
        closed.append(False)
        for position, (group, has_read_more) in enumerate(zip(groups, closed, strict=False)):
            if not group:
                continue
            if has_read_more or group[-1][1].endswith(("[…]", "[...]")):
                body = group[-1]
                title = group[-2] if len(group) >= 2 else None
                extra = group[:-2]
                caption = extra.pop() if extra and position > 0 else None
                self._teaser(title, body, caption, extra)
            else:
                caption = group[0] if position > 0 else None
                rest = group[1:] if position > 0 else group
                if caption is not None:
                    self._attach_caption(caption)
                for title in rest:  # a title whose text the copy cut off
                    self._teaser(title, None, None, [])

    def _teaser(
        self,
        title: tuple[int, str] | None,
        body: tuple[int, str] | None,
        caption: tuple[int, str] | None,
        extra: list[tuple[int, str]],
    ) -> None:
        if caption is not None:
            self._attach_caption(caption)
        used = [item for item in (title, body) if item is not None]
        for number, _ in used:
            self.roles[number] = LineRole.TEASER
        for number, text in extra:
            self.unrecognised(number, text)
        self.teasers.append(
            Teaser(
                title=title[1] if title else None,
                date=teaser_date(title[1]) if title else None,
                text=body[1] if body else None,
                caption=None,
                lines=tuple(n for n, _ in used),
            )
        )

    def _attach_caption(self, caption: tuple[int, str]) -> None:
        """A photo caption belongs to the teaser before it."""
        number, text = caption
        self.roles[number] = LineRole.TEASER
        if self.teasers:
            last = self.teasers[-1]
            self.teasers[-1] = Teaser(
                last.title, last.date, last.text, text, tuple(sorted((*last.lines, number)))
            )
