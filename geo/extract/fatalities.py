"""Counts of people killed and injured, read from a sentence the way ACLED codes them.

ACLED's rule: reported fatalities are estimates; when reports differ or are vague, code the most
conservative (lowest) figure. Vague plurals get fixed values: ACLED codes 10 for "tens", 12 for
"dozens", 100 for "hundreds", and so on (ACLED, "Fatalities", Uses and limitations of ACLED data,
27 Feb 2023, https://acleddata.com/knowledge-base/). We follow that "and so on" with 1,000 for
"thousands" and 20 for "scores" (a score is twenty). "Several", "many", "a number of" have no number:
they give `None` (unknown), never a guess.

Only counts tied to a death or injury word count; the word table is `geo/data/casualty_words.csv`.
Counts joined by "and" or commas in one phrase are added ("killing 12 soldiers and three civilians"
is 15); ranges ("between 10 and 15", "10 to 15", "10 or 15") and separate statements give the lowest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from gazetteer.datafiles import csv_rows
from geo.extract.numbers import number_pattern, parse_number
from geo.extract.words import alternation
from geo.read.text import MONTH_WORD

__all__ = ["Casualties", "casualties", "has_casualties"]


@dataclass(frozen=True, slots=True)
class Casualties:
    """People killed and injured (None = not stated) and the words the main figure came from."""

    fatalities: int | None
    injured: int | None
    text: str = ""

    def __post_init__(self) -> None:
        for n in (self.fatalities, self.injured):
            if n is not None and n < 0:
                raise ValueError(f"counts cannot be negative, got {n!r}")


_QUALIFIER = alternation("count-qualifier")
_UNIT = alternation("count-unit") + r"\b"
_AUX = alternation("count-aux")
_DATE = re.compile(r"\b(" + MONTH_WORD + r")\s+\d{1,2}\b(?!,\d)")
_RANGE_SEP = re.compile(r"\s+(?:to|or)\s+|\s*[-–]\s*")


@dataclass(frozen=True, slots=True)
class _Rules:
    before: re.Pattern[str]      # "<count> ... killed"
    after: re.Pattern[str]       # "killing <count>"
    toll: re.Pattern[str]        # "death toll rose to <count>"
    zero: re.Pattern[str]        # "no one was killed"
    none_nouns: re.Pattern[str]  # "no casualties"
    item: re.Pattern[str]        # one count inside a matched list
    cue: re.Pattern[str]         # any word without which a sentence states no casualties
    outcome: dict[str, str]      # phrase -> death|injury
    vague: dict[str, int]


_REACH = 160      # characters a count list may span beside its outcome word
# No single event kills or injures more: a larger figure is a typo, a hoax or a war's toll, never an
# incident's count (and would overflow the 64-bit columns of GeoPackage and PostGIS).
MAX_COUNT = 1_000_000


def _alt(words) -> str:
    """A regex alternation of phrases, longest first, any run of spaces between their words."""
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                            for w in sorted(words, key=len, reverse=True)) + r")\b"


def _outcome_words(outcome: dict[str, str], rows: list[dict[str, str]], side: str) -> list[str]:
    """The outcome phrases a count may stand on `side` of ("before": "12 were killed"; "after": "killing 12")."""
    return [p for p, k in outcome.items() if next(r["position"] for r in rows if r["phrase"] == p)
            in (side, "both")]


@cache
def _rules() -> _Rules:
    """Compile the casualty regexes from `geo/data/casualty_words.csv`."""
    rows = [row for _, row in csv_rows(Path(__file__).parent.parent / "data" / "casualty_words.csv")]
    outcome = {r["phrase"]: r["kind"] for r in rows if r["kind"] in ("death", "injury")}
    vague = {r["phrase"]: int(r["value"]) for r in rows if r["kind"] == "vague"}
    persons = [r["phrase"] for r in rows if r["kind"] == "person"]
    before_words = _outcome_words(outcome, rows, "before")
    after_words = _outcome_words(outcome, rows, "after")
    person = _alt(persons)
    number = rf"(?<![$€£])(?:{number_pattern()})"
    count = (rf"(?i:{_QUALIFIER}\s+)?(?:(?i:{_alt(vague)})|(?i:{number})(?!\s*{_UNIT})|"
             rf"(?i:a|an)\s+(?:[A-Za-z.’'-]+\s+){{0,2}}?{person})")
    stop = rf"(?:{alternation('count-stop')[3:-1]}|{_QUALIFIER[3:-1]}|{_AUX[3:-1]})\b"
    noun = rf"(?!{_alt(outcome)}|{stop}|{_UNIT}|{number_pattern()})[A-Za-z][\w.’'-]*"
    item = rf"{count}(?:\s+of\b)?(?:\s+{noun}){{0,3}}"
    items = rf"(?:(?i:between)\s+)?{item}(?:(?:\s*,\s*|,?\s+and\s+|\s+or\s+|\s+to\s+|\s*[-–]\s*){item})*"
    return _Rules(
        before=re.compile(rf"(?<![\w-])(?P<list>{items})\s+(?:{_AUX}\s+){{0,3}}(?P<word>{_alt(before_words)})"),
        after=re.compile(rf"\b(?P<word>{_alt(after_words)})\s+(?P<list>{items})"),
        toll=re.compile(rf"(?i:\bdeath\s+toll|\btoll)\b[^.;:]{{0,60}}?\b(?:to|at|of|reached|hit)\s+"
                        rf"(?P<list>{items})"),
        zero=re.compile(r"(?i:\b(?:no\s+one|nobody|none(?:\s+of\s+[\w’' -]{1,30}?)?|no\s+[\w-]+(?:\s+[\w-]+)?))"
                        rf"\s+(?:{_AUX}\s+){{0,3}}(?P<word>killed|died|dead|harmed|hurt|injured|wounded)\b"),
        none_nouns=re.compile(r"\b(?i:no)\s+(?P<word>casualties|fatalities|deaths|injuries)\b"),
        item=re.compile(rf"(?P<count>{count})"),
        cue=re.compile(rf"(?i)\b(?:{_alt(outcome)}|toll\b|casualties\b|fatalities\b|deaths\b|injuries\b|harmed\b|hurt\b|died\b|dead\b)"),
        outcome=outcome,
        vague=vague,
    )


def _count_value(text: str, rules: _Rules) -> int | None:
    """The number one count phrase stands for ("at least 12" -> 12, "dozens" -> 12, "a policeman" -> 1)."""
    s = re.sub(rf"^{_QUALIFIER}\s+", "", text.strip(), flags=re.I)
    low = re.sub(r"\s+", " ", s.lower())
    if low in rules.vague:
        return rules.vague[low]
    if re.match(r"(?:a|an)\s", low):
        return 1
    if re.fullmatch(r"(?:19|20)\d\d", s):
        return None      # a year, not a count
    return parse_number(s)


def _list_value(text: str, rules: _Rules) -> int | None:
    """Sum of the counts in a list; the lowest end of a range."""
    values = []
    spans = []
    for m in rules.item.finditer(text):
        value = _count_value(m.group("count"), rules)
        if value is not None:
            values.append(value)
            spans.append(m.span())
    if not values:
        return None
    is_range = text.lower().startswith("between") or any(
        _RANGE_SEP.fullmatch(text[a[1]:b[0]]) for a, b in zip(spans, spans[1:])
        if not re.search(r"[A-Za-z]{3,}", text[a[1]:b[0]].replace(" to ", "").replace(" or ", "")))
    return min(values) if is_range else sum(values)


def _near(rx: re.Pattern[str], text: str, cues: list[re.Match[str]], *, back: bool):
    """Matches of `rx` ending at (back) or starting at a cue word: the full regex is slow to fail elsewhere."""
    seen: set[int] = set()
    for c in cues:
        lo, hi = (max(0, c.start() - _REACH), c.end()) if back else (c.start(), min(len(text), c.end() + _REACH))
        for m in rx.finditer(text, lo, hi):
            if m.start() not in seen:
                seen.add(m.start())
                yield m


# Before a list whose first item is part of a count already told ("two were killed, including a child").
_SUBSET = re.compile(r"\b(?:including|among them|among whom|of them|of whom)\s+$", re.IGNORECASE)
_SUBSET_REACH = 20
_LIST_JOIN = re.compile(r"\s*,\s*(?:and\s+)?|,?\s+and\s+")


# An aside naming part of the count just told, between commas or brackets: "Five people, including two
# children, were killed", "seven civilians, three of them women, were shot dead", "two soldiers (among
# them an officer) and three civilians". Its people are already counted, and the aside stands between the
# count and its outcome word or splits a list, so it is blanked (offsets kept) before the counts are read.
_ASIDE_HEAD = r"(?:including|among\s+them|among\s+whom|mostly|mainly|(?:most|many|some|all|half|(?:{n}))\s+of\s+(?:them|whom))"


@cache
def _aside() -> re.Pattern[str]:
    head = _ASIDE_HEAD.replace("{n}", number_pattern())
    return re.compile(rf"(?i),\s*{head}\b[^,;:.()]{{1,60}},|\(\s*{head}\b[^,;:.()]{{1,60}}\)")


def _blank_asides(text: str) -> str:
    return _aside().sub(lambda m: " " * len(m.group(0)), text) if "," in text or "(" in text else text


# A reading: the kind of count ("death" or "injury"), its value, where it starts and the words it came from.
_Reading = tuple[str, tuple[int, int, str]]


def _outcome_counts(rules: _Rules, text: str, sentence: str, cues: list[re.Match[str]]) -> Iterator[_Reading]:
    """Counts beside an outcome word: "12 soldiers were killed", "killing 12 soldiers"."""
    active = {m.start("word") for m in rules.after.finditer(text)}
    for rx in (rules.before, rules.after):
        for m in _near(rx, text, cues, back=rx is rules.before):
            if rx is rules.before and m.start("word") in active:
                continue      # "A gunman killed 20 children": the gunman is the killer, not a victim
            listed = m.group("list")
            subset = _SUBSET.search(text, max(0, m.start() - _SUBSET_REACH), m.start())
            if subset is not None:
                # "killed, including a child, and 7 wounded": the first item is part of a count told before.
                first = rules.item.search(listed)
                rest = _LIST_JOIN.match(listed, first.end()) if first else None
                if rest is None:
                    continue
                listed = listed[rest.end():]
            value = _list_value(listed, rules)
            if value is not None:
                kind = rules.outcome.get(re.sub(r"\s+", " ", m.group("word").lower()), "death")
                yield kind, (value, m.start(), sentence[m.start():m.end()])


def _toll_counts(rules: _Rules, text: str, sentence: str, cues: list[re.Match[str]]) -> Iterator[_Reading]:
    """A death toll: "the death toll rose to 40"."""
    for m in rules.toll.finditer(text):
        value = _list_value(m.group("list"), rules)
        if value is not None:
            yield "death", (value, m.start(), sentence[m.start():m.end()])


# The word after "no one was ..." or "no ...", and the counts it says are zero.
_NONE_WORDS: dict[str, tuple[str, ...]] = {
    "killed": ("death",), "died": ("death",), "dead": ("death",), "fatalities": ("death",), "deaths": ("death",),
    "harmed": ("death", "injury"), "casualties": ("death", "injury"),
    "hurt": ("injury",), "injured": ("injury",), "wounded": ("injury",), "injuries": ("injury",),
}


def _none_stated(rules: _Rules, text: str, sentence: str, cues: list[re.Match[str]]) -> Iterator[_Reading]:
    """Zero: "no one was killed", "no casualties"."""
    for rx in (rules.zero, rules.none_nouns):
        for m in rx.finditer(text):
            for kind in _NONE_WORDS.get(m.group("word").lower(), ()):
                yield kind, (0, m.start(), sentence[m.start():m.end()])


# Every way a sentence states a count; ACLED's lowest-figure rule then picks among all their readings.
_READERS: tuple[tuple[str, Callable[[_Rules, str, str, list[re.Match[str]]], Iterator[_Reading]]], ...] = (
    ("beside an outcome word", _outcome_counts),
    ("death toll", _toll_counts),
    ("none stated", _none_stated),
)


@lru_cache(maxsize=4096)      # the detector's features and the extractor read the same sentences
def casualties(sentence: str) -> Casualties:
    """People killed and injured according to one sentence, by ACLED's lowest-figure rule.

    >>> casualties("An attack claimed by Islamic State killed six people on Thursday.")
    Casualties(fatalities=6, injured=None, text='killed six people')
    >>> c = casualties("A bomb blast killed at least 12 people and wounded 20 in Kabul.")
    >>> c.fatalities, c.injured
    (12, 20)
    >>> casualties("Between 10 and 15 people were killed.").fatalities
    10
    >>> casualties("Officials said no one was killed.").fatalities
    0
    >>> casualties("Five people, including two children, were killed in the blast.").fatalities
    5
    """
    rules = _rules()
    cues = list(rules.cue.finditer(sentence))
    if not cues:
        return Casualties(None, None, "")
    # "May 31 truck bomb that killed 80": the day of a date is not a count.
    text = _blank_asides(_DATE.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), sentence))
    found: dict[str, list[tuple[int, int, str]]] = {"death": [], "injury": []}
    for _, read in _READERS:
        for kind, reading in read(rules, text, sentence, cues):
            found[kind].append(reading)
    death = min((f for f in found["death"] if f[0] <= MAX_COUNT), default=None)
    injury = min((f for f in found["injury"] if f[0] <= MAX_COUNT), default=None)
    words = death[2] if death else (injury[2] if injury else "")
    return Casualties(death[0] if death else None, injury[0] if injury else None, words)


def has_casualties(sentence: str) -> bool:
    """True if the sentence states people killed or hurt (`casualties`, memoised: callers share its reading)."""
    c = casualties(sentence)
    return bool(c.fatalities or c.injured)
