"""Where and when an incident happened: the place and date tied to a trigger in its article."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gazetteer.resolve.resolver import haversine_km
from geo.model import Article, GeoPrecision, Level, Place, Span, Toponym
from geo.read.text import Sentence

__all__ = ["PlaceChoice", "Placer", "contains", "distance_km", "geo_precision", "place_precision"]

# An Arabic article glued to the name the mention leaves out: "captured al-Qaim" (the mention is "Qaim").
_GLUED_ARTICLE = r"(?:(?:al|el|ad|ar|as|ash|at|an|az)-)?"
# Words right before a mention that tie it to an event happening there (ACLED precision 1) ...
_AT = re.compile(r"(?:\b(?:in|at|inside|into|across|throughout|on|over|hit|struck|targeted|attacked|entered|"
                 r"seized|retook|recaptured|captured|stormed|overran)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3})"
                 + _GLUED_ARTICLE + "$",
                 re.IGNORECASE)
# ... or only near it (ACLED precision 2).
_NEAR = re.compile(r"(?:\b(?:near|outside|around|outskirts\s+of|edge\s+of|close\s+to|"
                   r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of)\s+"
                   r"(?:the\s+)?(?:[\w’'-]+\s+){0,2})" + _GLUED_ARTICLE + "$", re.IGNORECASE)
# "280 km (175 miles) southwest of Mosul": a reference point, not where it happened.
_DISTANCE = re.compile(r"(\d[\d,.]*)\s*(?:km|kms|kilometres|kilometers|miles?)\b[^.;]{0,30}?"
                       r"\b(?:of|from)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}" + _GLUED_ARTICLE + "$", re.IGNORECASE)
# "KABUL (Reuters) -" at the start of the body, for articles read without a parsed dateline.
_WIRE_DATELINE = re.compile(r"[^\n()]{2,80}?\((?:Reuters|REUTERS|AP|AFP)\)\s*[-–—]")
_FAR_KM = 25.0
_STORY_KM = 300.0
_LONE_TOWN = 100_000    # population below which a town alone in its country is taken for a namesake
_TIED_GAP, _LOOSE_GAP = 100, 60
_RIGHT_AFTER = 40
# Characters between trigger and place (tied by in/at/near; loose); a place in another clause
# ("..., and a worker was detained in Istanbul") is another event's, so it loses this much.
_OTHER_CLAUSE = 1.5
_SURE, _DOUBT = 0.9, 0.85       # resolver scores: sure enough to define the story's countries; too doubtful
_INITIAL = re.compile(r"\b[A-Z]\.\s+$")
# A sentence that opens on where ("In Ukraine, police arrested ..."): the fronted place governs the main
# clause after its comma, which would otherwise count as another clause.
_FRONTED = re.compile(r"[\W]*(?:(?:later|earlier|meanwhile|elsewhere|also)\s*,?\s+)?(?:in|at|near|outside|inside|across|"
                      r"on\s+the\s+outskirts\s+of)\s+(?:the\s+)?(?:[\w’'.-]+\s+){0,3}" + _GLUED_ARTICLE, re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s+[\w’'-]+")
_TOWN_LEVELS = {Level.CITY, Level.DISTRICT}
_CITY = {Level.CITY}
_PART_OF_TOWN = {Level.DISTRICT, Level.NEIGHBOURHOOD, Level.CAMP, Level.LANDMARK, Level.FEATURE}
_LOOKBACK = 60
# Before a seat of government ("the White House"), the words that make it where something happened.
_AT_SEAT = re.compile(r"\b(?:in|at|inside|outside|near|to|into|from|around|toward|towards|opposite)\s+(?:the\s+)?$",
                      re.IGNORECASE)
# Between two coordinated places: "and", "or", a comma, a few words of description ("the province of").
_COORDINATED = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?(?:[a-z][\w’'-]*\s+){0,3}")
# ... but not words that make the next place a reference point: "al-Mayadin, southeast of Deir al-Zor".
_RELATIVE = re.compile(r"\b(?:(?:north|south)(?:-?(?:east|west))?|east|west|near|outside|from|beyond|across|toward|"
                       r"towards|between|upstream|downstream|opposite|past|off)\b")

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


def place_precision(place: Place, *, near: bool = False) -> GeoPrecision:
    """ACLED geo precision for `place`: a part of a town placed at its town's point ("the Wahda
    district of east Mosul") is coded like the town, as ACLED codes a neighbourhood at its town."""
    return geo_precision(Level.CITY if place.located_at == "parent" else place.level, near=near)


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

    def __init__(self, article: Article, toponyms: Sequence[Toponym], rules=None):
        self.text = article.text
        self._rules = rules
        span = article.dateline.span if article.dateline else _wire_dateline(article)
        ordered = sorted(toponyms, key=lambda t: t.mention.start)
        on_dateline = [t for t in ordered if t.place is not None and span
                       and t.mention.start < span.end and span.start < t.mention.end]
        # Countries the story is surely about: a doubtful match elsewhere is more likely a namesake.
        self._home = Counter(t.place.country_code for t in ordered
                             if t.place is not None and t not in on_dateline and t.score >= _SURE)
        self._dateline_countries = {_where(t).country_code for t in on_dateline}
        self._sure_towns = [t.place for t in ordered if t.place is not None and t.score >= _SURE
                            and t.place.level.rank >= Level.DISTRICT.rank]
        # Judged lazily: most toponyms are never near a trigger.
        self._all = ordered
        self._starts = [t.mention.start for t in ordered]
        self._kinds: dict[int, str] = {}
        self._dateline = on_dateline
        self._demonyms: set[str] | None = None   # countries named by a demonym, read when first needed

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
        part = self._part_or_site(topo)
        if part is not None:
            return part
        if place is None:
            return m.text if m.source == "pattern" else ""
        return "" if any(rule(self, topo, place) for _, rule in _NOT_WHERE) else "place"

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

    def town_of(self, sentence: Sentence, offset: int, text: str) -> PlaceChoice | None:
        """The town a locality at `offset` belongs to: the nearest town in its sentence, else the last
        town named before it (ACLED codes a neighbourhood missing from the gazetteer to its town)."""
        inside = [self._all[i] for i in self._range(sentence.start, sentence.end) if self._town(i, _TOWN_LEVELS)]
        pick: Toponym | None
        if inside:
            pick = min(inside, key=lambda t: abs(t.mention.start - offset))
        else:
            pick = self._last_town(0, offset, _TOWN_LEVELS)
        if pick is None:
            return None
        return PlaceChoice(_where(pick), pick.mention.text, GeoPrecision.TOWN, "locality", text,
                           phrase=_mention_span(pick))

    def last_town(self, offset: int, reach: int) -> PlaceChoice | None:
        """The last usable city named in the `reach` characters before `offset`, for "in the city"."""
        pick = self._last_town(max(0, offset - reach), offset, _CITY)
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
        for topo in self.in_span(sentence.start, sentence.end):
            if topo in self._dateline:
                continue
            scored = self._score(topo, sentence, trigger)
            if scored is not None and clause and not clause[0] <= topo.mention.start < clause[1] \
                    and not (topo.mention.start < clause[0] and _FRONTED.fullmatch(self.text, sentence.start, topo.mention.start)):
                scored = (scored[0] - _OTHER_CLAUSE, scored[1])
            if scored is not None and (best is None or scored[0] > best[0]):
                best = scored
        return best[1] if best else None

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
                out.append(PlaceChoice(_where(topo), topo.mention.text, place_precision(_where(topo)),
                                       "sentence", start=topo.mention.start, tied=True, phrase=_mention_span(topo)))
            last = topo.mention.end
        return out

    def dateline(self) -> PlaceChoice | None:
        """The finest dateline place, one precision step coarser (it says where the reporter was).

        A dateline abroad ("LONDON" over a story about Macedonia) says nothing of where things
        happened: then the country the story names most often stands in, at region precision.
        """
        usable = [t for i, t in enumerate(self._all) if t not in self._dateline and self._kind(i) == "place"]
        countries = Counter(_where(t).country_code for t in usable if _where(t).country_code)
        if self._dateline and (not countries or self._dateline_countries & set(countries)):
            topo = max(self._dateline, key=lambda t: _where(t).level.rank)
            precision = place_precision(_where(topo), near=True)
            return PlaceChoice(_where(topo), topo.mention.text, precision, "dateline", phrase=_mention_span(topo))
        for cc, _ in countries.most_common(1):
            country = next((t for t in usable if _where(t).country_code == cc and _where(t).level is Level.COUNTRY), None)
            if country is not None:
                return PlaceChoice(_where(country), country.mention.text, GeoPrecision.REGION, "story",
                                   phrase=_mention_span(country))
        return None

    def _score(self, topo: Toponym, sentence: Sentence, trigger: tuple[int, int]) -> tuple[float, PlaceChoice] | None:
        """How well a place in the trigger's sentence fits as where it happened (`PLACE_WEIGHTS`), or None
        when the place is a reference point, an owner, or another clause's."""
        start = topo.mention.start
        before = self.text[max(sentence.start, start - _LOOKBACK):start]
        far = _DISTANCE.search(before)
        if (far and _km(far) > _FAR_KM) or self._whose_or_landmark(topo, trigger):
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
        w = PLACE_WEIGHTS
        # Finer places win (a city over the country it is "in"); words tying it to the event help.
        rank = place.level.rank if place.located_at != "parent" else max(place.level.rank, Level.NEIGHBOURHOOD.rank)
        score = rank * w.level + (w.tied if tied else 0.0) + (w.source if _FROM.search(before) else 0.0)
        score -= max(gap, 0) / w.chars_per_point
        if tied and start > trigger[1] and gap <= _RIGHT_AFTER:
            score += w.right_after
        score -= w.doubt * max(0.0, 1.0 - topo.score) if topo.score else 0.0
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


