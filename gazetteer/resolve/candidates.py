"""Candidate places for a name: every spelling the gazetteer may hold it under, and how each reads.

A surface form becomes index keys through the name variants file, acronyms ("US" is "U.S."),
article-less and possessive forms, demonyms ("Iraqi" names Iraq), a level word it carries
("Helmand Province"), a part word before a whole it belongs to ("Eastern Ghouta") and, only when
nothing exact matches, the transliteration skeleton. Each candidate carries what ranking needs
to know about it before any context: its prior weight, whether the name matched exactly, and
whether it is small.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from difflib import SequenceMatcher

from gazetteer.mentions.lexicon import load_lexicon
from gazetteer.mentions.matcher import _demonym_key
from gazetteer.model import Level, Place
from gazetteer.names import normalize, skeleton, strip_article, variant_keys, without_articles
from gazetteer.resolve.scoring import Weights

__all__ = ["BIG", "HINT_LEVELS", "SUB_CITY", "Candidate", "CandidateFinder"]

# The weight of a place before context: large units first, then population on a log scale.
_LEVEL_PRIOR = {
    Level.CONTINENT: 1.0, Level.COUNTRY: 1.0, Level.PROVINCE: 0.72, Level.DISTRICT: 0.3,
    Level.CITY: 0.0, Level.NEIGHBOURHOOD: 0.1, Level.CAMP: 0.1, Level.LANDMARK: 0.1, Level.FEATURE: 0.2,
}
# The levels a level word next to a name admits ("Wahda district": a district or a quarter).
HINT_LEVELS = {
    "province": {Level.PROVINCE},
    "district": {Level.DISTRICT, Level.NEIGHBOURHOOD, Level.PROVINCE},
    "city": {Level.CITY, Level.DISTRICT},
    "neighbourhood": {Level.NEIGHBOURHOOD, Level.DISTRICT},
    "camp": {Level.CAMP, Level.LANDMARK},
    "landmark": {Level.LANDMARK, Level.CAMP},
    "feature": {Level.FEATURE},
}
# Population on a log scale: 100 people or fewer weigh 0, ten million or more 1.
_LOG_POP_NONE, _LOG_POP_SPAN = 2.0, 5.0
_CURATED_PRIOR = 0.3     # the curated places are the conflict places the news names: at least a town of 3,000
_SMALL = 0.4             # the prior of a town of 10,000: smaller places are "small" (namesakes abound)
_SHORTEST_ACRONYM, _LONGEST_ACRONYM = 2, 4   # "US", "UAE", "DPRK": all-capital words read as acronyms
_SIZEABLE = 0.6          # the prior of a town of 100,000: big enough to be what an acronym or variant names
_SHORTEST_SKELETON = 3   # shorter skeletons match too many unrelated names
_SPELLED_ALIKE = 0.6     # similarity of spelling a sound-alike needs (Khazir is not Casoria)
SUB_CITY = {Level.NEIGHBOURHOOD, Level.DISTRICT, Level.CAMP, Level.LANDMARK}   # places inside a town
BIG = {Level.CONTINENT, Level.COUNTRY, Level.PROVINCE}   # places bigger than any town


class Candidate:
    """One place a name may refer to, with what is known of it before context."""

    __slots__ = ("place", "prior", "cc", "a1", "exact", "skel", "small", "has_parent_rule", "base", "base_for")

    def __init__(self, place: Place, key: str, skel: bool):
        self.place = place
        pop = place.population or 0
        self.prior = max(_LEVEL_PRIOR.get(place.level, 0.0),
                         min(1.0, max(0.0, (math.log10(pop + 1) - _LOG_POP_NONE) / _LOG_POP_SPAN)))
        if place.layer == "curated":
            self.prior = max(self.prior, _CURATED_PRIOR)
        self.cc = place.country_code
        self.a1 = normalize(place.name if place.level is Level.PROVINCE else (place.admin1 or ""))
        name = normalize(place.name)
        # "Deir al-Zor" is the city GeoNames spells "Deir ez-Zor": the article differs, not the name
        self.exact = name == key or strip_article(name) == strip_article(key) or (
            " " in key and without_articles(name) == without_articles(key))
        self.skel = skel
        self.small = self.prior < _SMALL and bool(self.cc) and place.layer != "user"
        self.has_parent_rule = place.level in SUB_CITY or place.layer in ("curated", "user")
        self.base = 0.0                         # the score before context (`features.own_score`) ...
        self.base_for: Weights | None = None    # ... for these weights


class CandidateFinder:
    """Looks names up in the index (cached); one instance per index, shared by every article."""

    def __init__(self, index, *, aliases=None, limit: int = 25, cache_size: int = 20000):
        self.index = index
        self.aliases = aliases if aliases is not None else {}   # article-less key -> indexed key
        self.limit = limit
        self._cache: OrderedDict[str, tuple[Candidate, ...]] = OrderedDict()
        self._cache_size = cache_size
        lex = load_lexicon()
        self._variants = lex.variants
        self._lex = lex
        self._has_skeleton = hasattr(index, "candidates_by_skeleton")

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Candidates for a surface form (cached); skeleton matches only when exact keys fail."""
        key = normalize(name)
        surface = name.strip()
        ck = key + "\x01" if surface.isupper() else key
        hit = self._cache.get(ck)
        if hit is not None:
            self._cache.move_to_end(ck)
            return hit
        out = self._lookup(key, surface)
        self._cache[ck] = out
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return out

    def _lookup(self, key: str, surface: str = "") -> tuple[Candidate, ...]:
        """The first reading of the name that finds places: what the variants file says it is, a
        demonym's place, its spellings, its sound-alikes, the name without its level word, the whole
        a part word names."""
        if not key:
            return ()
        decided = self._listed_only(key)
        if decided is None:
            decided = self._demonym_place(key)
        if decided is not None:
            return decided
        keys, explicit = self._spellings(key, surface)
        seen = self._by_spellings(keys, explicit) or self._sound_alikes(key)
        if not seen:
            return self._without_level_word(key) or self._whole_of_part(key)
        return tuple(seen.values())

    def _listed_only(self, key: str) -> tuple[Candidate, ...] | None:
        """What the variants file decides alone: a region the layers do not hold (nothing, rather than
        a namesake), or a container abbreviation ("Ga." is the state of Georgia, never a town)."""
        if key not in self._variants:
            return None
        target, where = self._variants[key]
        if not target:
            return ()
        if where == "container":
            return tuple(Candidate(p, target, False) for p in self.index.candidates(target, limit=self.limit)
                         if p.level is Level.PROVINCE)
        return None

    def _demonym_place(self, key: str) -> tuple[Candidate, ...] | None:
        """The country or region a demonym names (gold corpora such as LGL annotate "Iraqi" as Iraq)."""
        dem = _demonym_key(key, self._lex)
        if not dem:
            return None
        if dem.startswith("cc:"):
            p = self.index.get("ne0:" + dem[3:])
            return (Candidate(p, normalize(p.name), False),) if p is not None else ()
        for p in self.index.candidates(dem, limit=self.limit):
            if p.level in BIG:
                return (Candidate(p, dem, False),)
        return None

    def _spellings(self, key: str, surface: str) -> tuple[list[str], set[str]]:
        """Every key the gazetteer may hold the name under, and those an acronym or the variants file
        names exactly."""
        keys = [key, *variant_keys(key)]
        explicit: set[str] = set()
        if surface.isupper() and _SHORTEST_ACRONYM <= len(surface) <= _LONGEST_ACRONYM and surface.isalpha():
            keys.insert(0, " ".join(key))   # "US" is written "U.S." in the gazetteer ("u s")
            explicit.add(keys[0])
        if key in self._variants:
            target = self._variants[key][0]
            keys.append(target)
            explicit.add(target)
        for k in list(keys):
            if k in self.aliases:
                keys.append(self.aliases[k])
        if key.endswith(" s"):   # a possessive the text map split off ("Iraq's" -> "iraq s")
            keys.append(key[:-2])
        return keys, explicit

    def _by_spellings(self, keys: list[str], explicit: set[str]) -> dict[str, Candidate]:
        """The places under any of `keys`, by id, first key first."""
        seen: dict[str, Candidate] = {}
        for k in keys:
            for p in self.index.candidates(k, limit=self.limit):
                if p.id not in seen:
                    c = Candidate(p, k, False)
                    if k in explicit and not c.exact:
                        # "US" names "U.S." and "White House" names Washington as such: both are
                        # exact, but only as big as the place really is.
                        c.exact = p.level in BIG or c.prior >= _SIZEABLE
                    seen[p.id] = c
        return seen

    def _sound_alikes(self, key: str) -> dict[str, Candidate]:
        """Places whose transliteration skeleton matches, in countries whose names are transliterated,
        when they are also spelled alike."""
        seen: dict[str, Candidate] = {}
        if not self._has_skeleton:
            return seen
        skel = skeleton(key)
        if len(skel) >= _SHORTEST_SKELETON:
            for p in self.index.candidates_by_skeleton(skel, limit=self.limit):
                if p.id not in seen and p.country_code in self._lex.transliterated and _similar(key, p.name):
                    seen[p.id] = Candidate(p, key, True)
        return seen

    def _without_level_word(self, key: str) -> tuple[Candidate, ...]:
        """"Helmand Province", "Latakia Governorate": the name the layers hold, of the level it names."""
        rest, _, word = key.rpartition(" ")
        levels = HINT_LEVELS.get(self._lex.level_words.get(word, ""))
        if not rest or levels is None:
            return ()
        return tuple(c for c in self._lookup(rest) if c.place.level in levels and not c.skel)

    def _whole_of_part(self, key: str) -> tuple[Candidate, ...]:
        """"Eastern Ghouta", "South Los Angeles", "Northern Iraq": a part the layers lack is placed at
        the whole, under that place's own name only, and never when the name is also a continent's or
        another name of a country or region ("West Africa", "Central America"): their points are far
        from any of their parts, and a town of that name is not what is meant."""
        word, _, rest = key.partition(" ")
        if word not in self._lex.part_words or not rest or _demonym_key(rest, self._lex):
            return ()
        cands = self._lookup(rest)
        if any(c.place.level is Level.CONTINENT or (c.place.level in BIG and not c.exact) for c in cands):
            # "West Africa", "Central America", "North Sinai": a part of a continent or of a region
            # known by that name, not a town named Africa, América or Sinaí
            return ()
        return tuple(c for c in cands if c.exact and not c.skel)


def _similar(key: str, name: str) -> bool:
    """Whether a sound-alike is also spelled alike (filters skeleton collisions such as Khazir/Casoria)."""
    a = strip_article(key).replace(" ", "")
    b = strip_article(normalize(name)).replace(" ", "")
    return SequenceMatcher(None, a, b).ratio() >= _SPELLED_ALIKE
