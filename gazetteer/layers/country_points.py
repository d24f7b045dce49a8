"""GeoNames' own id and point for each country (country_points.csv) and GeoNames' id for each
first-level region (admin1_geonames.csv), checked row by row.

Natural Earth's polygons decide what lies in a country and draw it on maps; a country's point
is the one GeoNames gives (and the news corpora and peer geoparsers use), not the polygon's
label point: for Canada the two are 870 km apart. `scripts/derive_country_points.py` writes the
file from two public copies of GeoNames' country table; gazetteer/data/README.md cites them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from gazetteer.errors import ImportFileError
from gazetteer.layers.base import csv_rows, data_path
from gazetteer.model import check_coordinates

COUNTRY_POINTS = "country_points.csv"
ADMIN1_GEONAMES = "admin1_geonames.csv"
COLUMNS = ("country_code", "geonameid", "lat", "lon", "source")


@dataclass(frozen=True, slots=True)
class CountryPoint:
    """One row: a country's GeoNames id and point, and the copy it was taken from."""

    country_code: str
    geonameid: str
    lat: float
    lon: float
    source: str


def country_points_path() -> Path:
    return data_path(COUNTRY_POINTS)


def load_country_points(path: Path | None = None) -> dict[str, CountryPoint]:
    """ISO alpha-2 code -> its GeoNames point; a bad, duplicate or conflicting row names file and line."""
    path = path or country_points_path()
    if not path.exists():
        return {}
    out: dict[str, CountryPoint] = {}
    lines: dict[str, int] = {}
    ids: dict[str, int] = {}
    for line, row in csv_rows(path):
        missing = [c for c in COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise ImportFileError(f"missing {', '.join(missing)}", str(path), line)
        cc, gid = row["country_code"].strip().upper(), row["geonameid"].strip()
        if len(cc) != 2 or not cc.isalpha():
            raise ImportFileError(f"country_code must be ISO 3166-1 alpha-2, got {cc!r}", str(path), line)
        if not gid.isdigit():
            raise ImportFileError(f"geonameid must be a number, got {gid!r}", str(path), line)
        if cc in lines:
            raise ImportFileError(f"duplicate country {cc} (first on line {lines[cc]})", str(path), line)
        if gid in ids:
            raise ImportFileError(f"geonameid {gid} is already another country's (line {ids[gid]})", str(path), line)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            if not (math.isfinite(lat) and math.isfinite(lon)):
                raise ValueError(f"coordinates must be finite, got {row['lat']}, {row['lon']}")
            check_coordinates(lat, lon)
        except ValueError as exc:
            raise ImportFileError(str(exc), str(path), line) from None
        lines[cc], ids[gid] = line, line
        out[cc] = CountryPoint(cc, gid, lat, lon, row["source"].strip())
    return out


def admin1_geonames_path() -> Path:
    return data_path(ADMIN1_GEONAMES)


def load_admin1_geonameids(path: Path | None = None) -> dict[str, str]:
    """admin1.parquet id -> GeoNames id; a bad, duplicate or conflicting row names file and line."""
    path = path or admin1_geonames_path()
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    lines: dict[str, int] = {}
    ids: dict[str, int] = {}
    for line, row in csv_rows(path):
        missing = [c for c in ("id", "geonameid", "source") if not (row.get(c) or "").strip()]
        if missing:
            raise ImportFileError(f"missing {', '.join(missing)}", str(path), line)
        rid, gid = row["id"].strip(), row["geonameid"].strip()
        if not gid.isdigit():
            raise ImportFileError(f"geonameid must be a number, got {gid!r}", str(path), line)
        if rid in lines:
            raise ImportFileError(f"duplicate region {rid} (first on line {lines[rid]})", str(path), line)
        if gid in ids:
            raise ImportFileError(f"geonameid {gid} is already another region's (line {ids[gid]})", str(path), line)
        lines[rid], ids[gid] = line, line
        out[rid] = gid
    return out