@dataclass(frozen=True, slots=True)
class PlaceWeights:
    """The weights of choosing a place for an event within its sentence (`Placer._score`)."""

    level: float = 1.0             # per level of detail: a town beats its province, which beats its country
    tied: float = 1.0              # governed by in/at/near/... or the trigger verb's object: worth one level
    source: float = 0.5            # "from X": where fire or a flight came from, half a level
    chars_per_point: float = 80.0  # characters between trigger and place that cost one point
    right_after: float = 0.3       # "were arrested in X": the phrase right after the trigger governs it
    doubt: float = 2.0             # per unit of the resolver's doubt: a doubtful namesake loses to a sure town


PLACE_WEIGHTS = PlaceWeights()


def _km(far: re.Match[str]) -> float:
    """Kilometres in a "280 km (175 miles) southwest of" phrase (miles converted; unreadable: beyond reach)."""
    try:
        km = float(far.group(1).replace(",", ""))
    except ValueError:
        return _FAR_KM + 1
    return km * 1.609 if "mile" in far.group(0).lower() else km


# A preposition that opens a place phrase; verbs that govern a place ("seized Qaim") do not open one.
_PREPOSITION = re.compile(r"\b(?:in|at|inside|into|across|throughout|on|over|near|outside|around)\b", re.IGNORECASE)


