"""Resolving a matched date expression against the publication date: calendar arithmetic, and never a
result more precise than the publication date (used by `geo.extract.dates`)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from geo.extract.date_patterns import _MONTHS, _WEEKDAYS, HOLIDAYS, _relative_table
from geo.extract.numbers import parse_number
from geo.model import DatePrecision

_DAY, _WEEK, _MONTH, _UNKNOWN = (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH,
                                 DatePrecision.UNKNOWN)
_RANK = {_DAY: 0, _WEEK: 1, _MONTH: 2, _UNKNOWN: 3}
# A month-day without a year may fall a day after publication (a story dated in another time zone)...
_AHEAD_DAYS = 1
# ... and no more than about eleven months before it: further back, it is an announced future date.
_BACK_DAYS = 335
_SATURDAY = 5            # datetime.date.weekday() of a Saturday: a weekend is dated by it


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
    if this_year is not None and this_year <= published + dt.timedelta(days=_AHEAD_DAYS):
        return this_year
    previous = _safe_date(published.year - 1, month, day)
    if previous is None or (published - previous).days > _BACK_DAYS:
        return None
    return previous


_Groups = dict[str, Any]      # a match's groupdict
_Resolved = tuple[dt.date | None, DatePrecision]


def _full_date(g: _Groups) -> _Resolved:
    """"2017-04-20", "April 20, 2017", "20 April 2017": a day, if the calendar has it."""
    month = int(g["mnum"]) if "mnum" in g else _MONTHS[g["month"]]
    day = _safe_date(int(g["year"]), month, int(g["day"]))
    return (day, _DAY) if day else (None, _UNKNOWN)


def _month_year(g: _Groups) -> _Resolved:
    """"April 2017", "late May 2016": a month."""
    return dt.date(int(g["year"]), _MONTHS[g["month"]], 1), _MONTH


# Expressions that carry their own year; "y" (a bare year) is too coarse for ACLED and is not here.
_ABSOLUTE: dict[str, Callable[[_Groups], _Resolved]] = {
    "iso": _full_date, "mdy": _full_date, "dmy": _full_date, "my": _month_year,
}


def _month_day(g: _Groups, published: dt.date, pub_precision: DatePrecision) -> _Resolved:
    """"Oct. 17": the year that puts it on or before publication."""
    day = _year_for(_MONTHS[g["month"]], int(g["day"]), published)
    return (day, _coarsest(_DAY, pub_precision)) if day else (None, _UNKNOWN)


def _holiday(g: _Groups, published: dt.date, pub_precision: DatePrecision) -> _Resolved:
    """"New Year's Day", "Christmas Eve": the holiday's day on or before publication, as a month-day."""
    month, day = HOLIDAYS[re.sub(r"\s+", " ", g["holiday"].lower().replace("’", "'"))]
    return _month_day({"month": calendar.month_name[month], "day": str(day)}, published, pub_precision)


def _month(g: _Groups, published: dt.date, pub_precision: DatePrecision) -> _Resolved:
    """"in March", "last March", "next March": the latest such month on or before publication, unless
    "last", "next" or "this" say otherwise."""
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


def _weekday(g: _Groups, published: dt.date, pub_precision: DatePrecision) -> _Resolved:
    """"on Thursday": the most recent such day on or before publication ("last Thursday": strictly
    before; "next Thursday": strictly after)."""
    target, rel = _WEEKDAYS[g["wd"]], (g.get("rel") or "").lower()
    if rel == "next":
        day = published + dt.timedelta(days=(target - published.weekday()) % 7 or 7)
    else:
        back = (published.weekday() - target) % 7
        if rel in ("last", "previous", "past") and back == 0:
            back = 7
        day = published - dt.timedelta(days=back)
    return day, _coarsest(_DAY, pub_precision)


# Expressions counted from the publication date, and the coarsest publication precision each can be
# counted from: a weekday against a month is meaningless.
_FROM_PUBLICATION: dict[str, tuple[DatePrecision, Callable[[_Groups, dt.date, DatePrecision], _Resolved]]] = {
    "md": (_MONTH, _month_day), "dm": (_MONTH, _month_day), "m": (_MONTH, _month), "wd": (_WEEK, _weekday),
    "hd": (_MONTH, _holiday),
}


def _resolve(kind: str, m: re.Match[str], published: dt.date | None,
             pub_precision: DatePrecision) -> _Resolved:
    """Date and precision of one matched expression of `kind` (`_ABSOLUTE`, `_FROM_PUBLICATION`)."""
    g = m.groupdict()
    if kind in _ABSOLUTE:
        return _ABSOLUTE[kind](g)
    rule = _FROM_PUBLICATION.get(kind)
    if rule is None or published is None or _RANK[pub_precision] > _RANK[rule[0]]:
        return None, _UNKNOWN
    return rule[1](g, published, pub_precision)


# How a relative phrase's unit (geo/data/date_phrases.csv) moves the publication date by its count,
# and the precision it gives regardless of the row's (None: the row's).
def _days(published: dt.date, count: int) -> dt.date:
    return published + dt.timedelta(days=count)


def _weekend(published: dt.date, count: int) -> dt.date:
    """The Saturday of the latest weekend on or before publication."""
    return published - dt.timedelta(days=(published.weekday() - _SATURDAY) % 7)


def _weeks(published: dt.date, count: int) -> dt.date:
    return published + dt.timedelta(days=7 * count)


def _months(published: dt.date, count: int) -> dt.date:
    return _add_months(published, count)


def _years(published: dt.date, count: int) -> dt.date:
    return _add_months(published, count * 12)


_UNITS: dict[str, tuple[Callable[[dt.date, int], dt.date], DatePrecision | None]] = {
    "days": (_days, None), "weekend": (_weekend, _WEEK), "weeks": (_weeks, None), "years": (_years, None),
}
_OTHER_UNIT = (_months, None)       # "months", and any unit the table does not name


def _phrase_count(m: re.Match[str], key: str, amount: str) -> int | None:
    """How many units a relative phrase counts: its fixed amount, or the number it says ("{n} days ago")."""
    if "n" not in amount:
        return int(amount)
    n = parse_number(m.group("n" + key[1:]) or "")
    if n is None:
        return None
    return -n if amount.startswith("-") else n


def _resolve_relative(m: re.Match[str], published: dt.date | None,
                      pub_precision: DatePrecision) -> _Resolved:
    """Date and precision of a relative phrase ("two days ago", "last weekend") from date_phrases.csv."""
    _, rules = _relative_table()
    key = next(k for k, v in m.groupdict().items() if v is not None and k.startswith("r"))
    unit, amount, precision = rules[key]
    if precision is _UNKNOWN:
        return None, _UNKNOWN       # "last year": too coarse for any ACLED precision
    if published is None or pub_precision is _UNKNOWN or (pub_precision is _MONTH and unit in ("days", "weeks")):
        return None, _UNKNOWN
    count = _phrase_count(m, key, amount)
    if count is None:
        return None, _UNKNOWN
    step, fixed = _UNITS.get(unit, _OTHER_UNIT)
    return step(published, count), _coarsest(fixed if fixed is not None else precision, pub_precision)


def _in_range(resolve, *args) -> tuple[dt.date | None, DatePrecision]:
    """A resolution, or no date when counting from the publication date leaves the calendar
    ("on Friday" in a story dated 9999-12-31): an unknown date, never a crash or an invented one."""
    try:
        return resolve(*args)
    except OverflowError:
        return None, _UNKNOWN
