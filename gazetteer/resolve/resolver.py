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

from gazetteer.mentions.lexicon import load_lexicon
from gazetteer.mentions.patterns import _level_word_after
from gazetteer.model import Level, Mention, Place, Toponym
from gazetteer.names import normalize
from gazetteer.resolve.binding import bind_to_container, container_places, level_confusion, listed, pick_level, prominent_level
from gazetteer.resolve.candidates import BIG as _BIG
from gazetteer.resolve.candidates import HINT_LEVELS as _HINT_LEVELS
from gazetteer.resolve.candidates import SUB_CITY as _SUB_CITY
from gazetteer.resolve.candidates import Candidate, CandidateFinder
from gazetteer.resolve.context import Context as _Context
from gazetteer.resolve.scoring import _MISFITS_ABROAD, Weights, _contained, _nearest_km, _static_score, haversine_km

__all__ = ["Resolver", "Weights", "haversine_km"]

_COHERENCE_CANDS = 8   # candidates of each other name that count as its possible readings
_COHERENCE_NAMES = 40  # bounds the pairwise work on very long texts


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
