"""The words around a place mention that say how it relates to an event: in/at/near phrases, distances,
coordination, owners and persons, datelines, demonyms and seats of government (used by `geo.extract.locate`)."""

from __future__ import annotations

import re
from functools import cache

from gazetteer.mentions.lexicon import load_lexicon
from gazetteer.mentions.matcher import (
    _demonym_key,  # the matcher's own reading: "Iraqi", "Iraqis"
)
from gazetteer.names import normalize
from geo.extract.date_patterns import occasion_words
from geo.extract.features import function_words
from geo.model import Article, Span

# An Arabic article glued to the name the mention leaves out: "captured al-Qaim" (the mention is "Qaim").
_GLUED_ARTICLE = r"(?:(?:al|el|ad|ar|as|ash|at|an|az)-)?"
# Between a trigger verb and its object place: an article, "the town/city/province of", an Arabic article
# glued to the name ("seized Qaim", "captured the city of Mosul", "retook al-Qaim").
OBJECT_GAP = re.compile(r"\s+(?:the\s+)?(?:(?:town|city|village|province|district|region)\s+of\s+)?" + _GLUED_ARTICLE,
                        re.IGNORECASE)
# "the eastern city of", "the northern province of", "the Hakurk region of northern": what kind of place the name
# is (or lies in), between a preposition and the name it governs.
_KIND_OF = (r"(?:(?:the\s+)?(?:[\w’'-]+\s+){0,2}(?:city|town|village|province|district|region|area|capital|port|camp|state|"
            r"county|governorate|municipality|prefecture|township|island|enclave|neighbou?rhood|quarter|suburb)\s+of\s+"
            r"(?:(?:the\s+)?(?:north|south|east|west|central)[a-z]*\s+)?)?")
# The words between the preposition and the name describe the place ("in the northern rebel-held"); a
# preposition among them opens a phrase of its own ("in solidarity with the Moscow protesters").
_DESCRIBING = r"(?:(?!(?:with|for|against|to|from|by|about|after|before|during|between|among|than)\s)[\w’'-]+\s+)"
# Words right before a mention that tie it to an event happening there (ACLED precision 1) ...
_AT = re.compile(r"(?:\b(?:in|at|inside|into|across|throughout|on|over|hit|struck|targeted|attacked|entered|"
                 r"seized|retook|recaptured|captured|stormed|overran)\s+(?:the\s+)?" + _DESCRIBING + "{0,3})"
                 + _KIND_OF + _GLUED_ARTICLE + "$",
                 re.IGNORECASE)
# ... or only near it (ACLED precision 2); "off Misrata", "off the coast of Libya": at sea near it.
_NEAR = re.compile(r"(?:\b(?:near|outside|around|off|outskirts\s+of|edge\s+of|close\s+to|"
                   r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of)\s+"
                   r"(?:the\s+)?(?:[\w’'-]+\s+){0,2})" + _KIND_OF + _GLUED_ARTICLE + "$", re.IGNORECASE)
# "280 km (175 miles) southwest of Mosul": a reference point, not where it happened.
_DISTANCE = re.compile(r"(\d[\d,.]*)\s*(?:km|kms|kilometres|kilometers|miles?)\b[^.;]{0,30}?"
                       r"\b(?:of|from)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}" + _GLUED_ARTICLE + "$", re.IGNORECASE)
# "KABUL (Reuters) -" at the start of the body, for articles read without a parsed dateline.
_WIRE_DATELINE = re.compile(r"[^\n()]{2,80}?\((?:Reuters|REUTERS|AP|AFP)\)\s*[-–—]")
# A place further than this from the event ("280 km southwest of Mosul") is a reference point, not where
# it happened; nearer, the event happened near it.
_FAR_KM = 25.0
_KM_PER_MILE = 1.609

