"""What the graph says, asked with SPARQL over dist/gdp.ttl."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gdp_rdf.errors import MappingError
from gdp_rdf.graph.mapping import facts_to_graph, map_profile
from gdp_rdf.graph.terms import parse_block
from gdp_rdf.reader.facts import Profile
from gdp_rdf.reader.page import parse_profile
from gdp_rdf.vocab import Iris

PREFIXES = """
PREFIX gdp: <https://w3id.org/gdp-rdf/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX period: <https://w3id.org/gdp-rdf/code/period/>
PREFIX dataset: <https://w3id.org/gdp-rdf/id/dataset/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX schema: <http://schema.org/>
PREFIX country: <https://w3id.org/gdp-rdf/id/country/>
PREFIX indicator: <https://w3id.org/gdp-rdf/code/indicator/>
PREFIX treaty: <https://w3id.org/gdp-rdf/id/treaty/>
PREFIX body: <https://w3id.org/gdp-rdf/id/body/>
"""


def rows(store, query: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    solutions = store.query(PREFIXES + query)
    names = [v.value for v in solutions.variables]
    out = []
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            row[name] = None if term is None else term.value
        out.append(row)
    return out


def value(store, indicator: str, year: int, iso3: str = "KAZ") -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return rows(
        store,
        f"""SELECT ?value ?status ?datatype WHERE {{
          ?o a qb:Observation ; gdp:refArea country:{iso3} ;
             gdp:indicator indicator:{indicator} ; gdp:refPeriod period:{year} .
          OPTIONAL {{ ?o gdp:numericValue ?value BIND(datatype(?value) AS ?datatype) }}
          OPTIONAL {{ ?o gdp:missingStatus|gdp:obsStatus ?status }}
        }}""",
    )


def test_acceptance_values(store) -> None:  # type: ignore[no-untyped-def]
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    assert value(store, "criminal-prison-population", 1992) == [
        {"value": "58519", "status": None, "datatype": integer}
    ]
    assert value(store, "refugees", 2023) == [{"value": "345", "status": None, "datatype": integer}]
    assert value(store, "foreign-prisoners-percentage", 2017) == [
        {"value": "4.5", "status": None, "datatype": decimal}
    ]
    unit = rows(
        store,
        """SELECT ?unit WHERE { ?o gdp:indicator indicator:foreign-prisoners-percentage ;
             gdp:refArea country:KAZ ; gdp:unitMeasure ?unit }""",
    )
    assert unit == [{"unit": "https://w3id.org/gdp-rdf/code/unit/percent"}]


def test_unemployment_periods_are_marked_missing(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(
        store,
        """SELECT ?year ?status WHERE {
             ?o gdp:indicator indicator:unemployment-rate ; gdp:refArea country:KAZ ;
                gdp:refPeriod/gdp:year ?year ; gdp:missingStatus ?status .
             FILTER NOT EXISTS { ?o gdp:numericValue ?any } } ORDER BY ?year""",
    )
    missing = "https://w3id.org/gdp-rdf/code/status/year-without-value"
    assert found == [{"year": "2014", "status": missing}, {"year": "2018", "status": missing}]


def test_not_available_is_never_zero(store) -> None:  # type: ignore[no-untyped-def]
    found = value(store, "migration-detainee-entries", 2019)
    assert found == [
        {
            "value": None,
            "status": "https://w3id.org/gdp-rdf/code/status/not-available",
            "datatype": None,
        }
    ]


def test_treaty_ratification(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(
        store,
        """SELECT ?year ?observed WHERE { ?r a gdp:Ratification ; gdp:country country:KAZ ;
             gdp:treaty treaty:CAT ; gdp:ratificationYear ?year ; gdp:observationDate ?observed }""",
    )
    assert found == [{"year": "1998", "observed": "2017"}]
    count = rows(
        store, "SELECT (COUNT(*) AS ?n) WHERE { ?r a gdp:Ratification ; gdp:country country:KAZ }"
    )
    assert count == [{"n": "13"}]


def test_committee_against_torture_recommendation(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(
        store,
        """SELECT ?year ?observed ?text ?topic ?body WHERE { ?r a gdp:Recommendation ;
             gdp:country country:KAZ ; gdp:issuedBy ?b ; gdp:recommendationYear ?year ;
             gdp:observationDate ?observed ; gdp:textValue ?text ; gdp:topic ?topic .
             ?b skos:prefLabel ?body }""",
    )
    assert len(found) == 1
    rec = found[0]
    assert (rec["year"], rec["observed"], rec["body"], rec["topic"]) == (
        "2023",
        "2024",
        "Committee against Torture",
        "Asylum system and non-refoulement",
    )
    assert str(rec["text"]).startswith("35.While noting")


def test_every_fact_traces_to_its_page_and_line(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(
        store,
        """SELECT ?url ?updated ?line WHERE {
             ?o gdp:indicator indicator:criminal-prison-population ; gdp:refArea country:KAZ ;
                gdp:refPeriod period:1992 ; gdp:valueLine ?line ;
                prov:wasDerivedFrom ?doc .
             ?doc gdp:lastUpdated ?updated . OPTIONAL { ?doc schema:url ?url } }""",
    )
    assert found == [{"url": None, "updated": "2024-07", "line": "88"}]
    orphans = rows(
        store,
        """SELECT (COUNT(?f) AS ?n) WHERE { ?f a ?c . VALUES ?c { gdp:Observation gdp:Ratification
             gdp:Recommendation gdp:ComplaintsAcceptance gdp:Legislation gdp:MonitoringInstitution
             gdp:LegalTraditionRecord gdp:ConflictingValue gdp:AnswerPart }
             FILTER NOT EXISTS { ?f prov:wasDerivedFrom ?doc ; gdp:sourceLine ?line } }""",
    )
    assert orphans == [{"n": "0"}]


def test_headline_and_series_are_one_observation(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(
        store,
        """SELECT ?line WHERE { ?o gdp:indicator indicator:refugees ; gdp:refArea country:KAZ ;
             gdp:refPeriod period:2023 ; gdp:sourceLine ?line } ORDER BY xsd:integer(?line)""",
    )
    assert [r["line"] for r in found] == ["11", "13", "15", "134", "135", "136"]


def test_conflicting_values_are_kept_apart(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(
        store,
        """SELECT ?value ?other ?line WHERE { ?o gdp:indicator indicator:refugees ;
             gdp:refArea country:FSM ; gdp:refPeriod period:2015 ;
             gdp:numericValue ?value ; gdp:conflictingValue ?c . ?c gdp:numericValue ?other ;
             gdp:valueLine ?line }""",
    )
    assert found == [{"value": "3", "other": "0", "line": "102"}]


def test_undated_values_are_in_their_series_with_an_unknown_period(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(
        store,
        """SELECT ?indicator ?answer WHERE { ?o qb:dataSet dataset:answers ; gdp:refPeriod period:unknown ;
             gdp:refArea country:KAZ ; gdp:indicator ?i ; gdp:answer ?answer .
             ?i skos:notation ?indicator } ORDER BY ?indicator""",
    )
    yes = "https://w3id.org/gdp-rdf/code/answer/yes"
    assert found == [
        {"indicator": "detains-migrants", "answer": yes},
        {"indicator": "has-detention-laws", "answer": yes},
    ]
    days = rows(
        store,
        """SELECT ?days ?unit WHERE { ?o gdp:indicator indicator:average-detention-length ;
             gdp:refArea country:KAZ ; gdp:numericValue ?days ; gdp:unitMeasure ?unit }""",
    )
    assert days == [{"days": "10", "unit": "https://w3id.org/gdp-rdf/code/unit/days"}]


def test_every_country_is_in_the_graph(store) -> None:  # type: ignore[no-untyped-def]
    found = rows(store, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a gdp:Country }")
    assert found == [{"n": "40"}]  # 34 profiles, 6 countries of facility pages (issue 17)


def profile(text: str) -> Profile:
    return parse_profile(text, source="test.txt")


def test_unknown_labels_get_unreviewed_concepts() -> None:
    block = map_profile(
        profile("Kazakhstan\n\nPRISON DATA\n\nWidget Count (Year)\n7\n2019\n"), Iris()
    )
    assert [(u.scheme, u.notation, u.label, u.section, u.reviewed) for u in block.unreviewed] == [
        ("indicator", "unreviewed-widget-count-year", "Widget Count (Year)", "prison-data", False),
        ("period", "2019", "2019", None, True),
    ]


def test_gaps_are_observations_of_their_own_data_set(store) -> None:  # type: ignore[no-untyped-def]
    """A gap's measure is its status: queryable, never 0, and no value-cube IC is broken."""
    found = rows(
        store,
        """SELECT ?status (COUNT(?o) AS ?n) WHERE { ?o qb:dataSet dataset:gaps ; gdp:missingStatus ?s .
             ?s skos:notation ?status FILTER NOT EXISTS { ?o gdp:numericValue|gdp:answer ?v } }
           GROUP BY ?status ORDER BY ?status""",
    )
    assert found == [
        {"status": "no-data", "n": "2"},
        {"status": "not-available", "n": "30"},
        {"status": "year-without-value", "n": "9"},
    ]
    unknown = rows(
        store,
        """SELECT (COUNT(?o) AS ?n) WHERE { ?o qb:dataSet dataset:answers ; gdp:answer ?a ;
             gdp:obsStatus <https://w3id.org/gdp-rdf/code/status/unknown> }""",
    )
    assert unknown == [{"n": "15"}]


