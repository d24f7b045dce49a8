"""Hand-curated conflict places (neighbourhoods, camps, bases, crossings) from a CSV with sources."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from gazetteer.boundaries import admin1_at
from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import Layer, data_path, unique_names
from gazetteer.layers.geonames import cities_by_id, cities_path
from gazetteer.model import Level, Place

CURATED_FILE = "conflict_places.csv"
SEAT_FILE = "seat_regions.csv"
COLUMNS = ("id", "name", "aliases", "lat", "lon", "level", "parent", "country_code", "admin1", "source")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_PARENT = re.compile(r"^(?:cz|gn|ne0|ne1|user):\S+$")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


def curated_path() -> Path:
    """The packaged curated places file."""
    return data_path(CURATED_FILE)


def parse_curated_row(row: dict[str, str], path: str, line: int, layer: str = "curated") -> tuple[Place, tuple[str, ...]]:
    """Validate one curated CSV row; a bad value raises ImportFileError naming file and line."""

    def fail(message: str) -> ImportFileError:
        return ImportFileError(message, path, line)

    raw_id = _checked_id(row, fail)
    name = _text(row, "name")
    if not name:
        raise fail("empty name")
    lat, lon = _checked_point(row, fail)
    level = _checked_level(row.get("level") or "", fail)
    code = _text(row, "country_code").upper() or None
    if code is not None and not _COUNTRY_CODE.fullmatch(code):
        raise fail(f"country_code must be ISO 3166-1 alpha-2, got {code!r}")
    source = _text(row, "source")
    if not source:
        raise fail("every curated place needs a public source")
    population = _text(row, "population")
    try:
        place = Place(
            id=f"cz:{raw_id}",
            name=name,
            lat=lat,
            lon=lon,
            level=level,
            layer=layer,
            country_code=code,
            admin1=_text(row, "admin1") or None,
            feature_code=_text(row, "feature_code"),
            population=int(population) if population else 0,
            parent_id=_parent_id(row),
            source=source,
        )
    except ValueError as exc:
        raise fail(str(exc)) from exc
    aliases = (row.get("aliases") or "").split("|")
    return place, unique_names([name, *aliases])


def _text(row: dict, key: str) -> str:
    """A cell's text, stripped; "" for an empty or missing cell."""
    return (row.get(key) or "").strip()


def _checked_id(row: dict[str, str], fail: Callable[[str], ImportFileError]) -> str:
    raw_id = _text(row, "id")
    if not _ID.match(raw_id):
        raise fail(f"bad id {raw_id!r}: letters, digits, '-', '_' and '.' only")
    return raw_id


def _checked_point(row: dict[str, str], fail: Callable[[str], ImportFileError]) -> tuple[float, float]:
    try:
        return float(row.get("lat") or ""), float(row.get("lon") or "")
    except ValueError:
        raise fail(f"lat/lon must be numbers, got {row.get('lat')!r}, {row.get('lon')!r}") from None


def _checked_level(value: str, fail: Callable[[str], ImportFileError]) -> Level:
    try:
        return Level.parse(value)
    except ValueError as exc:
        raise fail(str(exc)) from exc


def _parent_id(row: dict[str, str]) -> str | None:
    """The parent's place id: an ISO country code names the country, a bare id a curated place."""
    parent = _text(row, "parent") or None
    if parent and _COUNTRY_CODE.fullmatch(parent):
        return f"ne0:{parent}"
    if parent and not _PARENT.match(parent):
        return f"cz:{parent}"
    return parent