_INITIAL = re.compile(r"\b[A-Z]\.\s+$")
# Where a person is from: an age told beside a person ("James Hodgkinson, 66, from the St. Louis suburb of",
# "a 29-year-old man from", "36-year-old Sgt. John Doe of"), then "of" or "from", then at most a few words of
# the place's own phrase; or a town named that way with its state or country after it ("of Austin, Texas").
_ORIGIN = re.compile(
    r"(?:,\s+(?:a\s+)?\d{1,3}(?:-year-old)?,\s+|\b\d{1,3}-year-old\s+(?:[\w.'’-]+\s+){0,5}?)(?:of|from)\s+"
    r"(?:the\s+)?(?:(?:[\w.'’-]+\s+){1,3}(?:suburb|outskirts|town|city|village|area|state|province|region|county)\s+of\s+)?"
    r"(?:[A-Z][\w.'’-]*\s+){0,3}?(?:[A-Z][\w.'’-]*,\s+)?$"
    # ... or said so: "born in Kyrgyzstan", "a native of Aleppo", "who hails from Kano"
    r"|\b(?:born|raised|grew\s+up|natives?\s+of|hails?\s+from|hailed\s+from|hailing\s+from)\s+(?:in\s+)?(?:the\s+)?$")
# A sentence that opens on where ("In Ukraine, police arrested ..."): the fronted place governs the main
# clause after its comma, which would otherwise count as another clause.
_FRONTED = re.compile(r"[\W]*(?:(?:later|earlier|meanwhile|elsewhere|also)\s*,?\s+)?(?:in|at|near|outside|inside|across|"
                      r"on\s+the\s+outskirts\s+of)\s+(?:the\s+)?(?:[\w’'.-]+\s+){0,3}" + _GLUED_ARTICLE, re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s+[\w’'-]+")

# Before a seat of government ("the White House"), the words that make it where something happened.
_AT_SEAT = re.compile(r"\b(?:in|at|inside|outside|near|to|into|from|around|toward|towards|opposite)\s+(?:the\s+)?$",
                      re.IGNORECASE)
# Between two coordinated places: "and", "or", a comma, a few words of description ("the province of").
_COORDINATED = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?(?:[a-z][\w’'-]*\s+){0,3}")
# A plural noun of places after a place, and the list it opens: "in Kenya's three main cities - Kisumu, Nairobi
# and Mombasa", "in several towns of the north, including Gao and Timbuktu".
_PLACES_NOUN = (r"(?:cities|towns|provinces|regions|districts|villages|states|governorates|counties|townships|"
                r"neighbourhoods|neighborhoods|camps)")
# A dash, a colon or a comma opens the list; so do runs of spaces where copy lost its dashes ("cities   Kisumu").
_LIST_OPENS = (r"(?:\s*[-–—:(]\s*|\s{2,}|\s*,\s*(?:including\s+|such\s+as\s+|namely\s+)?|\s+(?:including|such\s+as|"
               r"namely|like)\s+)")
_ENUMERATION = re.compile(r"(?:['’]s|\s+s(?=\s))?\s+(?:[\w’'-]+\s+){0,4}?" + _PLACES_NOUN + _LIST_OPENS + r"(?:the\s+)?",
                          re.IGNORECASE)
# ... or the noun before the place ("in several towns of Mali, including Gao and Timbuktu").
_PLACES_OF = re.compile(_PLACES_NOUN + r"\s+(?:of|in|across)\s+(?:the\s+)?$", re.IGNORECASE)
_LIST_AFTER = re.compile(r"\s*(?:[-–—:(]\s*|,\s*(?:including|such\s+as|namely)\s+)(?:the\s+)?", re.IGNORECASE)
# ... but not words that make the next place a reference point: "al-Mayadin, southeast of Deir al-Zor".
_RELATIVE = re.compile(r"\b(?:(?:north|south)(?:-?(?:east|west))?|east|west|near|outside|from|beyond|across|toward|"
                       r"towards|between|upstream|downstream|opposite|past|off)\b")


def _km(far: re.Match[str]) -> float:
    """Kilometres in a "280 km (175 miles) southwest of" phrase (miles converted; unreadable: beyond reach)."""
    try:
        km = float(far.group(1).replace(",", ""))
    except ValueError:
        return _FAR_KM + 1
    return km * _KM_PER_MILE if "mile" in far.group(0).lower() else km


# A preposition that opens a place phrase; verbs that govern a place ("seized Qaim") do not open one.
_PREPOSITION = re.compile(r"\b(?:in|at|inside|into|across|throughout|on|over|near|outside|around)\b", re.IGNORECASE)


def _phrase_start(before: str) -> int:
    """Where the phrase ending at a place starts in `before`, the text up to the place's name.

    The innermost preposition that still reaches the place ("in the east near " -> "near "), else
    words like "north of" or "close to"; the name alone when nothing opens a phrase.

    >>> [_phrase_start(b) for b in ("fighting in the east near ", "on the outskirts of ", "hit targets in ",
    ...                             "seized ", "clashes close to ")]
    [21, 0, 12, 7, 8]
    """
    for m in reversed(list(_PREPOSITION.finditer(before))):
        if _AT.match(before, m.start()) or _NEAR.match(before, m.start()):
            return m.start()
    near = _NEAR.search(before)
    return near.start() if near else len(before)


# Between a country and the trigger after it, a few words with no preposition ("British special forces
# and air strikes", "French jets hit"): the country is whose forces act, not where.
# "to" before a verb ("prompted the United States to carry out missile strikes") marks an infinitive, not a
# place it went to: only "to" before a name, a number or a determiner is a preposition here.
_WHOSE_GAP = re.compile(r"(?:['’]s)?(?:\s+(?!(?:in|at|near|on|of|from|into|inside|outside|across|around|over|"
                        r"against|between|towards|through|within)\b|to\s+(?:the|a|an|its|their)\b|to\s+(?-i:[A-Z\d]))"
                        r"[\w’'.-]+){0,4}\s*", re.IGNORECASE)
# A possessive place followed by a common noun ("Iraq's request"); a name after it is another place.
_POSSESSIVE = re.compile(r"(?:['’]|[ \t])s\s+[a-z]")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


def _bracketed_container(text: str, floor: int, start: int) -> bool:
    """True if the mention at `start` stands in brackets right after a name: "Dinangourou (Koro, Mopti)".

    >>> t = "JNIM looted livestock in Dinangourou (Koro, Mopti)."
    >>> _bracketed_container(t, 0, t.index("Koro")), _bracketed_container(t, 0, t.index("Mopti"))
    (True, True)
    >>> _bracketed_container("Clashes in Mopti (central Mali).", 0, 11)
    False
    """
    opened = text.rfind("(", floor, start)
    if opened < 0 or ")" in text[opened:start] or not re.fullmatch(r"[\w\s,’'.-]*", text[opened + 1:start]):
        return False
    return bool(re.search(r"[A-Za-z]\w*\s*$", text[floor:opened]))


# The object of an event named only by its country's adjective: "a strike on a Syrian air base", "shelled
# Indian army posts", "raided a Yemeni village". The noun is a place or a position, never people or
# weapons ("Syrian refugees", "Russian jets" are actors or instruments, not where it happened).
_TARGET_REACH = 60
_TARGET = re.compile(
    r"\s+(?:[a-z]+\s+){0,3}?(?:(?:a|an|the|two|three|four|five|several|some)\s+)?(?P<adj>[A-Z][a-z]+)\s+"
    r"(?:(?:army|military|government|air|naval|border|police|security|rebel|militia|opposition|frontier)\s+){0,2}"
    r"(?:air\s*base|airbase|airfield|base|bases|position|positions|post|posts|outpost|outposts|checkpoint|"
    r"checkpoints|village|villages|town|towns|city|territory|soil|garrison|barracks|port|airport)\b")


# A country's land named by its adjective anywhere after the trigger in its sentence: "killed the group's leader,
# a man wanted in three countries, on Pakistani territory", "inside Syrian airspace".
_ON_TERRITORY = re.compile(r"\b(?:on|in|inside|into|within)\s+(?P<adj>[A-Z][a-z]+)\s+(?:territory|soil|airspace|"
                           r"territorial\s+waters)\b")


def target_country(text: str, start: int, end: int) -> tuple[str, re.Match[str]] | None:
    """(ISO code, match: group "adj" the adjective) of the country whose adjective names the object within
    `_TARGET_REACH` characters after a trigger ending at `start`, and before `end`; None when there is none.

    >>> code, m = target_country("A U.S. missile strike hit a Syrian air base on Friday.", 21, 54)
    >>> code, m.group("adj"), m.group(0).strip()
    ('SY', 'Syrian', 'hit a Syrian air base')
    >>> target_country("The strike killed Syrian civilians.", 10, 35) is None
    True
    """
    m = _TARGET.match(text, start, min(end, start + _TARGET_REACH)) or _ON_TERRITORY.search(text, start, end)
    if m is None:
        return None
    got = _demonym_key(normalize(m.group("adj")), load_lexicon())
    return (got[3:], m) if got and got.startswith("cc:") else None


def _demonym_countries(text: str) -> set[str]:
    """ISO codes of the countries whose demonym the text uses ("Iraqi", "Syrians")."""

    lex = load_lexicon()
    out = set()
    for word in set(_CAPITALISED.findall(text)):
        got = _demonym_key(normalize(word), lex)
        if got and got.startswith("cc:"):
            out.add(got[3:])
    return out


def _is_seat(name: str) -> bool:
    """True for a building that stands for a government ("White House", "Kremlin"; name_variants.csv)."""

    got = load_lexicon().variants.get(normalize(name))
    return got is not None and got[1] == "seat"


def _wire_dateline(article: Article) -> Span | None:
    """Span of a "CITY (Reuters) -" opening when the reader gave no dateline."""
    start = article.body_span.start if article.body_span else 0
    m = _WIRE_DATELINE.match(article.text, start)
    return Span(m.start(), m.end()) if m else None

# A preposition right before a name, with at most an article between ("in U.S. waters", "across the
# United States", "a rebel-held area of Syria prompted"): the name is governed as a place, whatever follows it.
_GOVERNED = re.compile(r"\b(?:in|at|near|inside|into|across|throughout|over|around|within|from|to|toward|towards|"
                       r"outside|(?:area|areas|part|parts|city|town|province|region|outskirts|north|south|east|west|"
                       r"northeast|northwest|southeast|southwest|centre|center|heart|capital|border|borders|coast|"
                       r"territory|rest|whole)\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
# The word right after a name, with nothing but spaces between.
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w’'-]*)")
# A word of time after a name ("Syria last week", "Iraq on Friday" is a preposition already).
_TIME_WORD = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec|"
                        r"january|february|march|april|june|july|august|september|october|november|december|today|tonight|"
                        r"yesterday|overnight|last|next|early|late|earlier|later|recently|now|then|ago|since|until|"
                        r"this|week|weeks|month|months|year|years)", re.IGNORECASE)


def _modifies_next(text: str, end: int) -> bool:
    """True if the name ending at `end` stands right before a content word ("U.S. counter-terrorism
    mission", "U.S. Black Hawk helicopters"): not one of the detector's function words
    (`geo.extract.features.function_words`), a time word, or anything after punctuation."""
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return False
    word = m.group(1).lower()
    return word not in function_words() and not _TIME_WORD.fullmatch(word)


@cache
def _occasion_phrase() -> re.Pattern[str]:
    """A phrase of time headed by an occasion (date_named_events.csv, where=occasion) that runs up to a place:
    "after talks between their military chiefs in", "ahead of a summit in"."""
    return re.compile(r"(?i)\b(?:after|before|ahead\s+of|following|since|until)\s+(?:[\w’'-]+\s+){0,2}?(?:"
                      + "|".join(occasion_words()) + r")\b[^,;:.()]{0,60}$")


def occasion_place(text: str, trigger_end: int, start: int) -> bool:
    """True if the place at `start`, after a trigger ending at `trigger_end`, is an occasion's that times the
    event, not where the event happened: "agreed to halt the fighting, after talks in Moscow".

    >>> t = "Both sides agreed to halt the fighting after talks between their chiefs in Moscow."
    >>> occasion_place(t, t.index("fighting") + 8, t.index("Moscow"))
    True
    >>> t = "A bomb exploded at a meeting in Kabul after the talks."
    >>> occasion_place(t, t.index("exploded") + 8, t.index("Kabul"))
    False
    """
    return start > trigger_end and bool(_occasion_phrase().search(text, trigger_end, start))
