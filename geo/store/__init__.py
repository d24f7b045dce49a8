"""The incremental store of articles, places and incidents (GeoPackage or PostGIS): `open_store` picks the back end."""

from __future__ import annotations

import os
from collections.abc import Callable

from geo.errors import InputError, RecordError, UsageError
from geo.store.base import Store
from geo.store.gpkg import GeoPackageStore
from geo.store.postgis import PostGISStore

__all__ = ["open_store"]


def open_store(url: str, *, must_exist: bool = False, read_only: bool = False,
               on_bad_row: Callable[[RecordError], None] | None = None) -> Store:
    """Open a store: a `*.gpkg` path or a `postgresql://` URL; only a writable open creates one.

    `must_exist`: for commands that only read a store, a GeoPackage path with no file is a mistyped
    path, not a new empty store (which would overwrite a map with an empty one and exit 0).
    `read_only`: never write (a GeoPackage opens with SQLite's `mode=ro`, so a read-only file in a
    read-only folder can be read; PostGIS creates no tables).
    `on_bad_row` is told about each stored row skipped because it cannot be read back.
    """
    store = _open(str(url), must_exist=must_exist, read_only=read_only)
    store.on_bad_row = on_bad_row
    return store


def _open(text: str, *, must_exist: bool, read_only: bool) -> Store:
    if (must_exist or read_only) and text.lower().endswith(".gpkg") and not os.path.isfile(text):
        what = "a folder, not a store file" if os.path.isdir(text) else "nothing was ingested there"
        raise InputError(f"no store at {text}: {what} (check the path, or run "
                         f"`incidentmap ingest PATH... --db {text}` first)")
    if text.startswith(("postgresql://", "postgres://")):
        return PostGISStore(text, read_only=read_only)
    if text.lower().endswith(".gpkg"):
        return GeoPackageStore(text, read_only=read_only)
    raise UsageError(
        f"cannot tell what kind of store {text!r} is; expected a GeoPackage path ending in .gpkg"
        " or a postgresql://user@host:port/database URL"
    )
