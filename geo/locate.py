"""Where and when an incident happened: the place and date tied to a trigger in its article."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from geo.model import Article, DatePrecision, GeoPrecision, Level, Place, Span, Toponym
from geo.text import Sentence

__all__ = ["Dater", "PlaceChoice", "Placer", "contains", "distance_km", "geo_precision"]

# Words right before a mention that tie it to an event happening there (ACLED precision 1) ...
_AT = re.compile(r"(?:\b(?:in|at|inside|into|across|throughout|on|hit|struck|targeted|attacked|entered|"
                 r"seized|retook|recaptured|captured|stormed|overran)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3})$",
                 re.IGNORECASE)
# ... or only near it (ACLED precision 2).
_NEAR = re.compile(r"(?:\b(?:near|outside|around|outskirts\s+of|edge\s+of|close\s+to|"
                   r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of)\s+"
                   r"(?:the\s+)?(?:[\w’'-]+\s+){0,2})$", re.IGNORECASE)
# "280 km (175 miles) southwest of Mosul": a reference point, not where it happened.
_DISTANCE = re.compile(r"(\d[\d,.]*)\s*(?:km|kms|kilometres|kilometers|miles?)\b[^.;]{0,30}?"
                       r"\b(?:of|from)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
# "KABUL (Reuters) -" at the start of the body, for articles read without a parsed dateline.
_WIRE_DATELINE = re.compile(r"[^\n()]{2,80}?\((?:Reuters|REUTERS|AP|AFP)\)\s*[-–—]")
_FAR_KM = 25.0
# Cheap test before the full date parser: words without which a sentence states no date.
_DATEISH = re.compile(r"\d|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                      r"nov|dec)[a-z]*\b|\b(?:today|tonight|yesterday|overnight|ago|last|this|earlier|previous|before|"
                      r"week|month|year|mid|early|late|night|morning|evening|afternoon|weekend|decade|century)",
                      re.IGNORECASE)
_LOOKBACK = 60

_PRECISION_BY_LEVEL = {
    Level.CONTINENT: GeoPrecision.REGION, Level.COUNTRY: GeoPrecision.REGION,
    Level.PROVINCE: GeoPrecision.REGION, Level.DISTRICT: GeoPrecision.NEAR,
    Level.CITY: GeoPrecision.TOWN, Level.NEIGHBOURHOOD: GeoPrecision.TOWN, Level.CAMP: GeoPrecision.TOWN,
    Level.LANDMARK: GeoPrecision.TOWN, Level.FEATURE: GeoPrecision.NEAR,
}


def geo_precision(level: Level, *, near: bool = False) -> GeoPrecision:
    """ACLED geo precision for a place of `level`, one step coarser when the text says "near" it.

    >>> geo_precision(Level.CITY).value, geo_precision(Level.CITY, near=True).value
    (1, 2)
    >>> geo_precision(Level.PROVINCE, near=True).value
    3
    """
    base = _PRECISION_BY_LEVEL.get(level, GeoPrecision.REGION)
    if near and base is GeoPrecision.TOWN:
        return GeoPrecision.NEAR
    return base


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    """The place picked for an incident and how it was found ("sentence", "paragraph", "dateline")."""

    place: Place
    text: str
    precision: GeoPrecision
    how: str


class Placer:
    """Finds the place of a trigger among an article's resolved toponyms."""

    def __init__(self, article: Article, toponyms: Sequence[Toponym]):
        self.text = article.text
        resolved = sorted((t for t in toponyms if t.place is not None), key=lambda t: t.mention.start)
        self._topos = resolved
        self._starts = [t.mention.start for t in resolved]
        span = article.dateline.span if article.dateline else _wire_dateline(article)
        self._dateline = [t for t in resolved if span and t.mention.start < span.end and span.start < t.mention.end]

    def in_span(self, start: int, end: int) -> list[Toponym]:
        """Resolved toponyms inside text[start:end]."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return [t for t in self._topos[i:j] if t.mention.end <= end]

    def in_sentence(self, sentence: Sentence, trigger: tuple[int, int]) -> PlaceChoice | None:
        """The most specific place tied to the trigger within its sentence."""
        best: tuple[float, PlaceChoice] | None = None
        for topo in self.in_span(sentence.start, sentence.end):
            if topo in self._dateline:
                continue
            scored = self._score(topo, sentence, trigger)
            if scored is not None and (best is None or scored[0] > best[0]):
                best = scored
        return best[1] if best else None

    def dateline(self) -> PlaceChoice | None:
        """The finest dateline place, one precision step coarser (it says where the reporter was)."""
        if not self._dateline:
            return None
        topo = max(self._dateline, key=lambda t: t.place.level.rank)
        precision = geo_precision(topo.place.level, near=True)
        return PlaceChoice(topo.place, topo.mention.text, precision, "dateline")

    def _score(self, topo: Toponym, sentence: Sentence, trigger: tuple[int, int]) -> tuple[float, PlaceChoice] | None:
        start = topo.mention.start
        before = self.text[max(sentence.start, start - _LOOKBACK):start]
        far = _DISTANCE.search(before)
        if far:
            try:
                km = float(far.group(1).replace(",", ""))
            except ValueError:
                km = _FAR_KM + 1
            if "mile" in far.group(0).lower():
                km *= 1.609
            if km > _FAR_KM:
                return None
        near = bool(far) or bool(_NEAR.search(before))
        tied = near or bool(_AT.search(before))
        place = topo.place
        # Finer places win (a city over the country it is "in"); words tying it to the event help.
        score = place.level.rank * 1.0 + (1.0 if tied else 0.0)
        if _FROM.search(before):
            score += 0.5
        gap = trigger[0] - topo.mention.end if start < trigger[0] else start - trigger[1]
        score -= max(gap, 0) / 80.0
        return score, PlaceChoice(place, topo.mention.text, geo_precision(place.level, near=near), "sentence")


def _wire_dateline(article: Article) -> Span | None:
    """Span of a "CITY (Reuters) -" opening when the reader gave no dateline."""
    start = article.body_span.start if article.body_span else 0
    m = _WIRE_DATELINE.match(article.text, start)
    return Span(m.start(), m.end()) if m else None


def date_precision_or_unknown(date, precision: DatePrecision) -> DatePrecision:
    """UNKNOWN whenever the date is missing, so Incident's invariant holds."""
    return precision if date is not None else DatePrecision.UNKNOWN


