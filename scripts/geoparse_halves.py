"""Resolution accuracy on two fixed halves of each gold corpus, and the dev half's errors one by one.

    PYTHONPATH=. python scripts/geoparse_halves.py GOLD.jsonl [GOLD.jsonl ...] [--errors dev-errors.jsonl]

The split: a document is in the dev half when the first byte of the SHA-1 of its id (UTF-8) is
even, else in the held-out half. Errors are analysed on the dev half only; a change to the
resolver is kept when it helps the held-out halves and hurts no corpus as a whole
(docs/accuracy.md). Gold spans are resolved exactly as `geo.evaluate.geoparse --mode resolve` does
them, so the whole-corpus figure equals its acc@161.

`--errors` writes one JSON line per dev-half toponym further than 161 km from its gold point: the
name, the gold point, the reading chosen and the candidate nearest the gold point. The lines quote
a little of the article around the name, so keep the file out of the repository (the corpora are
research-only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazetteer.geoparser import Geoparser  # noqa: E402
from gazetteer.model import Mention  # noqa: E402
from gazetteer.resolve.scoring import haversine_km  # noqa: E402
from geo.evaluate.geoparse import ACC_KM, FEATURE_CLASSES, MAX_KM, _Classifier, load_gold  # noqa: E402

_QUOTE = 80   # characters of the article quoted on each side of an erroneous name


def half(doc_id: str) -> str:
    """"dev" or "held" for a document id (first byte of its SHA-1 even or odd)."""
    return "dev" if hashlib.sha1(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "held"


def _reading(p) -> dict | None:
    if p is None:
        return None
    return {"id": p.id, "name": p.name, "level": p.level.value, "country": p.country_code, "admin1": p.admin1}


def score(path: str, geoparser, errors=None) -> dict:
    """acc@161 of the dev half, the held-out half and the whole corpus, overall and by feature class
    of the gold toponym (as `geo.evaluate.geoparse` classes them)."""
    right = {"dev": 0, "held": 0}
    total = {"dev": 0, "held": 0}
    classify = _Classifier(geoparser)
    by_class = {c: {"dev": [0, 0], "held": [0, 0]} for c in FEATURE_CLASSES}
    for doc in load_gold(path):
        h = half(doc.id)
        spans = sorted(doc.toponyms + doc.unresolved, key=lambda t: t.start)
        mentions = geoparser.annotate(doc.text, [Mention(t.start, t.end, t.name, "gold") for t in spans])
        for g, top in zip(spans, geoparser.resolve(doc.text, mentions)):
            if g.lat is None or g.lon is None:
                continue
            km = MAX_KM if top.place is None else haversine_km(top.place.lat, top.place.lon, g.lat, g.lon)
            total[h] += 1
            right[h] += km <= ACC_KM
            counts = by_class[classify(g)][h]
            counts[0] += km <= ACC_KM
            counts[1] += 1
            if errors is not None and h == "dev" and km > ACC_KM:
                cands = geoparser.resolver.candidates(g.name)
                near = min(cands, key=lambda c: haversine_km(c.place.lat, c.place.lon, g.lat, g.lon), default=None)
                errors.write(json.dumps({
                    "corpus": Path(path).stem, "doc": doc.id, "name": g.name, "gold": [g.lat, g.lon], "km": round(km),
                    "chosen": _reading(top.place), "nearest": _reading(near.place if near else None),
                    "nearest_km": round(haversine_km(near.place.lat, near.place.lon, g.lat, g.lon)) if near else None,
                    "quote": doc.text[max(0, g.start - _QUOTE):g.end + _QUOTE],
                }, ensure_ascii=False) + "\n")
    n = total["dev"] + total["held"]
    return {"dev": _share(right["dev"], total["dev"]), "held": _share(right["held"], total["held"]),
            "whole": _share(right["dev"] + right["held"], n), "toponyms_dev": total["dev"], "toponyms_held": total["held"],
            "by_class": {c: {"dev": _share(*v["dev"]), "held": _share(*v["held"]),
                             "whole": _share(v["dev"][0] + v["held"][0], v["dev"][1] + v["held"][1]),
                             "n": (v["dev"][1], v["held"][1])}
                         for c, v in by_class.items() if v["dev"][1] + v["held"][1]}}


def _share(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--errors", default=None, help="write the dev half's errors here (JSON lines)")
    ap.add_argument("--gazetteer", default=None, help="index path")
    args = ap.parse_args(argv)
    geoparser = Geoparser.open(args.gazetteer)
    out = open(args.errors, "w", encoding="utf-8") if args.errors else None
    try:
        for path in args.gold:
            r = score(path, geoparser, out)
            print(f"{Path(path).stem:<12} dev {r['dev']:.4f} ({r['toponyms_dev']})  held-out {r['held']:.4f} "
                  f"({r['toponyms_held']})  whole {r['whole']:.4f}")
            for c, v in r["by_class"].items():
                print(f"  {c:<17} dev {v['dev']:.4f} ({v['n'][0]})  held-out {v['held']:.4f} ({v['n'][1]})  whole {v['whole']:.4f}")
    finally:
        if out is not None:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
