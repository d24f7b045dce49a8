"""When an incident happened: the date each sentence (or the clause of an event) tells, and the date a
sentence without one inherits. Dates are read by `geo.extract.dates`; this module decides which
sentence's date an event takes (moved out of `geo.extract.locate`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from geo.extract.dates import EventDate, date_candidates, event_date, is_reporting
from geo.extract.numbers import number_words
from geo.model import Article, DatePrecision
from geo.read.text import MONTH_WORD, Sentence

__all__ = ["Dater"]

# Cheap test before the full date parser: words without which a sentence states no date.
_DATEISH = re.compile(r"\d|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                      r"nov|dec)[a-z]*\b|\b(?:today|tonight|yesterday|overnight|ago|last|this|earlier|previous|before|next|following|later|"
                      r"week|month|year|mid|early|late|night|morning|evening|afternoon|weekend|decade|century)",
                      re.IGNORECASE)
# A day counted from another sentence's day: "Two days earlier", "a day later", "the next day".
_COUNTED_DAYS = re.compile(r"\b(?:(?P<n>a|an|one|two|three|four|five|six|\d)\s+days?\s+(?P<dir>earlier|before|later|after)\b"
                           r"|the\s+(?:next|following)\s+day\b)", re.IGNORECASE)


# A calendar day named in full: a number beside a month name ("14 May 2023", "April 18").
_CALENDAR_DAY = re.compile(rf"\b(?:\d{{1,2}}\s+{MONTH_WORD}|{MONTH_WORD}\s+\d{{1,2}})\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_WEEK = 7


class Dater:
    """Dates sentences of one article lazily: own date, else the paragraph's, else the lead's."""

    def __init__(self, article: Article, sents: Sequence[Sentence],
                 families: Callable[[int], frozenset[str]] | None = None):
        self._article = article
        self._sents = sents
        self._cache: dict[int, object] = {}
        self._candidates: dict[int, list[tuple[EventDate, bool]]] = {}
        self._lead = sents[0].paragraph if sents else -1
        self._families = families

    def own(self, i: int):
        """The date expression of sentence `i` (an EventDate; empty text when it has none).

        Its start and end are offsets into the article text (-1 when no words gave the date).
        """
        got = self._cache.get(i)
        if got is None and not _DATEISH.search(self._sents[i].text):
            got = self._cache[i] = EventDate(None, DatePrecision.UNKNOWN, "")
        if got is None:
            a = self._article
            got = _shifted(event_date(self._sents[i].text, published=a.date,
                                      published_precision=a.date_precision if a.date else DatePrecision.DAY),
                           self._sents[i].start)
            if got.date is None:
                got = self._counted_from_before(i) or got
            self._cache[i] = got
        return got

    def own_in(self, i: int, clause: tuple[int, int]):
        """The date of sentence `i` as the clause [start, end) of an event tells it.

        A sentence telling two events ("a journalist was arrested in Izmir in March and an aid
        worker detained in Ankara last week") dates each by its own clause; a clause without a date
        of its own takes the sentence's.
        """
        whole = self.own(i)
        sentence = self._sents[i]
        if not whole.text or (clause[0] <= sentence.start and clause[1] >= sentence.end):
            return whole
        part = self._article.text[clause[0]:clause[1]]
        if not _DATEISH.search(part):
            return whole
        a = self._article
        got = event_date(part, published=a.date,
                         published_precision=a.date_precision if a.date else DatePrecision.DAY)
        if not got.text:
            return whole
        got = _shifted(got, clause[0])
        if whole.start <= got.start < whole.end and len(whole.text) > len(got.text):
            return whole         # the clause cut the sentence's date short: "on April 18" | ", 2017, police said"
        if _beside_its_calendar(whole, got):
            return whole
        return got

    def candidates(self, i: int) -> list[tuple[EventDate, bool]]:
        """The expressions of sentence `i` that may date an event, with whether each dates a telling ("said on
        Friday"), in text order; offsets are in the article text."""
        got = self._candidates.get(i)
        if got is None:
            text = self._sents[i].text
            a = self._article
            found = date_candidates(text, published=a.date,
                                    published_precision=a.date_precision if a.date else DatePrecision.DAY) \
                if _DATEISH.search(text) else []
            got = self._candidates[i] = [(_shifted(d, self._sents[i].start), is_reporting(text, d)) for d in found]
        return got

    def _counted_from_before(self, i: int):
        """"Two days earlier", "the next day": a day counted from the day a sentence just before tells.

        Only from a sentence dated to the day, at most three sentences back; without one the date
        stays unknown rather than being counted from the publication date.
        """
        m = _COUNTED_DAYS.search(self._sents[i].text)
        if m is None:
            return None
        for j in range(i - 1, max(-1, i - 4), -1):
            anchor = self.own(j)
            if anchor.date is not None:
                if anchor.precision is not DatePrecision.DAY:
                    return None

                word = (m.group("n") or "one").lower()
                n = int(word) if word.isdigit() else {"a": 1, "an": 1, **number_words()}.get(word)
                if n is None:
                    return None
                sign = -1 if (m.group("dir") or "").lower() in ("earlier", "before") else 1
                try:
                    base = self._sents[i].start
                    return EventDate(anchor.date + dt.timedelta(days=sign * n), DatePrecision.DAY, m.group(0),
                                     base + m.start(), base + m.end())
                except OverflowError:      # counted off the calendar's end: no date rather than a crash
                    return None
        return None

    def inherited(self, i: int, family: str | None = None):
        """The nearest earlier dated sentence of the same paragraph; in the lead, any dated lead sentence.

        With `family` (and the article's detected families), only a sentence telling an event of that
        family lends its date: "the envoy said on Tuesday" does not date the attack told next. With a
        family, a later paragraph whose own sentences lend none takes the date of the lead's event of that
        family, as a coder reads wire copy ("Marchers were shot in Kinshasa on Sunday. ... Elsewhere, in
        Bukavu, several hundred people marched after mass"); an event of another time says its own time,
        and one that is a retelling of the lead's is joined to it.
        """
        para = self._sents[i].paragraph
        order = [j for j in range(i - 1, -1, -1) if self._sents[j].paragraph == para]
        if para == self._lead:
            order += [j for j in range(i + 1, len(self._sents)) if self._sents[j].paragraph == para]
        if para != self._lead and family is not None and self._families is not None:
            order += [j for j in range(len(self._sents)) if self._sents[j].paragraph == self._lead]
        for j in order:
            if family is not None and self._families is not None and family not in self._families(j):
                continue
            d = self.own(j)
            if d.text:
                return d
        return self.own(i)


def _beside_its_calendar(whole, got) -> bool:
    """True if the sentence names a calendar day ("On 14 May 2023, police detained members of the Mothers of
    Saturday group") and the clause only a day word that the publication date would put more than a week
    away from it: a weekday is counted from the time the text is about, and an explicit calendar day says
    what that is (the word here is part of a name, or counts from that day, not from publication)."""
    if whole.date is None or got.date is None or whole.precision is not DatePrecision.DAY:
        return False
    if not _CALENDAR_DAY.search(whole.text) or _DIGIT.search(got.text):
        return False
    return abs((got.date - whole.date).days) > _WEEK


def _shifted(date, offset: int):
    """The EventDate with its start and end moved from its sentence or clause into the article text."""
    if date.start < 0:
        return date
    return replace(date, start=date.start + offset, end=date.end + offset)
