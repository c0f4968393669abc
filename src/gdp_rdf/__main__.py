"""Allow ``python -m gdp_rdf``."""

from __future__ import annotations

from gdp_rdf.cli import main

if __name__ == "__main__":
    main()
