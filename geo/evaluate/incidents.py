"""Score incident extraction against the hand-annotated set in tests/data/incidents_gold.jsonl.

    PYTHONPATH=. python -m geo.evaluate.incidents [CORPUS.jsonl] [--gold FILE] [--show]

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

from geo.errors import ModelError
from geo.extract.locate import distance_km
from geo.model import Article, Incident, Level, Place
from geo.read.articles import read_articles
from geo.run.pipeline import Pipeline, Settings

__all__ = ["load_gold", "main", "match", "pairs"]

# The corpora are not committed (Reuters copyright); they sit in ../shared beside a checkout.
_REUTERS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "isot-reuters-true-sample"
CORPUS = str(_REUTERS / "isot-true.conflict.jsonl")
ALL = str(_REUTERS / "isot-true.jsonl")
GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "incidents_gold.jsonl"
BLIND = GOLD.with_name("incidents_blind.jsonl")
# Splits kept in a file of their own, each annotated before the system ever ran on it.
SPLIT_FILES = {"blind": BLIND, "blind2": GOLD.with_name("incidents_blind2.jsonl"),
               "blind3": GOLD.with_name("incidents_blind3.jsonl"), "blind4": GOLD.with_name("incidents_blind4.jsonl"),
               "blind5": GOLD.with_name("incidents_blind5.jsonl"), "blind6": GOLD.with_name("incidents_blind6.jsonl"),
               "blind7": GOLD.with_name("incidents_blind7.jsonl"), "blind8": GOLD.with_name("incidents_blind8.jsonl"),
               "blind9": GOLD.with_name("incidents_blind9.jsonl"), "blind10": GOLD.with_name("incidents_blind10.jsonl"),
               "blind11": GOLD.with_name("incidents_blind11.jsonl")}
# Articles written for the project, each with its text and its hand-coded incidents in one record (ours to
# ship: the confidence calibration is fitted on them, never on the research-only corpora).
WRITTEN = Path(__file__).resolve().parents[1] / "data" / "events" / "articles_written.jsonl"
WRITTEN2 = WRITTEN.with_name("articles_written2.jsonl")
# Each file of written articles by the prefix of its ids.
WRITTEN_FILES = {"wa-": WRITTEN, "wb-": WRITTEN2}
SPLIT_FILES["written-articles"] = WRITTEN
SPLIT_FILES["written-articles2"] = WRITTEN2
WRITTEN_SPLITS = ("written-articles", "written-articles2")
SPLITS = ("dev", "test", "holdout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11",
          *WRITTEN_SPLITS,
          "all")
MAX_KM = 50.0


def load_gold(path: str | Path = GOLD) -> dict[str, dict]:
    """Gold records by article id."""
    with open(path, encoding="utf-8") as f:
        return {r.get("article_id") or r["id"]: r for r in map(json.loads, filter(str.strip, f))}


def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"^(?:al|ar|as|an|ad|el)[- ]", "", s)
    return re.sub(r"[^a-z]", "", s)


def _place_ok(gold: dict, inc: Incident, taxonomy) -> bool:
    if gold.get("place") is None:
        return True              # the text names no place: any place (or none) will do
    if inc.place is None:
        return False
    names = {_norm(n) for n in [gold["place"], *gold.get("place_alt", [])]}
    if _norm(inc.place_text) in names or _norm(inc.place.name) in names:
        return True
    if gold.get("lat") is not None:
        ref = Place("gold", "gold", gold["lat"], gold["lon"], Level.CITY, "gold")
        return distance_km(ref, inc.place) <= MAX_KM
    return False


def _date_ok(gold: dict, inc: Incident) -> bool:
    if not gold.get("date"):
        return True
    return inc.date is not None and abs((inc.date - dt.date.fromisoformat(gold["date"])).days) <= 1


def match(gold: list[dict], predicted: list[Incident], taxonomy, *, strict: bool = True) -> int:
    """How many gold incidents find a distinct matching prediction (a maximum one-to-one matching)."""
    return len(pairs(gold, predicted, taxonomy, strict=strict))


def pairs(gold: list[dict], predicted: list[Incident], taxonomy, *, strict: bool = True) -> dict[int, int]:
    """Gold index -> index of the prediction it matched: a maximum one-to-one matching (each gold incident
    matched by at most one prediction and each prediction matching at most one gold incident), found by
    augmenting paths in text order, so that a prediction that fits two gold incidents never costs a
    third its only match (a greedy pairing in text order can)."""
    families = [taxonomy.get(inc.type).family for inc in predicted]
    fits = [[n for n, inc in enumerate(predicted) if families[n] == g["family"]
             and (not strict or (_place_ok(g, inc, taxonomy) and _date_ok(g, inc)))] for g in gold]
    owner: dict[int, int] = {}            # prediction -> gold index

    def augment(gi: int, seen: set[int]) -> bool:
        for n in fits[gi]:
            if n not in seen:
                seen.add(n)
                if n not in owner or augment(owner[n], seen):
                    owner[n] = gi
                    return True
        return False

    for gi in range(len(gold)):
        augment(gi, set())
    return dict(sorted((gi, n) for n, gi in owner.items()))


_OTHER_CORPORA = {"gwn-": _REUTERS.parent / "geowebnews" / "geowebnews.jsonl",
                  "lgl-": _REUTERS.parent / "lgl" / "lgl.jsonl"}


def _articles(corpus: str, ids: set[str]) -> list[Article]:
    """The gold articles, from the corpus and, for GeoWebNews/LGL ids, from those corpora beside it; Reuters
    articles outside the conflict subset (the blind5 and blind6 splits) from the whole sample beside it."""
    written = [str(p) for prefix, p in WRITTEN_FILES.items() if any(i.startswith(prefix) for i in ids)]
    paths = ([corpus] if not written or Path(corpus).exists() else []) + \
        [str(p) for prefix, p in _OTHER_CORPORA.items() if any(i.startswith(prefix) for i in ids)] + written
    found = [a for a in read_articles(list(dict.fromkeys(paths))) if a.id in ids]
    missing = ids - {a.id for a in found}
    if missing and corpus == CORPUS and Path(ALL).exists():
        found += [a for a in read_articles([ALL]) if a.id in missing]
    return found


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=CORPUS)
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--show", action="store_true", help="list gold and predicted incidents per article")
    ap.add_argument("--split", choices=SPLITS, default="all",
                    help="dev: the set the rules were tuned on; test: annotated before any run, since read; "
                         "holdout: annotated on the fifth day before any run on it; blind: the sixth day's "
                         "split (Reuters, GeoWebNews, LGL), in tests/data/incidents_blind.jsonl; blind2: the seventh "
                         "day's Reuters split, in tests/data/incidents_blind2.jsonl; blind3: the eighth day's, the last 49 "
                         "Reuters conflict articles no one had annotated, in tests/data/incidents_blind3.jsonl; blind4: "
                         "the ninth day's, 43 GeoWebNews and LGL articles on violence, crime or protest, in "
                         "tests/data/incidents_blind4.jsonl; blind5: the ninth day's second, 50 Reuters world and politics "
                         "articles outside the conflict subset, in tests/data/incidents_blind5.jsonl; blind6: the eleventh day's, the 44 "
                         "remaining Reuters articles outside the conflict subset and every earlier split that name violence, "
                         "protest or arrests at least four times, in tests/data/incidents_blind6.jsonl; blind7: the twelfth day's, 52 "
                         "Reuters, LGL and GeoWebNews articles outside every earlier split that use a word of violence, crime, "
                         "protest or arrest at least four times, in tests/data/incidents_blind7.jsonl; blind8: the thirteenth day's, 51 "
                         "Reuters, LGL and GeoWebNews articles outside every earlier split and the event-sentence sets, in "
                         "tests/data/incidents_blind8.jsonl; blind9: the fourteenth day's, 52 Reuters, LGL and GeoWebNews "
                         "articles outside every earlier split and the event-sentence sets, in "
                         "tests/data/incidents_blind9.jsonl; blind10: the fifteenth day's, 48 Reuters, LGL and GeoWebNews "
                         "articles outside every earlier split and the event-sentence sets, in "
                         "tests/data/incidents_blind10.jsonl; blind11: the sixteenth day's, 48 Reuters and GeoWebNews "
                         "articles outside every earlier split and the event-sentence sets, in "
                         "tests/data/incidents_blind11.jsonl; written-articles: the twelfth day's "
                         "articles written for the project with their incidents, in geo/data/events/articles_written.jsonl "
                         "(needs no corpus; the confidence calibration is fitted on them); written-articles2: the "
                         "thirteenth day's second hundred, in geo/data/events/articles_written2.jsonl (the same terms)")
    ap.add_argument("--frames", action="store_true",
                    help="place and date by the parse of the sentences that offer two of either (Settings.frames; "
                         "needs spaCy and its small English model)")
    ap.add_argument("--non-conflict", type=int, metavar="N", default=0,
                    help="instead: incidents per article on the first N politicsNews stories of the full ISOT"
                         " sample that are not in the conflict subset (the false-positive rate)")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Print recall and precision of incident extraction on the gold set."""
    args = _parser().parse_args(argv)
    if args.non_conflict:
        return _non_conflict(args.corpus, args.non_conflict, args.show)
    if not Path(args.corpus).exists() and args.split not in WRITTEN_SPLITS:
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2

    pipeline = Pipeline(Settings(frames=args.frames))
    taxonomy = pipeline.taxonomy
    if args.split in SPLIT_FILES and args.gold == str(GOLD):
        args.gold = str(SPLIT_FILES[args.split])
    if not Path(args.gold).exists():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    gold = {k: v for k, v in load_gold(args.gold).items()
            if args.split == "all" or v.get("split", "dev") == args.split}
    articles = _articles(args.corpus, set(gold))
    tally: dict[str, list[int]] = {}
    started = time.perf_counter()
    for a in articles:
        try:
            result = pipeline.process(a)
        except ModelError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        a, got = result.article, list(result.incidents)
        g = gold[a.id]["incidents"]
        for split in (gold[a.id].get("split", "dev"), "all"):
            _count(tally.setdefault(split, [0, 0, 0, 0, 0]), g, got, taxonomy)
        if args.show:
            _show(a, g, got, taxonomy)
    _report(tally, time.perf_counter() - started)
    return 0


