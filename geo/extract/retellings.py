"""One incident told more than once in an article: a later mention that refers back to an earlier one
(`_antecedent`), and drafts that tell the same incident (`_same_incident`), joined into one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extract.dates import EventDate
from geo.extract.decide import subsumptions
from geo.extract.locate import PlaceChoice
from geo.extract.places import contains, distance_km
from geo.extract.taxonomy import Taxonomy
from geo.extract.triggers import Hit
from geo.model import DatePrecision, Evidence
from geo.read.text import Sentence

_SAME_KM = 10.0          # one article telling one incident twice: same family, place and day
# A definite reference ("the strikes", "this attack") to an incident told just before.
_ANAPHOR = re.compile(r"\b(?:the|this|that|these|those|its|their|same)\s+(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)

# A trigger that is a verb ("the soldiers seized") tells a new act; only nouns refer back.
_VERB = re.compile(r"\w+ed\b|(?:took|fought|fled|drove|shot|won|hit|struck|fell|overran|blew)\b", re.IGNORECASE)


@dataclass(slots=True)
class _Draft:
    hit: Hit
    sentence: Sentence
    confidence: float
    place: PlaceChoice | None
    date: EventDate
    evidence: list[Evidence]


def _join(ante: _Draft, evidence: Evidence, own_place: PlaceChoice | None, own_date: EventDate) -> None:
    """A later mention of an incident: its sentence is evidence, and its own place or date fill gaps."""
    ante.evidence.append(evidence)
    if ante.place is None or (not _own(ante.place) and own_place):
        ante.place = own_place or ante.place
    if ante.date.date is None and own_date.date is not None:
        ante.date = own_date


def _antecedent(drafts: list[_Draft], taxonomy: Taxonomy, family: str, text: str, sentence: Sentence,
                hit: Hit, own_place: PlaceChoice | None, own_date) -> _Draft | None:
    """An earlier incident this hit refers back to, if it is one.

    Either a definite reference ("the strikes"), or a mention with neither a place nor a date of
    its own after an incident of the same family: wire copy tells one event several times, and
    an unanchored retelling is not a second event.
    """
    anaphor = bool(_ANAPHOR.search(text, max(sentence.start, hit.start - 40), hit.start)) and not _VERB.match(hit.text)
    if not anaphor and (own_place is not None or own_date.text):
        return None
    for d in reversed(drafts):
        told = taxonomy.get(d.hit.type).family
        if told != family:
            # a part told after its whole ("Police fired rubber bullets" after the riot): the whole's
            if not any(r.always and r.joins(family, hit.type, told) for r in subsumptions()):
                continue
        elif not anaphor and d.hit.type != hit.type and not taxonomy.one_event_across_types(family):
            continue
        if own_place and d.place and _own(d.place) \
                and not (contains(own_place.place, d.place.place) or contains(d.place.place, own_place.place)):
            return None
        if own_date.date is not None and d.date.date is not None and abs((own_date.date - d.date.date).days) > 1:
            return None
        return d
    return None


def _coalesce(drafts: list[_Draft], taxonomy: Taxonomy) -> list[_Draft]:
    """Join drafts of one article that tell the same incident: same family, place and date."""
    out: list[_Draft] = []
    for d in drafts:
        twin = next((o for o in out if _same_incident(o, d, taxonomy)), None)
        if twin is None:
            out.append(d)
            continue
        twin.evidence.extend(d.evidence)
        if _rank_date(d.date) > _rank_date(twin.date):
            twin.date = d.date
        if d.place and (twin.place is None or _rank_place(d.place) > _rank_place(twin.place)):
            twin.place = d.place
        twin.confidence = max(twin.confidence, d.confidence)
    return out


def _same_incident(a: _Draft, b: _Draft, taxonomy: Taxonomy) -> bool:
    if taxonomy.get(a.hit.type).family != taxonomy.get(b.hit.type).family:
        return False
    da, db = a.date.date, b.date.date
    slack = 7 if DatePrecision.WEEK in (a.date.precision, b.date.precision) else 0
    dates_agree = da is not None and db is not None and abs((da - db).days) <= slack
    if not (a.place and b.place and _own(a.place) and _own(b.place)):
        # One was placed only by fallback (or not at all): a retelling when type and date agree,
        # or when neither could be dated.
        return a.hit.type == b.hit.type and (dates_agree or (da is None and db is None))
    pa, pb = a.place.place, b.place.place
    if distance_km(pa, pb) > _SAME_KM:
        # "in eastern Afghanistan last week" and "in the Achin district last Thursday": one event.
        return a.hit.type == b.hit.type and dates_agree and (contains(pa, pb) or contains(pb, pa))
    if da is None or db is None:
        return da is None and db is None and pa.id == pb.id and a.hit.type == b.hit.type
    return dates_agree


def _own(p: PlaceChoice) -> bool:
    """True if the place was named in the incident's own sentence (not inherited)."""
    return p.how in ("sentence", "locality")


def _rank_date(d: EventDate) -> int:
    return {DatePrecision.DAY: 3, DatePrecision.WEEK: 2, DatePrecision.MONTH: 1}.get(d.precision, 0)


def _rank_place(p: PlaceChoice) -> tuple[bool, int, int]:
    return (_own(p), -p.precision.value, p.place.level.rank)
