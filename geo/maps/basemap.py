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
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from folium.map import Layer
from folium.template import Template

from geo.errors import UsageError
from geo.maps.escape import script_data, script_json
from geo.maps.js import VerbatimMacro, _runtime
from geo.model import Incident

__all__ = ["Basemap", "Label", "LabelPlace", "add_basemap", "basemap_data", "decode_line", "encode_lines",
           "population_zoom", "region_label_zooms", "select_labels"]

# From this zoom on the detailed layer (boundaries, water, towns of the incident regions) shows;
# below it the coarse world layer.
DETAIL_ZOOM = 5
REGION_LABEL_ZOOMS = (5, 8)    # admin-1 names show between these zooms; closer in, towns take over
MAX_LABEL_ZOOM = 12            # a label that cannot be placed without overlap by this zoom is left out
DETAIL_TOLERANCE, DETAIL_SCALE = 0.002, 1000   # ~200 m: under 2 px at zoom 10
COARSE_TOLERANCE, COARSE_SCALE = 0.05, 100
WORLD_MIN_POPULATION = 1_000_000
MAX_CORE_REGIONS = 40          # regions with the most incidents that get detail (keeps 100k-incident maps small)
MAX_DETAIL_REGIONS = 150       # ... together with their neighbours
MAX_DETAIL_LABELS = 3000       # the most populous places of those regions
COARSE_WATER_RANK = 5          # Natural Earth scalerank of the rivers and lakes in the world layer
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
    from gazetteer.layers.base import csv_rows

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


def encode_lines(geom, *, tolerance: float, scale: int) -> list[list[int]]:
    """The lines (or polygon rings) of a geometry, simplified and stored as integer steps.

    Each line is `[x0, y0, dx1, dy1, ...]` in units of 1/scale degree; repeated points left by
    rounding are dropped, and lines that shrink to one point are left out.

    >>> import shapely
    >>> encode_lines(shapely.LineString([(43.1, 36.3), (43.15, 36.31), (43.2, 36.3)]), tolerance=0.05, scale=100)
    [[4310, 3630, 10, 0]]
    """
    import shapely

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
    import shapely

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
    import shapely

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
    import numpy as np
    import shapely

    if regions is None:
        from gazetteer.boundaries import load_admin1

        regions = load_admin1()
    if not located:
        return regions.iloc[0:0]
    # Hundredths of a degree are fine enough to tell which region holds an incident.
    points = np.round(np.array([(i.place.lon, i.place.lat) for i in located]), 2)
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
    import numpy as np
    import shapely

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
    import shapely

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
    from gazetteer.index.lookup import GazetteerIndex

    return GazetteerIndex.open()


def basemap_data(located: Sequence[Incident], *, regions=None, index=None) -> dict:
    """Everything the browser draws, as compact JSON-ready columns (see geo/data/basemap.js)."""
    import shapely

    chosen = detail_regions(located, regions)
    owned = index is None
    index = _open_index() if owned else index
    try:
        labels = select_labels(_label_places(index, chosen, gazetteer_regions=regions is None))
    finally:
        if owned:
            index.close()
    boxes = [(b[1], b[0], b[3], b[2]) for b in shapely.bounds(chosen.geometry.values).tolist()]
    coarse, detail = _water_layers(boxes)
    if "lat" in chosen and "lon" in chosen:
        lats, lons = list(chosen["lat"]), list(chosen["lon"])
    else:  # regions given by the caller
        from gazetteer.boundaries import label_points

        lats, lons = (list(v) for v in label_points(chosen.geometry.values)) if len(chosen) else ([], [])
    return {
        "labels": {"n": [lb.name for lb in labels], "y": [round(lb.lat * 1000) for lb in labels],
                   "x": [round(lb.lon * 1000) for lb in labels], "z": [lb.min_zoom for lb in labels],
                   "k": [lb.kind for lb in labels]},
        "regions": {"n": [str(n) for n in chosen["name"]], "y": [round(v * 1000) for v in lats],
                    "x": [round(v * 1000) for v in lons],
                    "z": region_label_zooms([str(n) for n in chosen["name"]], lats, lons, labels),
                    "b": [encode_lines(g, tolerance=DETAIL_TOLERANCE, scale=DETAIL_SCALE)
                          for g in chosen.geometry.values]},
        "coarse": coarse, "detail": detail,
        "scales": {"coarse": COARSE_SCALE, "detail": DETAIL_SCALE},
        "zooms": {"detail": DETAIL_ZOOM},
    }


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
        import warnings

        warnings.warn(f"map: no offline basemap ({exc})", stacklevel=3)
        return
    Basemap(data, under_tiles=under_tiles).add_to(fmap)
