"""Water or land: which reading of a name that is both a water body's and a land place's the text means.

A water body's full name says it is water ("the Red Sea", "Gulf of Aden", "Lake Michigan"), and so
does a water word after a name ("the Jordan river", read as a level word). A bare name does not:
"Atlantic" is also a town in Iowa, "Jordan", "Niger" and "Congo" are countries. So a bare name
stays on land when the land reading is a country, a region or a continent; against a town it is
water only when "the" stands before it, perhaps with one lower-case word between ("across the
Atlantic", "in the eastern Pacific": English writes seas and oceans with the article, towns without).

>>> water_words("gulf of aden"), water_words("atlantic")
(True, False)
"""

from __future__ import annotations

import re

from gazetteer.resolve.candidates import BIG, Candidate

__all__ = ["WATER_WORDS", "is_water", "mixed", "water_or_land", "water_words"]

# Words that make a name a water body's ("Red Sea", "Gulf of Aden", "Strait of Hormuz").
WATER_WORDS = frozenset({
    "sea", "seas", "ocean", "gulf", "bay", "bight", "strait", "straits", "channel", "sound", "passage",
    "lake", "lagoon", "river",
})
# "the Atlantic", "the eastern Pacific", "the central Mediterranean": the article, perhaps one
# lower-case word between it and the name
_THE_BEFORE = re.compile(r"\b[Tt]he\s+(?:[a-z]+(?:-[a-z]+)?\s+)?$")
_LOOK_BACK = 32


def is_water(c: Candidate) -> bool:
    """True for a reading from the water layer."""
    return c.place.water


def mixed(cands: tuple[Candidate, ...]) -> bool:
    """True when the readings are some water, some land (what makes `water_or_land` worth asking)."""
    water = sum(1 for c in cands if is_water(c))
    return 0 < water < len(cands)


def water_words(key: str) -> bool:
    """True when a normalised name holds a water word ("gulf of aden"; not "atlantic")."""
    return any(w in WATER_WORDS for w in key.split())


def water_or_land(text: str, start: int, key: str, hint: str | None, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """The readings the text allows of a name that is both water and land; others are returned as they are.

    - a name with a water word is water ("Red Sea"), unless a level word next to it asks for a
      land unit ("Red Sea state" is Sudan's, "Red Sea governorate" Egypt's);
    - a bare name is land when a land reading is a country, region or continent ("Jordan", "Niger");
    - else it is water after "the" ("the Atlantic") and land without it ("Atlantic, Iowa").
    """
    if not mixed(cands):
        return cands
    water = tuple(c for c in cands if is_water(c))
    land = tuple(c for c in cands if not is_water(c))
    if water_words(key):
        return water if hint is None or hint == "feature" else cands
    if any(c.place.level in BIG for c in land):
        return land
    the = key.startswith("the ") or _THE_BEFORE.search(text, max(0, start - _LOOK_BACK), start) is not None
    return water if the else land

