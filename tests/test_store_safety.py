"""Opening a store safely: read commands never write or create, two creators never collide, and a
killed run leaves no worker or store handle behind (issue 19, items 5 and 6). Through the real command."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

READ_COMMANDS = [
    ("map", "-o", "{out}/m.html"),
    ("extract", "-o", "{out}/x.geojson"),
    ("summary", "-o", "{out}/s.txt"),
    ("places", "-o", "{out}/p.jsonl"),
]


def _articles(path: Path, prefix: str, n: int) -> Path:
    towns = ["Mosul", "Kabul", "Aleppo", "Mogadishu", "Sanaa"]
    with path.open("w", encoding="utf-8") as fh:
        for k in range(n):
            fh.write(json.dumps({"id": f"{prefix}{k}", "date": "2017-04-18", "text": (
                f"BAGHDAD (Reuters) - An air strike killed {k % 9 + 2} people in {towns[k % 5]} on Monday. "
                f"Article {prefix}{k}.")}) + "\n")
    return path


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_read_commands_leave_the_store_byte_for_byte_unchanged(cli, seeds_store, tmp_path, args):
    before = _digest(seeds_store.parent)
    proc = cli(*(a.format(out=tmp_path) for a in args), "--db", str(seeds_store))
    assert proc.returncode == 0, proc.stderr
    after = _digest(seeds_store.parent)
    assert after["seeds.gpkg"] == before["seeds.gpkg"]
    # SQLite's reader side files may appear beside a WAL store, but nothing is ever written to the log
    assert set(after) <= {"seeds.gpkg", "seeds.gpkg-wal", "seeds.gpkg-shm"}
    assert (seeds_store.parent / "seeds.gpkg-wal").stat().st_size == 0 if "seeds.gpkg-wal" in after else True


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions, so nothing here is read-only")
@pytest.mark.parametrize("args", READ_COMMANDS[:3], ids=lambda a: a[0])
def test_a_read_only_store_in_a_read_only_folder_can_be_read(cli, seeds_store, tmp_path, args):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "seeds.gpkg"
    db.write_bytes(seeds_store.read_bytes())
    db.chmod(0o444)
    folder.chmod(0o555)
    out = tmp_path / "out"
    out.mkdir()
    try:
        proc = cli(*(a.format(out=out) for a in args), "--db", str(db))
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert any(out.iterdir())


def test_a_store_opened_read_only_refuses_to_write(seeds_store):
    from geo.store import open_store
    from geo.store.schema import StoreError

    store = open_store(str(seeds_store), read_only=True)
    try:
        assert store.counts()["incidents"] > 0
        with pytest.raises(StoreError, match="read-only"):
            store.ingest(iter([object()]))     # refused at the transaction, before the row is read
    finally:
        store.close()


@pytest.mark.parametrize("command", ["map", "extract", "summary", "places"])
def test_a_read_command_on_a_missing_store_exits_2_and_creates_nothing(cli, tmp_path, command):
    db = tmp_path / "typo.gpkg"
    proc = cli(command, "--db", str(db), "-o", str(tmp_path / "out.csv"))
    assert proc.returncode == 2, proc.stderr
    assert "no store at" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_read_command_on_a_folder_named_like_a_store_exits_2(cli, tmp_path):
    (tmp_path / "dir.gpkg").mkdir()
    proc = cli("extract", "--db", str(tmp_path / "dir.gpkg"), "-o", str(tmp_path / "x.geojson"))
    assert proc.returncode == 2 and "folder" in proc.stderr and "Traceback" not in proc.stderr


def test_ingest_into_a_store_that_cannot_be_written_exits_3(cli, tmp_path):
    articles = _articles(tmp_path / "a.jsonl", "u", 2)
    (tmp_path / "dir.gpkg").mkdir()      # SQLite cannot open a folder: unwritable even for root
    proc = cli("ingest", str(articles), "--db", str(tmp_path / "dir.gpkg"), "--workers", "1", "-q")
    assert proc.returncode == 3, proc.stderr
    assert "cannot" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("ingest", str(articles), "--db", str(tmp_path / "missing" / "s.gpkg"), "--workers", "1", "-q")
    assert proc.returncode == 3 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions, so nothing here is read-only")
def test_ingest_into_a_read_only_store_exits_3(cli, seeds_store, tmp_path):
    db = tmp_path / "ro.gpkg"
    db.write_bytes(seeds_store.read_bytes())
    db.chmod(stat.S_IRUSR)
    proc = cli("ingest", str(_articles(tmp_path / "a.jsonl", "r", 2)), "--db", str(db), "--workers", "1", "-q")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr


def _open_at_once(path: str, barrier) -> int:
    from geo.store.gpkg import GeoPackageStore

    barrier.wait()
    GeoPackageStore(path).close()
    return 0


def test_many_processes_creating_one_new_store_at_the_same_moment_all_succeed(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    for round_ in range(4):
        path = str(tmp_path / f"new{round_}.gpkg")
        barrier = ctx.Barrier(4)
        procs = [ctx.Process(target=_open_at_once, args=(path, barrier)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    from geo.store.gpkg import GeoPackageStore

    with GeoPackageStore(path) as store:
        assert store.counts() == {"articles": 0, "toponyms": 0, "incidents": 0}


def _popen_cli(*args: str, stderr=subprocess.PIPE) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=stderr, text=True)


def test_two_ingest_runs_creating_the_same_new_store_both_succeed_and_lose_nothing(tmp_path):
    db = str(tmp_path / "shared.gpkg")
    one, two = _articles(tmp_path / "one.jsonl", "a", 30), _articles(tmp_path / "two.jsonl", "b", 30)
    runs = [_popen_cli("ingest", str(f), "--db", db, "--workers", "1", "-q") for f in (one, two)]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        assert "Traceback" not in err
    from geo.store import open_store

    with open_store(db, read_only=True) as store:
        ids = {a.id for a in store.articles()}
    assert ids == {f"a{k}" for k in range(30)} | {f"b{k}" for k in range(30)}


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent_and_hold_no_store_when_it_is_killed(tmp_path):
    db = tmp_path / "killed.gpkg"
    articles = _articles(tmp_path / "many.jsonl", "k", 4000)
    # stderr to a file: an orphaned worker holding a pipe would make reading it hang
    log = (tmp_path / "stderr.txt").open("w")
    run = _popen_cli("ingest", str(articles), "--db", str(db), "--workers", "2", "-q", stderr=log)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 300
        while len(workers) < 2 and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
            workers = [p for p in _children(run.pid) if _alive(p)]
        assert len(workers) >= 2, "the ingest never started its workers"
        time.sleep(1.0)
        os.kill(run.pid, signal.SIGKILL)
        run.wait(30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if _alive(p)], "workers outlived their killed parent"
    finally:
        for p in {*workers, *_children(run.pid), run.pid}:
            if _alive(p):
                os.kill(p, signal.SIGKILL)
        run.wait(30)
        log.close()
    # nothing holds the store: a new run opens it, finishes the work and keeps every article once
    from geo.store import open_store

    proc = subprocess.run([sys.executable, "-m", "geo", "ingest", str(articles), "--db", str(db),
                           "--workers", "1", "-q"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    with open_store(str(db), read_only=True) as store:
        assert store.counts()["articles"] == 4000


def test_opening_an_empty_store_read_only_is_an_input_error_and_creates_nothing(store_url):
    from geo.errors import InputError
    from geo.store import open_store

    with pytest.raises(InputError, match="no store at"):
        open_store(store_url, must_exist=True, read_only=True)
    with open_store(store_url) as store:        # only a writable open creates it ...
        assert store.counts()["articles"] == 0
    with open_store(store_url, must_exist=True, read_only=True) as store:   # ... and then it reads
        assert store.counts()["incidents"] == 0
