"""Median CPU time of incident extraction per article, beside the geoparser's (CPU time resists load).

    PYTHONPATH=. python bench/incidents.py [CORPUS.jsonl] [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

CORPUS = "/work/shared/corpora/isot-reuters-true-sample/isot-true.jsonl"


def main(argv: list[str] | None = None) -> int:
    """Print median and 95th-percentile ms/article for geoparsing and for incident extraction."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=CORPUS)
    ap.add_argument("--limit", type=int, default=500)
    args = ap.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    from geo.articles import read_articles
    from geo.evaluate_incidents import _actors, _geoparser, toponyms
    from geo.incidents import Rules, extract_incidents
    from geo.pipeline import dated
    from geo.taxonomy import Taxonomy

    taxonomy, rules = Taxonomy.load(), Rules.load()
    parser, which = _geoparser()
    actors = _actors()
    parse_ms, extract_ms, found = [], [], 0
    for n, article in enumerate(read_articles([args.corpus])):
        if n >= args.limit:
            break
        article = dated(article)
        t0 = time.process_time()
        topos = toponyms(parser, article)
        t1 = time.process_time()
        found += len(extract_incidents(article, topos, taxonomy=taxonomy, actors=actors, rules=rules))
        t2 = time.process_time()
        parse_ms.append((t1 - t0) * 1000)
        extract_ms.append((t2 - t1) * 1000)
    if not extract_ms:
        print("no articles read", file=sys.stderr)
        return 1
    q = lambda xs: statistics.quantiles(xs, n=20)[-1] if len(xs) > 1 else xs[0]
    print(f"articles {len(extract_ms)}  incidents {found}  geoparser: {which}")
    print(f"geoparse  median {statistics.median(parse_ms):.2f} ms/article  p95 {q(parse_ms):.2f}")
    print(f"incidents median {statistics.median(extract_ms):.2f} ms/article  p95 {q(extract_ms):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
