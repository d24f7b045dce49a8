"""Whether a gazetteer key found in text is a place mention: a table of named rules, tried in order.

Each rule looks at the candidate in its text (a `Spot`) and, when it applies, decides: `ACCEPT`
("White House" is listed as a place) or `REJECT` ("Jordan Spieth" is a person). The first rule that
applies decides; a candidate no rule stops is a mention. A change is one row of `RULES`, and its
effect is measured on the gold corpora (`python -m geo.evaluate.geoparse`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

from gazetteer.mentions.lexicon import Lexicon
from gazetteer.mentions.patterns import (
    _ADJACENT,
    _DATELINE_MARK,
    _LIST_AFTER,
    _LIST_BEFORE,
    _NEXT_WORD,
    _OF_THE_NAME,
    _POSSESSIVE_WORD,
    _SENT_END,
    _article_before,
    _cap_word,
    _is_title_line,
    _level_word_after,
    _prev_word,
)
from gazetteer.names import normalize

__all__ = ["ACCEPT", "REJECT", "RULES", "MatcherView", "Rule", "Spot", "Surface", "accepts", "deciding_rule", "surface_info"]

ACCEPT, REJECT = True, False
_LOOK_BACK = 40          # characters before a name searched for the word before it
_ARTICLE_TAIL = 6        # "al-", " de ": an article before the name ends within this many characters
# "Justice." ends a sentence; "Gen." or "St." is an abbreviation inside a name: longer words with
# a full stop end sentences.
_LONGEST_ABBREVIATION = 5
_SPEAKER_BUCKET = 10     # below this importance bucket, a one-word name followed by "said" is a person
_HYPHENS = "-‐"
# A person's age set off by commas right after the name, as wire copy gives it: "Wa Lone, 31, and".
_AGE_AFTER = re.compile(r",\s*(?:aged\s+)?\d{1,3}\s*,")


class Surface(NamedTuple):
    """What the rules need to know about a surface form wherever it stands (memoised by the matcher)."""

    key: str             # normalised
    single: bool         # one word
    caps: bool           # all capitals
    acronym: bool        # listed as an acronym ("US", "U.N.")
    capitalised: bool    # its last word starts with a capital or a digit
    rejected: bool       # a stop word or a demonym
    listed: bool         # written in name_variants.csv as a place ("White House", "Atlantic")


def surface_info(surface: str, lex: Lexicon, demonym_key: Callable[[str, Lexicon], str | None]) -> Surface:
    """The `Surface` facts of a surface form."""
    words = surface.split()
    key = normalize(surface)
    letters = [c for c in surface if c.isalpha()]
    last = words[-1].rsplit("-", 1)[-1] or words[-1]   # "Deir el-Zour" ends with "Zour"
    listed = lex.variants.get(key)
    return Surface(
        key=key, single=len(words) == 1,
        caps=len(letters) > 1 and all(c.isupper() for c in letters),
        acronym=key in lex.acronyms or key.replace(" ", "") in lex.acronyms,
        capitalised=last[:1].isupper() or last[:1].isdigit(),
        rejected=key in lex.stop_always or demonym_key(key, lex) is not None,
        listed=listed is not None and listed[1] in ("any", "seat"),
    )


class MatcherView(Protocol):
    """What the rules read from the matcher that runs them (the matcher imports this module, so it is named by its shape)."""

    lex: Lexicon
    min_bucket: int              # importance bucket below which a one-word name needs a place slot
    major_bucket: int            # provinces, countries and big cities
    person_leads: frozenset[str]  # titles and first names, which open a person's name ("Queen Elizabeth")


class _once:        # noqa: N801 - used as a decorator, like functools.cached_property
    """`functools.cached_property` without its lock (Python 3.11 takes one at each first read, which costs more
    than most of these facts): the value is stored in the instance's dict, which later reads find first."""

    def __init__(self, func: Callable):
        self.func = func
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, spot, owner=None):
        if spot is None:
            return self
        value = spot.__dict__[self.name] = self.func(spot)
        return value