def _phrase_start(before: str) -> int:
    """Where the phrase ending at a place starts in `before`, the text up to the place's name.

    The innermost preposition that still reaches the place ("in the east near " -> "near "), else
    words like "north of" or "close to"; the name alone when nothing opens a phrase.

    >>> [_phrase_start(b) for b in ("fighting in the east near ", "on the outskirts of ", "hit targets in ",
    ...                             "seized ", "clashes close to ")]
    [21, 0, 12, 7, 8]
    """
    for m in reversed(list(_PREPOSITION.finditer(before))):
        if _AT.match(before, m.start()) or _NEAR.match(before, m.start()):
            return m.start()
    near = _NEAR.search(before)
    return near.start() if near else len(before)


def _mention_span(topo: Toponym) -> Span:
    return Span(topo.mention.start, topo.mention.end)


def _attributive(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"a U.S.-backed offensive", "a Virginia man": who, not where."""
    return placer._rules is not None and placer._rules.around("attributive", placer.text, topo.mention.start, topo.mention.end)


def _owner(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"at Iraq's request", "Syria's army": whose, not where (but "Syria's north" is a part of it)."""
    m = topo.mention
    return bool(_POSSESSIVE.match(placer.text, m.end)) and placer._rules is not None \
        and not placer._rules.around("part", placer.text, m.start, m.end + 2)


def _person(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"President Bush", "Bush said": a town-sized name that is a person's."""
    m = topo.mention
    return place.level is not Level.COUNTRY and placer._rules is not None \
        and placer._rules.around("person", placer.text, m.start, m.end)


def _after_initial(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"George W. Bush"."""
    return bool(_INITIAL.search(placer.text, max(0, topo.mention.start - 4), topo.mention.start))


def _seat_acting(placer: Placer, topo: Toponym, place: Place) -> bool:
    """"the Kremlin launched air strikes in Syria": the government acting, not where."""
    m = topo.mention
    return _is_seat(m.text) and not _AT_SEAT.search(placer.text, max(0, m.start - 16), m.start)


# A resolved name is where something happened unless one of these says it names who or whose instead.
_NOT_WHERE: tuple[tuple[str, Callable[[Placer, Toponym, Place], bool]], ...] = (
    ("attributive", _attributive),
    ("owner", _owner),
    ("person", _person),
    ("initial", _after_initial),
    ("seat", _seat_acting),
    ("namesake", Placer._namesake),
)


# Between a country and the trigger after it, a few words with no preposition ("British special forces
# and air strikes", "French jets hit"): the country is whose forces act, not where.
# "to" before a verb ("prompted the United States to carry out missile strikes") marks an infinitive, not a
# place it went to: only "to" before a name, a number or a determiner is a preposition here.
_WHOSE_GAP = re.compile(r"(?:['’]s)?(?:\s+(?!(?:in|at|near|on|of|from|into|inside|outside|across|around|over|"
                        r"against|between|towards|through|within)\b|to\s+(?:the|a|an|its|their)\b|to\s+(?-i:[A-Z\d]))"
                        r"[\w’'.-]+){0,4}\s*", re.IGNORECASE)
# A possessive place followed by a common noun ("Iraq's request"); a name after it is another place.
_POSSESSIVE = re.compile(r"['’]s\s+[a-z]")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


def _where(topo: Toponym) -> Place:
    """The place of a toponym the placer uses: only resolved ones reach here (unresolved ones are judged
    "" or a locality's words by `Placer._judge`)."""
    if topo.place is None:
        raise ValueError(f"unresolved toponym {topo.mention.text!r} used as a place")
    return topo.place


def _bracketed_container(text: str, floor: int, start: int) -> bool:
    """True if the mention at `start` stands in brackets right after a name: "Dinangourou (Koro, Mopti)".

    >>> t = "JNIM looted livestock in Dinangourou (Koro, Mopti)."
    >>> _bracketed_container(t, 0, t.index("Koro")), _bracketed_container(t, 0, t.index("Mopti"))
    (True, True)
    >>> _bracketed_container("Clashes in Mopti (central Mali).", 0, 11)
    False
    """
    opened = text.rfind("(", floor, start)
    if opened < 0 or ")" in text[opened:start] or not re.fullmatch(r"[\w\s,’'.-]*", text[opened + 1:start]):
        return False
    return bool(re.search(r"[A-Za-z]\w*\s*$", text[floor:opened]))


def _demonym_countries(text: str) -> set[str]:
    """ISO codes of the countries whose demonym the text uses ("Iraqi", "Syrians")."""
    from gazetteer.mentions.lexicon import load_lexicon
    from gazetteer.mentions.matcher import (
        _demonym_key,  # the matcher's own reading: "Iraqi", "Iraqis"
    )
    from gazetteer.names import normalize

    lex = load_lexicon()
    out = set()
    for word in set(_CAPITALISED.findall(text)):
        got = _demonym_key(normalize(word), lex)
        if got and got.startswith("cc:"):
            out.add(got[3:])
    return out


def _is_seat(name: str) -> bool:
    """True for a building that stands for a government ("White House", "Kremlin"; name_variants.csv)."""
    from gazetteer.mentions.lexicon import load_lexicon
    from gazetteer.names import normalize

    got = load_lexicon().variants.get(normalize(name))
    return got is not None and got[1] == "seat"


def _wire_dateline(article: Article) -> Span | None:
    """Span of a "CITY (Reuters) -" opening when the reader gave no dateline."""
    start = article.body_span.start if article.body_span else 0
    m = _WIRE_DATELINE.match(article.text, start)
    return Span(m.start(), m.end()) if m else None


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
    return haversine_km(a.lat, a.lon, b.lat, b.lon)
