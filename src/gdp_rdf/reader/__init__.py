"""Page text -> typed facts: the reader (pure Python; imports neither rdflib nor pyoxigraph)."""
