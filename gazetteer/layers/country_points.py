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

from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import data_path
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


def _country_code(value: str) -> str:
    code = value.upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"country_code must be ISO 3166-1 alpha-2, got {code!r}")
    return code


def _keyed_rows(path: Path, columns: tuple[str, ...], key: str, what: str, check=lambda k: k):
    """(line, row, key, geonameid) of each row, after the checks both files share: every column
    filled, the key as `check` reads it, a numeric GeoNames id, and neither the key nor the id seen
    before (file and line named)."""
    lines: dict[str, int] = {}
    ids: dict[str, int] = {}
    for line, row in csv_rows(path):
        missing = [c for c in columns if not (row.get(c) or "").strip()]
        if missing:
            raise ImportFileError(f"missing {', '.join(missing)}", str(path), line)
        try:
            k = check(row[key].strip())
        except ValueError as exc:
            raise ImportFileError(str(exc), str(path), line) from None
        gid = row["geonameid"].strip()
        if not gid.isdigit():
            raise ImportFileError(f"geonameid must be a number, got {gid!r}", str(path), line)
        if k in lines:
            raise ImportFileError(f"duplicate {what} {k} (first on line {lines[k]})", str(path), line)
        if gid in ids:
            raise ImportFileError(f"geonameid {gid} is already another {what}'s (line {ids[gid]})", str(path), line)
        lines[k], ids[gid] = line, line
        yield line, row, k, gid


def load_country_points(path: Path | None = None) -> dict[str, CountryPoint]:
    """ISO alpha-2 code -> its GeoNames point; a bad, duplicate or conflicting row names file and line."""
    path = path or country_points_path()
    if not path.exists():
        return {}
    out: dict[str, CountryPoint] = {}
    for line, row, cc, gid in _keyed_rows(path, COLUMNS, "country_code", "country", _country_code):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            if not (math.isfinite(lat) and math.isfinite(lon)):
                raise ValueError(f"coordinates must be finite, got {row['lat']}, {row['lon']}")
            check_coordinates(lat, lon)
        except ValueError as exc:
            raise ImportFileError(str(exc), str(path), line) from None
        out[cc] = CountryPoint(cc, gid, lat, lon, row["source"].strip())
    return out


def admin1_geonames_path() -> Path:
    return data_path(ADMIN1_GEONAMES)


def load_admin1_geonameids(path: Path | None = None) -> dict[str, str]:
    """admin1.parquet id -> GeoNames id; a bad, duplicate or conflicting row names file and line."""
    path = path or admin1_geonames_path()
    if not path.exists():
        return {}
    return {rid: gid for _, _, rid, gid in _keyed_rows(path, ("id", "geonameid", "source"), "id", "region")}
