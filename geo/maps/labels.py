"""Place labels of the offline basemap: which zoom each label starts at, so that no two overlap.

A place's first zoom comes from its population (`geo/data/basemap_labels.csv`); labels are placed
greedily, capitals and bigger places first, on a grid of 256-pixel cells per zoom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from gazetteer.datafiles import csv_rows
from geo.errors import UsageError

__all__ = ["Label", "LabelPlace", "population_zoom", "region_label_zooms", "select_labels"]

REGION_LABEL_ZOOMS = (5, 8)    # admin-1 names show between these zooms; closer in, towns take over
MAX_LABEL_ZOOM = 12            # a label that cannot be placed without overlap by this zoom is left out
# Label box in pixels for the overlap test: text of ~6.5 px per character 13 px right of the point
# (clear of an incident marker there), beside a 6 px dot.
CHAR_PX, LABEL_PAD_PX, LABEL_HEIGHT_PX, REGION_CHAR_PX = 6.5, 20, 16, 8.5




@dataclass(frozen=True, slots=True)
class LabelPlace:
    """A place that may be labelled: GeoNames name, position, population and whether it is a capital."""

    name: str
    lat: float
    lon: float
    population: int = 0
    capital: bool = False
    listed: bool = False   # a town of the curated conflict layer, whose population is not given


@dataclass(frozen=True, slots=True)
class Label:
    """A label placed on the basemap: it shows from `min_zoom` on."""

    name: str
    lat: float
    lon: float
    min_zoom: int
    kind: str   # "capital", "city" or "town"


@cache
def _zoom_rules() -> tuple[tuple[str, int, int], ...]:

    path = resources.files("geo") / "data" / "basemap_labels.csv"
    with resources.as_file(path) as real:
        rows = csv_rows(real)
    rules = []
    for line, row in rows:
        try:
            rules.append((row["kind"], int(row["min_population"]), int(row["zoom"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"{path}: line {line}: bad label zoom rule {row}") from exc
    return tuple(rules)


def population_zoom(population: int, capital: bool = False, listed: bool = False) -> int:
    """The first zoom at which a place of this population may be labelled (geo/data/basemap_labels.csv)."""
    for kind, least, zoom in _zoom_rules():
        if (kind == "capital" and capital) or (kind == "city" and population >= least) or (kind == "listed" and listed):
            return zoom
    return MAX_LABEL_ZOOM


def _pixel(lat: float, lon: float) -> tuple[float, float]:
    """Web-Mercator pixel position at zoom 0 (256 px world)."""
    lat = max(min(lat, 85.0), -85.0)
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180.0) / 360.0 * 256.0, (1 - y / math.pi) / 2 * 256.0


def select_labels(places: Iterable[LabelPlace], *, max_zoom: int = MAX_LABEL_ZOOM) -> list[Label]:
    """Each place's first zoom, capitals and bigger places first, so that no two labels overlap.

    A place starts at its `population_zoom`; while its label box (dot and text to the right) would
    overlap, at that zoom or any closer one, a label placed before it, it waits one zoom more. (Boxes
    apart at one zoom stay apart closer in, so a later label is checked at the zoom it starts from.)
    Places that still overlap at `max_zoom` are left out. The result is in rank order.
    """
    ranked = sorted(places, key=lambda p: (not p.capital, -p.population, p.name, p.lat, p.lon))
    Grid = dict[tuple[int, int], list[tuple[float, float, float, float]]]
    shown: dict[int, Grid] = {}     # zoom -> boxes of the labels showing at that zoom
    starting: dict[int, Grid] = {}  # zoom -> boxes of the labels that start showing there
    out: list[Label] = []
    for place in ranked:
        if not place.name:
            continue
        x0, y0 = _pixel(place.lat, place.lon)
        width = LABEL_PAD_PX + CHAR_PX * len(place.name)
        for zoom in range(population_zoom(place.population, place.capital, place.listed), max_zoom + 1):
            if _hits(_box(x0, y0, zoom, width), shown.get(zoom, {})) or any(
                _hits(_box(x0, y0, later, width), starting.get(later, {})) for later in range(zoom + 1, max_zoom + 1)
            ):
                continue
            _add(_box(x0, y0, zoom, width), starting.setdefault(zoom, {}))
            for later in range(zoom, max_zoom + 1):
                _add(_box(x0, y0, later, width), shown.setdefault(later, {}))
            kind = "capital" if place.capital else ("city" if zoom <= 6 else "town")
            out.append(Label(place.name, place.lat, place.lon, zoom, kind))
            break
    return out


def region_label_zooms(names: Sequence[str], lats: Sequence[float], lons: Sequence[float],
                       labels: Sequence[Label]) -> list[int]:
    """For each admin-1 name, a bit mask of the zooms in REGION_LABEL_ZOOMS where it overlaps no place
    label and no region name before it (bit z set: shown at zoom z)."""
    first, last = REGION_LABEL_ZOOMS
    grids: dict[int, dict] = {}
    for label in labels:
        x0, y0 = _pixel(label.lat, label.lon)
        for zoom in range(max(first, label.min_zoom), last + 1):
            _add(_box(x0, y0, zoom, LABEL_PAD_PX + CHAR_PX * len(label.name)), grids.setdefault(zoom, {}))
    masks = []
    for name, lat, lon in zip(names, lats, lons):
        x0, y0 = _pixel(lat, lon)
        mask = 0
        for zoom in range(first, last + 1):
            # Upper case and spaced: about 1.3 times as wide; centred on its point (see basemap.js).
            width = REGION_CHAR_PX * len(name)
            x, y = x0 * (1 << zoom), y0 * (1 << zoom)
            box = (x - width / 2, y - LABEL_HEIGHT_PX / 2, x + width / 2, y + LABEL_HEIGHT_PX / 2)
            if not _hits(box, grids.get(zoom, {})):
                _add(box, grids.setdefault(zoom, {}))
                mask |= 1 << zoom
        masks.append(mask)
    return masks


def _hits(box, grid) -> bool:
    if not grid:
        return False
    x1, y1, x2, y2 = box
    for cx in range(int(x1) >> 8, (int(x2) >> 8) + 1):
        for cy in range(int(y1) >> 8, (int(y2) >> 8) + 1):
            for ox1, oy1, ox2, oy2 in grid.get((cx, cy), ()):
                if x1 < ox2 and ox1 < x2 and y1 < oy2 and oy1 < y2:
                    return True
    return False


def _add(box, grid) -> None:
    """File a box under each 256-pixel cell it touches."""
    x1, y1, x2, y2 = box
    for cx in range(int(x1) >> 8, (int(x2) >> 8) + 1):
        for cy in range(int(y1) >> 8, (int(y2) >> 8) + 1):
            grid.setdefault((cx, cy), []).append(box)


def _box(x0: float, y0: float, zoom: int, width: float) -> tuple[float, float, float, float]:
    """The label's box in pixels at `zoom`: a dot left of the point's text, centred vertically."""
    x, y = x0 * (1 << zoom), y0 * (1 << zoom)
    return (x - 4, y - LABEL_HEIGHT_PX / 2, x + width, y + LABEL_HEIGHT_PX / 2)
