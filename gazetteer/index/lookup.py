"""The local SQLite index every lookup goes through, built from the layers on first use."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from gazetteer import names as names_module
from gazetteer.errors import IndexError_
from gazetteer.index.build import (
    RANK_VERSION,
    SCHEMA_VERSION,
    build_index,
    data_package_versions,
    insert_places,
    read_meta,
    source_keys,
    source_stamp,
    stamps_match,
)
from gazetteer.layers.base import DEFAULT_LAYERS, Layer, layer_class
from gazetteer.layers.user import UserLayer
from gazetteer.model import Level, Place
from gazetteer.paths import ENV_PATH, clean_stale, default_index_path, user_store_path

_PLACE_COLUMNS = (
    "p.id, p.name, p.lat, p.lon, p.level, p.layer, p.country_code, p.admin1, p.admin2, "
    "p.feature_code, p.population, p.parent_id, s.text, p.raw"
)
_SOURCE_JOIN = "LEFT JOIN sources s ON s.rowid = p.source"


def _make_layers(index_path: Path, layers: Sequence[str | Layer] | None) -> list[Layer]:

    out: list[Layer] = []
    for item in layers if layers is not None else DEFAULT_LAYERS:
        if isinstance(item, Layer):
            out.append(item)
        elif item == "user":
            out.append(UserLayer(user_store_path(index_path)))
        else:
            out.append(layer_class(item)())
    return out


def _row_to_place(row: tuple) -> Place:
    raw = tuple(tuple(pair) for pair in json.loads(row[13])) if row[13] else ()
    return Place(
        id=row[0], name=row[1], lat=row[2], lon=row[3], level=Level(row[4]), layer=row[5],
        country_code=row[6], admin1=row[7], admin2=row[8], feature_code=row[9] or "",
        population=row[10] or 0, parent_id=row[11], source=row[12] or "", raw=raw,
    )


def _readable_meta(path: Path) -> dict | None:
    """The index's metadata, or None if the file is no readable index."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=60)
        try:
            meta = read_meta(conn)
            conn.execute("SELECT 1 FROM places LIMIT 1").fetchall()
            conn.execute("SELECT 1 FROM names LIMIT 1").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    return meta


# Why an index is stale, tried in order: each a reason and the test of the stored metadata.
_STALE_WHEN = (
    ("schema version", lambda meta, layers: meta.get("schema_version") != str(SCHEMA_VERSION)),
    ("names version", lambda meta, layers: meta.get("names_version") != str(names_module.NAMES_VERSION)),
    ("rank version", lambda meta, layers: meta.get("rank_version") != str(RANK_VERSION)),
    ("skeleton support", lambda meta, layers: meta.get("has_skeleton") != str(int(hasattr(names_module, "skeleton")))),
    ("layers", lambda meta, layers: json.loads(meta.get("layers", "[]")) != [layer.name for layer in layers]),
)


def _changed_sources(meta: dict, layers: list[Layer], restamped: dict | None) -> str | None:
    """Why the layers' source files no longer match the index, or None; stamps of files that only got
    a new mtime go into `restamped`."""
    stored = json.loads(meta.get("sources", "{}"))
    current = source_keys(layers)
    if sorted(stored) != sorted(current):
        return "source files"
    moved = False
    for key, p in current.items():
        if not stamps_match(stored[key], p):
            return f"source changed: {p}"
        moved = moved or (p.exists() and p.stat().st_mtime_ns != stored[key].get("mtime_ns"))
    if moved and restamped is not None:
        restamped.update({key: source_stamp(p) for key, p in current.items()})
    return None


