"""What an article is about, from the current best guesses: its countries, regions, places and points."""

from __future__ import annotations

from gazetteer.model import Level, Place
from gazetteer.names import normalize
from gazetteer.resolve.candidates import BIG as _BIG

__all__ = ["CONFIDENT", "Context"]

LOCAL_DAMPING = 0.5    # how much each further country the story ranges over weakens local evidence
_DATELINE_VOTES = 2.0  # the dateline's country counts as two confident mentions of it
CONFIDENT = 0.5        # a name's best reading below this confidence names no place, only its countries
_MAX_ANCHORS = 12      # places (and, apart, countries) of the article that distances are measured to


# One name's votes: its countries (with weights), and for a confident reading its place id,
# admin-1 key, point (below country level), country point and, for a town or smaller, the
# (country, admin-1) it lies in.
_Votes = tuple[dict[str, float], str | None, str | None, tuple[float, float] | None, tuple[float, float] | None,
               tuple[str, str] | None]


class Context:
    """What the article is about, from the current best guesses."""

    __slots__ = ("countries", "top", "local", "admin1", "ids", "anchors", "country_points", "dateline_cc", "_by_key",
                 "town_regions", "town_total", "_skip")

    def __init__(self, countries, admin1, ids, anchors, dateline_cc, by_key, country_points=(), town_regions=None,
                 skip: str | None = None):
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
        # (country, admin-1) -> how many of the story's towns and counties lie in it
        self.town_regions: dict[tuple[str, str], int] = town_regions or {}
        self.town_total = sum(self.town_regions.values())
        self._skip = skip   # the name whose votes `by_key` holds but this context leaves out

    @classmethod
    def empty(cls, dateline_cc):
        countries = {dateline_cc: _DATELINE_VOTES} if dateline_cc else {}
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
            if conf < CONFIDENT:
                parts[key] = (cc, None, None, None, None, None)
                continue
            a1 = normalize(p.name) if p.level is Level.PROVINCE else None
            anchor = (p.lat, p.lon) if p.level not in _BIG else None
            country_point = (p.lat, p.lon) if p.level is Level.COUNTRY else None
            region = (p.country_code, normalize(p.admin1)) if anchor and p.country_code and p.admin1 else None
            parts[key] = (cc, p.id, a1, anchor, country_point, region)
        return cls._combine(parts, dateline_cc)

    @classmethod
    def _combine(cls, parts, dateline_cc, skip=None):
        countries: dict[str, float] = {dateline_cc: _DATELINE_VOTES} if dateline_cc else {}
        admin1: set[str] = set()
        ids: set[str] = set()
        anchors: list[tuple[float, float]] = []
        country_points: list[tuple[float, float]] = []
        regions: dict[tuple[str, str], int] = {}
        for key, (cc, pid, a1, anchor, country_point, region) in parts.items():
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
            if region:
                regions[region] = regions.get(region, 0) + 1
        return cls(countries, frozenset(admin1), frozenset(ids), tuple(anchors), dateline_cc, parts,
                   tuple(country_points), regions, skip)

    def share(self, cc: str | None) -> float:
        """How much the article is about country `cc`, relative to its main country (0 to 1).

        1 when the article names no country at all: there is nothing to weigh `cc` against.
        """
        if not self.top:
            return 1.0
        return self.countries.get(cc, 0.0) / self.top if cc else 0.0

    def without(self, key: str) -> "Context":
        """This context minus the votes of one name (so a name cannot confirm itself)."""
        if key not in self._by_key:
            return self
        if self._skip is not None:
            return Context._combine(self._by_key, self.dateline_cc, skip=key)
        return self._less(key)

    def _less(self, key: str) -> "Context":
        """`_combine(..., skip=key)` worked out from this whole context: only what the name voted for is
        counted again (each country's votes summed in the same order, so to the same figure)."""
        cc, pid, a1, anchor, country_point, region = self._by_key[key]
        others = [part for k, part in self._by_key.items() if k != key]
        countries = dict(self.countries)
        for code in cc:
            total, voted = (_DATELINE_VOTES, True) if code == self.dateline_cc else (0.0, False)
            for votes in others:
                v = votes[0].get(code)
                if v is not None:
                    total += v
                    voted = True
            if voted:
                countries[code] = total
            else:
                del countries[code]
        ids = self.ids
        if pid is not None and not any(part[1] == pid for part in others):
            ids = ids - {pid}
        admin1 = self.admin1
        if a1 and not any(part[2] == a1 for part in others):
            admin1 = admin1 - {a1}
        anchors = self.anchors
        if anchor:
            anchors = tuple([part[3] for part in others if part[3]][:_MAX_ANCHORS])
        country_points = self.country_points
        if country_point:
            country_points = tuple([part[4] for part in others if part[4]][:_MAX_ANCHORS])
        regions = self.town_regions
        if region:
            regions = dict(regions)
            if regions[region] == 1:
                del regions[region]
            else:
                regions[region] -= 1
        return Context(countries, admin1, ids, anchors, self.dateline_cc, self._by_key, country_points, regions, key)
