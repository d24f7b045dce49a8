"""Merging one incident told by several articles into one incident with all its evidence.

Two incidents are the same when they come from different articles, belong to the same family,
both are located within `max_km` of each other and both dates lie within `max_days`; incidents
without dates merge only with the same place and (nearly) the same sentence, i.e. syndicated copy.
Inside one article only exact duplicates (same sentence, same type) are merged: distinct sentences
of one story are kept apart on purpose (the extractor already joins a story's own retellings).

The merged incident keeps the most precise member as primary (finest place, then finest date,
then the earliest publication), and counts the way ACLED does when reports differ: the most
conservative figure, i.e. the lowest number any source states.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from gazetteer.resolve.resolver import haversine_km
from geo.extract.incidents import incident_id
from geo.extract.taxonomy import Taxonomy
from geo.model import DatePrecision, Incident

__all__ = ["matched_chars", "matches_enough", "merge_incidents", "same_incident"]

_SIMILAR = 0.9
_AUTOJUNK_FROM = 200     # difflib's auto-junk heuristic applies to a second sequence this long or longer
# Grid cells for finding merge candidates: a degree of latitude; longitude cells shrink towards the
# poles, so the search reaches as many cells as max_km needs at the incident's latitude.
_CELL_KM = 111.0
_DATE_RANK = {DatePrecision.DAY: 0, DatePrecision.WEEK: 1, DatePrecision.MONTH: 2, DatePrecision.UNKNOWN: 3}


def merge_incidents(incidents: Sequence[Incident], *, max_km: float = 25.0, max_days: int = 1,
                    taxonomy=None) -> list[Incident]:
    """Incidents with the retellings of one event joined; output order follows first appearance."""
    if max_km < 0 or max_days < 0:
        raise ValueError(f"max_km and max_days must not be negative, got {max_km!r} and {max_days!r}")
    family = _family_of(taxonomy)
    clusters: list[_Cluster] = []
    blocks = _Blocks(max(1, math.ceil(max_km / _CELL_KM)), max_days)
    for inc in incidents:
        fam = family(inc)
        told = _Told.of(inc, fam)
        home = next((c for c in blocks.candidates(inc, fam) if clusters[c].admits(told, max_km, max_days)), None)
        if home is None:
            home = len(clusters)
            clusters.append(_Cluster())
        clusters[home].add(told)
        blocks.add(inc, fam, home)
    return [c.members[0] if len(c.members) == 1 else _combine(c.members) for c in clusters]


@dataclasses.dataclass(frozen=True, slots=True)
class _Told:
    """What `same_incident` reads of an incident. `across` is all it reads of one from another article, so
    members whose `across` is equal answer alike: a cluster asks once per distinct value, not per member."""

    incident: Incident
    article: str
    alone: tuple           # family, type and sentence span: all that matters within one article
    across: tuple          # family, place (id, lat, lon) or None, date, and the compared sentence if undated

    @classmethod
    def of(cls, inc: Incident, fam: str) -> _Told:
        place = (inc.place.id, inc.place.lat, inc.place.lon) if inc.place is not None else None
        sentence = _words(inc.evidence[0].sentence) if inc.date is None and place is not None else None
        return cls(inc, inc.article_id, (fam, inc.type, inc.evidence[0].sentence_span), (fam, place, inc.date, sentence))


class _Cluster:
    """The members of one merged incident, grouped as `_Told.across` says, so that testing a newcomer against
    every member costs one test per distinct group: copies of one wire story are one group however many."""

    def __init__(self) -> None:
        self.members: list[Incident] = []
        self.by_article: dict[str, list[tuple]] = defaultdict(list)
        self.groups: dict[tuple, set[str]] = {}     # `across` -> the articles of the members that have it
        self.last_refusal: tuple | None = None
        # The shortest and longest compared sentence of the undated members: a newcomer whose sentence is too
        # short or too long for either cannot be 90 % like it, which refuses it without a look at the others.
        self.lengths: tuple[int, int] | None = None

    def admits(self, told: _Told, max_km: float, max_days: int) -> bool:
        """True if `told` is the same incident as every member (`same_incident` with each)."""
        own = self.by_article.get(told.article)
        if own is not None and any(alone != told.alone for alone in own):
            return False
        sentence = told.across[3]
        if sentence is not None and own is None and self.lengths is not None:
            # `_similar_words`'s first bound, on the two lengths that reach furthest (no member is from
            # the newcomer's article, so every member must be like it)
            n = len(sentence)
            if not all(_lengths_may_match(n, m) for m in self.lengths):
                return False
        # The group that refused the previous newcomer first: newcomers that differ tend to differ alike.
        last = self.last_refusal
        if last is not None and self._refuses(told, last, self.groups[last], max_km, max_days):
            return False
        for across, articles in self.groups.items():
            if across is not last and self._refuses(told, across, articles, max_km, max_days):
                self.last_refusal = across
                return False
        return True

    @staticmethod
    def _refuses(told: _Told, across: tuple, articles: set[str], max_km: float, max_days: int) -> bool:
        others = len(articles) > 1 or told.article not in articles
        return others and not _same_across(told.across, across, max_km, max_days)

    def add(self, told: _Told) -> None:
        self.members.append(told.incident)
        self.by_article[told.article].append(told.alone)
        self.groups.setdefault(told.across, set()).add(told.article)
        if (sentence := told.across[3]) is not None:
            n = len(sentence)
            self.lengths = (n, n) if self.lengths is None else (min(self.lengths[0], n), max(self.lengths[1], n))


class _Blocks:
    """Which clusters an incident may join: only incidents a day apart and in a neighbouring grid cell (or
    of the same article when unlocated) can be the same event, and undated ones only at the same place;
    looking nowhere else keeps merging linear in practice."""

    def __init__(self, reach: int, max_days: int):
        self.reach, self.max_days = reach, max_days
        self.dated: dict[tuple[str, dt.date, object], dict[int, None]] = defaultdict(dict)   # clusters, once each
        self.undated: dict[tuple[str, str | None], dict[int, None]] = defaultdict(dict)   # clusters, in order

    def candidates(self, inc: Incident, fam: str) -> list[int]:
        if inc.date is None:
            return list(self.undated.get((fam, inc.place.id if inc.place else None), ()))
        spots = _spots(inc, self.reach)
        keys = [(fam, day, spot) for d in range(-self.max_days, self.max_days + 1) if (day := _shift(inc.date, d))
                for spot in spots]
        return sorted({c for k in keys for c in self.dated.get(k, ())})

    def add(self, inc: Incident, fam: str, cluster: int) -> None:
        if inc.date is not None:
            self.dated[(fam, inc.date, _spots(inc, 0)[0])][cluster] = None
        else:
            self.undated[(fam, inc.place.id if inc.place else None)][cluster] = None


def same_incident(a: Incident, b: Incident, *, max_km: float = 25.0, max_days: int = 1, family=None) -> bool:
    """True if `a` and `b` tell the same event (see the module docstring)."""
    family = family or _family_of(None)
    ta, tb = _Told.of(a, family(a)), _Told.of(b, family(b))
    if ta.article == tb.article:
        return ta.alone == tb.alone
    return _same_across(ta.across, tb.across, max_km, max_days)


def _same_across(a: tuple, b: tuple, max_km: float, max_days: int) -> bool:
    """`same_incident` of two incidents from different articles, given their `_Told.across`."""
    (fam_a, place_a, date_a, sentence_a), (fam_b, place_b, date_b, sentence_b) = a, b
    if fam_a != fam_b or place_a is None or place_b is None:
        return False
    if date_a is None or date_b is None:
        return date_a is None and date_b is None and place_a[0] == place_b[0] and _similar_words(sentence_a, sentence_b)
    if abs((date_a - date_b).days) > max_days:
        return False
    return place_a[0] == place_b[0] or haversine_km(place_a[1], place_a[2], place_b[1], place_b[2]) <= max_km


def _family_of(taxonomy):
    """A function giving an incident's family (the ACLED event type for types the taxonomy lacks)."""
    if taxonomy is None:
        taxonomy = Taxonomy.load()

    def family(inc: Incident) -> str:
        return taxonomy.get(inc.type).family if inc.type in taxonomy else inc.event_type

    return family


