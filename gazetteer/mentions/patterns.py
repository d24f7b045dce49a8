"""Text patterns the mention finder tests around a candidate, several with a fast equivalent.

The fast forms give exactly what the plain patterns would (tests compare them on random text):
they are written so the regex engine can jump to a literal or character set instead of trying
every offset, or they search from the end of a text instead of from its start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from gazetteer.mentions.lexicon import load_lexicon

_PREV_WORD = re.compile(r"([A-Za-z][\w’'\-.]*)\W*$")   # the meaning; `_prev_word` is the fast way
# The last run of word characters (and ’ ' - .) in a reversed text, after the non-word tail.
_REV_RUN = re.compile(r"\W*?([’'\-.]*\w[\w’'\-.]*)")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_SENT_END = re.compile(r"(?:^|[.!?:;\"“”‘’(\[\n\-–—])\s*$")   # a dash ends a dateline: "(Reuters) - One"
# "Temple of the Emerald Buddha", "Dome of the Rock": a word opening a longer name.
_OF_THE_NAME = re.compile(r" of the [A-Z]")
_HINT_AFTER = re.compile(r"[ \t]+([A-Za-z\-]+)")
_CAP_AFTER = re.compile(r"[^\S\n]+(?!(?:Of|In|On|At|The|And|For|To|As|After|Near)\b)[A-Z]")   # not a title-case headline's "Of"
_HINT_BEFORE = re.compile(r"\b([A-Za-z\-]+)[ \t]+of[ \t]+(?:the[ \t]+)?$")
_COMMA = re.compile(r",[ \t]*$")
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)")
# A capitalised word right before a mention, which may name a part of it ("Eastern" Ghouta).
_PART_BEFORE = re.compile(r"([A-Z][a-z]+(?:-[a-z]+)?) $")
# After an all-caps place name, what marks it as a dateline inside the text: "BEIRUT: ...",
# "NEWARK -- ...", "MOSUL, Iraq — ...".
_DATELINE_MARK = re.compile(r"(?:,[ \t]+[A-Z][A-Za-z.]*(?:[ \t][A-Z][A-Za-z.]*)?)?(?:[ \t]*:[ \t]|[ \t]+(?:--|—|–)[ \t])")
_HYPHEN_WORD = re.compile(r"-([a-z]+)")   # "English-language", "French-speaking"
_ADJACENT = re.compile(r"[A-Za-z][\w’'\-.]*[ \t]+")
_LIST_AFTER = re.compile(r",[ \t]+[A-Z]")
_LIST_BEFORE = re.compile(r",[ \t]+$")
# A capitalised word in the possessive: "Japan's", "Japan’s", "Japan s" (ISOT lost the apostrophe).
_POSSESSIVE_WORD = re.compile(r"[A-Z][\w.-]*?(?:['’]s|[ \t]s)\b")
_CONTAINER_GAP = re.compile(r",?[ \t]+(?:in|of)[ \t]+(?:the[ \t]+)?")
# Unknown capitalised names in a place slot: "the village of Abdul Khil", "Khazir camp".
# Each word ends in a letter: "Watertown-ML" gives "Watertown", never "Watertown-".
# A later word may follow its own Arabic article: "Bab al-Tob", "Tal al-Karama", "Deir ez-Zor".
_ARTICLE_WORDS = "al|el|ad|ar|as|ash|at|az|an|ez"      # an Arabic article glued to the word after it by "-"
_NAME = (r"(?:(?:[Aa]l|[Ee]l)[\- ]|(?:[Aa][dnrstz]|[Aa]sh)-)?[A-Z][a-z’'\-]*[a-z]"
         rf"(?:[ \-](?:(?:{_ARTICLE_WORDS})-)?[A-Z][a-z’'\-]*[a-z]){{0,2}}")
_SLOT_BEFORE = re.compile(r"\b(?:village|town|city|district|province|governorate|camp|area|neighbou?rhood|region|suburb)s? of (" + _NAME + r")")
_LEVEL_AFTER = re.compile(r" (?:district|province|governorate|camp|neighbou?rhood|suburb)\b(?! of\b)")
_NAME_AT_END = re.compile(r"(?:^|(?<=[^\w’'\-]))(" + _NAME + r")$")
_DEMONYM_END = re.compile(r"(?:i|is|an|ans|ian|ians|ese|ish|ic)$")
_SLOT_PREP = re.compile(r"\b(?:in|near|at|outside|around|to|from) (" + _NAME + r")")
_SLOT_LEVELS = tuple(w + s for w in ("village", "town", "city", "district", "province", "governorate", "camp", "area",
                                     "neighbourhood", "neighborhood", "region", "suburb") for s in ("", "s"))
_SLOT_BEFORE_HEADS = tuple(w + " of" for w in _SLOT_LEVELS)
_SLOT_PREP_HEADS = ("in", "near", "at", "outside", "around", "to", "from")
# A proper name of several words joined by an Arabic or Persian particle: "Qala-e-Nazir", "Bab al-Tob",
# "Dasht-e-Barchi", "Tal al-Karama", "Deir ez-Zor". A key found inside one names something else ("Qala",
# "Tal" -> At Tall in Syria, "Barchi"); the whole is the name. Capitalised words only (not a dateline).
_JOINED_REST = r"[a-z’']+(?:-[A-Z][a-z’']+)*"      # a joined name after its first capital
_JOINED = "[A-Z]" + _JOINED_REST
# The look-behind comes after the first capital (the same test: that capital is no word character or "-"), so
# the regex engine skips from capital to capital instead of trying every position of a long text.
_COMPOUND = re.compile(rf"[A-Z](?<![\w-][A-Z]){_JOINED_REST}(?:[ -](?:{_ARTICLE_WORDS}|ul|ud|es|e|i|u)-{_JOINED})+(?![\w-])")
# Before a compound or after it: it stands where a place does ("in", "the village of", "district").
_COMPOUND_SLOT_BEFORE = re.compile(r"\b(?:" + "|".join((*_SLOT_PREP_HEADS, "of")) + r")\s+(?:the\s+)?$")
_COMPOUND_SLOT_AFTER = re.compile(r"\s+(?:district|area|neighbou?rhood|quarter|village|town|camp|suburb|region|province)\b")


def _alternation(words: Iterable[str]) -> str:
    """A regex group of one of `words`; each is followed by a non-word character where it is used, so
    their order does not change what matches."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


