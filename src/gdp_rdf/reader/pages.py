"""Any saved GDP page -> the right reader: country profile or detention facility (pure)."""

from __future__ import annotations

import re
from pathlib import Path

from gdp_rdf.reader.facility import parse_facility
from gdp_rdf.reader.facility_model import FacilityProfile
from gdp_rdf.reader.facts import Profile
from gdp_rdf.reader.files import read_text
from gdp_rdf.reader.page import parse_profile

_FACILITY_URL = re.compile(r"^#\s*source:\s*\S*/detention-centres/", re.IGNORECASE | re.MULTILINE)
_FACILITY_MARKERS = re.compile(r"^(?:FACILITY NAMES|Detains:.*)$", re.MULTILINE)


def is_facility_page(text: str) -> bool:
    """A facility page: its source URL is under /detention-centres/, or it prints
    "FACILITY NAMES" and a "Detains:" line (copies saved without a source line)."""
    return bool(_FACILITY_URL.search(text)) or len(set(_FACILITY_MARKERS.findall(text))) >= 2


def parse_page(text: str, source: str = "<string>") -> Profile | FacilityProfile:
    """Read the text of a country-profile or detention-facility page.

    Raises:
        ParseError: the text is empty or is neither kind of GDP page.
    """
    if is_facility_page(text):
        return parse_facility(text, source)
    return parse_profile(text, source)


def read_page(path: Path) -> Profile | FacilityProfile:
    """Read and parse one saved page file of either kind.

    Raises:
        ParseError: the file is missing, unreadable, binary, not UTF-8, empty, or not a page.
    """
    return parse_page(read_text(path), source=str(path))
