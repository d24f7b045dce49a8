"""The real command against hostile files, poisoned stores and bad options: a message and the documented
exit code, never a traceback, never live markup (issue 19, items 4, 10 and the every-command target)."""

from __future__ import annotations

import csv
import json
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import markdown_it
import pytest

from tests.conftest import ROOT

ARTICLE = ("BAGHDAD (Reuters) - An air strike killed 12 civilians in Mosul on Monday, and a car bomb"
           " killed 3 people in Kirkuk, officials in Erbil and Tikrit said.")


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# ------------------------------------------------------------------ item 10: places -o FILE.csv
def test_places_writes_csv_for_a_csv_path_and_refuses_formats_it_cannot_write(cli, tmp_path):
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "=cmd", "date": "2017-04-17", "text": ARTICLE}])
    out = tmp_path / "p.csv"
    proc = cli("places", str(src), "-o", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert {r["name"] for r in rows} >= {"Mosul", "Kirkuk"}
    assert {r["article_id"] for r in rows} == {"'=cmd"}         # spreadsheet-safe, as every CSV export
    assert float(rows[0]["lat"]) and not out.read_text(encoding="utf-8").startswith("{")
    for bad in ("p.geojson", "p.gpkg", "p.html"):
        proc = cli("places", str(src), "-o", str(tmp_path / bad))
        assert proc.returncode == 2 and "JSON Lines (.jsonl) or CSV (.csv)" in proc.stderr, proc.stderr
        assert not (tmp_path / bad).exists() and "Traceback" not in proc.stderr


# ------------------------------------------------------------------ item 10: --max-mentions names its article
def test_the_max_mentions_warning_names_file_line_and_article(cli, tmp_path):
    src = _jsonl(tmp_path / "many.jsonl", [{"id": "quiet", "text": "Nothing happened."},
                                           {"id": "crowded", "date": "2017-04-17", "text": ARTICLE}])
    proc = cli("places", str(src), "--max-mentions", "1", "--workers", "1", "-o", str(tmp_path / "p.jsonl"))
    assert proc.returncode == 0, proc.stderr
    warning = next(line for line in proc.stderr.splitlines() if "--max-mentions" in line)
    assert f"{src}:2" in warning and "article crowded" in warning


# ------------------------------------------------------------------ item 10: javascript: URLs on the map
def test_a_javascript_url_from_the_input_never_reaches_the_map(cli, tmp_path):
    src = _jsonl(tmp_path / "a.jsonl", [
        {"id": "js", "date": "2017-04-17", "url": "javascript:alert(document.domain)", "text": ARTICLE},
        {"id": "ok", "date": "2017-04-17", "url": "https://www.reuters.com/article/x", "text": ARTICLE}])
    out = tmp_path / "m.html"
    proc = cli("map", str(src), "-o", str(out), "--workers", "1", "--no-merge")
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "alert(document.domain)" not in html
    assert "https://www.reuters.com/article/x" in html        # the check can see a URL when one is there


# ------------------------------------------------------------------ item 10: markdown summary of a poisoned store
LINKS = "[x](javascript:alert(1)) ![i](https://evil.example/p.png) [r][1] <javascript:alert(2)>"


def test_markdown_summary_of_a_poisoned_store_renders_no_link_and_no_image(cli, tmp_path):
    db = tmp_path / "s.gpkg"
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "date": "2017-04-17", "text": ARTICLE}])
    assert cli("ingest", str(src), "--db", str(db), "--workers", "1", "-q").returncode == 0
    with sqlite3.connect(db) as conn:          # a team store someone else can write
        for fn in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):    # the R-tree triggers' functions
            conn.create_function(fn, 1, lambda _blob: None)
        conn.execute("UPDATE incidents SET place_name = ?", [LINKS])
    proc = cli("summary", "--db", str(db), "--by", "place", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert "javascript:alert(1)" in proc.stdout          # the name is there, as text
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(proc.stdout)
    assert "<table>" in html
    assert "<a " not in html and "<img" not in html


# ------------------------------------------------------------------ item 10: stale temporaries
def test_a_temporary_left_by_a_writer_killed_mid_write_is_removed_by_the_next_write(cli, tmp_path):
    src = _jsonl(tmp_path / "big.jsonl", [{"id": f"a{n}", "date": "2017-04-17", "text": ARTICLE}
                                          for n in range(3000)])
    out = tmp_path / "p.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen([sys.executable, "-m", "geo", "places", str(src), "-o", str(out), "--workers", "1"],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        temps = [p for p in tmp_path.iterdir() if p.name.startswith(".p.jsonl.") and p.stat().st_size > 0]
        if temps:
            break
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be killed mid-write"
    os.kill(run.pid, signal.SIGKILL)
    run.wait(30)
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".p.jsonl.")]
    assert left and not out.exists()                  # what SIGKILL leaves: a hidden temporary, no output
    # a concurrent writer's temporary (a live pid) must survive the clean-up
    live = tmp_path / f".p.jsonl.{os.getpid()}.abcdefgh.tmp"
    live.write_text("in progress", encoding="utf-8")
    small = _jsonl(tmp_path / "small.jsonl", [{"id": "s", "date": "2017-04-17", "text": ARTICLE}])
    proc = cli("places", str(small), "-o", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".p.jsonl.")) == [live.name]
    assert out.read_text(encoding="utf-8").count("\n") >= 2