@cache
def _cap_word() -> re.Pattern[str]:
    """The capitalised word after a one-word place name: a person ("Jordan Spieth") or part of a longer
    name, unless it is a level or organisation word ("Mosul Dam", "Gainesville Police")."""
    particles = _alternation(load_lexicon().particles_before_capital)
    return re.compile(r"[ \t]*(?:" + particles + r"[\- ])?([A-Z][\w’'\-]*)")


@cache
def _article_before() -> re.Pattern[str]:
    """A name particle right before a mention ("bin Laden", "Abu Bakr")."""
    return re.compile(r"(?:^|[ \t])" + _alternation(load_lexicon().particles_before_mention) + r"[\- ]$")


@cache
def _named_level() -> re.Pattern[str]:
    """A capitalised level word right after a place name ("Laurel County"); group 1 is the word."""
    words = _alternation(w.capitalize() for w in load_lexicon().name_levels)
    return re.compile(r" (" + words + r")\b")


@cache
def _person_run() -> re.Pattern[str]:
    """A capitalised run of words, middle initials and name particles included ("Capt. Roy A. Nelson").

    (`(?<!\\w[A-Z])` is a word boundary before the capital, written after it so that the regex
    engine can jump from capital to capital. `[a-z]++` never gives letters back: a shorter run would
    be followed by a letter, where neither a full stop nor a space can stand, so nothing is lost, and
    the engine stops trying each shorter run after a lone capitalised word.)
    """
    particles = _alternation(load_lexicon().person_particles)
    return re.compile(r"([A-Z](?<!\w[A-Z])[a-z]++\.?)((?:[ \t]+(?:" + particles + r"[\- ])?(?:[A-Z]\.|[A-Z][\w’'\-]+))+)")


