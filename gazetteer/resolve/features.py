"""The evidence a candidate is scored on, one named feature per kind, in the order they are added.

A feature returns what it adds to the candidate's score (0.0 when it does not apply), or `VETO`
when it rules the candidate out. A row may also say in which scenes it can add anything at all
(`Feature.applies`): elsewhere it would add 0.0 to every candidate, so it is not asked (the scorers run
for every candidate of every name, and most scenes need fewer than half of them). Its weights are fields of `Weights`, named in its table row, so
a change is one weight or one row, and its effect is measured on the gold corpora
(`python -m geo.evaluate.geoparse`). The rows are added in order: floating-point sums depend on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from gazetteer.model import Level, Mention, Place
from gazetteer.resolve.candidates import BIG, HINT_LEVELS, SUB_CITY, Candidate
from gazetteer.resolve.context import Context
from gazetteer.resolve.scoring import Weights, haversine_km, nearest_km

__all__ = ["OWN_FEATURES", "STORY_FEATURES", "VETO", "Feature", "Scene", "own_score", "story_score"]

VETO = None   # what a feature returns to rule a candidate out

# Levels a level word rules out for a candidate far from the story's places in a country it hardly
# names: the word names a unit of the story's own country, and a namesake abroad of another
# level is only a homonym.
_MISFITS_ABROAD: dict[str | None, tuple[Level, ...]] = {
    "district": (Level.PROVINCE, Level.CITY),
    "province": (Level.DISTRICT, Level.CITY),
}
_WHOLE = (Level.COUNTRY, Level.CONTINENT)
# A town whose level word is wrong is still often the place meant ("Mosul city" for the district's
# seat), so the penalty for a city is half that for other levels.
_CITY_HINT_SHARE = 0.5
# How strongly a container holds a candidate: inside it by its codes or parent, or only near it.
_HELD, _NEAR_REGION = 1.0, 0.8
_REGION_NEAR_KM = 150.0   # a town this close to a named region of its country is probably in it
_TOWN_PART_KM = 30.0      # a quarter or landmark this close to a named town is part of it
_HOME_TOWNS = 2           # one town is no home region


class Scene:
    """What the features may ask while one mention's candidates are scored: the mention, the
    article context, the container the text names, and facts about the candidate in hand."""

    __slots__ = ("w", "mention", "hint_after", "hint_levels", "dateline", "ctx", "container", "coherent",
                 "big_name", "generic", "list_level", "in_ctx", "_anchor_km", "scorers")

    def __init__(self, w: Weights, mention: Mention, hint_after: bool, ctx: Context, container, coherent,
                 big_name: bool = False, generic: bool = False,
                 list_level: tuple[Level, frozenset[str]] | None = None):
        self.w = w
        self.mention = mention
        self.hint_after = hint_after   # the level word follows the name ("Palestine district")
        self.hint_levels = HINT_LEVELS.get(mention.hint or "")
        self.dateline = mention.source == "dateline"
        self.ctx = ctx
        self.container = container
        self.coherent = coherent
        # the name is a country's own, or a region's of a country the story is about ("Mexico", "California");
        # a province abroad that shares a town's name (England's Wakefield) does not count
        self.big_name = big_name
        self.generic = generic     # the name only says what kind of place it is ("the Gulf", "West Coast")
        # the level of the names it is listed with, and their countries ("Astana and Almaty": towns of Kazakhstan)
        self.list_level = list_level
        self.in_ctx = 0.0
        self._anchor_km: float | None = None
        # the features that can add anything here, in table order (skipping the others adds no 0.0)
        self.scorers = [score for score, applies in _SCORERS if applies is None or applies(self)]

    def start(self, c: Candidate) -> None:
        """Begin scoring candidate `c`."""
        self.in_ctx = self.ctx.countries.get(c.cc, 0.0) if c.cc else 0.0   # the article's votes for its country
        self._anchor_km = None

    def anchor_km(self, p: Place) -> float:
        """Kilometres from the candidate in hand to the story's nearest place (computed once)."""
        if self._anchor_km is None:
            self._anchor_km = nearest_km(p.lat, p.lon, self.ctx.anchors)
        return self._anchor_km


@dataclass(frozen=True, slots=True)
class Feature:
    """One kind of evidence: its name, the `Weights` fields it uses, and what it adds (or `VETO`)."""

    name: str
    weights: tuple[str, ...]
    score: Callable
    # Whether it can add anything (or rule anything out) in a scene; None: in every scene. Where it
    # cannot, `score` would return 0.0 for every candidate.
    applies: Callable[["Scene"], object] | None = None


# ------------------------------------------------------------------ what a candidate is on its own
def _prior(c: Candidate, w: Weights) -> float:
    """Size: level and population on a log scale."""
    return w.prior * c.prior


