"""Distances on the Earth's surface, for "near me" searches. Pure functions, no Django."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains the circle.

    Used as an indexable pre-filter before the exact distance. Near the poles or across the
    antimeridian the box widens to the full longitude range rather than splitting in two.
    """
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos_lat = math.cos(math.radians(lat))
    if cos_lat < 1e-6 or max_lat >= 89.9 or min_lat <= -89.9:
        return min_lat, max_lat, -180.0, 180.0
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    if dlon >= 180 or lon - dlon < -180 or lon + dlon > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, lon - dlon, lon + dlon