@cache
def _article_prefix() -> re.Pattern[str]:
    """A name particle at the start of a surname ("al-Maliki")."""
    return re.compile(r"^" + _alternation(load_lexicon().person_particles) + r"[\- ]")


def _fast_slot(heads: tuple[str, ...], lead: str = "") -> re.Pattern:
    """`HEAD NAME` found from the end of the heads (`lead`, which they all end with) and the space:
    a literal the regex engine jumps between, a cheap test of the name's first letters, then the
    whole head word behind (see `_slot_names`)."""
    behind = "|".join(rf"(?<=\b{re.escape(h)} )" for h in heads)
    return re.compile(re.escape(lead) + r" (?=[A-Z]|[AaEe]l[\- ]|[Aa](?:[dnrstz]|sh)-)(?:" + behind + r")(" + _NAME + r")")


_SLOT_BEFORE_FAST = _fast_slot(_SLOT_BEFORE_HEADS, "of")
_SLOT_PREP_FAST = _fast_slot(_SLOT_PREP_HEADS)


_FAST_SLOTS = {id(_SLOT_BEFORE): (_SLOT_BEFORE_FAST, _SLOT_BEFORE_HEADS), id(_SLOT_PREP): (_SLOT_PREP_FAST, _SLOT_PREP_HEADS)}


def _slot_names(exact: re.Pattern, text: str) -> list[re.Match]:
    """The matches of `exact.finditer(text)` (group 1: the name), found with its fast twin.

    The twin sees the head word through a look-behind, so it could take a head inside the previous
    match, where `finditer` would not look; when a head starts that close, `exact` takes over.
    """
    fast, heads = _FAST_SLOTS[id(exact)]
    longest = max(map(len, heads)) + 1
    out: list[re.Match] = []
    last = 0
    for m in fast.finditer(text):
        space = m.start(1) - 1
        if out and space - longest < last:
            head = next(h for h in heads if text.endswith(h, 0, space) and not _word_char_at(text, space - len(h) - 1))
            if space - len(head) < last:
                out.extend(exact.finditer(text, last))
                return out
        out.append(m)
        last = m.end()
    return out


def _word_char_at(text: str, i: int) -> bool:
    """Whether `text[i]` is a regex word character (`\\w`); False before the start."""
    return i >= 0 and (text[i].isalnum() or text[i] == "_")


def _prev_word(before: str) -> tuple[str, str] | None:
    """`_PREV_WORD.search(before)` as (whole match, word), found from the end instead of tried at every offset."""
    rev = before[::-1]
    m = _REV_RUN.match(rev)
    if m is None:
        return None
    run = m.group(1)[::-1]
    letter = _ASCII_LETTER.search(run)
    if letter is None:
        return None
    word = run[letter.start():]
    return word + rev[:m.start(1)][::-1], word


_HEAD_NAME = r"[ \t]*([A-Z][A-Z.'’\- /]{2,60}?)(?=,[ \t]+[A-Z]|[ \t]+\(|[ \t]*[—–-][ \t—–-]|[ \t]*—)"
# After a line break, or a sentence end and a space; written to start with a character set,
# which the regex engine can jump between. The text's own start is matched apart.
_HEAD = re.compile(r"[\n.!?](?:(?<=\n)|(?=[ \t]))" + _HEAD_NAME)
_HEAD_FIRST = re.compile(_HEAD_NAME)


