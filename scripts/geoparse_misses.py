"""The dev half's misses that the index could have got right, by class (docs/accuracy.md).

    PYTHONPATH=. python scripts/geoparse_misses.py GOLD.jsonl [GOLD.jsonl ...] [--half held] [--list]

A miss "in the index" is a gold toponym resolved further than 161 km from its gold point although
one of its candidates lies within 161 km. Each is classed by how the chosen reading and that
candidate (the best-scored one within 161 km) differ: another level, or a namesake; for a namesake,
whether the text holds evidence for the gold's reading (its state named, or another of the story's
places resolved in it; for another country, that country named) and, if so, which feature of
`gazetteer.resolve.features` gave the chosen reading its lead. `--list` prints each miss (names and
readings only, never the article's text: the corpora are research-only).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from geoparse_halves import half  # noqa: E402

from gazetteer.geoparser import Geoparser  # noqa: E402
from gazetteer.model import Level, Mention  # noqa: E402
from gazetteer.resolve import features, resolver  # noqa: E402
from gazetteer.resolve.scoring import haversine_km  # noqa: E402
from geo.evaluate.geoparse import ACC_KM, load_gold  # noqa: E402

_PRIOR = ("own:prior", "own:exact", "own:capital", "small and foreign")   # what a reading is on its own
_CAPITAL = "own:capital"


class _Recorder:
    """Each candidate's score by feature in the last pass, per surface form (`resolver.story_score` wrapped)."""

    def __init__(self):
        self.parts: dict[tuple[str, str], dict[str, float] | None] = {}

    def __call__(self, c, k):
        k.start(c)
        parts: dict[str, float] = {}
        s = 0.0
        for f in features.STORY_FEATURES:   # summed in the table's order, as `features.story_score` does
            v = f.score(c, k)
            if v is features.VETO:
                self.parts[(k.mention.text, c.place.id)] = None
                return features.VETO
            s += v
            if v and f.name != "own weight":
                parts[f.name] = v
        for f in features.OWN_FEATURES:
            v = f.score(c, k.w)
            if v:
                parts["own:" + f.name] = v
        self.parts[(k.mention.text, c.place.id)] = parts
        return s


def _region(p) -> tuple[str | None, str | None]:
    return p.country_code, p.name if p.level is Level.PROVINCE else p.admin1


def classify(name: str, chosen, gold, chosen_parts, gold_parts, others) -> str:
    """The class of one miss: `others` are the readings of the story's other toponyms."""
    if chosen is None:
        return "unresolved"
    if gold_parts is None:
        return "gold's reading ruled out (a binding or veto) or decided by another mention of the name"
    if chosen.level is not gold.level:
        if Level.COUNTRY in (chosen.level, gold.level):
            return "level: a country for a town or region, or the reverse"
        return "level: a town for a region or county, or the reverse"
    if chosen.country_code != gold.country_code:
        evidence = any(p.country_code == gold.country_code for p in others)
    else:
        evidence = any(_region(p) == _region(gold) and p.level is not Level.COUNTRY for p in others)
    lead = {k: chosen_parts.get(k, 0.0) - gold_parts.get(k, 0.0) for k in set(chosen_parts) | set(gold_parts)}
    top = max(lead, key=lead.get) if lead else ""
    if not evidence:
        if top == _CAPITAL:
            return "namesake, no evidence in the text: a national capital"
        return "namesake, no evidence in the text: size decides"
    if top in _PRIOR:
        return "namesake, evidence in the text: the population prior outweighs it"
    return f"namesake, evidence in the text: the story's places favour the other ({top})"


def misses(path: str, geoparser, which: str):
    """(name, class, chosen, gold reading) for each in-index miss of one half of a corpus."""
    rec = _Recorder()
    resolver.story_score = rec
    for doc in load_gold(path):
        if half(doc.id) != which:
            continue
        rec.parts.clear()
        spans = sorted(doc.toponyms + doc.unresolved, key=lambda t: t.start)
        mentions = geoparser.annotate(doc.text, [Mention(t.start, t.end, t.name, "gold") for t in spans])
        tops = geoparser.resolve(doc.text, mentions)
        for i, (g, top) in enumerate(zip(spans, tops)):
            if g.lat is None or g.lon is None:
                continue
            if top.place is not None and haversine_km(top.place.lat, top.place.lon, g.lat, g.lon) <= ACC_KM:
                continue
            near = [c for c in geoparser.resolver.candidates(g.name)
                    if haversine_km(c.place.lat, c.place.lon, g.lat, g.lon) <= ACC_KM]
            if not near:
                continue
            text = mentions[i].text
            scored = [c for c in near if rec.parts.get((text, c.place.id)) is not None]
            gold = max(scored, key=lambda c: sum(rec.parts[(text, c.place.id)].values())) if scored else near[0]
            others = [t.place for j, t in enumerate(tops) if j != i and t.place is not None
                      and t.mention.text.lower() != text.lower()]
            chosen_parts = rec.parts.get((text, top.place.id)) if top.place is not None else None
            yield g.name, classify(g.name, top.place, gold.place, chosen_parts or {},
                                   rec.parts.get((text, gold.place.id)), others), top.place, gold.place


def _where(p) -> str:
    return f"{p.name} ({p.level.value}, {p.admin1 or '-'}, {p.country_code})" if p else "unresolved"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--half", choices=("dev", "held"), default="dev")
    ap.add_argument("--list", action="store_true", help="print each miss, its class and both readings")
    ap.add_argument("--gazetteer", default=None, help="index path")
    args = ap.parse_args(argv)
    geoparser = Geoparser.open(args.gazetteer)
    counts: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, Counter] = defaultdict(Counter)
    stems = []
    for path in args.gold:
        stem = Path(path).stem
        stems.append(stem)
        for name, cls, chosen, gold in misses(path, geoparser, args.half):
            counts[cls][stem] += 1
            names[cls][name] += 1
            if args.list:
                print(f"{stem}\t{name}\t{cls}\tchosen {_where(chosen)}\tgold {_where(gold)}")
    print("| class | " + " | ".join(stems) + " | names |")
    print("|---|" + "---|" * len(stems) + "---|")
    for cls, by in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        top = ", ".join(n for n, _ in names[cls].most_common(8))
        print(f"| {cls} | " + " | ".join(str(by[s]) for s in stems) + f" | {top} |")
    print("| all | " + " | ".join(str(sum(c[s] for c in counts.values())) for s in stems) + " | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