def _count(t: list[int], g: list[dict], got: list[Incident], taxonomy) -> None:
    """Add one article to a split's tally: articles, gold, predicted, strict matches, family matches."""
    t[0] += 1
    t[1] += len(g)
    t[2] += len(got)
    t[3] += match(g, got, taxonomy)
    t[4] += match(g, got, taxonomy, strict=False)


def _show(a: Article, g: list[dict], got: list[Incident], taxonomy) -> None:
    """Print one article's gold and predicted incidents, marked matched (+), missed (-) or wrong (x)."""
    print(f"## {a.id} {a.date} {a.title[:70]}")
    hit = pairs(g, got, taxonomy)
    for n, x in enumerate(g):
        mark = "+" if n in hit else "-"
        print(f" {mark} gold {x['family']:26} {str(x['place']):12} {x['date']}  “{x['quote']}”")
    for n, i in enumerate(got):
        mark = "+" if n in hit.values() else "x"
        print(f" {mark} pred {taxonomy.get(i.type).family:26} {i.place_text or '-':12} {i.date}  "
              f"[{i.evidence[0].trigger}] {i.confidence:.2f}")


def _report(tally: dict[str, list[int]], elapsed: float) -> None:
    """Print recall and precision per split."""
    print("pipeline: geo.run.pipeline.Pipeline (gazetteer.geoparser, geo.extract.incidents)")
    for split, (n_art, n_gold, n_pred, strict, loose) in sorted(tally.items()):
        print(f"[{split}] articles {n_art}  gold incidents {n_gold}  predicted {n_pred}")
        for label, hits in (("family+place+date", strict), ("family only", loose)):
            recall = hits / n_gold if n_gold else 0.0
            precision = hits / n_pred if n_pred else 0.0
            print(f"  {label:18}  recall {recall:.2f} ({hits}/{n_gold})  precision {precision:.2f} ({hits}/{n_pred})")
    print(f"time {elapsed:.2f} s")