class Dater:
    """Dates sentences of one article lazily: own date, else the paragraph's, else the lead's."""

    def __init__(self, article: Article, sents: Sequence[Sentence]):
        self._article = article
        self._sents = sents
        self._cache: dict[int, object] = {}
        self._lead = sents[0].paragraph if sents else -1

    def own(self, i: int):
        """The date expression of sentence `i` (an EventDate; empty text when it has none)."""
        got = self._cache.get(i)
        if got is None and not _DATEISH.search(self._sents[i].text):
            from geo.dates import EventDate

            got = self._cache[i] = EventDate(None, DatePrecision.UNKNOWN, "")
        if got is None:
            from geo.dates import event_date

            a = self._article
            got = event_date(self._sents[i].text, published=a.date,
                             published_precision=a.date_precision if a.date else DatePrecision.DAY)
            self._cache[i] = got
        return got

    def inherited(self, i: int):
        """The nearest earlier dated sentence of the same paragraph; in the lead, any dated lead sentence."""
        para = self._sents[i].paragraph
        order = [j for j in range(i - 1, -1, -1) if self._sents[j].paragraph == para]
        if para == self._lead:
            order += [j for j in range(i + 1, len(self._sents)) if self._sents[j].paragraph == para]
        for j in order:
            d = self.own(j)
            if d.text:
                return d
        return self.own(i)


def contains(big: Place, small: Place) -> bool:
    """True if `big` is `small`, its parent, its first-level region or its country."""
    if big.id == small.id or small.parent_id == big.id:
        return True
    if big.country_code is None or big.country_code != small.country_code:
        return False
    if big.level is Level.COUNTRY:
        return small.level is not Level.COUNTRY
    return big.level is Level.PROVINCE and small.admin1 is not None and big.admin1 == small.admin1 \
        and small.level.rank > big.level.rank


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