# A dateline that names a vehicle, not a place: "ABOARD AIR FORCE ONE (Reuters) -", also after
# a slash ("WASHINGTON/ABOARD AIR FORCE ONE"), where the place part ends.
_NO_PLACE_HEAD = re.compile(r"(?:ABOARD|ON BOARD|ONBOARD)\b", re.IGNORECASE)
_NO_PLACE_PART = re.compile(r"[ \t]*/[ \t]*(?:ABOARD|ON BOARD|ONBOARD)\b")
# A caption line in capitals ("ADAM MARSHALL, DIRECTOR GENERAL, BRITISH CHAMBERS OF COMMERCE  The
# absolute ...") goes on in capitals after its comma; a dateline goes on with its container in
# lower case ("CALAMBA CITY, Laguna"), or in capitals but then the credit, a dash or a colon
# ("MOSUL, IRAQ (Reuters) -").
_CAPS_AFTER_COMMA = re.compile(r",[ \t]+[A-Z]{2,}(?![\w.])")
_HEAD_TAIL = re.compile(r",[ \t]+[^\n(—–:]{0,40}?(?:\(|[ \t]*[—–]|[ \t]-{1,2}[ \t]|:[ \t])")


def _level_word_after(text: str, pos: int, level_words) -> re.Match | None:
    """The level word right after `pos` ("Wahda district"), or None if the next word is not one."""
    after = _HINT_AFTER.match(text, pos)
    return after if after is not None and after.group(1).lower() in level_words else None


def _head_spans(text: str) -> list[tuple[int, int]]:
    """All-caps openings of paragraphs and sentences before a dateline's punctuation, unfiltered."""
    first = _HEAD_FIRST.match(text, 0, 4000)
    out = [first.span(1)] if first else []
    out.extend(m.span(1) for m in _HEAD.finditer(text, first.end() if first else 0, 4000))
    return out


def _dateline_heads(text: str) -> list[tuple[int, int]]:
    """All-caps dateline openings of paragraphs ("CHARLESTON, W.Va. —"), where capitals are normal."""
    heads = []
    for a, b in _head_spans(text):
        if _NO_PLACE_HEAD.match(text, a, b) or (_CAPS_AFTER_COMMA.match(text, b) and not _HEAD_TAIL.match(text, b)):
            continue
        cut = _NO_PLACE_PART.search(text, a, b)
        heads.append((a, cut.start()) if cut else (a, b))
    return heads


def _is_title_line(text: str, pos: int) -> bool:
    """Whether `pos` sits in a Title Case headline, where every word is capitalised anyway."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    if le < 0:
        le = len(text)
    if le - ls > 200:
        return False
    line = text[ls:le]
    if line.lstrip().startswith(("(", "By ", "by ")):
        return False
    words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _may_end_with_of(text: str, pos: int) -> bool:
    """Whether `_HINT_BEFORE` can match before `pos` (a cheap test that spares the regex search)."""
    w = text[max(0, pos - 30):pos]
    if w.endswith("\n"):
        w = w[:-1]
    return w.rstrip(" \t").endswith(("of", "the"))


def _restore_apostrophes(text: str) -> str:
    """`text` with the space of each lost possessive apostrophe ("Cox s Bazar") made an apostrophe.

    Same length, so offsets hold. Only after a capitalised word; a scan for " s " is several times
    cheaper than a regular expression over every article.
    """
    i = text.find(" s ")
    if i < 0:
        return text
    chars: list[str] | None = None
    while i >= 0:
        j = i
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "-"):
            j -= 1
        if j < i and text[j].isupper():
            if chars is None:
                chars = list(text)
            chars[i] = "'"
        i = text.find(" s ", i + 2)
    return "".join(chars) if chars is not None else text


def _dateline_spans(text: str, places: Sequence[str]) -> list[tuple[int, int]]:
    head = text[:400]
    out = []
    for p in places:
        p = p.strip()
        if not p or _NO_PLACE_HEAD.match(p):
            continue
        i = head.find(p)
        if i < 0:
            i = head.upper().find(p.upper())
        if i >= 0:
            out.append((i, i + len(p)))
    return out


def _in_spans(a: int, b: int, spans) -> bool:
    # (a loop, not any() over a generator: this runs for every hit, mostly over one or two spans)
    for s, e in spans:
        if s <= a and b <= e:
            return True
    return False