def non_conflict_ids(corpus: str, conflict: str, n: int, subject: str = "politicsNews") -> list[str]:
    """Ids of the first `n` stories of `subject` in `corpus` (by numeric id) that `conflict` lacks."""
    with open(conflict, encoding="utf-8") as f:
        war = {json.loads(line)["id"] for line in f if line.strip()}
    with open(corpus, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    ids = [r["id"] for r in rows if r.get("subject") == subject and r["id"] not in war]
    return sorted(ids, key=lambda i: int(re.sub(r"\D", "", i) or 0))[:n]


def _non_conflict(conflict: str, n: int, show: bool) -> int:
    """Print incidents per article on non-conflict politics stories: should be (nearly) zero."""
    if not (Path(ALL).exists() and Path(conflict).exists()):
        print(f"corpus not found: {ALL}", file=sys.stderr)
        return 2

    ids = set(non_conflict_ids(ALL, conflict, n))
    pipeline = Pipeline()
    found = with_any = 0
    articles = [a for a in read_articles([ALL]) if a.id in ids]
    for a in articles:
        got = pipeline.process(a).incidents
        found += len(got)
        with_any += bool(got)
        if show and got:
            print(f"## {a.id} {a.title[:70]}")
            for i in got:
                print(f"   {i.type:20} {i.place_text or '-':14} [{i.evidence[0].trigger}] “{i.evidence[0].sentence[:110]}”")
    print(f"non-conflict politicsNews articles {len(articles)}  incidents {found}  "
          f"per article {found / max(len(articles), 1):.2f}  articles with any {with_any}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