def _exact(c: Candidate, w: Weights) -> float:
    """The name matched exactly, not through a variant."""
    return w.exact if c.exact else 0.0


def _own_name(c: Candidate, w: Weights) -> float:
    """A country's or province's own name rarely means a namesake village."""
    if not c.exact or c.place.level not in BIG:
        return 0.0
    return w.country_name if c.place.level is not Level.PROVINCE else w.province_name


def _skeleton(c: Candidate, w: Weights) -> float:
    """Matched only by its transliteration skeleton."""
    return -w.skeleton if c.skel else 0.0


def _capital(c: Candidate, w: Weights) -> float:
    """National capitals are named from abroad far more than their namesakes."""
    return w.capital if c.place.feature_code == "PPLC" else 0.0


OWN_FEATURES: tuple[Feature, ...] = (
    Feature("prior", ("prior",), _prior),
    Feature("exact", ("exact",), _exact),
    Feature("own name", ("country_name", "province_name"), _own_name),
    Feature("skeleton", ("skeleton",), _skeleton),
    Feature("capital", ("capital",), _capital),
)


def own_score(c: Candidate, w: Weights) -> float:
    """The part of a candidate's score that does not depend on the article."""
    s = 0.0
    for f in OWN_FEATURES:
        s += f.score(c, w)
    return s


# ------------------------------------------------------------------ what the story says about it
def _sound_alike_abroad(c: Candidate, k: Scene) -> float | None:
    """A sound-alike in a country the article is not about is noise."""
    if c.skel and not (k.in_ctx or (c.cc and c.cc == k.ctx.dateline_cc)):
        return VETO
    return 0.0


def _own(c: Candidate, k: Scene) -> float:
    """The candidate's own weight (`OWN_FEATURES`), kept on it for the weights it was computed with."""
    if c.base_for is not k.w:
        c.base, c.base_for = own_score(c, k.w), k.w
    return c.base


def _dateline_place(c: Candidate, k: Scene) -> float:
    """Datelines name well-known places: size counts more."""
    return k.w.dateline_place * c.prior if k.dateline else 0.0


def _foreign_small(c: Candidate, k: Scene) -> float:
    """A small place in a country the article never mentions."""
    return -k.w.foreign_small if c.small and not k.in_ctx else 0.0


def _story_country(c: Candidate, k: Scene) -> float:
    """In a country the article is about, by that country's share of the votes."""
    return k.w.country * math.sqrt(k.in_ctx / k.ctx.top) if k.in_ctx else 0.0


def _dateline_country(c: Candidate, k: Scene) -> float:
    """In the dateline's country."""
    return k.w.dateline if k.ctx.dateline_cc and c.cc == k.ctx.dateline_cc else 0.0


def _story_region(c: Candidate, k: Scene) -> float:
    """In a province the article names.

    A dateline names the bureau's city, well known by convention ("WASHINGTON", not
    "WASHINGTON, Pa."): the story's states and provinces do not pull it towards a namesake.
    """
    if not c.a1 or c.place.level is Level.PROVINCE or c.a1 not in k.ctx.admin1 or (k.dateline and not k.container):
        return 0.0
    return k.w.admin1 * (k.ctx.local if c.small else 1.0)


def _towns_region(c: Candidate, k: Scene) -> float:
    """In the story's home province: the one that holds at least two and half of its other towns and counties.

    A local paper rarely names its own state: "Bloomfield" among a dozen Nebraska towns is in
    Nebraska, not New Jersey. A country's or region's own name is left alone: "Mexico" among
    Mexican towns is not Mexico City.
    """
    if not k.ctx.town_total or not (c.cc and c.a1) or c.place.level in BIG or k.big_name:
        return 0.0
    n = k.ctx.town_regions.get((c.cc, c.a1), 0)
    if n < _HOME_TOWNS or n < k.w.home_share * k.ctx.town_total:
        return 0.0
    return k.w.town_region


def _container(c: Candidate, k: Scene) -> float:
    """Inside the container the text names after it ("Odessa, Ukraine")."""
    return k.w.container * contained(c, k.container) if k.container else 0.0


def _parent(c: Candidate, k: Scene) -> float:
    """A quarter, camp or curated town inside a place the article names; an orphan quarter counts against.

    A region parent is already counted through the region feature.
    """
    if not c.has_parent_rule:
        return 0.0
    p = c.place
    if p.parent_id and p.parent_id in k.ctx.ids:
        return k.w.parent
    return -k.w.orphan if p.level in SUB_CITY else 0.0


