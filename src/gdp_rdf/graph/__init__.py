"""Facts -> triples -> checked, written files: mapping, the shared block, validation, dumps, VoID."""
