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
from collections.abc import Sequence

from geo.extract.incidents import incident_id
from geo.extract.locate import distance_km
from geo.extract.taxonomy import Taxonomy
from geo.model import DatePrecision, Incident

__all__ = ["merge_incidents", "same_incident"]

_SIMILAR = 0.9
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
    clusters: list[list[Incident]] = []
    blocks = _Blocks(max(1, math.ceil(max_km / _CELL_KM)), max_days)
    for inc in incidents:
        fam = family(inc)
        home = next((c for c in blocks.candidates(inc, fam)
                     if all(same_incident(inc, m, max_km=max_km, max_days=max_days, family=family)
                            for m in clusters[c])), None)
        if home is None:
            home = len(clusters)
            clusters.append([])
        clusters[home].append(inc)
        blocks.add(inc, fam, home)
    return [members[0] if len(members) == 1 else _combine(members) for members in clusters]


class _Blocks:
    """Which clusters an incident may join: only incidents a day apart and in a neighbouring grid cell (or
    of the same article when unlocated) can be the same event, and undated ones only at the same place;
    looking nowhere else keeps merging linear in practice."""

    def __init__(self, reach: int, max_days: int):
        self.reach, self.max_days = reach, max_days
        self.dated: dict[tuple[str, dt.date, object], list[int]] = defaultdict(list)
        self.undated: dict[tuple[str, str | None], list[int]] = defaultdict(list)

    def candidates(self, inc: Incident, fam: str) -> list[int]:
        if inc.date is None:
            return self.undated.get((fam, inc.place.id if inc.place else None), [])
        spots = _spots(inc, self.reach)
        keys = [(fam, day, spot) for d in range(-self.max_days, self.max_days + 1) if (day := _shift(inc.date, d))
                for spot in spots]
        return sorted({c for k in keys for c in self.dated.get(k, ())})

    def add(self, inc: Incident, fam: str, cluster: int) -> None:
        if inc.date is not None:
            self.dated[(fam, inc.date, _spots(inc, 0)[0])].append(cluster)
        else:
            self.undated[(fam, inc.place.id if inc.place else None)].append(cluster)


def same_incident(a: Incident, b: Incident, *, max_km: float = 25.0, max_days: int = 1, family=None) -> bool:
    """True if `a` and `b` tell the same event (see the module docstring)."""
    family = family or _family_of(None)
    if family(a) != family(b):
        return False
    if a.article_id == b.article_id:
        return a.type == b.type and a.evidence[0].sentence_span == b.evidence[0].sentence_span
    if a.place is None or b.place is None:
        return False
    if a.date is None or b.date is None:
        return (a.date is None and b.date is None and a.place.id == b.place.id
                and _similar(a.evidence[0].sentence, b.evidence[0].sentence))
    if abs((a.date - b.date).days) > max_days:
        return False
    return a.place.id == b.place.id or distance_km(a.place, b.place) <= max_km


def _family_of(taxonomy):
    """A function giving an incident's family (the ACLED event type for types the taxonomy lacks)."""
    if taxonomy is None:
        taxonomy = Taxonomy.load()

    def family(inc: Incident) -> str:
        return taxonomy.get(inc.type).family if inc.type in taxonomy else inc.event_type

    return family


@functools.lru_cache(maxsize=1 << 16)
def _similar(x: str, y: str) -> bool:
    """True if the two sentences, lower-cased and with punctuation as spaces, are at least 90 % alike.

    difflib's ratio is costly and undated incidents at one place are compared pairwise, so two
    bounds it can never exceed come first: the lengths' ratio and the shared characters' count.
    """
    if x == y:
        return True
    (a, a_chars), (b, b_chars) = _words(x), _words(y)
    if a == b:
        return True
    total = len(a) + len(b)
    if 2 * min(len(a), len(b)) < _SIMILAR * total:
        return False
    if 2 * sum((a_chars & b_chars).values()) < _SIMILAR * total:
        return False
    matcher = _matcher(b)
    matcher.set_seq1(a)
    return matcher.ratio() >= _SIMILAR


@functools.lru_cache(maxsize=1 << 14)
def _words(sentence: str) -> tuple[str, Counter]:
    """The sentence as `_similar` compares it, and its characters counted."""
    text = re.sub(r"\W+", " ", sentence).strip().lower()
    return text, Counter(text)


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
