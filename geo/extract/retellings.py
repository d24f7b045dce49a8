"""One incident told more than once in an article: a later mention that refers back to an earlier one
(`_antecedent`), and drafts that tell the same incident (`_same_incident`), joined into one."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from geo.extract.dates import EventDate
from geo.extract.decide import subsumptions
from geo.extract.locate import PlaceChoice
from geo.extract.places import contains, distance_km
from geo.extract.taxonomy import Taxonomy
from geo.extract.triggers import Hit
from geo.model import DatePrecision, Evidence, Level, Place
from geo.read.text import Sentence

_SAME_KM = 10.0          # one article telling one incident twice: same family, place and day
# A definite reference ("the strikes", "this attack", "Monday's attack", "today s attacks") to an incident
# told before.
_ANAPHOR = re.compile(r"\b(?:the|this|that|these|those|its|their|same|"
                      r"(?:mon|tues|wednes|thurs|fri|satur|sun|yester|to)day(?:['’]s|['’]|\s+s))\s+"
                      # the trigger's own modifiers, not a phrase of its own ("the village of Prisi came under attack")
                      r"(?:(?!(?:of|in|at|near|from|on)\s)[\w’'-]+\s+){0,3}$",
                      re.IGNORECASE)
# A word for any violent event ("the attack", "Monday's violence"): referring back, it names the incident
# told before whatever its form (a drone strike, a clash, a bombing).
_ANY_VIOLENCE = re.compile(r"(?:attacks?|assaults?|raids?|violence|incidents?|operations?)$", re.IGNORECASE)
_VIOLENT_FAMILIES = frozenset({"battle", "remote_violence", "violence_against_civilians"})

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
    """A later mention of an incident: its sentence is evidence, and its own place or date fill gaps.

    The mention's own place becomes the incident's when the incident has none, or when it says more
    than what the incident already says: a town or region, or a country the incident's inherited place
    (the dateline's, the lead's) lies in, replaces that inherited place; a place inside the incident's
    own place refines it ("in Mosul", then "in the Wahda district of Mosul"). A bare country elsewhere
    is a party's more often than the scene ("U.S. troops called in French fighter jets", told of an
    ambush placed in Niger)."""
    ante.evidence.append(evidence)
    if own_place is not None and _says_more(ante.place, own_place):
        ante.place = own_place
    if ante.date.date is None and own_date.date is not None:
        ante.date = own_date


# How far back from a trigger a definite reference ("the strikes", "this attack") is looked for: the
# determiner and up to three words of description fit in it.
_ANAPHOR_REACH_BACK = 40
# A retelling's own date may be a day off its incident's ("late on Thursday" told as "on Friday").
_RETELL_DAYS = 1

# What one earlier draft is to a later mention: not its incident (look further back), proof that the
# mention is a new incident (stop looking), or the incident it retells.
_SKIP, _NEW, _RETELLS = "skip", "new", "retells"


@dataclass(slots=True)
class _Mention:
    """A later mention of an event, as the retelling rules see it."""

    taxonomy: Taxonomy
    family: str
    hit: Hit
    anaphor: bool                      # a definite reference to something told before ("the strikes")
    own_place: PlaceChoice | None
    own_date: EventDate


def _other_family(m: _Mention, d: _Draft) -> bool:
    """Another family's incident, unless the mention is a part told after its whole ("Police fired rubber
    bullets" after the riot: the whole's) or a violent one referred back to by a word for any violence
    ("killed in Monday's attack" after Monday's drone strike)."""
    told = m.taxonomy.get(d.hit.type).family
    if m.anaphor and _ANY_VIOLENCE.search(m.hit.text) and {told, m.family} <= _VIOLENT_FAMILIES:
        return False
    return told != m.family and not any(r.always and r.joins(m.family, m.hit.type, told) for r in subsumptions())


def _other_type_told_anew(m: _Mention, d: _Draft) -> bool:
    """The same family but another type, with no definite reference, in a family whose types are
    separate events."""
    return m.taxonomy.get(d.hit.type).family == m.family and not m.anaphor and d.hit.type != m.hit.type \
        and not m.taxonomy.one_event_across_types(m.family)


def _placed_elsewhere(m: _Mention, d: _Draft) -> bool:
    """Both name a place in their own sentence, neither inside the other."""
    own, told = m.own_place, d.place
    return own is not None and told is not None and _own(told) and not _nested(own.place, told.place)


def _dated_elsewhere(m: _Mention, d: _Draft) -> bool:
    """Both are dated, more than `_RETELL_DAYS` apart."""
    day, told = m.own_date.date, d.date.date
    return day is not None and told is not None and abs((day - told).days) > _RETELL_DAYS


def _another_days(m: _Mention, d: _Draft) -> bool:
    """A reference back that names its day ("Monday's attack") is not to an incident of another or no day."""
    day, told = m.own_date.date, d.date.date
    return m.anaphor and day is not None and m.own_date.precision is DatePrecision.DAY \
        and (told is None or abs((day - told).days) > _RETELL_DAYS)


# Tried in order for each earlier draft, latest first; the first that applies decides, and a draft
# none applies to is the incident the mention retells.
_RETELLING_RULES: tuple[tuple[str, Callable[[_Mention, _Draft], bool], str], ...] = (
    ("other family", _other_family, _SKIP),
    ("other type told anew", _other_type_told_anew, _SKIP),
    ("another day's", _another_days, _SKIP),
    ("placed elsewhere", _placed_elsewhere, _NEW),
    ("dated elsewhere", _dated_elsewhere, _NEW),
)


def _antecedent(drafts: list[_Draft], taxonomy: Taxonomy, family: str, text: str, sentence: Sentence,
                hit: Hit, own_place: PlaceChoice | None, own_date) -> _Draft | None:
    """An earlier incident this hit refers back to, if it is one (`_RETELLING_RULES`).

    Either a definite reference ("the strikes"), or a mention with neither a place nor a date of
    its own after an incident of the same family: wire copy tells one event several times, and
    an unanchored retelling is not a second event.
    """
    reach = max(sentence.start, hit.start - _ANAPHOR_REACH_BACK)
    anaphor = bool(_ANAPHOR.search(text, reach, hit.start)) and not _VERB.match(hit.text)
    if not anaphor and (own_place is not None or own_date.text):
        return None          # a mention with a place or date of its own and no reference back: a new event
    mention = _Mention(taxonomy, family, hit, anaphor, own_place, own_date)
    for d in reversed(drafts):
        verdict = next((v for _, applies, v in _RETELLING_RULES if applies(mention, d)), _RETELLS)
        if verdict == _SKIP:
            continue
        return d if verdict == _RETELLS else None
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
        if d.place and (twin.place is None or _rank_place(d.place) > _rank_place(twin.place)
                        or (d.place.locality and not twin.place.locality and d.place.place.id == twin.place.place.id)):
            twin.place = d.place
        twin.confidence = max(twin.confidence, d.confidence)
    return out


# A date of week precision agrees with any day within a week of the other's.
_WEEK_SLACK_DAYS = 7


class _Pair:
    """Two drafts of one article, as the same-incident rules see them (facts read when first asked)."""

    def __init__(self, a: _Draft, b: _Draft, taxonomy: Taxonomy):
        self.a, self.b, self.taxonomy = a, b, taxonomy

    @cached_property
    def same_family(self) -> bool:
        return self.taxonomy.get(self.a.hit.type).family == self.taxonomy.get(self.b.hit.type).family

    @cached_property
    def same_type(self) -> bool:
        return self.a.hit.type == self.b.hit.type

    @cached_property
    def dates_agree(self) -> bool:
        """Both dated, and to the same day within what the vaguer date allows: a week's slack, or the
        same month when one is dated only to its month ("this month's massacre" and "on June 12")."""
        da, db = self.a.date.date, self.b.date.date
        if da is None or db is None:
            return False
        precisions = (self.a.date.precision, self.b.date.precision)
        if DatePrecision.MONTH in precisions:
            return (da.year, da.month) == (db.year, db.month)
        slack = _WEEK_SLACK_DAYS if DatePrecision.WEEK in precisions else 0
        return abs((da - db).days) <= slack

    @cached_property
    def other_locality(self) -> bool:
        """Both name a village or quarter the gazetteer lacks, and not the same one."""
        la = self.a.place.locality if self.a.place else ""
        lb = self.b.place.locality if self.b.place else ""
        return bool(la and lb) and la.casefold() != lb.casefold()

    @cached_property
    def both_undated(self) -> bool:
        return self.a.date.date is None and self.b.date.date is None

    @cached_property
    def one_undated(self) -> bool:
        return self.a.date.date is None or self.b.date.date is None

    @cached_property
    def both_placed_by_own_sentence(self) -> bool:
        return bool(self.a.place and self.b.place and _own(self.a.place) and _own(self.b.place))

    # The place facts below are only asked once both drafts have a place of their own.
    @cached_property
    def far_apart(self) -> bool:
        return distance_km(self._pa, self._pb) > _SAME_KM

    @cached_property
    def nested(self) -> bool:
        return _nested(self._pa, self._pb)

    @cached_property
    def same_place(self) -> bool:
        return self._pa.id == self._pb.id

    @property
    def _pa(self) -> Place:
        assert self.a.place is not None
        return self.a.place.place

    @property
    def _pb(self) -> Place:
        assert self.b.place is not None
        return self.b.place.place


# Whether two drafts of one article tell one incident: the first rule that applies decides.
_SAME_INCIDENT_RULES: tuple[tuple[str, Callable[[_Pair], bool], Callable[[_Pair], bool]], ...] = (
    ("other family", lambda p: not p.same_family, lambda p: False),
    # "The village of Prisi came under attack last night ... Tamarasheni also came under fire": two
    # villages the gazetteer lacks, coded to one region, are still two places.
    ("other locality", lambda p: p.other_locality, lambda p: False),
    # One was placed only by fallback (or not at all): a retelling when type and date agree, or when
    # neither could be dated.
    ("placed by fallback", lambda p: not p.both_placed_by_own_sentence,
     lambda p: p.same_type and (p.dates_agree or p.both_undated)),
    # "in eastern Afghanistan last week" and "in the Achin district last Thursday": one event.
    ("far apart", lambda p: p.far_apart, lambda p: p.same_type and p.dates_agree and p.nested),
    ("undated", lambda p: p.one_undated, lambda p: p.both_undated and p.same_place and p.same_type),
    ("same place", lambda p: True, lambda p: p.dates_agree),
)


def _same_incident(a: _Draft, b: _Draft, taxonomy: Taxonomy) -> bool:
    """True if two drafts of one article tell the same incident (`_SAME_INCIDENT_RULES`)."""
    pair = _Pair(a, b, taxonomy)
    return next(decide(pair) for _, applies, decide in _SAME_INCIDENT_RULES if applies(pair))


def _nested(a: Place, b: Place) -> bool:
    """True if one place is the other or lies inside it."""
    return contains(a, b) or contains(b, a)


def _says_more(had: PlaceChoice | None, new: PlaceChoice) -> bool:
    """True if a retelling's own place `new` should replace the incident's place `had` (see `_join`)."""
    if had is None:
        return True
    if had.place.id == new.place.id:
        return False
    if not _own(had):
        return new.place.level is not Level.COUNTRY or (
            had.place.country_code is not None and had.place.country_code == new.place.country_code)
    return new.place.level.rank > had.place.level.rank and contains(had.place, new.place)


def _own(p: PlaceChoice) -> bool:
    """True if the place was named in the incident's own sentence (not inherited)."""
    return p.how in ("sentence", "locality")


def _rank_date(d: EventDate) -> int:
    return {DatePrecision.DAY: 3, DatePrecision.WEEK: 2, DatePrecision.MONTH: 1}.get(d.precision, 0)


def _rank_place(p: PlaceChoice) -> tuple[bool, int, int]:
    return (_own(p), -p.precision.value, p.place.level.rank)
