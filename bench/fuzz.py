"""Hostile-input benchmark: N malicious articles through reader, pipeline, exporters and map.

    PYTHONPATH=. python bench/fuzz.py               # 10,000 articles
    PYTHONPATH=. python bench/fuzz.py -n 500 --keep /tmp/fuzz-out
    PYTHONPATH=. python bench/fuzz.py --baseline ../old --baseline-cache /tmp/old-cache --repeat 3

With --baseline, runs this script and the baseline checkout's own `bench/fuzz.py` (same -n and seed)
as alternating child processes and prints the medians of their CPU time and of their pipeline-and-merging
time side by side, with the speed-up.

Counts crashes (any exception escaping a stage, or a stage that hangs) and unescaped outputs (live
markup in HTML or JSON, formula cells in CSV text columns, links in markdown summaries) and exits
non-zero if either is above zero. The input is a folder that also holds a FIFO and links to devices,
read together with device paths; articles carry extreme dates and huge numbers; the results go
through a GeoPackage store and back, and exports to /dev/null and to the FIFO must be refused. When the
pipeline cannot be loaded yet (a stage missing), it says so and exports synthetic incidents
built from the hostile articles instead, so the exporters and the map are still exercised.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAYLOADS = [
    "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "${alert(3)}", "`-alert(4)-`",
    "javascript:alert(5)", '"><svg onload=alert(6)>', "'); alert(7); //", '{{constructor.constructor("alert(8)")()}}',
    '=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
    "<!--", "]]>", "\\", "\u2028\u2029", "\u202eevil", "<iframe src=javascript:alert(9)>",
    "{{ 7*7 }}SSTI", "{% raw %}", "{#",
]
PLACES = [("MOSUL", "Iraq", "Mosul"), ("KABUL", "Afghanistan", "Kabul"), ("ALEPPO", "Syria", "Aleppo"),
          ("MOGADISHU", "Somalia", "Mogadishu"), ("SANAA", "Yemen", "Sanaa"), ("KHARTOUM", "Sudan", "Khartoum")]
EVENTS = ["A car bomb killed {n} people in {p} on Monday.", "Militants attacked a checkpoint near {p}, killing {n} soldiers.",
          "Protesters clashed with police in {p} on Friday.", "An air strike hit a market in {p}, killing {n} civilians."]
# Numbers that overflow 64-bit integers or floats, or sit at the edge of "a count".
HUGE = ["99999999999999999999999", "9223372036854775808", "18446744073709551616", "1" + "0" * 400, "10,000,001",
        "1e309", "0x7fffffffffffffff", "-5", "4,294,967,296", "nine quintillion"]
# Publication dates at and beyond what date arithmetic allows (Go's zero time, year 9999, before 1900).
EXTREME_DATES = ["9999-12-31", "0001-01-01T00:00:00Z", "0001-01-01", "1899-12-31", "2101-01-01", "+275760-09-13",
                 "-0001-01-01", "99999-01-01", "1970-01-01T00:00:00+99:00", "2017-04-21T25:61:61Z"]
RELATIVE = ["on Friday", "last week", "yesterday", "on Dec. 31", "next year", "on Jan. 1"]

# Live markup: any of these in an output means something reached it unescaped.
HTML_LIVE = [re.compile(p, re.I) for p in (
    r"<img[^>]*onerror", r"<svg[^>]*onload", r"<script>alert", r"</script><script",
    r"<[a-z]+[^<>]*\s(?:href|src)\s*=\s*[\"']?\s*javascript:", r"<iframe", r"49SSTI",
)]
SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.S | re.I)
JSON_LIVE = [re.compile(p, re.I) for p in (r"<script", r"<img", r"<svg", r"<iframe", r"</", r"49SSTI")]
# A markdown link or image: "](" with its "]" not escaped, or a live HTML tag.
MARKDOWN_LIVE = [re.compile(p, re.I) for p in (r"(?<!\\)\]\(", r"(?<!\\)\]\[", r"<[a-z]")]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def random_unicode(rng: random.Random, n: int) -> str:
    ranges = [(0x20, 0x7E), (0xA0, 0x24F), (0x590, 0x6FF), (0x300, 0x36F), (0x4E00, 0x4FFF), (0x1F300, 0x1F64F)]
    out = []
    for _ in range(n):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def hostile(rng: random.Random) -> str:
    parts = [rng.choice(PAYLOADS) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        parts.append(random_unicode(rng, rng.randint(1, 40)))
    return " ".join(parts)


def make_record(i: int, rng: random.Random) -> str:
    """One JSON line; about 2 % are deliberately malformed."""
    roll = rng.random()
    if roll < 0.005:
        return "{not json " + hostile(rng)
    if roll < 0.01:
        return "[" * 5000
    if roll < 0.02:
        return json.dumps({"id": f"f{i}", "text": 12})
    caps, country, name = rng.choice(PLACES)
    n = rng.choice(HUGE) if rng.random() < 0.1 else rng.randint(1, 40)
    event = rng.choice(EVENTS).format(n=n, p=name)
    if rng.random() < 0.2:
        event += f" It happened {rng.choice(RELATIVE)}."
    text = f"{caps}, {country} (Reuters) - {event} {hostile(rng)}\n\n{hostile(rng)} said witnesses in {name}."
    if rng.random() < 0.02:
        text += " " + "long " * rng.randint(10_000, 60_000)
    record = {
        "id": rng.choice([f"f{i}", f"={i}+1", f"<b>{i}</b>"]) if rng.random() < 0.1 else f"f{i}",
        "title": hostile(rng) + f" {name} attack",
        "text": text,
        "date": rng.choice(EXTREME_DATES) if rng.random() < 0.1 else
        rng.choice(["2017-04-21", "December 31, 2017", "not a date ${alert(3)}", "2017-02-30", ""]),
        "url": rng.choice(["https://www.reuters.com/article/x", "javascript:alert(5)", "data:text/html,<script>",
                           " JAVASCRIPT:alert(1)", hostile(rng)]),
        "source": hostile(rng),
    }
    return json.dumps(record, ensure_ascii=rng.random() < 0.5)


def synthetic_incidents(articles):
    """Incidents made directly from the hostile articles (used while the pipeline is incomplete).

    The place name and region carry payloads too, as a gazetteer fed by user files could.
    """
    from geo.model import (
        DatePrecision,
        Evidence,
        GeoPrecision,
        Incident,
        Level,
        Place,
        Span,
    )

    mosul = Place("gn:99072", "Mosul <img src=x onerror=alert(1)>", 36.335, 43.118889, Level.CITY, "geonames",
                  country_code="IQ", admin1="${alert(3)}")
    out = []
    for n, a in enumerate(articles):
        sentence = a.text[:300]
        ev = Evidence(a.id, a.title, sentence, Span(0, len(sentence)), a.title[:20], Span(0, min(20, len(a.text))),
                      source=a.source, url=a.url, article_date=a.date)
        out.append(Incident(
            id=f"i-{n}", type="hostile`${{x}}`", event_type="Violence against civilians", sub_event_type="Attack",
            date=a.date, date_precision=DatePrecision.DAY if a.date else DatePrecision.UNKNOWN,
            place=mosul if n % 3 else None, place_text=a.title[:30], geo_precision=GeoPrecision.TOWN if n % 3 else None,
            evidence=(ev,), fatalities=n % 7, actors=(a.title[:40], "=cmd|' /C calc'!A0"), confidence=0.5,
        ))
    return out


def scan_text(path: Path, patterns) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [f"{path.name}: {m.group(0)[:60]!r}" for p in patterns for m in p.finditer(text)]


def template_literal_positions(js: str) -> list[int]:
    """Offsets in `js` inside a `template` literal's text, where a `${` would run code.

    A small lexer: strings, template literals (with nested ${...}), comments and regex literals
    (recognised by the usual previous-token rule). Good enough for generated map code.
    """
    live, i, n = [], 0, len(js)
    stack: list[int] = []          # brace depth of each open ${ ... }
    in_template = False
    prev = ""
    while i < n:
        c = js[i]
        if in_template:
            if c == "\\":
                i += 2
                continue
            if c == "`":
                in_template, prev = False, "x"
            elif c == "$" and js.startswith("{", i + 1):
                live.append(i)       # a substitution starts here: code, if a payload put it there
                stack.append(0)
                in_template = False
                i += 2
                prev = "{"
                continue
            else:
                live.append(i)
            i += 1
            continue
        if c in "\"'":
            j = i + 1
            while j < n and js[j] != c and js[j] != "\n":
                j += 2 if js[j] == "\\" else 1
            i, prev = j + 1, "x"
            continue
        if c == "`":
            in_template = True
        elif js.startswith("//", i):
            i = js.find("\n", i)
            i = n if i < 0 else i
            continue
        elif js.startswith("/*", i):
            i = js.find("*/", i + 2)
            i = n if i < 0 else i + 2
            continue
        elif c == "/" and prev in "(,=:[!&|?{};+-*%<>~^" :
            j = i + 1
            while j < n and js[j] not in "/\n":
                j += 2 if js[j] == "\\" else 1
            i, prev = j + 1, "x"
            continue
        elif c == "{" and stack:
            stack[-1] += 1
        elif c == "}" and stack:
            if stack[-1] == 0:
                stack.pop()
                in_template = True
            else:
                stack[-1] -= 1
        if not c.isspace():
            prev = c
        i += 1
    return live


def scan_html(path: Path) -> list[str]:
    """Live markup anywhere, plus `${` payloads inside JavaScript template literals."""
    found = scan_text(path, HTML_LIVE)
    html = path.read_text(encoding="utf-8", errors="replace")
    for block in SCRIPT.finditer(html):
        js = block.group(1)
        if "${alert" not in js and "`-alert" not in js:
            continue
        live = set(template_literal_positions(js))
        for m in re.finditer(r"\$\{alert|`-alert", js):
            if m.start() in live or m.start() + 1 in live:
                found.append(f"{path.name}: template literal {js[max(0, m.start() - 40):m.end() + 10]!r}")
    return found


def scan_csv(path: Path) -> list[str]:
    from geo.outputs.export import NUMERIC_FIELDS

    csv.field_size_limit(2**31 - 1)
    bad = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            bad += [f"{path.name}: {k}={v[:40]!r}" for k, v in row.items()
                    if k not in NUMERIC_FIELDS and v.startswith(FORMULA)]
    return bad


def scanners_work(workdir: Path) -> bool:
    """The scanners must flag known-bad outputs, or a zero from them means nothing."""
    bad_html = workdir / "bad.html"
    bad_html.write_text('<div><img src=x onerror=alert(1)></div><script>var p = `<b>${alert(3)}</b>`;'
                        ' var ok = "${alert(3)}";</script><a href="javascript:alert(5)">x</a>', encoding="utf-8")
    bad_json = workdir / "bad.geojson"
    bad_json.write_text('{"t": "</script><script>alert(2)</script>"}', encoding="utf-8")
    bad_csv = workdir / "bad.csv"
    bad_csv.write_text('id,article_title,longitude\r\n1,"=HYPERLINK(""http://x"",""y"")",-3.2\r\n', encoding="utf-8")
    bad_md = workdir / "bad.md"
    bad_md.write_text("| [x](javascript:alert(1)) | \\[safe\\](x) | ![i][1] |\n", encoding="utf-8")
    ok = (len(scan_html(bad_html)) == 3 and len(scan_text(bad_json, JSON_LIVE)) >= 2
          and len(scan_csv(bad_csv)) == 1 and len(scan_text(bad_md, MARKDOWN_LIVE)) == 2)
    for p in (bad_html, bad_json, bad_csv, bad_md):
        p.unlink()
    return ok


DEVICE_PATHS = ("/dev/null", "/dev/zero", "/dev/urandom")


def _hazards(folder: Path) -> list[Path]:
    """A FIFO nobody writes to and links to endless devices, inside the input folder."""
    made = []
    fifo = folder / "pipe.jsonl"
    if hasattr(os, "mkfifo") and not fifo.exists():
        os.mkfifo(fifo)
        made.append(fifo)
    for name, target in (("zero.jsonl", "/dev/zero"), ("random.txt", "/dev/urandom"), ("null.csv", "/dev/null")):
        link = folder / name
        if os.path.exists(target) and not link.is_symlink():
            link.symlink_to(target)
            made.append(link)
    return made


@contextlib.contextmanager
def _deadline(seconds: int, stage: str):
    """Raise TimeoutError in a stage that runs longer than `seconds` (a hang counts as a crash)."""
    def expired(_signum, _frame):
        raise TimeoutError(f"{stage} still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _child(tree: Path, n: int, seed: int, cache: str | None) -> dict:
    """One run of `tree`'s bench/fuzz.py in a fresh process: its figures, CPU seconds (user + system) and wall."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if cache:
        env["XDG_CACHE_HOME"] = cache
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(tree / "bench" / "fuzz.py"), "-n", str(n), "--seed", str(seed)],
                            cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"{tree}/bench/fuzz.py printed no figures (exit status {status})")
    return {**json.loads(lines[-1]), "cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": time.perf_counter() - start}


