"""The real command against what issue 19 found broken, for the items the other suites test below the
command line (items 1, 2, 3, 7, 8 and 9; see tests/test_cli_hostile.py, test_store_safety.py and
test_store_rows.py for the rest)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

ARTICLE = "KIRKUK, Iraq (Reuters) - Gunmen killed 12 civilians in Kirkuk on Friday. Police said they fled to Hawija."


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# ------------------------------------------------------------------ item 1: -o through a symlink
def test_an_output_path_that_is_a_symlink_updates_its_target_and_stays_a_link(cli, tmp_path):
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "date": "2017-04-17", "text": ARTICLE}])
    target = tmp_path / "kept" / "incidents.jsonl"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    proc = cli("extract", str(src), "-o", str(link), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(r["place_name"], r["fatalities"]) for r in rows] == [("Kirkuk", 12)]
    assert [p.name for p in target.parent.iterdir()] == ["incidents.jsonl"]     # no temporary left beside it


# ------------------------------------------------------------------ item 2: counts no column can hold
HUGE = [
    {"id": "h1", "date": "2017-04-21",
     "text": "MOSUL, Iraq (Reuters) - A bomb killed 9223372036854775808 people in Mosul on Friday."},
    {"id": "h2", "date": "2017-04-21",
     "text": "KIRKUK, Iraq (Reuters) - Gunmen killed 99999999999999999999999 civilians in Kirkuk on Friday."},
    {"id": "h3", "date": "2017-04-21", "text": "KIRKUK, Iraq (Reuters) - Gunmen killed 12 civilians in Kirkuk on Friday."},
]


def test_a_count_beyond_any_bound_is_no_count_in_every_output_and_the_store(cli, tmp_path):
    src = _jsonl(tmp_path / "huge.jsonl", HUGE)
    out = tmp_path / "x.jsonl"
    proc = cli("extract", str(src), "-o", str(out), "--no-merge", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    fatalities = {r["article_id"]: r["fatalities"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert fatalities == {"h1": None, "h2": None, "h3": 12}      # not 10, read off the huge figure's first digits
    for args in (("extract", str(src), "-o", str(tmp_path / "x.gpkg"), "--no-merge"),
                 ("ingest", str(src), "--db", str(tmp_path / "s.gpkg"))):
        proc = cli(*args, "--workers", "1")
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    with sqlite3.connect(tmp_path / "s.gpkg") as conn:
        stored = dict(conn.execute("SELECT article_id, fatalities FROM incidents"))
    assert stored == {"h1": None, "h2": None, "h3": 12}


# ------------------------------------------------------------------ item 3: merging stays linear
def test_extract_merges_copies_of_one_story_comparing_each_copy_with_few_others(merge_comparisons, tmp_path,
                                                                             gazetteer_index):
    from geo.cli.main import main

    # Two copies of a story on each of 150 days, three days apart: 150 events, each told twice.
    story = "KIRKUK, Iraq (Reuters) - Gunmen killed 12 civilians in Kirkuk on {:%B} {}."
    days = [dt.date(2016, 1, 1) + dt.timedelta(days=3 * n) for n in range(150)]
    src = _jsonl(tmp_path / "copies.jsonl", [{"id": f"c{n}-{copy}", "date": day.isoformat(),
                                              "text": story.format(day, day.day)}
                                             for copy in range(2) for n, day in enumerate(days)])
    out = tmp_path / "x.jsonl"
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "--workers", "1", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["date"] for r in rows) == [d.isoformat() for d in days]
    assert all(r["notes"][-1] == "merged from 2 reports" for r in rows)
    assert merge_comparisons[0] < 3 * len(days)     # each copy against every earlier event would be about 33,000


# ------------------------------------------------------------------ item 7: a FIFO in an input folder
def test_a_fifo_and_a_device_link_in_an_input_folder_are_skipped_by_name_and_the_rest_is_read(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _jsonl(folder / "a.jsonl", [{"id": "a", "date": "2017-04-17", "text": ARTICLE}])
    os.mkfifo(folder / "stuck.jsonl")                 # nobody writes to it: reading it would block for good
    (folder / "zero.jsonl").symlink_to("/dev/zero")   # endless
    out = tmp_path / "x.jsonl"
    proc = cli("extract", str(folder), "-o", str(out), "--workers", "1", timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    for name in ("stuck.jsonl", "zero.jsonl"):
        assert any(name in line and "not a regular file" in line for line in proc.stderr.splitlines()), proc.stderr
    assert [json.loads(line)["article_id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a"]


# ------------------------------------------------------------------ item 8: --online without a network
def test_online_without_a_network_stops_asking_after_three_failures_and_says_each_once(cli, tmp_path,
                                                                                      gazetteer_index):
    # Five names the gazetteer lacks, each in a place slot: all five would be asked online.
    text = ("KIRKUK, Iraq (Reuters) - Gunmen killed 12 civilians in the village of Zorvatkhil on Friday. Others fled to"
            " the village of Qarnabesh, the village of Dulmizar, the village of Tobrakan and the village of Hasvenna.")
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "date": "2017-04-17", "text": text}])
    refused = "http://127.0.0.1:1"       # a proxy nobody listens on: every request fails at once, offline
    env = {"INCIDENTMAP_GAZETTEER": str(gazetteer_index.path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "HTTPS_PROXY": refused, "HTTP_PROXY": refused, "https_proxy": refused, "http_proxy": refused,
           "NO_PROXY": "", "no_proxy": ""}
    proc = cli("places", str(src), "--online", "--workers", "1", env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    failures = [line for line in proc.stderr.splitlines() if "online geocoder nominatim failed for" in line]
    assert len(failures) == 3, proc.stderr[-3000:]
    assert len({line.split(" failed for ")[1].split(":")[0] for line in failures}) == 3     # each name once
    assert proc.stderr.count("does not ask it again") == 1
    cache = tmp_path / "cache" / "incidentmap" / "online-geocoder.sqlite"
    if cache.exists():                   # failures are never cached
        with sqlite3.connect(cache) as conn:
            tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            assert all(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0 for t in tables)


# ------------------------------------------------------------------ item 9: a chart of names like TeX
def test_summary_chart_of_places_named_like_math_text_is_drawn_without_a_traceback(cli, seeds_store, tmp_path):
    db = tmp_path / "named.gpkg"
    shutil.copy(seeds_store, db)
    with sqlite3.connect(db) as conn:
        # The r-tree triggers call these; only text columns change here.
        conn.create_function("ST_IsEmpty", 1, lambda blob: 1)
        for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            conn.create_function(name, 1, lambda blob: 0.0)
        conn.execute(r"UPDATE incidents SET place_name = '$\frac{1}{0}$ Town', admin1 = 'Cost $5 to $10 \unknowncommand'")
    chart = tmp_path / "c.png"
    for by in ("place", "admin1"):
        proc = cli("summary", "--db", str(db), "--by", by, "--chart", str(chart), "-o", str(tmp_path / f"{by}.md"),
                   "--format", "markdown")
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
        assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert r"\frac" in (tmp_path / f"{by}.md").read_text(encoding="utf-8") or by == "admin1"
        chart.unlink()
