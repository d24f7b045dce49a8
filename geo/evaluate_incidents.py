"""Score incident extraction against the hand-annotated set in tests/data/incidents_gold.jsonl.

    PYTHONPATH=. python -m geo.evaluate_incidents [CORPUS.jsonl] [--gold FILE] [--show]

A predicted incident matches a gold one when the family is the same, the place has the same name
(or one of the gold alternatives; the predicted surface text or the place's name) or lies within
50 km of a gold coordinate, and — when the gold has a date — the dates are at most one day apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

from geo.model import Article, Incident, Level, Place

__all__ = ["load_gold", "main", "match"]

CORPUS = "/work/shared/corpora/isot-reuters-true-sample/isot-true.conflict.jsonl"
GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "incidents_gold.jsonl"
MAX_KM = 50.0


def load_gold(path: str | Path = GOLD) -> dict[str, dict]:
    """Gold records by article id."""
    with open(path, encoding="utf-8") as f:
        return {r["article_id"]: r for r in map(json.loads, filter(str.strip, f))}


def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"^(?:al|ar|as|an|ad|el)[- ]", "", s)
    return re.sub(r"[^a-z]", "", s)


def _place_ok(gold: dict, inc: Incident, taxonomy) -> bool:
    if inc.place is None:
        return False
    names = {_norm(n) for n in [gold["place"], *gold.get("place_alt", [])]}
    if _norm(inc.place_text) in names or _norm(inc.place.name) in names:
        return True
    if gold.get("lat") is not None:
        from geo.locate import distance_km

        ref = Place("gold", "gold", gold["lat"], gold["lon"], Level.CITY, "gold")
        return distance_km(ref, inc.place) <= MAX_KM
    return False


def _date_ok(gold: dict, inc: Incident) -> bool:
    if not gold.get("date"):
        return True
    return inc.date is not None and abs((inc.date - dt.date.fromisoformat(gold["date"])).days) <= 1


def match(gold: list[dict], predicted: list[Incident], taxonomy, *, strict: bool = True) -> int:
    """How many gold incidents find a distinct matching prediction (greedy, in text order)."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        for n, inc in enumerate(predicted):
            if n in used or taxonomy.get(inc.type).family != g["family"]:
                continue
            if strict and not (_place_ok(g, inc, taxonomy) and _date_ok(g, inc)):
                continue
            used.add(n)
            hits += 1
            break
    return hits


def _articles(corpus: str, ids: set[str]) -> list[Article]:
    from geo.articles import read_articles

    return [a for a in read_articles([corpus]) if a.id in ids]


def main(argv: list[str] | None = None) -> int:
    """Print recall and precision of incident extraction on the gold set."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=CORPUS)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--show", action="store_true", help="list gold and predicted incidents per article")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all",
                    help="dev: the set the rules were tuned on; test: held out, annotated before any run")
    args = ap.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    from geo.pipeline import Pipeline

    pipeline = Pipeline()
    taxonomy = pipeline.taxonomy
    gold = {k: v for k, v in load_gold(args.gold).items()
            if args.split == "all" or v.get("split", "dev") == args.split}
    articles = _articles(args.corpus, set(gold))
    tally: dict[str, list[int]] = {}
    started = time.perf_counter()
    for a in articles:
        result = pipeline.process(a)
        a, got = result.article, list(result.incidents)
        g = gold[a.id]["incidents"]
        for split in (gold[a.id].get("split", "dev"), "all"):
            t = tally.setdefault(split, [0, 0, 0, 0, 0])
            t[0] += 1
            t[1] += len(g)
            t[2] += len(got)
            t[3] += match(g, got, taxonomy)
            t[4] += match(g, got, taxonomy, strict=False)
        if args.show:
            print(f"## {a.id} {a.date} {a.title[:70]}")
            for x in g:
                print(f"   gold {x['family']:26} {x['place']:12} {x['date']}  “{x['quote']}”")
            for i in got:
                print(f"   pred {taxonomy.get(i.type).family:26} {i.place_text or '-':12} {i.date}  "
                      f"[{i.evidence[0].trigger}] {i.confidence:.2f}")
    elapsed = time.perf_counter() - started
    print("pipeline: geo.pipeline.Pipeline (gazetteer.geoparser, geo.incidents)")
    for split, (n_art, n_gold, n_pred, strict, loose) in sorted(tally.items()):
        print(f"[{split}] articles {n_art}  gold incidents {n_gold}  predicted {n_pred}")
        for label, hits in (("family+place+date", strict), ("family only", loose)):
            recall = hits / n_gold if n_gold else 0.0
            precision = hits / n_pred if n_pred else 0.0
            print(f"  {label:18}  recall {recall:.2f} ({hits}/{n_gold})  precision {precision:.2f} ({hits}/{n_pred})")
    print(f"time {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
