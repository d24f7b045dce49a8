"""Oceans, seas, gulfs, bays and straits at GeoNames' own points (water.csv), and the seas, straits
and lakes GeoNames' no-country file lacks at the label points of Natural Earth's polygons
(water_naturalearth.csv).

`scripts/derive_water.py` writes water.csv from GeoNames' `no-country.txt` (CC BY 4.0); each row
keeps GeoNames' id, feature code and point, and the names it is found under.
`scripts/derive_water_naturalearth.py` writes the other file (Natural Earth, public domain); its rows
have no GeoNames id. A water body is
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
WATER_NE_FILE = "water_naturalearth.csv"
COLUMNS = ("geonameid", "name", "feature_code", "lat", "lon", "names", "source")
NE_COLUMNS = ("id", "name", "feature_code", "lat", "lon", "names", "source")
NE_PREFIX = "new:"
# GeoNames' codes of the water bodies the files may hold: ocean, sea, gulf, bay, bays, strait, sound,
# channel, navigation channel, lagoon, fjord, inlet, lake, reservoir
WATER_CODES = frozenset({"OCN", "SEA", "GULF", "BAY", "BAYS", "STRT", "SD", "CHN", "CHNM", "LGN", "FJD", "INLT",
                         "LK", "RSV"})


def water_path() -> Path:
    return data_path(WATER_FILE)


def water_ne_path() -> Path:
    return data_path(WATER_NE_FILE)


def load_water(path: Path | None = None) -> list[tuple[Place, tuple[str, ...]]]:
    """Every row of water.csv (GeoNames' rows, `geonameid`) or water_naturalearth.csv (Natural Earth's,
    `id`) as (place, names); a missing value, bad code or coordinate, or a repeated id names file and line."""
    path = path or water_path()
    if not path.exists():
        return []
    out: list[tuple[Place, tuple[str, ...]]] = []
    seen: dict[str, int] = {}
    for line, row in csv_rows(path):
        gid = (row.get("geonameid") or "").strip()
        columns = COLUMNS if "geonameid" in row else NE_COLUMNS
        missing = [c for c in columns if not (row.get(c) or "").strip()]
        if missing:
            raise ImportFileError(f"missing {', '.join(missing)}", str(path), line)
        if columns is COLUMNS and not gid.isdigit():
            raise ImportFileError(f"geonameid must be a number, got {gid!r}", str(path), line)
        pid = f"gn:{gid}" if columns is COLUMNS else row["id"].strip()
        if not pid.startswith(("gn:", NE_PREFIX)):
            raise ImportFileError(f"id must start with {NE_PREFIX!r}, got {pid!r}", str(path), line)
        if pid in seen:
            raise ImportFileError(f"duplicate {'geonameid ' + gid if gid else 'id ' + pid} (first on line {seen[pid]})",
                                  str(path), line)
        code = row["feature_code"].strip()
        if code not in WATER_CODES:
            raise ImportFileError(f"feature_code {code!r} is not a water body's; expected one of "
                                  f"{', '.join(sorted(WATER_CODES))}", str(path), line)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            check_coordinates(lat, lon)
        except ValueError as exc:
            raise ImportFileError(str(exc), str(path), line) from None
        seen[pid] = line
        place = Place(
            id=pid, name=row["name"].strip(), lat=lat, lon=lon, level=Level.FEATURE, layer=WATER_LAYER,
            feature_code=code, source=row["source"].strip(), raw=(("geonameid", gid),) if gid else (),
        )
        out.append((place, unique_names([place.name, *row["names"].split("|")])))
    return out


class WaterLayer(Layer):
    """Oceans, seas, gulfs, bays and straits (Level.FEATURE, GeoNames feature codes OCN, SEA, GULF, ...)."""

    name = WATER_LAYER

    def __init__(self, path: Path | None = None, ne_path: Path | None = None):
        self.path = Path(path) if path else water_path()
        self.ne_path = Path(ne_path) if ne_path else water_ne_path()

    def source_files(self) -> list[Path]:
        return [self.path, self.ne_path]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        yield from load_water(self.path)
        yield from load_water(self.ne_path)
