"""Dates in news copy: the dates events happened (the publication date itself: `geo.extract.published`).

Wire-copy conventions this module encodes (any agency, any country):

- Relative expressions ("on Thursday", "yesterday", "last week") are resolved against the publication
  date. Without one they stay unresolved (`None`, precision unknown): we never guess.
- A weekday is the most recent such day on or before publication ("last Thursday": strictly before).
- A month-day without a year takes the year that puts it on or before publication (one day of slack);
  if that would be more than ~11 months back, it is an announced future date and stays unresolved.
- A bare year ("in 2014", "mid-2014") is too coarse for ACLED (no year precision): it is reported with
  its text but no date.
- The result is never more precise than the publication date it was resolved against.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo.extract.numbers import number_pattern, parse_number
from geo.model import DatePrecision

__all__ = ["EventDate", "event_date", "event_dates"]

_DAY, _WEEK, _MONTH, _UNKNOWN = (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH,
                                 DatePrecision.UNKNOWN)
_RANK = {_DAY: 0, _WEEK: 1, _MONTH: 2, _UNKNOWN: 3}

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
    ("wd", r"(?:(?i:late|early)\s+)?(?:(?i:on|since|from|until|by)\s+)?(?:(?i:late|early)\s+)?"
     r"(?:(?P<rel>(?i:last|next|this|previous|past))\s+)?" + _NOT_A_DAY + _WEEKDAY
     + r"(?:['’]s)?(?:\s+(?:night|morning|afternoon|evening))?"),
))

# Cheap test that a sentence may hold a date at all; most sentences do not.
_CUE = re.compile(r"\d|(?i:day|night|week|month|year|ago|tomorrow)|" + "|".join(sorted({m[:3] for m in _MONTHS})))

# Reporting the news is not the event: "said on Thursday", "told Reuters in an interview late on Wednesday".
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|say|told|tells|announced|added|reported|reports|warned|confirmed|stated|denied|"
    r"wrote|tweeted|statement|interview|conference|briefing|news)"
    r"(?:[\s,]+(?:in|at|to|during|on|via|by|over|a|an|the|its|his|her|their|Reuters|reporters|journalists|"
    r"him|her|them|us|me|news|press|televised|telephone|phone|written|interview|statement|conference|"
    r"briefing|speech|released|issued))*[\s,]*$")
_SPEECH_AFTER = re.compile(r"^\s*,\s*(?:[\w.’'-]+\s+){0,4}(?:said|says|told|announced|reported)\b")


@dataclass(frozen=True, slots=True)
class EventDate:
    """A date read from text: the date (None if unresolved), its precision, and the words it came from."""

    date: dt.date | None
    precision: DatePrecision
    text: str
    start: int = -1
    end: int = -1

    def __post_init__(self) -> None:
        if (self.date is None) != (self.precision is _UNKNOWN):
            raise ValueError(f"date {self.date!r} does not fit precision {self.precision.value!r}")


_NONE = EventDate(None, _UNKNOWN, "")
_MONTH_DAY = ("md", "dm", "mdy", "dmy", "iso")


@cache
def _relative_table() -> tuple[re.Pattern[str], dict[str, tuple[str, str, DatePrecision]]]:
    """Compiled relative-phrase regex and its rules, from `geo/data/date_phrases.csv`."""
    text = (Path(__file__).parent.parent / "data" / "date_phrases.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
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
    text = (Path(__file__).parent.parent / "data" / "date_phrases.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
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
def _named_event_table() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for words that turn a month-day into an event's name, from `geo/data/date_named_events.csv`."""
    text = (Path(__file__).parent.parent / "data" / "date_named_events.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    words: dict[str, list[str]] = {"after": [], "before": [], "occasion": []}
    for row in rows:
        word = row["word"].strip().lower()
        body = re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "")
        words[row["where"].strip()].append(body)
    after = re.compile(r"(?i)(?:['’]s)?\s+(?:" + "|".join(words["after"] + words["occasion"]) + r")\b")
    before = re.compile(r"(?i)\bthe\s+(?:" + "|".join(words["before"]) + r")\s+(?:of|on)\s+$")
    return after, before


