"""Finding date expressions in news copy: month and weekday spellings, the date patterns, the relative
phrases of `geo/data/date_phrases.csv` and the event names of `geo/data/date_named_events.csv`, and the
cheap tests that keep the full patterns off sentences that cannot hold them (used by `geo.extract.dates`)."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_rows
from geo.errors import UsageError
from geo.extract.numbers import number_pattern
from geo.model import DatePrecision

# Spellings in copy, longest first so "Sept." wins over "Sep".
_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name[1:], 1):
    _MONTHS[_name] = _i
    _MONTHS[_name[:3]] = _i
    _MONTHS[_name[:3] + "."] = _i
_MONTHS.update({"Sept": 9, "Sept.": 9})
_WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)}

_RX_MONTH = r"(?P<month>" + "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True)) + r")(?![A-Za-z])"
_MONTH_FULL = r"(?P<month>" + "|".join(calendar.month_name[1:]) + r")\b"
_WEEKDAY = r"(?P<wd>" + "|".join(calendar.day_name) + r")\b"
_OPT_WD = r"(?:(?:" + "|".join(calendar.day_name) + r"),?\s+)?"
# Named days that are not the day of the week before the story: "Super Tuesday", "Good Friday".
_NOT_A_DAY = "".join(f"(?<!{w} )" for w in ("Super", "Black", "Good", "Holy", "Bloody", "Ash", "Palm", "Easter",
                                            "Cyber", "Maundy", "Shrove"))
_ORD = r"(?:st|nd|rd|th)?"
_LEAD_IN = r"(?:(?i:on|in|as of|since|until|by|from|through|during|before|after)\s+)?"
_PART = r"(?:(?i:early|late|mid|the end of|the start of|the beginning of)[\s-]+)?"
_YEAR = (r"(?P<year>(?:19|20)\d\d)(?![\d,]\d)"
         # "a force of 2000 men" counts people, not years
         r"(?!\s+(?:people|persons|men|women|troops|soldiers|fighters|civilians|police|policemen|militants|"
         r"residents|families|children|members|refugees|prisoners|others|of)\b)")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(rx)) for kind, rx in (
    ("iso", r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    ("mdy", _LEAD_IN + _OPT_WD + _RX_MONTH + r"\s+(?P<day>\d{1,2})" + _ORD + r"(?:,\s*|\s+)" + _YEAR),
    ("dmy", _LEAD_IN + _OPT_WD + r"(?<!\d)(?P<day>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _RX_MONTH
     + r",?\s+" + _YEAR),
    ("my", _LEAD_IN + _PART + _RX_MONTH + r",?\s+" + _YEAR),
    ("md", _LEAD_IN + _OPT_WD + _RX_MONTH + r"\s+(?P<day>\d{1,2})" + _ORD + r"(?![\d:]|,\d|\.\d)"),
    ("dm", _LEAD_IN + _OPT_WD + r"(?<![\d,.])(?P<day>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _RX_MONTH),
    ("m", r"(?:(?i:in|since|until|by|from|through|during|of)\s+)?(?P<rel>(?i:last|this|next|early|late|mid|"
     r"the end of|the start of|the beginning of))[\s-]+" + _MONTH_FULL),
    ("m", r"(?i:in|since|until|by|from|through|during)\s+" + _MONTH_FULL),
    ("y", r"(?:(?i:in|since|until|by|during|from|through|of)\s+)" + _PART + r"(?<![\d,.])" + _YEAR),
    ("y", r"(?i:early|late|mid)[\s-]+" + _YEAR),
    ("hd", r"(?:(?i:on)\s+)?(?P<holiday>New\s+Year['’]s\s+(?:Day|Eve)|Christmas\s+(?:Day|Eve))\b"),
    ("wd", r"(?:(?i:late|early)\s+)?(?:(?i:on|since|from|until|by)\s+)?(?:(?i:late|early)\s+)?"
     r"(?:(?P<rel>(?i:last|next|this|previous|past))\s+)?" + _NOT_A_DAY + _WEEKDAY
     + r"(?:['’]s)?(?:\s+(?:night|morning|afternoon|evening))?"),
))

# Cheap test that a sentence may hold a date at all; most sentences do not.
_CUE = re.compile(r"\d|(?i:day|night|week|month|year|ago|tomorrow)|Christmas|" + "|".join(sorted({m[:3] for m in _MONTHS})))
# Holidays of a fixed day ("hd"): the month and day each names.
HOLIDAYS = {"new year's day": (1, 1), "new year's eve": (12, 31), "christmas day": (12, 25), "christmas eve": (12, 24)}


@cache
def _phrase_rows() -> list[dict[str, str]]:
    """The rows of `geo/data/date_phrases.csv` (read once, for the three tables made from them)."""
    return [row for _, row in csv_rows(Path(__file__).parent.parent / "data" / "date_phrases.csv")]


@cache
def _relative_table() -> tuple[re.Pattern[str], dict[str, tuple[str, str, DatePrecision]]]:
    """Compiled relative-phrase regex and its rules, from `geo/data/date_phrases.csv`."""
    rows = _phrase_rows()
    rules: dict[str, tuple[str, str, DatePrecision]] = {}
    alternatives = []
    for i, row in enumerate(rows):
        phrase = row["phrase"].strip().lower()
        rules[f"r{i}"] = (row["unit"].strip(), row["amount"].strip(), DatePrecision(row["precision"].strip()))
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        body = body.replace(re.escape("{n}"), rf"(?P<n{i}>{number_pattern()})")
        alternatives.append((len(phrase), rf"(?P<r{i}>{body})"))
    alternatives.sort(key=lambda a: -a[0])
    rx = re.compile(r"(?i)\b(?:" + "|".join(a for _, a in alternatives) + r")(?:['’]s)?\b")
    return rx, rules


@cache
def _relative_by_last_word() -> dict[str, re.Pattern[str]]:
    """The relative-phrase regex split by the phrase's last word (same group names as the full one)."""
    rows = _phrase_rows()
    by: dict[str, list[tuple[int, str]]] = {}
    for i, row in enumerate(rows):
        phrase = row["phrase"].strip().lower()
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        body = body.replace(re.escape("{n}"), rf"(?P<n{i}>{number_pattern()})")
        by.setdefault(phrase.split()[-1], []).append((len(phrase), rf"(?P<r{i}>{body})"))
    return {word: re.compile(r"(?i)\b(?:" + "|".join(a for _, a in sorted(alts, key=lambda a: -a[0]))
                             + r")(?:['’]s)?\b") for word, alts in by.items()}


