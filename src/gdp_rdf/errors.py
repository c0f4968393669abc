"""The project's exceptions: each message says what went wrong, where, and how to fix it."""

from __future__ import annotations


class GdpRdfError(Exception):
    """Base class of every error gdp-rdf raises on purpose."""


class LocatedError(GdpRdfError):
    """An error tied to a place: a file (and line), a query name or an endpoint URL."""

    def __init__(self, message: str, where: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.where = where
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.where is None:
            return self.message
        place = self.where if self.line is None else f"{self.where}:{self.line}"
        return f"{place}: {self.message}"


class ParseError(LocatedError):
    """A profile cannot be read: missing, empty, not text, or not a GDP country profile."""


class ResourceError(LocatedError):
    """A file the package ships (ontology, shapes, queries, code lists) is missing or broken."""


class MappingError(LocatedError):
    """Facts cannot be mapped: an unknown country, or two profiles of one country."""


class BuildError(LocatedError):
    """The build cannot write its output (e.g. the output folder is not writable)."""


class RdfReadError(LocatedError):
    """A file cannot be read as RDF (unknown format, syntax error, unreadable)."""


class QueryError(LocatedError):
    """A query cannot be run: unknown name, bad parameter, syntax error (with line:column)."""


class EndpointError(LocatedError):
    """A remote SPARQL endpoint cannot be reached or answered with an error."""


class PublishError(LocatedError):
    """Publishing to a triplestore failed; the previously published graph is untouched."""


class QueryRefusedError(GdpRdfError):
    """The SPARQL endpoint will not run this query; the message says why, ``status`` is the
    HTTP status to answer with (400 malformed, 403 refused)."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status