def read_curated(path: Path, layer: str = "curated") -> list[tuple[Place, tuple[str, ...]]]:
    """All rows of a curated CSV; a missing or empty file gives no rows, a bad row raises."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    out: list[tuple[Place, tuple[str, ...]]] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("id", "name", "lat", "lon", "level") if c not in (reader.fieldnames or ())]
        if missing:
            raise ImportFileError(f"missing columns: {', '.join(missing)}", str(path), 1)
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            line = reader.line_num
            place, names = parse_curated_row(row, str(path), line, layer)
            if place.id in seen:
                raise ImportFileError(f"duplicate id {place.id} (first on line {seen[place.id]})", str(path), line)
            seen[place.id] = line
            out.append((place, names))
    return out


def read_seat_regions(path: Path, cities: Path, layer: str = "curated",
                      taken: frozenset[str] = frozenset()) -> list[tuple[Place, tuple[str, ...]]]:
    """Regions no boundary file holds (South Ossetia, North Waziristan, Ituri), placed at their seat.

    ACLED codes an event known only to its region at the region's capital; these rows carry that
    convention into the gazetteer, so "in North Waziristan" is found and mapped at Miranshah rather
    than missed, and an incident there gets region precision. Each row names its seat as a
    GeoNames id (`gn:<geonameid>`) of cities500; the point, country and admin-1 are the seat's, so
    no coordinate is typed in. A bad row raises ImportFileError naming file and line.
    """

    if not path.exists():
        return []
    rows = csv_rows(path)
    if not rows:
        return []
    towns = cities_by_id(cities, {(r.get("seat") or "").strip().removeprefix("gn:") for _, r in rows})

    regions = admin1_at([float(t["latitude"]) for t in towns.values()], [float(t["longitude"]) for t in towns.values()])
    seats = _Seats(towns, dict(zip(towns, regions)))
    return [_seat_region(row, str(path), line, seats, layer, taken) for line, row in rows]


class _Seats:
    """The seat towns the rows name (cities500 records by GeoNames id) and the admin-1 region of each."""

    def __init__(self, towns: dict, region_of: dict):
        self.towns = towns
        self.region_of = region_of


def _seat_region(row: dict, path: str, line: int, seats: _Seats, layer: str,
                 taken: frozenset[str]) -> tuple[Place, tuple[str, ...]]:
    """One row of the seat regions file as a place at its seat."""

    def fail(message: str) -> ImportFileError:
        return ImportFileError(message, path, line)

    raw_id, name, source = (_text(row, k) for k in ("id", "name", "source"))
    if not _ID.match(raw_id) or not name or not source:
        raise fail("needs id (letters, digits, '-', '_', '.'), name, level, seat and source")
    if f"cz:{raw_id}" in taken:
        raise fail(f"id cz:{raw_id} is also a curated place")
    seat_id = _text(row, "seat").removeprefix("gn:")
    town = seats.towns.get(seat_id)
    if town is None:
        raise fail(f"unknown seat {row.get('seat')!r}: give the gn:<geonameid> of a cities500 town")
    level = _checked_level(_text(row, "level"), fail)
    if level not in (Level.PROVINCE, Level.DISTRICT):
        raise fail(f"level must be province or district, got {level.value!r}")
    code = town.get("countrycode") or None
    region = seats.region_of.get(seat_id)
    place = Place(
        id=f"cz:{raw_id}",
        name=name,
        lat=float(town["latitude"]),
        lon=float(town["longitude"]),
        level=level,
        layer=layer,
        country_code=code,
        # A region of province level is its own admin-1 unit; a district lies in its seat's.
        admin1=name if level is Level.PROVINCE else (region[1] if region else None),
        feature_code=_text(row, "feature_code") or "RGN",
        parent_id=f"ne0:{code}" if code else None,
        source=f"{source}; point of the seat {town['name']} (GeoNames {seat_id}, CC BY 4.0)",
    )
    return place, unique_names([name, *(row.get("aliases") or "").split("|")])


class CuratedLayer(Layer):
    """Places from gazetteer/data/conflict_places.csv and seat_regions.csv, ids `cz:<id>`."""

    name = "curated"

    def __init__(self, path: Path | None = None, seats: Path | None = None):
        # A custom places file comes without the packaged seat regions unless they are asked for.
        self.path = Path(path) if path else curated_path()
        self.seats = Path(seats) if seats else (data_path(SEAT_FILE) if path is None else None)

    def source_files(self) -> list[Path]:
        if self.seats is None:
            return [self.path]

        return [self.path, self.seats, cities_path()]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        places = read_curated(self.path, self.name)
        yield from places
        if self.seats is not None:
            yield from read_seat_regions(self.seats, cities_path(), self.name, frozenset(p.id for p, _ in places))
