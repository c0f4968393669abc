"""Labels for people: the external vocabulary terms the pages show, and the page's printed
indicator labels tidied for headings (pure).

The project does not own these vocabularies, so their labels are a table here for display
only: nothing of it is ever written to the graph.
"""

from __future__ import annotations

from gdp_rdf.reader.codelists import plain_label

_QB = "http://purl.org/linked-data/cube#"
_SDMX_DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
_SDMX_ATT = "http://purl.org/linked-data/sdmx/2009/attribute#"
_SDMX_CODE = "http://purl.org/linked-data/sdmx/2009/code#"
_PROV = "http://www.w3.org/ns/prov#"
_DCAT = "http://www.w3.org/ns/dcat#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SCHEMA = "http://schema.org/"
_VOID = "http://rdfs.org/ns/void#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_SPDX = "http://spdx.org/rdf/terms#"
_VANN = "http://purl.org/vocab/vann/"
_QUDT = "http://qudt.org/vocab/unit/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DQV = "http://www.w3.org/ns/dqv#"
_OA = "http://www.w3.org/ns/oa#"
_GEO = "http://www.opengis.net/ont/geosparql#"

EXTERNAL_LABELS: dict[str, str] = {
    **{
        _QB + k: v
        for k, v in {
            "Observation": "statistical observation",
            "DataSet": "statistical data set",
            "DataStructureDefinition": "data structure",
            "ComponentSpecification": "component of a data structure",
            "DimensionProperty": "dimension",
            "MeasureProperty": "measure",
            "AttributeProperty": "attribute",
            "CodedProperty": "coded property",
            "dataSet": "in data set",
            "structure": "structure",
            "component": "component",
            "componentRequired": "required",
            "componentAttachment": "attached to",
            "attribute": "attribute",
            "dimension": "dimension",
            "measure": "measure",
            "order": "order",
            "codeList": "code list",
        }.items()
    },
    # Only the super-properties of the project's own dimensions and attributes (gdp:refArea,
    # ...), which carry their labels in the ontology.
    _SDMX_DIM + "refArea": "SDMX reference area",
    _SDMX_DIM + "refPeriod": "SDMX reference period",
    _SDMX_ATT + "unitMeasure": "SDMX unit of measure",
    _SDMX_ATT + "obsStatus": "SDMX observation status",
    _SDMX_CODE + "obsStatus-M": "missing value",
    _PROV + "wasDerivedFrom": "read from",
    _PROV + "hadPrimarySource": "primary source",
    _PROV + "Entity": "source document",
    _PROV + "specializationOf": "a printing of",  # a page version's value -> its record
    _PROV + "wasRevisionOf": "revision of",
    _OA + "hasBody": "note",
    _OA + "hasTarget": "about",
    _OA + "motivatedBy": "purpose",
    _GEO + "hasGeometry": "geometry",
    _GEO + "asWKT": "coordinates (WKT)",
    _GEO + "Geometry": "geometry",
    **{
        _DCAT + k: v
        for k, v in {
            "Dataset": "data set",
            "Distribution": "download",
            "distribution": "download",
            "downloadURL": "download address",
            "mediaType": "media type",
            "byteSize": "size in bytes",
            "DataService": "data service",
            "endpointURL": "service address",
            "servesDataset": "serves",
        }.items()
    },
    **{
        _SKOS + k: v
        for k, v in {
            "Concept": "concept",
            "ConceptScheme": "code list",
            "Collection": "group of concepts",
            "prefLabel": "name",
            "altLabel": "also printed as",
            "hiddenLabel": "also printed as (in other case)",
            "notation": "code",
            "inScheme": "in code list",
            "definition": "definition",
            "broader": "part of",
            "topConceptOf": "top concept of",
            "hasTopConcept": "top concept",
            "member": "member",
            "exactMatch": "same as",
            "closeMatch": "close to",
            "broadMatch": "narrower than",
        }.items()
    },
    **{
        _DCT + k: v
        for k, v in {
            "title": "title",
            "description": "description",
            "source": "source",
            "license": "licence",
            "rights": "rights",
            "modified": "last modified",
            "issued": "issued",
            "format": "format",
            "isPartOf": "part of",
            "isVersionOf": "version of",
            "replaces": "replaces",
            "isReplacedBy": "replaced by",
            "conformsTo": "conforms to",
            "references": "refers to",
            "relation": "related to",
            "spatial": "place",
            "Standard": "standard",
        }.items()
    },
    _RDF + "type": "type",
    _RDFS + "label": "name",
    _RDFS + "comment": "description",
    _RDFS + "isDefinedBy": "defined by",
    _RDFS + "range": "values are",
    _RDFS + "domain": "applies to",
    _RDFS + "subClassOf": "kind of",
    _RDFS + "subPropertyOf": "narrower than",
    _RDFS + "seeAlso": "see also",
    _OWL + "sameAs": "same as",
    _OWL + "Class": "class",
    _OWL + "ObjectProperty": "property",
    _OWL + "DatatypeProperty": "property",
    _OWL + "Ontology": "ontology",
    _OWL + "versionInfo": "version",
    **{
        _SCHEMA + k: v
        for k, v in {
            "name": "name",
            "url": "web page",
            "abstract": "overview",
            "headline": "headline",
            "text": "text",
            "datePublished": "published",
            "Country": "country",
            "CreativeWork": "document",
            "MediaObject": "file",
            "Legislation": "law",
            "Organization": "organisation",
            "Place": "place",
            "alternateName": "other name",
            "Dataset": "data set",
            "DataDownload": "download",
            "description": "description",
            "distribution": "download",
            "isBasedOn": "based on",
            "license": "licence",
            "encodingFormat": "format",
        }.items()
    },
    **{
        _VOID + k: v
        for k, v in {
            "Dataset": "data set",
            "Linkset": "set of links",
            "triples": "statements",
            "entities": "things described",
            "distinctSubjects": "subjects",
            "properties": "properties",
            "classes": "classes",
            "classPartition": "things of one class",
            "class": "class",
            "subset": "part",
            "dataDump": "dump",
            "uriSpace": "addresses start with",
            "vocabulary": "vocabulary used",
            "exampleResource": "example",
            "sparqlEndpoint": "SPARQL endpoint",
            "linkPredicate": "link property",
            "subjectsTarget": "links from",
            "objectsTarget": "links to",
        }.items()
    },
    **{
        _XSD + k: v
        for k, v in {
            "integer": "whole number",
            "nonNegativeInteger": "whole number (0 or more)",
            "decimal": "decimal number",
            "gYear": "year",
            "gYearMonth": "year and month",
            "date": "date",
            "boolean": "yes or no",
            "string": "text",
            "anyURI": "web address",
            "hexBinary": "hexadecimal",
        }.items()
    },
    **{
        _DQV + k: v
        for k, v in {
            "QualityMetadata": "quality annotations",
            "QualityAnnotation": "quality note",
            "hasQualityMetadata": "quality annotations",
            "QualityMeasurement": "quality measurement",
            "hasQualityMeasurement": "quality measurement",
            "Metric": "quality check",
            "Dimension": "quality dimension",
            "inDimension": "quality dimension",
            "isMeasurementOf": "measurement of",
            "computedOn": "measured on",
            "expectedDataType": "type of result",
            "value": "value",
        }.items()
    },
    _RDF + "langString": "text in a language",
    _FOAF + "Document": "document",
    _FOAF + "homepage": "home page",
    _SPDX + "checksum": "checksum",
    _SPDX + "Checksum": "checksum",
    _SPDX + "algorithm": "algorithm",
    _SPDX + "checksumValue": "checksum value",
    _SPDX + "checksumAlgorithm_sha256": "SHA-256",
    _VANN + "preferredNamespacePrefix": "preferred prefix",
    _VANN + "preferredNamespaceUri": "namespace",
    _QUDT + "DAY": "days",
    _QUDT + "NUM": "number",
    _QUDT + "PERCENT": "percent",
}


def external_label(iri: str) -> str | None:
    """A label for a term of a vocabulary the project uses but does not own."""
    return EXTERNAL_LABELS.get(iri)


def heading(label: str, unit: str | None) -> str:
    """The page's label for a heading: without "(Year)", and the unit added only when the
    label does not already end with its own parenthesised unit."""
    text = plain_label(label)
    if unit and not text.endswith(")"):
        return f"{text} ({unit})"
    return text
