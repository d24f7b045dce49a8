"""Where and when an incident happened: the place and date tied to a trigger in its article."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from geo.extract.place_score import _place_score
from geo.extract.place_words import (
    _AT,
    _AT_SEAT,
    _COORDINATED,
    _DISTANCE,
    _ENUMERATION,
    _FAR_KM,
    _FRONTED,
    _GOVERNED,
    _INITIAL,
    _LIST_AFTER,
    _NEAR,
    _NOUN_AFTER,
    _ORIGIN,
    _PLACES_OF,
    _POSSESSIVE,
    _RELATIVE,
    _WHOSE_GAP,
    _bracketed_container,
    _demonym_countries,
    _is_seat,
    _km,
    _modifies_next,
    _phrase_start,
    _wire_dateline,
    occasion_place,
    target_country,
)
from geo.extract.places import contains, distance_km, geo_precision, place_precision
from geo.extract.story_places import SURE as _SURE
from geo.extract.story_places import on_dateline as _on_dateline
from geo.extract.story_places import sure_countries as _sure_countries
from geo.extract.story_places import sure_towns as _sure_towns
from geo.model import Article, GeoPrecision, Level, Place, Span, Toponym
from geo.read.text import Sentence

__all__ = ["PlaceChoice", "Placer", "contains", "distance_km", "geo_precision", "place_precision"]

# A part of a town the resolver doubts is taken for the story's only when within this of its sure towns.
_STORY_KM = 300.0
_LONE_TOWN = 100_000    # population below which a town alone in its country is taken for a namesake
# Characters between trigger and place within which the place can be the event's: tied by in/at/near
# (twice as far when the place comes first, "On patrol south of Bagram, ..."), or loose.
_TIED_GAP, _LOOSE_GAP = 100, 60
# A place in another clause ("..., and a worker was detained in Istanbul") is another event's, so it
# loses this much.
_OTHER_CLAUSE = 1.5
_DOUBT = 0.85                    # a resolver score too doubtful
_TOWN_LEVELS = {Level.CITY, Level.DISTRICT}
# The words that make a locality missing from the gazetteer a part of a city ("the Shula district").
_PART_OF_CITY = re.compile(r"(?i)\b(?:district|neighbou?rhood|quarter|suburb)\b")
# A locality that is a village or town of its own, not a part of one: "the village of Prisi", "Tamarasheni,
# a Georgian town", "Nuli village". Its town is not the last one the story named.
_SETTLEMENT_BEFORE = re.compile(r"(?i)\b(?:village|town|hamlet|settlement)s?\s+of\s+(?:the\s+)?$")
_SETTLEMENT_AFTER = re.compile(r"(?i)\s+(?:village|hamlet)\b|,\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,4}?(?:village|town|hamlet)\b")
_CITY = {Level.CITY}
# A story names its own city at least this often (its dateline included); "the city" then means it.
_STORY_CITY_MENTIONS = 2
_PART_OF_TOWN = {Level.DISTRICT, Level.NEIGHBOURHOOD, Level.CAMP, Level.LANDMARK, Level.FEATURE}
# Characters before a place read for the words that tie it to the event ("in the eastern town of").
_LOOKBACK = 60
_POSSESSIVE_S = 2        # "'s" after a name: the part rule reads it with the name ("Syria's north")
_INITIAL_REACH = 4       # " W. " before a surname: an initial, its full stop and the spaces around it
# Before a seat of government: the longest preposition and article ("opposite the ", 13 characters), with slack.
_SEAT_REACH = 16
# A dateline is abroad only when the story names places of another country at least this often (and its own
# country not at all): one mention is a reaction or a comparison ("condemned by officials in France").
_ABROAD_MENTIONS = 2


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    """The place picked for an incident and how it was found ("sentence", "paragraph", "lead", "dateline")."""

    place: Place
    text: str
    precision: GeoPrecision
    how: str
    locality: str = ""          # a neighbourhood/site the gazetteer lacks, coded to this town
    start: int = -1             # offset of the mention in the article text (-1: not from a mention)
    tied: bool = False          # governed by in/at/near/... or the trigger's own verb ("seized Qaim")
    phrase: Span | None = None  # the words that gave the place: "near Raqqa", "in the city of Mosul", "MOSUL"


class Placer:
    """Finds the place of a trigger among an article's resolved toponyms."""

    def __init__(self, article: Article, toponyms: Sequence[Toponym], rules=None,
                 capital_of: Callable[[str], Place | None] | None = None,
                 country_of: Callable[[str], Place | None] | None = None):
        self.text = article.text
        self._rules = rules
        self._capital_of = capital_of     # the gazetteer's capital of a country, for "in the capital"
        self._country_of = country_of     # the gazetteer's country of an ISO code, for a dateline's country
        span = article.dateline.span if article.dateline else _wire_dateline(article)
        ordered = sorted(toponyms, key=lambda t: t.mention.start)
        on_dateline = _on_dateline(ordered, span)
        # Countries the story is surely about: a doubtful match elsewhere is more likely a namesake.
        self._home = _sure_countries(ordered, on_dateline)
        self._dateline_countries = {_where(t).country_code for t in on_dateline}
        self._sure_towns = _sure_towns(ordered)
        # Judged lazily: most toponyms are never near a trigger.
        self._all = ordered
        self._starts = [t.mention.start for t in ordered]
        self._kinds: dict[int, str] = {}
        self._dateline = on_dateline
        self._demonyms: set[str] | None = None   # countries named by a demonym, read when first needed
        self._own_villages: set[int] = set()      # offsets of namesakes that name a place the gazetteer lacks

    def _kind(self, i: int) -> str:
        got = self._kinds.get(i)
        if got is None:
            t = self._all[i]
            if t.place is not None and t.place.level is Level.CONTINENT:
                got = ""         # Africa, the Middle East: ACLED never codes an event to more than a country
            else:
                got = "place" if t in self._dateline else self._judge(t)
            self._kinds[i] = got
        return got

    def _range(self, start: int, end: int) -> range:
        return range(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end))

    def _at_home(self, topo: Toponym) -> bool:
        """True if another mention surely in the same country, the dateline, or the country's demonym
        ("on the Iraqi side ... entering al-Qaim") backs this place up."""
        cc = _where(topo).country_code
        own = 1 if topo.score >= _SURE else 0
        if cc in self._dateline_countries or self._home[cc] - own > 0:
            return True
        if self._demonyms is None:
            self._demonyms = _demonym_countries(self.text)
        return cc in self._demonyms

    def _near_story(self, topo: Toponym) -> bool:
        """True if the place lies within reach of the story's sure towns (or the story has none)."""
        if topo.score >= _SURE:
            return True
        sure = [p for p in self._sure_towns if p.id != _where(topo).id]
        return not sure or min(distance_km(p, _where(topo)) for p in sure) <= _STORY_KM

    def _judge(self, topo: Toponym) -> str:
        """"place" for a usable place; the locality's words for a part of a town; "" to ignore it.

        A part of a town or a site comes first; then an unresolved name is a place only when a pattern
        found it ("the village of X"); a resolved one is where something happened unless one of the
        `_NOT_WHERE` rules says it names who or whose instead.
        """
        place, m = topo.place, topo.mention
        if self._rules is None:
            return "place" if place is not None else ""
        if _origin(self, topo):
            return ""
        part = self._part_or_site(topo)
        if part is not None:
            return part
        if place is None:
            return m.text if m.source == "pattern" else ""
        rejected = next((name for name, rule in _NOT_WHERE if rule(self, topo, place)), None)
        if rejected == "namesake" and self._governed(m.start):
            # "bombed villages near Golo": the event's own place, which the gazetteer lacks (its match is a
            # namesake abroad), is a village of its own.
            self._own_villages.add(m.start)
            return m.text
        return "" if rejected else "place"

    def _governed(self, start: int) -> bool:
        """True if in/at/near/... right before the mention ties it to an event as where it happened."""
        before = self.text[max(0, start - _LOOKBACK):start]
        return bool(_AT.search(before) or _NEAR.search(before))

    def _part_or_site(self, topo: Toponym) -> str | None:
        """For a name with a locality word ("the Wahda district") or, when doubtful, a facility word ("Salam
        hospital"): "place" if the gazetteer's place is that part, else the words naming it; None otherwise."""
        place, m, rules = topo.place, topo.mention, self._rules
        assert rules is not None
        noun = _NOUN_AFTER.match(self.text, m.end)
        words = m.text + (noun.group(0) if noun else "")
        if rules.around("locality", self.text, m.start, m.end):
            if place is not None and (place.level in _PART_OF_TOWN or (self._at_home(topo) and self._near_story(topo))):
                return "place"
            return words
        doubtful = place is None or (topo.score < _SURE and not self._at_home(topo))
        if doubtful and rules.around("facility", self.text, m.start, m.end):
            return words
        return None

    def _namesake(self, topo: Toponym, place: Place) -> bool:
        """A small town in a country nothing else in the story names ("Shi ite" -> Ski, Norway; "Sada" ->
        Spain) is a namesake far more often than a place the story is about."""
        if place.water:
            return False     # a sea lies in no country, so it is no namesake abroad
        others = sum(self._home.values()) - (1 if topo.score >= _SURE else 0) > 0 or bool(self._dateline_countries)
        return place.level.rank >= Level.CITY.rank and others and not self._at_home(topo) \
            and (topo.score < _DOUBT or (place.population or 0) < _LONE_TOWN)

    def locality(self, sentence: Sentence, trigger: tuple[int, int]) -> tuple[int, str] | None:
        """(offset, words) of the neighbourhood or site missing from the gazetteer nearest the trigger."""
        near = []
        for i in self._range(sentence.start, sentence.end):
            kind = self._kind(i)
            if kind not in ("place", ""):
                start = self._all[i].mention.start
                near.append((abs(start - trigger[0]), start, kind))
        return min(near)[1:] if near else None

    def country(self, place: Place) -> Place | None:
        """The gazetteer's country of a place inside one (None when unknown)."""
        if self._country_of is None or not place.country_code or place.level.rank <= Level.COUNTRY.rank:
            return None
        return self._country_of(place.country_code)

    def settlement(self, offset: int, words: str) -> bool:
        """True if the locality at `offset` is a village or town of its own ("the village of Prisi",
        "Tamarasheni, a Georgian town"), not a part of a town."""
        end = offset + len(words)
        if offset in self._own_villages:
            return True
        return bool(_SETTLEMENT_BEFORE.search(self.text, max(0, offset - 40), offset)
                    or _SETTLEMENT_AFTER.match(self.text, end))

    def town_of(self, sentence: Sentence, offset: int, text: str) -> PlaceChoice | None:
        """The town a locality at `offset` belongs to: the nearest town in its sentence, else the last
        town named before it (ACLED codes a neighbourhood missing from the gazetteer to its town). A
        village of its own is near the town its sentence names, or of no town the story tells."""
        # "seized the town of Kidal, a week after talks in Algiers": a town behind an occasion is not its town
        inside = [self._all[i] for i in self._range(sentence.start, sentence.end) if self._town(i, _TOWN_LEVELS)
                  and not occasion_place(self.text, offset + len(text), self._all[i].mention.start)]
        pick: Toponym | None
        if inside:
            pick = min(inside, key=lambda t: abs(t.mention.start - offset))
        elif self.settlement(offset, text):
            return None
        elif _PART_OF_CITY.search(text):
            pick = self._story_city(offset) or self._last_town(0, offset, _TOWN_LEVELS)
        else:
            pick = self._last_town(0, offset, _TOWN_LEVELS)
        if pick is None:
            return None
        return PlaceChoice(_where(pick), pick.mention.text, GeoPrecision.TOWN, "locality", text,
                           phrase=_mention_span(pick))

    def _story_city(self, offset: int, least: int = 1, usable: bool = False) -> Toponym | None:
        """The city the story names most often before `offset`, its dateline included (ties: the later);
        a district missing from the gazetteer is a part of the story's city, not of the last town named
        ("arrests in the town of al-Taji, north of the capital. ... a bomb in the northern Shula district").
        `usable`: only mentions of the city as a place count ("the Kremlin said" does not), and there must be `least`."""
        counts: Counter[str] = Counter()
        last: dict[str, Toponym] = {}
        for i in self._range(0, offset):
            t = self._all[i]
            if t.place is None or t.place.level not in _CITY or (usable and self._kind(i) != "place"):
                continue         # "Baghdad's busy Tayaran Square": an owner names the story's city too
            counts[t.place.id] += 1
            last[t.place.id] = t
        if not counts or max(counts.values()) < least:
            return None
        best = max(counts.values())
        return max((last[k] for k, n in counts.items() if n == best), key=lambda t: t.mention.start)

    def last_town(self, offset: int, reach: int, paragraph: int | None = None) -> PlaceChoice | None:
        """The city "in the city" at `offset` stands for: the last usable city its paragraph (from offset
        `paragraph`) named before it; else the story's city when the story names one more than once (its
        dateline included); else the last usable city named in the `reach` characters before `offset`."""
        pick = (self._last_town(paragraph, offset, _CITY) if paragraph is not None else None) \
            or self._story_city(offset, _STORY_CITY_MENTIONS, usable=True) \
            or self._last_town(max(0, offset - reach), offset, _CITY)
        if pick is None:
            return None
        return PlaceChoice(_where(pick), pick.mention.text, GeoPrecision.TOWN, "anaphor", start=pick.mention.start,
                           phrase=_mention_span(pick))

    def _town(self, i: int, levels) -> bool:
        t = self._all[i]
        return self._kind(i) == "place" and _where(t).level in levels and t not in self._dateline

    def _last_town(self, start: int, end: int, levels) -> Toponym | None:
        """The last usable toponym of one of `levels` mentioned in text[start:end], not on the dateline."""
        return next((self._all[i] for i in reversed(self._range(start, end)) if self._town(i, levels)), None)

    def in_span(self, start: int, end: int) -> list[Toponym]:
        """Usable resolved toponyms inside text[start:end]."""
        return [self._all[i] for i in self._range(start, end)
                if self._all[i].mention.end <= end and self._kind(i) == "place"]

    def in_sentence(self, sentence: Sentence, trigger: tuple[int, int],
                    clause: tuple[int, int] | None = None) -> PlaceChoice | None:
        """The most specific place tied to the trigger within its sentence (its clause preferred)."""
        best: tuple[float, PlaceChoice] | None = None
        for scored in self.scored(sentence, trigger, clause):
            if best is None or scored[0] > best[0]:
                best = scored
        return best[1] if best else None

    def scored(self, sentence: Sentence, trigger: tuple[int, int],
               clause: tuple[int, int] | None = None) -> list[tuple[float, PlaceChoice]]:
        """The places of the sentence that may be the trigger's, with their `PLACE_WEIGHTS` scores, in text order."""
        out = []
        for topo in self.in_span(sentence.start, sentence.end):
            if topo in self._dateline:
                continue
            scored = self._score(topo, sentence, trigger)
            if scored is not None and clause and not clause[0] <= topo.mention.start < clause[1] \
                    and not (topo.mention.start < clause[0] and _FRONTED.fullmatch(self.text, sentence.start, topo.mention.start)):
                scored = (scored[0] - _OTHER_CLAUSE, scored[1])
            if scored is not None:
                out.append(scored)
        return out

    def coordinated(self, sentence: Sentence, chosen: PlaceChoice) -> list[PlaceChoice]:
        """Places joined to the chosen one by "and" or a comma ("in Paris and California")."""
        out: list[PlaceChoice] = []
        if chosen.start >= 0 and _bracketed_container(self.text, sentence.start, chosen.start):
            return out           # "(Koro, Mopti)": a place's district and region, not places of their own
        last = chosen.start + len(chosen.text)
        for topo in self.in_span(last, sentence.end):
            m = _COORDINATED.fullmatch(self.text, last, topo.mention.start)
            if m is None:
                break
            # A bare comma may introduce a container ("Odessa, Ukraine"): only like joins like.
            bare = not re.search(r"\b(?:and|or)\b", m.group(0))
            if bare and _RELATIVE.search(m.group(0)):
                break
            if bare and (_where(topo).level is not chosen.place.level or contains(_where(topo), chosen.place)):
                break
            if _where(topo).id != chosen.place.id:
                out.append(_listed(topo))
            last = topo.mention.end
        return out

    def enumerated(self, sentence: Sentence, chosen: PlaceChoice) -> list[PlaceChoice]:
        """The places a plural noun of places after the chosen one lists, each inside it ("in Kenya's three main
        cities - Kisumu, Nairobi and Mombasa"): where the event happened, one event each; empty when none."""
        if chosen.start < 0:
            return []
        end = chosen.start + len(chosen.text)
        m = _ENUMERATION.match(self.text, end, sentence.end)
        if m is None and _PLACES_OF.search(self.text, max(sentence.start, chosen.start - 40), chosen.start):
            m = _LIST_AFTER.match(self.text, end, sentence.end)
        if m is None:
            return []
        out: list[PlaceChoice] = []
        last = m.end()
        for topo in self.in_span(m.end(), sentence.end):
            if topo.mention.start != last and not (out and (gap := _COORDINATED.fullmatch(self.text, last, topo.mention.start))
                                                  and not _RELATIVE.search(gap.group(0))):
                break
            if not contains(chosen.place, _where(topo)) or _where(topo).id == chosen.place.id:
                break
            out.append(_listed(topo))
            last = topo.mention.end
        return out

    def capital(self, words: str, start: int, near: bool) -> PlaceChoice | None:
        """"In the capital": the capital of the country the story is about (the dateline's, else the one
        its sure places name most), at `words` (offset `start`); None when neither is clear."""
        countries = sorted(c for c in self._dateline_countries if c)
        if len(countries) != 1:
            countries = [cc for cc, _ in self._home.most_common(1) if cc]
        place = self._capital_of(countries[0]) if countries and self._capital_of else None
        if place is None:
            return None
        return PlaceChoice(place, words, place_precision(place, near=near), "capital", start=start, tied=True,
                           phrase=Span(start, start + len(words)))

    def target(self, sentence: Sentence, trigger: tuple[int, int]) -> PlaceChoice | None:
        """The country whose adjective names the event's object right after its trigger ("a strike on a
        Syrian air base" -> Syria, region precision), for an event its sentence places nowhere else."""
        country_of = self._country_of
        got = target_country(self.text, trigger[1], sentence.end) if country_of is not None else None
        place = country_of(got[0]) if got and country_of is not None else None
        if got is None or place is None:
            return None
        m = got[1]
        return PlaceChoice(place, m.group("adj"), GeoPrecision.REGION, "target", start=m.start("adj"), tied=True,
                           phrase=Span(m.start("adj"), m.end()))

    def dateline(self) -> PlaceChoice | None:
        """The finest dateline place, one precision step coarser (it says where the reporter was).

        The dateline's town stands in only when the story itself names that town again: a reporter
        files from a capital or a bureau about events elsewhere in the country ("MANILA" over an
        arrest in Iligan), so otherwise the dateline's country stands in, at region precision.
        A dateline abroad ("LONDON" over a story about Macedonia) says nothing of where things
        happened: then the country the story names most often stands in, at region precision. One
        mention of another country ("NIAMEY ... condemned by officials in France") does not make the
        dateline abroad: it takes `_ABROAD_MENTIONS` mentions of another country or its places (as a
        place or as an actor: "Macedonia wants ..., officials in Macedonia said").
        """
        usable = [t for i, t in enumerate(self._all) if t not in self._dateline and self._kind(i) == "place"]
        countries = Counter(_where(t).country_code for t in usable if _where(t).country_code)
        named = Counter(t.place.country_code for t in self._all if t.place is not None and t not in self._dateline
                        and t.place.country_code and t.place.country_code not in self._dateline_countries)
        abroad = bool(countries) and bool(named) and named.most_common(1)[0][1] >= _ABROAD_MENTIONS
        if self._dateline and (not abroad or self._dateline_countries & set(countries)):
            # "DOHA/KABUL": of two dateline towns, the one the story names again is the scene
            again = {_where(t).id for t in usable}
            topo = max(self._dateline, key=lambda t: (_where(t).level.rank, _where(t).id in again))
            place = _where(topo)
            home = self._reporters_country(place, usable)
            if home is not None:
                return PlaceChoice(home, home.name, GeoPrecision.REGION, "dateline", phrase=_mention_span(topo))
            precision = place_precision(place, near=True)
            return PlaceChoice(place, topo.mention.text, precision, "dateline", phrase=_mention_span(topo))
        for cc, _ in countries.most_common(1):
            country = next((t for t in usable if _where(t).country_code == cc and _where(t).level is Level.COUNTRY), None)
            if country is not None:
                return PlaceChoice(_where(country), country.mention.text, GeoPrecision.REGION, "story",
                                   phrase=_mention_span(country))
        return None

    def _reporters_country(self, place: Place, usable: list[Toponym]) -> Place | None:
        """The country of a dateline town the story never names again (the reporter's base, not the scene)."""
        country = self.country(place)
        if country is None or any(_where(t).id == place.id for t in usable):
            return None
        return country

    def _score(self, topo: Toponym, sentence: Sentence, trigger: tuple[int, int]) -> tuple[float, PlaceChoice] | None:
        """How well a place in the trigger's sentence fits as where it happened (`PLACE_WEIGHTS`), or None
        when the place is a reference point, an owner, or another clause's."""
        start = topo.mention.start
        before = self.text[max(sentence.start, start - _LOOKBACK):start]
        far = _DISTANCE.search(before)
        if (far and _km(far) > _FAR_KM) or self._whose_or_landmark(topo, trigger) \
                or occasion_place(self.text, trigger[1], start) or _in_aside(self.text, sentence, start, trigger):
            return None
        # "in Dinangourou (Koro, Mopti)": the event-note convention names a place's district and region in
        # brackets after it; when the place itself is unknown, its container says only roughly where.
        near = bool(far) or bool(_NEAR.search(before)) or _bracketed_container(self.text, sentence.start, start)
        tied = near or bool(_AT.search(before))
        gap = trigger[0] - topo.mention.end if start < trigger[0] else start - trigger[1]
        # A sentence may open on its place ("On patrol south of Bagram, ... an IED exploded").
        if gap > ((_TIED_GAP * (2 if start < trigger[0] else 1)) if tied else _LOOSE_GAP):
            return None          # far from the trigger and not governed by in/at/near: another clause's place
        place = _where(topo)
        if place.water and not tied:
            return None          # "sailed en route to the eastern Mediterranean": a sea on the way, not the scene
        score = _place_score(topo, place, before, tied, gap, trigger)
        phrase = Span(start - len(before) + (far.start() if far else _phrase_start(before)), topo.mention.end) \
            if tied else _mention_span(topo)
        return score, PlaceChoice(place, topo.mention.text, place_precision(place, near=near), "sentence",
                                  start=start, tied=tied, phrase=phrase)

    def _whose_or_landmark(self, topo: Toponym, trigger: tuple[int, int]) -> bool:
        """A country before the trigger with no preposition between ("a U.S. missile strike", "backed by
        British special forces and air strikes": whose), or a landmark ("close to the border with Syria")."""
        start = topo.mention.start
        if _where(topo).level is Level.COUNTRY and start < trigger[0] \
                and _WHOSE_GAP.fullmatch(self.text, topo.mention.end, trigger[0]):
            return True
        return self._rules is not None and self._rules.around("reference", self.text, start, start)