# ------------------------------------------------------------------ item 4: the matcher cache never runs code
class _Exec:
    def __init__(self, code: str):
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


def _crafted(flag: Path) -> dict[str, bytes]:
    """Pickles that run code through each way a pickle can reach a callable."""
    from gazetteer.mentions.matcher import MATCHER_FORMAT

    code = f"open({str(flag)!r}, 'w').close()"
    return {
        "stack_global": pickle.dumps((MATCHER_FORMAT, "x", [], {}, _Exec(code)), protocol=4),
        "global": f"cbuiltins\nexec\n(V{code}\ntR.".encode(),
        "inst": f"(V{code}\nibuiltins\nexec\n.".encode(),
        "obj": b"\x80\x02(cbuiltins\nexec\nV" + code.encode() + b"\no.",
        "ext": b"\x80\x02\x82\x01)R.",
        "persid": b"\x80\x02Pexec\n.",
    }


def test_no_crafted_matcher_cache_runs_code_at_load(tmp_path):
    from gazetteer.mentions.matcher import Matcher

    flag = tmp_path / "ran"
    import copyreg

    copyreg.add_extension("builtins", "exec", 1)     # so the EXT opcode has something to find
    try:
        for name, payload in _crafted(flag).items():
            path = tmp_path / f"{name}.pickle"
            path.write_bytes(payload)
            assert Matcher.load(str(path), "x") is None, name
            assert not flag.exists(), name
    finally:
        copyreg.remove_extension("builtins", "exec", 1)


def test_a_crafted_matcher_cache_beside_the_index_is_not_run_and_is_rebuilt(cli, tmp_path, gazetteer_index):
    index = tmp_path / "index.sqlite"
    shutil.copyfile(gazetteer_index.path, index)
    cache = Path(f"{index}.matcher.pickle")
    flag = tmp_path / "ran"
    cache.write_bytes(_crafted(flag)["stack_global"])
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "date": "2017-04-17", "text": ARTICLE}])
    proc = cli("places", str(src), "--workers", "1", env={"INCIDENTMAP_GAZETTEER": str(index)})
    assert proc.returncode == 0, proc.stderr
    assert not flag.exists()
    assert "Mosul" in proc.stdout
    assert b"builtins" not in cache.read_bytes()[:4096] and cache.stat().st_size > 1_000_000   # rebuilt


