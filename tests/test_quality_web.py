"""The quality findings on the pages: /quality, and flags beside values on country pages."""

from __future__ import annotations

from starlette.testclient import TestClient

HTML = {"Accept": "text/html"}


def test_quality_page_lists_findings_by_country_and_check(web: TestClient) -> None:
    response = web.get("/quality")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>Quality findings</h1>" in page
    assert "falls from 12,601 in 2014 to 25.15 in 2018" in page
    assert '<a href="/doc/id/country/SMR.html">SMR</a>' in page
    assert "<script>" not in page


def test_country_page_flags_the_doubtful_value_and_says_why(web: TestClient) -> None:
    page = web.get("/doc/id/country/KAZ.html").text
    anchor = '<a href="/doc/id/observation/KAZ/gdp-per-capita/2018.html">details</a>'
    flagged = page.split(anchor, 1)[1].split("</td>", 1)[0]
    assert 'class="flag warning"' in flagged and ">jump</a>" in flagged
    assert "gdp-per-capita 12,601 (2014), line 187" in flagged  # the other value involved
    assert '<td class="num">25.15 <span class="flag-mark warning"' in page  # beside the value
    unflagged = '<a href="/doc/id/observation/KAZ/gdp-per-capita/2014.html">details</a>'
    assert page.split(unflagged, 1)[1].split("</td>", 1)[0] == ""


def test_a_finding_iri_dereferences(web: TestClient) -> None:
    page = web.get("/doc/id/country/KAZ.html").text
    href = page.split('href="/doc/id/quality/', 1)[1].split('"', 1)[0]
    response = web.get(
        "/id/quality/" + href.removesuffix(".html"), headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 303
    document = web.get(response.headers["location"])
    assert document.status_code == 200 and "QualityAnnotation" in document.text
