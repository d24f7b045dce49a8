"""Place arithmetic for incidents: ACLED geo precision by level, containment and distance."""

from __future__ import annotations

from gazetteer.resolve.resolver import haversine_km
from geo.model import GeoPrecision, Level, Place

__all__ = ["contains", "distance_km", "geo_precision", "place_precision"]

_PRECISION_BY_LEVEL = {
    Level.CONTINENT: GeoPrecision.REGION, Level.COUNTRY: GeoPrecision.REGION,
    Level.PROVINCE: GeoPrecision.REGION, Level.DISTRICT: GeoPrecision.NEAR,
    Level.CITY: GeoPrecision.TOWN, Level.NEIGHBOURHOOD: GeoPrecision.TOWN, Level.CAMP: GeoPrecision.TOWN,
    Level.LANDMARK: GeoPrecision.TOWN, Level.FEATURE: GeoPrecision.NEAR,
}


def geo_precision(level: Level, *, near: bool = False) -> GeoPrecision:
    """ACLED geo precision for a place of `level`, one step coarser when the text says "near" it.

    >>> geo_precision(Level.CITY).value, geo_precision(Level.CITY, near=True).value
    (1, 2)
    >>> geo_precision(Level.PROVINCE, near=True).value
    3
    """
    base = _PRECISION_BY_LEVEL.get(level, GeoPrecision.REGION)
    if near and base is GeoPrecision.TOWN:
        return GeoPrecision.NEAR
    return base


def place_precision(place: Place, *, near: bool = False) -> GeoPrecision:
    """ACLED geo precision for `place`: a part of a town placed at its town's point ("the Wahda
    district of east Mosul") is coded like the town, as ACLED codes a neighbourhood at its town; a sea
    or gulf ("in the Red Sea") like a region: its point says only roughly where."""
    if place.water:
        return GeoPrecision.REGION
    return geo_precision(Level.CITY if place.located_at == "parent" else place.level, near=near)


def contains(big: Place, small: Place) -> bool:
    """True if `big` is `small`, its parent, its first-level region or its country."""
    if big.id == small.id or small.parent_id == big.id:
        return True
    if big.country_code is None or big.country_code != small.country_code:
        return False
    if big.level is Level.COUNTRY:
        return small.level is not Level.COUNTRY
    return big.level is Level.PROVINCE and small.admin1 is not None and big.admin1 == small.admin1 \
        and small.level.rank > big.level.rank


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places in kilometres."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)
