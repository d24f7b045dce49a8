"""How much each kind of evidence weighs when a candidate is scored, and the distances it is measured by.

The features that use these weights are in `gazetteer.resolve.features`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Weights", "haversine_km", "nearest_each", "nearest_km"]

_EARTH_DIAMETER_KM = 12742.0
_KM_PER_DEGREE = 111.2           # of latitude, and of longitude at the equator
_FARTHER_THAN_ANY = 1e9          # in squared degrees: about 3.5 million km, beyond any distance on Earth


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts (tuned on the gold corpora, see docs/accuracy.md)."""

    prior: float = 3.5
    country: float = 2.5
    dateline: float = 0.6
    admin1: float = 0.8
    town_region: float = 1.0     # in the province most of the story's towns lie in (a local paper's home state)
    home_share: float = 0.5      # ... holding at least this share of them
    container: float = 3.0
    parent: float = 2.5
    orphan: float = 1.0          # a sub-city curated place whose parent the article never names
    hint: float = 1.0
    proximity: float = 1.2
    proximity_km: float = 100.0
    region: float = 1.0          # same part of the world as the article's other places
    region_km: float = 1500.0
    neighbour: float = 1.0       # in a country the article does not name, but next to one it does
    neighbour_km: float = 500.0
    list_level: float = 1.0      # of the level the names it is listed with read as ("Oregon and Washington")
    coherence: float = 0.8       # near some reading of the article's other names (joint, not just best guesses)
    coherence_km: float = 100.0
    coherence_cap: float = 3.0
    exact: float = 1.5
    capital: float = 1.0         # national capitals are named from abroad far more than namesakes
    dateline_place: float = 1.5  # datelines name well-known places: weigh size more
    foreign_small: float = 1.0   # a small place in a country the article never mentions
    country_name: float = 2.0    # a country's own name rarely means a namesake village
    province_name: float = 0.8
    skeleton: float = 0.8
    temperature: float = 2.0
    hint_country: float = 4.0
    quarter_km: float = 300.0    # a district or quarter lies near the article's other places
    far_quarter: float = 3.0
    neighbourhood_km: float = 50.0   # a "neighbourhood" candidate must be this close to a place the story names
    floor: float = 2.5           # best score below which a hinted mention is left unresolved
    stray_km: float = 1500.0     # a small foreign town this far from all the story's places is a guess
    stray_share: float = 0.34    # ... unless its country has this share of the story's main country's votes
    generic_km: float = 1500.0   # "the Gulf", "West Coast": a kind of place, never one this far off in a foreign country


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return _EARTH_DIAMETER_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest_km(lat: float, lon: float, anchors) -> float:
    """Distance to the nearest anchor; an equirectangular estimate is plenty for a score kernel."""
    return _nearest(lat, lon, math.cos(math.radians(lat)), anchors)


def nearest_each(lat: float, lon: float, groups) -> list[float]:
    """`nearest_km(lat, lon, points)` for each group of points, the same figures with one cosine for all."""
    k = math.cos(math.radians(lat))
    return [_nearest(lat, lon, k, anchors) for anchors in groups]


def _nearest(lat: float, lon: float, k: float, anchors) -> float:
    """`nearest_km` with the cosine of `lat` given (`k`); no anchors: farther than any place on Earth."""
    best = _FARTHER_THAN_ANY
    for a, b in anchors:
        dlon = abs(lon - b)
        if dlon > 180.0:
            dlon = 360.0 - dlon
        d = (lat - a) ** 2 + (dlon * k) ** 2
        if d < best:
            best = d
    return _KM_PER_DEGREE * math.sqrt(best)
