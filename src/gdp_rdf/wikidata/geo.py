"""Points and distances for facility candidates: Wikidata's P625 values, great-circle
distances and the latitude / longitude box a query asks for (plain SPARQL 1.1 has no distance
function; Wikidata's `wikibase:around` and `geof:distance` are extensions Oxigraph lacks)."""

from __future__ import annotations

import math
import re

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
_POINT = re.compile(r"point\s*\(\s*(-?[0-9.eE+-]+)\s+(-?[0-9.eE+-]+)\s*\)", re.IGNORECASE)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on the mean Earth sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def point_of(wkt: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a Wikidata P625 value ("Point(lon lat)", maybe after a globe IRI)."""
    match = _POINT.search(wkt)
    if match is None or wkt.lstrip().startswith("<"):  # another globe (the Moon, Mars)
        return None
    try:
        lon, lat = float(match.group(1)), float(match.group(2))
    except ValueError:
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) around a point, enclosing the circle of ``radius_km``;
    west > east when the box crosses the antimeridian."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(south), abs(north))
    if widest >= 89.0:  # near a pole every longitude is close
        return south, -180.0, north, 180.0
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * math.cos(math.radians(widest))))
    west, east = lon - dlon, lon + dlon
    if west < -180.0:
        west += 360.0
    if east > 180.0:
        east -= 360.0
    return south, west, north, east