@functools.lru_cache(maxsize=1 << 17)
def _lengths_may_match(n: int, m: int) -> bool:
    """False if sentences of `n` and `m` characters can never be 90 % alike (difflib's ratio is at most
    2 x min / (n + m)): the first bound of `_similar_words`, also used to refuse a whole cluster at once."""
    return 2 * min(n, m) >= _SIMILAR * (n + m)


@functools.lru_cache(maxsize=1 << 16)
def _similar_words(a: str, b: str) -> bool:
    """True if two sentences as `_words` gives them (lower-cased, punctuation as spaces) are at least 90 % alike
    (memoised: template sentences recur).

    difflib's ratio is costly and undated incidents at one place are compared pairwise, so two
    bounds it can never exceed come first: the lengths' ratio and the shared characters' count.
    """
    if a == b:
        return True
    total = len(a) + len(b)
    if not _lengths_may_match(len(a), len(b)):
        return False
    if 2 * _shared_chars(a, b) < _SIMILAR * total:
        return False
    if len(b) < _AUTOJUNK_FROM:
        return matches_enough(a, b, lambda n: 2.0 * n / total >= _SIMILAR)     # difflib's ratio, as difflib
    matcher = _matcher(b)
    matcher.set_seq1(a)
    return matcher.ratio() >= _SIMILAR


