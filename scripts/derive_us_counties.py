"""Derive gazetteer/data/us_county_points.csv: one label point per US county.

Source: ``counties-10m.json`` of the npm package ``us-atlas`` 3.0.1 (ISC licence, Mike
Bostock), a TopoJSON redistribution of the US Census Bureau's cartographic county
boundaries, 2017 edition (public domain)::

    cd /tmp && npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    python scripts/derive_us_counties.py /tmp/package/counties-10m.json

Each county's point is `gazetteer.boundaries.label_points` of its polygon (area-weighted
centroid of the largest part in an equal-area projection), the same rule as for countries
and regions. Output rows: `fips,name,lat,lon` (5-digit FIPS, coordinates to 4 decimals,
about 10 m), sorted by FIPS, so the file is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "gazetteer" / "data" / "us_county_points.csv"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's delta-encoded, quantized arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]   # a negative index is the arc reversed
        points.extend(arc[1:] if points else arc)      # consecutive arcs share their end point
    return points


def geometry(obj: dict, arcs: list[list[tuple[float, float]]]):
    """A shapely polygon or multipolygon for a TopoJSON geometry object."""
    import shapely

    if obj["type"] == "Polygon":
        polygons = [obj["arcs"]]
    elif obj["type"] == "MultiPolygon":
        polygons = obj["arcs"]
    else:
        raise ValueError(f"unexpected geometry type {obj['type']!r} for {obj.get('id')}")
    parts = []
    for rings in polygons:
        shell, *holes = (_ring(r, arcs) for r in rings)
        if len(shell) >= 4:   # quantisation collapses some islets to a line: no area, no part
            parts.append(shapely.Polygon(shell, [h for h in holes if len(h) >= 4]))
    if not parts:   # a tiny independent city (Falls Church, VA) simplified away entirely
        return None
    return shapely.make_valid(shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("topojson", type=Path, help="us-atlas counties-10m.json")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from gazetteer.boundaries import label_points

    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    objs = [g for g in topology["objects"]["counties"]["geometries"] if g.get("arcs")]
    shaped = [(g, geometry(g, arcs)) for g in objs]
    for g, geom in shaped:
        if geom is None:
            print(f"skipped {g['id']} {g.get('properties', {}).get('name')}: no area left after simplification")
    objs = [g for g, geom in shaped if geom is not None]
    geoms = [geom for _, geom in shaped if geom is not None]
    lats, lons = label_points(geoms)
    rows = sorted(
        (str(g["id"]).zfill(5), g.get("properties", {}).get("name", ""), f"{lat:.4f}", f"{lon:.4f}")
        for g, lat, lon in zip(objs, lats, lons)
    )
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["fips", "name", "lat", "lon"])
        writer.writerows(rows)
    tmp.replace(args.out)
    print(f"{len(rows)} counties -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