class Spot:
    """A candidate mention in its text; each fact about its surroundings is worked out once, when a rule asks."""

    def __init__(self, matcher: MatcherView, text: str, start: int, end: int, surface: str, bucket: int, source: str,
                 prev_end: int, info: Surface):
        self.m = matcher
        self.lex = matcher.lex
        self.text, self.start, self.end, self.surface = text, start, end, surface
        self.bucket = bucket          # importance, 0..15
        self.source = source          # "gazetteer" or "dateline"
        self.prev_end = prev_end      # end of the mention before it, -1 if none
        self.info = info
        self.single = info.single
        self.key = info.key

    @_once
    def major(self) -> bool:
        """Provinces, countries, big cities and acronyms: they count even inside longer names."""
        return self.bucket >= self.m.major_bucket or self.info.acronym

    @_once
    def before(self) -> str:
        """The text just before the name, without an article that belongs to it ("al-", "de ")."""
        before = self.text[max(0, self.start - _LOOK_BACK):self.start]
        # Both patterns end at the end of `before`, so only its tail need be searched.
        art = _article_before().search(before, max(0, len(before) - _ARTICLE_TAIL))
        return before[: art.start() + 1] if art else before

    @_once
    def prev(self) -> tuple[str, str] | None:
        """The word before: (the word with what follows it, the word)."""
        return _prev_word(self.before)

    @_once
    def prev_text(self) -> str:
        return self.prev[1] if self.prev else ""

    @_once
    def prev_word(self) -> str:
        return self.prev_text.rstrip(".").lower()

    @_once
    def adjacent(self) -> bool:
        """The word before is right next to the name, in the same sentence."""
        if self.prev is None or _ADJACENT.fullmatch(self.prev[0]) is None:
            return False
        # "... of Justice. Azerbaijan": a sentence ended, not a title
        return not (self.prev_text.endswith(".") and len(self.prev_text) > _LONGEST_ABBREVIATION)

    @_once
    def sentence_start(self) -> bool:
        return _SENT_END.search(self.before, max(0, len(self.before.rstrip()) - 1)) is not None

    @_once
    def title_line(self) -> bool:
        """The name stands in a title-case line (a headline), where every word is capitalised."""
        return _is_title_line(self.text, self.start)

    @_once
    def next_cap(self) -> str | None:
        """The capitalised word after the name, lower case."""
        after = _cap_word().match(self.text, self.end)
        return after.group(1).lower() if after else None

    @_once
    def org(self) -> bool:
        """The word after makes it an organisation: "Gainesville Police", "Georgia Bureau"."""
        return self.next_cap in self.lex.org_words and self.bucket >= self.m.min_bucket

    @_once
    def locative(self) -> bool:
        """It stands where a place must: after "in", before a level word, in a list of places."""
        text, end = self.text, self.end
        if self.adjacent and self.prev_word in self.lex.locatives:
            return True
        if _level_word_after(text, end, self.lex.level_words):
            return True
        after = _LIST_AFTER.match(text, end)
        if after and not _POSSESSIVE_WORD.match(text, after.end() - 1):
            return True   # "Pandi, Bulacan"; not "Nissan, Japan's second-largest automaker"
        before = _LIST_BEFORE.search(text, max(0, self.start - 3), self.start)
        # A list goes on from a place: "Kurram, Bajaur", not "A former San Antonio mayor, Castro was"
        return before is not None and self.prev_end == before.start()

    @property
    def small_single(self) -> bool:
        """One word, not a major place: the names most often something else."""
        return self.single and not self.major


# ------------------------------------------------------------------ the rules
def _all_capitals(s: Spot) -> bool:
    """All capitals is a heading or an acronym, unless it opens a dateline ("BEIRUT: ")."""
    return s.info.caps and s.source != "dateline" and not s.info.acronym \
        and not (s.bucket >= s.m.min_bucket and _DATELINE_MARK.match(s.text, s.end))