def test_country_from_source_url_when_the_name_line_is_missing() -> None:
    text = (
        "# source: https://www.globaldetentionproject.org/countries/europe/andorra\n"
        "PRISON DATA\nCriminal Prison Population (Year)\n41\n2016\n"
    )
    block = map_profile(profile(text), Iris())
    assert block.iso3 == "AND"


def test_unknown_country_is_a_clear_error() -> None:
    with pytest.raises(MappingError, match="test.txt: cannot tell which country"):
        map_profile(profile("Narnia\n\nRefugees\n\n3\n\n2020\n"), Iris())


def test_two_profiles_of_one_country_are_refused() -> None:
    page = profile("Kazakhstan\n\nRefugees\n\n3\n\n2020\n")
    blocks = [map_profile(page, Iris()), map_profile(page, Iris())]
    with pytest.raises(MappingError, match="two profiles of KAZ"):
        facts_to_graph(blocks, [], Iris().base)


def test_decimal_lexical_forms_are_plain() -> None:
    block = map_profile(
        profile(
            "Kazakhstan\n\nSOCIO-ECONOMIC DATA & POLLS\n\nGross Domestic Product per Capita (in USD)\n12,601.50\n2014\n"
        ),
        Iris(),
    )
    triples = parse_block(block.ntriples)
    values = [t.object.value for t in triples if t.predicate.value.endswith("numericValue")]
    assert values == [str(Decimal("12601.50"))]


def test_code_lists_are_clean_skos(store) -> None:  # type: ignore[no-untyped-def]
    """Notations unique in their scheme; top concepts stated both ways; no concept is also a
    class of another vocabulary."""
    clashes = rows(
        store,
        """SELECT ?scheme ?n WHERE { ?a skos:inScheme ?scheme ; skos:notation ?n .
             ?b skos:inScheme ?scheme ; skos:notation ?n FILTER (?a != ?b) }""",
    )
    assert clashes == []
    one_way = rows(
        store,
        """SELECT ?c WHERE { { ?c skos:topConceptOf ?s FILTER NOT EXISTS { ?s skos:hasTopConcept ?c } }
             UNION { ?s skos:hasTopConcept ?c FILTER NOT EXISTS { ?c skos:topConceptOf ?s } } }""",
    )
    assert one_way == []
    doubly = rows(
        store,
        """SELECT DISTINCT ?c WHERE { ?c a skos:Concept , ?other
             FILTER (!STRSTARTS(STR(?other), "https://w3id.org/gdp-rdf/def/") && ?other != skos:Concept) }""",
    )
    assert doubly == []