# An aside on the agent before the event's verb: ", which are supported by the United States and Britain,"
# or ", who fled Syria in 2013," between commas or dashes.
_ASIDE_OPEN = re.compile(r"(?:,|\s[-\u2014\u2013])\s+(?:which|who|whose)\b[^,\u2014\u2013]*$", re.IGNORECASE)
_ASIDE_CLOSE = re.compile(r"[^,\u2014\u2013]*(?:,|\s[-\u2014\u2013]\s)")


def _in_aside(text: str, sentence: Sentence, start: int, trigger: tuple[int, int]) -> bool:
    """True when a place before the trigger sits in a relative aside that closes before it ("Coalition forces,
    which are supported by the United States and Britain, launched air strikes"): the aside tells of the agent,
    not of where the event happened."""
    if start >= trigger[0]:
        return False
    opened = _ASIDE_OPEN.search(text, sentence.start, start)
    if opened is None:
        return False
    closed = _ASIDE_CLOSE.match(text, start, trigger[0])
    return closed is not None


def _mention_span(topo: Toponym) -> Span:
    return Span(topo.mention.start, topo.mention.end)


def _listed(topo: Toponym) -> PlaceChoice:
    """A place listed beside the one tied to an event ("in Paris and California", "cities - Kisumu, Nairobi"):
    tied to the event like it, at its own precision."""
    return PlaceChoice(_where(topo), topo.mention.text, place_precision(_where(topo)), "sentence",
                       start=topo.mention.start, tied=True, phrase=_mention_span(topo))


