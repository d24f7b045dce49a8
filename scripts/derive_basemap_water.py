"""Derive geo/data/basemap_water.json (rivers and lakes of the offline basemap) from Natural Earth.

Source: Natural Earth 1:50m physical vectors v5 (public domain), `ne_50m_rivers_lake_centerlines` and
`ne_50m_lakes`, as GeoJSON in the GitHub repository martynafford/natural-earth-geojson (CC0 1.0),
commit 0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e::

    git -C natural-earth-geojson show HEAD:50m/physical/ne_50m_rivers_lake_centerlines.json > rivers.json
    git -C natural-earth-geojson show HEAD:50m/physical/ne_50m_lakes.json > lakes.json
    python scripts/derive_basemap_water.py rivers.json lakes.json

Geometry is simplified to 0.005 degrees (about 500 m, below the 1:50m data's own accuracy) and
stored as integer thousandths of a degree, each line or ring as [lon0, lat0, dlon1, dlat1, ...]
(`geo.maps.basemap.decode_line` reads it). The output is deterministic for given inputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_OUT = ROOT / "geo" / "data" / "basemap_water.json"
SOURCE = ("Natural Earth 1:50m rivers_lake_centerlines and lakes (public domain), GeoJSON from "
          "github.com/martynafford/natural-earth-geojson (CC0 1.0) @ 0b9a6ceb")
TOLERANCE = 0.005
SCALE = 1000


def _features(path: Path, kind: str) -> list[dict]:
    import shapely

    from geo.maps.basemap import encode_lines

    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        props = feature["properties"]
        if not feature.get("geometry"):
            continue
        geom = shapely.geometry.shape(feature["geometry"])
        if kind == "lake":
            geom = shapely.boundary(geom)  # rings: drawn as closed polygons by the runtime
        lines = encode_lines(geom, tolerance=TOLERANCE, scale=SCALE)
        if lines:
            out.append({"name": props.get("name_en") or props.get("name") or "",
                        "rank": int(props.get("scalerank") or 0), "lines": lines})
    out.sort(key=lambda f: (f["rank"], f["name"], f["lines"][0][:2]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rivers", type=Path, help="ne_50m_rivers_lake_centerlines GeoJSON")
    parser.add_argument("lakes", type=Path, help="ne_50m_lakes GeoJSON")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    data = {"source": SOURCE, "licence": "public domain (Natural Earth); CC0 1.0 (GeoJSON conversion)",
            "scale": SCALE, "rivers": _features(args.rivers, "river"), "lakes": _features(args.lakes, "lake")}
    args.output.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(data['rivers'])} rivers, {len(data['lakes'])} lakes, "
          f"{args.output.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
