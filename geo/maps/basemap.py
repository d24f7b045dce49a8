"""The offline basemap: admin-1 boundaries, rivers, lakes and place labels drawn with no tile server.

Drawn from data the package ships: Natural Earth admin-1 polygons (`gazetteer/data/admin1.parquet`),
Natural Earth rivers and lakes (`geo/data/basemap_water.json`, see scripts/derive_basemap_water.py)
and GeoNames populated places from the gazetteer index. Only the admin-1 regions holding incidents,
and their neighbours, get detailed boundaries, water and town labels; the rest of the world gets
capitals, cities of a million people and the larger rivers and lakes, coarsely.

Geometry is simplified per zoom band with shapely and stored as integer steps (thousandths of a
degree in detail, hundredths coarse), each line `[x0, y0, dx1, dy1, ...]`, which keeps the seed map's
basemap to about 230 KB. Label names go through `script_json` and reach the page as DOM text.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np
import shapely
from folium.map import Layer
from folium.template import Template

from gazetteer.boundaries import label_points, load_admin1
from gazetteer.index.lookup import GazetteerIndex
from geo.maps.escape import script_data, script_json
from geo.maps.js import VerbatimMacro, _runtime
from geo.maps.labels import (
    Label,
    LabelPlace,
    population_zoom,
    region_label_zooms,
    select_labels,
)
from geo.model import Incident

__all__ = ["Basemap", "Label", "LabelPlace", "add_basemap", "basemap_data", "decode_line", "encode_lines",
           "population_zoom", "region_label_zooms", "select_labels"]

# From this zoom on the detailed layer (boundaries, water, towns of the incident regions) shows;
# below it the coarse world layer.
DETAIL_ZOOM = 5
DETAIL_TOLERANCE, DETAIL_SCALE = 0.002, 1000   # ~200 m: under 2 px at zoom 10
COARSE_TOLERANCE, COARSE_SCALE = 0.05, 100
_POINT_SCALE = 1000            # label points in thousandths of a degree (~100 m)
WORLD_MIN_POPULATION = 1_000_000
MAX_CORE_REGIONS = 40          # regions with the most incidents that get detail (keeps 100k-incident maps small)
MAX_DETAIL_REGIONS = 150       # ... together with their neighbours
MAX_DETAIL_LABELS = 3000       # the most populous places of those regions
COARSE_WATER_RANK = 5          # Natural Earth scalerank of the rivers and lakes in the world layer
def encode_lines(geom, *, tolerance: float, scale: int) -> list[list[int]]:
    """The lines (or polygon rings) of a geometry, simplified and stored as integer steps.

    Each line is `[x0, y0, dx1, dy1, ...]` in units of 1/scale degree; repeated points left by
    rounding are dropped, and lines that shrink to one point are left out.

    >>> import shapely
    >>> encode_lines(shapely.LineString([(43.1, 36.3), (43.15, 36.31), (43.2, 36.3)]), tolerance=0.05, scale=100)
    [[4310, 3630, 10, 0]]
    """
    if geom is None or geom.is_empty:
        return []
    geom = shapely.simplify(geom, tolerance, preserve_topology=False)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.boundary(geom)
    out = []
    for part in shapely.get_parts(geom):
        coords = shapely.get_coordinates(part)
        flat: list[int] = []
        last = None
        for x, y in coords.tolist():
            q = (round(x * scale), round(y * scale))
            if q == last:
                continue
            if last is None:
                flat += q
            else:
                flat += (q[0] - last[0], q[1] - last[1])
            last = q
        if len(flat) >= 4:
            out.append(flat)
    return out


def decode_line(flat: Sequence[int], scale: int) -> list[tuple[float, float]]:
    """`(lon, lat)` points of a line stored by `encode_lines`.

    >>> decode_line([4310, 3630, 10, 0], 100)
    [(43.1, 36.3), (43.2, 36.3)]
    """
    x = y = 0
    out = []
    for i in range(0, len(flat), 2):
        x, y = x + flat[i], y + flat[i + 1]
        out.append((x / scale, y / scale))
    return out


@cache
def _water() -> tuple[dict, list[tuple[str, object]]]:
    """The coarse world water layer (the same for every map) and every feature's geometry."""
    data = json.loads((resources.files("geo") / "data" / "basemap_water.json").read_text(encoding="utf-8"))
    scale = data["scale"]
    coarse: dict[str, list] = {"rivers": [], "lakes": []}
    features = []
    for kind in ("rivers", "lakes"):
        for feature in data[kind]:
            lines = [shapely.LineString(decode_line(flat, scale)) for flat in feature["lines"]]
            geom = shapely.MultiLineString(lines) if kind == "rivers" else shapely.MultiPolygon(
                [shapely.Polygon(line.coords) for line in lines if len(line.coords) >= 4])
            if feature["rank"] <= COARSE_WATER_RANK:
                coarse[kind] += encode_lines(geom, tolerance=COARSE_TOLERANCE, scale=COARSE_SCALE)
            features.append((kind, geom))
    return coarse, features


