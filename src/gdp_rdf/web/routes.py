"""Dereferencing: the publisher's IRIs answered as documents, the home page, the dumps.

Cool URIs, 303 pattern: an IRI names a thing ({base}id/..., {base}code/..., {base}def/Term);
the server answers it with 303 See Other to a document about it, /doc/<path>.<ext>, chosen by
the Accept header (q-values) among HTML, Turtle, JSON-LD and N-Triples. Documents are also
served without an extension (negotiated, with Content-Location). Every answer that depends on
Accept says `Vary: Accept` and lists the formats in `Link: rel="alternate"` headers. The
ontology and the shapes are one document each, at their namespace IRIs.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from gdp_rdf.graph.serialize import jsonld_bytes, turtle_bytes
from gdp_rdf.graph.tabular import csv_bytes
from gdp_rdf.graph.terms import ntriples_lines
from gdp_rdf.sparql.results import lexical
from gdp_rdf.vocab import DCTERMS, PROV, RDF, SCHEMA, XSD
from gdp_rdf.web import compare, facility_model, facility_page, reader_pages
from gdp_rdf.web import html as pages
from gdp_rdf.web.charts import format_number
from gdp_rdf.web.lru import ByteLRU
from gdp_rdf.web.negotiate import MEDIA_TYPES, Representation, by_extension, choose, parse_accept
from gdp_rdf.web.negotiate import representation as negotiate
from gdp_rdf.web.quality import flag_country_page, quality_page
from gdp_rdf.web.read_model import Site
from gdp_rdf.web.vocab_docs import Namespace

HTML = "text/html; charset=utf-8"
THING_ROOTS = ("id", "code", "def")


def link_header(alternates: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f'<{href}>; rel="alternate"; type="{kind}"' for kind, href in alternates)


def _alternates(doc: str) -> list[tuple[str, str]]:
    return [(r.media_type, f"{doc}.{r.value}") for r in Representation]


def readable(term: ox.Literal | ox.BlankNode | ox.Triple) -> str:
    """A literal for people: integers and decimals with thousands separators."""
    text = lexical(term)
    if isinstance(term, ox.Literal) and term.datatype.value in (XSD + "integer", XSD + "decimal"):
        try:
            return format_number(Decimal(text))
        except ArithmeticError:
            return text
    return text


def _not_acceptable(headers: dict[str, str], offered: Sequence[str]) -> Response:
    message = f"406 Not Acceptable: available as {', '.join(offered)}\n"
    return Response(message, 406, media_type="text/plain", headers=headers)


class LinkedData:
    """The data's pages and documents, read from the store through a Site."""

    def __init__(
        self,
        site: Site,
        base: str,
        data: Path,
        namespaces: dict[str, Namespace],
        profiles: Path | None = None,
    ) -> None:
        self.site, self.base, self.data, self.namespaces = site, base, data, namespaces
        self.profiles = profiles  # the profile texts, served at /source/<file>
        self.documents: ByteLRU[bytes] = ByteLRU(64 << 20, len)
        self.history_section: Callable[[str], str] = lambda iri: ""  # set by the app (issue 15)

    @cached_property
    def profile_files(self) -> dict[str, tuple[str, str]]:
        """country IRI -> (profile file name, GDP page URL), read once."""
        return compare.profile_files(self.site)

    @cached_property
    def facility_files(self) -> dict[str, tuple[str, str, str]]:
        """facility page file name -> (page document, country IRI, GDP page URL), read once."""
        rows = self.site.select(
            """SELECT ?doc ?file ?country ?url WHERE { ?doc a gdp:FacilityPage ;
                 gdp:fileName ?file ; gdp:country ?country . OPTIONAL { ?doc schema:url ?url } }"""
        )
        return {r["file"]: (r["doc"], r["country"], r["url"]) for r in rows}

    def facility_country(self, iri: str) -> bool:
        """A country the build has facility pages of but no profile (issue 17): it has a page
        listing its facilities, and its document is everything published under its code."""
        if not iri.startswith(self.base + "id/country/"):
            return False
        if self.site.first(iri, self.base + "def/profile"):
            return False  # a profile's country has its own page
        return any(
            True
            for _ in self.site.select(
                "SELECT ?country WHERE { ?f a gdp:DetentionFacility ; gdp:country ?country }"
                " LIMIT 1",
                country=iri,
            )
        )

    def _tabular(self, iri: str) -> bool:
        """Countries and indicators have a CSV of their observations."""
        types = self.site.types(iri)
        return bool({self.base + "def/Country", self.base + "def/Indicator"} & set(types))

    def alternates(self, iri: str, doc: str) -> list[tuple[str, str]]:
        found = _alternates(doc)
        if self._tabular(iri):
            found.append(("text/csv", f"{doc}.csv"))
        return found

    def iri(self, path: str) -> str:
        return self.base + path

    def link(self, iri: str) -> str:
        """Where a page links for an IRI: the document of our IRIs, the IRI itself otherwise."""
        if not iri.startswith(self.base):
            return iri
        rest = iri[len(self.base) :]
        if rest in ("def/", "shapes/") or rest.startswith("dumps/"):
            return "/" + rest
        if rest.startswith("shapes/"):
            return "/shapes/#" + rest.removeprefix("shapes/")
        return f"/doc/{rest}.html"

    def not_found(self, request: Request, message: str) -> Response:
        if negotiate(request.headers.get("accept")) is Representation.HTML:
            return Response(pages.error(404, message), 404, media_type=HTML)
        return Response(message + "\n", 404, media_type="text/plain")

    # -- things and their documents ----------------------------------------------------------

    async def thing(self, request: Request) -> Response:
        """A thing's IRI: 303 See Other to its document in the negotiated format."""
        path = request.url.path.lstrip("/")
        stem, extension = by_extension(path)
        if extension is not None:  # a document name under the thing's IRI: point at it
            return Response(status_code=301, headers={"Location": f"/doc/{stem}.{extension}"})
        iri = self.iri(path)
        if not self.site.exists(iri) and not self.facility_country(iri):
            if iri in self.namespaces["def"].terms:  # declared but unused: the ontology
                return Response(status_code=303, headers={"Location": "/def/"})
            return self.not_found(request, f"nothing is known about <{iri}>")
        doc = f"/doc/{path}"
        headers = {"Vary": "Accept", "Link": link_header(self.alternates(iri, doc))}
        chosen = negotiate(request.headers.get("accept"))
        if chosen is None:
            return _not_acceptable(headers, list(MEDIA_TYPES.values()))
        headers["Location"] = f"{doc}.{chosen}"
        return Response(status_code=303, headers=headers)

    async def document(self, request: Request) -> Response:
        """/doc/<path>[.ext]: the document about {base}<path>."""
        if request.path_params["path"].endswith(".csv"):
            return await self.csv(request)
        stem, extension = by_extension(request.path_params["path"])
        iri = self.iri(stem)
        known = self.site.exists(iri) or self.facility_country(iri)
        if not stem.startswith(tuple(f"{r}/" for r in THING_ROOTS)) or not known:
            return self.not_found(request, f"no document about <{iri}>")
        doc = f"/doc/{stem}"
        headers = {"Link": link_header(self.alternates(iri, doc))}
        chosen = extension
        if chosen is None:
            headers["Vary"] = "Accept"
            chosen = negotiate(request.headers.get("accept"))
            if chosen is None:
                return _not_acceptable(headers, list(MEDIA_TYPES.values()))
            headers["Content-Location"] = f"{doc}.{chosen}"
        body = self.documents.get((iri, chosen))
        if body is None:
            body = await run_in_threadpool(self.render, iri, chosen, doc)
            self.documents.put((iri, chosen), body)
        # A strong validator: the same bytes for as long as the server serves this build.
        headers["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if headers["ETag"] in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        kind = HTML if chosen is Representation.HTML else chosen.media_type
        return Response(body, media_type=kind, headers=headers)

    def render(self, iri: str, kind: Representation, doc: str) -> bytes:
        if kind is Representation.HTML:
            return self.html(iri, self.alternates(iri, doc)).encode()
        return self.rdf(iri, kind)

    async def csv(self, request: Request) -> Response:
        """/doc/<path>.csv: the tidy observations of a country or an indicator."""
        stem = request.path_params["path"].removesuffix(".csv")
        iri = self.iri(stem)
        if not self.site.exists(iri) or not self._tabular(iri):
            return self.not_found(request, f"no table of observations for <{iri}>")
        if self.base + "def/Country" in self.site.types(iri):
            rows = await run_in_threadpool(compare.observation_table, self.site, country=iri)
        else:
            rows = await run_in_threadpool(compare.observation_table, self.site, indicator=iri)
        name = stem.replace("/", "-")
        headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
        return Response(csv_bytes(rows), media_type="text/csv; charset=utf-8", headers=headers)

    def description(self, iri: str) -> list[ox.Triple]:
        """A resource's triples; for a country, everything published about it (its dump)."""
        types = self.site.types(iri)
        if self.base + "def/Country" in types or self.facility_country(iri):
            return self.site.country_block(iri, iri.rsplit("/", 1)[-1])
        if self.base + "def/DetentionFacility" in types:
            return self.site.facility_block(iri)
        return self.site.about(iri)

    def rdf(self, iri: str, kind: Representation) -> bytes:
        triples = sorted(self.description(iri), key=str)
        if kind is Representation.TURTLE:
            return turtle_bytes(triples, self.base)
        if kind is Representation.NTRIPLES:
            return "".join(sorted(ntriples_lines(triples))).encode()
        return jsonld_bytes(triples, self.base)

    def html(self, iri: str, alternates: list[tuple[str, str]]) -> str:
        types = self.site.types(iri)
        gdp = self.base + "def/"
        if self.facility_country(iri):  # issue 17: facilities, no profile
            rows = facility_model.country_facilities(self.site, iri)
            name = facility_model.facility(self.site, rows[0].iri).country_name
            return facility_page.facility_country(iri, name, rows, self.link, alternates)
        if gdp + "Country" in types:
            page = self.site.country(iri)
            if page is not None:
                found = compare.observation_extras(self.site, iri)
                extras = {o: (e.denominator, e.lines) for o, e in found.items()}
                summary = reader_pages.summary(page, self.link, extras)
                facilities = facility_page.facility_list(
                    facility_model.country_facilities(self.site, iri), self.link
                )  # issue 17
                html = pages.country(page, self.link, alternates, extras, summary, facilities)
                html = flag_country_page(html, self.site, iri, self.link)  # issue 14
                return html.replace("</main>", self.history_section(iri) + "</main>", 1)
        if gdp + "DetentionFacility" in types:  # issue 17
            view = facility_model.facility(self.site, iri)
            return facility_page.facility(view, self.link, alternates)
        files = {c: f for c, (f, _) in self.profile_files.items()}
        extra = ""
        if gdp + "Indicator" in types:
            unit = self.site.first(iri, self.base + "def/unit")
            extra = reader_pages.ranking(
                self.site.label(iri),
                self.site.label(unit) if unit else None,
                compare.ranking(self.site, iri),
                self.link,
                files,
                self.link(iri).removesuffix(".html") + ".csv",
            )
        elif gdp + "Treaty" in types:
            extra = reader_pages.parties(compare.treaty_parties(self.site, iri), self.link, files)
        return self.resource_page(iri, alternates, extra)

    def resource_page(self, iri: str, alternates: list[tuple[str, str]], extra: str = "") -> str:
        """Any resource: its text and source, its properties by label, what links to it.

        Internal bookkeeping (``gdp:reviewed``) and the lines already shown in the source note
        are left out; numbers are formatted for people."""
        label, link = self.site.label, self.link
        gdp = self.base + "def/"
        hidden = {gdp + "reviewed", gdp + "sourceLine", gdp + "valueLine"}
        grouped: dict[str, list[tuple[str, str | None]]] = {}
        type_links = []
        for triple in sorted(self.site.about(iri), key=str):
            predicate, obj = triple.predicate.value, triple.object
            if predicate in hidden:
                continue
            if isinstance(obj, ox.NamedNode):
                if predicate == RDF + "type":
                    type_links.append((label(obj.value), link(obj.value)))
                    continue
                value: tuple[str, str | None] = (label(obj.value), link(obj.value))
            else:
                value = (readable(obj), None)
            grouped.setdefault(predicate, []).append(value)
        rows = [(label(p), link(p), values) for p, values in grouped.items()]
        incoming = [
            (label(t.subject.value), link(t.subject.value), label(t.predicate.value))
            for t in self.site.referenced_by(iri)
            if isinstance(t.subject, ox.NamedNode)
        ]
        lead = ""
        text = self.site.first(iri, gdp + "textValue")
        if text:
            lead += pages.quote_block(text)
        source = self.site.source(iri)
        if source is not None:
            lines = [
                int(lexical(q.object))
                for q in self.site.store.quads_for_pattern(
                    ox.NamedNode(iri), ox.NamedNode(gdp + "sourceLine"), None
                )
            ]
            lead += pages.source_note(*source, lines)
        cite = ""
        document = self.site.first(iri, PROV + "wasDerivedFrom")
        country = self.site.first(document, gdp + "country") if document else ""
        if document:
            cite = pages.profile_citation(
                self.site.label(country) if country else "a",
                self.site.first(document, SCHEMA + "url"),
                self.site.first(document, gdp + "lastUpdated"),
            )
        title = label(iri)
        return pages.resource(iri, title, type_links, rows, incoming, alternates, extra, lead, cite)

    async def quality(self, request: Request) -> Response:
        """/quality: the quality findings by country and check (issue 14)."""
        body = await run_in_threadpool(quality_page, self.site, self.link)
        return Response(body, media_type=HTML)

    # -- namespace documents -----------------------------------------------------------------

    async def namespace(self, request: Request) -> Response:
        """The ontology at {base}def/ and the shapes at {base}shapes/, as Turtle or HTML."""
        name = request.url.path.strip("/")
        namespace = self.namespaces[name]
        offered = ["text/html", "text/turtle"]
        chosen = choose(parse_accept(request.headers.get("accept")), offered)
        alternates = [(kind, f"/{name}/") for kind in offered]
        headers = {"Vary": "Accept", "Link": link_header(alternates)}
        if chosen is None:
            return _not_acceptable(headers, offered)
        if chosen == "text/turtle":
            return Response(namespace.turtle, media_type="text/turtle", headers=headers)
        html = pages.vocabulary(namespace, self.site.label, alternates)
        return Response(html, media_type=HTML, headers=headers)

    async def shape(self, request: Request) -> Response:
        """A shape's IRI: 303 to the shapes document (at its anchor, for people)."""
        iri = self.iri(request.url.path.lstrip("/"))
        term = self.namespaces["shapes"].terms.get(iri)
        if term is None:
            return self.not_found(request, f"no shape <{iri}>")
        return Response(status_code=303, headers={"Location": f"/shapes/#{term.anchor}"})

    # -- home, dumps, VoID -------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        dataset = self.iri("id/dataset/gdp")
        info = {
            "title": self.site.label(dataset),
            "href": self.link(dataset),
            "description": self.site.first(dataset, DCTERMS + "description"),
        }
        countries = self.site.countries()
        html = await run_in_threadpool(pages.home, countries, self.link, info, self.dump_files)
        return Response(html, media_type=HTML)

    @cached_property
    def dump_files(self) -> list[dict[str, str]]:
        """The distributions the VoID description lists, with their file names (read once);
        a country's dump is titled with the country's name."""
        out = []
        for row in self.site.dumps():
            name = row["url"].removeprefix(self.base + "dumps/")
            entry = {**row, "name": name, "href": f"/dumps/{name}"}
            if name.startswith("country/") and name.endswith(".ttl"):
                country = self.iri("id/country/" + name[len("country/") : -len(".ttl")])
                entry["title"] = f"Everything about {self.site.label(country)}, in Turtle"
            out.append(entry)
        return out

    async def source(self, request: Request) -> Response:
        """/source/<file>: a profile's text with an anchor per line (#L88); ?lines=71,88 marks
        the lines a value came from; ?plain gives the text itself."""
        name = request.path_params["name"]
        known = {f: (c, url) for c, (f, url) in self.profile_files.items()}
        path = self.profiles / name if self.profiles is not None else None
        document = ""
        if name in known:
            country, url = known[name]
            document = self.site.first(country, self.base + "def/profile")
        elif name in self.facility_files and self.profiles is not None:
            # issue 17: facility pages sit beside the profiles (data/detention-centres/)
            document, country, url = self.facility_files[name]
            path = self.profiles.parent / "detention-centres" / name
        if not document or path is None or not path.is_file():
            return self.not_found(request, f"no profile text {name!r}")
        data = await run_in_threadpool(path.read_bytes)
        digest = self.site.first(document, self.base + "def/sha256")
        if digest and hashlib.sha256(data).hexdigest() != digest:
            # Line anchors into another version of the page would point at the wrong lines.
            message = f"{name} in {self.profiles} is not the text the graph was built from"
            return self.not_found(request, message)
        text = data.decode("utf-8", "replace")
        if "plain" in request.query_params:
            return PlainTextResponse(text)
        marked = {
            int(n) for n in request.query_params.get("lines", "").split(",") if n.strip().isdigit()
        }
        if name in known:
            about = (self.site.label(country), self.link(country))
            html = reader_pages.source_page(name, text, marked, url, about)
        else:
            found = self.site.select(
                "SELECT ?doc ?f WHERE { ?f gdp:facilityPage ?doc } LIMIT 1", doc=document
            )
            facility = next((r["f"] for r in found), "")
            named = (self.site.label(facility), self.link(facility)) if facility else None
            html = reader_pages.source_page(
                name, text, marked, url, named, "detention-facility page"
            )
        return Response(html, media_type=HTML)

    async def dump_list(self, request: Request) -> Response:
        return Response(pages.dumps(self.dump_files), media_type=HTML)

    async def dump_file(self, request: Request) -> Response:
        """A dump, only if the VoID description lists it, with its checksum as ETag."""
        name = request.path_params["name"]
        entry = next((f for f in self.dump_files if f["name"] == name), None)
        if entry is None:
            return self.not_found(request, f"no dump {name!r}; see /dumps/")
        digest = base64.b64encode(bytes.fromhex(entry["sha"])).decode()
        headers = {"ETag": f'"{entry["sha"]}"', "Repr-Digest": f"sha-256=:{digest}:"}
        if headers["ETag"] in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": headers["ETag"]})
        kind = entry.get("format") or "application/octet-stream"
        return FileResponse(self.data / name, media_type=kind, headers=headers)

    async def void(self, request: Request) -> Response:
        """/.well-known/void (RFC 5785, VoID section 7): the VoID description."""
        offered = ["text/turtle", "text/html"]
        chosen = choose(parse_accept(request.headers.get("accept")), offered)
        headers = {"Vary": "Accept"}
        if chosen is None:
            return _not_acceptable(headers, offered)
        if chosen == "text/html":
            headers["Location"] = self.link(self.iri("id/dataset/gdp"))
            return Response(status_code=303, headers=headers)
        return FileResponse(self.data / "void.ttl", media_type="text/turtle", headers=headers)
