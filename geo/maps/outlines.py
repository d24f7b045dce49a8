"""Country outlines for maps that may lack tiles: the countries dissolved from admin-1, simplified.

Dissolving and simplifying take about a second, so the default outlines are kept in a JSON file beside
the gazetteer index (`<index>.outlines.json`), keyed by the SHA-256 of the admin-1 file they come from,
the GEOS version that simplified them and the simplification's parameters; a file that does not match,
or is not plain outline data (the folder may be writable by others), is rebuilt. Written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import shapely

from gazetteer.boundaries import admin1_path, load_countries
from gazetteer.paths import clean_stale, default_index_path, publish, temp_prefix

__all__ = ["cache_path", "outline_geojson"]

OUTLINES_FORMAT = 1
_TOLERANCE = 0.05      # degrees: simplification
_GRID = 0.01           # degrees: the precision coordinates are snapped to
_GEOMETRIES = {"Polygon": 3, "MultiPolygon": 4}    # GeoJSON type -> nesting depth of its coordinates


def outline_geojson(countries=None) -> dict:
    """Simplified country outlines (no properties) for maps without tiles."""
    if countries is None:
        return _default_outlines()
    return _outlines(countries)


def cache_path() -> Path:
    """Where the default outlines are kept: beside the gazetteer index."""
    index = default_index_path()
    return index.with_name(index.name + ".outlines.json")


@lru_cache(maxsize=1)
def _default_outlines() -> dict:
    path = cache_path()
    with admin1_path().open("rb") as fh:
        key = {"format": OUTLINES_FORMAT, "source": hashlib.sha256(fh.read()).hexdigest(),
               "geos": shapely.geos_version_string, "tolerance": _TOLERANCE, "grid": _GRID}
    cached = _read(path, key)
    if cached is not None:
        return cached
    text = json.dumps({**key, "outlines": _outlines(load_countries())}, allow_nan=False, separators=(",", ":"))
    with contextlib.suppress(OSError):      # a read-only cache folder: outlines are still drawn, just not kept
        _write(path, text)
    return json.loads(text)["outlines"]     # lists, as read back from the file (shapely gives tuples)


def _outlines(countries) -> dict:
    geoms = shapely.set_precision(shapely.simplify(countries.geometry.values, _TOLERANCE, preserve_topology=True), _GRID)
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}
                for g in geoms if g is not None and not g.is_empty]
    return {"type": "FeatureCollection", "features": features}


def _read(path: Path, key: dict) -> dict | None:
    """The outlines kept at `path` if they were made with `key` and are outline data only, else None."""
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(got, dict) or any(got.get(k) != v for k, v in key.items()):
        return None
    outlines = got.get("outlines")
    return outlines if _is_outlines(outlines) else None


def _is_outlines(data: object) -> bool:
    """True if `data` is a FeatureCollection of (multi)polygons with finite coordinates and empty properties:
    nothing a map could run or show but lines."""
    if not isinstance(data, dict) or data.keys() != {"type", "features"} or data["type"] != "FeatureCollection" \
            or not isinstance(data["features"], list):
        return False
    for feature in data["features"]:
        if not isinstance(feature, dict) or feature != {"type": "Feature", "properties": {},
                                                        "geometry": feature.get("geometry")}:
            return False
        geometry = feature["geometry"]
        if not isinstance(geometry, dict) or geometry.keys() != {"type", "coordinates"} \
                or geometry["type"] not in _GEOMETRIES or not _is_coordinates(geometry["coordinates"],
                                                                              _GEOMETRIES[geometry["type"]]):
            return False
    return True


def _is_coordinates(value: object, depth: int) -> bool:
    """True if `value` is lists nested `depth` deep around [lon, lat] pairs of finite numbers."""
    if not isinstance(value, list):
        return False
    if depth == 1:
        return len(value) == 2 and all(type(v) is float or type(v) is int for v in value) \
            and all(map(math.isfinite, value))
    return all(_is_coordinates(v, depth - 1) for v in value)


def _write(path: Path, text: str) -> None:
    """`text` at `path`, atomically (a temporary of the project's own pattern, then a rename)."""
    folder, name = str(path.parent), path.name
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(folder, name)                   # a write killed mid-way left its temporary
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(name), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        publish(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
