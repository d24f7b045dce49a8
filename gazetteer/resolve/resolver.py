"""Resolving mentions to places with the article as context.

Each candidate gets a score from its own weight (level, population) plus what the article says:
the dateline country, the countries and regions the article is about, explicit containers
("Odessa, Ukraine", "Achin district of Nangarhar"), level hints ("Wahda district"), curated
places inside a parent the article names, and closeness to the article's other places.
Resolution runs in passes: a context-free first guess, then again with the context the first
pass produced (leaving each name's own vote out), so unambiguous names steer ambiguous ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer.mentions.lexicon import load_lexicon
from gazetteer.mentions.patterns import _level_word_after
from gazetteer.model import Level, Mention, Place, Toponym
from gazetteer.names import normalize
from gazetteer.resolve.binding import bind_to_container, container_places, level_confusion, listed, pick_level, prominent_level
from gazetteer.resolve.candidates import BIG as _BIG
from gazetteer.resolve.candidates import HINT_LEVELS as _HINT_LEVELS
from gazetteer.resolve.candidates import SUB_CITY as _SUB_CITY
from gazetteer.resolve.candidates import Candidate, CandidateFinder

__all__ = ["Resolver", "Weights", "haversine_km"]

LOCAL_DAMPING = 0.5
_COHERENCE_CANDS = 8   # candidates of each other name that count as its possible readings
_COHERENCE_NAMES = 40  # bounds the pairwise work on very long texts
_MAX_ANCHORS = 12      # places (and, apart, countries) of the article that distances are measured to


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts (tuned on the gold corpora, see docs/accuracy.md)."""

    prior: float = 3.5
    country: float = 2.5
    dateline: float = 0.6
    admin1: float = 0.8
    container: float = 3.0
    parent: float = 2.5
    orphan: float = 1.0          # a sub-city curated place whose parent the article never names
    hint: float = 1.0
    proximity: float = 1.2
    proximity_km: float = 100.0
    region: float = 1.0          # same part of the world as the article's other places
    region_km: float = 1500.0
    neighbour: float = 1.0       # in a country the article does not name, but next to one it does
    neighbour_km: float = 500.0
    coherence: float = 0.8       # near some reading of the article's other names (joint, not just best guesses)
    coherence_km: float = 100.0
    coherence_cap: float = 3.0
    exact: float = 1.5
    capital: float = 1.0         # national capitals are named from abroad far more than namesakes
    dateline_place: float = 1.5  # datelines name well-known places: weigh size more
    foreign_small: float = 1.0   # a small place in a country the article never mentions
    country_name: float = 2.0    # a country's own name rarely means a namesake village
    province_name: float = 0.8
    skeleton: float = 0.8
    temperature: float = 2.0
    hint_country: float = 4.0
    quarter_km: float = 300.0    # a district or quarter lies near the article's other places
    far_quarter: float = 3.0
    neighbourhood_km: float = 50.0   # a "neighbourhood" candidate must be this close to a place the story names
    floor: float = 2.5           # best score below which a hinted mention is left unresolved
    stray_km: float = 1500.0     # a small foreign town this far from all the story's places is a guess
    stray_share: float = 0.34    # ... unless its country has this share of the story's main country's votes


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


