"""Page versions over time: what changed between two versions, changes as RDF, releases."""
