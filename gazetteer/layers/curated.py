"""Hand-curated conflict places (neighbourhoods, camps, bases, crossings) from a CSV with sources."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from gazetteer.errors import ImportFileError
from gazetteer.layers.base import Layer, data_path, unique_names
from gazetteer.model import Level, Place

CURATED_FILE = "conflict_places.csv"
COLUMNS = ("id", "name", "aliases", "lat", "lon", "level", "parent", "country_code", "admin1", "source")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_PARENT = re.compile(r"^(?:cz|gn|ne0|ne1|user):\S+$")


def curated_path() -> Path:
    """The packaged curated places file."""
    return data_path(CURATED_FILE)


def parse_curated_row(row: dict[str, str], path: str, line: int, layer: str = "curated") -> tuple[Place, tuple[str, ...]]:
    """Validate one curated CSV row; a bad value raises ImportFileError naming file and line."""

    def fail(message: str) -> ImportFileError:
        return ImportFileError(message, path, line)

    raw_id = (row.get("id") or "").strip()
    if not _ID.match(raw_id):
        raise fail(f"bad id {raw_id!r}: letters, digits, '-', '_' and '.' only")
    name = (row.get("name") or "").strip()
    if not name:
        raise fail("empty name")
    try:
        lat, lon = float(row.get("lat") or ""), float(row.get("lon") or "")
    except ValueError:
        raise fail(f"lat/lon must be numbers, got {row.get('lat')!r}, {row.get('lon')!r}") from None
    try:
        level = Level.parse(row.get("level") or "")
    except ValueError as exc:
        raise fail(str(exc)) from exc
    code = (row.get("country_code") or "").strip().upper() or None
    if code is not None and not re.fullmatch(r"[A-Z]{2}", code):
        raise fail(f"country_code must be ISO 3166-1 alpha-2, got {code!r}")
    parent = (row.get("parent") or "").strip() or None
    if parent and re.fullmatch(r"[A-Z]{2}", parent):
        parent = f"ne0:{parent}"  # an ISO country code names the country
    elif parent and not _PARENT.match(parent):
        parent = f"cz:{parent}"
    source = (row.get("source") or "").strip()
    if not source:
        raise fail("every curated place needs a public source")
    population = (row.get("population") or "").strip()
    try:
        place = Place(
            id=f"cz:{raw_id}",
            name=name,
            lat=lat,
            lon=lon,
            level=level,
            layer=layer,
            country_code=code,
            admin1=(row.get("admin1") or "").strip() or None,
            feature_code=(row.get("feature_code") or "").strip(),
            population=int(population) if population else 0,
            parent_id=parent,
            source=source,
        )
    except ValueError as exc:
        raise fail(str(exc)) from exc
    aliases = (row.get("aliases") or "").split("|")
    return place, unique_names([name, *aliases])


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


class CuratedLayer(Layer):
    """Places from gazetteer/data/conflict_places.csv, ids `cz:<id>`."""

    name = "curated"

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else curated_path()

    def source_files(self) -> list[Path]:
        return [self.path]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        yield from read_curated(self.path, self.name)
