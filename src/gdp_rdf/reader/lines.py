"""The lines of one page as a reader walks them: each line's role and the warnings about them
(shared by the country-profile and the facility readers)."""

from __future__ import annotations

from gdp_rdf.errors import ParseError
from gdp_rdf.reader.facts import EmptyField, Heading, LineRole, ParseWarning, WarningKind

Item = tuple[int, str]  # (line number, text)


class PageLines:
    """Every line's role, the headings and empty fields found, and the warnings."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.roles: dict[int, LineRole] = {}
        self.warnings: list[ParseWarning] = []
        self.headings: list[Heading] = []
        self.empty_fields: list[EmptyField] = []

    def text_at(self, index: int) -> str | None:
        return self.items[index][1] if 0 <= index < len(self.items) else None

    def warn(self, kind: WarningKind, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(kind, line, message))

    def unrecognised(self, number: int, text: str) -> None:
        self.roles[number] = LineRole.UNRECOGNISED
        self.warn(WarningKind.UNRECOGNISED_LINE, number, f"unrecognised line: {text[:80]!r}")

    def read(self) -> None:
        """Give each line its role (each reader's own walk over the page)."""
        raise NotImplementedError

    def read_all(self, source: str, empty: str) -> None:
        """Read the page; a line no rule claims is unrecognised.

        Raises:
            ParseError: the page has no text after its header lines (``empty`` says so).
        """
        if not self.items:
            raise ParseError(empty, source)
        self.read()
        for number, _ in self.items:
            self.roles.setdefault(number, LineRole.UNRECOGNISED)
