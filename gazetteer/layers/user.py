"""The user's own places: imported files kept in a store next to the index, merged into it."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gazetteer.errors import ImportFileError
from gazetteer.layers.base import Layer
from gazetteer.layers.user_formats import ParsedFile, parse_file
from gazetteer.model import Level, Place
from gazetteer.paths import user_store_path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS user_places (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    level TEXT NOT NULL, country_code TEXT, admin1 TEXT, admin2 TEXT, feature_code TEXT,
    population INTEGER, parent_id TEXT, source TEXT, names TEXT NOT NULL, raw TEXT
);
CREATE TABLE IF NOT EXISTS user_names (
    place_id TEXT NOT NULL, name TEXT NOT NULL, source TEXT, PRIMARY KEY (place_id, name)
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import added; `errors` are "file:line: message" for each skipped line."""

    path: str
    kind: str
    added: int
    skipped: int
    errors: tuple[str, ...] = ()


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=60)
    conn.executescript(_SCHEMA)
    return conn


class UserLayer(Layer):
    """Places and extra names the user imported (`import_file`)."""

    name = "user"
    mutable = True

    def __init__(self, store: str | os.PathLike | None = None):
        self.store = Path(store) if store is not None else user_store_path()

    def generation(self) -> int:
        """A counter bumped by every import; 0 when nothing was imported."""
        if not self.store.exists():
            return 0
        try:
            conn = sqlite3.connect(self.store.resolve().as_uri() + "?mode=ro", uri=True, timeout=60)
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            return 0
        return int(row[0]) if row else 0

    def _rows(self, sql: str) -> list[tuple]:
        if not self.store.exists():
            return []
        conn = _connect(self.store)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        for row in self._rows(
            "SELECT id, name, lat, lon, level, country_code, admin1, admin2, feature_code, "
            "population, parent_id, source, names, raw FROM user_places ORDER BY id"
        ):
            place = Place(
                id=row[0], name=row[1], lat=row[2], lon=row[3], level=Level(row[4]),
                layer=self.name, country_code=row[5], admin1=row[6], admin2=row[7],
                feature_code=row[8] or "", population=row[9] or 0, parent_id=row[10],
                source=row[11] or "", raw=tuple(tuple(p) for p in json.loads(row[13] or "[]")),
            )
            yield place, tuple(json.loads(row[12]))

    def iter_extra_names(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        current: str | None = None
        names: list[str] = []
        for place_id, name in self._rows("SELECT place_id, name FROM user_names ORDER BY place_id"):
            if place_id != current:
                if current is not None:
                    yield current, tuple(names)
                current, names = place_id, []
            names.append(name)
        if current is not None:
            yield current, tuple(names)


def _save(store: Path, parsed: ParsedFile, source: str) -> None:
    conn = _connect(store)
    try:
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO user_places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (p.id, p.name, p.lat, p.lon, p.level.value, p.country_code, p.admin1,
                     p.admin2, p.feature_code, p.population, p.parent_id, p.source or source,
                     json.dumps(list(names), ensure_ascii=False),
                     json.dumps(p.raw, ensure_ascii=False))
                    for p, names in parsed.places
                ],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO user_names VALUES (?,?,?)",
                [(pid, name, source) for pid, name in parsed.extra_names],
            )
            conn.execute(
                "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
    finally:
        conn.close()


def import_file(path: str | os.PathLike, index_path: str | os.PathLike | None = None) -> ImportReport:
    """Import a GeoNames dump, alternateNamesV2, CSV or GeoJSON file into the user store.

    Malformed lines are skipped and listed in the report; ImportFileError is raised only
    when the file yields nothing valid. The index merges the new places when next opened.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError("no such file", str(path))
    try:
        parsed = parse_file(path)
    except UnicodeDecodeError as exc:
        line = _line_of_byte(path, exc.start)
        raise ImportFileError(f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save the file as UTF-8 "
                              "and import it again", str(path), line) from exc
    added = len(parsed.places) + len(parsed.extra_names)
    if added == 0:
        if parsed.errors:
            first = parsed.errors[0]
            raise ImportFileError(
                f"nothing valid to import ({len(parsed.errors)} bad lines); first: {first[1]}",
                str(path), first[0],
            )
        raise ImportFileError("no places found", str(path))
    _save(user_store_path(index_path), parsed, source=f"user import: {path.name}")
    return ImportReport(
        path=str(path),
        kind=parsed.kind,
        added=added,
        skipped=len(parsed.errors),
        errors=tuple(f"{path}:{line}: {message}" for line, message in parsed.errors),
    )


def _line_of_byte(path: Path, offset: int) -> int | None:
    """The 1-based line holding byte `offset` of a file (for an encoding error's message)."""
    try:
        with path.open("rb") as fh:
            return fh.read(offset).count(b"\n") + 1
    except OSError:
        return None
