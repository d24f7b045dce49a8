"""Country outlines for maps that may lack tiles: the countries dissolved from admin-1, simplified."""

from __future__ import annotations

from functools import lru_cache

import shapely

from gazetteer.boundaries import load_countries

__all__ = ["outline_geojson"]


def outline_geojson(countries=None) -> dict:
    """Simplified country outlines (no properties) for maps without tiles."""
    if countries is None:
        return _default_outlines()
    return _outlines(countries)


@lru_cache(maxsize=1)
def _default_outlines() -> dict:
    return _outlines(load_countries())


def _outlines(countries) -> dict:
    geoms = shapely.set_precision(shapely.simplify(countries.geometry.values, 0.05, preserve_topology=True), 0.01)
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}
                for g in geoms if g is not None and not g.is_empty]
    return {"type": "FeatureCollection", "features": features}
