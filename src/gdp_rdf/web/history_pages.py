"""Releases and changes on the server (issue 15): /releases, /changes.atom, the dumps of every
release at /dumps/VERSION/..., and the history section of a country page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from gdp_rdf.history.feed import changes_feed
from gdp_rdf.history.release import Release, release_file, releases
from gdp_rdf.history.timeline import ChangeRow, country_changes
from gdp_rdf.web.layout import layout

Handler = Callable[[Request], Awaitable[Response]]
_ATOM = "application/atom+xml"
_DOWNLOADS = ("gdp.ttl", "gdp.nt", "gdp.jsonld", "void.ttl", "history.ttl", "changes.nt")


def releases_html(found: Sequence[Release]) -> str:
    """The /releases page: each release with its date, notes and downloads."""
    if not found:
        body = (
            "<h1>Releases</h1><p>This build is not a release (build it with --release VERSION).</p>"
        )
        return layout("Releases", body)
    parts = ['<h1>Releases</h1><p><a href="/changes.atom">Atom feed of changes</a></p>']
    for number, release in enumerate(found):
        latest = " (latest)" if number == 0 else ""
        files = [name for name in _DOWNLOADS if (release.folder / name).is_file()]
        links = ", ".join(
            f'<a href="/dumps/{escape(release.version)}/{escape(n)}">{escape(n)}</a>' for n in files
        )
        previous = f"; previous release {escape(release.previous)}" if release.previous else ""
        parts.append(
            f'<h2 id="release-{escape(release.version)}">Release {escape(release.version)}{latest}</h2>'
            f"<p>Issued {escape(release.issued or 'undated')}{previous}.</p>"
            f"<p>{escape(release.notes or '')}</p><p>Downloads: {links}</p>"
        )
    return layout("Releases", "".join(parts))


def history_section(rows: Sequence[ChangeRow]) -> str:
    """A country page's history: its changes with the versions' files and dates."""
    if not rows:
        return ""
    names = ("When", "Indicator", "Year", "Change", "Old", "New", "Versions")
    head = "<tr>" + "".join(f"<th>{name}</th>" for name in names) + "</tr>"
    body = []
    for row in rows:
        when = row.new_date or (f"release {row.release}" if row.release else "undated")
        before = f"{row.old_file or '?'} ({row.old_date or 'undated'})"
        versions = f"{before} → {row.new_file or '?'} ({row.new_date or 'undated'})"
        cells = (
            when,
            row.indicator,
            row.period or "",
            row.kind,
            row.old or "—",
            row.new or "—",
            versions,
        )
        body.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    return f'<h2 id="history">History</h2><table>{head}{"".join(body)}</table>'


class HistoryRoutes:
    """The history routes of one build folder; what they show is read once."""

    def __init__(self, data: Path, base: str) -> None:
        self.data, self.base = data, base
        self.releases = releases(data)
        self.versions = {r.version for r in self.releases}
        self.changes = country_changes(data, base)
        self.feed = changes_feed(data, base)

    async def releases_page(self, request: Request) -> Response:
        return Response(releases_html(self.releases), media_type="text/html; charset=utf-8")

    async def atom(self, request: Request) -> Response:
        return Response(self.feed, media_type=_ATOM)

    def country_section(self, iri: str) -> str:
        """The history section of the country page of ``iri``."""
        return history_section(self.changes.get(iri.rpartition("/")[2], []))

    def dumps(self, fallback: Handler) -> Handler:
        """/dumps/VERSION/NAME from a release's files; every other dump as before."""

        async def handle(request: Request) -> Response:
            version, _, name = request.path_params["name"].partition("/")
            if version in self.versions and name:
                path = release_file(self.data, version, name)
                if path is None:
                    return Response(
                        f"no file {name!r} in release {version}\n", 404, media_type="text/plain"
                    )
                return FileResponse(path)
            return await fallback(request)

        return handle
