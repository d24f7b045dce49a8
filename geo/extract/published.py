"""The day an article was published when its metadata lacks one: from its photo caption, dateline and lead.

Moved out of `geo.extract.dates` (which reads the dates an article's sentences tell); it reads those
dates with the same patterns.
"""

from __future__ import annotations

import datetime as dt
import re

from geo.extract.date_calendar import _DAY, _UNKNOWN, _WEEK, _resolve, _safe_date
from geo.extract.date_patterns import _MONTHS, _PATTERNS, _WEEKDAYS
from geo.extract.dates import _speech_before
from geo.model import Article, DatePrecision
from geo.read.text import sentences

__all__ = ["publication_date"]


_CREDIT = re.compile(r"\b(?:REUTERS|Reuters|AFP|AP|EPA|GETTY)\s*/")
_AGENCY_DATELINE = re.compile(r"\((?:Reuters|REUTERS|AFP|AP)\)\s*[-–—]?\s*")


def _caption_text(article: Article) -> str:
    """The photo caption(s): the caption span, else lines carrying a photo credit ("REUTERS/Name")."""
    if article.caption_span is not None:
        return article.caption
    head = article.text[: article.body_span.start] if article.body_span else article.text[:3000]
    lines = [line for line in head.splitlines() if _CREDIT.search(line)]
    return "\n".join(lines)


def _caption_date(caption: str) -> dt.date | None:
    """The last full date in a (non file-photo) caption: the day the photo was taken."""
    best = None
    for line in caption.splitlines() or [caption]:
        if "FILE PHOTO" in line.upper():
            continue       # an archive picture says nothing about when the story ran
        for kind, rx in _PATTERNS[:3]:
            for m in rx.finditer(line):
                day, _ = _resolve(kind, m, None, _UNKNOWN)
                if day is not None:
                    best = day
    return best


def _lead_sentence(article: Article) -> str:
    """The first sentence after the dateline ("CITY (Reuters) - ...")."""
    text = article.text
    if article.dateline is not None:
        start = article.dateline.span.end
    elif m := _AGENCY_DATELINE.search(text, article.body_span.start if article.body_span else 0):
        start = m.end()
    elif article.body_span is not None:
        start = article.body_span.start
    else:
        return ""
    first = next(iter(sentences(text, start, min(len(text), start + 1000))), None)
    return first.text if first is not None and first.start - start < 600 else text[start:start + 600]


def _lead_weekday(lead: str) -> int | None:
    """The weekday naming the news day in a lead: one tied to a reporting verb, else the last one."""
    days = [m for m in _PATTERNS[-1][1].finditer(lead) if not m.group("rel")]
    if not days:
        return None
    reported = [m for m in days
                if _speech_before().search(lead, max(0, m.start() - 80), m.start())]
    return _WEEKDAYS[(reported or days)[-1].group("wd")]


def _dateline_text(article: Article) -> str:
    """The dateline ("BAGHDAD, April 21 (Reuters) -"), where some agencies put the day of the story."""
    if article.dateline is not None:
        return article.slice(article.dateline.span)
    text = article.text
    m = _AGENCY_DATELINE.search(text, article.body_span.start if article.body_span else 0)
    if m is None:
        return ""
    return text[max(text.rfind("\n", 0, m.start()) + 1, m.start() - 80):m.end()]


def _dateline_date(dateline: str, caption: dt.date | None) -> tuple[dt.date | None, str]:
    """A full date in the dateline; or its month-day placed in the week from the caption date."""
    for kind, rx in _PATTERNS[:3]:
        if m := rx.search(dateline):
            return _resolve(kind, m, None, _UNKNOWN)[0], "dateline"
    if caption is None:
        return None, ""
    for kind in ("md", "dm"):
        m = next(rx for k, rx in _PATTERNS if k == kind).search(dateline)
        if m is None:
            continue
        for year in (caption.year, caption.year + 1):
            day = _safe_date(year, _MONTHS[m.group("month")], int(m.group("day")))
            if day is not None and 0 <= (day - caption).days <= 6:
                return day, "caption+dateline"
    return None, ""


def publication_date(article: Article) -> tuple[dt.date | None, DatePrecision, str]:
    """(date, precision, source) of an article: metadata, else its photo caption and lead.

    A full date in the dateline ("BAGHDAD, April 21, 2017 (AFP) -") is the day ("dateline"). A dated
    caption is a lower bound (the photo is taken on or before the story runs): a dateline month-day
    ("KABUL, Oct 5 (Reuters)") within six days of it gives "caption+dateline"; else the weekday the lead
    names ("officials said on Friday") fixes the day: the first such weekday on or after the caption
    date ("caption+lead"). A caption alone gives week precision. Nothing gives (None, UNKNOWN, "").
    """
    if article.date is not None:
        precision = article.date_precision if article.date_precision is not _UNKNOWN else _DAY
        return article.date, precision, "metadata"
    caption = _caption_date(_caption_text(article))
    day, source = _dateline_date(_dateline_text(article), caption)
    if day is not None:
        return day, _DAY, source
    if caption is None:
        return None, _UNKNOWN, ""
    weekday = _lead_weekday(_lead_sentence(article))
    if weekday is None:
        return caption, _WEEK, "caption"
    try:
        return caption + dt.timedelta(days=(weekday - caption.weekday()) % 7), _DAY, "caption+lead"
    except OverflowError:          # a caption dated at the calendar's end
        return caption, _WEEK, "caption"
