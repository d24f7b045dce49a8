"""A store written by an older version, or damaged, never crashes a read: each row that cannot be read
back is skipped with a warning naming the store and the row, and the rest is used (issue 19, item 2).

The stores are the seeds ingested by the real command, then poisoned with sqlite3 directly.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

# (name, table, column, value written into the table's first row, what the warning says)
POISONS = [
    ("year 9999", "incidents", "date", "9999-12-31", "outside 1900-2100"),
    ("Go zero time", "incidents", "date", "0001-01-01", "outside 1900-2100"),
    ("not a date", "incidents", "date", "garbage", "garbage"),
    ("count beyond 64 bits", "incidents", "fatalities", 99999999999999999999999, "not int"),
    ("largest 64-bit count", "incidents", "injured", 2 ** 63 - 1, "not a number of people"),
    ("malformed evidence", "incidents", "evidence", "{not json", "evidence is not valid JSON"),
    ("evidence without fields", "incidents", "evidence", "[{}]", "missing field"),
    ("deeply nested actors", "incidents", "actors", "[" * 100_000, "actors"),
    ("actors not text", "incidents", "actors", "[1, [2]]", "actors holds"),
    ("unknown precision", "incidents", "date_precision", "weird", "weird"),
    ("latitude", "incidents", "lat", 1e308, "latitude"),
    ("confidence as text", "incidents", "confidence", "x", "confidence"),
    ("place name as bytes", "incidents", "place_name", b"\x00\xff", "place_name holds bytes"),
]


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    # The GeoPackage's r-tree triggers call these; the poisoned columns are not geometries.
    conn.create_function("ST_IsEmpty", 1, lambda blob: 1)
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        conn.create_function(name, 1, lambda blob: 0.0)
    return conn


def _poison(seeds_store: Path, folder: Path, table: str, column: str, value, where: str = "1") -> tuple[Path, int, int]:
    """A copy of the store with `value` in `column` of the first row of `table` that matches `where`:
    (path, fid, rows)."""
    db = folder / "poisoned.gpkg"
    shutil.copy(seeds_store, db)
    conn = _connect(db)
    try:
        fid = conn.execute(f"SELECT min(fid) FROM {table} WHERE {where}").fetchone()[0]
        rows = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if isinstance(value, int) and value >= 2 ** 63:
            # Too big for a parameter: as a literal, as an older version's SQL wrote it (SQLite makes it REAL).
            conn.execute(f"UPDATE {table} SET {column} = {value} WHERE fid = ?", (fid,))
        else:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE fid = ?", (value, fid))
        conn.commit()
    finally:
        conn.close()
    return db, fid, rows


@pytest.mark.parametrize("name, table, column, value, reason", POISONS, ids=[p[0] for p in POISONS])
def test_a_bad_incident_row_is_skipped_with_the_store_and_row_named_and_the_rest_exported(
        cli, seeds_store, tmp_path, name, table, column, value, reason):
    db, fid, rows = _poison(seeds_store, tmp_path, table, column, value)
    out = tmp_path / "x.geojson"
    proc = cli("extract", "--db", str(db), "--no-merge", "-o", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    warning = next(line for line in proc.stderr.splitlines() if f"{table} row {fid} skipped" in line)
    assert str(db) in warning and reason in warning, warning
    assert "1 record(s) skipped" in proc.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == rows - 1


@pytest.mark.parametrize("args", [
    ("map", "-o", "{out}/m.html"),
    ("summary", "-o", "{out}/s.md", "--format", "markdown", "--chart", "{out}/c.png"),
    ("extract", "-o", "{out}/x.gpkg"),
    ("extract", "-o", "{out}/x.csv", "--strict"),
], ids=["map", "summary-chart", "extract-gpkg", "extract-strict"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_every_read_command_survives_an_out_of_range_date_in_the_store(cli, seeds_store, tmp_path, args, value):
    db, fid, _ = _poison(seeds_store, tmp_path, "incidents", "date", value)
    proc = cli(*(a.format(out=tmp_path) for a in args), "--db", str(db))
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert f"incidents row {fid} skipped" in proc.stderr
    assert proc.returncode == (1 if "--strict" in args else 0), proc.stderr[-2000:]
    assert (tmp_path / Path(args[2]).name).exists()


@pytest.mark.parametrize("table, column, value", [
    ("toponyms", "start_char", -5),
    ("toponyms", "place_raw", "[[1, 2"),
    ("articles", "metadata", "{bad"),
    ("articles", "date", "0001-01-01"),
])
def test_places_skips_a_bad_toponym_or_article_row(cli, seeds_store, tmp_path, table, column, value):
    where = "place_id IS NOT NULL" if column == "place_raw" else "1"
    db, fid, _ = _poison(seeds_store, tmp_path, table, column, value, where)
    out = tmp_path / "p.jsonl"
    proc = cli("places", "--db", str(db), "-o", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert f"{db}: {table} row {fid} skipped" in proc.stderr
    assert out.read_text(encoding="utf-8").count("\n") > 100


def test_the_store_api_warns_about_a_bad_row_when_no_one_listens(seeds_store, tmp_path):
    from geo.store import open_store

    db, fid, rows = _poison(seeds_store, tmp_path, "incidents", "evidence", "[]")
    store = open_store(str(db), read_only=True)
    try:
        with pytest.warns(UserWarning, match=f"incidents row {fid} skipped"):
            found = store.incidents()
    finally:
        store.close()
    assert len(found) == rows - 1