def matched_chars(a: str, b: str) -> int:
    """The characters `difflib.SequenceMatcher(None, a, b)` matches, for `b` shorter than 200 characters.

    difflib's own algorithm (the longest common block, earliest in `a`, then in `b`; then the same on each
    side of it), without auto-junk, which difflib applies only from 200 characters on. The longest block
    is found with `str.find` instead of difflib's table of positions: the same blocks, about four times
    faster on the sentences merging compares.
    """
    return _matched(a, b)


def matches_enough(a: str, b: str, enough: Callable[[int], bool]) -> bool:
    """`enough(matched_chars(a, b))`, for a test `enough` that holds for a count and every larger one; known
    as soon as the blocks found pass it, or the ranges still open cannot make them pass it."""
    return enough(_matched(a, b, enough))


def _matched(a: str, b: str, enough: Callable[[int], bool] | None = None) -> int:
    """`matched_chars`; with `enough`, a count that `enough` answers alike (see `matches_enough`)."""
    if len(b) >= _AUTOJUNK_FROM:
        raise ValueError(f"difflib treats frequent characters as junk in a sequence of {len(b)} characters")
    total = 0
    todo = [(0, len(a), 0, len(b))]
    room = min(len(a), len(b))      # the most the ranges in `todo` can still match
    while todo:
        if enough is not None and (enough(total) or not enough(total + room)):
            return total
        alo, ahi, blo, bhi = todo.pop()
        room -= min(ahi - alo, bhi - blo)
        i, j, k = _longest_block(a, b, alo, ahi, blo, bhi)
        if k:
            total += k
            if alo < i and blo < j:
                todo.append((alo, i, blo, j))
                room += min(i - alo, j - blo)
            if i + k < ahi and j + k < bhi:
                todo.append((i + k, ahi, j + k, bhi))
                room += min(ahi - i - k, bhi - j - k)
    return total


