"""The linked-data server: routes, read model, HTML, charts and the guarded SPARQL endpoint."""
