"""Oceans, seas, gulfs, bays and straits at GeoNames' own points (water.csv).

`scripts/derive_water.py` writes the file from GeoNames' `no-country.txt` (CC BY 4.0); each row
keeps GeoNames' id, feature code and point, and the names it is found under. A water body is
level `feature` in layer "water": it has no country, and which reading of a name that is also a
town's or a country's wins is decided by the text (`gazetteer.resolve.water`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import Layer, data_path, unique_names
from gazetteer.model import WATER_LAYER, Level, Place, check_coordinates

WATER_FILE = "water.csv"
COLUMNS = ("geonameid", "name", "feature_code", "lat", "lon", "names", "source")
# GeoNames' codes of the water bodies the file may hold (ocean, sea, gulf, bay, strait, sound, channel)
WATER_CODES = frozenset({"OCN", "SEA", "GULF", "BAY", "BAYS", "STRT", "SD", "CHN", "CHNM"})


def water_path() -> Path:
    return data_path(WATER_FILE)


def load_water(path: Path | None = None) -> list[tuple[Place, tuple[str, ...]]]:
    """Every row as (place, names); a missing value, bad code or coordinate, or a duplicate id names file and line."""
    path = path or water_path()
    if not path.exists():
        return []
    out: list[tuple[Place, tuple[str, ...]]] = []
    seen: dict[str, int] = {}
    for line, row in csv_rows(path):
        missing = [c for c in COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise ImportFileError(f"missing {', '.join(missing)}", str(path), line)
        gid, code = row["geonameid"].strip(), row["feature_code"].strip()
        if not gid.isdigit():
            raise ImportFileError(f"geonameid must be a number, got {gid!r}", str(path), line)
        if gid in seen:
            raise ImportFileError(f"duplicate geonameid {gid} (first on line {seen[gid]})", str(path), line)
        if code not in WATER_CODES:
            raise ImportFileError(f"feature_code {code!r} is not a water body's; expected one of "
                                  f"{', '.join(sorted(WATER_CODES))}", str(path), line)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            check_coordinates(lat, lon)
        except ValueError as exc:
            raise ImportFileError(str(exc), str(path), line) from None
        seen[gid] = line
        place = Place(
            id=f"gn:{gid}", name=row["name"].strip(), lat=lat, lon=lon, level=Level.FEATURE, layer=WATER_LAYER,
            feature_code=code, source=row["source"].strip(), raw=(("geonameid", gid),),
        )
        out.append((place, unique_names([place.name, *row["names"].split("|")])))
    return out


class WaterLayer(Layer):
    """Oceans, seas, gulfs, bays and straits (Level.FEATURE, GeoNames feature codes OCN, SEA, GULF, ...)."""

    name = WATER_LAYER

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else water_path()

    def source_files(self) -> list[Path]:
        return [self.path]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        yield from load_water(self.path)
