"""Resolving mentions to places with the article as context.

Each candidate gets a score from its own weight (level, population) plus what the article says:
the dateline country, the countries and regions the article is about, explicit containers
("Odessa, Ukraine", "Achin district of Nangarhar"), level hints ("Wahda district"), curated
places inside a parent the article names, and closeness to the article's other places.
Resolution runs in passes: a context-free first guess, then again with the context the first
pass produced (leaving each name's own vote out), so unambiguous names steer ambiguous ones, and
names listed together ("Oregon and Washington") read at the level their fellows took in the pass before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from gazetteer.mentions.lexicon import load_lexicon
from gazetteer.mentions.patterns import _level_word_after
from gazetteer.model import Level, Mention, Place, Toponym
from gazetteer.names import normalize
from gazetteer.resolve.binding import bind_to_container, container_places, level_confusion, list_peers, listed, pick_level, prominent_level
from gazetteer.resolve.candidates import BIG as _BIG
from gazetteer.resolve.candidates import Candidate, CandidateFinder
from gazetteer.resolve.context import CONFIDENT
from gazetteer.resolve.context import Context as _Context
from gazetteer.resolve.features import VETO, Scene, story_score
from gazetteer.resolve.scoring import Weights, haversine_km, nearest_each, nearest_km
from gazetteer.resolve.water import mixed, water_or_land

__all__ = ["Resolver", "Weights", "haversine_km"]

_SHARED = 8            # best readings the confidence is spread over
_REPORTED = 4          # readings a ranking keeps: a toponym reports the best and three more (the passes read only the best)
_COHERENCE_CANDS = 12  # candidates of each other name that count as its possible readings (8 missed a small
                       # local town behind the namesakes of a common name: LGL dev half +9 toponyms, docs/accuracy.md)
_WHOLE = (Level.COUNTRY, Level.CONTINENT)
_LISTED_LEVELS = (Level.COUNTRY, Level.PROVINCE, Level.CITY)   # levels a list of names agrees on
_MID_SIZED = 0.7       # the prior of a town of about 300,000: (log10 population - 2) / 5
_COHERENCE_NAMES = 40  # bounds the pairwise work on very long texts
_CONTAINER_READINGS = 5   # readings of a container that weigh in a mention's score
_KEYS_REMEMBERED = 100_000   # names whose facts are remembered before the memo starts again


class Resolver:
    """Ranks gazetteer candidates for mentions; one instance per index, reused across articles."""

    def __init__(self, index, *, weights: Weights | None = None, limit: int = 25, cache_size: int = 20000, aliases=None):
        self.index = index
        self.w = weights or Weights()
        self.passes = 3
        self._lex = load_lexicon()
        # words that only say what kind of place a name is ("west", "coast", "district"); a town's
        # level word is not one of them ("Cape Town")
        self._generic = self._lex.part_words | self._lex.generic_terms | frozenset(
            w for w, level in self._lex.level_words.items() if level in ("province", "district"))
        self._generic_keys: dict[str, bool] = {}   # key -> `_is_generic(key)`, worked out once per name
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
        coherent = _Coherence(self, keys, cands) if self.w.coherence else None
        # Mentions that read the same (name, hint, container, source) rank the same in a pass; the last
        # field says whether the name only says what kind of place it is ("the Gulf").
        # A level word after the name ("Palestine district") types it; one before it ("an area of
        # Syria", "a quarter of Syria") may only say which part of a country is meant.
        sig = [(k, m.hint, m.container, m.source, bool(m.hint) and self._level_follows(text, m), self._is_generic(k))
               for k, m in zip(keys, mentions)]
        peers = list_peers(text, mentions, [bool(b) for b in containers])
        best = self._passes(mentions, keys, cands, containers, sig, coherent, dl_cc, peers)
        out = []
        for m, ranked in zip(mentions, best):
            if not ranked:
                out.append(Toponym(m, None, 0.0))
                continue
            (p, s), alts = ranked[0], tuple(ranked[1:_REPORTED])
            out.append(Toponym(m, p, s, alts))
        return out

    def _passes(self, mentions, keys, cands, containers, sig, coherent, dl_cc, peers) -> list[list[tuple[Place, float]]]:
        """The ranked readings of every mention after the passes: the first without article context, the
        next with the context of the one before, leaving each name's own votes out."""
        ctx0 = _Context.empty(dl_cc)
        best = self._pass(mentions, cands, containers, sig, lambda k: ctx0, coherent, [None] * len(mentions))
        # A name that only says what kind of place it is ("the Coast", "North East") tells nothing
        # of where the story is: it neither votes for a country nor anchors the other names.
        told = [not s[5] for s in sig]
        for _ in range(self.passes - 1):
            ctx = _Context.build(keys, [b if t else [] for b, t in zip(best, told)], dl_cc)
            loo: dict[str, _Context] = {}

            def context_for(k, ctx=ctx, loo=loo):
                if k not in loo:
                    loo[k] = ctx.without(k)
                return loo[k]

            again = self._pass(mentions, cands, containers, sig, context_for, coherent, _list_levels(best, peers))
            settled = all((a[0][0].id if a else None) == (b[0][0].id if b else None) for a, b in zip(again, best))
            best = again
            if settled:
                break   # the context did not change any choice, so another pass would not either
        return best

    def _pass(self, mentions, cands, containers, sig, context_for, coherent, list_level) -> list[list[tuple[Place, float]]]:
        """Rank every mention against the context `context_for(key)` gives it, and the level of the
        names it is listed with (`list_level`)."""
        memo: dict[tuple, list] = {}
        out = []
        for i, m in enumerate(mentions):
            key = sig[i]
            ranked = memo.get((key, list_level[i]))
            if ranked is None:
                c = cands[i]
                if len(c) == 1 and not c[0].skel and m.hint is None and not key[5]:
                    ranked = [(c[0].place, 1.0)]
                else:
                    ranked = self._rank(key[4], m, c, context_for(key[0]), containers[i], coherent, key[0],
                                        generic=key[5], list_level=list_level[i])
                memo[(key, list_level[i])] = ranked
            out.append(ranked)
        return out

    def _bound(self, text, mentions, keys, dateline_places, dateline_country):
        """Each mention's candidates cut to what its level word, container and dateline allow, and the
        container places that weigh in its score (none for a list: "Indiana, Ohio, Wisconsin")."""
        dl_keys = {normalize(p) for p in dateline_places} if dateline_country else set()
        dl_key = normalize(dateline_country) if dateline_country else ""
        found = [self.candidates(m.text) for m in mentions]
        prominent: dict[int, Level | None] = {}   # index -> level of its most prominent reading, only where a container asks
        confused: dict[str, bool] = {}   # key -> both a region and a town: a level word may choose
        wet: dict[str, bool] = {}        # key -> both water and land: the text chooses
        cands, boxes = [], []
        for i, (m, key) in enumerate(zip(mentions, keys)):
            c = found[i]
            if c and key not in wet:
                wet[key] = mixed(c)
            if c and wet[key]:
                c = water_or_land(text, m.start, key, m.hint, c)
            if c and key not in confused:
                confused[key] = level_confusion(c)
            if c and confused[key]:
                c = pick_level(text, m.start, m.end, c)
            c, box = self._in_container(text, mentions, i, key, c, found, prominent)
            if dl_key and c and key != dl_key and (m.source == "dateline" or key in dl_keys):
                # "KABUL/ABDUL KHIL, Afghanistan": inside the dateline's country or unresolved
                dl_box = container_places(c, self.candidates(dateline_country), same_name=False)
                c = bind_to_container(c, dl_box, strict=True)
            cands.append(c)
            boxes.append(box[:_CONTAINER_READINGS])
        return cands, boxes

    def _in_container(self, text, mentions, i, key, c, found, prominent) -> tuple[tuple[Candidate, ...], tuple[Candidate, ...]]:
        """Mention `i`'s candidates bound to the container the text names after it, and that container's places."""
        m = mentions[i]
        if not (m.container and c):
            return c, ()
        for j in (i + 1, i + 2):
            if j < len(found) and j not in prominent:
                prominent[j] = prominent_level(found[j])
        if listed(text, mentions, i, prominent):
            return c, ()
        box = container_places(c, self.candidates(m.container), same_name=normalize(m.container) == key)
        return bind_to_container(c, box, strict=False), box

    def _country_code(self, name: str) -> str | None:
        for c in self.candidates(name):
            if c.place.level is Level.COUNTRY:
                return c.cc
        return None

    def _closeness(self, p: Place, readings: list[list[tuple[float, float]]]) -> float:
        """How close `p` is to some reading of each other name (capped)."""
        w = self.w
        total = 0.0
        for km in nearest_each(p.lat, p.lon, readings):
            total += math.exp(-km / w.coherence_km)
        return min(w.coherence_cap, total)

    def _level_follows(self, text: str, m: Mention) -> bool:
        return _level_word_after(text, m.end, self._lex.level_words) is not None

    def _is_generic(self, key: str) -> bool:
        """Whether a name is made only of words that say what kind of place it is ("the Gulf", "West Coast")."""
        known = self._generic_keys.get(key)
        if known is None:
            words = key.replace("-", " ").split()
            if words and words[0] == "the":
                words = words[1:]
            known = bool(words) and all(w in self._generic for w in words)
            if len(self._generic_keys) >= _KEYS_REMEMBERED:
                self._generic_keys.clear()
            self._generic_keys[key] = known
        return known

    def _rank(self, hint_after: bool, m: Mention, cands, ctx: _Context, container, coherent=None, key: str = "", *,
              generic: bool = False, list_level: tuple[Level, frozenset[str]] | None = None) -> list[tuple[Place, float]]:
        """The best candidates by score (`gazetteer.resolve.features`), at most `_REPORTED`, with their confidences
        among the best `_SHARED`; [] to leave `m` unresolved."""
        if not cands:
            return []
        w = self.w
        big_name = False
        for c in cands:
            if c.exact and c.place.level in _BIG and self._at_home(c, ctx):
                big_name = True
                break
        # coherence is measured only for a name it may move: never a country's or a home region's own
        scene = Scene(w, m, hint_after, ctx, container, None if big_name or coherent is None else coherent.get(key),
                      big_name=big_name, generic=generic, list_level=list_level)
        scored = []
        for c in cands:
            s = story_score(c, scene)
            if s is not VETO:
                scored.append((s, c.place, c))
        if not scored:
            return []
        scored.sort(key=lambda t: -t[0])
        best = scored[0][0]
        if best < w.floor and scene.hint_levels is not None and scored[0][1].level not in (Level.COUNTRY, Level.CONTINENT):
            return []   # "Jada district": no candidate fits the hint and the story, so leave it unresolved
        if self._stray(scored[0][2], ctx):
            return []   # "Salam hospital" in a Mosul story is not a village in Oman: report it unresolved
        shared = scored[:_SHARED]
        z = [math.exp(w.temperature * (s - best)) for s, _, _ in shared]
        total = sum(z)
        return [(p, round(zi / total, 4)) for (_, p, _), zi in zip(shared[:_REPORTED], z)]

    def _at_home(self, c: Candidate, ctx: "_Context") -> bool:
        """Whether a country's or region's own reading of a name is one the story may mean: a country
        or continent, or a province of a country the story is (also) about. England's Wakefield
        district in a story about Nebraska towns is only a namesake of the Nebraska town."""
        if c.place.level is not Level.PROVINCE:
            return True
        return c.cc == ctx.dateline_cc or ctx.share(c.cc) >= self.w.stray_share

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
        minor = c.small or (not c.exact and c.prior < _MID_SIZED)
        if p.level is not Level.CITY or not minor or not c.cc or c.cc == ctx.dateline_cc or p.layer == "curated":
            return False   # (the curated towns are the conflict places the news names, not namesakes)
        if ctx.share(c.cc) >= self.w.stray_share:
            return False   # a country the story is (also) about; named once as an actor does not count
        points = ctx.anchors + ctx.country_points
        return bool(points) and nearest_km(p.lat, p.lon, points) > self.w.stray_km


