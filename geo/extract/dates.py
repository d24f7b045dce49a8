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

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from geo.extract.date_calendar import _UNKNOWN, _WEEK, _coarsest, _in_range, _resolve, _resolve_relative
from geo.extract.date_patterns import (
    _CUE,
    _PATTERNS,
    _WORD_START,
    _matches,
    _names_an_event,
    _occasion_before,
    _present,
    _relative_matches,
    names_a_famous_event,
)
from geo.extract.numbers import parse_number
from geo.extract.words import alternation
from geo.model import DatePrecision

__all__ = ["NO_DATE", "EventDate", "date_candidates", "event_date", "event_date_among", "event_dates", "is_reporting"]


@cache
def _speech_before() -> re.Pattern[str]:
    """Reporting the news is not the event: "said on Thursday", "told Reuters in an interview late on
    Wednesday" (the words: geo/data/function_words.csv, report-verb and report-trimming)."""
    return re.compile(r"\b" + alternation("report-verb") + r"(?:[\s,]+" + alternation("report-trimming") + r")*[\s,]*$")


@cache
def _speech_after() -> re.Pattern[str]:
    """ "On Friday, police said": a reporting verb after a sentence's opening date (report-verb-after)."""
    return re.compile(r"^\s*,\s*(?:[\w.’'-]+\s+){0,4}" + alternation("report-verb-after") + r"\b")


# Characters before a date searched for what it dates: a reporting verb and its trimmings ("told Reuters
# in an interview late on"), "the day after <an occasion of up to five words>", a clause opener ("that
# began in") or an occasion noun ("a referendum held").
_SPEECH_REACH, _OCCASION_COUNT_REACH, _CLAUSE_REACH = 80, 90, 40


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


NO_DATE = EventDate(None, _UNKNOWN, "")      # no date told
_MONTH_DAY = ("md", "dm", "mdy", "dmy", "iso", "hd")


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

    A night phrase before a named day is that day's night:

    >>> [(d.date, d.text) for d in event_dates("Fighting erupted overnight into Saturday.", published=dt.date(2016, 4, 5))]
    [(datetime.date(2016, 4, 2), 'overnight into Saturday')]
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
            if kind in _MONTH_DAY and (names_a_famous_event(text, m) or _names_an_event(text, m.start(), m.end())):
                taken.append(m.span())      # a name, not a date: nothing else may date these words
                continue
            add(m, *_in_range(_resolve, kind, m, published, published_precision))
    for m in _relative_matches(text, starts):
        add(m, *_in_range(_resolve_relative, m, published, published_precision))
    if needs["wd"]:
        for m in _matches(_PATTERNS[-1][1], text, needs["wd"], starts):
            add(m, *_in_range(_resolve, "wd", m, published, published_precision))
    found.sort(key=lambda d: d.start)
    return _night_of_a_named_day(text, found)


# "overnight Wednesday", "overnight into Saturday", "last night, Tuesday": the night the day names, not the night
# before publication.
_NIGHT = re.compile(r"(?i)(?:late\s+)?(?:overnight|last\s+night|tonight)")
_NIGHT_TO_DAY = re.compile(r"(?i)(?:\s+|\s*,\s*)(?:(?:on|into|to)\s+)?$")


def _night_of_a_named_day(text: str, found: list[EventDate]) -> list[EventDate]:
    """The dates of `text` with a night phrase and the weekday or month-day right after it made one: the named
    day's date, the words of both."""
    out: list[EventDate] = []
    for d in found:
        night = out[-1] if out else None
        if night is not None and _NIGHT.fullmatch(night.text) and d.precision is DatePrecision.DAY \
                and not _RELATIVE_WORDS.match(d.text) and _NIGHT_TO_DAY.fullmatch(text, night.end, d.start):
            out[-1] = EventDate(d.date, d.precision, text[night.start:d.end], night.start, d.end)
            continue
        out.append(d)
    return out


_RELATIVE_WORDS = re.compile(r"(?i)(?:today|tonight|yesterday|overnight|last\s+night)\b")


