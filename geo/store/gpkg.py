"""The store as a GeoPackage file, written with the standard library's sqlite3.

The file is a conforming GeoPackage (QGIS and GDAL open the `incidents` and `toponyms`
layers directly): GeoPackage metadata tables, point geometries as GeoPackage binary blobs
in EPSG:4326, and an R-tree spatial index kept current by the standard triggers, for
which this module supplies the ST_* SQL functions those triggers call (an ingest enters its
own new rows in one statement instead, with the same functions: `GeoPackageStore._insert`).
"""

from __future__ import annotations

import functools
import math
import os
import sqlite3
import struct
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from geo.store.base import SqlStore
from geo.store.schema import (
    SCHEMA_VERSION,
    SRID,
    TABLES,
    StoreError,
    StoreWriteError,
    Table,
    migration_plan,
    parse_version,
    point_wkb,
)

__all__ = ["GeoPackageStore", "gpkg_point"]

_APPLICATION_ID = 0x47504B47      # "GPKG"
_USER_VERSION = 10300             # GeoPackage 1.3
_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "real": "DOUBLE", "date": "DATE", "json": "TEXT"}
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

_CORE_DDL = [
    """CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
        organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
        definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
        identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
        geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
    """CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
        definition TEXT NOT NULL, scope TEXT NOT NULL,
        CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))""",
]

_SRS_ROWS = [
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", SRID, "EPSG", SRID, _WGS84_WKT, "longitude/latitude coordinates in decimal degrees"),
]

# The GeoPackage spec's R-tree triggers (gpkg_rtree_index extension), for table t, column c, key i.
_RTREE_INSERT_TRIGGER = """
CREATE TRIGGER rtree_{t}_{c}_insert AFTER INSERT ON {t}
WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN INSERT OR REPLACE INTO rtree_{t}_{c} VALUES (NEW.{i},
  ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})); END;"""
_RTREE_TRIGGERS = _RTREE_INSERT_TRIGGER + """
CREATE TRIGGER rtree_{t}_{c}_update1 AFTER UPDATE OF {c} ON {t}
WHEN OLD.{i} = NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN INSERT OR REPLACE INTO rtree_{t}_{c} VALUES (NEW.{i},
  ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})); END;
CREATE TRIGGER rtree_{t}_{c}_update2 AFTER UPDATE OF {c} ON {t}
WHEN OLD.{i} = NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM rtree_{t}_{c} WHERE id = OLD.{i}; END;
CREATE TRIGGER rtree_{t}_{c}_update3 AFTER UPDATE ON {t}
WHEN OLD.{i} != NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM rtree_{t}_{c} WHERE id = OLD.{i};
  INSERT OR REPLACE INTO rtree_{t}_{c} VALUES (NEW.{i},
  ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})); END;