@cache
def _occasion_before() -> re.Pattern[str]:
    """An occasion noun (date_named_events.csv, where=occasion) right before a date: "the referendum held
    last month", "talks scheduled for Tuesday", "a vote on Sunday"."""
    text = (Path(__file__).parent.parent / "data" / "date_named_events.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    nouns = [re.escape(r["word"].strip().lower().rstrip("*")) + (r"\w*" if r["word"].strip().endswith("*") else "")
             for r in rows if r["where"].strip() == "occasion"]
    return re.compile(r"(?i)\b(?:" + "|".join(nouns) + r")\s+(?:(?:held|scheduled|planned|set|due|slated|called|"
                      r"expected)\s+)?(?:(?:for|on|in|at)\s+)?(?:the\s+)?$")


def _names_an_event(text: str, start: int, end: int) -> bool:
    """True if the month-day at text[start:end] is part of an event's name ("the Sept. 11 attacks")."""
    after, before = _named_event_table()
    return bool(after.match(text, end)) or bool(before.search(text, max(0, start - 40), start))


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
            "m": month, "y": year, "wd": _windows(_HAS_WEEKDAY, text)}


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
    text = (Path(__file__).parent.parent / "data" / "date_phrases.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(sorted({row["phrase"].strip().lower().split()[-1] for row in rows}, key=len, reverse=True))


def _coarsest(*precisions: DatePrecision) -> DatePrecision:
    return max(precisions, key=_RANK.__getitem__)


def _add_months(day: dt.date, months: int) -> dt.date:
    """First day of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, published: dt.date) -> dt.date | None:
    """The month-day on or before publication (one day slack); None if that is over ~11 months back."""
    this_year = _safe_date(published.year, month, day)
    if this_year is not None and this_year <= published + dt.timedelta(days=1):
        return this_year
    previous = _safe_date(published.year - 1, month, day)
    if previous is None or (published - previous).days > 335:
        return None
    return previous


def _resolve(kind: str, m: re.Match[str], published: dt.date | None,
             pub_precision: DatePrecision) -> tuple[dt.date | None, DatePrecision]:
    """Date and precision of one matched expression of `kind`."""
    g = m.groupdict()
    if kind in ("iso", "mdy", "dmy"):
        month = int(g["mnum"]) if kind == "iso" else _MONTHS[g["month"]]
        day = _safe_date(int(g["year"]), month, int(g["day"]))
        return (day, _DAY) if day else (None, _UNKNOWN)
    if kind == "my":
        return dt.date(int(g["year"]), _MONTHS[g["month"]], 1), _MONTH
    if kind == "y" or published is None or pub_precision is _UNKNOWN:
        return None, _UNKNOWN
    if kind in ("md", "dm"):
        day = _year_for(_MONTHS[g["month"]], int(g["day"]), published)
        return (day, _coarsest(_DAY, pub_precision)) if day else (None, _UNKNOWN)
    if kind == "m":
        month = _MONTHS[g["month"]]
        rel = (g.get("rel") or "").lower()
        year = published.year if month <= published.month else published.year - 1
        if rel == "last" and month == published.month:
            year -= 1
        elif rel == "next":
            year = published.year if month > published.month else published.year + 1
        elif rel == "this":
            year = published.year
        return dt.date(year, month, 1), _coarsest(_MONTH, pub_precision)
    if pub_precision is _MONTH:
        return None, _UNKNOWN       # a weekday or "yesterday" against a month is meaningless
    if kind == "wd":
        target, rel = _WEEKDAYS[g["wd"]], (g.get("rel") or "").lower()
        if rel == "next":
            day = published + dt.timedelta(days=(target - published.weekday()) % 7 or 7)
        else:
            back = (published.weekday() - target) % 7
            if rel in ("last", "previous", "past") and back == 0:
                back = 7
            day = published - dt.timedelta(days=back)
        return day, _coarsest(_DAY, pub_precision)
    return None, _UNKNOWN


def _resolve_relative(m: re.Match[str], published: dt.date | None,
                      pub_precision: DatePrecision) -> tuple[dt.date | None, DatePrecision]:
    _, rules = _relative_table()
    key = next(k for k, v in m.groupdict().items() if v is not None and k.startswith("r"))
    unit, amount, precision = rules[key]
    if precision is _UNKNOWN:
        return None, _UNKNOWN       # "last year": too coarse for any ACLED precision
    if published is None or pub_precision is _UNKNOWN or (pub_precision is _MONTH and unit in ("days", "weeks")):
        return None, _UNKNOWN
    if "n" in amount:
        n = parse_number(m.group("n" + key[1:]) or "")
        if n is None:
            return None, _UNKNOWN
        count = -n if amount.startswith("-") else n
    else:
        count = int(amount)
    if unit == "days":
        return published + dt.timedelta(days=count), _coarsest(precision, pub_precision)
    if unit == "weekend":
        saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
        return saturday, _coarsest(_WEEK, pub_precision)
    if unit == "weeks":
        return published + dt.timedelta(days=7 * count), _coarsest(precision, pub_precision)
    months = count * 12 if unit == "years" else count
    return _add_months(published, months), _coarsest(precision, pub_precision)


def _in_range(resolve, *args) -> tuple[dt.date | None, DatePrecision]:
    """A resolution, or no date when counting from the publication date leaves the calendar
    ("on Friday" in a story dated 9999-12-31): an unknown date, never a crash or an invented one."""
    try:
        return resolve(*args)
    except OverflowError:
        return None, _UNKNOWN


def event_dates(text: str, *, published: dt.date | None,
                published_precision: DatePrecision = DatePrecision.DAY) -> list[EventDate]:
    """Every date expression in `text`, resolved against the publication date, in text order.

    >>> [(d.date, d.precision.value, d.text) for d in event_dates(
    ...     "Gunmen killed six people late on Thursday, police said on Friday.",
    ...     published=dt.date(2017, 4, 21))]
    [(datetime.date(2017, 4, 20), 'day', 'late on Thursday'), (datetime.date(2017, 4, 21), 'day', 'on Friday')]
    >>> [(d.date, d.precision.value) for d in event_dates("an offensive launched on Oct. 17",
    ...     published=dt.date(2017, 1, 6))]
    [(datetime.date(2016, 10, 17), 'day')]
    >>> [(d.date, d.text) for d in event_dates("captured in mid-2014", published=dt.date(2017, 4, 18))]
    [(None, 'in mid-2014')]
    """
    taken: list[tuple[int, int]] = []
    found: list[EventDate] = []
    if not _CUE.search(text):
        return found

    def add(m: re.Match[str], day: dt.date | None, precision: DatePrecision) -> None:
        start, end = m.span()
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(EventDate(day, precision if day else _UNKNOWN, m.group(0), start, end))

    needs = _present(text)
    starts = [m.start() for m in _WORD_START.finditer(text)]
    for kind, rx in _PATTERNS[:-1]:
        if not needs[kind]:
            continue
        for m in _matches(rx, text, needs[kind], starts):
            if kind in _MONTH_DAY and _names_an_event(text, m.start(), m.end()):
                taken.append(m.span())      # a name, not a date: nothing else may date these words
                continue
            add(m, *_in_range(_resolve, kind, m, published, published_precision))
    for m in _relative_matches(text, starts):
        add(m, *_in_range(_resolve_relative, m, published, published_precision))
    if needs["wd"]:
        for m in _matches(_PATTERNS[-1][1], text, needs["wd"], starts):
            add(m, *_in_range(_resolve, "wd", m, published, published_precision))
    found.sort(key=lambda d: d.start)
    return found


# A relative clause that dates something else's start: "the investigation that began in June 2016".
_OTHER_START = re.compile(r"\b(?:that|which)\s+(?:began|started|opened|was\s+launched|were\s+launched|was\s+founded|"
                          r"was\s+set\s+up|took\s+office)\s+(?:(?:in|on|at)\s+(?:the\s+)?)?$", re.IGNORECASE)


def _is_reporting(text: str, d: EventDate) -> bool:
    """True if the date says when something was said rather than when it happened."""
    if _SPEECH_BEFORE.search(text, max(0, d.start - 80), d.start):
        return True
    return not text[:d.start].strip() and bool(_SPEECH_AFTER.match(text, d.end))


# "the day after the inauguration on Jan. 20": a day counted from the day of an occasion.
_FROM_OCCASION = re.compile(r"\b(?:the|a|an|(?P<n>\w+))\s+(?P<unit>day|week)s?\s+(?P<dir>after|before)\s+"
                            r"(?:[\w’'.-]+\s+){1,5}$", re.IGNORECASE)


def _counted_from_occasion(text: str, d: EventDate) -> EventDate | None:
    """The day `d` is counted from when the text says "the day after/before <occasion> <d>", else None.

    >>> d = event_date("Crowds marched the day after the inauguration on Jan. 20.", published=dt.date(2017, 3, 4))
    >>> d.date, d.text
    (datetime.date(2017, 1, 21), 'the day after the inauguration on Jan. 20')
    """
    if d.date is None or d.precision is not DatePrecision.DAY:
        return None
    m = _FROM_OCCASION.search(text, max(0, d.start - 90), d.start)
    if m is None:
        return None
    count = 1 if m.group("n") is None else parse_number(m.group("n"))
    if not count:
        return None              # "days after the vote": how many is not said
    days = count * (7 if m.group("unit").lower() == "week" else 1) * (1 if m.group("dir").lower() == "after" else -1)
    try:
        day = d.date + dt.timedelta(days=days)
    except OverflowError:
        return None
    return EventDate(day, DatePrecision.DAY, text[m.start():d.end], m.start(), d.end)


def event_date(text: str, *, published: dt.date | None,
               published_precision: DatePrecision = DatePrecision.DAY) -> EventDate:
    """The expression that best dates the event in this sentence.

    The first date not attached to a reporting verb wins. If the only dates say when something was
    *said*, the event happened on or before that day: that date is returned with at least week
    precision. No date at all gives `EventDate(None, UNKNOWN, "")`.

    >>> event_date("An attack killed six people on Thursday, officials said on Friday.",
    ...            published=dt.date(2017, 1, 6)).date
    datetime.date(2017, 1, 5)
    >>> d = event_date("Police said on Friday a car bomb killed five.", published=dt.date(2017, 1, 6))
    >>> d.date, d.precision.value
    (datetime.date(2017, 1, 6), 'week')

    A date in a clause about something else's start does not date the event:

    >>> event_date("She was detained in the investigation that began in June 2016.",
    ...            published=dt.date(2017, 11, 7)).date is None
    True

    Nor does the date of an occasion told beside it (a vote, a meeting, a referendum):

    >>> event_date("Troops seized Kirkuk in response to a referendum held last month.",
    ...            published=dt.date(2017, 10, 20)).date is None
    True
    >>> event_date("Gunmen killed two guards days before the May 5 vote.", published=dt.date(2017, 5, 1)).date is None
    True
    """
    occasion = _occasion_before()
    candidates = []
    for d in event_dates(text, published=published, published_precision=published_precision):
        if _OTHER_START.search(text, max(0, d.start - 40), d.start):
            continue
        if occasion.search(text, max(0, d.start - 40), d.start):
            counted = _counted_from_occasion(text, d)
            if counted is None:
                continue
            d = counted
        candidates.append(d)
    events = [d for d in candidates if not _is_reporting(text, d)]
    for d in events:
        if d.date is not None:
            return d
    if events:
        return events[0]
    for d in candidates:
        if d.date is not None:
            return EventDate(d.date, _coarsest(_WEEK, d.precision), d.text, d.start, d.end)
    return candidates[0] if candidates else _NONE