def _relative_matches(text: str, starts: list[int]):
    """Leftmost, longest relative phrases: each must end at one of the phrases' last words."""
    by_word = _relative_by_last_word()
    done = -1
    for key in _relative_keys().finditer(text.lower()):
        rx = by_word[key.group(0)]
        lo = max(0, key.start() - _REACH_BACK)
        for pos in starts[bisect.bisect_left(starts, max(lo, done)):bisect.bisect_right(starts, key.start())]:
            m = rx.match(text, pos, min(len(text), key.end() + 2))
            if m and m.end() >= key.end():
                done = m.end()
                yield m
                break


@cache
def _named_event_words() -> dict[str, list[str]]:
    """The regex bodies of `geo/data/date_named_events.csv`'s nouns, by where they stand (after, before, occasion)."""
    words: dict[str, list[str]] = {"after": [], "before": [], "occasion": []}
    for _, row in csv_rows(Path(__file__).parent.parent / "data" / "date_named_events.csv"):
        word = row["word"].strip().lower()
        words[row["where"].strip()].append(re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else ""))
    return words


@cache
def _named_event_table() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for words that turn a month-day into an event's name, from `geo/data/date_named_events.csv`."""
    words = _named_event_words()
    after = re.compile(r"(?i)(?:['’]s)?\s+(?:" + "|".join(words["after"] + words["occasion"]) + r")\b")
    before = re.compile(r"(?i)\bthe\s+(?:" + "|".join(words["before"]) + r")\s+(?:of|on)\s+$")
    return after, before


def occasion_words() -> list[str]:
    """The regex bodies of the occasion nouns of `geo/data/date_named_events.csv` ("talks", "summit*")."""
    return list(_named_event_words()["occasion"])


@cache
def _occasion_before() -> re.Pattern[str]:
    """An occasion noun (date_named_events.csv, where=occasion) right before a date: "the referendum held
    last month", "talks scheduled for Tuesday", "a vote on Sunday"."""
    return re.compile(r"(?i)\b(?:" + "|".join(_named_event_words()["occasion"]) + r")\s+(?:(?:held|scheduled|planned|"
                      r"set|due|slated|called|expected)\s+)?(?:(?:for|on|in|at)\s+)?(?:the\s+)?$")


@cache
def told_families() -> dict[str, frozenset[str]]:
    """The nouns of `geo/data/date_told_events.csv`, each with the families an event it names may be of."""
    return {row["word"].strip().lower(): frozenset(f.strip() for f in row["families"].split("|"))
            for _, row in csv_rows(Path(__file__).parent.parent / "data" / "date_told_events.csv")}


@cache
def told_event() -> re.Pattern[str]:
    """A time told by an event told before (`told_families`): "hours after the blast", "shortly after the
    explosions", "during the assault", and "After the demolition" opening a sentence; the noun is group "noun"."""
    nouns = "(?:" + "|".join(map(re.escape, sorted(told_families(), key=len, reverse=True))) + ")"
    return re.compile(r"(?i)(?:\b(?:(?:hours|minutes|moments|shortly|soon|just)\s+(?:after|before)|during)|^\s*after)"
                      rf"\s+the\s+(?:[\w’'-]+\s+){{0,2}}?(?P<noun>{nouns})\b")


FAMOUS_EVENTS = Path(__file__).parent.parent / "data" / "date_famous_events.csv"
# Words a famous event's noun may stand after its month-day: "the Sept. 11 terrorist attacks".
_FAMOUS_GAP = r"(?:['’]s)?(?:,\s*(?:19|20)\d\d,?)?\s+(?:[\w-]+\s+){0,2}?"


