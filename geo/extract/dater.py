"""When an incident happened: the date each sentence (or the clause of an event) tells, and the date a
sentence without one inherits. Dates are read by `geo.extract.dates`; this module decides which
sentence's date an event takes (moved out of `geo.extract.locate`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache

from geo.extract.date_patterns import told_event, told_families
from geo.extract.dates import NO_DATE, EventDate, date_candidates, event_date, event_date_among, event_dates, is_reporting
from geo.extract.decide import subsumptions
from geo.extract.numbers import number_words
from geo.model import Article, DatePrecision
from geo.read.text import CALENDAR_DAY, Sentence

__all__ = ["Dater"]

# Cheap test before the full date parser: words without which a sentence states no date.
_DATEISH = re.compile(r"\d|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                      r"nov|dec)[a-z]*\b|\b(?:today|tonight|yesterday|overnight|ago|last|this|earlier|previous|before|next|following|later|"
                      r"day|hours|minutes|week|month|year|mid|early|late|night|morning|evening|afternoon|weekend|decade|century|"
                      r"christmas)",
                      re.IGNORECASE)
# A day counted from another sentence's day: "Two days earlier", "a day later", "the next day"; or that day itself:
# "Hours later", "later that day", "the same day". A day said by what follows is not counted from a sentence before:
# "the same day the bodies were found", "a day after security forces killed two protesters" (a day before the story's).
_COUNTED_DAYS = re.compile(r"\b(?:(?P<n>a|an|one|two|three|four|five|six|\d)\s+days?\s+(?P<dir>earlier|later|(?:before|after)"
                           r"(?!\s+[\w\"“‘']))\b"
                           r"|the\s+(?:next|following)\s+day\b"
                           r"|(?P<same>(?:hours|minutes)\s+(?:later|earlier)\b|(?:later|earlier)\s+(?:that|the\s+same)\s+day\b"
                           r"|(?:that|the)\s+same\s+day(?=\s*(?:[,.;:)]|$))))", re.IGNORECASE)


# "The day before", "the previous day": a day counted back from the day the text is at; "the day before" with a
# word after it counts from an occasion ("the day before the vote", "the day before he was to appear").
_DAY_BEFORE = re.compile(r"(?:on\s+)?the\s+(?:previous\s+day|day\s+before)(?:['’]s)?", re.IGNORECASE)
_DAY_BEFORE_WHAT = re.compile(r"(?<=before)\s+(?!(?:and|but|or|as|when|while)\b)[\w\"“‘']")
# Sentences back searched for the event that "hours after the blast" refers to.
_TOLD_REACH = 8

# A calendar day named in full: a number beside a month name ("14 May 2023", "April 18").
_CALENDAR_DAY = re.compile(rf"\b{CALENDAR_DAY}\b", re.IGNORECASE)
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
        self._told: dict[int, bool] = {}        # whether a sentence without a date of its own holds a date expression
        self._lead = sents[0].paragraph if sents else -1
        self._families = families

    def own(self, i: int):
        """The date expression of sentence `i` (an EventDate; empty text when it has none).

        Its start and end are offsets into the article text (-1 when no words gave the date).
        """
        got = self._cache.get(i)
        if got is not None:
            return got
        got = NO_DATE
        text = self._sents[i].text
        found = None
        if _DATEISH.search(text):
            a = self._article
            found = event_dates(text, published=a.date,
                                published_precision=a.date_precision if a.date else DatePrecision.DAY)
            got = _shifted(event_date_among(text, found), self._sents[i].start)
            got = self.day_before(i, got)
            if got.date is None:
                got = self._counted_from_before(i) or got
        if not got.text:
            # Whether the sentence holds any date expression does not depend on the publication date (only how each
            # resolves does), so the expressions found above answer it.
            told = self._told[i] = bool(found if found is not None else event_dates(text, published=None))
            if not told:
                got = self._told_before(i) or got     # a date that bounds a period ("since March 30") says another time
        self._cache[i] = got
        return got

    def tells_a_time(self, i: int) -> bool:
        """True if sentence `i` has a date of its own (`own`) or any date expression, even one that dates nothing
        ("since 2015")."""
        return bool(self.own(i).text) or self._told[i]      # `own` notes the latter whenever it finds no date

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
        got = self.day_before(i, _shifted(got, clause[0]))
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
                n = 0 if m.group("same") else int(word) if word.isdigit() else {"a": 1, "an": 1, **number_words()}.get(word)
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

    def _told_before(self, i: int):
        """"Hours after the blast", "during the assault": the day of the event told before that the words name.

        The day of the nearest earlier sentence that tells an event of a family the noun may name
        (`geo/data/date_told_events.csv`) and is dated to the day by its own words
        (a sentence dated more coarsely tells another time: "In May, two bombings ..."), at most
        `_TOLD_REACH` sentences back; none, and the sentence stays undated.
        """
        text = self._sents[i].text
        m = told_event().search(text)
        if m is None:
            return None
        kinds = told_families()[m.group("noun").lower()]
        for j in range(i - 1, max(-1, i - 1 - _TOLD_REACH), -1):
            if self._families is not None and not kinds & self._families(j):
                continue
            anchor = self.own(j)
            if anchor.date is not None and anchor.precision is DatePrecision.DAY:
                base = self._sents[i].start
                return EventDate(anchor.date, DatePrecision.DAY, m.group(0), base + m.start(), base + m.end())
        return None

    def day_before(self, i: int, got):
        """"The day before", "the previous day" counted from the day the text is at: a day told before it in its
        sentence ("said on Sunday that ... the previous day"), else the day of a sentence just before ("On Saturday,
        ... The day before, ..."), else publication (as `geo.extract.dates` reads it). "The day before the vote"
        counts from an occasion: no day."""
        if got.start < 0 or not _DAY_BEFORE.fullmatch(got.text):
            return got
        text = self._article.text
        if _DAY_BEFORE_WHAT.match(text, got.end):
            return EventDate(None, DatePrecision.UNKNOWN, got.text, got.start, got.end)
        earlier = [d for d, _ in self.candidates(i) if d.end <= got.start and d.date is not None
                   and d.precision is DatePrecision.DAY]
        anchor = earlier[-1] if earlier else None
        for j in range(i - 1, max(-1, i - 4), -1) if anchor is None else ():
            d = self.own(j)
            if d.date is not None:
                anchor = d if d.precision is DatePrecision.DAY else None
                break
        if anchor is None or anchor.date is None:
            return got
        try:
            return EventDate(anchor.date - dt.timedelta(days=1), DatePrecision.DAY, got.text, got.start, got.end)
        except OverflowError:
            return EventDate(None, DatePrecision.UNKNOWN, got.text, got.start, got.end)

    def inherited(self, i: int, family: str | None = None):
        """The nearest earlier dated sentence of the same paragraph; in the lead, any dated lead sentence.

        With `family` (and the article's detected families), only a sentence telling an event of that
        family lends its date: "the envoy said on Tuesday" does not date the attack told next. With a
        family, a later paragraph whose own sentences lend none takes the date of the lead's event of that
        family, as a coder reads wire copy ("Marchers were shot in Kinshasa on Sunday. ... Elsewhere, in
        Bukavu, several hundred people marched after mass"); an event of another time says its own time,
        and one that is a retelling of the lead's is joined to it. A family that is always part of another
        (`geo/data/subsumes.csv`: a protest that turned violent is the riot) lends its date to it and takes
        the other's: the stones thrown at a checkpoint were thrown the day the lead's protests were held.
        """
        para = self._sents[i].paragraph
        order = [j for j in range(i - 1, -1, -1) if self._sents[j].paragraph == para]
        if para == self._lead:
            order += [j for j in range(i + 1, len(self._sents)) if self._sents[j].paragraph == para]
        if para != self._lead and family is not None and self._families is not None:
            order += [j for j in range(len(self._sents)) if self._sents[j].paragraph == self._lead]
        kin = _kin(family) if family is not None else frozenset()
        for j in order:
            if family is not None and self._families is not None and not kin & self._families(j) \
                    and not self._scene_before(i, j):
                continue
            d = self.own(j)
            if d.text:
                return d
        return self.own(i)

    def _scene_before(self, i: int, j: int) -> bool:
        """True if sentence `j`, right before `i` in its paragraph, dates to the day the scene `i` goes on to tell,
        not a telling ("In Kisumu, polling stations remained shut on Thursday. Opposition supporters ... burned tyres":
        Thursday; "the envoy said on Tuesday" dates the saying, not the attack told next)."""
        if j != i - 1 or self._sents[j].paragraph != self._sents[i].paragraph:
            return False
        d = self.own(j)
        return d.date is not None and d.precision is DatePrecision.DAY and d.start >= 0 \
            and any(c.start == d.start and not telling for c, telling in self.candidates(j))


@cache
def _kin(family: str) -> frozenset[str]:
    """`family` and the families one of whose whole family is always part of the other (subsumes.csv, mode always,
    every type): one day's demonstrations, peaceful or turned violent."""
    return frozenset({family} | {r.whole for r in subsumptions() if r.always and r.type is None and r.family == family}
                     | {r.family for r in subsumptions() if r.always and r.type is None and r.whole == family})


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