def _misfit_abroad(c: Candidate, k: Scene) -> float | None:
    """"The Abyan district of east Mosul" is no province or town of Yemen, and "the Kasai region"
    in a Congo story no town in Japan: a level the word rules out, far away in a country the story
    hardly names."""
    p = c.place
    if k.ctx.anchors and p.level in _MISFITS_ABROAD.get(k.mention.hint, ()) and k.ctx.share(c.cc) < k.w.stray_share:
        if k.anchor_km(p) > k.w.stray_km:
            return VETO
    return 0.0


def _generic_abroad(c: Candidate, k: Scene) -> float | None:
    """"The Gulf" in a story about Iran is no province of Papua New Guinea, nor "the West Coast" of
    a US story the Gambia's: a name that only says what kind of place it is means one of the
    story's own, never a province or town far from every place and country the story names, in a
    country it hardly names."""
    p = c.place
    if not k.generic or p.level in _WHOLE or not c.cc or c.cc == k.ctx.dateline_cc:
        return 0.0
    share = k.ctx.share(c.cc)
    if share >= k.w.stray_share:
        return 0.0
    points = k.ctx.anchors + k.ctx.country_points
    if points:
        return VETO if nearest_km(p.lat, p.lon, points) > k.w.generic_km else 0.0
    # a story that names only regions ("New York and Pennsylvania") has no points to measure from:
    # a country it never names at all is far enough
    return VETO if share == 0.0 else 0.0


def _level_word(c: Candidate, k: Scene) -> float | None:
    """The level word next to the name ("Wahda district") fits the candidate's level, or not."""
    if k.hint_levels is None:
        return 0.0
    level, hint = c.place.level, k.mention.hint
    if level in k.hint_levels:
        return k.w.hint
    if level in _WHOLE:
        if not k.hint_after:
            return 0.0          # "an area of Syria" is in Syria
        if hint != "province":
            return VETO         # "Palestine district" is never the State of Palestine
        return -k.w.hint_country
    if level is Level.PROVINCE and hint == "neighbourhood":
        return VETO             # "the Ilam neighbourhood" is never Iran's Ilam province
    return -(k.w.hint * (_CITY_HINT_SHARE if level is Level.CITY else 1.0))


def _listed_level(c: Candidate, k: Scene) -> float:
    """Of the level of the names it is listed with: "Oregon and Washington laws" are two states'
    laws, "stops in Washington, New York and Boston" three cities. Below a country, only in one of
    their countries: "Melbourne and Victoria" is no town of Texas."""
    if k.list_level is None:
        return 0.0
    level, countries = k.list_level
    if c.place.level is not level or (level is not Level.COUNTRY and (c.cc or "") not in countries):
        return 0.0
    return k.w.list_level


def _coherence(c: Candidate, k: Scene) -> float:
    """Near some reading of the article's other names (jointly, not only their best guesses)."""
    if not k.coherent or k.big_name:
        return 0.0   # "California" among towns of California is the state, not a namesake town near them
    return k.w.coherence * k.coherent.get(c.place.id, 0.0) * k.ctx.local


def _neighbour(c: Candidate, k: Scene) -> float:
    """Next to a country the article names: Gaza by Israel and Egypt, not Gaza province of Mozambique."""
    p = c.place
    if k.in_ctx or not k.ctx.country_points or p.level in _WHOLE:
        return 0.0
    d = nearest_km(p.lat, p.lon, k.ctx.country_points)
    return k.w.neighbour * math.exp(-d / k.w.neighbour_km) * (k.ctx.local if c.small else 1.0)


def _near_story(c: Candidate, k: Scene) -> bool:
    """Whether distance to the story's places counts for this candidate (towns and smaller)."""
    return bool(k.ctx.anchors) and c.place.level not in BIG


def _far_neighbourhood(c: Candidate, k: Scene) -> float | None:
    """A neighbourhood abroad lies in a city the story names: "Ilam" in Mosul is not Iran's."""
    if (_near_story(c, k) and k.hint_levels is not None and k.mention.hint == "neighbourhood"
            and k.anchor_km(c.place) > k.w.neighbourhood_km and k.ctx.share(c.cc) < k.w.stray_share):
        return VETO
    return 0.0


def _far_quarter(c: Candidate, k: Scene) -> float:
    """"Palestine district" in a Mosul story is not in Texas."""
    if _near_story(c, k) and k.hint_levels is not None and k.mention.hint == "district" \
            and k.anchor_km(c.place) > k.w.quarter_km:
        return -k.w.far_quarter
    return 0.0


def _proximity(c: Candidate, k: Scene) -> float:
    """Close to the story's places, and in the same part of the world."""
    if not _near_story(c, k):
        return 0.0
    d = k.anchor_km(c.place)
    near = k.w.proximity * math.exp(-d / k.w.proximity_km) + k.w.region * math.exp(-d / k.w.region_km)
    return near * k.ctx.local if c.small else near


