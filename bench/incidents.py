"""CPU time per article of finding and resolving places vs. extracting incidents, in the same run.

    PYTHONPATH=. python bench/incidents.py CORPUS.jsonl [--limit N]

Both stages run on the same articles in one process, as `geo.run.pipeline.Pipeline.process` runs them:
geoparse = `Geoparser.parse`; extraction = `geo.extract.incidents.extract_incidents` (rules, dates, counts,
actors). CPU time (`time.process_time`) resists the load of a shared machine. The budget is that
extraction adds no more than half again to geoparsing: median ratio <= 0.5.

Extraction runs with the event frames on (`Settings.frames`); the event-frame stage (`geo.extract.attach`: which
sentences are in doubt, their dependency parse, the frames and the attachment they decide) is timed on its own and
left out of the extraction figures. Its budget is the geoparse's time (issue 16: at most the time of finding and
resolving places), in total and in median. spaCy's model is loaded before the warm-up article, timed apart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BUDGET = 0.5
FRAME_BUDGET = 1.0


class _Clock:
    """CPU time spent inside the wrapped functions (the event-frame stage), and how many sentences were parsed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.parsed = 0
        self.candidates = 0          # sentences with an incident candidate, each tested for doubt
        self.depth = 0

    def wrap(self, owner, name: str) -> None:
        inner = getattr(owner, name)

        def timed(*args, **kwargs):
            self.depth += 1
            t0 = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                self.depth -= 1
                if not self.depth:
                    self.seconds += time.process_time() - t0

        setattr(owner, name, timed)


def _frame_clock() -> _Clock:
    """A clock around every step of the event-frame stage, counting the sentences it parses."""
    from geo.extract import attach
    clock = _Clock()
    parse = attach.parse

    def counted(texts):
        clock.parsed += len(texts)
        return parse(texts)

    def doubt(*args, **kwargs):
        clock.candidates += 1
        return in_doubt(*args, **kwargs)

    attach.parse, in_doubt, attach.in_doubt = counted, attach.in_doubt, doubt
    for owner, name in ((attach.Frames, "__init__"), (attach.Frames, "frame"), (attach, "place"), (attach, "date"),
                        (attach, "in_doubt")):
        clock.wrap(owner, name)
    return clock


def main(argv: list[str] | None = None) -> int:
    """Print median and 95th-percentile ms/article for each stage and the extraction/geoparse ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="articles (.jsonl, .txt, ... anything geo.read.articles reads)")
    ap.add_argument("--limit", type=int, default=500, help="articles to time (default 500), after one warm-up")
    args = ap.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    from geo.extract.frames import nlp
    from geo.extract.incidents import Rules, extract_incidents
    from geo.read.articles import read_articles
    from geo.run.pipeline import Pipeline, dated, excluded_spans

    pipeline = Pipeline()
    parser, taxonomy, actors, rules = pipeline.geoparser, pipeline.taxonomy, pipeline.actors, Rules.load()
    clock = _frame_clock()
    t0 = time.process_time()
    nlp()
    load_s = time.process_time() - t0
    parse_ms, extract_ms, frame_ms, found = [], [], [], 0
    for n, article in enumerate(read_articles([args.corpus])):
        if n > args.limit:
            break
        article = dated(article)
        d = article.dateline
        t0 = time.process_time()
        topos = parser.parse(article.text, dateline_places=d.places if d else (),
                             dateline_country=d.country if d else None,
                             skip=tuple((s.start, s.end) for s in excluded_spans(article)), warn=lambda _: None)
        t1 = time.process_time()
        before = clock.seconds
        found += len(extract_incidents(article, topos, taxonomy=taxonomy, actors=actors, rules=rules, frames=True))
        t2 = time.process_time()
        if n == 0:
            clock.parsed = clock.candidates = 0
            continue         # warm-up: one-off regex compilation and lazy loading in both stages
        parse_ms.append((t1 - t0) * 1000)
        frame_ms.append((clock.seconds - before) * 1000)
        extract_ms.append((t2 - t1) * 1000 - frame_ms[-1])
    if not extract_ms:
        print("no articles read", file=sys.stderr)
        return 1

    def p95(xs):
        return statistics.quantiles(xs, n=20)[-1] if len(xs) > 1 else xs[0]

    mp, me = statistics.median(parse_ms), statistics.median(extract_ms)
    ratio = me / mp if mp else float("inf")
    total = sum(extract_ms) / sum(parse_ms) if sum(parse_ms) else float("inf")
    print(f"articles {len(extract_ms)}  incidents {found}")
    print(f"geoparse    median {mp:.2f} ms/article  p95 {p95(parse_ms):.2f}")
    print(f"extraction  median {me:.2f} ms/article  p95 {p95(extract_ms):.2f}")
    print(f"extraction/geoparse  median ratio {ratio:.2f}  total ratio {total:.2f}  "
          f"({'within' if ratio <= BUDGET else 'OVER'} the {BUDGET:.1f} budget)")
    mf, sf, sp = statistics.median(frame_ms), sum(frame_ms), sum(parse_ms)
    print(f"event frames  median {mf:.2f} ms/article  p95 {p95(frame_ms):.2f}  "
          f"total {sf / 1000:.2f} s against geoparse {sp / 1000:.2f} s  sentences parsed {clock.parsed} "
          f"of {clock.candidates} with a candidate  "
          f"(spaCy model loaded in {load_s:.2f} s)")
    within = sf <= FRAME_BUDGET * sp and mf <= FRAME_BUDGET * mp
    print(f"frames/geoparse  median ratio {mf / mp if mp else float('inf'):.2f}  "
          f"total ratio {sf / sp if sp else float('inf'):.2f}  ({'within' if within else 'OVER'} the "
          f"{FRAME_BUDGET:.1f} budget)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
