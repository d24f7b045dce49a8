"""An event told as a phrase with its own place and time ("the 2012 attacks on Benghazi", "Russia annexed
Crimea in March 2014"): a specific event told in passing, which counts as evidence of its own
(`geo.extract.incidents`)."""

from __future__ import annotations

import re

from geo.extract.place_words import OBJECT_GAP
from geo.extract.triggers import Hit
from geo.read.text import MONTH_WORD, Sentence

__all__ = ["anchored"]

# An event told as a noun phrase with its own anchors: "the 2012 attacks on Benghazi", "Moscow's 2014
# annexation of Crimea", "the mass shooting in San Bernardino last year". A determiner, possessive or
# year opens the phrase a few words before the trigger noun ...
_OPENS_NP = re.compile(r"(?:\b(?:the|a|an|this|that|these|those|its|their|his|her|recent|last)|['’]s|\b(?:19|20)\d\d)"
                       r"\s+(?:[\w’'.-]+\s+){0,3}$", re.IGNORECASE)
# ... a time inside the phrase makes it one occurrence: before the noun ("the 2012 attacks", "last year's
# bombing", "recent strikes"), between noun and place ("the attacks last year in Paris") or right after the
# place, its container or a short apposition ("in San Bernardino, California, last year", "in London in 2006",
# "on Syria, a staunch Russian ally, last week").
_TIME = (r"(?:(?:19|20)\d\d|(?:last|this)\s+(?:year|month|week)|" + MONTH_WORD + r"\s+(?:\d|(?:19|20)\d\d))")
_TIME_BEFORE = re.compile(r"\b(?:" + _TIME + r"|recent)(?:['’]s)?\s+(?:[\w’'.-]+\s+){0,3}$", re.IGNORECASE)
_TIME_AFTER = re.compile(r"(?:,?\s+(?-i:[A-Z])[\w’'.-]*(?:\s+(?-i:[A-Z])[\w’'.-]*)*,?|,(?:\s+[\w’'.-]+){1,6},)?"
                         r"\s+(?:in\s+|on\s+|early\s+|late\s+)?"
                         + _TIME + r"\b", re.IGNORECASE)
# ... and a place phrase follows the noun at once ("attacks on Washington", "bombing in Syria's Idlib").
_PLACE_PP = re.compile(r"\s+(?:(?:last|this)\s+(?:year|month|week)\s+)?(?:on|in|at|against|near|outside|around|of)\s+"
                       r"(?:the\s+)?(?:[\w’'-]+\s+){0,4}$", re.IGNORECASE)
_NP_REACH = 50           # characters looked back for the opening word, and on to the place


def anchored(text: str, sentence: Sentence, hit: Hit, place_start: int, place_end: int) -> bool:
    """True if the trigger is the head noun of a phrase that names its own place and time ("the 2001
    attacks on Washington and New York"): a specific event told in passing, not a figure of speech
    ("the nominating battles in Arizona") or a trend.

    >>> t = "It mentions the 2012 attacks on Benghazi, which critics cite."
    >>> h = Hit("attack_on_civilians", 0.45, t.index("attacks"), t.index("attacks") + 7, "attacks")
    >>> anchored(t, Sentence(0, len(t), t, 0, 0), h, t.index("Benghazi"), t.index("Benghazi") + 8)
    True
    >>> t = "Militants attacked on Tuesday in Benghazi."
    >>> h = Hit("attack_on_civilians", 0.45, 10, 18, "attacked")
    >>> anchored(t, Sentence(0, len(t), t, 0, 0), h, t.index("Benghazi"), t.index("Benghazi") + 8)
    False
    """
    if place_start < hit.end or place_start - hit.end > _NP_REACH:
        return False
    if _VERB_FORM.fullmatch(hit.text):
        return _verb_anchored(text, sentence, hit, place_start, place_end)
    if not _OPENS_NP.search(text, max(sentence.start, hit.start - _NP_REACH), hit.start):
        return False
    between = _PLACE_PP.fullmatch(text, hit.end, place_start)
    if not between:
        return False
    return bool(_TIME_BEFORE.search(text, max(sentence.start, hit.start - _NP_REACH), hit.start)
                or re.search(_TIME, between.group(0), re.IGNORECASE)
                or _TIME_AFTER.match(text, place_end, min(sentence.end, place_end + _NP_REACH)))


def _verb_anchored(text: str, sentence: Sentence, hit: Hit, place_start: int, place_end: int) -> bool:
    """A past-tense trigger with its place as object and a year or a month right after it ("Islamic State,
    which seized Mosul in 2014, ..."; "Russia annexed Crimea in March 2014"): one specific past event.

    >>> t = "Islamic State, which seized Mosul in 2014, still has fighters."
    >>> h = Hit("territory_captured", 0.85, t.index("seized"), t.index("seized") + 6, "seized")
    >>> _verb_anchored(t, Sentence(0, len(t), t, 0, 0), h, t.index("Mosul"), t.index("Mosul") + 5)
    True
    """
    if not OBJECT_GAP.fullmatch(text, hit.end, place_start):
        return False
    return bool(_TIME_AFTER.match(text, place_end, min(sentence.end, place_end + _NP_REACH)))


_VERB_FORM = re.compile(r"\w+ed|(?:took|fought|fled|drove|shot|won|hit|struck|fell|overran|blew|seized)", re.IGNORECASE)