class GazetteerIndex:
    """Read access to the built index: candidates by name key, places by id, all keys."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = Path(path)
        self._conn = conn
        self._lock = threading.Lock()
        # `_most_populous`'s answers by kind, then country code: found in one pass over the places on first use
        self._most_populous_of: dict[str, dict[str, Place]] = {}

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | os.PathLike | None = None,
        *,
        rebuild: bool = False,
        layers: Sequence[str | Layer] | None = None,
    ) -> "GazetteerIndex":
        """Open the index at `path`, building it first if it is missing, stale or broken.

        `layers` (names or Layer objects) defaults to DEFAULT_LAYERS; an index built from
        other layers counts as stale.
        """
        path = Path(path).expanduser() if path is not None else default_index_path()
        clean_stale(str(path.parent), path.name)     # a build killed mid-way (SIGKILL, the OOM killer)
        made = _make_layers(path, layers)
        restamped: dict = {}
        if rebuild or cls._why_stale(path, made, restamped) is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                build_index(path, made)
            except OSError as exc:
                if isinstance(exc, IndexError_):
                    raise
                raise IndexError_(f"cannot build the gazetteer index at {path}: {exc.strerror or exc} "
                                  f"(set {ENV_PATH} to a writable file path)") from exc
            restamped = {}
        index = cls.attach(path)
        if restamped:
            index._restamp(restamped)
        index._refresh_user_places(made)
        return index

    def _restamp(self, sources: dict) -> None:
        # Same content under a new mtime (reinstall, fresh clone): remember the new mtime so
        # later opens need not hash the files again.
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO meta VALUES ('sources', ?)", (json.dumps(sources),)
            )

    @staticmethod
    def _why_stale(path: Path, layers: list[Layer], restamped: dict | None = None) -> str | None:
        """Why the index at `path` must be rebuilt, or None if it is current.

        If sources only got a new mtime, their fresh stamps are put into `restamped`.
        """
        if not path.exists():
            return "missing"
        meta = _readable_meta(path)
        if meta is None:
            return "broken"
        for reason, stale in _STALE_WHEN:
            if stale(meta, layers):
                return reason
        built_with = json.loads(meta.get("versions", "{}"))
        for dist, version in data_package_versions().items():
            if built_with.get(dist) != version:
                return f"{dist} {built_with.get(dist)} -> {version}"
        return _changed_sources(meta, layers, restamped)

    def _refresh_user_places(self, layers: list[Layer]) -> None:
        """Re-merge the user layer when its store changed since the index was built."""

        user = next((layer for layer in layers if isinstance(layer, UserLayer)), None)
        if user is None:
            return
        generation = user.generation()
        with self._lock:
            meta = read_meta(self._conn)
            if meta.get("user_generation") == str(generation):
                return
            with self._conn:
                self._conn.execute("DELETE FROM names WHERE src = 1")
                self._conn.execute("DELETE FROM skeletons WHERE src = 1")
                self._conn.execute("DELETE FROM places WHERE layer = ?", (user.name,))
                insert_places(self._conn, [user], src=1)
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('user_generation', ?)", (str(generation),)
                )
            self._most_populous_of.clear()

    # -- queries -----------------------------------------------------------------------------
    def candidates(self, key: str, *, limit: int = 50) -> list[Place]:
        """Places with the normalized name `key` in any layer, most important first."""
        return self._by_key("names", "key", key, limit)

    def candidates_by_skeleton(self, skel: str, *, limit: int = 50) -> list[Place]:
        """Places whose name has the skeleton `skel` (empty unless names.skeleton exists)."""
        return self._by_key("skeletons", "skel", skel, limit)

    def _by_key(self, table: str, column: str, key: str, limit: int) -> list[Place]:
        sql = (
            f"SELECT {_PLACE_COLUMNS} FROM {table} n JOIN places p ON p.rowid = n.place {_SOURCE_JOIN} "
            f"WHERE n.{column} = ? ORDER BY n.imp DESC, p.rowid LIMIT ?"
        )
        with self._lock:
            rows = self._conn.execute(sql, (key, int(limit))).fetchall()
        return [_row_to_place(r) for r in rows]

    def iter_keys(self) -> Iterator[tuple[str, float]]:
        """Every distinct name key with the best importance of the places it names."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, MAX(imp) FROM names GROUP BY key ORDER BY key"
            ).fetchall()
        yield from rows

    def get(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_PLACE_COLUMNS} FROM places p {_SOURCE_JOIN} WHERE p.id = ?", (place_id,)
            ).fetchone()
        return _row_to_place(row) if row else None

    def capital(self, country_code: str) -> Place | None:
        """The capital of a country (GeoNames feature code PPLC, the most populous if several), or None."""
        return self._most_populous("p.feature_code = 'PPLC'", (), country_code)

    def country(self, country_code: str) -> Place | None:
        """The country with this ISO code as a place of the index, or None."""
        return self._most_populous("p.level = ?", (Level.COUNTRY.value,), country_code)

    def _most_populous(self, where: str, args: tuple, country_code: str) -> Place | None:
        """The most populous place (then the smallest id) of `country_code` among those `where` selects.

        The places table has no index by country, so each question would read all of it (16 ms): the first
        reads it once for every country's answer, and later ones are looked up.
        """
        with self._lock:
            by_code = self._most_populous_of.get(where)
            if by_code is None:
                rows = self._conn.execute(
                    f"SELECT {_PLACE_COLUMNS} FROM places p {_SOURCE_JOIN} WHERE {where} AND p.country_code IS NOT NULL "
                    "ORDER BY p.country_code, p.population DESC, p.id", args
                ).fetchall()
                by_code = {}
                for row in rows:
                    if row[6] not in by_code:
                        by_code[row[6]] = _row_to_place(row)
                self._most_populous_of[where] = by_code
        return by_code.get(country_code)

    def populated_places(self, south: float, west: float, north: float, east: float, *,
                         min_population: int = 0, regions: Sequence[str] | None = None,
                         ) -> list[tuple[str, float, float, int, bool]]:
        """`(name, lat, lon, population, is_capital)` of the GeoNames populated places inside a box
        that have at least `min_population` people or are capitals (plain tuples: a map may need 100,000).

        `regions` keeps only places in those admin-1 regions (ids of `gazetteer.boundaries`).
        GeoNames lists some city districts as towns of their own, at times with more people than
        the city (Al Mawsil al Jadidah, "New Mosul"); a place the curated layer holds as a
        neighbourhood at the same point is such a district and is left out.
        """
        sql = (
            "SELECT name, lat, lon, COALESCE(population, 0), feature_code = 'PPLC' FROM places "
            "WHERE layer = 'geonames' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
            "AND (population >= ? OR feature_code = 'PPLC')"
        )
        args: list = [south, north, west, east, int(min_population)]
        if regions is not None:
            sql += f" AND parent_id IN ({','.join('?' * len(regions))})"
            args += list(regions)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY rowid", args).fetchall()
            districts = set(self._conn.execute(
                "SELECT lat, lon FROM places WHERE layer = 'curated' AND level = ?", (Level.NEIGHBOURHOOD.value,),
            ).fetchall())
        return [(name, lat, lon, pop, bool(capital)) for name, lat, lon, pop, capital in rows
                if (lat, lon) not in districts]

    def curated_towns(self, south: float, west: float, north: float, east: float) -> list[tuple[str, float, float]]:
        """`(name, lat, lon)` of the curated layer's towns inside a box (news names, cited coordinates)."""
        with self._lock:
            return self._conn.execute(
                "SELECT name, lat, lon FROM places WHERE layer = 'curated' AND level = ? "
                "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? ORDER BY rowid",
                (Level.CITY.value, south, north, west, east),
            ).fetchall()

    def names_of(self, place_id: str) -> list[str]:
        """The normalized name keys stored for a place."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT n.key FROM names n JOIN places p ON p.rowid = n.place WHERE p.id = ? "
                "ORDER BY n.key",
                (place_id,),
            ).fetchall()
        return [r[0] for r in rows]

    def info(self) -> dict:
        """Path, size, build time, per-layer counts and versions of this index."""
        with self._lock:
            meta = read_meta(self._conn)
            counts = dict(
                self._conn.execute("SELECT layer, COUNT(*) FROM places GROUP BY layer").fetchall()
            )
            n_keys = self._conn.execute("SELECT COUNT(DISTINCT key) FROM names").fetchone()[0]
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size if self.path.exists() else 0,
            "built_at": meta.get("built_at"),
            "build_seconds": float(meta.get("build_seconds", "nan")),
            "layers": {name: counts.get(name, 0) for name in json.loads(meta.get("layers", "[]"))},
            "places": sum(counts.values()),
            "name_keys": n_keys,
            "schema_version": int(meta.get("schema_version", 0)),
            "names_version": int(meta.get("names_version", 0)),
            "has_skeleton": meta.get("has_skeleton") == "1",
            "sources": json.loads(meta.get("sources", "{}")),
            "versions": json.loads(meta.get("versions", "{}")),
        }

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "GazetteerIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @classmethod
    def attach(cls, path: str | os.PathLike) -> "GazetteerIndex":
        """Open an index file as it is, without checking or rebuilding it."""
        try:
            conn = sqlite3.connect(Path(path), timeout=60, check_same_thread=False)
        except sqlite3.Error as exc:
            raise IndexError_(f"cannot open gazetteer index {path}: {exc}") from exc
        return cls(Path(path), conn)

    def __reduce__(self):
        # A connection cannot be pickled; workers (dask) reattach to the same file instead.
        return (GazetteerIndex.attach, (self.path,))

    def __repr__(self) -> str:
        return f"GazetteerIndex({str(self.path)!r})"


__all__ = ["GazetteerIndex", "default_index_path", "source_stamp", "ENV_PATH", "SCHEMA_VERSION"]

