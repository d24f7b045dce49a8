"""How a candidate is scored: the weights of each kind of evidence, and the distances they use."""

from __future__ import annotations

import math
from dataclasses import dataclass

from gazetteer.model import Level
from gazetteer.resolve.candidates import BIG as _BIG
from gazetteer.resolve.candidates import SUB_CITY as _SUB_CITY
from gazetteer.resolve.candidates import Candidate

__all__ = ["Weights", "haversine_km"]


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts (tuned on the gold corpora, see docs/accuracy.md)."""

    prior: float = 3.5
    country: float = 2.5
    dateline: float = 0.6
    admin1: float = 0.8
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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


# Levels a level word rules out for a candidate far from the story's places in a country it hardly
# names: the word names a unit of the story's own country, and a namesake abroad of another
# level is only a homonym.
_MISFITS_ABROAD: dict[str | None, tuple[Level, ...]] = {
    "district": (Level.PROVINCE, Level.CITY),
    "province": (Level.DISTRICT, Level.CITY),
}


def _static_score(c: "Candidate", w: Weights) -> float:
    """The part of a candidate's score that does not depend on the article."""
    p = c.place
    s = w.prior * c.prior
    if c.exact:
        s += w.exact
        if p.level in _BIG:
            s += w.country_name if p.level is not Level.PROVINCE else w.province_name
    if c.skel:
        s -= w.skeleton
    if p.feature_code == "PPLC":
        s += w.capital
    return s


def _nearest_km(lat: float, lon: float, anchors) -> float:
    """Distance to the nearest anchor; an equirectangular estimate is plenty for a score kernel."""
    best = 1e9
    k = math.cos(math.radians(lat))
    for a, b in anchors:
        dlon = abs(lon - b)
        if dlon > 180.0:
            dlon = 360.0 - dlon
        d = (lat - a) ** 2 + (dlon * k) ** 2
        if d < best:
            best = d
    return 111.2 * math.sqrt(best)


def _contained(c: Candidate, container) -> float:
    """1 when a container candidate holds `c` (same country / same region / parent), else 0."""
    p = c.place
    for k in container:
        q = k.place
        if q.id == p.id:
            continue
        if q.level is Level.COUNTRY and c.cc and q.country_code == c.cc and p.level is not Level.COUNTRY:
            return 1.0
        if q.level is Level.PROVINCE and p.level not in _BIG and c.cc == q.country_code:
            if c.a1 and c.a1 == k.a1:
                return 1.0
            if haversine_km(p.lat, p.lon, q.lat, q.lon) < 150:
                return 0.8
        if q.level is Level.PROVINCE and p.level is Level.PROVINCE:
            continue
        if p.parent_id and p.parent_id == q.id:
            return 1.0
        if q.level is Level.CITY and p.level in _SUB_CITY and haversine_km(p.lat, p.lon, q.lat, q.lon) < 30:
            return 1.0
    return 0.0