class Resolver:
    """Ranks gazetteer candidates for mentions; one instance per index, reused across articles."""

    def __init__(self, index, *, weights: Weights | None = None, limit: int = 25, cache_size: int = 20000, aliases=None):
        self.index = index
        self.w = weights or Weights()
        self.passes = 3
        self._lex = load_lexicon()
        self.finder = CandidateFinder(index, aliases=aliases, limit=limit, cache_size=cache_size)
        self.candidates = self.finder.candidates   # surface form -> its candidates (cached)

    # ----------------------------------------------------------------- resolution
    def resolve(
        self,
        text: str,
        mentions: Sequence[Mention],
        *,
        dateline_places: Sequence[str] = (),
        dateline_country: str | None = None,
    ) -> list[Toponym]:
        """One Toponym per mention, in the same order; unresolvable ones have place=None."""
        if not mentions:
            return []
        keys = [normalize(m.text) for m in mentions]
        cands, containers = self._bound(text, mentions, keys, dateline_places, dateline_country)
        dl_cc = self._country_code(dateline_country) if dateline_country else None
        coherent = self._coherence(keys, cands) if self.w.coherence else {}
        # Mentions that read the same (name, hint, container, source) rank the same in a pass.
        # A level word after the name ("Palestine district") types it; one before it ("an area of
        # Syria", "a quarter of Syria") may only say which part of a country is meant.
        sig = [(k, m.hint, m.container, m.source, bool(m.hint) and self._level_follows(text, m))
               for k, m in zip(keys, mentions)]
        # Pass 1: without article context.
        ctx0 = _Context.empty(dl_cc)
        best = self._pass(mentions, cands, containers, sig, lambda k: ctx0, coherent)
        # Passes 2-3: with the context of the previous pass, leaving each name's own votes out.
        for _ in range(self.passes - 1):
            ctx = _Context.build(keys, best, dl_cc)
            loo: dict[str, _Context] = {}

            def context_for(k, ctx=ctx, loo=loo):
                if k not in loo:
                    loo[k] = ctx.without(k)
                return loo[k]

            again = self._pass(mentions, cands, containers, sig, context_for, coherent)
            settled = all((a[0][0].id if a else None) == (b[0][0].id if b else None) for a, b in zip(again, best))
            best = again
            if settled:
                break   # the context did not change any choice, so another pass would not either
        out = []
        for m, ranked in zip(mentions, best):
            if not ranked:
                out.append(Toponym(m, None, 0.0))
                continue
            (p, s), alts = ranked[0], tuple(ranked[1:4])
            out.append(Toponym(m, p, s, alts))
        return out

    def _pass(self, mentions, cands, containers, sig, context_for, coherent) -> list[list[tuple[Place, float]]]:
        """Rank every mention against the context `context_for(key)` gives it."""
        memo: dict[tuple, list] = {}
        out = []
        for i, m in enumerate(mentions):
            key = sig[i]
            ranked = memo.get(key)
            if ranked is None:
                c = cands[i]
                if len(c) == 1 and not c[0].skel and m.hint is None:
                    ranked = [(c[0].place, 1.0)]
                else:
                    ranked = self._rank(key[4], m, c, context_for(key[0]), containers[i], coherent.get(key[0]))
                memo[key] = ranked
            out.append(ranked)
        return out

    def _bound(self, text, mentions, keys, dateline_places, dateline_country):
        """Each mention's candidates cut to what its level word, container and dateline allow, and the
        container places that weigh in its score (none for a list: "Indiana, Ohio, Wisconsin")."""
        dl_keys = {normalize(p) for p in dateline_places} if dateline_country else set()
        dl_key = normalize(dateline_country) if dateline_country else ""
        found = [self.candidates(m.text) for m in mentions]
        prominent = {}   # index -> level of its most prominent reading, only where a container asks
        confused: dict[str, bool] = {}   # key -> both a region and a town: a level word may choose
        cands, boxes = [], []
        for i, (m, key) in enumerate(zip(mentions, keys)):
            c = found[i]
            if c and key not in confused:
                confused[key] = level_confusion(c)
            if c and confused[key]:
                c = pick_level(text, m.start, m.end, c)
            box: tuple[Candidate, ...] = ()
            if m.container and c:
                for j in (i + 1, i + 2):
                    if j < len(found) and j not in prominent:
                        prominent[j] = prominent_level(found[j])
                if not listed(text, mentions, i, prominent):
                    box = container_places(c, self.candidates(m.container), same_name=normalize(m.container) == key)
                    c = bind_to_container(c, box, strict=False)
            if dl_key and c and key != dl_key and (m.source == "dateline" or key in dl_keys):
                # "KABUL/ABDUL KHIL, Afghanistan": inside the dateline's country or unresolved
                dl_box = container_places(c, self.candidates(dateline_country), same_name=False)
                c = bind_to_container(c, dl_box, strict=True)
            cands.append(c)
            boxes.append(box[:5])
        return cands, boxes

    def _country_code(self, name: str) -> str | None:
        for c in self.candidates(name):
            if c.place.level is Level.COUNTRY:
                return c.cc
        return None

    def _coherence(self, keys, cands) -> dict[str, dict[str, float]]:
        """Per ambiguous name, how close each candidate is to some candidate of each other name.

        "Paris" and "Henry County" together mean Paris, Tennessee, although neither name's
        most likely reading alone says so.
        """
        w = self.w
        pts: dict[str, list[tuple[float, float]]] = {}
        for k, c in zip(keys, cands):
            if k not in pts:
                pts[k] = [(x.place.lat, x.place.lon) for x in c[:_COHERENCE_CANDS] if x.place.level not in _BIG]
        others = [k for k, v in pts.items() if v][:_COHERENCE_NAMES]
        if len(others) < 2:
            return {}
        out: dict[str, dict[str, float]] = {}
        for k, c in zip(keys, cands):
            if k in out or len(c) < 2 or any(x.exact and x.place.level in _BIG for x in c):
                continue   # a country's or region's own name is not a town near the story
            scores = {}
            for x in c:
                p = x.place
                if p.level in _BIG:
                    continue
                total = 0.0
                for j in others:
                    if j != k:
                        total += math.exp(-_nearest_km(p.lat, p.lon, pts[j]) / w.coherence_km)
                scores[p.id] = min(w.coherence_cap, total)
            out[k] = scores
        return out

    def _level_follows(self, text: str, m: Mention) -> bool:
        return _level_word_after(text, m.end, self._lex.level_words) is not None

    def _rank(self, hint_after: bool, m: Mention, cands, ctx: "_Context", container, coherent=None) -> list[tuple[Place, float]]:
        if not cands:
            return []
        w = self.w
        hint_levels = _HINT_LEVELS.get(m.hint or "")
        dateline = m.source == "dateline"
        countries, top, anchors = ctx.countries, ctx.top, ctx.anchors
        scored = []
        for c in cands:
            p = c.place
            in_ctx = countries.get(c.cc, 0.0) if c.cc else 0.0
            if c.skel and not (in_ctx or (c.cc and c.cc == ctx.dateline_cc)):
                continue  # a sound-alike in a country the article is not about is noise
            if c.base_for is not w:
                c.base, c.base_for = _static_score(c, w), w
            s = c.base
            if dateline:
                s += w.dateline_place * c.prior
            if c.small and not in_ctx:
                s -= w.foreign_small
            if in_ctx:
                s += w.country * math.sqrt(in_ctx / top)
            if ctx.dateline_cc and c.cc == ctx.dateline_cc:
                s += w.dateline
            # A dateline names the bureau's city, well known by convention ("WASHINGTON", not
            # "WASHINGTON, Pa."): the story's states and provinces do not pull it towards a namesake.
            if c.a1 and p.level is not Level.PROVINCE and c.a1 in ctx.admin1 and not (dateline and not container):
                s += w.admin1 * (ctx.local if c.small else 1.0)
            if container:
                s += w.container * _contained(c, container)
            if c.has_parent_rule:
                # A region parent is already counted through admin1; this is for quarters, camps
                # and curated towns inside a place the article names.
                if p.parent_id and p.parent_id in ctx.ids:
                    s += w.parent
                elif p.level in _SUB_CITY:
                    s -= w.orphan
            to_anchors: float | None = None   # km to the story's nearest place, computed at most once
            if anchors and p.level in _MISFITS_ABROAD.get(m.hint, ()) and ctx.share(c.cc) < w.stray_share:
                to_anchors = _nearest_km(p.lat, p.lon, anchors)
                if to_anchors > w.stray_km:
                    # "the Abyan district of east Mosul" is no province or town of Yemen, and "the
                    # Kasai region" in a Congo story no town in Japan
                    continue
            if hint_levels is not None:
                if p.level in hint_levels:
                    s += w.hint
                elif p.level in (Level.COUNTRY, Level.CONTINENT):
                    if not hint_after:
                        pass   # "an area of Syria" is in Syria
                    elif m.hint != "province":
                        continue   # "Palestine district" is never the State of Palestine
                    else:
                        s -= w.hint_country
                elif p.level is Level.PROVINCE and m.hint == "neighbourhood":
                    continue   # "the Ilam neighbourhood" is never Iran's Ilam province
                else:
                    s -= w.hint * (0.5 if p.level is Level.CITY else 1.0)
            if coherent:
                s += w.coherence * coherent.get(p.id, 0.0) * ctx.local
            if not in_ctx and ctx.country_points and p.level not in (Level.COUNTRY, Level.CONTINENT):
                # Gaza next to Israel and Egypt, not Gaza province of Mozambique
                d = _nearest_km(p.lat, p.lon, ctx.country_points)
                s += w.neighbour * math.exp(-d / w.neighbour_km) * (ctx.local if c.small else 1.0)
            if anchors and p.level not in _BIG:
                d = to_anchors if to_anchors is not None else _nearest_km(p.lat, p.lon, anchors)
                if (hint_levels is not None and m.hint == "neighbourhood" and d > w.neighbourhood_km
                        and ctx.share(c.cc) < w.stray_share):
                    continue   # a neighbourhood abroad lies in a city the story names: "Ilam" in Mosul is not Iran's
                if hint_levels is not None and m.hint == "district" and d > w.quarter_km:
                    s -= w.far_quarter   # "Palestine district" in a Mosul story is not in Texas
                near = w.proximity * math.exp(-d / w.proximity_km) + w.region * math.exp(-d / w.region_km)
                s += near * ctx.local if c.small else near
            scored.append((s, p, c))
        if not scored:
            return []
        scored.sort(key=lambda t: -t[0])
        best = scored[0][0]
        if best < w.floor and hint_levels is not None and scored[0][1].level not in (Level.COUNTRY, Level.CONTINENT):
            return []   # "Jada district": no candidate fits the hint and the story, so leave it unresolved
        if self._stray(scored[0][2], ctx):
            return []   # "Salam hospital" in a Mosul story is not a village in Oman: report it unresolved
        z = [math.exp(w.temperature * (s - best)) for s, _, _ in scored[:8]]
        total = sum(z)
        return [(p, round(zi / total, 4)) for (_, p, _), zi in zip(scored[:8], z)]


    def _stray(self, c: Candidate, ctx: "_Context") -> bool:
        """True if the best candidate `c` is a small town the story gives no reason to be in.

        A small populated place (or a mid-sized one known by another name) in a country the
        article never names, or names far less than its main one (the U.S. as an actor in a Mosul
        story), not the dateline's, and far from every place and country the article names: a
        namesake picked only because nothing else has the name.
        """
        p = c.place
        # A mid-sized town counts too when only one of its alternate names matched ("Salam" for
        # Saham, Oman): GeoNames' alternate names hold many such stray forms.
        minor = c.small or (not c.exact and c.prior < 0.7)
        if p.level is not Level.CITY or not minor or not c.cc or c.cc == ctx.dateline_cc or p.layer == "curated":
            return False   # (the curated towns are the conflict places the news names, not namesakes)
        if ctx.share(c.cc) >= self.w.stray_share:
            return False   # a country the story is (also) about; named once as an actor does not count
        points = ctx.anchors + ctx.country_points
        return bool(points) and _nearest_km(p.lat, p.lon, points) > self.w.stray_km