def _attributive(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"a U.S.-backed offensive", "a Virginia man": who, not where."""
    return placer._rules is not None and placer._rules.around("attributive", placer.text, topo.mention.start, topo.mention.end)


def _sea_modifier(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"the Mediterranean port city of Marseille", "a Pacific island nation": a sea's name right before a
    content word describes what follows, it is not where."""
    return place.water and _modifies_next(placer.text, topo.mention.end)


def _nationality(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"U.S. soldiers", "French jets", "the U.S. counter-terrorism mission": a country's name right before a
    word of what it sends, owns or does says whose, not where.

    Beyond the listed words (cue kind `nationality`), any content word right after the name makes it a
    modifier of that word, unless the word is a part of the land ("a Syrian air base", "Syria border
    town": cue kind `country_place`), a function or time word ("Syria last week"), or a preposition before
    the name governs it ("in U.S. waters").
    """
    if place.level is not Level.COUNTRY or placer._rules is None:
        return False
    rules, text, m = placer._rules, placer.text, topo.mention
    if rules.around("nationality", text, m.start, m.end):
        return True
    return _modifies_next(text, m.end) and not rules.around("country_place", text, m.start, m.end) \
        and not _GOVERNED.search(text, max(0, m.start - _LOOKBACK), m.start)


def _owner(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"at Iraq's request", "Syria's army": whose, not where (but "Syria's north" is a part of it)."""
    m = topo.mention
    return bool(_POSSESSIVE.match(placer.text, m.end)) and placer._rules is not None \
        and not placer._rules.around("part", placer.text, m.start, m.end + _POSSESSIVE_S)


def _person(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"President Bush", "Bush said": a town-sized name that is a person's."""
    m = topo.mention
    return place.level is not Level.COUNTRY and placer._rules is not None \
        and placer._rules.around("person", placer.text, m.start, m.end)


def _after_initial(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"George W. Bush"."""
    return bool(_INITIAL.search(placer.text, max(0, topo.mention.start - _INITIAL_REACH), topo.mention.start))


def _origin(placer: Placer, topo: Toponym) -> bool:
    """"James Hodgkinson, 66, from the St. Louis suburb of Belleville", "Sgt. John Doe, 36, of Austin, Texas":
    where a person is from, not where the event happened (nor a part of a town there)."""
    m = topo.mention
    return bool(_ORIGIN.search(placer.text, max(0, m.start - _ORIGIN_REACH), m.start))


_ORIGIN_REACH = 120


def _seat_acting(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"the Kremlin launched air strikes in Syria": the government acting, not where."""
    m = topo.mention
    return _is_seat(m.text) and not _AT_SEAT.search(placer.text, max(0, m.start - _SEAT_REACH), m.start)


# A resolved name is where something happened unless one of these says it names who or whose instead.
_NOT_WHERE: tuple[tuple[str, Callable[[Placer, Toponym, Place], bool]], ...] = (
    ("attributive", _attributive),
    ("sea as modifier", _sea_modifier),
    ("nationality", _nationality),
    ("owner", _owner),
    ("person", _person),
    ("initial", _after_initial),
    ("seat", _seat_acting),
    ("namesake", Placer._namesake),
)


def _where(topo: Toponym) -> Place:
    """The place of a toponym the placer uses: only resolved ones reach here (unresolved ones are judged
    "" or a locality's words by `Placer._judge`)."""
    if topo.place is None:
        raise ValueError(f"unresolved toponym {topo.mention.text!r} used as a place")
    return topo.place
