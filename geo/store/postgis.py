"""The store in a PostgreSQL database with PostGIS, through psycopg 3.

Same tables and columns as the GeoPackage store; geometries are `geometry(Point, 4326)`
with GiST indexes, JSON columns are `jsonb`. The tables go in the first schema of the
connection's search_path (`?options=-csearch_path%3Dmyschema,public` to pick one).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from geo.errors import InputError
from geo.store.base import SqlStore
from geo.store.schema import (
    SCHEMA_VERSION,
    SRID,
    TABLES,
    StoreError,
    Table,
    migration_plan,
    parse_version,
    point_wkb,
)

__all__ = ["PostGISStore"]

_SQL_TYPES = {"text": "text", "int": "bigint", "real": "double precision", "date": "date", "json": "jsonb"}
_LOCK_KEY = 0x1C1D  # advisory lock so two processes never create or migrate the schema at once


class PostGISStore(SqlStore):
    """A store in a PostGIS database (tables created on first use)."""

    placeholder = "%s"
    geometry_sql = f"ST_GeomFromWKB(%s, {SRID})"
    dialect = "postgis"

    def __init__(self, url: str, *, read_only: bool = False):
        # lazy: psycopg (about 80 ms) only for a PostGIS store; geo.store imports this module for every store
        import psycopg
        from psycopg.rows import dict_row
        from psycopg.types.string import TextLoader

        self.url = url
        self.read_only = read_only
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to store {_redact(url)}: {exc}".strip()) from exc
        # the shared row decoding parses JSON itself
        self._conn.adapters.register_loader("jsonb", TextLoader)
        try:
            self._prepare()
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"cannot prepare store {_redact(url)}: {exc}".strip()) from exc
        except BaseException:
            self.close()
            raise

    # -- dialect hooks ----------------------------------------------------------------------
    @contextmanager
    def _transaction(self):
        if self.read_only:
            raise StoreError(f"store {_redact(self.url)} was opened read-only")
        try:
            with self._conn.transaction():
                yield
        except self._psycopg.Error as exc:
            raise StoreError(f"store {_redact(self.url)}: {exc}".strip()) from exc

    def _rows(self, sql: str, params: Sequence = ()) -> Iterator[dict]:
        with self._conn.cursor() as cur:
            cur.execute(sql, list(params) or None)
            while chunk := cur.fetchmany(1000):
                yield from chunk

    def _execute(self, sql: str, params: Sequence = ()) -> None:
        self._conn.execute(sql, list(params) or None)

    def _executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(sql, rows)

    def _geometry(self, lat, lon):
        return None if lat is None or lon is None else point_wkb(lat, lon)

    def _where(self) -> str:
        return _redact(self.url)

    # -- setup ------------------------------------------------------------------------------
    def _prepare(self) -> None:
        with self._conn.transaction():
            self._execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            if self._scalar(
                    "SELECT to_regclass(quote_ident(current_schema()) || '.meta') IS NOT NULL AS x") is False:
                if self.read_only:     # a command that only reads never creates a store
                    raise InputError(f"no store at {_redact(self.url)}: nothing was ingested there (check the"
                                     " URL, or run `incidentmap ingest PATH... --db URL` first)")
                self._create()
                return
            found = parse_version(
                self._scalar("SELECT value AS x FROM meta WHERE key = 'schema_version'"),
                where=_redact(self.url))
            for v, step in enumerate(migration_plan(found, where=_redact(self.url)), start=found):
                step(self._conn.execute, self.dialect)
                self._execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", [str(v + 1)])

    def _scalar(self, sql: str, params: Sequence = ()):
        rows = list(self._rows(sql, params))
        return rows[0]["x"] if rows else None

    def _create(self) -> None:
        if self._scalar("SELECT count(*) > 0 AS x FROM pg_extension WHERE extname = 'postgis'") is False:
            try:
                with self._conn.transaction():
                    self._execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except self._psycopg.Error as exc:
                raise StoreError(
                    f"{_redact(self.url)} has no PostGIS and it could not be enabled ({exc});"
                    " run CREATE EXTENSION postgis as a superuser"
                ) from exc
        self._execute("CREATE TABLE meta (key text PRIMARY KEY, value text)")
        self._execute("INSERT INTO meta VALUES ('schema_version', %s), ('application', 'incidentmap')",
                      [str(SCHEMA_VERSION)])
        for table in TABLES:
            self._create_table(table)
        self._execute("CREATE UNIQUE INDEX articles_article_id ON articles (article_id)")
        self._execute("CREATE INDEX toponyms_article_id ON toponyms (article_id)")
        self._execute("CREATE INDEX incidents_article_id ON incidents (article_id)")
        self._execute("CREATE INDEX incidents_date ON incidents (date)")
        self._execute("CREATE INDEX incidents_incident_id ON incidents (incident_id)")

    def _create_table(self, table: Table) -> None:
        cols = ["fid bigserial PRIMARY KEY"]
        if table.geometry:
            cols.append(f"geom geometry(Point, {SRID})")
        cols += [f"{name} {_SQL_TYPES[kind]}" for name, kind in table.columns]
        self._execute(f"CREATE TABLE {table.name} ({', '.join(cols)})")
        if table.description:
            self._execute(f"COMMENT ON TABLE {table.name} IS '{table.description}'")
        if table.geometry:
            self._execute(f"CREATE INDEX {table.name}_geom ON {table.name} USING gist (geom)")


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    # lazy: psycopg (about 80 ms) only for a PostGIS store; geo.store imports this module for every store
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "postgresql://" + url.rsplit("@", 1)[-1]
    if "password" in parts:
        parts["password"] = "***"
    host = parts.get("host", "localhost")
    return f"postgresql://{parts.get('user', '')}@{host}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"