def compare(args) -> int:
    """This tree's benchmark beside the baseline checkout's, alternating, medians of --repeat runs each."""
    here, there = Path(__file__).resolve().parent.parent, Path(args.baseline).resolve()
    if not (there / "bench" / "fuzz.py").is_file():
        raise SystemExit(f"no bench/fuzz.py in the baseline checkout {there}")
    runs: dict[str, list[dict]] = {"baseline": [], "this tree": []}
    for _ in range(args.repeat):
        runs["baseline"].append(_child(there, args.n, args.seed, args.baseline_cache))
        runs["this tree"].append(_child(here, args.n, args.seed, None))
    medians = {name: {k: statistics.median(r[k] for r in rs) for k in ("cpu_s", "wall_s", "pipeline_seconds")}
               for name, rs in runs.items()}
    print(f"{args.n:,} hostile articles, seed {args.seed}, medians of {args.repeat} alternating runs"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    for name, rs in runs.items():
        m = medians[name]
        print(f"  {name:<9} {m['cpu_s']:7.1f} s CPU, {m['wall_s']:7.1f} s wall, pipeline and merging"
              f" {m['pipeline_seconds']:7.1f} s; crashes {max(r['crashes'] for r in rs)},"
              f" unescaped {max(r['unescaped'] for r in rs)}")
    base, ours = medians["baseline"], medians["this tree"]
    print(f"  speed-up: {base['cpu_s'] / ours['cpu_s']:.1f}x CPU, {base['pipeline_seconds'] / ours['pipeline_seconds']:.1f}x"
          " pipeline and merging (target 10x)")
    print(json.dumps({"runs": runs, "medians": medians}))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="number of hostile articles (default 10,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="write outputs into this folder and keep them (default: a temporary folder)")
    ap.add_argument("--baseline", help="a checkout of an earlier commit: run its bench/fuzz.py beside this one")
    ap.add_argument("--baseline-cache", help="XDG_CACHE_HOME for the baseline's gazetteer index (default: as here)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each with --baseline (medians)")
    args = ap.parse_args(argv)
    if args.baseline:
        return compare(args)
    rng = random.Random(args.seed)
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="incidentmap-fuzz-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if not scanners_work(workdir):
        print("the output scanners failed their self-check; results would be meaningless", file=sys.stderr)
        return 2
    inputs = workdir / "inputs"
    inputs.mkdir(exist_ok=True)
    src = inputs / "hostile.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(args.n):
            f.write(make_record(i, rng) + "\n")
        f.write('{"id": "latin1", "text": "caf')
    with open(src, "ab") as f:
        f.write(b'\xe9"}\n')
    hazards = _hazards(inputs)

    from geo.read.articles import read_articles

    counts = {"generated": args.n + 1, "records_skipped": 0, "record_warnings": 0, "crashes": 0, "unescaped": 0,
              "hazard_paths": len(hazards)}
    crashes: list[str] = []

    def on_error(error) -> None:
        counts["records_skipped" if getattr(error, "skipped", True) else "record_warnings"] += 1

    start = time.perf_counter()
    try:
        with _deadline(600, "reader"):     # a FIFO or device that is read instead of skipped hangs here
            articles = list(read_articles([str(inputs), *DEVICE_PATHS], on_error=on_error))
    except Exception:                        # noqa: BLE001 - counting crashes is the point
        crashes.append("reader: " + traceback.format_exc())
        articles = []
    counts["articles_read"] = len(articles)
    counts["read_seconds"] = round(time.perf_counter() - start, 2)

    incidents = None
    results_for_store = None
    try:
        from geo.run.pipeline import Pipeline, merged

        pipeline = Pipeline()
        pipeline.geoparser, pipeline.taxonomy, pipeline.actors    # noqa: B018 - load stages now
    except Exception as e:                   # noqa: BLE001
        print(f"pipeline not available yet ({e.__class__.__name__}: {e}); exporting synthetic incidents",
              file=sys.stderr)
    else:
        start = time.perf_counter()
        results = []
        results_for_store = results
        for article in articles:
            try:
                results.append(pipeline.process(article))
            except Exception:                # noqa: BLE001
                crashes.append(f"pipeline {article.id}: " + traceback.format_exc())
        try:
            incidents = merged(results)
        except Exception:                    # noqa: BLE001
            crashes.append("merge: " + traceback.format_exc())
        counts["pipeline_seconds"] = round(time.perf_counter() - start, 2)
    if incidents is None:
        incidents = synthetic_incidents(articles)
        counts["synthetic_incidents"] = 1
    counts["incidents"] = len(incidents)

    if results_for_store is not None:
        start = time.perf_counter()
        try:
            from geo.store.gpkg import GeoPackageStore

            with GeoPackageStore(workdir / "store.gpkg") as store:
                store.ingest(results_for_store)
                counts["stored_incidents"] = len(store.incidents())
        except Exception:                    # noqa: BLE001
            crashes.append("store: " + traceback.format_exc())
        counts["store_seconds"] = round(time.perf_counter() - start, 2)

    from geo.outputs.export import write_incidents

    findings: list[str] = []
    for name in ("incidents.geojson", "incidents.jsonl", "incidents.csv", "incidents.gpkg"):
        try:
            write_incidents(incidents, str(workdir / name))
        except Exception:                    # noqa: BLE001
            crashes.append(f"export {name}: " + traceback.format_exc())
            continue
        if name.endswith(".csv"):
            findings += scan_csv(workdir / name)
        elif not name.endswith(".gpkg"):
            findings += scan_text(workdir / name, JSON_LIVE)
    from geo.errors import OutputError

    for device in ("/dev/null", workdir / "inputs" / "pipe.jsonl"):     # refused before opening, never replaced
        try:
            with _deadline(60, f"export {device}"):
                write_incidents(incidents, str(device), fmt="jsonl")
            crashes.append(f"export {device}: written to, not refused")
        except OutputError:
            pass
        except Exception:                    # noqa: BLE001
            crashes.append(f"export {device}: " + traceback.format_exc())
    if not Path("/dev/null").is_char_device():
        crashes.append("export /dev/null: the device was replaced by a file")
    try:
        from geo.outputs.summary import summarize
        from geo.outputs.summary_render import render

        for by in ("place", "admin1"):
            (workdir / f"summary-{by}.md").write_text(render(summarize(incidents, by=by), "markdown"), encoding="utf-8")
            findings += scan_text(workdir / f"summary-{by}.md", MARKDOWN_LIVE)
    except Exception:                        # noqa: BLE001
        crashes.append("summary: " + traceback.format_exc())
    try:
        from geo.maps.build import write_map
    except ImportError as e:
        print(f"map not checked: {e}", file=sys.stderr)
    else:
        try:
            write_map(incidents, workdir / "map.html")
            findings += scan_html(workdir / "map.html")
        except Exception:                    # noqa: BLE001
            crashes.append("map: " + traceback.format_exc())
    counts["crashes"] = len(crashes)
    counts["unescaped"] = len(findings)
    for c in crashes[:3]:
        print(c, file=sys.stderr)
    for f in findings[:20]:
        print("UNESCAPED", f, file=sys.stderr)
    print(json.dumps(counts))
    if args.keep:
        print(f"outputs in {workdir}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if crashes or findings else 0


if __name__ == "__main__":
    sys.exit(main())