@cache
def _famous_events() -> tuple[tuple[int, int, re.Pattern[str], re.Pattern[str]], ...]:
    """`geo/data/date_famous_events.csv`: (month, day, its nouns after the month-day, "the <noun> of" before it);
    a bad row (a year, month and day that make no date, no nouns) is an error naming file and line."""
    out = []
    for number, row in csv_rows(FAMOUS_EVENTS):
        try:
            day = dt.date(int(row["year"]), int(row["month"]), int(row["day"]))
            nouns = [w.strip().lower() for w in row["nouns"].split("|") if w.strip()]
            if not nouns:
                raise ValueError("no nouns")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UsageError(f"{FAMOUS_EVENTS}:{number}: expected month, day, year (a real date) and nouns, "
                             f"got {dict(row)} ({exc})") from None
        body = "|".join(re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in nouns)
        out.append((day.month, day.day, re.compile(rf"(?i){_FAMOUS_GAP}(?:{body})\b"),
                    re.compile(rf"(?i)\bthe\s+(?:{body})\s+of\s+$")))
    return tuple(out)


def names_a_famous_event(text: str, m: re.Match[str]) -> bool:
    """True if a matched month-day names a well-known event of another year ("the Sept. 11 attacks";
    `geo/data/date_famous_events.csv`): such a month-day dates no event of its text."""
    groups = m.groupdict()
    month = _MONTHS.get(groups.get("month") or "") or (int(groups["mnum"]) if groups.get("mnum") else None)
    if month is None or not groups.get("day"):
        return False
    day = int(groups["day"])
    return any((f_month, f_day) == (month, day) and (
        after.match(text, m.end()) or before.search(text, max(0, m.start() - _NAME_REACH), m.start()))
        for f_month, f_day, after, before in _famous_events())


# Characters before a month-day searched for "the ... of" that makes it part of a name ("the anniversary of").
_NAME_REACH = 40


def _names_an_event(text: str, start: int, end: int) -> bool:
    """True if the month-day at text[start:end] is part of an event's name ("the Sept. 11 attacks")."""
    after, before = _named_event_table()
    return bool(after.match(text, end)) or bool(before.search(text, max(0, start - _NAME_REACH), start))


# Cheap tests run before the full patterns, which are slow to fail on long sentences.
_REACH_BACK, _REACH_ON = 45, 30     # characters a date expression may span before/after its key word


def _add_window(out: list[tuple[int, int]], start: int, end: int, size: int) -> None:
    lo, hi = max(0, start - _REACH_BACK), min(size, end + _REACH_ON)
    if out and lo <= out[-1][1]:
        out[-1] = (out[-1][0], max(hi, out[-1][1]))
    else:
        out.append((lo, hi))


@cache
def _relative_keys() -> re.Pattern[str]:
    """The last words of the relative phrases, to search in lower-cased text."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, _relative_last_words())) + r")\b")


_HAS_MONTH = re.compile(r"(?<![A-Za-z])(?=[ADFJMNOS])" + _RX_MONTH)
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
_HAS_WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_HAS_HOLIDAY = re.compile(r"New Year|Christmas")
_HAS_ISO = re.compile(r"\d{4}-\d\d-\d\d")


def _windows(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in rx.finditer(text):
        _add_window(out, m.start(), m.end(), len(text))
    return out


def _present(text: str) -> dict[str, list[tuple[int, int]]]:
    """Where in `text` each pattern kind can match: the full patterns are slow to fail on long sentences."""
    month, year = _windows(_HAS_MONTH, text), _windows(_HAS_YEAR, text)
    both = month if year else []
    return {"iso": _windows(_HAS_ISO, text), "mdy": both, "dmy": both, "my": both, "md": month, "dm": month,
            "m": month, "y": year, "hd": _windows(_HAS_HOLIDAY, text), "wd": _windows(_HAS_WEEKDAY, text)}


def _matches(rx: re.Pattern[str], text: str, windows: list[tuple[int, int]], starts: list[int]):
    """Leftmost non-overlapping matches of `rx` starting at a word start inside `windows`.

    Every date pattern begins at a word, so trying only word starts (a handful per window) gives
    what `finditer` would, several times faster; lookbehinds still see the text before a window.
    """
    done = -1
    for lo, hi in windows:
        for pos in starts[bisect.bisect_left(starts, max(lo, done)):bisect.bisect_left(starts, hi)]:
            if pos < done:
                continue
            m = rx.match(text, pos, hi)
            if m and m.end() > m.start():
                done = m.end()
                yield m


_WORD_START = re.compile(r"(?<!\w)\w")


@cache
def _relative_last_words() -> tuple[str, ...]:
    """The last word of every relative phrase: a sentence without one holds no relative date."""
    rows = _phrase_rows()
    return tuple(sorted({row["phrase"].strip().lower().split()[-1] for row in rows}, key=len, reverse=True))