CREATE TRIGGER rtree_{t}_{c}_update4 AFTER UPDATE ON {t}
WHEN OLD.{i} != NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM rtree_{t}_{c} WHERE id IN (OLD.{i}, NEW.{i}); END;
CREATE TRIGGER rtree_{t}_{c}_delete AFTER DELETE ON {t} WHEN old.{c} NOT NULL
BEGIN DELETE FROM rtree_{t}_{c} WHERE id = OLD.{i}; END;
"""


def gpkg_point(lat: float | None, lon: float | None) -> bytes | None:
    """A GeoPackage binary point in EPSG:4326 (no envelope, little-endian), or None."""
    if lat is None or lon is None:
        return None
    return b"GP\x00\x01" + struct.pack("<i", SRID) + point_wkb(lat, lon)


@functools.lru_cache(maxsize=1 << 12)
def _point_xy(blob: bytes | None) -> tuple[float, float] | None:
    """(x, y) of a GeoPackage point blob; None for NULL, empty or non-point geometries (memoised: the R-tree
    triggers ask five times per row, and places recur)."""
    if not blob or len(blob) < 8 or blob[:2] != b"GP" or blob[3] & 0x10:
        return None
    start = 8 + _ENVELOPE_BYTES.get((blob[3] >> 1) & 0x07, 0)
    wkb = blob[start:]
    if len(wkb) < 21:
        return None
    order = "<" if wkb[0] == 1 else ">"
    if struct.unpack(order + "I", wkb[1:5])[0] % 1000 != 1:
        return None
    x, y = struct.unpack(order + "dd", wkb[5:21])
    return None if math.isnan(x) else (x, y)


def _st(axis: int):
    """ST_MinX and the like for a point: the coordinate `axis` (0: x, 1: y), or None."""
    def call(blob):
        xy = _point_xy(blob)
        return None if xy is None else xy[axis]
    return call


class GeoPackageStore(SqlStore):
    """A store in one GeoPackage file (created on first use)."""

    placeholder = "?"
    geometry_sql = "?"
    dialect = "gpkg"

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False):
        self.path = os.fspath(path)
        self.url = self.path
        self.read_only = read_only
        folder = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(folder):
            raise StoreWriteError(f"cannot create store {self.path}: folder {folder} does not exist")
        try:
            if read_only:
                self._conn = self._connect_read_only()
            else:
                self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
                self._setup()
                self._enable_wal()
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._prepare()
        except sqlite3.Error as exc:
            self.close()
            raise _store_error(f"cannot open store {self.path}", exc) from exc
        except BaseException:
            self.close()
            raise

    def _setup(self) -> None:
        self._conn.row_factory = sqlite3.Row
        self._register_functions()
        self._conn.execute("PRAGMA foreign_keys=ON")

    def _enable_wal(self, wait: float = 30.0) -> None:
        """Switch the file to WAL, retrying while another process does the same.

        SQLite answers a concurrent journal-mode change with "database is locked" at once, without
        the busy timeout: two runs creating one new store would otherwise fail here.
        """
        deadline = time.monotonic() + wait
        delay = 0.01
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorname", "") != "SQLITE_BUSY" or time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def _connect_read_only(self) -> sqlite3.Connection:
        """A connection that cannot write: `mode=ro`, or `immutable=1` when nobody can change the file.

        A WAL database needs its -shm file even to be read; in a read-only folder that file cannot
        be made, so SQLite is told the file is immutable, true when neither it nor its folder is writable.
        """
        if not os.path.isfile(self.path):
            raise StoreError(f"no store at {self.path}: it is not a file")
        uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30.0)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            folder = os.path.dirname(os.path.abspath(self.path))
            if os.access(self.path, os.W_OK) and os.access(folder, os.W_OK):
                raise
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, timeout=30.0)
        self._conn = conn
        self._setup()
        return conn

    # -- dialect hooks ----------------------------------------------------------------------
    @contextmanager
    def _transaction(self):
        if self.read_only:
            raise StoreError(f"store {self.path} was opened read-only")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _store_error(f"cannot write store {self.path}", exc) from exc
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _store_error(f"cannot write store {self.path}", exc) from exc
            raise

    def _rows(self, sql: str, params: Sequence = ()) -> Iterator[dict]:
        """The rows of `sql` as dicts by column name: a decoder reads some thirty columns of each row by name, and
        `sqlite3.Row` finds a name by comparing it with each column's in turn."""
        cur = self._conn.cursor()
        cur.row_factory = None
        cur.execute(sql, list(params))
        names = [d[0] for d in cur.description or ()]
        while chunk := cur.fetchmany(1000):
            yield from (dict(zip(names, values)) for values in chunk)

    def _execute(self, sql: str, params: Sequence = ()) -> None:
        self._conn.execute(sql, list(params))

    def _executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        self._conn.executemany(sql, rows)

    def _geometry(self, lat, lon):
        return gpkg_point(lat, lon)

    def _date(self, value):
        return value.isoformat() if value is not None else None

    def _insert(self, table: Table, rows: Sequence[Sequence]) -> None:
        """New rows of a table with a point enter its R-tree in one statement after them, not row by row through
        the spec's insert trigger: the trigger is dropped and put back inside the batch's transaction, so the
        store is never seen without it. Same entries, inserted in the same order (by fid); about a third of the
        time (ingesting the fuzz benchmark's 39,000 toponyms and 9,800 incidents: 1.2 -> 0.85 s of CPU).

        A store whose insert trigger is not the one this module writes (another tool rewrote it) keeps it at work.
        """
        name, x = table.name, self._conn.execute
        trigger = _RTREE_INSERT_TRIGGER.format(t=name, c="geom", i="fid").strip().removesuffix(";")
        found = table.geometry and x("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                     [f"rtree_{name}_geom_insert"]).fetchone()
        if not found or found[0] != trigger:
            super()._insert(table, rows)
            return
        # AUTOINCREMENT: every new row's fid is above the largest fid stored now
        last = x(f"SELECT max(fid) FROM {name}").fetchone()[0] or 0
        x(f"DROP TRIGGER rtree_{name}_geom_insert")
        self._executemany(self._insert_sql(table), rows)
        x(f"INSERT OR REPLACE INTO rtree_{name}_geom SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom),"
          f" ST_MaxY(geom) FROM {name} WHERE fid > ? AND geom NOT NULL AND NOT ST_IsEmpty(geom) ORDER BY fid", [last])
        x(trigger)

    def _touched(self, tables) -> None:
        names = list(tables)
        if names:
            self._conn.execute(
                f"UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
                f" WHERE table_name IN ({', '.join('?' * len(names))})", names)

    # -- setup ------------------------------------------------------------------------------
    def _register_functions(self) -> None:
        c = self._conn
        c.create_function("ST_IsEmpty", 1, lambda b: None if b is None else int(_point_xy(b) is None),
                          deterministic=True)
        c.create_function("ST_MinX", 1, _st(0), deterministic=True)
        c.create_function("ST_MaxX", 1, _st(0), deterministic=True)
        c.create_function("ST_MinY", 1, _st(1), deterministic=True)
        c.create_function("ST_MaxY", 1, _st(1), deterministic=True)

    def _prepare(self) -> None:
        if self.read_only:
            self._check_read_only()
            return
        # Checked again inside the write lock: two runs creating one new store must not both create it.
        with self._transaction():
            tables = self._tables()
            if "meta" not in tables:
                self._refuse_foreign(tables)
                self._create(tables)
                return
            steps = migration_plan(self._version(), where=self.path)
            for v, step in enumerate(steps, start=self._version()):
                step(self._conn.execute, self.dialect)
                self._conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(v + 1)])

    def _check_read_only(self) -> None:
        tables = self._tables()
        if "meta" not in tables:
            self._refuse_foreign(tables)
            raise StoreError(f"{self.path} holds no incidentmap store yet (run `incidentmap ingest` first)")
        if migration_plan(self._version(), where=self.path):
            # An older store: upgrade it through a writable connection, then read.
            self._conn.close()
            try:
                GeoPackageStore(self.path).close()
            except StoreError as exc:
                raise StoreError(f"{exc} (the store needs upgrading to schema {SCHEMA_VERSION}, "
                                 "which needs write access)") from exc
            self._conn = self._connect_read_only()

    def _tables(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _refuse_foreign(self, tables: set[str]) -> None:
        if tables - {"gpkg_spatial_ref_sys", "gpkg_contents", "gpkg_geometry_columns",
                     "gpkg_extensions", "gpkg_ogr_contents", "sqlite_sequence"}:
            raise StoreError(f"{self.path} is a database but not an incidentmap store")

    def _version(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return parse_version(row[0] if row else None, where=self.path)

    def _create(self, existing: set[str]) -> None:
        x = self._conn.execute
        x(f"PRAGMA application_id = {_APPLICATION_ID}")
        x(f"PRAGMA user_version = {_USER_VERSION}")
        if "gpkg_spatial_ref_sys" not in existing:
            for ddl in _CORE_DDL:
                x(ddl)
            self._conn.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _SRS_ROWS)
        x("CREATE TABLE meta (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, key TEXT NOT NULL UNIQUE, value TEXT)")
        x("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        x("INSERT INTO meta (key, value) VALUES ('application', 'incidentmap')")
        x("INSERT INTO gpkg_contents (table_name, data_type, identifier, description)"
          " VALUES ('meta', 'attributes', 'meta', 'incidentmap store metadata (schema_version)')")
        for table in TABLES:
            self._create_table(table)
        x("CREATE UNIQUE INDEX articles_article_id ON articles (article_id)")
        x("CREATE INDEX toponyms_article_id ON toponyms (article_id)")
        x("CREATE INDEX incidents_article_id ON incidents (article_id)")
        x("CREATE INDEX incidents_date ON incidents (date)")
        x("CREATE INDEX incidents_incident_id ON incidents (incident_id)")

    def _create_table(self, table: Table) -> None:
        x = self._conn.execute
        cols = ["fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"]
        if table.geometry:
            cols.append("geom POINT")
        cols += [f"{name} {_SQL_TYPES[kind]}" for name, kind in table.columns]
        x(f"CREATE TABLE {table.name} ({', '.join(cols)})")
        kind = "features" if table.geometry else "attributes"
        x("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)"
          " VALUES (?, ?, ?, ?, ?)",
          [table.name, kind, table.name, table.description, SRID if table.geometry else None])
        if table.geometry:
            x("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)", [table.name, SRID])
            x(f"CREATE VIRTUAL TABLE rtree_{table.name}_geom USING rtree(id, minx, maxx, miny, maxy)")
            for stmt in _RTREE_TRIGGERS.format(t=table.name, c="geom", i="fid").split("END;"):
                if stmt.strip():
                    x(stmt + "END;")
            x("INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index',"
              " 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')", [table.name])


# SQLite result codes that mean the file cannot be written (permissions, a read-only medium, a full disk),
# not that the store is wrong: the CLI reports them as an output that could not be written (exit 3).
_WRITE_CODES = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_PERM")


def _store_error(message: str, exc: sqlite3.Error) -> StoreError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    kind = StoreWriteError if name.startswith(_WRITE_CODES) else StoreError
    return kind(f"{message}: {exc}")
