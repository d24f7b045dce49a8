"""An ingest killed mid-way leaves a consistent store, and running again finishes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.store import open_store

TESTS = Path(__file__).resolve().parent
N, BATCH = 40, 5

CHILD = f"""
import sys, time
sys.path.insert(0, {str(TESTS)!r})
from test_store import make_result
from geo.store import open_store

def results(delay):
    for k in range({N}):
        yield make_result(f"a{{k:03d}}")
        if k >= {BATCH} - 1:       # the first batch commits at once; the rest is slow
            time.sleep(delay)

store = open_store(sys.argv[1])
stats = store.ingest(results(float(sys.argv[2])), batch_size={BATCH})
store.close()
print(stats.added, stats.unchanged)
"""


def run_child(db: str, delay: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    return subprocess.Popen([sys.executable, "-c", CHILD, db, str(delay)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stored_articles(db: str) -> int:
    """Committed articles, read without creating or locking the store."""
    if db.endswith(".gpkg"):
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.OperationalError:   # not created yet
            return 0
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass(quote_ident(current_schema()) || '.articles')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def snapshot(db: str):
    with open_store(db) as store:
        return store.counts(), store.incidents(), [a.id for a in store.articles()]


@pytest.fixture
def clean_snapshot(tmp_path_factory):
    """What one uninterrupted ingest of the same input leaves (computed once per test)."""
    db = str(tmp_path_factory.mktemp("clean") / "clean.gpkg")
    clean = run_child(db, 0.0)
    assert clean.wait(timeout=120) == 0, clean.stderr.read()
    return snapshot(db)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["sigkill", "sigint"])
def test_killed_ingest_is_consistent_and_rerun_completes(store_url, clean_snapshot, sig):
    db, want = store_url, clean_snapshot
    assert want[0] == {"articles": N, "toponyms": 2 * N, "incidents": 2 * N}

    # After its first batch the child needs >= 35 s more, so it is caught mid-way however loaded the machine.
    child = run_child(db, 1.0)
    deadline = time.monotonic() + 60
    while stored_articles(db) < BATCH:   # the first batch has committed
        assert child.poll() is None, child.stderr.read()
        assert time.monotonic() < deadline, "first batch never committed"
        time.sleep(0.02)
    child.send_signal(sig)
    child.wait(timeout=60)
    assert child.returncode != 0, "the ingest finished before it could be interrupted"

    counts, _, ids = snapshot(db)
    assert BATCH <= counts["articles"] < N
    assert counts["articles"] % BATCH == 0                       # only whole batches
    assert counts == {"articles": counts["articles"], "toponyms": 2 * counts["articles"],
                      "incidents": 2 * counts["articles"]}
    assert ids == [f"a{k:03d}" for k in range(counts["articles"])]

    rerun = run_child(db, 0.0)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert out.split() == [str(N - counts["articles"]), str(counts["articles"])]
    assert snapshot(db) == want
