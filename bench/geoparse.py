"""Geoparser throughput: warm open time and articles per second for find + resolve on one core.

    PYTHONPATH=. python bench/geoparse.py /work/shared/corpora/isot-reuters-true-sample/isot-true.jsonl

Prints medians over --repeat runs. Reads JSONL files with a `text` field (and `title`, ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_OPEN = "import time; t=time.perf_counter(); from gazetteer.geoparser import Geoparser; Geoparser.open(); print(time.perf_counter()-t)"


def read_texts(paths: list[str], limit: int | None) -> list[str]:
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    texts.append(json.loads(line)["text"])
    return texts[:limit] if limit else texts


def open_seconds(repeat: int) -> list[float]:
    """Time `Geoparser.open()` in fresh interpreters (imports included), after one warm-up."""
    out = []
    for i in range(repeat + 1):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run([sys.executable, "-c", _OPEN], cwd=ROOT, capture_output=True, text=True, env=env, check=True)
        if i:
            out.append(float(proc.stdout.strip().splitlines()[-1]))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="+", help="JSONL files with a text field")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from gazetteer.geoparser import Geoparser

    texts = read_texts(args.corpus, args.limit)
    chars = sum(map(len, texts))
    opens = open_seconds(args.repeat)
    geo = Geoparser.open()
    geo.parse(texts[0])   # warm the candidate cache path
    find_s, total_s, cpu_s, n_mentions = [], [], [], 0
    for _ in range(args.repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        found = [geo.find_mentions(t) for t in texts]
        t1 = time.perf_counter()
        for t, ms in zip(texts, found):
            geo.resolve(t, ms)
        t2 = time.perf_counter()
        cpu_s.append(time.process_time() - c0)
        find_s.append(t1 - t0)
        total_s.append(t2 - t0)
        n_mentions = sum(map(len, found))
    med_total, med_find, med_cpu = statistics.median(total_s), statistics.median(find_s), statistics.median(cpu_s)
    print(f"articles: {len(texts):,} ({chars / len(texts):,.0f} chars on average), mentions: {n_mentions:,}")
    print(f"Geoparser.open() warm, fresh process: median {statistics.median(opens):.2f} s over {len(opens)} runs")
    print(f"find mentions:     median {med_find:.2f} s  -> {len(texts) / med_find:,.0f} articles/s")
    print(f"find + resolve:    median {med_total:.2f} s  -> {len(texts) / med_total:,.0f} articles/s (one core, wall clock)")
    print(f"find + resolve:    median {med_cpu:.2f} s CPU -> {len(texts) / med_cpu:,.0f} articles/s per CPU second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
