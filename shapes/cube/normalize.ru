# Normalization algorithm of an abbreviated RDF Data Cube.
# Source: The RDF Data Cube Vocabulary, W3C Recommendation 16 January 2014, section 10.2
#   "Normalization algorithm" (https://www.w3.org/TR/2014/REC-vocab-data-cube-20140116/#normalize-algorithm).
# The two phases are reproduced verbatim as SPARQL 1.1 UPDATE operations; the only change
# is that both phases sit in one request (operations run in order, so phase 2 sees phase 1's
# output, as the Recommendation requires) and the PREFIX lines are merged at the top.
# Run with pyoxigraph: Store.update(open("normalize.ru").read()).
#
# Not covered by the Recommendation's algorithm (and so not here): attributes attached at the
# qb:MeasureProperty level, and attachment of components whose qb:componentAttachment is absent.

PREFIX rdf:            <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX qb:             <http://purl.org/linked-data/cube#>

# ---------------------------------------------------------------------------
# Phase 1: Type and property closure
# Adds the rdf:type triples that an abbreviated cube may omit, and expands the
# sub-properties of qb:componentProperty (qb:dimension, qb:measure, qb:attribute).
# ---------------------------------------------------------------------------

INSERT {
    ?o rdf:type qb:Observation .
} WHERE {
    [] qb:observation ?o .
};

INSERT {
    ?o  rdf:type qb:Observation .
    ?ds rdf:type qb:DataSet .
} WHERE {
    ?o qb:dataSet ?ds .
};

INSERT {
    ?s rdf:type qb:Slice .
} WHERE {
    [] qb:slice ?s.
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:DimensionProperty .
} WHERE {
    ?cs qb:dimension ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:MeasureProperty .
} WHERE {
    ?cs qb:measure ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:AttributeProperty .
} WHERE {
    ?cs qb:attribute ?p .
};

# ---------------------------------------------------------------------------
# Phase 2: Push down attachment levels
# Copies values of components attached at data set or slice level, and the
# dimension values fixed by a slice, down to each observation.
# ---------------------------------------------------------------------------

# Dataset attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp ;
             qb:componentAttachment qb:DataSet .
    ?dataset qb:structure [qb:component ?spec];
             ?comp ?value .
    ?obs     qb:dataSet ?dataset.
};

# Slice attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp;
             qb:componentAttachment qb:Slice .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
};

# Dimension values on slices
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp .
    ?comp a  qb:DimensionProperty .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
}