def _water_layers(boxes) -> tuple[dict, dict]:
    """(coarse world water, detailed water of the boxes), each {"rivers": [...], "lakes": [...]}."""
    coarse, features = _water()
    detail: dict[str, list] = {"rivers": [], "lakes": []}
    if boxes:
        area = shapely.union_all([shapely.box(w, s, e, n) for s, w, n, e in boxes])
        shapely.prepare(area)
        for kind, geom in features:
            # Whole features, not clipped: a river leaving the area is a few lines more, and clipping
            # lake rings made invalid by rounding would fail.
            if shapely.intersects(area, shapely.envelope(geom)):
                detail[kind] += encode_lines(geom, tolerance=DETAIL_TOLERANCE, scale=DETAIL_SCALE)
    return {k: list(v) for k, v in coarse.items()}, detail


def detail_regions(located: Sequence[Incident], regions=None):
    """The admin-1 regions with the most incidents (up to MAX_CORE_REGIONS) and their neighbours."""
    if regions is None:
        regions = load_admin1()
    if not located:
        return regions.iloc[0:0]
    # Hundredths of a degree are fine enough to tell which region holds an incident.
    points = np.round(np.array([(i.place.lon, i.place.lat) for i in located if i.place is not None]), 2)
    unique, counts = np.unique(points, axis=0, return_counts=True)
    geoms = regions.geometry.values
    tree = shapely.STRtree(geoms)
    point_at, region_at = tree.query(shapely.points(unique), predicate="intersects")
    hits = np.zeros(len(geoms), dtype=np.int64)
    np.add.at(hits, region_at, counts[point_at])
    core = [i for i in np.argsort(-hits, kind="stable")[:MAX_CORE_REGIONS].tolist() if hits[i] > 0]
    if not core:
        return regions.iloc[0:0]
    near = tree.query(geoms[core], predicate="dwithin", distance=0.01)[1]
    is_core = np.zeros(len(geoms), dtype=bool)
    is_core[core] = True
    chosen = sorted(set(near.tolist()) | set(core), key=lambda i: (not is_core[i], i))[:MAX_DETAIL_REGIONS]
    return regions.iloc[sorted(chosen)]


def _label_places(index, chosen, *, gazetteer_regions: bool) -> list[LabelPlace]:
    """World capitals and big cities, plus the most populous places inside the chosen regions.

    `gazetteer_regions`: the regions are those of `gazetteer.boundaries`, whose ids the index knows.
    """
    # Keyed by point: GeoNames places at one point are one place (and would overlap anyway).
    places = {(p[1], p[2]): p for p in index.populated_places(-90, -180, 90, 180,
                                                                    min_population=WORLD_MIN_POPULATION)}
    if len(chosen):
        west, south, east, north = shapely.total_bounds(chosen.geometry.values).tolist()
        ids = [str(i) for i in chosen["id"]]
        # Regions from elsewhere need a point-in-polygon test.
        found = index.populated_places(south, west, north, east, regions=ids if gazetteer_regions else None)
        if found:
            inside = np.ones(len(found), dtype=bool)
            if not gazetteer_regions:
                xs = np.fromiter((p[2] for p in found), dtype=float, count=len(found))
                ys = np.fromiter((p[1] for p in found), dtype=float, count=len(found))
                hit = shapely.STRtree(chosen.geometry.values).query(shapely.points(xs, ys), predicate="within")[0]
                inside[:] = False
                inside[hit] = True
            local = sorted((p for p, ok in zip(found, inside.tolist()) if ok), key=lambda p: -p[3])
            places.update(((p[1], p[2]), p) for p in local[:MAX_DETAIL_LABELS])
        places = _with_curated_towns(places, index.curated_towns(south, west, north, east), chosen)
    return [LabelPlace(*p) for p in places.values()]