# A relative clause that dates something else's start: "the investigation that began in June 2016".
_OTHER_START = re.compile(r"\b(?:that|which)\s+(?:began|started|opened|was\s+launched|were\s+launched|was\s+founded|"
                          r"was\s+set\s+up|took\s+office)\s+(?:(?:in|on|at)\s+(?:the\s+)?)?$", re.IGNORECASE)


# A date that bounds a period says when a state or a campaign began or ends, not when an event happened: "the
# first attack in the capital since July", "held until June", "by Friday", "deaths during the battle, from
# Feb. 19", "between March and May". It never dates the event of its sentence.
_BOUND = re.compile(r"(?:since|until|till|by|from|between)\b", re.IGNORECASE)
# ... and so does a date in a clause that "since" opens: "have fled their homes since fighting intensified in early
# December", "the first attack since the army launched its offensive on Monday".
_SINCE_CLAUSE = re.compile(r"\b(?:since|until)\s+(?:[\w’'-]+\s+){1,5}$", re.IGNORECASE)


def is_reporting(text: str, d: EventDate) -> bool:
    """True if the date says when something was said rather than when it happened."""
    if _speech_before().search(text, max(0, d.start - _SPEECH_REACH), d.start):
        return True
    return not text[:d.start].strip() and bool(_speech_after().match(text, d.end))


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
    m = _FROM_OCCASION.search(text, max(0, d.start - _OCCASION_COUNT_REACH), d.start)
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


def date_candidates(text: str, *, published: dt.date | None,
                    published_precision: DatePrecision = DatePrecision.DAY) -> list[EventDate]:
    """The date expressions of `text` that may date an event, in text order: not one that bounds a period, dates
    something else's start or an occasion told beside the event (a day counted from an occasion stays)."""
    return _candidates_among(text, event_dates(text, published=published, published_precision=published_precision))


def _candidates_among(text: str, found: list[EventDate]) -> list[EventDate]:
    """`date_candidates` of `text`, given its `event_dates`."""
    occasion = _occasion_before()
    candidates = []
    for d in found:
        before = max(0, d.start - _CLAUSE_REACH)
        if _OTHER_START.search(text, before, d.start) or _BOUND.match(d.text) or _SINCE_CLAUSE.search(text, before, d.start):
            continue
        if occasion.search(text, max(0, d.start - _CLAUSE_REACH), d.start):
            counted = _counted_from_occasion(text, d)
            if counted is None:
                continue
            d = counted
        candidates.append(d)
    return candidates


def _day_within(day: EventDate, coarse: EventDate) -> bool:
    """True if `day` is dated to the day and falls inside the week or month `coarse` is dated to ("Earlier this month,
    ... on Nov. 9")."""
    if day.date is None or day.precision is not DatePrecision.DAY or coarse.date is None:
        return False
    if coarse.precision is DatePrecision.MONTH:
        return (day.date.year, day.date.month) == (coarse.date.year, coarse.date.month)
    return coarse.precision is _WEEK and abs((day.date - coarse.date).days) < _WEEK_DAYS


_WEEK_DAYS = 7


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

    A coarse date and a day inside it tell one time; the day says it more precisely:

    >>> event_date("Last month an activist was shot dead outside his home on July 28.",
    ...            published=dt.date(2018, 8, 14)).text
    'on July 28'

    Nor does a date that bounds a period:

    >>> event_date("17 people were killed in the attack, the first in the capital since July.",
    ...            published=dt.date(2017, 10, 3)).date is None
    True
    >>> event_date("4,500 people have fled since fighting intensified in early December.",
    ...            published=dt.date(2019, 1, 6)).date is None
    True
    """
    return event_date_among(text, event_dates(text, published=published, published_precision=published_precision))


def event_date_among(text: str, found: list[EventDate]) -> EventDate:
    """`event_date` of `text`, given its `event_dates` (for a caller that reads them as well)."""
    candidates = _candidates_among(text, found)
    events = [d for d in candidates if not is_reporting(text, d)]
    for n, d in enumerate(events):
        if d.date is not None:
            return next((e for e in events[n + 1:] if _day_within(e, d)), d)
    if events:
        return events[0]
    for d in candidates:
        if d.date is not None:
            return EventDate(d.date, _coarsest(_WEEK, d.precision), d.text, d.start, d.end)
    return candidates[0] if candidates else NO_DATE