def _lower_case(s: Spot) -> bool:
    return not s.info.caps and not s.info.capitalised


def _stop_word(s: Spot) -> bool:
    return s.info.rejected


def _listed(s: Spot) -> bool:
    return s.info.listed


def _in_dateline(s: Spot) -> bool:
    return s.source == "dateline"


def _after_title(s: Spot) -> bool:
    """"President Jordan", "Mr. Washington"."""
    return s.prev_word in s.lex.titles and s.adjacent


def _sentence_opener(s: Spot) -> bool:
    """A key that, opening a sentence, is a common word ("After", "Also"; stopwords.txt [sentence-start])."""
    return s.single and s.key in s.lex.stop_initial and s.sentence_start


def _common_opener(s: Spot) -> bool:
    """A little-known one-word name that opens a sentence and that the same text writes elsewhere in lower case,
    as a word: "Liberal groups staged rallies" beside "a liberal senator", "Unity was restored" beside "calls for
    unity". Capitalised only because it opens the sentence; a place slot ("In Liberal, police ...") still wins."""
    return s.single and not s.major and s.sentence_start and not s.locative \
        and _written_in_lower_case(s.text, s.surface.lower())


def _written_in_lower_case(text: str, word: str) -> bool:
    """True if `word` (lower case) stands in `text` as a whole word, written so."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _word_char(text[at - 1])) and (end == len(text) or not _word_char(text[end])):
            return True
        at = text.find(word, at + 1)
    return False


def _word_char(c: str) -> bool:
    """A character that continues a word ("liberal's", "anti-liberal" are other words)."""
    return c.isalnum() or c in "'’-_"


def _inside_name(s: Spot) -> bool:
    """Inside a longer capitalised name: "Tigris River", "Marine Le Pen", "Asaib Ahl al-Haq"; a major
    place still counts there ("Six Flags Over Texas", "Iraqi Kurdistan"), and so does any in a headline."""
    pw = s.prev_text
    if not (s.single and s.adjacent and pw[:1].isupper() and s.prev_word not in s.lex.modifiers):
        return False
    if s.prev_word in s.lex.locatives and s.prev is not None and _opens_sentence(s.text, s.start - len(s.prev[0])):
        return False     # "Near Narbonne, police ...": a preposition capitalised only because it opens the sentence
    if s.major and s.prev_word not in s.lex.first_names:
        return False
    return not s.title_line and (not pw.endswith(".") or pw.count(".") > 1)


def _opens_sentence(text: str, at: int) -> bool:
    """True if the word at `at` opens a sentence (or the text)."""
    return bool(_SENT_END.search(text, max(0, at - 40), at))


def _first_name(s: Spot) -> bool:
    """"Jordan Spieth", "Mark Heinrich"."""
    return s.single and (s.key in s.lex.first_names or s.key in s.lex.place_first_names) \
        and s.next_cap is not None and not s.org


def _name_goes_on(s: Spot) -> bool:
    """"Apache helicopters" aside, a small place followed by a capitalised word is usually part of a
    name: "Walker Street", "Boone Pickens"."""
    if not s.small_single:
        return False
    nxt = s.next_cap
    return nxt is not None and not s.org and nxt not in s.lex.level_words \
        and not nxt.endswith(("’s", "'s")) and not s.title_line


def _speaker(s: Spot) -> bool:
    """"Jackson said": a little-known one-word name before a speech verb is a person."""
    return s.single and s.bucket < _SPEAKER_BUCKET and _speech_after(s.lex.speech_after).match(s.text, s.end) is not None


@lru_cache(maxsize=4)
def _speech_after(verbs: frozenset[str]) -> re.Pattern[str]:
    """Whitespace, then one of the lexicon's speech verbs as a whole word (never matches without verbs)."""
    return re.compile(r"\s+(?:" + ("|".join(sorted(map(re.escape, verbs))) or "(?!)") + r")\b")