def _with_curated_towns(places: dict, towns: list[tuple[str, float, float]], chosen) -> dict:
    """Add the curated layer's towns inside the regions; one at a GeoNames place's very point is that
    place, and takes its name as news write it ("Bartella" for GeoNames' "Bartalah")."""
    if not towns:
        return places
    hit = shapely.STRtree(chosen.geometry.values).query(
        shapely.points([t[2] for t in towns], [t[1] for t in towns]), predicate="within")[0]
    out = dict(places)
    for i in sorted(set(hit.tolist())):
        name, lat, lon = towns[i]
        same = out.get((lat, lon))
        # GeoNames gives no population for some towns the news name (Tall 'Afar): listed, then.
        out[(lat, lon)] = (name, lat, lon, same[3], same[4], not same[3]) if same else (name, lat, lon, 0, False, True)
    return out


def _open_index():

    return GazetteerIndex.open()


def basemap_data(located: Sequence[Incident], *, regions=None, index=None) -> dict:
    """Everything the browser draws, as compact JSON-ready columns (see geo/data/basemap.js)."""
    chosen = detail_regions(located, regions)
    labels = _labels(chosen, index, gazetteer_regions=regions is None)
    boxes = [(b[1], b[0], b[3], b[2]) for b in shapely.bounds(chosen.geometry.values).tolist()]
    coarse, detail = _water_layers(boxes)
    return {
        "labels": {"n": [lb.name for lb in labels], "y": [round(lb.lat * _POINT_SCALE) for lb in labels],
                   "x": [round(lb.lon * _POINT_SCALE) for lb in labels], "z": [lb.min_zoom for lb in labels],
                   "k": [lb.kind for lb in labels]},
        "regions": _region_columns(chosen, labels),
        "coarse": coarse, "detail": detail,
        "scales": {"coarse": COARSE_SCALE, "detail": DETAIL_SCALE},
        "zooms": {"detail": DETAIL_ZOOM},
    }


def _labels(chosen, index, *, gazetteer_regions: bool) -> list[Label]:
    """The place labels of the chosen regions, from `index` (or the default index, opened and closed here)."""
    owned = index is None
    index = _open_index() if owned else index
    try:
        return select_labels(_label_places(index, chosen, gazetteer_regions=gazetteer_regions))
    finally:
        if owned:
            index.close()


def _region_columns(chosen, labels: list[Label]) -> dict:
    """The chosen regions' names, label points, label zooms and boundary lines."""
    if "lat" in chosen and "lon" in chosen:
        lats, lons = list(chosen["lat"]), list(chosen["lon"])
    else:  # regions given by the caller

        lats, lons = (list(v) for v in label_points(chosen.geometry.values)) if len(chosen) else ([], [])
    return {"n": [str(n) for n in chosen["name"]], "y": [round(v * _POINT_SCALE) for v in lats],
            "x": [round(v * _POINT_SCALE) for v in lons],
            "z": region_label_zooms([str(n) for n in chosen["name"]], lats, lons, labels),
            "b": [encode_lines(g, tolerance=DETAIL_TOLERANCE, scale=DETAIL_SCALE) for g in chosen.geometry.values]}


class Basemap(Layer, VerbatimMacro):
    """The offline basemap as one overlay: under web tiles (which cover it once they load), above the land fill."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.js }}
            var {{ this.get_name() }} = incidentmapBasemap.layer({{ this.data }}, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, *, under_tiles: bool, name: str = "Offline basemap (places, regions, water)"):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "Basemap"
        self.js = _runtime("basemap.js")
        self.css = _runtime("basemap.css")
        self.data = script_data(data)
        # Leaflet's tile pane is at z-index 200 and the overlay pane (land fill, choropleth) at 400.
        self.options = script_json({"zIndex": 150 if under_tiles else 410})


def add_basemap(fmap, located: Sequence[Incident], *, regions=None, under_tiles: bool, index=None) -> None:
    """Add the offline basemap to a map; without boundaries or a gazetteer index the map goes without it."""
    try:
        data = basemap_data(located, regions=regions, index=index)
    except (ImportError, OSError) as exc:
        warnings.warn(f"map: no offline basemap ({exc})", stacklevel=3)
        return
    Basemap(data, under_tiles=under_tiles).add_to(fmap)
