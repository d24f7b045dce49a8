"""Sentences per second of the event detector, beside the trigger rules alone, in the same run.

    PYTHONPATH=. python bench/events.py CORPUS.jsonl [--limit N] [--repeat 3]

The sentences are every body sentence of the corpus articles (`geo.read.text.sentences`). Three
timings, each the median of --repeat runs on one core:
- detector with its pre-filter (what extraction does: only sentences holding a word that weighs for
  some type are scored);
- detector on every sentence (features + both stages);
- baseline: the trigger rules alone (`Rules.hits`), the matcher the old extractor relied on.
Target (issue 15): at least 20,000 sentences/s with the pre-filter.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 20_000.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="articles (.jsonl and anything geo.read.articles reads)")
    ap.add_argument("--limit", type=int, default=1500, help="articles to read")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    from geo.extract.events import bundled_model
    from geo.extract.triggers import Rules
    from geo.read.articles import read_articles
    from geo.read.text import sentences

    texts = []
    for n, article in enumerate(read_articles([args.corpus])):
        if n >= args.limit:
            break
        span = article.body_span
        texts += [s.text for s in sentences(article.text, span.start if span else 0, span.end if span else None)]
    model, rules = bundled_model(), Rules.load()
    model.type_probabilities(texts[0])          # warm-up: loading and compiling

    def run(fn) -> float:
        times = []
        for _ in range(args.repeat):
            t0 = time.process_time()
            for text in texts:
                fn(text)
            times.append(time.process_time() - t0)
        return len(texts) / statistics.median(times)

    def filtered(text: str) -> None:
        if model.candidate_starts(text):
            model.type_probabilities(text)

    passed = sum(1 for t in texts if model.candidate_starts(t))
    with_filter = run(filtered)
    every = run(model.type_probabilities)
    baseline = run(lambda t: rules.hits(t, 0, len(t)))
    print(f"sentences {len(texts)} from {min(args.limit, n + 1)} articles; {passed} ({passed / len(texts):.0%}) pass the pre-filter")
    print(f"detector with pre-filter   {with_filter:10,.0f} sentences/s  (target {TARGET:,.0f}: "
          f"{'met' if with_filter >= TARGET else 'MISSED'})")
    print(f"detector on every sentence {every:10,.0f} sentences/s")
    print(f"baseline: trigger rules    {baseline:10,.0f} sentences/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