# Levels a level word rules out for a candidate far from the story's places in a country it hardly
# names: the word names a unit of the story's own country, and a namesake abroad of another
# level is only a homonym.
_MISFITS_ABROAD: dict[str | None, tuple[Level, ...]] = {
    "district": (Level.PROVINCE, Level.CITY),
    "province": (Level.DISTRICT, Level.CITY),
}


def _static_score(c: "Candidate", w: Weights) -> float:
    """The part of a candidate's score that does not depend on the article."""
    p = c.place
    s = w.prior * c.prior
    if c.exact:
        s += w.exact
        if p.level in _BIG:
            s += w.country_name if p.level is not Level.PROVINCE else w.province_name
    if c.skel:
        s -= w.skeleton
    if p.feature_code == "PPLC":
        s += w.capital
    return s


def _nearest_km(lat: float, lon: float, anchors) -> float:
    """Distance to the nearest anchor; an equirectangular estimate is plenty for a score kernel."""
    best = 1e9
    k = math.cos(math.radians(lat))
    for a, b in anchors:
        dlon = abs(lon - b)
        if dlon > 180.0:
            dlon = 360.0 - dlon
        d = (lat - a) ** 2 + (dlon * k) ** 2
        if d < best:
            best = d
    return 111.2 * math.sqrt(best)


