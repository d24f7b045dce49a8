"""Temporaries left by a writer that died (SIGKILL, the OOM killer, power loss) are removed by the next
write or run, for every temporary the project writes: outputs (geo.outputs.atomic), the gazetteer
index and the matcher cache beside it. A temporary whose writer is still running is left alone
(issue 19, item 4)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_index import TinyLayer


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def other_live_process():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc.pid
    proc.kill()
    proc.wait()


def _leave(folder: Path, name: str, dead: int, live: int) -> tuple[set[str], set[str]]:
    """Temporaries for `name`: (those a dead writer left, those that must stay)."""
    stale = {f".{name}.{dead}.abcdefgh.tmp", f".{name}.{dead}.ijk_mn0p.tmp"}
    keep = {f".{name}.{live}.qrstuvwx.tmp",      # another process is writing it now
            f".{name}.notapid.tmp", f".{name}.{dead}.tmp"}   # not our pattern: someone else's file
    for n in stale | keep:
        (folder / n).write_bytes(b"partial")
    (folder / f".{name}.{dead}.zzzzzzzz.tmp").mkdir()     # atomic_path's private folder, GDAL's side files in it
    (folder / f".{name}.{dead}.zzzzzzzz.tmp" / name).write_bytes(b"partial")
    return stale | {f".{name}.{dead}.zzzzzzzz.tmp"}, keep


def _cleaned(folder: Path, stale: set[str], keep: set[str]) -> bool:
    present = {p.name for p in folder.iterdir()}
    return not stale & present and keep <= present


def test_the_next_output_write_removes_a_dead_writers_temporary_and_keeps_a_live_ones(tmp_path,
                                                                                       other_live_process):
    from geo.outputs.atomic import atomic_path, atomic_write

    for name, writer in (("out.csv", atomic_write), ("out.gpkg", atomic_path)):
        stale, keep = _leave(tmp_path, name, _dead_pid(), other_live_process)
        with writer(tmp_path / name) as handle:
            if writer is atomic_write:
                handle.write("new")
            else:
                Path(handle).write_bytes(b"new")
        assert _cleaned(tmp_path, stale, keep), name
        assert (tmp_path / name).read_bytes() == b"new"


def test_opening_or_building_the_index_removes_a_dead_builds_temporary(tmp_path, other_live_process):
    from gazetteer.index.lookup import GazetteerIndex

    source = tmp_path / "source.txt"
    source.write_text("one")
    path = tmp_path / "tiny.sqlite"
    stale, keep = _leave(tmp_path, path.name, _dead_pid(), other_live_process)
    GazetteerIndex.open(path, layers=[TinyLayer(source)]).close()            # builds
    assert _cleaned(tmp_path, stale, keep)
    stale, _ = _leave(tmp_path, path.name, _dead_pid(), other_live_process)
    GazetteerIndex.open(path, layers=[TinyLayer(source)]).close()            # up to date: only opens
    assert _cleaned(tmp_path, stale, keep)


def test_saving_the_matcher_cache_removes_a_dead_saves_temporary_and_the_old_pattern(tmp_path,
                                                                                     other_live_process):
    from gazetteer.index.lookup import GazetteerIndex
    from gazetteer.mentions.matcher import Matcher

    source = tmp_path / "source.txt"
    source.write_text("one")
    with GazetteerIndex.open(tmp_path / "tiny.sqlite", layers=[TinyLayer(source)]) as index:
        matcher = Matcher.build(index.iter_keys(), build_id="b1")
    cache = tmp_path / "tiny.sqlite.matcher.pickle"
    dead = _dead_pid()
    stale, keep = _leave(tmp_path, cache.name, dead, other_live_process)
    # How earlier versions named it: NAME.tmpPID, not hidden.
    (tmp_path / f"{cache.name}.tmp{dead}").write_bytes(b"partial")
    stale.add(f"{cache.name}.tmp{dead}")
    (tmp_path / f"{cache.name}.tmp{other_live_process}").write_bytes(b"partial")
    keep.add(f"{cache.name}.tmp{other_live_process}")
    matcher.save(str(cache))
    assert _cleaned(tmp_path, stale, keep)
    assert Matcher.load(str(cache), "b1") is not None


def test_a_run_removes_the_temporaries_a_killed_index_build_and_matcher_save_left(cli, tmp_path, gazetteer_index,
                                                                                   other_live_process):
    index = tmp_path / "index.sqlite"
    shutil.copyfile(gazetteer_index.path, index)
    shutil.copyfile(f"{gazetteer_index.path}.matcher.pickle", f"{index}.matcher.pickle")
    dead = _dead_pid()
    left = {name: _leave(tmp_path, name, dead, other_live_process) for name in (index.name, f"{index.name}.matcher.pickle")}
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a", "date": "2017-04-17", "text": "An air strike killed 12 civilians in Mosul on "
                                                                        "Monday, officials said."}) + "\n")
    proc = cli("places", str(src), "--workers", "1", env={"INCIDENTMAP_GAZETTEER": str(index)}, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "Mosul" in proc.stdout
    for name, (stale, keep) in left.items():
        assert _cleaned(tmp_path, stale, keep), name
