"""Resolving a matched date expression against the publication date: calendar arithmetic, and never a
result more precise than the publication date (used by `geo.extract.dates`)."""

from __future__ import annotations

import datetime as dt
import re

from geo.extract.date_patterns import _MONTHS, _WEEKDAYS, _relative_table
from geo.extract.numbers import parse_number
from geo.model import DatePrecision

_DAY, _WEEK, _MONTH, _UNKNOWN = (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH,
                                 DatePrecision.UNKNOWN)
_RANK = {_DAY: 0, _WEEK: 1, _MONTH: 2, _UNKNOWN: 3}


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