def _of_the_name(s: Spot) -> bool:
    """"Temple of the Emerald Buddha": a word opening a longer name."""
    return s.small_single and _OF_THE_NAME.match(s.text, s.end) is not None


def _person_noun_after(s: Spot) -> bool:
    """A word for people after it: "the Obama administration"."""
    if not s.small_single:
        return False
    nxt = _NEXT_WORD.match(s.text, s.end)
    return nxt is not None and nxt.group(1) in s.lex.person_nouns


def _age_after(s: Spot) -> bool:
    """"Wa Lone, 31, and Kyaw Soe Oo, 27, were arrested": a name with an age after it is a person's."""
    return _AGE_AFTER.match(s.text, s.end) is not None


def _compound(s: Spot) -> bool:
    """"Wal-Mart", "Coca-Cola": part of a compound word."""
    text, end = s.text, s.end
    return s.small_single and end < len(text) - 1 and text[end] in _HYPHENS and text[end + 1].isalpha()


def _surname(s: Spot) -> bool:
    """"Williams", "Clark": a surname unless it stands where a place must."""
    return s.small_single and s.key in s.lex.surnames and not s.locative


def _after_speech_verb(s: Spot) -> bool:
    return s.small_single and s.prev_word in s.lex.speech_before


def _person(s: Spot) -> bool:
    """"Queen Elizabeth", "Prince William": a person unless it stands where a place must."""
    return not s.single and not s.major and _person_like(s) and not s.locative


def _little_known(s: Spot) -> bool:
    """A little-known place name needs a place slot: "in Pandi", "Pandi, Bulacan", "Pandi town"."""
    return s.single and s.bucket < s.m.min_bucket and s.key not in s.lex.acronyms and not s.locative


def _person_like(s: Spot) -> bool:
    """A title or first name followed by a first name or surname: "Queen Elizabeth", "Prince George"."""
    words = s.surface.lower().replace(".", "").split()
    return len(words) == 2 and words[0] in s.m.person_leads \
        and (words[1] in s.lex.first_names or words[1] in s.lex.surnames)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its name, what it decides when it applies, and the test of whether it applies."""

    name: str
    verdict: bool
    applies: Callable[[Spot], bool]


RULES: tuple[Rule, ...] = (
    Rule("all capitals", REJECT, _all_capitals),
    Rule("lower case", REJECT, _lower_case),
    Rule("age after", REJECT, _age_after),
    Rule("stop word or demonym", REJECT, _stop_word),
    Rule("listed as a place", ACCEPT, _listed),
    Rule("in a dateline", ACCEPT, _in_dateline),
    Rule("after a title", REJECT, _after_title),
    Rule("sentence opener", REJECT, _sentence_opener),
    Rule("common word opening a sentence", REJECT, _common_opener),
    Rule("inside a longer name", REJECT, _inside_name),
    Rule("first name", REJECT, _first_name),
    Rule("name goes on", REJECT, _name_goes_on),
    Rule("speaker", REJECT, _speaker),
    Rule("opens an 'of the' name", REJECT, _of_the_name),
    Rule("person noun after", REJECT, _person_noun_after),
    Rule("compound word", REJECT, _compound),
    Rule("surname", REJECT, _surname),
    Rule("after a speech verb", REJECT, _after_speech_verb),
    Rule("person", REJECT, _person),
    Rule("little known, no place slot", REJECT, _little_known),
)


def deciding_rule(spot: Spot) -> Rule | None:
    """The first rule that applies to `spot`, or None."""
    for rule in RULES:
        if rule.applies(spot):
            return rule
    return None


def accepts(spot: Spot) -> bool:
    """The verdict of the first rule that applies; a mention if none does."""
    rule = deciding_rule(spot)
    return ACCEPT if rule is None else rule.verdict
