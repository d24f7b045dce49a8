"""The map's summary layers: heat map, time slider and admin-1 choropleth."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

import folium
import numpy as np
import shapely

from gazetteer.boundaries import admin1_at, load_admin1
from geo.maps.escape import js_template_safe
from geo.model import DatePrecision, Incident, Place

__all__ = ["choropleth_layer", "time_geojson"]

# ColorBrewer YlOrRd, light to dark.
CHOROPLETH_COLOURS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
_EPOCH = dt.date(1970, 1, 1)
_SPAN_DAYS = {DatePrecision.DAY: 1, DatePrecision.WEEK: 7, DatePrecision.MONTH: 31}


def _ms(ordinal: int) -> int:
    return (dt.date.fromordinal(ordinal) - _EPOCH).days * 86_400_000


# (coordinate decimals, period) from finest to coarsest; -1 decimals is a 10-degree grid.
_TIME_LEVELS = ((4, "day"), (1, "day"), (1, "week"), (0, "week"), (0, "month"), (-1, "month"))


def time_geojson(incidents: Sequence[Incident], *, max_features: int = 5000) -> dict:
    """Dated, located incidents as point features with start/end times, merged into few enough features.

    Incidents on the same day at (nearly) the same place become one feature with a count `n`;
    when there are still too many, places are coarsened and days grouped into weeks, then months.
    """
    dated = [(i, i.date, i.place) for i in incidents if i.place is not None and i.date is not None]
    if not dated:
        return {"type": "FeatureCollection", "features": []}
    day = np.array([d.toordinal() for _, d, _ in dated], dtype=np.int64)
    span = np.array([_SPAN_DAYS.get(i.date_precision, 1) for i, _, _ in dated], dtype=np.int64)
    month = np.array([dt.date(d.year, d.month, 1).toordinal() for _, d, _ in dated], dtype=np.int64)
    lat = np.array([p.lat for _, _, p in dated])
    lon = np.array([p.lon for _, _, p in dated])
    for digits, period in _TIME_LEVELS:
        start, days = _periods(period, day, span, month)
        scale = 10.0 ** digits
        keys = np.column_stack([start, days, np.round(lat * scale).astype(np.int64),
                                np.round(lon * scale).astype(np.int64)])
        # A stable sort puts equal keys together with the earliest incident first.
        order = np.lexsort(keys.T[::-1])
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, np.any(ordered[1:] != ordered[:-1], axis=1)])
        if len(starts) <= max_features:
            break
    counts = np.diff(np.r_[starts, len(order)])
    places = [p for _, _, p in dated]
    return {"type": "FeatureCollection", "features": [
        _feature(places[index], begin, days, count)
        for (begin, days, _, _), index, count in zip(ordered[starts].tolist(), order[starts].tolist(), counts.tolist())
    ]}


def _periods(period: str, day, span, month):
    """Each incident's period start (ordinal) and length in days: its own day span, its week or its month."""
    if period == "day":
        return day, span
    if period == "week":
        # Ordinal 1 (1 January of year 1) was a Monday, so this is the Monday starting the week.
        return day - (day - 1) % 7, np.full_like(span, 7)
    return month, np.full_like(span, 31)


def _feature(place: Place, begin: int, days: int, count: int) -> dict:
    point = place.__geo_interface__
    return {
        "type": "Feature",
        "geometry": {"type": point["type"], "coordinates": [round(c, 4) for c in point["coordinates"]]},
        "properties": {"start": _ms(begin), "end": _ms(begin + days), "n": count},
    }


def _region_hits(incidents: Sequence[Incident], regions) -> Counter:
    """Incident count per row position of `regions` (or per admin-1 id when regions is None)."""
    coords = Counter((round(i.place.lat, 4), round(i.place.lon, 4)) for i in incidents if i.place is not None)
    if not coords:
        return Counter()
    points = list(coords)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    hits: Counter = Counter()
    if regions is None:
        for point, found in zip(points, admin1_at(lats, lons)):
            if found is not None:
                hits[found[0]] += coords[point]
        return hits

    tree = shapely.STRtree(regions.geometry.values)
    pairs = tree.query(shapely.points(lons, lats), predicate="intersects")
    first: dict[int, int] = {}
    for p, r in zip(pairs[0].tolist(), pairs[1].tolist()):
        first.setdefault(p, r)
    ids = regions["id"].tolist()
    for p, r in first.items():
        hits[ids[r]] += coords[points[p]]
    return hits


def choropleth_layer(incidents: Sequence[Incident], regions=None, *, name: str = "Incidents per region",
                     show: bool = False):
    """A GeoJson layer of the admin-1 regions that have incidents, shaded by count; None if there are none."""
    hits = _region_hits(incidents, regions)
    if not hits:
        return None
    if regions is None:
        regions = load_admin1()
    chosen = regions[regions["id"].isin(list(hits))].sort_values("id")
    top = max(hits.values())
    features = []
    for rid, rname, code, geom in zip(chosen["id"], chosen["name"], chosen["country_code"], chosen.geometry.values):
        geom = shapely.set_precision(shapely.simplify(geom, 0.01, preserve_topology=True), 0.001)
        count = hits[rid]
        # Log scale: a few regions usually hold most incidents.
        step = 0 if top <= 1 else round((len(CHOROPLETH_COLOURS) - 1) * _log1p(count) / _log1p(top))
        features.append({
            "type": "Feature", "id": str(rid), "geometry": shapely.geometry.mapping(geom),
            # GeoJsonTooltip writes properties with innerHTML, so names are escaped here.
            "properties": {"name": js_template_safe(rname), "country": js_template_safe(code or ""),
                           "incidents": int(count), "fill": CHOROPLETH_COLOURS[step]},
        })
    data = {"type": "FeatureCollection", "features": features}
    return folium.GeoJson(
        data, name=name, show=show,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#666", "weight": 0.6,
                                  "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=["name", "country", "incidents"],
                                      aliases=["Region", "Country", "Incidents"]),
    )


def _log1p(x: float) -> float:
    return math.log1p(x)
