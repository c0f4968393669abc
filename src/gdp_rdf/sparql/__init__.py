"""SPARQL: the query catalogue, the embedded store, remote endpoints and publishing."""