class _Coherence:
    """Per ambiguous name, how close each candidate is to some candidate of each other name, measured
    when the name is first ranked with coherence (a name that is a country's own never is).

    "Paris" and "Henry County" together mean Paris, Tennessee, although neither name's
    most likely reading alone says so.
    """

    __slots__ = ("_resolver", "_cands", "_pts", "_others", "_done")

    def __init__(self, resolver: Resolver, keys: list[str], cands):
        self._resolver = resolver
        # each name's readings where it first has several and none is a country's own name
        self._cands: dict[str, tuple[Candidate, ...]] = {}
        for k, c in zip(keys, cands):
            if k not in self._cands and len(c) >= 2 and not any(x.exact and x.place.level in _WHOLE for x in c):
                self._cands[k] = c
        self._pts = _readings(keys, cands)
        self._others = [k for k, v in self._pts.items() if v][:_COHERENCE_NAMES]
        self._done: dict[str, dict[str, float] | None] = {}

    def get(self, key: str) -> dict[str, float] | None:
        """Candidate id -> closeness for name `key`; None for a name coherence does not apply to."""
        if key in self._done:
            return self._done[key]
        c = self._cands.get(key)
        out = None
        if c and len(self._others) >= 2:
            readings = [self._pts[j] for j in self._others if j != key]
            out = {x.place.id: self._resolver._closeness(x.place, readings) for x in c if x.place.level not in _BIG}
        self._done[key] = out
        return out


def _list_levels(best, peers) -> list[tuple[Level, frozenset[str]] | None]:
    """Per mention, the one level (country, province or town) every name it is listed with reads
    as, confidently, in the ranking `best`, with those readings' countries; None when they disagree
    or none is sure."""
    out: list[tuple[Level, frozenset[str]] | None] = []
    for others in peers:
        levels, countries = set(), set()
        for j in others:
            if best[j] and best[j][0][1] >= CONFIDENT:
                p = best[j][0][0]
                levels.add(p.level)
                countries.add(p.country_code or "")
        one = levels.pop() if len(levels) == 1 else None
        out.append((one, frozenset(countries)) if one in _LISTED_LEVELS else None)
    return out


def _readings(keys: list[str], cands) -> dict[str, list[tuple[float, float]]]:
    """Per name, the points of its likeliest readings smaller than a region (its possible places)."""
    pts: dict[str, list[tuple[float, float]]] = {}
    for k, c in zip(keys, cands):
        if k not in pts:
            pts[k] = [(x.place.lat, x.place.lon) for x in c[:_COHERENCE_CANDS] if x.place.level not in _BIG]
    return pts