# ------------------------------------------------------------------ every command, bad options and bad files
@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Path:
    """A folder of hostile inputs: binary, empty, Latin-1, malformed records, a FIFO, device links, garbage stores."""
    folder = tmp_path_factory.mktemp("bad")
    inputs = folder / "in"
    inputs.mkdir()
    (inputs / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (inputs / "empty.jsonl").write_bytes(b"")
    (inputs / "latin1.txt").write_bytes(b"caf\xe9 attack in Mosul\n")
    (inputs / "bad.csv").write_text('text,date\n"unterminated\n', encoding="utf-8")
    _jsonl(inputs / "weird.jsonl", [
        {"id": 1, "text": ["x"]}, {"text": "x", "date": {"a": 1}},
        {"text": "A bomb killed 9223372036854775808 people in Mosul on Friday.", "date": "0001-01-01T00:00:00Z",
         "url": "javascript:alert(1)"},
        {"text": "Gunmen killed 99999999999999999999999 civilians in Kirkuk on Friday.", "date": "9999-12-31"}])
    with (inputs / "weird.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('[1, 2]\nnull\n"str"\n{not json\n')
    if hasattr(os, "mkfifo"):
        os.mkfifo(inputs / "fifo.jsonl")
    (inputs / "zero.txt").symlink_to("/dev/zero")
    (inputs / "loop1").symlink_to(inputs / "loop2")
    (inputs / "loop2").symlink_to(inputs / "loop1")
    (folder / "garbage.gpkg").write_bytes(bytes(range(256)) * 20)
    with sqlite3.connect(folder / "other.gpkg") as conn:
        conn.execute("CREATE TABLE x (a)")
    (folder / "dir.gpkg").mkdir()
    return folder


W = "{bad}/in/weird.jsonl"
BAD_CALLS = [
    # (arguments, exit code): 0 = bad records skipped with a warning, 2 = usage or input, 3 = output
    (("map", "{bad}/in", "-o", "{out}/m.html"), 0),
    (("map", W, "-o", "/dev/full"), 3),
    (("map", W, "--workers", "-1"), 2),
    (("map", W, "--since", "2017-13-01"), 2),
    (("map", "--db", "{bad}/garbage.gpkg", "-o", "{out}/m.html"), 2),
    (("extract", "{bad}/in", "-o", "{out}/x.gpkg"), 0),
    (("extract", W, "-o", "{out}/x.docx"), 2),
    (("extract", W, "--max-article-chars", "5", "-o", "-"), 2),
    (("extract", "--db", "{bad}/other.gpkg", "-o", "-"), 2),
    (("extract", "--db", "{bad}/dir.gpkg", "-o", "-"), 2),
    (("extract", "--db", "postgresql://nobody@127.0.0.1:1/none", "-o", "-"), 2),
    (("places", "{bad}/in", "-o", "{out}/p.csv"), 0),
    (("places", W, "--actors", "{bad}/in/bin.txt", "--workers", "2"), 2),
    (("places", W, "--taxonomy", "{bad}/in/weird.jsonl"), 2),
    (("places", "--db", "{bad}/missing.gpkg"), 2),
    (("summary", "{bad}/in", "--format", "markdown", "--chart", "{out}/c.png"), 0),
    (("summary", W, "--chart", "/dev/full"), 3),
    (("summary", W, "--by", "galaxy"), 2),
    (("ingest", "{bad}/in", "--db", "{out}/s.gpkg"), 0),
    (("ingest", W, "--db", "{bad}/garbage.gpkg"), 2),
    (("ingest", W, "--db", "{bad}/dir.gpkg"), 3),
    (("ingest", W, "--db", "{out}/s.sqlite"), 2),
    (("ingest", W, "--db", "{out}/s.gpkg", "--dask", "nonsense:///"), 2),
    (("ingest", "--db", "{out}/s.gpkg"), 2),
    (("eval", "{bad}/in/bin.txt"), 2),
    (("eval", "{bad}/in/weird.jsonl"), 2),
    (("eval", W, "--mode", "nope"), 2),
    (("eval-incidents", "--split", "nope"), 2),
    (("eval-incidents", "--sentences", "--split", "blind"), 2),
    (("gazetteer", "lookup", "Mosul", "--near", "nan,nan"), 2),
    (("gazetteer", "lookup"), 2),
    (("gazetteer", "import", "{bad}/in/bin.txt"), 2),
    (("gazetteer", "import", "{bad}/in/bad.csv"), 2),
    (("gazetteer", "info", "--bogus"), 2),
    (("assets", "verify", "--bogus"), 2),
    (("assets", "bogus"), 2),
    (("bogus",), 2),
]


def _command_paths(group, prefix=()) -> set[tuple[str, ...]]:
    import click

    out = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out |= _command_paths(command, (*prefix, name))
        else:
            out.add((*prefix, name))
    return out


def test_the_bad_calls_cover_every_command():
    from geo.cli.main import main

    covered = {args[:2] if args[0] in ("gazetteer", "assets") else args[:1] for args, _ in BAD_CALLS}
    missing = {path for path in _command_paths(main) if not any(c[:len(path)] == path for c in covered)}
    assert not missing, f"commands no bad call tries: {sorted(missing)}"


@pytest.mark.parametrize("args, code", BAD_CALLS, ids=[" ".join(a) for a, _ in BAD_CALLS])
def test_every_command_meets_bad_options_and_bad_files_with_a_message_not_a_traceback(cli, bad, tmp_path, args, code):
    proc = cli(*(a.format(bad=bad, out=tmp_path) for a in args), timeout=300,
               env={"INCIDENTMAP_USER_PLACES": str(tmp_path / "u.sqlite")})   # imports never touch the real one
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == code, (proc.returncode, proc.stderr[-2000:])
    if code:
        assert proc.stderr.strip()
    assert Path("/dev/full").is_char_device() and Path("/dev/zero").is_char_device()


OUTPUT_OPTIONS = [
    ("map", W, "-o", "{target}"),
    ("extract", W, "-o", "{target}"),
    ("places", W, "-o", "{target}"),
    ("summary", W, "-o", "{target}"),
    ("summary", W, "--chart", "{target}"),
    ("ingest", W, "--db", "{target}"),
]


def _command_output_options() -> set[tuple[str, str]]:
    """(command, option) for every option of every command that names a file the command writes."""
    from geo.cli.main import main

    writes = {"-o", "--output", "--chart"}
    found = {(name, p.opts[0]) for name, command in main.commands.items() for p in command.params
             if writes & set(p.opts)}
    return found | {("ingest", "--db")}


def test_the_special_output_calls_cover_every_output_option():
    covered = {(args[0], args[2]) for args in OUTPUT_OPTIONS}
    assert _command_output_options() - covered == set()


@pytest.mark.parametrize("kind", ["fifo", "device", "link to a device", "socket"])
@pytest.mark.parametrize("args", OUTPUT_OPTIONS, ids=lambda a: f"{a[0]} {a[2]}")
def test_an_output_that_is_a_fifo_device_or_socket_is_refused_with_exit_3_before_the_run(cli, bad, tmp_path,
                                                                                          args, kind):
    import socket

    target = tmp_path / "out.csv"
    sock = None
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target = Path(os.devnull)
    elif kind == "link to a device":
        target.symlink_to(os.devnull)
    else:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(target))
    try:
        # A FIFO that were opened would block the command until the timeout.
        proc = cli(*(a.format(bad=bad, target=target) for a in args), "-q", timeout=60)
    finally:
        if sock is not None:
            sock.close()
    assert proc.returncode == 3, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert f"cannot write {os.path.realpath(target)}: it is a" in proc.stderr
    assert "warning:" not in proc.stderr          # refused before any input was read
    assert Path(os.devnull).is_char_device()
    if kind == "fifo":
        assert target.is_fifo()
