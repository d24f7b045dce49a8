"""The map's opening view: the area where the incidents are, so a few far outliers do not shrink it to a dot.

Points far from the rest (further from the median point than twice the distance within which
`CORE_SHARE` of them lie, and more than `MIN_OUTLIER_KM` away) are left out of the opening
frame; they stay on the map, and the summary panel counts what lies outside the view.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CORE_SHARE", "MIN_OUTLIER_KM", "OUTLIER_FACTOR", "View", "frame"]

WORLD = ((-60.0, -170.0), (75.0, 175.0))
CORE_SHARE = 0.9            # the share of points whose spread sets the scale
OUTLIER_FACTOR = 2.0        # a point this many times further out than that scale is an outlier...
MIN_OUTLIER_KM = 1000.0     # ...and at least this far from the median point
MIN_POINTS = 5              # below this there is no main cluster to protect: frame every point
TOWN_PAD = 0.5              # degrees around a frame narrower than one degree (one town: show its surroundings)
_KM_PER_DEGREE = 111.2

Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True, slots=True)
class View:
    """The opening frame ((south, west), (north, east)), the frame of every point, and how many are outside."""

    bounds: Bounds
    everything: Bounds
    outside: int


def _box(points: Sequence[tuple[float, float]]) -> Bounds:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    south, west, north, east = min(lats), min(lons), max(lats), max(lons)
    pad = TOWN_PAD if (north - south) < 1 and (east - west) < 1 else 0.0
    return ((max(south - pad, -90.0), max(west - pad, -180.0)), (min(north + pad, 90.0), min(east + pad, 180.0)))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance: plenty for ranking points by how far out they lie."""
    dx = (a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, a[0] - b[0]) * _KM_PER_DEGREE


def frame(points: Sequence[tuple[float, float]]) -> View:
    """The opening view of (lat, lon) points: all of them, minus far outliers.

    >>> iraq = [(36.3 + k / 100, 43.1 + k / 100) for k in range(20)]
    >>> view = frame(iraq + [(38.9, -77.0)])            # one incident in Washington
    >>> view.outside, view.bounds[0][1] > 40, view.everything[0][1]
    (1, True, -77.0)
    >>> frame([]).bounds == WORLD
    True
    """
    if not points:
        return View(WORLD, WORLD, 0)
    everything = _box(points)
    if len(points) < MIN_POINTS:
        return View(everything, everything, 0)
    centre = (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
    distances = sorted(_km(p, centre) for p in points)
    scale = distances[min(len(distances) - 1, math.ceil(CORE_SHARE * len(distances)) - 1)]
    limit = max(OUTLIER_FACTOR * scale, MIN_OUTLIER_KM)
    core = [p for p in points if _km(p, centre) <= limit]
    if len(core) == len(points):
        return View(everything, everything, 0)
    bounds = _box(core)
    (south, west), (north, east) = bounds
    outside = sum(1 for lat, lon in points if not (south <= lat <= north and west <= lon <= east))
    return View(bounds, everything, outside)