STORY_FEATURES: tuple[Feature, ...] = (
    Feature("sound-alike abroad", (), _sound_alike_abroad),
    Feature("own weight", tuple(n for f in OWN_FEATURES for n in f.weights), _own),
    Feature("dateline place", ("dateline_place",), _dateline_place, lambda k: k.dateline),
    Feature("small and foreign", ("foreign_small",), _foreign_small),
    Feature("story country", ("country",), _story_country, lambda k: k.ctx.countries),
    Feature("dateline country", ("dateline",), _dateline_country, lambda k: k.ctx.dateline_cc),
    Feature("story region", ("admin1",), _story_region, lambda k: k.ctx.admin1 and (k.container or not k.dateline)),
    Feature("towns' region", ("town_region", "home_share", "stray_share"), _towns_region,
            lambda k: k.ctx.town_total and not k.big_name),
    Feature("container", ("container",), _container, lambda k: k.container),
    Feature("parent", ("parent", "orphan"), _parent),
    Feature("misfit abroad", ("stray_share", "stray_km"), _misfit_abroad,
            lambda k: k.ctx.anchors and k.mention.hint in _MISFITS_ABROAD),
    Feature("generic name abroad", ("stray_share", "generic_km"), _generic_abroad, lambda k: k.generic),
    Feature("level word", ("hint", "hint_country"), _level_word, lambda k: k.hint_levels is not None),
    Feature("list level", ("list_level",), _listed_level, lambda k: k.list_level is not None),
    Feature("coherence", ("coherence", "stray_share"), _coherence, lambda k: k.coherent and not k.big_name),
    Feature("neighbour", ("neighbour", "neighbour_km"), _neighbour, lambda k: k.ctx.country_points),
    Feature("far neighbourhood", ("neighbourhood_km", "stray_share"), _far_neighbourhood,
            lambda k: k.ctx.anchors and k.hint_levels is not None and k.mention.hint == "neighbourhood"),
    Feature("far quarter", ("far_quarter", "quarter_km"), _far_quarter,
            lambda k: k.ctx.anchors and k.hint_levels is not None and k.mention.hint == "district"),
    Feature("proximity", ("proximity", "proximity_km", "region", "region_km"), _proximity, lambda k: k.ctx.anchors),
)


# Each feature's function and its test of a scene, read once: every ranking of a name asks the tests.
_SCORERS = tuple((f.score, f.applies) for f in STORY_FEATURES)


def story_score(c: Candidate, k: Scene) -> float | None:
    """The candidate's score in the story `k` describes, or `VETO` if a feature rules it out."""
    k.start(c)
    s = 0.0
    for score in k.scorers:
        v = score(c, k)
        if v is None:      # VETO
            return VETO
        s += v
    return s


# ------------------------------------------------------------------ containers
def _in_country(c: Candidate, q: Place) -> bool:
    return q.level is Level.COUNTRY and bool(c.cc) and q.country_code == c.cc and c.place.level is not Level.COUNTRY


def _town_in_region(c: Candidate, q: Place) -> bool:
    return q.level is Level.PROVINCE and c.place.level not in BIG and c.cc == q.country_code


def _in_region(c: Candidate, k: Candidate) -> bool:
    return _town_in_region(c, k.place) and bool(c.a1) and c.a1 == k.a1


def _near_region(c: Candidate, k: Candidate) -> bool:
    q, p = k.place, c.place
    return _town_in_region(c, q) and haversine_km(p.lat, p.lon, q.lat, q.lon) < _REGION_NEAR_KM


def _child(c: Candidate, k: Candidate) -> bool:
    q, p = k.place, c.place
    # a province is never inside another through a parent link
    return not (q.level is Level.PROVINCE and p.level is Level.PROVINCE) and bool(p.parent_id) and p.parent_id == q.id


def _town_part(c: Candidate, k: Candidate) -> bool:
    q, p = k.place, c.place
    return q.level is Level.CITY and p.level in SUB_CITY and haversine_km(p.lat, p.lon, q.lat, q.lon) < _TOWN_PART_KM


# How a container candidate holds a candidate, tried in order: the first that holds gives the value.
_CONTAINMENT: tuple[tuple[str, float, Callable[[Candidate, Candidate], bool]], ...] = (
    ("same country", _HELD, lambda c, k: _in_country(c, k.place)),
    ("same region", _HELD, _in_region),
    ("near the region", _NEAR_REGION, _near_region),
    ("parent", _HELD, _child),
    ("part of the town", _HELD, _town_part),
)


def contained(c: Candidate, container) -> float:
    """How strongly some container candidate holds `c` (country, region, parent, town), else 0."""
    for k in container:
        if k.place.id == c.place.id:
            continue
        for _, value, holds in _CONTAINMENT:
            if holds(c, k):
                return value
    return 0.0