def _contained(c: Candidate, container) -> float:
    """1 when a container candidate holds `c` (same country / same region / parent), else 0."""
    p = c.place
    for k in container:
        q = k.place
        if q.id == p.id:
            continue
        if q.level is Level.COUNTRY and c.cc and q.country_code == c.cc and p.level is not Level.COUNTRY:
            return 1.0
        if q.level is Level.PROVINCE and p.level not in _BIG and c.cc == q.country_code:
            if c.a1 and c.a1 == k.a1:
                return 1.0
            if haversine_km(p.lat, p.lon, q.lat, q.lon) < 150:
                return 0.8
        if q.level is Level.PROVINCE and p.level is Level.PROVINCE:
            continue
        if p.parent_id and p.parent_id == q.id:
            return 1.0
        if q.level is Level.CITY and p.level in _SUB_CITY and haversine_km(p.lat, p.lon, q.lat, q.lon) < 30:
            return 1.0
    return 0.0


# One name's votes: its countries (with weights), and for a confident reading its place id,
# admin-1 key, point (below country level) and country point.
_Votes = tuple[dict[str, float], str | None, str | None, tuple[float, float] | None, tuple[float, float] | None]


class _Context:
    """What the article is about, from the current best guesses."""

    __slots__ = ("countries", "top", "local", "admin1", "ids", "anchors", "country_points", "dateline_cc", "_by_key")

    def __init__(self, countries, admin1, ids, anchors, dateline_cc, by_key, country_points=()):
        self.countries = countries
        self.top = max(countries.values(), default=0.0)
        # How international the story is: local evidence (same region, nearby) counts less
        # for a small namesake when the article ranges over several countries.
        n = sum(1 for v in countries.values() if v >= 1.0)
        self.local = 1.0 / (1.0 + LOCAL_DAMPING * max(0, n - 1))
        self.admin1 = admin1
        self.ids = ids
        self.anchors = anchors
        self.country_points = country_points
        self.dateline_cc = dateline_cc
        self._by_key = by_key

    @classmethod
    def empty(cls, dateline_cc):
        countries = {dateline_cc: 2.0} if dateline_cc else {}
        return cls(countries, frozenset(), frozenset(), (), dateline_cc, {})

    @classmethod
    def build(cls, keys, best, dateline_cc):
        by_key: dict[str, list[tuple[Place, float]]] = {}
        for key, ranked in zip(keys, best):
            if ranked:
                by_key.setdefault(key, []).append(ranked[0])
        # Each name's contribution, kept apart so leaving one name out is a subtraction.
        parts: dict[str, _Votes] = {}
        for key, votes in by_key.items():
            cc: dict[str, float] = {}
            for p, conf in votes:
                if p.country_code:
                    cc[p.country_code] = cc.get(p.country_code, 0.0) + conf
            p, conf = max(votes, key=lambda v: v[1])
            if conf < 0.5:
                parts[key] = (cc, None, None, None, None)
                continue
            a1 = normalize(p.name) if p.level is Level.PROVINCE else None
            anchor = (p.lat, p.lon) if p.level not in _BIG else None
            country_point = (p.lat, p.lon) if p.level is Level.COUNTRY else None
            parts[key] = (cc, p.id, a1, anchor, country_point)
        return cls._combine(parts, dateline_cc)

    @classmethod
    def _combine(cls, parts, dateline_cc, skip=None):
        countries: dict[str, float] = {dateline_cc: 2.0} if dateline_cc else {}
        admin1: set[str] = set()
        ids: set[str] = set()
        anchors: list[tuple[float, float]] = []
        country_points: list[tuple[float, float]] = []
        for key, (cc, pid, a1, anchor, country_point) in parts.items():
            if key == skip:
                continue
            for code, v in cc.items():
                countries[code] = countries.get(code, 0.0) + v
            if pid is not None:
                ids.add(pid)
            if a1:
                admin1.add(a1)
            if anchor and len(anchors) < _MAX_ANCHORS:
                anchors.append(anchor)
            if country_point and len(country_points) < _MAX_ANCHORS:
                country_points.append(country_point)
        return cls(countries, frozenset(admin1), frozenset(ids), tuple(anchors), dateline_cc, parts,
                   tuple(country_points))

    def share(self, cc: str | None) -> float:
        """How much the article is about country `cc`, relative to its main country (0 to 1).

        1 when the article names no country at all: there is nothing to weigh `cc` against.
        """
        if not self.top:
            return 1.0
        return self.countries.get(cc, 0.0) / self.top if cc else 0.0

    def without(self, key: str) -> "_Context":
        """This context minus the votes of one name (so a name cannot confirm itself)."""
        if key not in self._by_key:
            return self
        return _Context._combine(self._by_key, self.dateline_cc, skip=key)