def _longest_block(a: str, b: str, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """`difflib.SequenceMatcher.find_longest_match` without junk: the longest a[i:i+k] == b[j:j+k] in the
    ranges, the smallest i among the longest, then the smallest j."""
    best_i, best_k = alo, 0
    find = b.find
    i = alo
    while i + best_k < ahi:
        # A block longer than the best, starting anywhere in i..i+s, holds a[i+s:i+best_k+1]: if b lacks
        # that core, none starts there and s+1 starts are passed with one search (s: half the best).
        s = min(best_k >> 1, ahi - i - best_k - 1)
        if s > 1 and find(a[i + s:i + best_k + 1], blo, bhi) < 0:
            i += s + 1
            continue
        if find(a[i:i + best_k + 1], blo, bhi) < 0:     # nothing longer than the best starts here
            i += 1
            continue
        # a[i:i+low] occurs in b's range: double the step until a length does not, then bisect.
        low, step = best_k + 1, 1
        high = low + step
        while i + high <= ahi and find(a[i:i + high], blo, bhi) >= 0:
            low, step = high, step * 2
            high = low + step
        high = min(high, ahi - i + 1)
        while high - low > 1:
            mid = (low + high) // 2
            if find(a[i:i + mid], blo, bhi) >= 0:
                low = mid
            else:
                high = mid
        best_i, best_k = i, low
        i += 1
    return best_i, find(a[best_i:best_i + best_k], blo, bhi) if best_k else blo, best_k


@functools.lru_cache(maxsize=1 << 14)
def _words(sentence: str) -> str:
    """The sentence as `_similar_words` compares it."""
    return re.sub(r"\W+", " ", sentence).strip().lower()


def _shared_chars(a: str, b: str) -> int:
    """How many characters the two texts have in common, counted with repeats (as Counter's `&`, faster)."""
    x, y = _char_counts(a), _char_counts(b)
    if len(x) > len(y):
        x, y = y, x
    get = y.get
    return sum(n if n <= (m := get(c, 0)) else m for c, n in x.items())


@functools.lru_cache(maxsize=1 << 14)
def _char_counts(text: str) -> dict[str, int]:
    """The characters of a sentence as `_words` gives it, counted."""
    return dict(Counter(text))


@functools.lru_cache(maxsize=1 << 12)
def _matcher(b: str) -> difflib.SequenceMatcher:
    """A matcher with `b` as its second sequence: difflib indexes `b` once, and a cluster's members are
    compared with many newcomers. Its first sequence is set per use, so it is not for several threads."""
    return difflib.SequenceMatcher(None, "", b)


def _primary_key(inc: Incident):
    geo = inc.geo_precision.value if inc.geo_precision is not None else 9
    published = inc.evidence[0].article_date or dt.date.max
    return (geo, _DATE_RANK[inc.date_precision], published, inc.id)


def _conservative(values) -> int | None:
    stated = [v for v in values if v is not None]
    return min(stated) if stated else None


def _combine(members: list[Incident]) -> Incident:
    primary = min(members, key=_primary_key)
    others = [m for m in members if m is not primary]
    evidence = tuple(dict.fromkeys(e for m in [primary, *others] for e in m.evidence))
    actors = tuple(dict.fromkeys(a for m in [primary, *others] for a in m.actors))
    return dataclasses.replace(
        primary,
        id=incident_id(*sorted(m.id for m in members)),
        evidence=evidence,
        actors=actors,
        fatalities=_conservative(m.fatalities for m in members),
        injured=_conservative(m.injured for m in members),
        confidence=max(m.confidence for m in members),
        notes=(*primary.notes, f"merged from {len(members)} reports"),
    )


def _shift(day: dt.date, days: int) -> dt.date | None:
    """`day` moved by `days`, or None off the calendar's ends (a record dated 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _spots(inc: Incident, reach: int) -> list[object]:
    """The grid cells within `reach` cells of the incident's place; an unlocated incident's article."""
    if inc.place is None:
        return [("article", inc.article_id)]
    row, col = math.floor(inc.place.lat), math.floor(inc.place.lon)
    # Longitude degrees are shorter away from the equator: widen the search to stay within max_km.
    widen = reach if reach == 0 else math.ceil(reach / max(math.cos(math.radians(min(abs(inc.place.lat) + 1, 89.0))), 0.02))
    return [(r, (c + 180) % 360 - 180) for r in range(row - reach, row + reach + 1)
            for c in range(col - widen, col + widen + 1)]
